"""The one shape of a refusal: a sentence for people, a code and a field for programs.

Services explain a refusal in English for the API, the CLI and the audit trail.
Pages must not decide anything from that sentence (rewording it would change
what a page does), so every domain and service exception also carries:

- ``code``: a stable snake_case string saying what kind of refusal it is
  (pages look their translated message up by it, and pick the HTTP status);
- ``field``: the input it concerns, when there is one (``None`` otherwise);
- ``params``: the values a translated message may show (an incident code, an
  operation number, a member's name).

A class sets its usual code in ``default_code``; a raise site names a more
precise one when a page treats that case differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar


class CodedError(Exception):
    """Base of the domain and service exceptions that say what they refuse by code."""

    default_code: ClassVar[str] = "refused"

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        field: str | None = None,
        params: Mapping[str, str | int] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.field = field
        self.params: dict[str, str | int] = dict(params or {})
