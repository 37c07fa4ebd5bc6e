"""Errors of the requests context: each carries a machine ``code`` and the ``field`` at fault.

Pages translate the code (``pages.messages``); the API answers 4xx with the field
and the message; the CLI prints the message and exits 1. Nobody matches on text.
"""

from __future__ import annotations

from truceline.action_requests.domain import RequestRefused

__all__ = ["RequestNotFound", "RequestRefused", "UnknownGroup"]


class RequestNotFound(RequestRefused):
    """No request or package with that reference (or none the caller may see)."""

    def __init__(self, what: str, ref: str) -> None:
        super().__init__("not_found", f"no {what} {ref!r}", field="ref")


class UnknownGroup(RequestRefused):
    """A group the registry does not know; ``closest`` names the nearest known aliases."""

    def __init__(self, name: str, closest: list[tuple[str, str]]) -> None:
        offered = "; ".join(f"{alias} ({group})" for alias, group in closest)
        message = f"group: the registry knows no group called {name!r}"
        if offered:
            message += f"; closest aliases: {offered}"
        super().__init__("unknown_group", message, field="group")
        self.closest = closest
