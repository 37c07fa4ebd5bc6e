"""Small ASGI helpers shared by the middlewares of the HTTP layer and of the access guards."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.types import Message, Send

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def send_json(send: Send, status: int, detail: str, headers: dict[str, str]) -> None:
    """Answer ``{"detail": ...}`` from a middleware, before any route runs."""
    response = JSONResponse({"detail": detail}, status_code=status, headers=headers)
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
