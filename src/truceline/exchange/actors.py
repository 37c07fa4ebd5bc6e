"""Actor names used by UCDP and ACLED, mapped to truceline actor ids (pure).

Party forces map to the party code (``AF``, ``PK``), armed groups to their
registry id (``TTP``, ``ISKP``, ...) through the patterns below and then the
built-in registry's aliases (exact or spacing-insensitive matches only: a fuzzy
guess has no place in imported data). A name the registry does not know maps
to ``unknown``, so that adjudication never meets an actor it cannot place; the
verbatim name is always stored beside the id, so nothing is lost. To recognise
another name, add an alias to the registry or a pattern to ``KNOWN_ACTORS``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from truceline.designations.resolution import builtin_alias_index
from truceline.events.taxonomy import CasualtyCategory

#: (pattern, actor id). First match wins; patterns are matched case-insensitively.
KNOWN_ACTORS: tuple[tuple[str, str], ...] = (
    (r"^(government|military forces|police forces) of pakistan\b", "PK"),
    (r"^(government|military forces|police forces) of afghanistan\b", "AF"),
    (r"^(ttp|tehri[kc]-?[ie]-?taliban pakistan|tehreek-?[ie]-?taliban pakistan)\b(?!\s*-)", "TTP"),
    (r"^ttp:", "TTP"),
    (r"fitna al-?khawarij", "TTP"),
    (r"^(jamaat-?ul-?ahrar|jua)\b", "JUA"),
    (r"hafiz gul bahadur", "HGB"),
    (r"^(bla|baloch liberation army)\b", "BLA"),
    (r"^(blf|baloch liberation front)\b", "BLF"),
    (r"^(iskp|is-?k|islamic state[- ]khorasan|islamic state \(afghanistan\)|is)$", "ISKP"),
    (r"^islamic state khorasan province", "ISKP"),
    (r"^unidentified armed group", "unknown"),
    (r"^(unknown|unidentified)$", "unknown"),
)

_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), actor) for pattern, actor in KNOWN_ACTORS)
_CIVILIAN = re.compile(r"^civilians\b", re.IGNORECASE)
_STATE = re.compile(r"^(government|military forces|police forces) of ", re.IGNORECASE)


@lru_cache(maxsize=4096)
def actor_id(name: str) -> str:
    """The truceline actor id for a source's actor name (``unknown`` when empty)."""
    stripped = name.strip()
    if not stripped:
        return "unknown"
    for pattern, actor in _COMPILED:
        if pattern.search(stripped):
            return actor
    if _CIVILIAN.match(stripped):
        return "civilians"
    resolution = builtin_alias_index().resolve(stripped)
    if resolution is not None and resolution.group_id and resolution.method != "fuzzy":
        return resolution.group_id
    return "unknown"


@lru_cache(maxsize=4096)
def casualty_category(name: str) -> CasualtyCategory:
    """Which casualty category a side's dead fall in: state forces, civilians or militants."""
    stripped = name.strip()
    if _CIVILIAN.match(stripped):
        return CasualtyCategory.CIVILIANS
    if _STATE.match(stripped):
        return CasualtyCategory.SECURITY_FORCES
    if not stripped or actor_id(stripped) == "unknown":
        return CasualtyCategory.UNKNOWN
    return CasualtyCategory.MILITANTS


def target_kind(name: str) -> str | None:
    """The ``Target`` value for a side attacked in an event (``None`` when unknown)."""
    category = casualty_category(name)
    return None if category is CasualtyCategory.UNKNOWN else category.value
