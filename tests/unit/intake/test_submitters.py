"""What an account files as: one rule for the API and the report form."""

from __future__ import annotations

import pytest

from truceline.accounts.roles import Principal, Role
from truceline.intake.pages.report import form_kind
from truceline.intake.schemas import IntakeSourceType
from truceline.intake.submitters import (
    Source,
    SourceRefused,
    check_source,
    source_of,
    speaks_for,
)

AF_LIAISON = Principal("farid", Role.PARTY_LIAISON, "AF")
MONITOR = Principal("maya", Role.FIELD_MONITOR)
REPORTER = Principal("reporter-7", Role.COMMUNITY_REPORTER)


def test_a_liaison_files_its_partys_allegations_and_others_their_own_kind_of_report() -> None:
    assert source_of(AF_LIAISON) == Source(IntakeSourceType.PARTY_LIAISON, "AF")
    assert source_of(MONITOR).source_type is IntakeSourceType.FIELD_MONITOR
    assert source_of(REPORTER).source_type is IntakeSourceType.COMMUNITY_REPORTER
    assert source_of(MONITOR).party is None


def test_the_report_form_files_what_the_rule_says() -> None:
    for principal in (AF_LIAISON, MONITOR, REPORTER):
        kind = form_kind(principal)
        assert Source(kind.source_type, kind.party) == source_of(principal)


@pytest.mark.parametrize(
    "source_type", [t for t in IntakeSourceType if t is not IntakeSourceType.PARTY_LIAISON]
)
def test_a_liaison_may_not_file_as_anything_but_its_party(source_type: IntakeSourceType) -> None:
    with pytest.raises(SourceRefused, match="source_type party_liaison") as refused:
        check_source(AF_LIAISON, source_type)
    assert (refused.value.code, refused.value.field) == ("source_type_not_yours", "source_type")
    check_source(AF_LIAISON, IntakeSourceType.PARTY_LIAISON)


def test_the_mechanism_files_as_any_source_it_records() -> None:
    for source_type in IntakeSourceType:
        check_source(MONITOR, source_type)


def test_a_submission_speaks_for_a_party_only_as_that_partys_allegation() -> None:
    assert speaks_for(IntakeSourceType.PARTY_LIAISON, "PK") == "PK"
    assert speaks_for(IntakeSourceType.MEDIA, "PK") is None
