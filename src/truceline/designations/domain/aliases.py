"""Resolving any alias or spelling of a group to the group (pure; the index is built from data).

Three tiers, strongest first: the normalised name equals an alias's; the names
are equal once spaces are dropped; or the closest alias scores at least
``FUZZY_THRESHOLD`` (rapidfuzz, 0–100). A name that two groups share (Pakistan
calls the TTP "khawarij", the Afghan authorities call ISKP so) resolves as
ambiguous, with every candidate, rather than to an arbitrary one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from truceline.designations.domain.names import compact_key, normalise_name

#: The lowest rapidfuzz score accepted as the same name (chosen on the seeded variants:
#: "Tehreek-e-Taliban" vs "Tehrik-i-Taliban" scores ~88, "TTP" vs "TTA" 67).
FUZZY_THRESHOLD = 85.0
#: Words that do not tell groups apart; an alias is also indexed without them,
#: so "Hafiz Gul Bahadur" finds "Hafiz Gul Bahadur group".
GENERIC_WORDS = frozenset({"the", "group", "faction", "movement", "organisation", "organization"})
#: Two groups within this many points of each other make a fuzzy match ambiguous.
AMBIGUITY_MARGIN = 3.0


@dataclass(frozen=True)
class AliasEntry:
    """One known name of a group and who uses it."""

    group_id: str
    alias: str
    origin: str
    kind: str = "name"


@dataclass(frozen=True)
class Candidate:
    group_id: str
    alias: str
    origin: str
    score: float


@dataclass(frozen=True)
class Resolution:
    """The group a name resolves to; ``group_id`` is None when the name is ambiguous."""

    query: str
    group_id: str | None
    method: str
    score: float
    matched_alias: str
    origin: str
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def ambiguous(self) -> bool:
        return self.group_id is None


@dataclass(frozen=True)
class AliasIndex:
    """Aliases keyed for the three tiers; build once, resolve many times."""

    exact: dict[str, tuple[AliasEntry, ...]]
    compact: dict[str, tuple[AliasEntry, ...]]
    fuzzy_keys: tuple[str, ...]

    @classmethod
    def build(cls, entries: Iterable[AliasEntry]) -> AliasIndex:
        exact: dict[str, list[AliasEntry]] = {}
        compact: dict[str, list[AliasEntry]] = {}
        for entry in entries:
            key = normalise_name(entry.alias)
            exact.setdefault(key, []).append(entry)
            specific = " ".join(w for w in key.split() if w not in GENERIC_WORDS)
            if specific and specific != key:
                exact.setdefault(specific, []).append(entry)
            compact.setdefault(compact_key(entry.alias), []).append(entry)
        return cls(
            exact={k: tuple(v) for k, v in exact.items() if k},
            compact={k: tuple(v) for k, v in compact.items() if k},
            fuzzy_keys=tuple(k for k in exact if k),
        )

    def resolve(self, name: str) -> Resolution | None:
        """The group ``name`` refers to, or None if nothing is close enough."""
        key = normalise_name(name)
        if not key:
            return None
        if key in self.exact:
            return _settle(name, "exact", 100.0, self.exact[key])
        squeezed = key.replace(" ", "")
        if squeezed in self.compact:
            return _settle(name, "spacing", 100.0, self.compact[squeezed])
        return self._fuzzy(name, key)

    def _fuzzy(self, name: str, key: str) -> Resolution | None:
        scores = _fuzzy_scores(key, self.fuzzy_keys)
        if not scores:
            return None
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        candidates = _best_per_group(
            Candidate(e.group_id, e.alias, e.origin, round(score, 1))
            for matched, score in ranked
            for e in self.exact[matched]
        )
        best = candidates[0]
        rivals = {c.group_id for c in candidates if best.score - c.score <= AMBIGUITY_MARGIN}
        group_id = best.group_id if len(rivals) == 1 else None
        return Resolution(name, group_id, "fuzzy", best.score, best.alias, best.origin, candidates)


def _fuzzy_scores(key: str, choices: tuple[str, ...]) -> dict[str, float]:
    """Whole-name similarity, tolerant of word order; partial matches are not enough.

    Two native rapidfuzz scorers (plain and word-sorted ratio); the better counts.
    """
    scores: dict[str, float] = {}
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        for matched, score, _ in process.extract(
            key, choices, scorer=scorer, score_cutoff=FUZZY_THRESHOLD, limit=10
        ):
            scores[matched] = max(score, scores.get(matched, 0.0))
    return scores


def _settle(name: str, method: str, score: float, entries: tuple[AliasEntry, ...]) -> Resolution:
    candidates = _best_per_group(Candidate(e.group_id, e.alias, e.origin, score) for e in entries)
    groups = {e.group_id for e in entries}
    first = entries[0]
    group_id = first.group_id if len(groups) == 1 else None
    return Resolution(name, group_id, method, score, first.alias, first.origin, candidates)


def _best_per_group(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """The first (best) candidate of each group, in order."""
    seen: dict[str, Candidate] = {}
    for candidate in candidates:
        seen.setdefault(candidate.group_id, candidate)
    return tuple(seen.values())
