"""Community reporters: registration by a committee or liaison, and the reliability history.

A reporter is registered with their identity (name, phone, village), which is
sealed to the custodian key at once; the system keeps a pseudonym, the
committee that vouched for them, and the phone number in the two protected
forms of ``community.phones``.

The reliability history is read from how the reporter's past reports were
verified: the verification state of the incident each accepted report is
linked to (``Incident.verification_state``). It gives the source-reliability
grade (A–F) that the reporter's next report carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.identities import protect_identity
from truceline.accounts.policy import Action, Resource, ResourceType, require
from truceline.accounts.roles import Principal
from truceline.accounts.sealing import IdentityDetails
from truceline.audit.log import add_logged
from truceline.community.grammar import LANGUAGES
from truceline.community.models import Committee, CommunityReporter, InboundMessage
from truceline.community.phones import PhoneVault
from truceline.errors import CodedError
from truceline.incidents.models import Incident, IncidentReportLink

REPORTER = Resource(ResourceType.COMMUNITY_REPORTER)
CONFIRMED = "determined"
NOT_CONFIRMED = frozenset({"refuted"})
UNVERIFIABLE = "closed_unverifiable"
#: Verified reports needed before the history says anything (below: grade F, "cannot be judged").
MIN_VERIFIED = 3


class ReporterError(CodedError, ValueError):
    """A registration refused; the message names the field at fault."""

    default_code = "reporter_refused"


def register_reporter(
    session: Session,
    details: IdentityDetails,
    *,
    committee: Committee | None,
    language: str,
    principal: Principal,
    vault: PhoneVault,
    keys_dir: Path,
) -> CommunityReporter:
    """Seal the identity (to the custodian key in ``keys_dir``), keep the pseudonym and the
    protected phone; audited."""
    require(principal, Action.CREATE, REPORTER)
    if language not in LANGUAGES:
        raise ReporterError(f"language {language!r}: expected one of {', '.join(LANGUAGES)}")
    if not details.phone.strip():
        raise ReporterError("phone: a reporter needs the number they will send from")
    digest = vault.digest(details.phone)
    taken = session.scalars(
        select(CommunityReporter.pseudonym).where(CommunityReporter.phone_digest == digest)
    ).first()
    if taken is not None:
        raise ReporterError(f"phone: this number is already registered, as {taken}")
    sealed = protect_identity(
        session, details, kind="community_reporter", principal=principal, keys_dir=keys_dir
    )
    reporter = CommunityReporter(
        pseudonym=sealed.pseudonym,
        committee_id=committee.id if committee else None,
        registered_by=principal.name,
        phone_digest=digest,
        phone_sealed=vault.seal(details.phone),
        language=language,
    )
    add_logged(
        session,
        reporter,
        actor=principal.as_actor(),
        action="community.reporter_registered",
        object_type="community_reporter",
        object_id=lambda reporter: reporter.pseudonym,
        after={"committee": committee.code if committee else None, "language": language},
    )
    return reporter


def reporter_by_pseudonym(session: Session, pseudonym: str) -> CommunityReporter:
    reporter = session.scalars(
        select(CommunityReporter).where(CommunityReporter.pseudonym == pseudonym)
    ).first()
    if reporter is None:
        raise ReporterError(f"no community reporter {pseudonym!r}")
    return reporter


@dataclass(frozen=True)
class ReliabilityHistory:
    """How a reporter's accepted reports fared in verification."""

    reports: int
    confirmed: int
    not_confirmed: int
    unverifiable: int
    pending: int

    @property
    def verified(self) -> int:
        return self.confirmed + self.not_confirmed

    @property
    def grade(self) -> str:
        """Source reliability (A–F) from the share of verified reports that were confirmed."""
        if self.verified < MIN_VERIFIED:
            return "F"
        share = self.confirmed / self.verified
        for threshold, grade in ((0.9, "A"), (0.75, "B"), (0.5, "C"), (0.25, "D")):
            if share >= threshold:
                return grade
        return "E"

    def as_json(self) -> dict[str, object]:
        return {
            "reports": self.reports,
            "confirmed": self.confirmed,
            "not_confirmed": self.not_confirmed,
            "unverifiable": self.unverifiable,
            "pending": self.pending,
            "grade": self.grade,
        }


def reliability_history(session: Session, reporter: CommunityReporter) -> ReliabilityHistory:
    rows = session.execute(
        select(InboundMessage.report_id, Incident.verification_state)
        .outerjoin(
            IncidentReportLink,
            (IncidentReportLink.report_id == InboundMessage.report_id)
            & IncidentReportLink.unlinked_at.is_(None),
        )
        .outerjoin(Incident, Incident.id == IncidentReportLink.incident_id)
        .where(InboundMessage.reporter_id == reporter.id, InboundMessage.report_id.is_not(None))
    ).all()
    states = {report_id: state for report_id, state in rows}
    values = list(states.values())
    confirmed = values.count(CONFIRMED)
    not_confirmed = sum(1 for s in values if s in NOT_CONFIRMED)
    unverifiable = values.count(UNVERIFIABLE)
    return ReliabilityHistory(
        reports=len(values),
        confirmed=confirmed,
        not_confirmed=not_confirmed,
        unverifiable=unverifiable,
        pending=len(values) - confirmed - not_confirmed - unverifiable,
    )
