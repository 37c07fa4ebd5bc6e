"""Security headers, Secure cookies, and which proxies may say who the client is.

``SecurityHeadersMiddleware`` adds to every response a strict Content Security
Policy (scripts, styles, images, fonts and connections from this server only,
no inline script, no framing), ``X-Frame-Options: DENY``,
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``, and
marks every cookie ``Secure`` when the request came over HTTPS (directly, or
through a trusted proxy's ``X-Forwarded-Proto``) or ``session_cookie_secure``
is set. The API documentation pages (``/docs``, ``/redoc``) also get inline
*styles*: their bundles inject them at run time; scripts stay self-only there too.

``TrustedProxyMiddleware`` believes ``X-Forwarded-For`` and ``X-Forwarded-Proto``
only from the addresses in ``trusted_proxies`` (none by default), so a client
cannot pick its own address to escape the per-client rate limits.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
#: ReDoc and Swagger UI build their styles in the browser; their scripts are still self-only.
DOCS_CSP = CSP.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';").replace(
    "img-src 'self' data:;", "img-src 'self' data: blob:; worker-src 'self' blob:;"
)
DOCS_PATHS = ("/docs", "/redoc")
HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response, and Secure to cookies over HTTPS."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool = False) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_CSP if scope["path"].startswith(DOCS_PATHS) else CSP
        secure = self.secure_cookies or scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", policy)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if secure:
                    _secure_cookies(headers)
            await send(message)

        await self.app(scope, receive, with_headers)


def _secure_cookies(headers: MutableHeaders) -> None:
    cookies = headers.getlist("set-cookie")
    if not cookies:
        return
    del headers["set-cookie"]
    for cookie in cookies:
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        headers.append("set-cookie", cookie if "secure" in flags else f"{cookie}; Secure")


class TrustedProxyMiddleware:
    """Takes the client address (and scheme) from the forwarding headers of trusted proxies only.

    The rightmost ``X-Forwarded-For`` address not itself a trusted proxy is the
    client: everything to its left was written by the client and proves nothing.
    """

    def __init__(self, app: ASGIApp, *, trusted: Iterable[str]) -> None:
        self.app = app
        self.networks = [ipaddress.ip_network(item, strict=False) for item in trusted]

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and client and self.trusts(client[0]):
            headers = dict(scope["headers"])
            forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            while hops and self.trusts(hops[-1]):
                hops.pop()
            if hops:
                scope["client"] = (hops[-1], 0)
            proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto
        await self.app(scope, receive, send)
