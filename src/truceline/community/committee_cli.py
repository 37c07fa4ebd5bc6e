"""``truceline community …`` commands for committees, meetings and jirgas, and local cases.

- ``committees`` / ``show CODE``: the committees the user may read; one committee with
  its members (pseudonyms), meetings and jirgas, and local cases with their progress;
- ``create --district KEY --name NAME``; ``add-member CODE --name … --role elder``
  (identity sealed; ``--account`` lets the member sign in); ``link-account PSEUDONYM ACCOUNT``;
- ``record-meeting CODE --kind jirga --held-at … --place … --attendee P --issue … --outcome …
  --follow-up "ACTION|OWNER|YYYY-MM-DD" --incident REF``; ``follow-up-done ID``;
- ``resolve INCIDENT --committee CODE --outcome TEXT`` and
  ``escalate INCIDENT --committee CODE --reason TEXT``.

Every command acts as ``--as USER`` (checked by the policy; default: the server's
operator, a mediator) and takes ``--json``. Refusals exit 1 naming the field and the
reason; malformed options exit 2.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NoReturn

import typer
from sqlalchemy.orm import Session

from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Principal
from truceline.accounts.sealing import IdentityDetails
from truceline.accounts.services import AccountError, principal_for, require_user
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.community import committees as svc
from truceline.community import local_cases
from truceline.community.access import readable_committees
from truceline.community.cli import OPERATOR, community_app
from truceline.community.registry import UnknownDistrict
from truceline.community.views import committee_summary, committee_view
from truceline.config import get_settings
from truceline.db.engine import transaction

AsOption = typer.Option(None, "--as", help="The accounts user acting (default: the operator).")
CommitteeOption = typer.Option(..., "--committee", help="The committee's code (CMT-…).")
MeetingOption = typer.Option(None, "--meeting", help="The meeting or jirga that decided (its id).")
RoleOption = typer.Option(svc.MemberRole.ELDER, "--role")
FromOption = typer.Option(..., "--from", formats=["%Y-%m-%d"])
ToOption = typer.Option(..., "--to", formats=["%Y-%m-%d"])
KindOption = typer.Option(svc.MeetingKind.JIRGA, "--kind")
HeldAtOption = typer.Option(..., "--held-at", help="ISO date and time, with offset.")
AttendeeOption = typer.Option([], "--attendee", help="A member's pseudonym (repeat).")
IssueOption = typer.Option([], "--issue", help="An issue raised (repeat).")
OutcomeListOption = typer.Option([], "--outcome", help="What was agreed (repeat).")
FollowUpOption = typer.Option([], "--follow-up", help="ACTION|OWNER|YYYY-MM-DD.")
IncidentListOption = typer.Option([], "--incident", help="An incident discussed (repeat).")


def _principal(session: Session, as_user: str | None) -> Principal:
    if as_user is None:
        return OPERATOR
    user = require_user(session, as_user)
    if user.disabled:
        raise AccountError(f"user {as_user!r} is disabled")
    return principal_for(user)


def _refuse(payload: dict[str, Any], as_json: bool) -> NoReturn:
    emit(payload, as_json=as_json,
         human=lambda: stderr.print(f"[red]refused:[/red] {payload['reason']}"))  # fmt: skip
    raise typer.Exit(EXIT_REJECTED)


def run(as_json: bool, as_user: str | None, work: Callable[[Session, Principal], Any]) -> Any:
    """Run ``work`` in one transaction; a refusal exits 1 with its field and reason."""
    try:
        with transaction() as session:
            return work(session, _principal(session, as_user))
    except svc.CommitteeError as error:
        _refuse({"error": error.code, "field": error.field, "reason": str(error)}, as_json)
    except UnknownDistrict as error:
        _refuse({"error": "unknown_district", "field": "district", "reason": str(error)}, as_json)
    except (AccessDenied, AccountError) as error:
        _refuse({"error": "refused", "field": None, "reason": str(error).strip("'\"")}, as_json)


@community_app.command("committees")
def committees_command(as_user: str | None = AsOption, as_json: bool = JsonOption) -> None:
    """List the committees you may read."""
    rows = run(as_json, as_user, lambda s, p: [committee_summary(s, c) for c in
                                                 readable_committees(s, p)])  # fmt: skip

    def human() -> None:
        for row in rows:
            print(f"{row['code']:<12} {row['district_key']:<28} {row['name']}")

    emit({"committees": rows, "count": len(rows)}, as_json=as_json, human=human)


@community_app.command("show")
def show_command(code: str, as_user: str | None = AsOption, as_json: bool = JsonOption) -> None:
    """One committee: members, meetings and jirgas, local cases and their progress."""
    view = run(as_json, as_user, lambda s, p: committee_view(
        s, svc.committee_by_code(s, code), principal=p))  # fmt: skip

    def human() -> None:
        print(f"{view['code']}  {view['name']}  ({view['district_name']})")
        for m in view["members"]:
            print(f"  member  {m['pseudonym']}  {m['role']}  {m['status']}  until {m['term_end']}")
        for m in view["meetings"]:
            print(f"  {m['kind']:<7} #{m['id']} {m['held_at'][:16]} {m['place']}: "
                  f"{m['attendance']} present; agreed: {'; '.join(m['outcome']) or '-'}")  # fmt: skip
        for c in view["cases"]:
            print(f"  case    {c['incident']}  {c['decision'] or 'discussed'}  state {c['state']}"
                  f"  {c['overdue']} overdue")  # fmt: skip

    emit(view, as_json=as_json, human=human)


@community_app.command("create")
def create_command(
    district: str = typer.Option(..., "--district", help="Border district key, e.g. AF:barmal."),
    name: str = typer.Option(..., "--name", help="The committee's name."),
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Create a district's liaison committee (mediators, field monitors, community liaisons)."""
    made = run(as_json, as_user, lambda s, p: committee_summary(
        s, svc.create_committee(s, district_key=district, name=name, principal=p)))  # fmt: skip
    emit(made, as_json=as_json, human=lambda: print(made["code"]))


@community_app.command("add-member")
def add_member_command(
    code: str,
    name: str = typer.Option(..., "--name", help="Sealed to the custodian key, never stored."),
    phone: str = typer.Option("", "--phone", help="Sealed with the name."),
    village: str = typer.Option("", "--village", help="Sealed with the name."),
    role: svc.MemberRole = RoleOption,
    term_start: datetime = FromOption,
    term_end: datetime = ToOption,
    account: str | None = typer.Option(None, "--account", help="An elder account to sign in."),
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Add a member by pseudonym; their identity is sealed at once."""

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        member = svc.add_member(
            session, svc.committee_by_code(session, code),
            IdentityDetails(name=name, phone=phone, village=village), role=role,
            term_start=term_start.date(), term_end=term_end.date(), principal=principal,
            keys_dir=get_settings().resolved_keys_dir,
        )  # fmt: skip
        if account:
            svc.link_account(session, member.pseudonym, account, principal=principal)
        return {"pseudonym": member.pseudonym, "committee": code, "role": member.role,
                "signs_in": member.account is not None}  # fmt: skip

    added = run(as_json, as_user, work)
    emit(added, as_json=as_json, human=lambda: print(added["pseudonym"]))


@community_app.command("link-account")
def link_account_command(
    pseudonym: str,
    account: str = typer.Argument(..., help="An elder's account; '-' unlinks."),
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Let a member sign in with an elder account (or '-' to stop it)."""
    target = None if account == "-" else account
    member = run(as_json, as_user, lambda s, p: svc.link_account(s, pseudonym, target, principal=p))
    payload = {"pseudonym": pseudonym, "signs_in": target is not None, "status": member.status}
    emit(payload, as_json=as_json, human=lambda: print(f"{pseudonym}: {account}"))


def parse_follow_up(text: str, index: int, as_json: bool) -> svc.FollowUp:
    parts = [part.strip() for part in text.split("|")]
    try:
        if len(parts) != 3:
            raise ValueError("expected three parts")
        return svc.FollowUp(parts[0], parts[1], date.fromisoformat(parts[2]))
    except ValueError:
        usage_error(f"--follow-up #{index + 1} {text!r}: expected ACTION|OWNER|YYYY-MM-DD",
                    as_json=as_json)  # fmt: skip


@community_app.command("record-meeting")
def record_meeting_command(
    code: str,
    kind: svc.MeetingKind = KindOption,
    held_at: datetime = HeldAtOption,
    place: str = typer.Option(..., "--place"),
    attendees: list[str] = AttendeeOption,
    others: int = typer.Option(0, "--others", min=0, max=100_000, help="Other people present."),
    agenda: list[str] = IssueOption,
    outcome: list[str] = OutcomeListOption,
    follow_ups: list[str] = FollowUpOption,
    incidents: list[str] = IncidentListOption,
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Record a meeting or jirga: agenda, attendance, outcome, follow-ups."""
    if held_at.tzinfo is None:
        usage_error("--held-at: give the offset too, e.g. 2025-10-22T09:00+04:30", as_json=as_json)
    actions = [parse_follow_up(text, i, as_json) for i, text in enumerate(follow_ups)]

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        ids = [local_cases.find_local_case(session, ref).id for ref in incidents]
        record = svc.MeetingRecord(kind, held_at, place, attendees, others, agenda, outcome,
                                   actions, ids)  # fmt: skip
        meeting = svc.record_meeting(
            session, svc.committee_by_code(session, code), record, principal=principal
        )
        return {"id": meeting.id, "committee": code, "kind": meeting.kind,
                "attendance": len(meeting.attendees) + meeting.other_attendees,
                "follow_ups": len(actions)}  # fmt: skip

    recorded = run(as_json, as_user, work)
    emit(recorded, as_json=as_json, human=lambda: print(f"{recorded['kind']} #{recorded['id']}"))


@community_app.command("follow-up-done")
def follow_up_done_command(
    follow_up: int = typer.Argument(..., min=1, max=2**31 - 1),
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Mark a follow-up action done."""
    row = run(as_json, as_user, lambda s, p: svc.complete_follow_up(s, follow_up, principal=p))
    emit({"id": follow_up, "status": row.status}, as_json=as_json, human=lambda: print("done"))


def _decide(as_json: bool, as_user: str | None, incident: str, committee: str,
            meeting: int | None, decide: Callable[..., Any]) -> None:  # fmt: skip
    def work(session: Session, principal: Principal) -> dict[str, Any]:
        found = local_cases.find_local_case(session, incident)
        held = svc.meeting_by_id(session, meeting) if meeting else None
        decision = decide(session, svc.committee_by_code(session, committee), found.id,
                          principal=principal, meeting=held)  # fmt: skip
        return {"incident": found.code, "committee": committee, "decision": decision.kind,
                "verification_state": found.verification_state}  # fmt: skip

    payload = run(as_json, as_user, work)
    emit(payload, as_json=as_json, human=lambda: print(
        f"{payload['incident']}: {payload['decision']} (verification {payload['verification_state']})"))  # fmt: skip


@community_app.command("resolve")
def resolve_command(
    incident: str = typer.Argument(..., help="Incident code or id, or a linked report's code."),
    committee: str = CommitteeOption,
    outcome: str = typer.Option(..., "--outcome", help="How the committee settled it."),
    meeting: int | None = MeetingOption,
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Resolve a case locally: the incident's verification is closed with this outcome."""
    _decide(as_json, as_user, incident, committee, meeting,
            lambda s, c, i, **kw: local_cases.resolve_locally(s, c, i, outcome=outcome, **kw))  # fmt: skip


@community_app.command("escalate")
def escalate_command(
    incident: str = typer.Argument(..., help="Incident code or id, or a linked report's code."),
    committee: str = CommitteeOption,
    reason: str = typer.Option(..., "--reason", help="Why the committee cannot settle it."),
    meeting: int | None = MeetingOption,
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Escalate a case to verification: its case is opened or linked; mediators are notified."""
    _decide(as_json, as_user, incident, committee, meeting,
            lambda s, c, i, **kw: local_cases.escalate(s, c, i, reason=reason, **kw))  # fmt: skip
