"""The seeded profile: every fact sourced, unknown where not public, dates consistent."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from truceline.designations.domain.names import normalise_name
from truceline.designations.domain.positions import HOLDERS, Stance
from truceline.designations.profile import profile_data


def test_every_position_alias_listing_and_relation_names_a_source() -> None:
    data = profile_data()
    for position in data["positions"]:
        assert position["source"] and position["rationale"], position
        assert position["holder"] in HOLDERS and Stance(position["stance"])
    for listing in data["listings"]:
        assert listing["source"] and (listing.get("listed_year") or listing.get("listed_on")), (
            listing
        )
    for relation in data["relations"]:
        assert relation["source"], relation
    for group in data["groups"]:
        assert group["source"], group["id"]
        assert all(alias["origin"] for alias in group["aliases"]), group["id"]


def test_afghan_positions_on_baloch_groups_are_recorded_as_unknown_not_invented() -> None:
    af = {p["group"]: p["stance"] for p in profile_data()["positions"] if p["holder"] == "AF"}
    assert af["BLA"] == af["BLF"] == "unknown"
    assert af["TTP"] == "not_designated" and af["ISKP"] == "designated"


def test_every_group_has_names_in_latin_and_arabic_script() -> None:
    for group in profile_data()["groups"]:
        scripts = {
            any("\u0600" <= ch <= "\u06ff" for ch in str(a["alias"])) for a in group["aliases"]
        }
        assert scripts == {True, False}, group["id"]


def test_pakistans_political_labels_are_aliases_with_their_origin() -> None:
    labels = {
        (group["id"], alias["alias"])
        for group in profile_data()["groups"]
        for alias in group["aliases"]
        if alias["kind"] == "political_label" and alias["origin"].startswith("PK")
    }
    assert {
        ("TTP", "Fitna al-Khawarij"),
        ("BLA", "Fitna al-Hindustan"),
        ("BLF", "Fitna al-Hindustan"),
    } <= labels


@given(st.text(max_size=40))
def test_normalising_is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once
