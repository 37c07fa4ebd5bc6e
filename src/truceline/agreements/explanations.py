"""Sentences for findings' explanations, written for a mediator to read aloud.

Kept apart from the rules so that wording can change without touching a rule
(wording changes do not need a new ``RULES_VERSION``; rule changes do).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from truceline.agreements.domain import PARTY_NAMES, Attribution, CompiledClause
from truceline.events.taxonomy import acled_label

TARGET_PHRASES = {
    "security_forces": "security forces",
    "civilians": "civilians",
    "critical_infrastructure": "critical infrastructure",
    "territory": "territory (an incursion)",
    "militants": "militants",
}
ACT_PHRASES = {
    "targeting_security_forces": "targeting the other side's security forces",
    "targeting_civilians": "targeting the other side's civilians",
    "targeting_critical_infrastructure": "targeting the other side's critical infrastructure",
    "incursion": "an incursion into the other side's territory",
    "support_to_hostile_groups": "support to groups attacking the other side",
}


def party_name(code: str) -> str:
    return f"{PARTY_NAMES.get(code, code)} ({code})"


def join_words(words: Iterable[str]) -> str:
    items = list(words)
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def perpetrator_phrase(perpetrator: str, kind: str) -> str:
    if kind == "party":
        return f"the forces of {party_name(perpetrator)}"
    if kind == "group":
        return f"{perpetrator} (an armed group, not a party)"
    return "an unidentified perpetrator"


def facts_sentence(
    *,
    perpetrator: str,
    event_type: str,
    targets: tuple[str, ...],
    attribution: tuple[Attribution, ...],
) -> str:
    """The facts relied on, in one or two sentences (assembled from memoised parts)."""
    return _opening(perpetrator, event_type) + _aimed(targets) + _claimed(attribution)


@lru_cache(maxsize=4096)
def _opening(perpetrator: str, event_type: str) -> str:
    kind = (
        "party"
        if perpetrator in PARTY_NAMES
        else "unknown"
        if perpetrator == "unknown"
        else "group"
    )
    who = perpetrator_phrase(perpetrator, kind)
    return f'Facts relied on: {upper_first(who)} carried out an act of type "{acled_label(event_type).lower()}", '


@lru_cache(maxsize=4096)
def _aimed(targets: tuple[str, ...]) -> str:
    if not targets:
        return "with no target recorded."
    return "targeting " + join_words(TARGET_PHRASES[t] for t in targets) + "."


@lru_cache(maxsize=4096)
def _claimed(attribution: tuple[Attribution, ...]) -> str:
    links = [a for a in attribution if a.link != "none"]
    if not links:
        return ""
    claimed = join_words(
        f"{a.link} by {a.party} ({'established' if a.established else 'not established'})"
        for a in links
    )
    return f" Claimed links to a party: {claimed}."


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def clause_ref(clause: CompiledClause) -> str:
    """``Clause <id> ("<text>")``, to open a sentence."""
    return f'Clause {clause.id} ("{clause.text}")'


def asymmetry_sentence(clause: CompiledClause) -> str:
    bound = join_words(sorted(clause.bound))
    return (
        f" Clause {clause.id} binds {bound} only: the agreement is asymmetric on purpose here"
        f" ({clause.asymmetry})"
    )


def link_phrase(link: Attribution, group: str) -> str:
    return f"{link.party}'s {link.link} link to {group}"


def missing_sentence(missing: Iterable[str]) -> str:
    items = list(missing)
    return f" Missing facts: {'; '.join(items)}." if items else ""


def severity_sentence(clause: CompiledClause) -> str:
    if clause.severity == "unknown":
        return f" How seriously a breach of {clause.id} counts is not in the public record."
    return f" A breach of {clause.id} counts as {clause.severity}."
