from __future__ import annotations

import io

import pytest

from truceline.exchange import jsonstream
from truceline.exchange.jsonstream import ArrayStream, JsonStreamError, invalid_bytes


def _read(data: bytes) -> tuple[dict[str, object], list[object]]:
    stream = ArrayStream(io.BytesIO(data), array_key="items")
    values = [e.value for e in stream.elements()]
    return stream.header, values


@pytest.fixture(autouse=True)
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few characters make every value straddle a buffer boundary."""
    monkeypatch.setattr(jsonstream, "CHUNK_CHARS", 5)


def test_elements_and_header_are_read_across_chunk_boundaries() -> None:
    header, values = _read(b'{"format": "x", "items": [{"a": [1, 2]}, 123456789, "s"], "z": null}')
    assert header == {"format": "x", "z": None}
    assert values == [{"a": [1, 2]}, 123456789, "s"]


def test_a_bare_array_is_accepted() -> None:
    assert _read(b'[{"a": 1}]')[1] == [{"a": 1}]


def test_malformed_element_is_located_by_line_and_column() -> None:
    stream = ArrayStream(io.BytesIO(b'{"items": [\n{"a": 1},\n{"b": 2,}\n]}'), array_key="items")
    seen = []
    with pytest.raises(JsonStreamError, match=r"malformed element 2: .* \(line 3, column 9\)"):
        for element in stream.elements():
            seen.append((element.index, element.line))
    assert seen == [(1, 2)]


def test_truncated_document_says_what_was_expected() -> None:
    with pytest.raises(JsonStreamError, match="the file ends where ',' or ']' was expected"):
        _read(b'{"items": [{"a": 1}')


def test_invalid_utf8_inside_strings_is_found() -> None:
    _, values = _read(b'{"items": [{"a": ["caf\xe9"]}]}')
    assert invalid_bytes(values[0]) == "0xE9"
    assert invalid_bytes({"a": ["fine"]}) is None
