"""Seeds the registry of the built-in Afghanistan–Pakistan profile from ``profile_data.yaml``.

Idempotent: each fact is inserted only when missing, so ``truceline init`` can
run again. To add a group, alias, listing or position, edit the YAML (with its
source), not this code.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy.orm import Session

from truceline.audit.actor import SYSTEM
from truceline.designations.domain.positions import Position
from truceline.designations.services import evidence, positions, registry

DATA_FILE = "profile_data.yaml"


@lru_cache(maxsize=1)
def profile_data() -> dict[str, Any]:
    """The seed document shipped inside the package."""
    text = resources.files("truceline.designations").joinpath(DATA_FILE).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def load_profile(session: Session) -> dict[str, int]:
    """Insert what is missing; return how many facts of each kind were added."""
    data = profile_data()
    counts = {
        "designation_criteria": _load_criteria(session, data["criteria"]),
        "armed_groups": _load_groups(session, data["groups"]),
    }
    counts["group_aliases"] = _load_aliases(session, data["groups"])
    counts["group_relations"] = _load_relations(session, data["relations"])
    counts["group_listings"] = _load_listings(session, data["listings"])
    counts["designation_positions"] = _load_positions(session, data["positions"])
    counts["criterion_evidence"] = _load_evidence(session, data["evidence"])
    return counts


def _load_criteria(session: Session, items: list[dict[str, Any]]) -> int:
    return sum(
        evidence.add_criterion(session, actor=SYSTEM, position=i, **item)
        for i, item in enumerate(items)
    )


def _load_groups(session: Session, items: list[dict[str, Any]]) -> int:
    added = 0
    for item in items:
        _, created = registry.add_group(
            session,
            actor=SYSTEM,
            group_id=item["id"],
            name=item["name"],
            description=item.get("description", ""),
            founded_year=item.get("founded_year"),
            source=item.get("source", ""),
        )
        added += created
    return added


def _load_aliases(session: Session, groups: list[dict[str, Any]]) -> int:
    added = 0
    for group in groups:
        for alias in group.get("aliases", []):
            added += registry.add_alias(
                session,
                actor=SYSTEM,
                group_id=group["id"],
                alias=str(alias["alias"]),
                language=alias["language"],
                kind=alias["kind"],
                origin=alias["origin"],
                source=alias.get("source", group.get("source", "")),
            )
    return added


def _load_relations(session: Session, items: list[dict[str, Any]]) -> int:
    return sum(
        registry.add_relation(
            session,
            actor=SYSTEM,
            relation=registry.parse_relation(item),
            note=item.get("note", ""),
            source=item["source"],
        )
        for item in items
    )


def _load_listings(session: Session, items: list[dict[str, Any]]) -> int:
    return sum(
        registry.add_listing(
            session,
            actor=SYSTEM,
            group_id=item["group"],
            list_name=item["list_name"],
            listed_by=item["listed_by"],
            source=item["source"],
            listed_year=item.get("listed_year"),
            listed_on=item.get("listed_on"),
            reference=item.get("reference"),
        )
        for item in items
    )


def _load_positions(session: Session, items: list[dict[str, Any]]) -> int:
    added = 0
    for item in items:
        position = Position(
            holder=item["holder"],
            group_id=item["group"],
            stance=positions.parse_stance(item["stance"]),
            effective_from=item["effective_from"],
            rationale=item["rationale"],
            source=item["source"],
            criteria=tuple(item.get("criteria", ())),
            date_precision=item.get("precision", "day"),
        )
        added += positions.record_position(session, actor=SYSTEM, position=position) is not None
    return added


def _load_evidence(session: Session, items: list[dict[str, Any]]) -> int:
    added = 0
    for item in items:
        row = evidence.record_evidence(
            session,
            actor=SYSTEM,
            group_id=item["group"],
            criterion=item["criterion"],
            asserted_by=item["asserted_by"],
            assessment=item["assessment"],
            summary=item["summary"],
            source=item["source"],
            observed_on=item.get("observed_on"),
        )
        added += row is not None
    return added
