"""The access rules, one function per resource type (pure, no I/O).

Each rule answers for one ``ResourceType`` with a ``Decision`` whose reason a
person can read. ``RULES`` maps every type to its rule; ``policy.authorize``
consults it after the token scope check. Add a rule here together with its
``ResourceType`` and its rows in ``tests/unit/accounts/test_policy.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from truceline.accounts.permissions import (
    ANALYSTS,
    INTAKE_ROLES,
    MECHANISM_STAFF,
    Action,
    Decision,
    Resource,
    ResourceType,
    allow,
    refuse,
)
from truceline.accounts.policy_designations import designation_rule, group_registry_rule
from truceline.accounts.policy_requests import action_request_rule, intelligence_rule
from truceline.accounts.roles import Principal, Role


def _is_own_party(principal: Principal, resource: Resource) -> bool:
    return (
        principal.role is Role.PARTY_LIAISON
        and principal.party is not None
        and resource.owner_party == principal.party
    )


def _is_public_output(resource: Resource) -> bool:
    return resource.released and resource.determined


def incident_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.READ:
        if _is_public_output(resource):
            return allow("the incident is determined and released")
        if role in MECHANISM_STAFF | {Role.PARTY_LIAISON, Role.ADMIN}:
            return allow("incidents are shared records of the mechanism and both parties")
        return refuse("the incident is not yet determined and released to the public")
    if action is Action.CREATE and role in MECHANISM_STAFF:
        return allow("mechanism staff open incidents")
    if action is Action.UPDATE and role in {Role.MEDIATOR, Role.TEAM_MEMBER}:
        return allow("mediators and verification teams update incidents")
    if action is Action.RELEASE and role is Role.MEDIATOR:
        if resource.released:
            return allow("the mediator withdraws published incidents")
        if not resource.determined:
            return refuse("only a determined incident can be released")
        return allow("the mediator releases determined incidents")
    return refuse(f"a {role.value} may not {action.value} incidents")


def incident_link_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    """Linking, merging, splitting and undoing shape what each incident is; neither party
    (nor a party-nominated team member) may do it, so both can trust the record's shape."""
    role = principal.role
    if action is Action.READ and role in MECHANISM_STAFF:
        return allow("mechanism staff see how reports are bound into incidents")
    if action in {Action.CREATE, Action.UPDATE} and role in ANALYSTS:
        return allow("the mechanism's neutral analysts link reports and merge or split incidents")
    return refuse(
        f"a {role.value} may not {action.value} incident links: "
        "that is for the mechanism's neutral analysts (mediators, field monitors)"
    )


def report_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.CREATE:
        if role is Role.PARTY_LIAISON:
            if resource.owner_party not in (None, principal.party):
                return refuse("a party liaison files reports only in the name of their own party")
            return allow("a party files its allegations")
        return allow("anyone may submit an account of an event (rate-limited, graded on intake)")
    if action is Action.UPDATE:
        return refuse("reports are kept verbatim and never changed; file a new version")
    if action is Action.CORRECT:
        return _report_correction(principal, resource)
    if action is Action.ANNOTATE:
        if role in MECHANISM_STAFF:
            return allow("the mechanism annotates a report in its own name, leaving it unchanged")
        return refuse(f"a {role.value} may not annotate reports")
    if action is not Action.READ:
        return refuse(f"a {role.value} may not {action.value} reports")
    if role in MECHANISM_STAFF:
        return allow("mechanism staff read every report")
    if role is Role.PARTY_LIAISON:
        if _is_own_party(principal, resource):
            return allow("a party reads the reports it filed")
        return refuse("a party reads only its own reports; the other party's reach it as incidents")
    if role in {Role.COMMUNITY_LIAISON, Role.COMMUNITY_REPORTER} and (
        resource.owner_user == principal.name
    ):
        return allow("a submitter reads their own report")
    return refuse(f"a {role.value} may not read this report")


def _report_correction(principal: Principal, resource: Resource) -> Decision:
    """A correction stays in the source's name, so only the source may file it.

    A party's allegation is corrected only by that party's liaisons; the mechanism
    (mediators, monitors, the administrator) annotates it instead, in its own name.
    """
    owner = resource.owner_party
    if owner is not None:
        if _is_own_party(principal, resource):
            return allow("a party corrects its own allegation")
        return refuse(
            f"a report in the name of {owner} is corrected only by {owner}'s liaisons; "
            "add an annotation in your own name instead"
        )
    if principal.signed_in and resource.owner_user == principal.name:
        return allow("the submitter corrects their own report")
    if resource.owner_user is None and principal.role in ANALYSTS:
        return allow("the mechanism's analysts correct reports that no account submitted")
    return refuse("a report is corrected only by its submitter; add an annotation instead")


def party_note_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    owner = resource.owner_party
    if principal.role is not Role.PARTY_LIAISON:
        return refuse("a party's internal notes and drafts are visible only to that party")
    if owner is not None and owner != principal.party:
        return refuse(f"internal notes of {owner} are never visible to {principal.party}")
    if action in {Action.READ, Action.CREATE, Action.UPDATE, Action.SHARE}:
        return allow("a party works on its own internal notes")
    return refuse(f"internal notes cannot be {action.value}d")


def shared_record_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.READ:
        if role in MECHANISM_STAFF | {Role.PARTY_LIAISON}:
            return allow("shared records are visible to both parties and the mechanism")
        return refuse(f"a {role.value} may not read records shared between the parties")
    if action is Action.CREATE:
        if role in {Role.MEDIATOR, Role.TEAM_MEMBER}:
            return allow("the mechanism adds shared records")
        if role is Role.PARTY_LIAISON and resource.owner_party in (None, principal.party):
            return allow("a party shares a record in its own name")
        return refuse("a shared record is filed by the mechanism or in one's own party's name")
    return refuse("shared records are append-only; add a new version instead")


def evidence_original_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    """Undisclosed originals stay with the mediators, the case's own joint team and the
    submitter: a team member or monitor reads those of the cases they sit on, never others'."""
    role = principal.role
    if action is Action.READ:
        if role is Role.MEDIATOR:
            return allow("mediators examine evidence originals")
        if role in {Role.TEAM_MEMBER, Role.FIELD_MONITOR} and resource.on_team(principal):
            return allow("the case's joint team examines its evidence originals")
        if _is_own_party(principal, resource) or (
            role is Role.FIELD_MONITOR and resource.owner_user == principal.name
        ):
            return allow("the submitter of evidence may read its original")
        if resource.disclosed and role in {
            Role.PARTY_LIAISON,
            Role.FIELD_MONITOR,
            Role.TEAM_MEMBER,
        }:
            return allow("the original was disclosed to the parties")
        return refuse(
            "an undisclosed evidence original is restricted to the mechanism: "
            "the mediators and the joint team of its own case"
        )
    if action is Action.CREATE:
        if role in MECHANISM_STAFF or _is_own_party(principal, resource):
            return allow("evidence is submitted by the mechanism or a party in its own name")
        return refuse(f"a {role.value} may not submit evidence originals")
    if action is Action.DISCLOSE and role is Role.MEDIATOR:
        return allow("the mediator decides to disclose an original")
    return refuse(f"a {role.value} may not {action.value} evidence originals")


def evidence_redacted_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.READ:
        if resource.released:
            return allow("a released redacted derivative is public")
        if role in MECHANISM_STAFF | {Role.PARTY_LIAISON, Role.COMMUNITY_LIAISON}:
            return allow("redacted derivatives are shared with the parties and the community")
        return refuse("this redacted derivative is not released to the public")
    if action is Action.CREATE and role in {Role.MEDIATOR, Role.TEAM_MEMBER}:
        return allow("the mechanism produces redacted derivatives")
    if action is Action.RELEASE and role is Role.MEDIATOR:
        return allow("the mediator releases redacted derivatives")
    return refuse(f"a {role.value} may not {action.value} redacted evidence")


def reporter_identity_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    if action is Action.CREATE:
        if principal.role in INTAKE_ROLES:
            return allow("intake seals a reporter's identity to the custodian key")
        return refuse(f"a {principal.role.value} does not register community reporters")
    if action in {Action.READ, Action.REVEAL}:
        if principal.role is Role.MEDIATOR and principal.custodian:
            return allow("the custodian mediator may reveal an identity with the custodian key")
        return refuse("a reporter's identity is revealed only to the custodian mediator")
    return refuse("a protected identity cannot be changed; seal a new one")


def audit_log_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    """Checkpoints, keys and proofs are public (``VERIFY``): a witness fetches them and posts a
    cosignature with no account, its key being its credential. Entries need an account."""
    if action is Action.VERIFY:
        return allow("anyone can verify the log's signatures and proofs, and witness checkpoints")
    if action is Action.CREATE:
        if principal.role in {Role.ADMIN, Role.MEDIATOR}:
            return allow("an administrator or mediator signs a checkpoint of the log")
        return refuse("only an administrator or mediator signs a checkpoint")
    if action is Action.READ:
        if principal.signed_in:
            return allow("every signed-in participant reads the audit log")
        return refuse("reading audit entries needs a signed-in account; checkpoints are public")
    return refuse("the audit log is append-only and written only by the system")


def finding_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.READ:
        if resource.released:
            return allow("released findings are public")
        if role in MECHANISM_STAFF | {Role.PARTY_LIAISON, Role.ADMIN}:
            return allow("findings are shared with both parties before release")
        return refuse("this finding is not released to the public")
    if action is Action.CREATE and role in {Role.MEDIATOR, Role.TEAM_MEMBER}:
        return allow("mediators and verification teams draft findings")
    if action in {Action.UPDATE, Action.RELEASE} and role is Role.MEDIATOR:
        return allow(f"the mediator may {action.value} findings")
    return refuse(f"a {role.value} may not {action.value} findings")


def account_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    if principal.role is Role.ADMIN:
        return allow("the administrator manages accounts and tokens")
    if action is Action.READ and principal.signed_in and resource.owner_user == principal.name:
        return allow("everyone may see their own account and tokens")
    return refuse("only the administrator manages accounts and API tokens")


def verification_case_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    """The mechanism runs verifications; the state machine then says which role takes which step."""
    role = principal.role
    if action is Action.READ:
        if role in MECHANISM_STAFF | {Role.PARTY_LIAISON, Role.ADMIN}:
            return allow("verification is shared with both parties and the mechanism")
        return refuse(f"a {role.value} may not follow verifications")
    if action in {Action.CREATE, Action.UPDATE} and role in MECHANISM_STAFF:
        return allow("mechanism staff open and work verifications")
    if action is Action.MANAGE and role is Role.MEDIATOR:
        return allow("the mediator composes joint verification teams")
    return refuse(f"a {role.value} may not {action.value} verifications")


def party_reply_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.READ:
        if role in MECHANISM_STAFF | {Role.PARTY_LIAISON, Role.ADMIN}:
            return allow("a party's reply is part of the shared record")
        return refuse(f"a {role.value} may not read replies before release")
    if action is Action.CREATE:
        if _is_own_party(principal, resource):
            return allow("the accused party replies through its liaison")
        return refuse("only the accused party's liaison may file its reply")
    return refuse("a reply is part of the record and is never changed")


def member_view_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.READ:
        if role in MECHANISM_STAFF | {Role.PARTY_LIAISON, Role.ADMIN}:
            return allow("team members' views, dissent included, are shared with both parties")
        return refuse(f"a {role.value} may not read team members' views before release")
    if action is Action.CREATE:
        if principal.signed_in and resource.owner_user == principal.name:
            return allow("a team member records their own view")
        return refuse("a view is recorded only by the team member who holds it")
    return refuse("views are append-only: record a new view, the old one is kept")


COMMUNITY_KEEPERS = frozenset({Role.MEDIATOR, Role.FIELD_MONITOR, Role.COMMUNITY_LIAISON})


def committee_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    """A committee's ``team`` is the accounts of its active members: an elder reads and works
    (meetings, jirgas, local resolution, escalation) only the committee they sit on. Who is a
    member, and who signs in as one (``MANAGE``), is for the keepers alone."""
    role = principal.role
    if role is Role.ELDER:
        if action in {Action.READ, Action.UPDATE} and resource.on_team(principal):
            return allow("a committee member reads and records the work of their own committee")
        return refuse(
            f"an elder may not {action.value} committee records other than their own committee's"
        )
    if action is Action.READ:
        if role in MECHANISM_STAFF | {Role.COMMUNITY_LIAISON}:
            return allow("committee records are kept by the mechanism and the community liaisons")
        return refuse("committee records are not shared beyond the mechanism, to protect members")
    if action in {Action.CREATE, Action.UPDATE, Action.MANAGE} and role in COMMUNITY_KEEPERS:
        return allow("mediators, field monitors and community liaisons run the committees")
    return refuse(f"a {role.value} may not {action.value} committee records")


def community_reporter_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.READ:
        if role in MECHANISM_STAFF | {Role.COMMUNITY_LIAISON}:
            return allow("the mechanism and the community liaisons see reporters by pseudonym")
        return refuse("community reporters are known only to the mechanism, by pseudonym")
    if action in {Action.CREATE, Action.UPDATE} and role in COMMUNITY_KEEPERS:
        return allow("a committee's liaison or the mechanism registers and suspends reporters")
    return refuse(f"a {role.value} may not {action.value} community reporters")


def notification_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    if action not in {Action.READ, Action.UPDATE}:
        return refuse("notifications are written only by the system")
    if principal.signed_in and resource.owner_user == principal.name:
        return allow("everyone reads and marks their own notifications")
    return refuse("a notification is visible only to the person it is addressed to")


def early_warning_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.READ:
        if role in MECHANISM_STAFF | {Role.PARTY_LIAISON, Role.ADMIN}:
            return allow("cooling-off clocks and escalation figures are shared with both parties")
        return refuse("early-warning figures are restricted to the mechanism and the parties")
    if action in {Action.CREATE, Action.MANAGE} and role in {Role.MEDIATOR, Role.ADMIN}:
        return allow("mediators and the administrator configure notification channels")
    return refuse(f"a {role.value} may not {action.value} early-warning settings")


def periodic_report_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.READ:
        if resource.released:
            return allow("the public periodic report is published")
        if role in {Role.MEDIATOR, Role.TEAM_MEMBER, Role.PARTY_LIAISON, Role.ADMIN}:
            return allow("the restricted report goes to the mediators and both parties")
        return refuse("the restricted report is for the mediators and the parties")
    if action is Action.CREATE and role in {Role.MEDIATOR, Role.ADMIN}:
        return allow("mediators build periodic reports")
    return refuse(f"a {role.value} may not {action.value} periodic reports")


Rule = Callable[[Principal, Action, Resource], Decision]

RULES: dict[ResourceType, Rule] = {
    ResourceType.INCIDENT: incident_rule,
    ResourceType.INCIDENT_LINK: incident_link_rule,
    ResourceType.REPORT: report_rule,
    ResourceType.PARTY_NOTE: party_note_rule,
    ResourceType.SHARED_RECORD: shared_record_rule,
    ResourceType.EVIDENCE_ORIGINAL: evidence_original_rule,
    ResourceType.EVIDENCE_REDACTED: evidence_redacted_rule,
    ResourceType.REPORTER_IDENTITY: reporter_identity_rule,
    ResourceType.AUDIT_LOG: audit_log_rule,
    ResourceType.FINDING: finding_rule,
    ResourceType.USER: account_rule,
    ResourceType.API_TOKEN: account_rule,
    ResourceType.VERIFICATION_CASE: verification_case_rule,
    ResourceType.PARTY_REPLY: party_reply_rule,
    ResourceType.MEMBER_VIEW: member_view_rule,
    ResourceType.COMMITTEE: committee_rule,
    ResourceType.COMMUNITY_REPORTER: community_reporter_rule,
    ResourceType.NOTIFICATION: notification_rule,
    ResourceType.EARLY_WARNING: early_warning_rule,
    ResourceType.PERIODIC_REPORT: periodic_report_rule,
    ResourceType.ACTION_REQUEST: action_request_rule,
    ResourceType.INTELLIGENCE: intelligence_rule,
    ResourceType.GROUP_REGISTRY: group_registry_rule,
    ResourceType.DESIGNATION: designation_rule,
}
