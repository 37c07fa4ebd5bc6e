"""Registry services on both back ends: the seeded profile, bad input, the process, the joint list."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, func, select

from truceline.audit.actor import Actor
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction
from truceline.designations.definitions import definition_for, known_group_ids
from truceline.designations.domain.alignment import AlignmentError, Step, StepKind
from truceline.designations.domain.positions import DesignationError, Position, Stance
from truceline.designations.domain.relations import Relation, RelationKind
from truceline.designations.models import GroupAlias
from truceline.designations.profile import load_profile
from truceline.designations.queries import joint_list
from truceline.designations.resolution import resolve_group
from truceline.designations.services import alignment, positions, registry

MEDIATOR = Actor(name="qa-mediator", role="mediator", party=None)
REQUIRED_GROUPS = {"TTP", "ISKP", "BLA", "BLA_MB", "BLF", "HGB", "JUA", "LEI", "TTA"}


def test_profile_seeds_the_groups_with_sourced_labels(engine: Engine) -> None:
    with transaction(engine) as session:
        assert known_group_ids(session) >= REQUIRED_GROUPS
        label = session.scalars(
            select(GroupAlias).where(GroupAlias.alias == "Fitna al-Khawarij")
        ).one()
        assert (label.group_id, label.kind, label.origin) == (
            "TTP",
            "political_label",
            "PK government (2024)",
        )
        assert label.source


def test_profile_loader_is_idempotent(engine: Engine) -> None:
    with transaction(engine) as session:
        assert set(load_profile(session).values()) == {0}


def test_seeded_positions_give_each_partys_reading_of_the_ttp(engine: Engine) -> None:
    with transaction(engine) as session:
        pk = definition_for(session, "PK")
        af = definition_for(session, "AF")
        joint = definition_for(session, "joint")

    at = datetime(2025, 10, 20, tzinfo=UTC)
    assert (pk.covers("TTP", at=at), af.covers("TTP", at=at), joint.covers("TTP", at=at)) == (
        True,
        False,
        None,
    )
    assert af.covers("ISKP", at=at) is True
    assert pk.covers("BLA_MB", at=at) is True  # as a faction of the BLA


def _position(
    stance: Stance, day: date, rationale: str = "new evidence", group: str = "TTP"
) -> Position:
    return Position("AF", group, stance, day, rationale, "liaison statement")


def test_conflicting_effective_date_is_rejected_and_nothing_is_stored(engine: Engine) -> None:
    with (
        transaction(engine) as session,
        pytest.raises(DesignationError, match="conflicting effective date"),
    ):
        positions.record_position(
            session, actor=MEDIATOR, position=_position(Stance.DISPUTED, date(2021, 8, 15))
        )


def test_unknown_group_and_missing_rationale_are_rejected(engine: Engine) -> None:
    with transaction(engine) as session:
        with pytest.raises(DesignationError, match="unknown group id 'XYZ'"):
            positions.record_position(
                session,
                actor=MEDIATOR,
                position=_position(Stance.DESIGNATED, date(2025, 11, 1), group="XYZ"),
            )
        with pytest.raises(DesignationError, match="a rationale is required"):
            positions.record_position(
                session,
                actor=MEDIATOR,
                position=_position(Stance.DESIGNATED, date(2025, 11, 1), rationale=""),
            )


def test_joint_position_outside_the_process_is_refused(engine: Engine) -> None:
    joint = Position("JOINT", "TTP", Stance.DESIGNATED, date(2025, 11, 1), "r", "s")
    with (
        transaction(engine) as session,
        pytest.raises(DesignationError, match="only by a decision"),
    ):
        positions.record_position(session, actor=MEDIATOR, position=joint)


def test_faction_cycle_and_unknown_relation_ids_are_rejected(engine: Engine) -> None:
    with transaction(engine) as session:
        with pytest.raises(DesignationError, match="cycle in faction_of: BLA -> BLA_MB -> BLA"):
            registry.add_relation(
                session,
                actor=MEDIATOR,
                relation=Relation("BLA", RelationKind.FACTION_OF, "BLA_MB"),
                source="s",
            )
        with pytest.raises(DesignationError, match="object: unknown group id 'NOPE'"):
            registry.add_relation(
                session,
                actor=MEDIATOR,
                relation=Relation("BLA", RelationKind.ALLIED_WITH, "NOPE"),
                source="s",
            )


def test_recorded_position_is_audited_and_changes_the_reading_from_its_date(engine: Engine) -> None:
    with transaction(engine) as session:
        before = session.scalar(select(func.count(AuditEntry.seq)))
        row = positions.record_position(
            session, actor=MEDIATOR, position=_position(Stance.DISPUTED, date(2025, 11, 7))
        )
        assert row is not None
        assert session.scalar(select(func.count(AuditEntry.seq))) == (before or 0) + 1
        af = definition_for(session, "AF")

    assert af.covers("TTP", at=datetime(2025, 11, 6, tzinfo=UTC)) is False
    assert af.covers("TTP", at=datetime(2025, 11, 7, tzinfo=UTC)) is None


def test_process_decision_puts_the_group_on_the_joint_list_from_its_effective_date(
    engine: Engine,
) -> None:
    with transaction(engine) as session:
        process = alignment.open_process(
            session,
            actor=MEDIATOR,
            group_id="HGB",
            stance=Stance.DESIGNATED,
            rationale="attacks on PK forces from North Waziristan",
            on=date(2025, 10, 30),
        )
        steps = [
            Step(StepKind.POSITION, "ISPR evidence", party="PK", stance=Stance.DESIGNATED),
            Step(
                StepKind.POSITION,
                "no objection once evidence is shared",
                party="AF",
                stance=Stance.DESIGNATED,
            ),
            Step(StepKind.SESSION, "Istanbul session under Qatari and Turkish chairs"),
        ]
        for step in steps:
            alignment.add_step(
                session, actor=MEDIATOR, process_id=process.id, step=step, on=date(2025, 10, 30)
            )
        with pytest.raises(AlignmentError, match="cannot record a session at stage session_held"):
            alignment.add_step(
                session, actor=MEDIATOR, process_id=process.id, step=steps[2], on=date(2025, 10, 30)
            )
        decision = Step(StepKind.DECISION, "criteria 1 and 2 met", stance=Stance.DESIGNATED)
        alignment.add_step(
            session,
            actor=MEDIATOR,
            process_id=process.id,
            step=decision,
            on=date(2025, 11, 6),
            details={"effective_from": "2025-11-07"},
        )
        assert alignment.process_json(process)["stage"] == "decided"
        before = joint_list(session, as_of=date(2025, 11, 6))
        after = joint_list(session, as_of=date(2025, 11, 7))
    assert "HGB" in [e["group"] for e in before["undecided"]]
    assert [e["group"] for e in after["designated"]] == ["HGB"]


def test_resolution_reads_the_registry_in_the_session(engine: Engine) -> None:
    with transaction(engine) as session:
        registry.add_alias(
            session,
            actor=MEDIATOR,
            group_id="TTP",
            alias="تحریک طالبان",
            language="ps",
            kind="spelling_variant",
            origin="test reporter",
        )
        result = resolve_group("تحريك طالبان", session=session)
    assert result is not None and result.group_id == "TTP" and result.origin == "test reporter"
