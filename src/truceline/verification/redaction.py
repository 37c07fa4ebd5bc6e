"""Redacting text evidence (pure; no I/O).

A redaction never edits the original: it produces a derivative in which
every occurrence of each term (a name, a phone number, a village) is
replaced by a marker of the same kind, so a reader sees that something was
removed but not what. Binary evidence (photos, audio) is redacted by hand
and the derivative uploaded; ``evidence.redact`` accepts either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from truceline.errors import CodedError

MARKER = "[redacted]"


class NothingToRedact(CodedError, ValueError):
    """None of the terms occurs in the text: the derivative would equal the original."""

    default_code = "nothing_to_redact"


def redact_text(text: str, terms: Sequence[str]) -> tuple[str, int]:
    """The text with every term (case-insensitive, longest first) replaced; and how many."""
    cleaned = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not cleaned:
        raise NothingToRedact("terms: give at least one non-empty term to redact")
    pattern = re.compile("|".join(re.escape(t) for t in cleaned), re.IGNORECASE)
    redacted, count = pattern.subn(MARKER, text)
    if count == 0:
        raise NothingToRedact("terms: none of the terms occurs in the evidence")
    return redacted, count
