"""The adjudication rules: one finding per incident and agreement in force (pure).

How an incident is judged (docs/agreements.md has worked examples):

1. The agreements in force at the incident's instant are looked up in the
   ``AgreementIndex``, each at the version that governed then (an amendment
   governs from its effective date); with none, one ``outside_scope`` finding
   with no agreement.
2. A party's own forces breach a clause that binds them when the act is one the
   clause prohibits against the other party (``direct`` basis).
3. A non-party perpetrator engages a party only through an *established*
   directed, facilitated or sanctioned link, and only under a clause covering
   that link (``attributed`` basis). An unestablished link gives a
   ``spirit_concern``, or ``indeterminate`` when the facts needed are missing.
4. A "no support" clause needs the group to be one attacking the other side:
   shown by the incident itself, or else by the threat definition in use.
5. Findings rank violation > indeterminate > spirit_concern > no_violation;
   the explanation names the clause, the facts relied on, missing facts and
   what would change the finding.

Decisions are memoised by the facts that matter to them (``situation_key``),
so a million incidents cost one rule evaluation per distinct situation; per
incident only the facts hash, the time and the explanation are assembled.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from truceline.agreements.domain import (
    PARTIES,
    RULES_VERSION,
    AgreementIndex,
    Basis,
    CompiledAgreement,
    Finding,
    FindingKind,
    IncidentFacts,
)
from truceline.agreements.explanations import facts_sentence, missing_sentence
from truceline.agreements.facts import facts_hash
from truceline.agreements.messages import N_, Msg, Parts, Text, english, english_of, msg
from truceline.agreements.rules import Outcome, judge_clauses
from truceline.agreements.situation import situation_key, situation_of
from truceline.agreements.threat import ThreatDefinition

RANK = {
    FindingKind.VIOLATION: 0,
    FindingKind.INDETERMINATE: 1,
    FindingKind.SPIRIT_CONCERN: 2,
    FindingKind.NO_VIOLATION: 3,
}
OCCURRED = N_("It occurred at %(when)s.")
OUTSIDE_EVERY_AGREEMENT = (
    Msg(N_("No agreement was in force then, so no clause applies.")),
    Msg(N_("It would fall in scope only if it had happened while an agreement was in force.")),
)
IN_FORCE = N_(
    'It occurred at %(when)s, when the agreement "%(title)s" (%(agreement)s, version'
    " %(version)s) was %(window)s."
)
OUTSIDE_CLAUSES = Msg(
    N_("The place lies outside the geographic scope of every clause of this agreement.")
)
_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class _Verdict:
    finding: FindingKind
    violating_party: str | None
    clauses: tuple[str, ...]
    basis: Basis
    reasoning: Parts
    missing: tuple[Msg, ...]
    #: ``reasoning`` and ``missing`` in English, rendered once per verdict.
    reasoning_text: str = ""
    missing_text: tuple[str, ...] = ()


class Adjudicator:
    """Judges incident facts against compiled agreements, with a threat definition.

    Build one per run (it memoises decisions); ``known_groups`` are the armed
    group ids of the registry, ``definition`` says which groups count as groups
    attacking a party (the joint list by default, in the callers).
    """

    def __init__(
        self,
        index: AgreementIndex,
        *,
        definition: ThreatDefinition,
        known_groups: Collection[str],
    ) -> None:
        self.index = index
        self.definition = definition
        self.known_groups = frozenset(known_groups)
        self._definition_name = definition.name
        self._verdicts: dict[tuple[object, ...], _Verdict] = {}
        self._minutes: dict[int, str] = {}
        self._windows = {a.key: _window_parts(a) for a in index.agreements}
        self._window_texts = {
            a.key: (
                f' It occurred at {{}}, when the agreement "{a.title}" ({a.id}, version'
                f" {a.version}) was {english(a.window_text)}."
                + "".join(" " + english(part) for part in self._windows[a.key][1])
            )
            for a in index.agreements
        }
        self._bboxes = {
            a.key: tuple(dict.fromkeys(c.bbox for c in a.clauses)) for a in index.agreements
        }

    def adjudicate_many(self, incidents: Iterable[IncidentFacts]) -> list[Finding]:
        findings: list[Finding] = []
        for facts in incidents:
            findings.extend(self.adjudicate(facts))
        return findings

    def adjudicate(self, facts: IncidentFacts) -> list[Finding]:
        """One finding per agreement in force at ``facts.occurred_at`` (or one outside_scope)."""
        digest = facts_hash(facts)
        in_force = self.index.in_force_at(facts.instant)
        when = self._when(facts.instant)
        opening, opening_text = facts_sentence(
            facts.perpetrator, facts.event_type, facts.targets, facts.attribution
        )
        if not in_force:
            outside = (*opening, msg(OCCURRED, when=when), *OUTSIDE_EVERY_AGREEMENT)
            return [
                self._finding(facts, None, None, _OUTSIDE, english_of(outside), outside, digest)
            ]
        key = situation_key(facts)
        findings = []
        for agreement in in_force:
            verdict = self._verdict(facts, agreement, key)
            window, governs = self._windows[agreement.key]
            parts: Parts = (*opening, _with_when(window, when), *governs, *verdict.reasoning)
            explanation = (
                opening_text
                + self._window_texts[agreement.key].format(when)
                + verdict.reasoning_text
            )
            findings.append(
                self._finding(
                    facts, agreement.id, agreement.version, verdict, explanation, parts, digest
                )
            )
        return findings

    def _finding(
        self,
        facts: IncidentFacts,
        agreement_id: str | None,
        version: int | None,
        verdict: _Verdict,
        explanation: str,
        parts: Parts,
        digest: str,
    ) -> Finding:
        return Finding(
            facts.id,
            agreement_id,
            version,
            verdict.finding,
            verdict.violating_party,
            verdict.clauses,
            verdict.basis,
            explanation,
            verdict.missing_text,
            RULES_VERSION,
            digest,
            self._definition_name,
            parts,
        )

    def _when(self, instant: float) -> str:
        minute = int(instant // 60)
        text = self._minutes.get(minute)
        if text is None:
            text = self._minutes[minute] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(instant))
        return text

    def _verdict(
        self, facts: IncidentFacts, agreement: CompiledAgreement, key: tuple[object, ...]
    ) -> _Verdict:
        cover = self._cover(facts, agreement)
        scope = tuple(_in_bbox(bbox, facts.lat, facts.lon) for bbox in self._bboxes[agreement.key])
        full_key = (agreement.key, key, scope, cover)
        verdict = self._verdicts.get(full_key)
        if verdict is None:
            if len(self._verdicts) >= _CACHE_LIMIT:
                self._verdicts.clear()
            verdict = self._decide(facts, agreement, key, cover)
            self._verdicts[full_key] = verdict
        return verdict

    def _cover(self, facts: IncidentFacts, agreement: CompiledAgreement) -> bool | None:
        """Whether the threat definition counts the perpetrator as a group attacking a party."""
        if facts.perpetrator in PARTIES or not agreement.has_support_clause:
            return None
        if facts.perpetrator not in self.known_groups:
            return None
        return self.definition.covers(facts.perpetrator, at=facts.occurred_at)

    def _decide(
        self,
        facts: IncidentFacts,
        agreement: CompiledAgreement,
        key: tuple[object, ...],
        cover: bool | None,
    ) -> _Verdict:
        situation = situation_of(key, self._definition_name, cover)
        scope = {c.id: _in_bbox(c.bbox, facts.lat, facts.lon) for c in agreement.clauses}
        if scope and all(inside is False for inside in scope.values()):
            return _verdict(FindingKind.OUTSIDE_SCOPE, None, (), Basis.NONE, (OUTSIDE_CLAUSES,), ())
        return _combine(judge_clauses(agreement, situation, scope), agreement)


_OUTSIDE = _Verdict(FindingKind.OUTSIDE_SCOPE, None, (), Basis.NONE, (), ())


def _verdict(
    kind: FindingKind,
    violating: str | None,
    clauses: tuple[str, ...],
    basis: Basis,
    reasoning: Parts,
    missing: tuple[Msg, ...],
) -> _Verdict:
    """A verdict with its English rendered once (verdicts are memoised, incidents are many)."""
    reasoning_text = "".join(" " + english(part) for part in reasoning)
    missing_text = tuple(english(m) for m in missing)
    return _Verdict(
        kind, violating, clauses, basis, reasoning, missing, reasoning_text, missing_text
    )


def _window_parts(agreement: CompiledAgreement) -> tuple[Msg, tuple[Msg, ...]]:
    """The sentence placing an incident in the agreement's window (``when`` left to fill in),
    and the one saying from when an amended version governs (none for a version that always has).
    """
    window = msg(
        IN_FORCE,
        title=Text(f"agreement/{agreement.id}/title", agreement.title),
        agreement=agreement.id,
        version=str(agreement.version),
        window=agreement.window_text,
        when="",
    )
    if agreement.governs_from == float("-inf"):
        return window, ()
    since = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(agreement.governs_from))
    governs = msg(
        N_("Version %(version)s governs incidents from %(since)s."),
        version=str(agreement.version),
        since=since,
    )
    return window, (governs,)


def _with_when(window: Msg, when: str) -> Msg:
    """The window sentence with this incident's time (``when`` is its fourth argument, by name:
    agreement, title, version, when, window)."""
    args = window.args
    return Msg(window.id, (*args[:3], ("when", when), *args[4:]))


def _in_bbox(
    bbox: tuple[float, float, float, float] | None, lat: float | None, lon: float | None
) -> bool | None:
    if bbox is None or lat is None or lon is None:
        return None
    return bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]


def _combine(outcomes: list[Outcome], agreement: CompiledAgreement) -> _Verdict:
    """The most serious outcome wins; its clauses, reasons and missing facts are reported."""
    best = min(RANK[o.kind] for o in outcomes)
    chosen = [o for o in outcomes if RANK[o.kind] == best]
    kind = chosen[0].kind
    clauses = tuple(dict.fromkeys(o.clause for o in chosen if o.clause))
    missing = tuple(dict.fromkeys(m for o in chosen for m in o.missing))
    parties = sorted({o.party for o in chosen if o.party})
    violating = parties[0] if kind is FindingKind.VIOLATION and parties else None
    basis = chosen[0].basis if kind is FindingKind.VIOLATION else Basis.NONE
    reasoning = tuple(part for reason in dict.fromkeys(o.reason for o in chosen) for part in reason)
    reasoning += missing_sentence(missing)
    if kind is FindingKind.VIOLATION:
        reasoning += (agreement.penalty,)
    return _verdict(kind, violating, clauses, basis, reasoning, missing)
