"""The permission table: roles × resources × actions, asserting what is allowed AND refused.

Each row names a resource, an action and exactly the principals allowed; every
other principal must be refused. The leaks that matter most also have tests of
their own below.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truceline.accounts.policy import (
    RULES,
    AccessDenied,
    Action,
    Resource,
    ResourceType,
    authorize,
    could_ever,
    require,
)
from truceline.accounts.roles import PUBLIC, Principal, Role

ADMIN = Principal("ada", Role.ADMIN)
MEDIATOR = Principal("mona", Role.MEDIATOR)
CUSTODIAN = Principal("carla", Role.MEDIATOR, custodian=True)
AF = Principal("farid", Role.PARTY_LIAISON, "AF")
PK = Principal("sana", Role.PARTY_LIAISON, "PK")
TEAM = Principal("tariq", Role.TEAM_MEMBER)
MONITOR = Principal("maya", Role.FIELD_MONITOR)
ELDER = Principal("elder-gul", Role.COMMUNITY_LIAISON)
REPORTER = Principal("reporter-7", Role.COMMUNITY_REPORTER)
#: A committee member signed in with an elder's account (``ELDER`` above is a liaison).
HAJI = Principal("haji-wali", Role.ELDER)

EVERYONE = {ADMIN, MEDIATOR, CUSTODIAN, AF, PK, TEAM, MONITOR, ELDER, REPORTER, HAJI, PUBLIC}
SIGNED_IN = EVERYONE - {PUBLIC}
MEDIATORS = {MEDIATOR, CUSTODIAN}
STAFF = MEDIATORS | {TEAM, MONITOR}
PARTIES = {AF, PK}
NOBODY: set[Principal] = set()

R = ResourceType
AF_NOTE = Resource(R.PARTY_NOTE, owner_party="AF")
PK_NOTE = Resource(R.PARTY_NOTE, owner_party="PK")
OPEN_INCIDENT = Resource(R.INCIDENT)
DETERMINED_INCIDENT = Resource(R.INCIDENT, determined=True)
RELEASED_UNDETERMINED = Resource(R.INCIDENT, released=True)
PUBLIC_INCIDENT = Resource(R.INCIDENT, released=True, determined=True)
AF_REPORT = Resource(R.REPORT, owner_party="AF")
PK_REPORT = Resource(R.REPORT, owner_party="PK")
COMMUNITY_REPORT = Resource(R.REPORT, owner_user="reporter-7")
AF_SHARED = Resource(R.SHARED_RECORD, owner_party="AF", shared=True)
PK_ORIGINAL = Resource(R.EVIDENCE_ORIGINAL, owner_party="PK")
MONITOR_ORIGINAL = Resource(R.EVIDENCE_ORIGINAL, owner_user="maya")
ON_TEAM_ORIGINAL = Resource(
    R.EVIDENCE_ORIGINAL, owner_party="PK", team=frozenset({"tariq", "maya"})
)
DISCLOSED_ORIGINAL = Resource(R.EVIDENCE_ORIGINAL, owner_party="PK", disclosed=True)
REDACTED = Resource(R.EVIDENCE_REDACTED)
RELEASED_REDACTED = Resource(R.EVIDENCE_REDACTED, released=True)
IDENTITY = Resource(R.REPORTER_IDENTITY)
AUDIT = Resource(R.AUDIT_LOG)
DRAFT_FINDING = Resource(R.FINDING)
RELEASED_FINDING = Resource(R.FINDING, released=True, determined=True)
FARID_ACCOUNT = Resource(R.USER, owner_user="farid")
FARID_TOKEN = Resource(R.API_TOKEN, owner_user="farid")
CASE = Resource(R.VERIFICATION_CASE)
AF_REPLY = Resource(R.PARTY_REPLY, owner_party="AF")
TARIQ_VIEW = Resource(R.MEMBER_VIEW, owner_user="tariq")
FARID_VIEW = Resource(R.MEMBER_VIEW, owner_user="farid")
COMMITTEE = Resource(R.COMMITTEE)
HAJIS_COMMITTEE = Resource(R.COMMITTEE, team=frozenset({"haji-wali"}))
COMMUNITY_REPORTER = Resource(R.COMMUNITY_REPORTER)
KEEPERS = MEDIATORS | {MONITOR, ELDER}
FARID_NOTICE = Resource(R.NOTIFICATION, owner_user="farid")
WARNING = Resource(R.EARLY_WARNING)
PUBLIC_PERIODIC = Resource(R.PERIODIC_REPORT, released=True)
RESTRICTED_PERIODIC = Resource(R.PERIODIC_REPORT)
AF_REQUEST = Resource(R.ACTION_REQUEST, owner_party="AF")
AF_REQUEST_DELIVERED = Resource(R.ACTION_REQUEST, owner_party="AF", shared=True)
PK_INTEL = Resource(R.INTELLIGENCE, owner_party="PK")
PK_INTEL_RELEASED = Resource(R.INTELLIGENCE, owner_party="PK", disclosed=True)
PK_INTEL_FOR_MONITORS = Resource(R.INTELLIGENCE, owner_party="PK", shared=True)
REGISTRY = Resource(R.GROUP_REGISTRY)
AF_DESIGNATION = Resource(R.DESIGNATION, owner_party="AF")

A = Action
TABLE: list[tuple[str, Resource, Action, set[Principal]]] = [
    ("AF's internal note is read only by AF", AF_NOTE, A.READ, {AF}),
    ("PK's internal note is read only by PK", PK_NOTE, A.READ, {PK}),
    ("AF's internal note is edited only by AF", AF_NOTE, A.UPDATE, {AF}),
    ("only AF shares AF's draft", AF_NOTE, A.SHARE, {AF}),
    ("internal notes are never released", AF_NOTE, A.RELEASE, NOBODY),
    ("open incidents are shared records", OPEN_INCIDENT, A.READ, STAFF | PARTIES | {ADMIN}),
    (
        "released but undetermined is not public",
        RELEASED_UNDETERMINED,
        A.READ,
        STAFF | PARTIES | {ADMIN},
    ),
    ("determined and released incidents are public", PUBLIC_INCIDENT, A.READ, EVERYONE),
    ("mechanism staff open incidents", OPEN_INCIDENT, A.CREATE, STAFF),
    ("mediators and teams update incidents", OPEN_INCIDENT, A.UPDATE, MEDIATORS | {TEAM}),
    ("staff see how reports are linked", Resource(R.INCIDENT_LINK), A.READ, STAFF),
    ("neutral analysts link reports", Resource(R.INCIDENT_LINK), A.CREATE, MEDIATORS | {MONITOR}),
    (
        "neutral analysts merge and split",
        Resource(R.INCIDENT_LINK),
        A.UPDATE,
        MEDIATORS | {MONITOR},
    ),
    ("an undetermined incident cannot be released", OPEN_INCIDENT, A.RELEASE, NOBODY),
    ("the mediator releases a determined incident", DETERMINED_INCIDENT, A.RELEASE, MEDIATORS),
    (
        "the mediator withdraws a published incident, even one reopened since",
        RELEASED_UNDETERMINED,
        A.RELEASE,
        MEDIATORS,
    ),
    ("AF's report: mechanism and AF", AF_REPORT, A.READ, STAFF | {AF}),
    ("PK's report: mechanism and PK", PK_REPORT, A.READ, STAFF | {PK}),
    (
        "a community report: mechanism and its submitter",
        COMMUNITY_REPORT,
        A.READ,
        STAFF | {REPORTER},
    ),
    (
        "nobody files in AF's name but AF (or non-party sources)",
        AF_REPORT,
        A.CREATE,
        EVERYONE - {PK},
    ),
    ("reports are never changed", AF_REPORT, A.UPDATE, NOBODY),
    ("AF's allegation is corrected only by AF", AF_REPORT, A.CORRECT, {AF}),
    ("PK's allegation is corrected only by PK", PK_REPORT, A.CORRECT, {PK}),
    ("a community report is corrected by its submitter", COMMUNITY_REPORT, A.CORRECT, {REPORTER}),
    (
        "a report no account submitted is corrected by the analysts",
        Resource(R.REPORT),
        A.CORRECT,
        MEDIATORS | {MONITOR},
    ),
    ("shared records are seen by both parties", AF_SHARED, A.READ, STAFF | PARTIES),
    ("a shared record in AF's name", AF_SHARED, A.CREATE, MEDIATORS | {TEAM, AF}),
    ("shared records are append-only", AF_SHARED, A.UPDATE, NOBODY),
    ("undisclosed original of PK's evidence", PK_ORIGINAL, A.READ, MEDIATORS | {PK}),
    ("the case's own team reads its originals", ON_TEAM_ORIGINAL, A.READ, STAFF | {PK}),
    ("a monitor reads their own upload", MONITOR_ORIGINAL, A.READ, MEDIATORS | {MONITOR}),
    ("a disclosed original", DISCLOSED_ORIGINAL, A.READ, MEDIATORS | {TEAM, MONITOR} | PARTIES),
    ("PK submits evidence in its own name", PK_ORIGINAL, A.CREATE, STAFF | {PK}),
    ("only the mediator discloses originals", PK_ORIGINAL, A.DISCLOSE, MEDIATORS),
    ("originals are never released", PK_ORIGINAL, A.RELEASE, NOBODY),
    ("redacted derivatives before release", REDACTED, A.READ, STAFF | PARTIES | {ELDER}),
    ("released redacted derivatives are public", RELEASED_REDACTED, A.READ, EVERYONE),
    ("the mediator releases redacted derivatives", REDACTED, A.RELEASE, MEDIATORS),
    ("a reporter's identity is revealed to the custodian only", IDENTITY, A.REVEAL, {CUSTODIAN}),
    ("a reporter's identity is read by the custodian only", IDENTITY, A.READ, {CUSTODIAN}),
    ("intake seals identities", IDENTITY, A.CREATE, STAFF | {ELDER, REPORTER}),
    ("a sealed identity is never changed", IDENTITY, A.UPDATE, NOBODY),
    ("every signed-in role reads the audit log", AUDIT, A.READ, SIGNED_IN),
    ("anyone verifies the audit log", AUDIT, A.VERIFY, EVERYONE),
    ("nobody rewrites the audit log", AUDIT, A.UPDATE, NOBODY),
    ("administrators and mediators sign checkpoints", AUDIT, A.CREATE, MEDIATORS | {ADMIN}),
    (
        "draft findings are shared with the parties",
        DRAFT_FINDING,
        A.READ,
        STAFF | PARTIES | {ADMIN},
    ),
    ("released findings are public", RELEASED_FINDING, A.READ, EVERYONE),
    ("findings are drafted by mediators and teams", DRAFT_FINDING, A.CREATE, MEDIATORS | {TEAM}),
    ("only the mediator releases findings", DRAFT_FINDING, A.RELEASE, MEDIATORS),
    ("an account is seen by its owner and the admin", FARID_ACCOUNT, A.READ, {ADMIN, AF}),
    ("only the admin manages accounts", FARID_ACCOUNT, A.MANAGE, {ADMIN}),
    ("a token is seen by its owner and the admin", FARID_TOKEN, A.READ, {ADMIN, AF}),
    ("only the admin issues tokens", FARID_TOKEN, A.MANAGE, {ADMIN}),
    ("verifications are followed by both parties", CASE, A.READ, STAFF | PARTIES | {ADMIN}),
    ("the mechanism works verifications", CASE, A.UPDATE, STAFF),
    ("the mechanism opens verifications", CASE, A.CREATE, STAFF),
    ("only mediators compose joint teams", CASE, A.MANAGE, MEDIATORS),
    ("only the accused party's liaison replies", AF_REPLY, A.CREATE, {AF}),
    ("a reply is never changed", AF_REPLY, A.UPDATE, NOBODY),
    ("replies are shared records", AF_REPLY, A.READ, STAFF | PARTIES | {ADMIN}),
    ("a member records only their own view", TARIQ_VIEW, A.CREATE, {TEAM}),
    ("a party-nominated member records their own view", FARID_VIEW, A.CREATE, {AF}),
    ("views are never overwritten", TARIQ_VIEW, A.UPDATE, NOBODY),
    ("dissent is visible to both parties", TARIQ_VIEW, A.READ, STAFF | PARTIES | {ADMIN}),
    ("committee records stay with mechanism and liaisons", COMMITTEE, A.READ, STAFF | {ELDER}),
    ("committees are run by their keepers", COMMITTEE, A.CREATE, KEEPERS),
    ("a member is suspended by the keepers", COMMITTEE, A.UPDATE, KEEPERS),
    ("community reporters are seen by pseudonym", COMMUNITY_REPORTER, A.READ, STAFF | {ELDER}),
    ("reporters are registered by a liaison", COMMUNITY_REPORTER, A.CREATE, KEEPERS),
    ("committee records are never released", COMMITTEE, A.RELEASE, NOBODY),
    ("an elder reads their own committee", HAJIS_COMMITTEE, A.READ, STAFF | {ELDER, HAJI}),
    ("an elder records their committee's work", HAJIS_COMMITTEE, A.UPDATE, KEEPERS | {HAJI}),
    ("an elder creates no committee", HAJIS_COMMITTEE, A.CREATE, KEEPERS),
    ("who sits on a committee is for the keepers", HAJIS_COMMITTEE, A.MANAGE, KEEPERS),
    ("an elder never sees community reporters", COMMUNITY_REPORTER, A.UPDATE, KEEPERS),
    ("a notification is read only by its recipient", FARID_NOTICE, A.READ, {AF}),
    ("a notification is marked read only by its recipient", FARID_NOTICE, A.UPDATE, {AF}),
    ("nobody writes notifications by hand", FARID_NOTICE, A.CREATE, NOBODY),
    ("clocks and escalation are shared", WARNING, A.READ, STAFF | PARTIES | {ADMIN}),
    ("mediators configure notification channels", WARNING, A.CREATE, MEDIATORS | {ADMIN}),
    ("the public periodic report is public", PUBLIC_PERIODIC, A.READ, EVERYONE),
    (
        "the restricted report: mediators, teams and parties",
        RESTRICTED_PERIODIC,
        A.READ,
        MEDIATORS | {TEAM, ADMIN} | PARTIES,
    ),
    ("mediators build periodic reports", RESTRICTED_PERIODIC, A.CREATE, MEDIATORS | {ADMIN}),
    ("an undelivered request: mechanism and requester", AF_REQUEST, A.READ, STAFF | {AF}),
    ("a delivered request reaches the addressee", AF_REQUEST_DELIVERED, A.READ, STAFF | PARTIES),
    ("a request is made in one's own party's name", AF_REQUEST, A.CREATE, {AF}),
    ("steps on an undelivered request", AF_REQUEST, A.UPDATE, STAFF | {AF}),
    ("requests are never released", AF_REQUEST, A.RELEASE, NOBODY),
    ("unreleased intelligence: mediator and submitter", PK_INTEL, A.READ, MEDIATORS | {PK}),
    (
        "released intelligence reaches the other party",
        PK_INTEL_RELEASED,
        A.READ,
        MEDIATORS | PARTIES,
    ),
    (
        "intelligence sealed for the monitors",
        PK_INTEL_FOR_MONITORS,
        A.READ,
        MEDIATORS | {PK, TEAM, MONITOR},
    ),
    ("only the submitting party releases its intelligence", PK_INTEL, A.RELEASE, {PK}),
    ("intelligence is filed by a party or the mediator", PK_INTEL, A.CREATE, MEDIATORS | {PK}),
    ("the armed-group registry is public", REGISTRY, A.READ, EVERYONE),
    ("mediators and the admin keep the registry", REGISTRY, A.CREATE, MEDIATORS | {ADMIN}),
    ("neither party edits the registry", REGISTRY, A.UPDATE, MEDIATORS | {ADMIN}),
    ("nobody releases the registry", REGISTRY, A.RELEASE, NOBODY),
    ("a party's designations are public", AF_DESIGNATION, A.READ, EVERYONE),
    (
        "a designation is recorded by its own party or the mediators",
        AF_DESIGNATION,
        A.CREATE,
        MEDIATORS | {ADMIN, AF},
    ),
    ("designations are never deleted or released", AF_DESIGNATION, A.RELEASE, NOBODY),
]


def _label(principal: Principal) -> str:
    return f"{principal.role.value}{'/' + principal.party if principal.party else ''}" + (
        "/custodian" if principal.custodian else ""
    )


@pytest.mark.parametrize(
    ("resource", "action", "allowed"),
    [pytest.param(res, act, allowed, id=name) for name, res, act, allowed in TABLE],
)
def test_permission_table(resource: Resource, action: Action, allowed: set[Principal]) -> None:
    wrongly_refused = {_label(p) for p in allowed if not authorize(p, action, resource).allowed}
    wrongly_allowed = {
        _label(p) for p in EVERYONE - allowed if authorize(p, action, resource).allowed
    }
    assert not wrongly_refused, f"should be allowed: {sorted(wrongly_refused)}"
    assert not wrongly_allowed, f"should be refused: {sorted(wrongly_allowed)}"


def test_the_table_covers_every_resource_type() -> None:
    covered = {resource.type for _, resource, _, _ in TABLE}
    assert covered == set(ResourceType) == set(RULES)


@pytest.mark.parametrize("action", list(Action))
def test_a_party_never_reaches_the_other_partys_internal_notes(action: Action) -> None:
    assert not authorize(PK, action, AF_NOTE).allowed
    assert not authorize(AF, action, PK_NOTE).allowed
    decision = authorize(PK, Action.READ, AF_NOTE)
    assert "AF" in decision.reason and "never" in decision.reason


@pytest.mark.parametrize("principal", sorted(EVERYONE - {AF}, key=_label), ids=_label)
def test_nobody_but_the_party_itself_reads_its_notes_not_even_mediators_or_admin(
    principal: Principal,
) -> None:
    assert not authorize(principal, Action.READ, AF_NOTE).allowed


@pytest.mark.parametrize("principal", sorted(EVERYONE - {CUSTODIAN}, key=_label), ids=_label)
def test_a_reporters_identity_is_refused_to_all_but_the_custodian(principal: Principal) -> None:
    for action in (Action.READ, Action.REVEAL):
        decision = authorize(principal, action, IDENTITY)
        assert not decision.allowed
        assert "custodian" in decision.reason


@pytest.mark.parametrize("principal", [AF, ELDER, REPORTER, PUBLIC, ADMIN], ids=_label)
def test_an_undisclosed_evidence_original_is_restricted_to_the_mechanism(
    principal: Principal,
) -> None:
    decision = authorize(principal, Action.READ, PK_ORIGINAL)
    assert not decision.allowed
    assert "undisclosed" in decision.reason


def test_require_raises_with_the_reason() -> None:
    with pytest.raises(AccessDenied, match="never visible to PK") as caught:
        require(PK, Action.READ, AF_NOTE)
    assert caught.value.principal == PK


def test_a_token_can_do_no_more_than_its_scopes_allow() -> None:
    machine = Principal("farid", Role.PARTY_LIAISON, "AF", scopes=frozenset({"intake:write"}))
    assert authorize(machine, Action.CREATE, AF_REPORT).allowed
    refused = authorize(machine, Action.READ, OPEN_INCIDENT)
    assert not refused.allowed and "incidents:read" in refused.reason


def test_a_scope_never_widens_the_role() -> None:
    machine = Principal("sana", Role.PARTY_LIAISON, "PK", scopes=frozenset({"notes:read"}))
    assert not authorize(machine, Action.READ, AF_NOTE).allowed


def test_could_ever_separates_roles_that_never_reach_a_type() -> None:
    assert could_ever(PUBLIC, Action.READ, ResourceType.INCIDENT).allowed
    assert not could_ever(PUBLIC, Action.READ, ResourceType.PARTY_NOTE).allowed
    assert not could_ever(MEDIATOR, Action.REVEAL, ResourceType.REPORTER_IDENTITY).allowed
    assert could_ever(CUSTODIAN, Action.REVEAL, ResourceType.REPORTER_IDENTITY).allowed


@given(
    owner=st.sampled_from(["AF", "PK"]),
    shared=st.booleans(),
    released=st.booleans(),
    determined=st.booleans(),
    disclosed=st.booleans(),
    action=st.sampled_from(list(Action)),
)
def test_whatever_its_flags_a_party_note_never_reaches_anyone_but_its_party(
    owner: str, shared: bool, released: bool, determined: bool, disclosed: bool, action: Action
) -> None:
    note = Resource(R.PARTY_NOTE, owner, None, shared, released, determined, disclosed)
    reached = {p for p in EVERYONE if authorize(p, action, note).allowed}
    assert all(p.role is Role.PARTY_LIAISON and p.party == owner for p in reached)


def test_every_refusal_explains_itself() -> None:
    for _, resource, _, _ in TABLE:
        for action in Action:
            for principal in EVERYONE:
                assert authorize(principal, action, resource).reason.strip()
