"""Sending one outbox message: a signed webhook POST, or an email over SMTP.

Each sender returns a short description of the outcome or raises
``DeliveryFailed``; the outbox records either. Add a channel by adding a
sender to ``SENDERS``.
"""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from functools import lru_cache

import httpx

from truceline.config import Settings
from truceline.warning.domain import SIGNATURE_HEADER, sign_body
from truceline.warning.models import OutboxMessage, Subscription


class DeliveryFailed(RuntimeError):
    """The receiver did not accept the message; the text says what happened."""


def webhook_body(message: OutboxMessage) -> bytes:
    """The exact bytes POSTed (and signed): canonical JSON of the payload."""
    document = {"id": message.id, "event": message.event, **message.payload}
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


@lru_cache(maxsize=1)
def http_client() -> httpx.Client:
    """One pooled client for the process: building one per call costs ~0.1 s (TLS setup)."""
    return httpx.Client(follow_redirects=False)


def send_webhook(message: OutboxMessage, subscription: Subscription, settings: Settings) -> str:
    body = webhook_body(message)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign_body(subscription.secret or "", body),
        "X-Truceline-Event": message.event,
        "X-Truceline-Delivery": str(message.id),
    }
    try:
        response = http_client().post(
            message.target, content=body, headers=headers, timeout=settings.webhook_timeout_seconds
        )
    except httpx.HTTPError as error:
        raise DeliveryFailed(
            f"webhook {message.target}: {type(error).__name__}: {error}"
        ) from error
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(f"webhook {message.target} answered HTTP {response.status_code}")
    return f"HTTP {response.status_code}"


def send_email(message: OutboxMessage, subscription: Subscription, settings: Settings) -> str:
    if not settings.smtp_host:
        raise DeliveryFailed("no SMTP server configured (TRUCELINE_SMTP_HOST)")
    email = EmailMessage()
    email["From"] = settings.smtp_sender
    email["To"] = message.target
    email["Subject"] = message.subject
    email["X-Truceline-Event"] = message.event
    email.set_content(email_text(message))
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            refused = smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {error}") from error
    if refused:
        raise DeliveryFailed(f"SMTP refused recipients: {sorted(refused)}")
    return f"accepted by {settings.smtp_host}:{settings.smtp_port}"


def email_text(message: OutboxMessage) -> str:
    summary = str(message.payload.get("summary", ""))
    return (
        f"{message.subject}\n\n{summary}\n\n"
        "Sent by the Afghanistan–Pakistan ceasefire accountability mechanism (truceline). "
        "Sign in to see the allegation and its cooling-off clock.\n"
    )


Sender = Callable[[OutboxMessage, Subscription, Settings], str]

SENDERS: dict[str, Sender] = {"webhook": send_webhook, "email": send_email}
