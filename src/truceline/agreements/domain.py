"""Pure value types of adjudication: incident facts, compiled agreements, findings.

Agreement documents (``schema``) are compiled once into ``CompiledAgreement``
values: clauses resolved through inheritance, windows in force as UTC
timestamps cut to the period each version governs (from its effective date to
the next version's), and an index by time (``AgreementIndex``) so that finding
the agreement versions in force at an instant is a binary search. Nothing here
does I/O.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from truceline.agreements.messages import N_, Msg, Parts, msg
from truceline.agreements.schema import UNKNOWN, AgreementDocument, Clause, Consequences
from truceline.errors import CodedError

#: Bump when a rule changes, so stored findings show which rules produced them.
RULES_VERSION = "adjudication-rules/1"

PARTIES: tuple[str, str] = ("AF", "PK")
PARTY_NAMES = {"AF": "Afghanistan", "PK": "Pakistan"}


def other_party(party: str) -> str:
    return "PK" if party == "AF" else "AF"


class FindingKind(StrEnum):
    VIOLATION = "violation"
    NO_VIOLATION = "no_violation"
    SPIRIT_CONCERN = "spirit_concern"
    OUTSIDE_SCOPE = "outside_scope"
    INDETERMINATE = "indeterminate"


class Basis(StrEnum):
    DIRECT = "direct"
    ATTRIBUTED = "attributed"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Attribution:
    """A claimed link between a non-party perpetrator and a party."""

    party: str
    link: str
    established: bool


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """One incident as the adjudication rules see it (see docs/cli.md, "Incident facts").

    ``instant`` is ``occurred_at`` as a UTC POSIX timestamp, so comparisons are
    between instants whatever offset the input used. ``country`` and
    ``target_party`` are optional refinements: where the act happened and whose
    people or forces were hit.
    """

    id: str
    occurred_at: datetime
    instant: float
    lat: float | None
    lon: float | None
    event_type: str
    perpetrator: str
    attribution: tuple[Attribution, ...]
    targets: tuple[str, ...]
    fatalities: tuple[tuple[str, int], ...]
    country: str | None = None
    target_party: str | None = None


class Finding(NamedTuple):
    """The verdict on one incident under one agreement (or ``outside_scope`` under none).

    A named tuple rather than a dataclass: a million of them are built in a run.
    """

    incident: str
    agreement: str | None
    agreement_version: int | None
    finding: FindingKind
    violating_party: str | None
    clauses: tuple[str, ...]
    basis: Basis
    explanation: str
    missing_facts: tuple[str, ...]
    rules_version: str
    facts_hash: str
    definition: str
    #: The explanation as catalogue messages, to render in the reader's language.
    explanation_parts: Parts = ()

    def to_json(self) -> dict[str, object]:
        """The finding object of docs/cli.md ("Findings"), plus the reproducibility fields."""
        return {
            "incident": self.incident,
            "agreement": self.agreement,
            "finding": self.finding.value,
            "violating_party": self.violating_party,
            "clauses": list(self.clauses),
            "basis": self.basis.value,
            "explanation": self.explanation,
            "missing_facts": list(self.missing_facts),
            "agreement_version": self.agreement_version,
            "rules_version": self.rules_version,
            "facts_hash": self.facts_hash,
            "definition": self.definition,
        }


@dataclass(frozen=True, slots=True)
class CompiledClause:
    id: str
    text: str
    bound: dict[str, frozenset[str]]  # party -> through
    prohibits: frozenset[str]
    covers_links: frozenset[str]
    bbox: tuple[float, float, float, float] | None  # None: scope not given
    scope_text: str
    severity: str
    asymmetry: str | None

    def binds(self, party: str, through: str) -> bool:
        return through in self.bound.get(party, frozenset())


EVER = float("-inf")
NEVER = float("inf")
Period = tuple[float, float]  # [start, end) as UTC timestamps


@dataclass(frozen=True, slots=True)
class CompiledAgreement:
    """One version of an agreement, ready for adjudication.

    ``windows`` are the instants in force *and* governed by this version: a
    version governs incidents from its effective date (``governs_from``) until
    the next version's. An agreement that inherits its clauses is compiled once
    per version of the agreement holding them (``clauses_from``), each piece
    with the part of the windows that version governs; ``key`` tells pieces apart.
    """

    id: str
    version: int
    title: str
    parties: tuple[str, ...]
    windows: tuple[Period, ...]
    clauses: tuple[CompiledClause, ...]
    penalty: Msg
    window_text: Msg
    governs_from: float = EVER
    clauses_from: tuple[str, int] | None = None

    @property
    def has_support_clause(self) -> bool:
        return any("support_to_hostile_groups" in c.prohibits for c in self.clauses)

    @property
    def key(self) -> tuple[str, int, tuple[str, int] | None]:
        return (self.id, self.version, self.clauses_from)


@dataclass(frozen=True, slots=True)
class VersionedDocument:
    """One version of an agreement and when it takes effect (None: from the start)."""

    document: AgreementDocument
    effective_from: datetime | None


class AgreementCompileError(CodedError, ValueError):
    """The agreements do not fit together (a missing or circular inheritance)."""

    default_code = "agreement_not_compiled"


_Chain = list[tuple[AgreementDocument, Period]]


def compile_agreements(
    items: Iterable[AgreementDocument | VersionedDocument],
) -> tuple[CompiledAgreement, ...]:
    """Resolve versions, inherited clauses and windows in force, once, before adjudicating.

    Plain documents take effect from their own ``effective_from`` (or from the
    start); each version of an agreement governs until the next one takes effect.
    """
    chains = _chains(items)
    compiled = []
    for chain in chains.values():
        for doc, period in chain:
            own = _windows(doc)
            for piece, clauses, source in _clause_sources(doc, chains, seen=()):
                compiled.append(
                    _compile_one(
                        doc, _within(own, _overlap(period, piece)), clauses, source, period
                    )
                )
    return tuple(compiled)


def _chains(items: Iterable[AgreementDocument | VersionedDocument]) -> dict[str, _Chain]:
    """Each agreement's versions in order, with the period each governs."""
    latest: dict[str, dict[int, VersionedDocument]] = {}
    for item in items:
        versioned = (
            item
            if isinstance(item, VersionedDocument)
            else VersionedDocument(item, item.effective_from)
        )
        latest.setdefault(versioned.document.id, {})[versioned.document.version] = versioned
    chains: dict[str, _Chain] = {}
    for agreement_id, by_version in latest.items():
        ordered = [by_version[number] for number in sorted(by_version)]
        starts = [v.effective_from.timestamp() if v.effective_from else EVER for v in ordered]
        ends = [*starts[1:], NEVER]
        chains[agreement_id] = [
            (v.document, (start, end)) for v, start, end in zip(ordered, starts, ends, strict=True)
        ]
    return chains


def _clause_sources(
    doc: AgreementDocument, chains: dict[str, _Chain], seen: tuple[str, ...]
) -> list[tuple[Period, tuple[Clause, ...], tuple[str, int] | None]]:
    """The clauses a version applies, per period of the versions it inherits them from."""
    if doc.clauses or doc.inherits_clauses_from is None:
        return [((EVER, NEVER), tuple(doc.clauses), None)]
    parent_id = doc.inherits_clauses_from
    if parent_id in seen or parent_id == doc.id:
        raise AgreementCompileError(f"{doc.id}: circular inherits_clauses_from via {parent_id}")
    if parent_id not in chains:
        raise AgreementCompileError(
            f"{doc.id}: inherits_clauses_from names {parent_id!r}, which is not loaded"
        )
    sources: list[tuple[Period, tuple[Clause, ...], tuple[str, int] | None]] = []
    for parent, parent_period in chains[parent_id]:
        for period, clauses, source in _clause_sources(parent, chains, (*seen, doc.id)):
            overlap = _overlap(parent_period, period)
            if overlap[0] < overlap[1]:
                sources.append((overlap, clauses, source or (parent_id, parent.version)))
    return sources


def _overlap(a: Period, b: Period) -> Period:
    return (max(a[0], b[0]), min(a[1], b[1]))


def _within(windows: tuple[Period, ...], period: Period) -> tuple[Period, ...]:
    cut = (_overlap(window, period) for window in windows)
    return tuple(window for window in cut if window[0] < window[1])


def _compile_one(
    doc: AgreementDocument,
    windows: tuple[Period, ...],
    clauses: tuple[Clause, ...],
    source: tuple[str, int] | None,
    period: Period,
) -> CompiledAgreement:
    return CompiledAgreement(
        id=doc.id,
        version=doc.version,
        title=doc.title,
        parties=tuple(doc.parties),
        windows=windows,
        clauses=tuple(_compile_clause(c) for c in clauses),
        penalty=_penalty_text(doc.consequences),
        window_text=_window_text(doc),
        governs_from=period[0],
        clauses_from=source,
    )


def _windows(doc: AgreementDocument) -> tuple[tuple[float, float], ...]:
    start = doc.in_force_from.timestamp()
    end = float("inf")
    if isinstance(doc.duration_hours, int):
        end = (doc.in_force_from + timedelta(hours=doc.duration_hours)).timestamp()
    if doc.termination is not None:
        end = min(end, doc.termination.at.timestamp())
    windows = [(start, end)] if start < end else []
    for suspension in doc.suspensions:
        until = (
            suspension.until.timestamp() if isinstance(suspension.until, datetime) else float("inf")
        )
        windows = _cut(windows, suspension.starts.timestamp(), until)
    return tuple(windows)


def _cut(windows: list[tuple[float, float]], start: float, end: float) -> list[tuple[float, float]]:
    result: list[tuple[float, float]] = []
    for lo, hi in windows:
        if lo < start:
            result.append((lo, min(hi, start)))
        if hi > end:
            result.append((max(lo, end), hi))
    return result


def _compile_clause(clause: Clause) -> CompiledClause:
    return CompiledClause(
        id=clause.id,
        text=clause.text.strip(),
        bound={b.party: frozenset(b.through) for b in clause.binds},
        prohibits=frozenset(clause.prohibits),
        covers_links=frozenset(clause.covers_links),
        bbox=clause.scope.bbox if isinstance(clause.scope.bbox, tuple) else None,
        scope_text=clause.scope.description,
        severity=clause.severity,
        asymmetry=clause.asymmetric.reason.strip() if clause.asymmetric else None,
    )


def _penalty_text(consequences: Consequences) -> Msg:
    if consequences.imposed_on == UNKNOWN:
        return Msg(N_("The agreement's consequences for a breach are not public."))
    levels = consequences.penalty_levels
    if isinstance(levels, list):
        return msg(
            N_(
                "Under this agreement a penalty falls on the violating party; penalty levels: %(levels)s."
            ),
            levels=", ".join(level.name for level in levels),
        )
    return Msg(
        N_(
            "Under this agreement a penalty falls on the violating party; its penalty levels are"
            " not public."
        )
    )


def _window_text(doc: AgreementDocument) -> Msg:
    start = doc.in_force_from.isoformat(timespec="minutes")
    if isinstance(doc.duration_hours, int):
        end = (doc.in_force_from + timedelta(hours=doc.duration_hours)).isoformat(
            timespec="minutes"
        )
        return msg(N_("in force from %(start)s until %(end)s"), start=start, end=end)
    if doc.duration_hours == "open_ended":
        return msg(N_("in force from %(start)s, open-ended"), start=start)
    return msg(
        N_("in force from %(start)s, for a period the public record does not give"), start=start
    )


class AgreementIndex:
    """The agreements in force at any instant, found by binary search over breakpoints."""

    def __init__(self, agreements: Sequence[CompiledAgreement]) -> None:
        self.agreements = tuple(agreements)
        points = sorted({p for a in agreements for w in a.windows for p in w})
        self._points = points
        # _segments[i] holds the agreements in force on [points[i-1], points[i]).
        self._segments: list[tuple[CompiledAgreement, ...]] = [()]
        for lo in points:
            self._segments.append(
                tuple(a for a in agreements if any(s <= lo < e for s, e in a.windows))
            )

    def in_force_at(self, instant: float) -> tuple[CompiledAgreement, ...]:
        return self._segments[bisect.bisect_right(self._points, instant)]

    def keys_in_force_at(self, instant: float) -> frozenset[tuple[object, ...]]:
        """Which versions (and inherited clause versions) would judge an incident at ``instant``."""
        return frozenset(a.key for a in self.in_force_at(instant))

    def get(self, agreement_id: str) -> CompiledAgreement | None:
        """The latest version of an agreement."""
        versions = [a for a in self.agreements if a.id == agreement_id]
        return max(versions, key=lambda a: a.version) if versions else None
