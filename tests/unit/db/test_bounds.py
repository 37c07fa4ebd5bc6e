"""Reading record ids typed by people and clients: ASCII digits within 64 bits, or nothing."""

from __future__ import annotations

import pytest

from truceline.db.bounds import INT32_MAX, parse_record_id


@pytest.mark.parametrize("text", ["¹3", "²", "٣", "", " ", "-1", "0", "1e3", "3.0", "12a"])
def test_parse_record_id_refuses_what_is_not_a_positive_ascii_number(text: str) -> None:
    assert parse_record_id(text) is None


def test_parse_record_id_refuses_numbers_past_the_id_columns() -> None:
    assert parse_record_id(str(INT32_MAX)) == INT32_MAX
    assert parse_record_id(str(INT32_MAX + 1)) is None
    assert parse_record_id("9" * 40) is None


def test_parse_record_id_reads_plain_digits_around_spaces() -> None:
    assert parse_record_id(" 42 ") == 42
