"""Reusable check that planted identity details appear in no payload.

Tests plant a reporter's name, phone and village, drive every API route and
export, and call ``assert_no_identity_leak(planted, payloads)``. The check
looks for each planted value as written, case-folded, JSON-escaped
(``\\u0646...``), URL-encoded, and, for phone numbers, with any separators.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus


def _variants(value: str) -> set[str]:
    escaped = json.dumps(value)[1:-1]
    forms = {value, value.casefold(), escaped, escaped.lower(), quote(value), quote_plus(value)}
    return {form for form in forms if form}


def _phone_pattern(value: str) -> re.Pattern[str] | None:
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return None
    return re.compile(r"\D{0,3}".join(digits[-9:]))


Payload = bytes | str | tuple[str, bytes | str]


def find_identity_leaks(planted: list[str], payloads: Iterable[Payload]) -> list[str]:
    """Descriptions of every place a planted value appears (empty when none).

    A payload may be given as ``(label, payload)`` so that a failure names it.
    """
    leaks: list[str] = []
    for index, item in enumerate(payloads):
        label, payload = item if isinstance(item, tuple) else (f"payload {index}", item)
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        folded = text.casefold()
        for value in planted:
            if any(form in text or form.casefold() in folded for form in _variants(value)):
                leaks.append(f"{label} contains {value!r}")
                continue
            pattern = _phone_pattern(value)
            if pattern is not None and pattern.search(text):
                leaks.append(f"{label} contains the digits of {value!r}")
    return leaks


def assert_no_identity_leak(planted: list[str], payloads: Iterable[Payload]) -> None:
    """Fail (AssertionError naming the payload and value) if any planted value leaked."""
    if not planted:
        raise ValueError("plant at least one identifying value")
    leaks = find_identity_leaks(planted, payloads)
    assert not leaks, "identity leaked: " + "; ".join(leaks)
