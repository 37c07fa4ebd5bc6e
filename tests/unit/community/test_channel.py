"""The message channel through intake: replies, asking back, held, duplicates (both back ends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from truceline.accounts.ratelimit import RateLimiter
from truceline.accounts.sealing import IdentityDetails
from truceline.community.channel import IncomingSms, Status, occurred, receive_message
from truceline.community.feedback import dismiss_held, held_messages, release_held
from truceline.community.models import InboundMessage
from truceline.community.reporters import register_reporter, reliability_history
from truceline.community.sms import parse_message
from truceline.config import get_settings
from truceline.incidents.models import IncidentReportLink, Report

from .conftest import GATEWAY, LIAISON, REPORTER_PHONE, Setup, phone_vault

WHEN = datetime(2025, 10, 22, 7, 0, tzinfo=UTC)


def _send(setup: Setup, limiter: RateLimiter, text: str, *, sender: str = REPORTER_PHONE,
          message_id: str | None = None):  # type: ignore[no-untyped-def]  # fmt: skip
    sms = IncomingSms("test", sender, text, WHEN, message_id)
    return receive_message(setup.session, sms, gateway_actor=GATEWAY.as_actor(), limiter=limiter,
                           vault=phone_vault())  # fmt: skip


def test_a_complete_message_becomes_a_community_sms_report_linked_to_an_incident(
    setup: Setup, limiter: RateLimiter
) -> None:
    outcome = _send(setup, limiter, "ځای سپین بولدک توپ ۲ مړه ۳ ټپي نن ساعت ۱۰")
    assert outcome.status == Status.ACCEPTED and outcome.language == "ps"
    report = setup.session.scalars(
        select(Report).where(Report.code == outcome.confirmation_code)
    ).one()
    assert (report.channel, report.source_type) == ("sms", "community_reporter")
    assert report.source_name == setup.reporter.pseudonym
    assert report.event_type == "shelling_artillery_missile_attack"
    assert report.casualties["unknown"]["best"] == 2
    assert report.geo_precision == 3 and round(report.lat, 2) == 31.01
    assert outcome.confirmation_code in outcome.reply and "مننه" in outcome.reply
    links = setup.session.scalars(
        select(IncidentReportLink).where(IncidentReportLink.report_id == report.id)
    )
    assert len(list(links)) == 1


def test_the_same_message_delivered_twice_creates_one_report(
    setup: Setup, limiter: RateLimiter
) -> None:
    first = _send(setup, limiter, "P Chaman FIRING 1 INJURED", message_id="gw-77")
    again = _send(setup, limiter, "P Chaman FIRING 1 INJURED", message_id="gw-77")
    assert again.status == Status.DUPLICATE and again.confirmation_code == first.confirmation_code
    assert setup.session.scalar(select(func.count(Report.id)).where(Report.channel == "sms")) == 1
    without_id = [_send(setup, limiter, "P Torkham FIRING") for _ in range(2)]
    assert [o.status for o in without_id] == [Status.ACCEPTED, Status.DUPLICATE]


def test_a_missing_field_is_asked_for_and_the_next_message_completes_it(
    setup: Setup, limiter: RateLimiter
) -> None:
    asked = _send(setup, limiter, "جگہ چمن ۲ زخمی")
    assert asked.status == Status.INCOMPLETE and "واقعہ" in asked.reply
    completed = _send(setup, limiter, "فائرنگ")
    assert completed.status == Status.ACCEPTED
    report = setup.session.scalars(
        select(Report).where(Report.code == completed.confirmation_code)
    ).one()
    assert "جگہ چمن" in report.text and report.event_type == "cross_border_fire"
    statuses = setup.session.scalars(select(InboundMessage.status).order_by(InboundMessage.id))
    assert list(statuses) == [Status.COMPLETED_LATER, Status.ACCEPTED]


def test_garbled_text_gets_the_grammar_in_the_senders_language(
    sqlite_setup: Setup, limiter: RateLimiter
) -> None:
    outcome = _send(sqlite_setup, limiter, "سلام مرسته وکړئ ؟؟ ###")
    assert outcome.status == Status.UNREADABLE and "ولیږئ" in outcome.reply
    assert sqlite_setup.session.scalar(select(func.count(InboundMessage.id))) == 1


def test_an_unregistered_number_is_held_for_review_and_released_once_registered(
    setup: Setup, limiter: RateLimiter
) -> None:
    outcome = _send(setup, limiter, "Wana firing 2 injured", sender="+92 300 7654321")
    assert outcome.status == Status.HELD and outcome.confirmation_code is None
    [held] = held_messages(setup.session, principal=LIAISON)
    assert held.text == "Wana firing 2 injured" and held.reporter_id is None
    register_reporter(setup.session, IdentityDetails(name="Shah Wali", phone="03007654321"),
                      committee=setup.committee, language="ur", principal=LIAISON,
                      vault=phone_vault(), keys_dir=get_settings().resolved_keys_dir)  # fmt: skip
    released = release_held(setup.session, held.id, principal=LIAISON, limiter=limiter)
    assert released.status == Status.ACCEPTED


def test_a_held_message_can_be_dismissed_and_is_kept(
    sqlite_setup: Setup, limiter: RateLimiter
) -> None:
    _send(sqlite_setup, limiter, "spam spam", sender="+92 300 0000000")
    [held] = held_messages(sqlite_setup.session, principal=LIAISON)
    dismiss_held(sqlite_setup.session, held.id, principal=LIAISON)
    assert sqlite_setup.session.get(InboundMessage, held.id).status == "dismissed"  # type: ignore[union-attr]


def test_a_sender_over_the_rate_limit_is_held_not_dropped(sqlite_setup: Setup) -> None:
    limiter = RateLimiter(per_minute=1, clock=lambda: 0.0)
    first = _send(sqlite_setup, limiter, "P Chaman FIRING")
    second = _send(sqlite_setup, limiter, "P Torkham FIRING")
    assert (first.status, second.status) == (Status.ACCEPTED, Status.RATE_LIMITED)
    assert "wait" in second.reply or "صبر" in second.reply
    assert len(held_messages(sqlite_setup.session, principal=LIAISON)) == 1


def test_the_phone_number_is_stored_nowhere_in_clear(
    sqlite_setup: Setup, limiter: RateLimiter
) -> None:
    _send(sqlite_setup, limiter, "P Chaman FIRING")
    message = sqlite_setup.session.scalars(select(InboundMessage)).one()
    for value in (
        message.sender_digest,
        message.sender_sealed.hex(),
        sqlite_setup.reporter.phone_digest,
    ):
        assert "701234567" not in value
    assert b"701234567" not in message.sender_sealed


def test_a_new_reporter_starts_with_an_ungraded_history(sqlite_setup: Setup) -> None:
    history = reliability_history(sqlite_setup.session, sqlite_setup.reporter)
    assert (history.reports, history.grade) == (0, "F")


def test_the_hour_is_read_in_local_time_and_never_after_the_message() -> None:
    received = datetime(2025, 10, 22, 7, 0, tzinfo=UTC)  # 11:30 in Kabul
    when, _ = occurred(parse_message("Chaman firing T 10:00"), received, "AF")
    assert when.astimezone(UTC) == datetime(2025, 10, 22, 5, 30, tzinfo=UTC)
    later, _ = occurred(parse_message("Chaman firing T 22:00"), received, "AF")
    assert later < received


def test_a_report_intake_refuses_is_held_with_the_reason_not_lost(
    sqlite_setup: Setup, limiter: RateLimiter
) -> None:
    future = datetime.now(UTC) + timedelta(days=3)  # a gateway clock far ahead
    sms = IncomingSms("test", REPORTER_PHONE, "P Chaman FIRING", future, "gw-future")
    outcome = receive_message(
        sqlite_setup.session,
        sms,
        gateway_actor=GATEWAY.as_actor(),
        limiter=limiter,
        vault=phone_vault(),
    )
    assert outcome.status == Status.HELD
    message = sqlite_setup.session.scalars(select(InboundMessage)).one()
    assert "future" in message.parsed["intake_error"]


def test_a_sender_id_that_is_not_a_number_is_held_not_refused(
    sqlite_setup: Setup, limiter: RateLimiter
) -> None:
    outcome = _send(sqlite_setup, limiter, "P Chaman FIRING", sender="AWCC")
    assert outcome.status == Status.HELD
