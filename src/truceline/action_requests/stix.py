"""STIX 2.1 export and import with the OASIS ``stix2`` library.

Mapping (docs/requests.md):

- each request the caller may read → a ``report`` (``report_types: ["threat-report"]``),
  created by the requesting party's ``identity``, marked with the request's TLP;
  its state, asked action, deadline and response are ``x_truceline_*`` properties;
- each group named → an ``intrusion-set`` (registry name, aliases);
- a request's place → a ``location``, and a ``relationship`` ``originates-from``
  from the group's intrusion-set to it;
- the parties and the mechanism → ``identity`` objects;
- each intelligence package the caller may open → a ``note`` on the report,
  marked with the package's TLP. A package the caller may not read is left out
  entirely (not even its code), so an export reveals nothing unreleased.

TLP red, amber, green map to the library's TLP markings; clear (TLP 2.0) maps
to STIX 2.1's TLP white. Ids are UUIDv5 of the record's code, so two exports
of the same records name them alike. Import takes a bundle as an intelligence
package (sealed like any other), with the strictest TLP its objects carry.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import stix2
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import visible_filter
from truceline.action_requests import intelligence
from truceline.action_requests.domain import Tlp, strictest
from truceline.action_requests.exceptions import RequestRefused
from truceline.action_requests.models import ActionRequest, IntelligencePackage
from truceline.designations.models import ArmedGroup, GroupAlias

NAMESPACE = uuid.UUID("6d7e0c2a-2b7f-5b0e-9c1a-7472756365ee")
MARKINGS = {
    Tlp.RED: stix2.TLP_RED,
    Tlp.AMBER: stix2.TLP_AMBER,
    Tlp.GREEN: stix2.TLP_GREEN,
    Tlp.CLEAR: stix2.TLP_WHITE,
}
TLP_OF_MARKING = {marking.id: tlp for tlp, marking in MARKINGS.items()}
PARTY_NAMES = {"AF": "Afghanistan", "PK": "Pakistan"}
MEDIA_TYPE = "application/stix+json"


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _identities() -> dict[str, stix2.Identity]:
    found = {
        party: stix2.Identity(
            id=stix_id("identity", party), name=name, identity_class="organization",
            description=f"{name}, a party to the agreements on the Afghanistan–Pakistan border",
            created="2025-10-15T00:00:00Z", modified="2025-10-15T00:00:00Z",
        )
        for party, name in PARTY_NAMES.items()
    }  # fmt: skip
    found["mechanism"] = stix2.Identity(
        id=stix_id("identity", "mechanism"), name="truceline mechanism",
        identity_class="organization", created="2025-10-15T00:00:00Z",
        modified="2025-10-15T00:00:00Z",
        description="The monitoring and verification mechanism that exported this bundle",
    )  # fmt: skip
    return found


def _groups(session: Session, ids: Iterable[str]) -> dict[str, stix2.IntrusionSet]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    names = {
        group_id: name
        for group_id, name in session.execute(
            select(ArmedGroup.id, ArmedGroup.name).where(ArmedGroup.id.in_(wanted))
        )
    }
    aliases: dict[str, list[str]] = {}
    for group_id, alias in session.execute(
        select(GroupAlias.group_id, GroupAlias.alias).where(GroupAlias.group_id.in_(wanted))
    ):
        aliases.setdefault(group_id, []).append(alias)
    return {
        group_id: stix2.IntrusionSet(
            id=stix_id("intrusion-set", group_id), name=names.get(group_id, group_id),
            aliases=sorted(set(aliases.get(group_id, [])) | {group_id}),
            created="2025-10-15T00:00:00Z", modified="2025-10-15T00:00:00Z",
            custom_properties={"x_truceline_group_id": group_id},
        )
        for group_id in wanted
    }  # fmt: skip


def _when(instant: datetime | None) -> str | None:
    return None if instant is None else instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _request_objects(
    request: ActionRequest, group: stix2.IntrusionSet, identities: dict[str, stix2.Identity]
) -> list[Any]:
    marking = MARKINGS[Tlp(request.tlp)]
    common = {"created": request.submitted_at, "object_marking_refs": [marking.id]}
    refs: list[str] = [group.id, identities[request.addressed_party].id]
    extra: list[Any] = []
    if request.lat is not None and request.lon is not None:
        place = stix2.Location(
            id=stix_id("location", request.code), latitude=request.lat, longitude=request.lon,
            name=(request.target_detail or request.code)[:200], **common,
        )  # fmt: skip
        link = stix2.Relationship(
            id=stix_id("relationship", request.code), relationship_type="originates-from",
            source_ref=group.id, target_ref=place.id,
            description="where the request places the group's activity", **common,
        )  # fmt: skip
        extra += [place, link]
        refs += [place.id, link.id]
    report = stix2.Report(
        id=stix_id("report", request.code),
        name=f"{request.code}: {request.asked_action.replace('_', ' ')} against {request.group_id}",
        description=request.summary, published=request.submitted_at,
        report_types=["threat-report"], object_refs=refs,
        created_by_ref=identities[request.requesting_party].id,
        custom_properties=_properties(request), **common,
    )  # fmt: skip
    return [report, *extra]


def _properties(request: ActionRequest) -> dict[str, Any]:
    values = {
        "x_truceline_code": request.code,
        "x_truceline_state": request.state,
        "x_truceline_requesting_party": request.requesting_party,
        "x_truceline_addressed_party": request.addressed_party,
        "x_truceline_asked_action": request.asked_action,
        "x_truceline_target_kind": request.target_kind,
        "x_truceline_target_detail": request.target_detail,
        "x_truceline_agreement": request.agreement_id,
        "x_truceline_clause": request.clause_id,
        "x_truceline_deadline": _when(request.deadline_at),
        "x_truceline_response_kind": request.response_kind,
        "x_truceline_response": request.response_text or None,
        "x_truceline_dispute_reason": request.dispute_reason,
        "x_truceline_verification": request.verification_outcome,
        "x_truceline_provenance": request.provenance,
    }
    return {key: value for key, value in values.items() if value not in (None, "")}


def export_objects(
    session: Session, principal: Principal, *, keys_dir: Path
) -> tuple[list[Any], int]:
    """The STIX objects the caller may see, and how many requests they hold."""
    requests = list(
        session.scalars(
            select(ActionRequest)
            .where(visible_filter(principal, ActionRequest, Action.READ))
            .order_by(ActionRequest.id)
        )
    )
    identities = _identities()
    groups = _groups(session, (r.group_id for r in requests))
    objects: list[Any] = [*identities.values(), *groups.values()]
    report_ids: dict[int, str] = {}
    for request in requests:
        made = _request_objects(request, groups[request.group_id], identities)
        report_ids[request.id] = made[0].id
        objects += made
    objects += _notes(session, principal, report_ids, keys_dir)
    return objects, len(requests)


def _notes(
    session: Session, principal: Principal, report_ids: dict[int, str], keys_dir: Path
) -> list[Any]:
    notes = []
    for package in intelligence.visible_packages(session, principal):
        if package.request_id not in report_ids:
            continue
        content = intelligence.open_package(session, principal, package, keys_dir=keys_dir)
        notes.append(
            stix2.Note(
                id=stix_id("note", package.code), abstract=content.title[:200],
                content=content.body, object_refs=[report_ids[package.request_id]],
                created=package.created_at,
                object_marking_refs=[MARKINGS[Tlp(package.tlp)].id],
                custom_properties={"x_truceline_package": package.code,
                                   "x_truceline_audience": package.audience},
            )
        )  # fmt: skip
    return notes


def export_bundle(session: Session, principal: Principal, *, keys_dir: Path) -> tuple[str, int]:
    """The bundle as JSON text, and the number of requests in it."""
    objects, count = export_objects(session, principal, keys_dir=keys_dir)
    bundle = stix2.Bundle(*objects, *MARKINGS.values(), allow_custom=True)
    return bundle.serialize(pretty=False), count


def validate_bundle(text: str) -> Any:
    """Parse and validate a STIX 2.1 bundle; ``RequestRefused`` naming the problem."""
    try:
        parsed = stix2.parse(text, allow_custom=True, version="2.1")
    except (stix2.exceptions.STIXError, ValueError, TypeError, KeyError) as error:
        raise RequestRefused("bad_stix", f"file: not a valid STIX 2.1 bundle: {error}",
                             field="file") from None  # fmt: skip
    if getattr(parsed, "type", None) != "bundle":
        raise RequestRefused("bad_stix", "file: expected a STIX bundle", field="file")
    return parsed


def import_bundle(
    session: Session,
    principal: Principal,
    text: str,
    *,
    keys_dir: Path,
    audience: str,
    request: ActionRequest | None = None,
) -> IntelligencePackage:
    """Seal a STIX bundle as an intelligence package, marked with its strictest TLP."""
    bundle = validate_bundle(text)
    objects = list(getattr(bundle, "objects", []) or [])
    marks = [
        TLP_OF_MARKING[ref]
        for item in objects
        for ref in (getattr(item, "object_marking_refs", None) or [])
        if ref in TLP_OF_MARKING
    ]
    reports = [o for o in objects if getattr(o, "type", "") == "report"]
    title = str(reports[0].name) if reports else f"STIX bundle of {len(objects)} objects"
    body = json.dumps(json.loads(bundle.serialize()), ensure_ascii=False, sort_keys=True)
    return intelligence.create_package(
        session, principal, title=title, body=body,
        tlp=(strictest(marks) if marks else Tlp.AMBER).value, audience=audience,
        keys_dir=keys_dir, request=request, media_type=MEDIA_TYPE,
    )  # fmt: skip
