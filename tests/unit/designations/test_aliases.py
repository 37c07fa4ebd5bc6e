"""Resolving aliases: exact, spacing-insensitive, fuzzy, ambiguous, or nothing."""

from __future__ import annotations

import pytest

from truceline.designations.domain.aliases import AliasEntry, AliasIndex

INDEX = AliasIndex.build(
    [
        AliasEntry("TTP", "Tehrik-i-Taliban Pakistan", "UN 1267 list"),
        AliasEntry("TTP", "TTP", "common usage", "abbreviation"),
        AliasEntry("TTP", "Khawarij", "PK government", "political_label"),
        AliasEntry("TTA", "TTA", "common usage", "abbreviation"),
        AliasEntry("ISKP", "Khawarij", "AF de facto authorities", "political_label"),
        AliasEntry("ISKP", "Daesh Khorasan", "media"),
        AliasEntry("HGB", "Hafiz Gul Bahadur group", "media"),
    ]
)


def test_exact_alias_resolves_with_its_origin() -> None:
    result = INDEX.resolve("tehrik-i-taliban pakistan")
    assert result is not None
    assert (result.group_id, result.method, result.origin) == ("TTP", "exact", "UN 1267 list")


def test_spelling_variant_resolves_fuzzily_above_the_threshold() -> None:
    result = INDEX.resolve("Tehreek-e-Taliban Pakistan")
    assert result is not None and result.group_id == "TTP" and result.method == "fuzzy"
    assert result.score >= 85


def test_spacing_variant_resolves_exactly() -> None:
    result = INDEX.resolve("DaeshKhorasan")
    assert result is not None and (result.group_id, result.method) == ("ISKP", "spacing")


def test_generic_word_group_is_optional() -> None:
    result = INDEX.resolve("Hafiz Gul Bahadur")
    assert result is not None and result.group_id == "HGB"


def test_label_used_by_both_parties_for_different_groups_is_ambiguous() -> None:
    result = INDEX.resolve("khawarij")
    assert result is not None and result.ambiguous
    assert {(c.group_id, c.origin) for c in result.candidates} == {
        ("TTP", "PK government"),
        ("ISKP", "AF de facto authorities"),
    }


@pytest.mark.parametrize("name", ["TTX", "Lashkar-e-Taiba", "", "   "])
def test_names_below_the_threshold_do_not_resolve(name: str) -> None:
    assert INDEX.resolve(name) is None
