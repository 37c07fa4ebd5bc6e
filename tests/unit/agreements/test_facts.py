from __future__ import annotations

from typing import Any

import pytest

from truceline.agreements.facts import facts_to_json, load_facts_file, parse_facts

from .factories import GROUPS, fact, facts_of


def errors_for(item: Any) -> list[tuple[int, str | None, str]]:
    accepted, errors = parse_facts([fact(id="good"), item], known_groups=GROUPS)
    assert [f.id for f in accepted] == ["good"], "the valid incident is kept"
    return [(e.index, e.incident, e.field) for e in errors]


def without(name: str) -> dict[str, Any]:
    item = fact(id="bad")
    del item[name]
    return item


@pytest.mark.parametrize(
    "name", ["id", "occurred_at", "location", "event_type", "perpetrator", "targets"]
)
def test_a_missing_field_is_named_with_the_incident_index(name: str) -> None:
    assert (1, None if name == "id" else "bad", name) in errors_for(without(name))


def test_a_naive_timestamp_is_rejected_asking_for_an_offset() -> None:
    accepted, errors = parse_facts([fact(occurred_at="2025-10-17T21:30:00")], known_groups=GROUPS)
    assert not accepted
    assert errors[0].field == "occurred_at"
    assert "naive" in errors[0].reason and "+04:30" in errors[0].reason


def test_an_unknown_actor_and_an_unknown_event_type_are_both_reported() -> None:
    fields = {e[2] for e in errors_for(fact(id="bad", perpetrator="XYZ", event_type="air_strike"))}
    assert fields == {"perpetrator", "event_type"}


@pytest.mark.parametrize(
    ("attribution", "field"),
    [
        ([{"party": "QA", "link": "facilitated", "established": True}], "attribution[0].party"),
        ([{"party": "AF", "link": "funded", "established": True}], "attribution[0].link"),
        (
            [{"party": "AF", "link": "facilitated", "established": "yes"}],
            "attribution[0].established",
        ),
        ("AF", "attribution"),
    ],
)
def test_bad_attribution_names_the_entry_and_field(attribution: Any, field: str) -> None:
    assert (1, "bad", field) in errors_for(fact(id="bad", attribution=attribution))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"targets": ["buildings"]}, "targets[0]"),
        ({"location": {"lat": 123, "lon": 69}}, "location.lat"),
        ({"location": {"lat": 32, "lon": "x"}}, "location.lon"),
        ({"fatalities": {"civilians": -1}}, "fatalities.civilians"),
        ({"fatalities": {"children": 1}}, "fatalities.children"),
        ({"target_party": "IR"}, "target_party"),
        ({"occurred_at": "17 October"}, "occurred_at"),
    ],
)
def test_each_bad_field_is_named(overrides: dict[str, Any], field: str) -> None:
    assert (1, "bad", field) in errors_for(fact(id="bad", **overrides))


def test_a_document_that_is_not_a_list_is_rejected_whole() -> None:
    accepted, errors = parse_facts({"id": "x"}, known_groups=GROUPS)
    assert not accepted and errors[0].field == "(document)"


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(ValueError, match="line 2, column"):
        load_facts_file('[\n{"id": }]')


def test_error_text_names_index_id_and_field() -> None:
    _, errors = parse_facts([fact(id="x1", perpetrator="XYZ")], known_groups=GROUPS)
    assert str(errors[0]).startswith("incident 0 ('x1'), field perpetrator:")


def test_facts_round_trip_through_json() -> None:
    original = facts_of(fact(attribution=[{"party": "AF", "link": "none", "established": True}]))
    assert facts_of(facts_to_json(original)) == original


def test_a_misspelt_field_is_an_error_not_silently_ignored() -> None:
    item = fact(id="bad")
    item["atribution"] = item.pop("attribution")
    assert (1, "bad", "atribution") in errors_for(item)


def test_other_descriptive_fields_are_allowed() -> None:
    assert facts_of(fact(title="Strikes in Urgun and Barmal", source="media")).id == "incident-1"


def test_null_coordinates_mean_an_unknown_location() -> None:
    facts = facts_of(fact(location={"lat": None, "lon": None, "country": "AF"}))
    assert (facts.lat, facts.lon, facts.country) == (None, None, "AF")
