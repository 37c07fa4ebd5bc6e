"""Reading sentences in the style of October 2025's reporting into proposed incident facts."""

from __future__ import annotations

from datetime import date

import pytest

from truceline.extraction.reader import Reader


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader()


def one(reader: Reader, text: str, published: date) -> dict[str, object]:
    events = reader.read(text, published=published)
    assert len(events) == 1, [e.as_json() for e in events]
    return events[0].as_json()


def test_the_paktika_strikes_with_a_dateline(reader: Reader) -> None:
    text = (
        "ISLAMABAD, Oct 18 - Pakistani airstrikes late on Friday hit homes in the Urgun and "
        "Barmal districts of Paktika province, killing at least 10 civilians, Afghan officials said."
    )
    event = one(reader, text, date(2025, 10, 18))
    assert event["occurred_on"] == "2025-10-17"  # Friday, not the dateline's Saturday
    assert event["event_type"] == "air_drone_strike" and event["perpetrator"] == "PK"
    assert event["killed"] == 10 and event["targets"] == ["civilians"]
    location = event["location"]
    assert (
        isinstance(location, dict)
        and location["admin1"] == "Paktika"
        and location["country"] == "AF"
    )
    spans = {e["field"]: text[e["start"] : e["end"]] for e in event["evidence"]}  # type: ignore[union-attr]
    assert spans["perpetrator"] == "Pakistani airstrikes" and spans["killed"] == "at least 10"
    assert spans["occurred_on"] == "Friday" and "Urgun" in spans["location"]


def test_an_ispr_statement_names_security_forces_and_the_khawarij(reader: Reader) -> None:
    event = one(
        reader,
        "ISPR said security forces conducted an intelligence-based operation in North "
        "Waziristan district yesterday, killing 12 khawarij. Two soldiers embraced martyrdom.",
        date(2025, 10, 20),
    )
    assert event["perpetrator"] == "PK" and event["event_type"] == "armed_clash"
    assert event["occurred_on"] == "2025-10-19" and event["killed"] == 12
    assert event["targets"] == ["militants"]


def test_the_ttp_suicide_attack_is_the_groups_not_a_partys(reader: Reader) -> None:
    event = one(
        reader,
        "A suicide attack on a military camp in Mir Ali, North Waziristan, on 17 October killed "
        "seven soldiers. Fighters linked to the TTP claimed responsibility.",
        date(2025, 10, 18),
    )
    assert event["perpetrator"] == "TTP" and event["event_type"] == "suicide_bomb"
    assert event["killed"] == 7 and event["occurred_on"] == "2025-10-17"  # not "17" killed
    assert event["targets"] == ["security_forces"]


def test_killed_and_injured_are_counted_apart(reader: Reader) -> None:
    event = one(
        reader,
        "Afghan forces attacked Pakistani border posts near Angoor Adda on Saturday night; "
        "Pakistan said 23 soldiers were killed and 29 injured.",
        date(2025, 10, 12),
    )
    assert (event["killed"], event["injured"], event["perpetrator"]) == (23, 29, "AF")


def test_arrests_count_the_captured_and_name_no_target(reader: Reader) -> None:
    event = one(reader, "Police arrested three suspects in Quetta on Tuesday.", date(2025, 10, 22))
    assert event["event_type"] == "arrests" and event["captured"] == 3
    assert event["targets"] == [] and event["occurred_on"] == "2025-10-21"


def test_a_pashto_statement_gets_its_place_date_and_numbers(reader: Reader) -> None:
    event = one(
        reader,
        "پاکستاني الوتکو پرون شپه د پکتیکا ولایت په ارګون ولسوالۍ کې هوايي برید وکړ چې ۱۰ ملکي وګړي پکې ووژل شول.",
        date(2025, 10, 18),
    )
    assert event["occurred_on"] == "2025-10-17" and event["killed"] == 10
    assert event["event_type"] == "air_drone_strike"
    location = event["location"]
    assert isinstance(location, dict) and location["admin1"] == "Paktika"


def test_two_different_events_in_one_report_are_kept_apart(reader: Reader) -> None:
    events = reader.read(
        "A roadside bomb killed three soldiers in Kech district on Monday. "
        "Separately, police arrested two men in Quetta.",
        published=date(2025, 10, 21),
    )
    assert [e.event_type for e in events] == ["remote_explosive_landmine_ied", "arrests"]
    assert [e.killed for e in events] == [3, 0] and events[1].captured == 2


def test_a_text_with_no_event_gives_none(reader: Reader) -> None:
    assert reader.read("The talks will resume in Istanbul next week.", published=None) == []


def test_killed_and_wounded_in_one_verb_phrase_are_counted_apart() -> None:
    text = (
        "KABUL, Oct 18, 2025 - Afghan officials said Pakistani airstrikes late on Friday killed "
        "at least 10 civilians and wounded 12 others in Barmal district of Paktika province."
    )
    event = Reader().read(text, published=date(2025, 10, 18))[0]
    assert (event.killed, event.injured) == (10, 12)
    assert event.location is not None and event.location.name == "Barmal"


def test_a_year_after_a_month_is_not_counted_as_killed() -> None:
    text = "Afghan officials said Pakistani airstrikes on 17 October 2025 killed 10 civilians."
    event = Reader().read(text, published=date(2025, 10, 18))[0]
    assert event.killed == 10 and event.occurred_on == date(2025, 10, 17)


def test_a_dari_statement_gets_its_district_not_only_its_province(reader: Reader) -> None:
    event = one(
        reader,
        "دیروز در درگیری مرزی در ولسوالی سپین بولدک ولایت کندهار ۸ تن کشته و ۱۵ تن زخمی شدند.",
        date(2025, 10, 16),
    )
    location = event["location"]
    assert isinstance(location, dict)
    assert (location["admin1"], location["admin2"]) == ("Kandahar", "Spin Boldak")


@pytest.mark.parametrize(
    ("headline", "province"),
    [
        ("Roadside bomb kills soldier in northwest Pakistan", "Khyber Pakhtunkhwa"),
        (
            "20 militants killed as Taleban clash with rival group in tribal area",
            "Khyber Pakhtunkhwa",
        ),
        (
            "Pakistan launches operation against separatists, 6 killed in southwest Pakistan",
            "Balochistan",
        ),
        (
            "Five killed, six wounded in Indian shelling of Pakistani Kashmir.",
            "Azad Jammu and Kashmir",
        ),
    ],
)
def test_a_wire_reports_region_names_its_province(
    reader: Reader, headline: str, province: str
) -> None:
    location = one(reader, headline, date(2010, 5, 1))["location"]
    assert isinstance(location, dict)
    assert location["admin1"] == province and location["precision"] == 4  # a province, no point


def test_kashmir_alone_is_left_unplaced_rather_than_read_as_kashmore(reader: Reader) -> None:
    """Spelled one letter away from Kashmore (Sindh), 1,000 km from the Line of Control."""
    event = one(reader, "Three more said killed in Kashmir shelling.", date(1998, 8, 1))
    assert event["location"] is None and event["killed"] == 3


def test_a_death_with_no_word_for_the_event_and_no_number_is_still_an_event(
    reader: Reader,
) -> None:
    event = one(reader, "Pakistan Taleban commander killed in Karachi", date(2013, 2, 1))
    location = event["location"]
    assert event["event_type"] == "other" and event["killed"] == 0  # no number: none read
    assert isinstance(location, dict) and location["admin1"] == "Sindh"
