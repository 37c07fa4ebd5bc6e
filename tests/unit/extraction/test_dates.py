"""Dating an event from relative words, a dateline or a day without a year."""

from __future__ import annotations

from datetime import date

from truceline.extraction.dates import dateline_day, resolve_date

SATURDAY = date(2025, 10, 18)


def test_relative_words_count_back_from_the_reference_day() -> None:
    assert resolve_date("killed yesterday", SATURDAY).day == date(2025, 10, 17)
    assert resolve_date("strikes last night", SATURDAY).day == date(2025, 10, 17)
    assert resolve_date("two days ago", SATURDAY).day == date(2025, 10, 16)
    assert resolve_date("this morning", SATURDAY).day == SATURDAY


def test_a_weekday_is_the_latest_such_day_on_or_before_the_reference() -> None:
    assert resolve_date("late Tuesday night", SATURDAY).day == date(2025, 10, 14)
    assert resolve_date("on Friday", SATURDAY).day == date(2025, 10, 17)
    assert resolve_date("on Saturday", SATURDAY).day == SATURDAY


def test_a_day_without_a_year_never_lands_after_the_reference() -> None:
    assert resolve_date("on 17 October", SATURDAY).day == date(2025, 10, 17)
    assert resolve_date("on December 30", date(2026, 1, 2)).day == date(2025, 12, 30)
    assert resolve_date("Oct. 9, 2025", None).day == date(2025, 10, 9)


def test_pashto_dari_and_urdu_yesterday() -> None:
    assert resolve_date("پرون شپه", SATURDAY).day == date(2025, 10, 17)
    assert resolve_date("دیروز", SATURDAY).day == date(2025, 10, 17)


def test_without_date_words_the_reference_day_with_low_confidence() -> None:
    reading = resolve_date("an attack on a post", SATURDAY)
    assert reading.day == SATURDAY and reading.confidence < 0.5
    assert resolve_date("an attack on a post", None).day is None


def test_a_dateline_gives_the_reports_day() -> None:
    assert dateline_day("PESHAWAR, Pakistan, Oct 18 (Reuters) - ...", None) == date(
        date.today().year, 10, 18
    )
    assert dateline_day("KABUL, 19 October 2025: ...", None) == date(2025, 10, 19)
    assert dateline_day("No dateline here.", None) is None
