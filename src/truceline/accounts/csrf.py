"""Cross-site request forgery protection for browser requests.

- A request authenticated by the session cookie must carry the session's CSRF
  token on every unsafe method, in the ``X-CSRF-Token`` header or the
  ``csrf_token`` form field.
- An anonymous form submission (the sign-in form, public forms) must carry the
  value of the ``truceline_csrf`` cookie in its ``csrf_token`` field
  ("double submit": another site can neither read nor set that cookie).
- Requests with an API token are exempt: browsers never add that header on their own.

Templates render the token with ``{{ csrf_input(request) }}``.
"""

from __future__ import annotations

import secrets

from markupsafe import Markup, escape
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from truceline.accounts.credentials import tokens_equal
from truceline.config import Settings

HEADER = "x-csrf-token"
FIELD = "csrf_token"
ANON_COOKIE = "truceline_csrf"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_form(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith(FORM_TYPES)


def anonymous_token(request: Request) -> str:
    """The double-submit token of an anonymous browser (a new one if it has none)."""
    current = request.cookies.get(ANON_COOKIE, "")
    return current if 20 <= len(current) <= 100 else secrets.token_urlsafe(32)


async def check(scope: Scope, receive: Receive, expected: str | None) -> tuple[Receive, str | None]:
    """Compare the submitted token with ``expected``; returns a replaying receive and a problem."""
    request = Request(scope)
    submitted = request.headers.get(HEADER)
    if submitted is None and is_form(request):
        body = await read_body(receive)
        receive = replaying(body, receive)
        submitted = await _form_field(scope, body)
    if not submitted:
        return receive, "CSRF token missing: send the X-CSRF-Token header or csrf_token field"
    if expected is None or not tokens_equal(submitted, expected):
        return receive, "CSRF token wrong: reload the page and try again"
    return receive, None


async def read_body(receive: Receive) -> bytes:
    """The whole request body, read from the server (also used by the write-retry middleware)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that hands over the buffered body first, then defers to the server."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _form_field(scope: Scope, body: bytes) -> str | None:
    """The ``csrf_token`` field of a buffered form body (``None`` if absent or unparseable).

    Part sizes are bounded by the body itself (already capped by the body size
    limit), so a large evidence upload in the same form parses too.
    """
    request = Request(scope, replaying(body, _disconnected))
    try:
        form = await request.form(max_part_size=len(body) + 1)
    except Exception:  # a malformed form simply carries no token
        return None
    try:
        value = form.get(FIELD)
        return value if isinstance(value, str) else None
    finally:
        await form.close()


async def _disconnected() -> Message:
    return {"type": "http.disconnect"}


def setting_anonymous_cookie(send: Send, token: str, settings: Settings) -> Send:
    """Wrap ``send`` so the response sets the anonymous CSRF cookie."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            secure = "; Secure" if settings.session_cookie_secure else ""
            headers.append(
                "set-cookie", f"{ANON_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"
            )
        await send(message)

    return wrapped


def token_for(request: Request) -> str:
    """The CSRF token the current browser must send back."""
    return str(getattr(request.state, "csrf_token", None) or "")


def csrf_input(request: Request) -> Markup:
    """A hidden form field with the CSRF token (the Jinja global ``csrf_input``)."""
    return Markup(f'<input type="hidden" name="{FIELD}" value="{escape(token_for(request))}">')
