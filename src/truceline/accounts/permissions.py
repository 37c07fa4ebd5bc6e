"""The vocabulary of the access policy: actions, resource types, resources, decisions.

Kept apart from the rules (``policy_rules``) and the decision functions
(``policy``) so that each stays short; everyone imports these names from
``truceline.accounts.policy``, which re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from truceline.accounts.roles import Principal, Role
from truceline.errors import CodedError


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    SHARE = "share"  # a party turns its internal draft into a shared record
    RELEASE = "release"  # make public
    DISCLOSE = "disclose"  # give the parties access to an evidence original
    REVEAL = "reveal"  # decrypt a protected identity
    VERIFY = "verify"  # check signatures and proofs
    MANAGE = "manage"  # administer accounts and tokens
    CORRECT = "correct"  # file a new version that supersedes a record in its author's name
    ANNOTATE = "annotate"  # attach an attributed note to a record without changing it


class ResourceType(StrEnum):
    INCIDENT = "incident"
    INCIDENT_LINK = "incident_link"  # reports bound into incidents; merges, splits, undos
    REPORT = "report"
    PARTY_NOTE = "party_note"
    SHARED_RECORD = "shared_record"
    EVIDENCE_ORIGINAL = "evidence_original"
    EVIDENCE_REDACTED = "evidence_redacted"
    REPORTER_IDENTITY = "reporter_identity"
    AUDIT_LOG = "audit_log"
    FINDING = "finding"
    USER = "user"
    API_TOKEN = "api_token"
    VERIFICATION_CASE = "verification_case"
    PARTY_REPLY = "party_reply"
    MEMBER_VIEW = "member_view"
    COMMITTEE = "committee"  # local committees, members, meetings, local decisions
    COMMUNITY_REPORTER = "community_reporter"  # registrations and their messages
    NOTIFICATION = "notification"
    EARLY_WARNING = "early_warning"
    PERIODIC_REPORT = "periodic_report"
    ACTION_REQUEST = "action_request"  # a party's request for action addressed to the other
    INTELLIGENCE = "intelligence_package"  # sealed intelligence shared under controlled disclosure
    GROUP_REGISTRY = "group_registry"  # armed groups, aliases, relations, listings; process steps
    DESIGNATION = "designation"  # a party's position on a group and the evidence it asserts


@dataclass(frozen=True)
class Resource:
    """The facts about one record that access depends on.

    The last three describe the verification case a record belongs to (a case
    itself, a piece of its evidence): its state (``None`` when no case is open
    yet), the names on its active joint team, and whether the accused party's
    right of reply is open. For a case, ``owner_party`` is the accused party.
    """

    type: ResourceType
    owner_party: str | None = None
    owner_user: str | None = None
    shared: bool = False
    released: bool = False
    determined: bool = False
    disclosed: bool = False
    case_state: str | None = None
    team: frozenset[str] = frozenset()
    reply_open: bool = False

    def on_team(self, principal: Principal) -> bool:
        """Whether the principal sits on the joint team of the case this record belongs to."""
        return principal.signed_in and principal.name in self.team


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


class AccessDenied(CodedError, PermissionError):
    """Raised by ``require``; carries the refusal so the web layer can explain it."""

    default_code = "access_denied"

    def __init__(self, decision: Decision, principal: Principal) -> None:
        super().__init__(decision.reason)
        self.decision = decision
        self.principal = principal


def allow(reason: str) -> Decision:
    return Decision(True, reason)


def refuse(reason: str) -> Decision:
    return Decision(False, reason)


MECHANISM_STAFF = frozenset({Role.MEDIATOR, Role.TEAM_MEMBER, Role.FIELD_MONITOR})
INTAKE_ROLES = MECHANISM_STAFF | {Role.COMMUNITY_LIAISON, Role.COMMUNITY_REPORTER}
#: The mechanism's neutral analysts: they decide how reports are bound into incidents.
ANALYSTS = frozenset({Role.MEDIATOR, Role.FIELD_MONITOR})
READ_ACTIONS = frozenset({Action.READ, Action.VERIFY})
