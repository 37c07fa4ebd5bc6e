"""Text limits shared by every way a report comes in: the intake API and forms, CSV intake,
short messages, and dataset imports (UCDP GED, ACLED, truceline JSON).

One number in one place, so that no path stores what another would refuse.
"""

from __future__ import annotations

#: Longest verbatim report text, in characters.
MAX_REPORT_TEXT_CHARS = 20_000


def report_text_problem(text: str, field: str = "text") -> str | None:
    """A sentence naming ``field`` when ``text`` is over the limit, else None."""
    if len(text) <= MAX_REPORT_TEXT_CHARS:
        return None
    return f"{field}: {len(text):,} characters is over the limit of {MAX_REPORT_TEXT_CHARS:,}"
