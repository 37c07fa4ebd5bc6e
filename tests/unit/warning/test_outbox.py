"""Delivery through the outbox: signed webhooks, SMTP email, retries, and concurrent workers."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import Engine, select

from truceline.audit.actor import SYSTEM, Actor
from truceline.config import Settings, get_settings
from truceline.db.engine import is_postgres, transaction
from truceline.incidents.models import Report
from truceline.warning.domain import SIGNATURE_HEADER, signature_matches
from truceline.warning.models import DeliveryAttempt, OutboxMessage
from truceline.warning.notify import add_subscription
from truceline.warning.outbox import claim_due, deliver_due, retry_failed
from truceline.warning.services import on_report_stored

from .conftest import add_report

SECRET = "webhook-secret-of-af-liaison"
PK_LIAISON = Actor("sana", "party_liaison", "PK")


class Receiver:
    """A local webhook endpoint that records requests and answers with a set status."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/truceline"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    endpoint = Receiver()
    yield endpoint
    endpoint.server.shutdown()


class Mailbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Any] = []

    def handle_message(self, message: Any) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _subscribe(engine: Engine, channel: str, target: str, audience: str = "AF") -> None:
    with transaction(engine) as session:
        add_subscription(
            session,
            channel=channel,
            target=target,
            audience=audience,
            secret=SECRET if channel == "webhook" else None,
            actor=SYSTEM,
        )


def _allege(engine: Engine) -> str:
    with transaction(engine) as session:
        report = add_report(session)
        on_report_stored(session, report, PK_LIAISON)
        return report.code


def test_a_webhook_is_delivered_with_a_valid_hmac_signature(
    engine: Engine, users: dict[str, object], receiver: Receiver
) -> None:
    _subscribe(engine, "webhook", receiver.url)
    code = _allege(engine)
    run = deliver_due(engine, settings=get_settings())
    assert len(run.delivered) == 1 and not run.retrying
    headers, body = receiver.requests[0]
    assert signature_matches(SECRET, body, headers[SIGNATURE_HEADER])
    document = json.loads(body)
    assert document["event"] == "allegation.filed" and document["report"]["code"] == code
    assert headers["X-Truceline-Event"] == "allegation.filed"


def test_a_failing_endpoint_is_retried_later_and_every_attempt_is_recorded(
    engine: Engine, users: dict[str, object], receiver: Receiver
) -> None:
    _subscribe(engine, "webhook", receiver.url)
    _allege(engine)
    receiver.status = 503
    run = deliver_due(engine, settings=get_settings())
    assert len(run.retrying) == 1
    assert deliver_due(engine, settings=get_settings()).as_json() == {
        "delivered": [],
        "retrying": [],
        "failed": [],
    }
    with transaction(engine) as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert message.status == "pending" and "HTTP 503" in message.last_error
        message.next_attempt_at = message.created_at  # the back-off has passed
    receiver.status = 204
    assert len(deliver_due(engine, settings=get_settings()).delivered) == 1
    with transaction(engine) as session:
        attempts = session.scalars(select(DeliveryAttempt.ok).order_by(DeliveryAttempt.id)).all()
    assert attempts == [False, True]


def test_after_the_last_attempt_a_message_is_failed_and_can_be_requeued(
    engine: Engine, users: dict[str, object]
) -> None:
    _subscribe(engine, "webhook", "http://127.0.0.1:9/unreachable")
    _allege(engine)
    settings = Settings(notification_max_attempts=1, webhook_timeout_seconds=2)
    assert len(deliver_due(engine, settings=settings).failed) == 1
    with transaction(engine) as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert message.status == "failed" and "ConnectError" in message.last_error
        retry_failed(session, message.id)
    assert claim_due(engine) == [message.id]


def test_an_unreachable_endpoint_never_loses_the_allegation(
    engine: Engine, users: dict[str, object]
) -> None:
    _subscribe(engine, "webhook", "http://127.0.0.1:9/unreachable")
    code = _allege(engine)
    deliver_due(engine, settings=Settings(webhook_timeout_seconds=2))
    with transaction(engine) as session:
        assert session.scalars(select(Report.code)).all() == [code]


def test_an_email_reaches_the_local_smtp_server(
    engine: Engine, users: dict[str, object], smtp_server: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp_server
    _subscribe(engine, "email", "liaison@af.example")
    _allege(engine)
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_sender="mechanism@example")
    assert len(deliver_due(engine, settings=settings).delivered) == 1
    (email,) = mailbox.messages
    assert email["To"] == "liaison@af.example" and email["From"] == "mechanism@example"
    assert "PK allegation" in email["Subject"] and "cooling-off" in email["Subject"]
    assert "undertaken not to respond" in email.get_payload()


def test_without_an_smtp_server_email_waits_in_the_queue(
    engine: Engine, users: dict[str, object]
) -> None:
    _subscribe(engine, "email", "liaison@af.example")
    _allege(engine)
    run = deliver_due(engine, settings=Settings(smtp_host=None))
    assert len(run.retrying) == 1
    with transaction(engine) as session:
        assert "TRUCELINE_SMTP_HOST" in session.scalars(select(OutboxMessage.last_error)).one()


def test_two_workers_never_claim_the_same_message(engine: Engine, users: dict[str, object]) -> None:
    _subscribe(engine, "webhook", "http://127.0.0.1:9/a")
    _subscribe(engine, "email", "a@af.example")
    for _ in range(10):
        _allege(engine)
    claims: list[list[int]] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        barrier.wait()
        claims.append(claim_due(engine, limit=15))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = claims
    assert not set(first) & set(second)
    rest = claim_due(engine, limit=50)
    assert sorted([*first, *second, *rest]) == list(range(1, 21))
    if is_postgres(engine):
        assert first and second  # SKIP LOCKED lets both make progress


def test_in_a_web_request_notices_are_sent_right_after_commit(
    engine: Engine, users: dict[str, object], receiver: Receiver
) -> None:
    _subscribe(engine, "webhook", receiver.url)
    with transaction(engine) as session:
        session.info["web_request"] = True
        session.info["settings"] = get_settings()  # as ``http.deps.get_session`` does
        on_report_stored(session, add_report(session), PK_LIAISON)
        assert receiver.requests == []  # nothing leaves before the allegation is committed
    deadline = time.monotonic() + 10
    while not receiver.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(receiver.requests) == 1
