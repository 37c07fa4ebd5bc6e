"""Reading where a report's information comes from: only phrases that reliably say so."""

from __future__ import annotations

import pytest

from truceline.events.provenance import Origin, ReportKind, party_of_voice, relayed_source, resolve


@pytest.mark.parametrize(
    ("name", "text", "source"),
    [
        ("Dawn", "Five soldiers were killed, according to ISPR.", "ISPR"),
        ("Dawn", "Two died according to the district hospital on Friday", "district hospital"),
        ("Reuters", "Reuters, citing two Pakistani security officials, said", "two Pakistani security officials"),
        ("Afghanistan Cricket Board statement, reported by international media", "x", "Afghanistan Cricket Board"),
        ("Tolo", "Homes were hit, as reported by Pajhwok.", "Pajhwok"),
    ],
)  # fmt: skip
def test_relay_phrases_name_the_source(name: str, text: str, source: str) -> None:
    found = relayed_source(name, text)
    assert found is not None and found[0] == source


@pytest.mark.parametrize(
    "text",
    [
        "Position of Pakistani security officials as reported by media: strikes on hideouts.",
        "Our correspondent saw three craters in Urgun.",
        "Officials said the border crossing was closed.",
    ],
)
def test_no_origin_is_invented_where_the_text_names_none(text: str) -> None:
    assert relayed_source("Dawn", text) is None


def test_party_voices_are_the_parties_and_nothing_else() -> None:
    assert party_of_voice("ISPR") == "PK"
    assert party_of_voice("Inter-Services Public Relations (ISPR)") == "PK"
    assert party_of_voice("Zabihullah Mujahid, spokesman") == "AF"
    assert party_of_voice("Afghanistan Cricket Board") is None
    assert party_of_voice("Kurram district hospital") is None


def test_a_party_liaison_speaks_for_its_party_whatever_its_text_quotes() -> None:
    stated = resolve(
        source_type="party_liaison", source_party="AF", source_name="AF cell",
        text="According to the Paktika health department, ten died.", perpetrator="PK",
    )  # fmt: skip
    assert (stated.kind, stated.origin) == (ReportKind.ALLEGATION, Origin.OFFICIAL_STATEMENT)
    assert stated.note == "default for a party liaison"
