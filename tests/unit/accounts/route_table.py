"""Every operation of the OpenAPI document, mapped to what the policy decides for it.

``ROUTES`` maps ``"METHOD /path"`` to one of:

- ``Rec(kind, needs)``: the route acts on one seeded record of ``kind`` (its path
  parameters come from that record); it is allowed only if the policy allows
  every ``(action, resource type)`` in ``needs`` on that record's facts;
- ``Kind(needs)``: a list or a creation with no record in the path; a list is
  allowed if the principal could ever read such records, a creation if the
  policy allows it on ``facts``;
- ``Open(reason)``: public reference data or the caller's own session, which no
  record policy governs (responses are still scanned for secrets);
- ``Outside(reason)``: governed by role checks of its own context rather than the
  record policy (listed so the gap stays visible; responses are still scanned).

A route missing here fails ``test_every_route_of_the_openapi_document_is_mapped``:
adding a route means saying which record it touches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from truceline.accounts.policy import Action, ResourceType

from .route_world import World

A, R = Action, ResourceType
Body = dict[str, Any] | Callable[[World], dict[str, Any]] | None
Need = tuple[Action, ResourceType]


@dataclass(frozen=True)
class Rec:
    kind: str
    needs: tuple[Need, ...]
    body: Body = None
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] | None = None  # a multipart form instead of a JSON body
    files: dict[str, tuple[str, bytes, str]] | None = None


@dataclass(frozen=True)
class Kind:
    needs: tuple[Need, ...]
    body: Body = None
    facts: dict[str, Any] | None = None  # a creation's facts (the policy's Resource fields)
    params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Open:
    reason: str
    params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Body = None


@dataclass(frozen=True)
class Outside:
    reason: str
    params: dict[str, str] = field(default_factory=dict)
    body: Body = None


Spec = Rec | Kind | Open | Outside


def _other_incident(world: World) -> dict[str, Any]:
    return {"into": int(world.records["incident"][-1].params["incident_id"])}


REFERENCE = "public reference data"
REGISTRY_WRITE = ((A.CREATE, R.GROUP_REGISTRY),)
DESIGNATION_WRITE = ((A.CREATE, R.DESIGNATION),)
AF_FACTS = {"owner_party": "AF"}
AF_POSITION = {
    "holder": "AF", "group": "HGB", "stance": "designated", "effective_from": "2025-11-01",
    "rationale": "attacks across the border", "source": "AF statement",
}  # fmt: skip
PROOFS = "the audit log's keys, checkpoints and proofs: anyone may verify"
ALLEGATION = {
    "source_type": "party_liaison", "source_party": "AF", "source_name": "AF office",
    "text": "an allegation in Afghanistan's name", "event_type": "cross_border_fire",
    "occurred_at": "2025-10-20T10:00:00+04:30", "time_precision": 1, "lat": 32.9, "lon": 69.1,
}  # fmt: skip

REQUEST = {
    "group": "TTP", "asked_action": "arrest", "clause": "no-support-to-groups-attacking-pakistan",
    "summary": "a request",
}  # fmt: skip

ROUTES: dict[str, Spec] = {
    "GET /health": Open("liveness"),
    "GET /api/incidents": Kind(((A.READ, R.INCIDENT),)),
    "POST /api/incidents/{incident_ref}/release": Rec(
        "incident", ((A.RELEASE, R.INCIDENT),), body={}
    ),
    "POST /api/incidents/{incident_ref}/withdraw": Rec(
        "incident", ((A.RELEASE, R.INCIDENT),), body={}
    ),
    "GET /api/verification/{incident_ref}/actions": Rec(
        "incident", ((A.READ, R.VERIFICATION_CASE),)
    ),
    "POST /api/verification/{incident_ref}/proposal": Rec(
        "incident",
        ((A.UPDATE, R.VERIFICATION_CASE),),
        body={"perpetrator": "AF", "confidence": "low", "summary": "as proposed"},
    ),
    "POST /api/verification/{incident_ref}/corrections": Rec(
        "incident", ((A.UPDATE, R.VERIFICATION_CASE),), body={"perpetrator": "PK", "reason": "typo"}
    ),
    "POST /api/verification/{incident_ref}/parties": Rec(
        "incident",
        ((A.UPDATE, R.VERIFICATION_CASE),),
        body={
            "alleging_party": "AF",
            "accused_party": "PK",
            "reason": "the allegation's own words",
        },
    ),
    "GET /api/audit/checkpoints/{checkpoint_id}": Open(PROOFS, params={"checkpoint_id": "1"}),
    "GET /api/audit/checkpoints/{checkpoint_id}/witness": Open(
        PROOFS, params={"checkpoint_id": "1"}
    ),
    "GET /api/audit/entries": Kind(((A.READ, R.AUDIT_LOG),)),
    "GET /api/warning/risk": Kind(((A.READ, R.EARLY_WARNING),)),
    "GET /api/warning/risk/thresholds": Kind(((A.CREATE, R.EARLY_WARNING),)),
    "POST /api/warning/risk/thresholds": Kind(
        ((A.CREATE, R.EARLY_WARNING),), body={"probability": 0.3}
    ),
    "DELETE /api/warning/risk/thresholds/{threshold_id}": Kind(
        ((A.CREATE, R.EARLY_WARNING),), params={"threshold_id": "1"}
    ),
    "GET /api/map/boundary": Open(REFERENCE),
    "GET /api/map/provinces": Open(REFERENCE),
    "GET /api/map/pakistan": Open(REFERENCE),
    "GET /api/map/incidents": Kind(((A.READ, R.INCIDENT),)),
    "GET /api/groups": Open(REFERENCE),
    "POST /api/groups": Kind(REGISTRY_WRITE, body={"id": "NEWGRP", "name": "A new group"}),
    "GET /api/groups/resolve": Open(REFERENCE, query={"name": "TTP"}),
    "GET /api/groups/{group_id}": Open(REFERENCE, params={"group_id": "TTP"}),
    "POST /api/groups/{group_id}/aliases": Kind(
        REGISTRY_WRITE,
        params={"group_id": "TTP"},
        body={"alias": "Tehrik", "language": "en", "origin": "press"},
    ),
    "POST /api/groups/{group_id}/relations": Kind(
        REGISTRY_WRITE,
        params={"group_id": "TTP"},
        body={"kind": "splinter_of", "object": "ISKP", "source": "press"},
    ),
    "POST /api/groups/{group_id}/listings": Kind(
        REGISTRY_WRITE,
        params={"group_id": "TTP"},
        body={"list_name": "a list", "listed_by": "someone", "source": "press"},
    ),
    "POST /api/designations/positions": Kind(DESIGNATION_WRITE, body=AF_POSITION, facts=AF_FACTS),
    "POST /api/designations/evidence": Kind(
        DESIGNATION_WRITE,
        facts=AF_FACTS,
        body={
            "group": "TTP",
            "criterion": "attacks",
            "asserted_by": "AF",
            "assessment": "supports",
            "summary": "s",
            "source": "AF statement",
        },
    ),
    "GET /api/designations/joint": Open(REFERENCE),
    "GET /api/designations/matrix": Open(REFERENCE),
    "GET /api/designations/processes": Open(REFERENCE),
    "POST /api/designations/processes": Kind(
        DESIGNATION_WRITE,
        body={"group": "TTP", "stance": "designated", "rationale": "r", "on": "2025-10-30"},
    ),
    "POST /api/designations/processes/{process_id}/steps": Kind(
        DESIGNATION_WRITE,
        params={"process_id": "1"},
        facts=AF_FACTS,
        body={
            "kind": "position",
            "party": "AF",
            "stance": "designated",
            "rationale": "r",
            "on": "2025-10-30",
        },
    ),
    "POST /api/designations/replay": Open("a computation on a definition the caller sends"),
    "GET /api/agreements": Open(REFERENCE),
    "GET /api/agreements/{agreement_id}/versions": Open(
        REFERENCE, params={"agreement_id": "doha-2025-10-19"}
    ),
    "GET /api/agreements/{agreement_id}": Open(
        REFERENCE, params={"agreement_id": "doha-2025-10-19"}
    ),
    "GET /api/incidents/{incident_id}/findings": Rec("incident", ((A.READ, R.FINDING),)),
    "POST /api/adjudications": Open("a computation on facts the caller sends"),
    "GET /api/geo/point": Open(REFERENCE, query={"lat": "33.0", "lon": "69.5"}),
    "GET /api/geo/locate": Open(REFERENCE, query={"q": "Urgun"}),
    "GET /api/geo/layers/boundary.geojson": Open(REFERENCE),
    "GET /api/geo/layers/provinces.geojson": Open(REFERENCE),
    "GET /api/geo/layers/pakistan.geojson": Open(REFERENCE),
    "POST /api/auth/login": Open("signing in"),
    "POST /api/auth/logout": Open("ends the caller's own session"),
    "GET /api/auth/me": Open("the caller's own account"),
    "GET /api/auth/users": Kind(((A.MANAGE, R.USER),)),
    "GET /api/auth/tokens": Kind(((A.READ, R.API_TOKEN),)),
    "POST /api/auth/tokens": Kind(
        ((A.MANAGE, R.API_TOKEN),), body={"user": "maya", "scopes": ["intake:write"]}
    ),
    "DELETE /api/auth/tokens/{token_id}": Rec("token", ((A.MANAGE, R.API_TOKEN),)),
    "GET /api/auth/policy": Open("what the caller's own role may do"),
    "GET /api/verification/queue": Kind(((A.READ, R.VERIFICATION_CASE),)),
    "POST /api/verification/{incident_ref}": Rec(
        "incident", ((A.CREATE, R.VERIFICATION_CASE),), body={}
    ),
    "GET /api/verification/{incident_ref}": Rec("incident", ((A.READ, R.VERIFICATION_CASE),)),
    "POST /api/verification/{incident_ref}/transitions": Rec(
        "incident", ((A.UPDATE, R.VERIFICATION_CASE),), body={"name": "triage"}
    ),
    "PUT /api/verification/{incident_ref}/team": Rec(
        "incident",
        ((A.MANAGE, R.VERIFICATION_CASE),),
        body={"members": [{"name": "tariq", "nominated_by": "AF"}]},
    ),
    "POST /api/verification/{incident_ref}/tasks": Rec(
        "incident", ((A.UPDATE, R.VERIFICATION_CASE),), body={"kind": "interview"}
    ),
    "POST /api/verification/tasks/{task_id}/complete": Rec(
        "task", ((A.UPDATE, R.VERIFICATION_CASE),), body={"outcome": "done"}
    ),
    "POST /api/verification/tasks/{task_id}/blocked": Rec(
        "task", ((A.UPDATE, R.VERIFICATION_CASE),), body={"reason": "access_denied"}
    ),
    "POST /api/verification/{incident_ref}/reply-window": Rec(
        "incident", ((A.UPDATE, R.VERIFICATION_CASE),), body={}
    ),
    "POST /api/verification/{incident_ref}/replies": Rec(
        "incident", ((A.CREATE, R.PARTY_REPLY),), body={"text": "our reply"}
    ),
    "POST /api/verification/{incident_ref}/views": Rec(
        "incident", ((A.CREATE, R.MEMBER_VIEW),), body={"position": "concurs", "text": "agreed"}
    ),
    "POST /api/verification/{incident_ref}/obstructions": Rec(
        "incident", ((A.UPDATE, R.VERIFICATION_CASE),), body={"description": "road closed"}
    ),
    "POST /api/verification/{incident_ref}/determination": Rec(
        "incident",
        ((A.UPDATE, R.VERIFICATION_CASE), (A.CREATE, R.FINDING)),
        body={"perpetrator": "AF", "confidence": "low", "summary": "as found"},
    ),
    "POST /api/verification/{incident_ref}/evidence": Rec(
        "incident",
        ((A.CREATE, R.EVIDENCE_ORIGINAL),),
        form={
            "obtained_by": "AF office",
            "obtained_at": "2025-10-23T10:00:00+04:30",
            "how_obtained": "photographed",
            "submitted_party": "AF",
        },
        files={"file": ("note.txt", b"in Afghanistan's name\n", "text/plain")},
    ),
    "GET /api/verification/evidence/{evidence_id}": Rec(
        "evidence", ((A.READ, R.EVIDENCE_ORIGINAL),)
    ),
    "GET /api/verification/evidence/{evidence_id}/content": Rec(
        "evidence", ((A.READ, R.EVIDENCE_ORIGINAL),)
    ),
    "POST /api/verification/evidence/{evidence_id}/custody": Rec(
        "evidence",
        ((A.UPDATE, R.VERIFICATION_CASE),),
        body={"action": "examined", "holder": "lab"},
    ),
    "POST /api/verification/evidence/{evidence_id}/redactions": Rec(
        "evidence", ((A.CREATE, R.EVIDENCE_REDACTED),), form={"note": "names", "term": "office"}
    ),
    "POST /api/verification/evidence/{evidence_id}/disclose": Rec(
        "evidence", ((A.DISCLOSE, R.EVIDENCE_ORIGINAL),)
    ),
    "POST /api/verification/{incident_ref}/evidence/from-reports": Rec(
        "incident", ((A.CREATE, R.EVIDENCE_ORIGINAL),)
    ),
    "GET /api/community/districts": Open(REFERENCE),
    "GET /api/community/districts/{key}": Open(REFERENCE, params={"key": "AF:barmal"}),
    "GET /api/community/committees": Kind(((A.READ, R.COMMITTEE),)),
    "POST /api/community/committees": Kind(
        ((A.CREATE, R.COMMITTEE),), body={"code": "CMT-NEW", "name": "n", "district": "AF:barmal"}
    ),
    "GET /api/community/committees/{code}": Rec("committee", ((A.READ, R.COMMITTEE),)),
    "POST /api/community/committees/{code}/members": Rec("committee", ((A.MANAGE, R.COMMITTEE),)),
    "POST /api/community/members/{pseudonym}/suspend": Kind(
        ((A.UPDATE, R.COMMITTEE),), params={"pseudonym": "C-NOBODY01"}
    ),
    "POST /api/community/committees/{code}/meetings": Rec("committee", ((A.UPDATE, R.COMMITTEE),)),
    "POST /api/community/incidents/{incident_id}/resolve": Rec(
        "incident", ((A.UPDATE, R.COMMITTEE),)
    ),
    "POST /api/community/incidents/{incident_id}/escalate": Rec(
        "incident", ((A.UPDATE, R.COMMITTEE),)
    ),
    # a list: the decisions of the committees the caller may read (an elder: their own)
    "GET /api/community/incidents/{incident_id}/decisions": Kind(
        ((A.READ, R.COMMITTEE),), params={"incident_id": "1"}
    ),
    "GET /api/community/reporters": Kind(((A.READ, R.COMMUNITY_REPORTER),)),
    "POST /api/community/reporters": Kind(((A.CREATE, R.COMMUNITY_REPORTER),)),
    "POST /api/community/sms/inbound": Kind(((A.UPDATE, R.COMMUNITY_REPORTER),)),
    "POST /api/community/sms/outbox/claim": Kind(((A.UPDATE, R.COMMUNITY_REPORTER),)),
    "POST /api/community/feedback": Kind(((A.UPDATE, R.COMMUNITY_REPORTER),)),
    "GET /api/community/sms/held": Kind(((A.READ, R.COMMUNITY_REPORTER),)),
    "POST /api/community/sms/held/{message_id}/release": Kind(
        ((A.UPDATE, R.COMMUNITY_REPORTER),), params={"message_id": "1"}
    ),
    "POST /api/community/sms/held/{message_id}/dismiss": Kind(
        ((A.UPDATE, R.COMMUNITY_REPORTER),), params={"message_id": "1"}
    ),
    "GET /api/audit/keys": Open(PROOFS),
    "GET /api/audit/checkpoints": Open(PROOFS),
    "POST /api/audit/checkpoints": Outside("signing a checkpoint: role check in audit.api"),
    "GET /api/audit/checkpoints/latest": Open(PROOFS),
    "GET /api/audit/checkpoint": Open(PROOFS),
    "POST /api/audit/checkpoints/{checkpoint_id}/cosignatures": Open(
        "a witness's cosignature, checked against its key", params={"checkpoint_id": "1"}
    ),
    "GET /api/audit/proofs/inclusion": Open(PROOFS, query={"seq": "0"}),
    "GET /api/audit/proofs/consistency": Open(PROOFS, query={"old_size": "1"}),
    "POST /api/intake/reports": Kind(
        ((A.CREATE, R.REPORT),), body=ALLEGATION, facts={"owner_party": "AF"}
    ),
    "GET /api/intake/reports": Kind(((A.READ, R.REPORT),), query={"limit": "500"}),
    "GET /api/intake/reports/{report_id}": Rec("report", ((A.READ, R.REPORT),)),
    "POST /api/intake/reports/{report_id}/corrections": Rec(
        "report",
        ((A.CORRECT, R.REPORT),),
        body={"reason": "rewrite", "changes": {"text": "rewritten by someone else"}},
    ),
    "POST /api/intake/reports/{report_id}/annotations": Rec(
        "report", ((A.ANNOTATE, R.REPORT),), body={"text": "a note"}
    ),
    "GET /api/intake/reports/{report_id}/candidates": Rec(
        "report", ((A.READ, R.REPORT), (A.READ, R.INCIDENT_LINK))
    ),
    "POST /api/intake/reports/{report_id}/links": Rec(
        "report", ((A.CREATE, R.INCIDENT_LINK),), body={"new_incident": True}
    ),
    "POST /api/incidents/{incident_id}/merge": Rec(
        "incident", ((A.UPDATE, R.INCIDENT_LINK),), body=_other_incident
    ),
    "POST /api/incidents/{incident_id}/split": Rec(
        "incident", ((A.UPDATE, R.INCIDENT_LINK),), body={"report_ids": [1]}
    ),
    "POST /api/incident-operations/{operation_id}/undo": Rec(
        "operation", ((A.UPDATE, R.INCIDENT_LINK),), body={}
    ),
    "GET /api/incidents/{incident_id}/corroboration": Rec("incident", ((A.READ, R.INCIDENT),)),
    "GET /api/notifications": Kind(((A.READ, R.NOTIFICATION),)),
    "POST /api/notifications/{notification_id}/read": Rec(
        "notification", ((A.UPDATE, R.NOTIFICATION),)
    ),
    "GET /api/warning/clocks": Kind(((A.READ, R.EARLY_WARNING),)),
    "GET /api/warning/escalation": Kind(((A.READ, R.EARLY_WARNING),)),
    "GET /api/warning/subscriptions": Kind(((A.READ, R.EARLY_WARNING),)),
    "POST /api/warning/subscriptions": Kind(((A.CREATE, R.EARLY_WARNING),)),
    "GET /api/requests": Kind(((A.READ, R.ACTION_REQUEST),)),
    "POST /api/requests": Kind(((A.CREATE, R.ACTION_REQUEST),), body=REQUEST, facts={}),
    "GET /api/requests/figures": Kind(((A.READ, R.ACTION_REQUEST),)),
    "GET /api/requests/export.stix": Kind(((A.READ, R.ACTION_REQUEST),)),
    "GET /api/requests/findings": Kind(((A.READ, R.FINDING),)),
    "POST /api/requests/findings": Kind(
        ((A.CREATE, R.FINDING),), body={"group": "TTP", "party": "AF"}
    ),
    "GET /api/requests/{request_ref}": Rec("request", ((A.READ, R.ACTION_REQUEST),)),
    "POST /api/requests/{request_ref}/steps": Rec(
        "request", ((A.UPDATE, R.ACTION_REQUEST),), body={"step": "admit"}
    ),
    "POST /api/intelligence": Kind(
        ((A.CREATE, R.INTELLIGENCE),), body={"title": "t", "body": "b"}, facts={}
    ),
    "POST /api/intelligence/import": Kind(
        ((A.CREATE, R.INTELLIGENCE),), body={"bundle": {"type": "bundle"}}, facts={}
    ),
    "GET /api/intelligence/{package_ref}": Rec("package", ((A.READ, R.INTELLIGENCE),)),
    "POST /api/intelligence/{package_ref}/release": Rec("package", ((A.RELEASE, R.INTELLIGENCE),)),
    "GET /api/periodic-reports/{kind}": Rec(
        "periodic", ((A.READ, R.PERIODIC_REPORT),), query={"period_end": "2025-10-25", "days": "30"}
    ),
}
