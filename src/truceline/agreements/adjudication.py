"""The adjudication rules: one finding per incident and agreement in force (pure).

How an incident is judged (docs/agreements.md has worked examples):

1. The agreements in force at the incident's instant are looked up in the
   ``AgreementIndex``; with none, one ``outside_scope`` finding with no agreement.
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

Decisions are memoised by the facts that matter to them, so a million
incidents cost one rule evaluation per distinct situation; only the facts
hash and the time sentence are computed per incident.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC

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
from truceline.agreements.rules import Outcome, Situation, judge_clauses
from truceline.agreements.threat import ThreatDefinition
from truceline.events.taxonomy import USE_OF_FORCE_TYPES

TERRITORIAL_EVENT_TYPES = frozenset({"incursion", "airspace_violation"})
SUPPORT_EVENT_TYPES = frozenset({"headquarters_or_base_established", "change_to_group_activity"})
PROTECTED_TARGETS = {
    "security_forces": "targeting_security_forces",
    "civilians": "targeting_civilians",
    "critical_infrastructure": "targeting_critical_infrastructure",
}
RANK = {
    FindingKind.VIOLATION: 0,
    FindingKind.INDETERMINATE: 1,
    FindingKind.SPIRIT_CONCERN: 2,
    FindingKind.NO_VIOLATION: 3,
}
_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class _Verdict:
    finding: FindingKind
    violating_party: str | None
    clauses: tuple[str, ...]
    basis: Basis
    facts_text: str
    reasoning: str
    missing: tuple[str, ...]


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
        self._cache: dict[tuple[object, ...], _Verdict] = {}
        self._definition_name = definition.name

    def adjudicate_many(self, incidents: Iterable[IncidentFacts]) -> list[Finding]:
        findings: list[Finding] = []
        for facts in incidents:
            findings.extend(self.adjudicate(facts))
        return findings

    def adjudicate(self, facts: IncidentFacts) -> list[Finding]:
        """One finding per agreement in force at ``facts.occurred_at`` (or one outside_scope)."""
        digest = facts_hash(facts)
        in_force = self.index.in_force_at(facts.instant)
        when = facts.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        if not in_force:
            return [self._outside_every_agreement(facts, digest, when)]
        findings = []
        for agreement in in_force:
            verdict = self._verdict(facts, agreement)
            explanation = (
                f"{verdict.facts_text} It occurred at {when}, when the agreement "
                f'"{agreement.title}" ({agreement.id}, version {agreement.version}) was '
                f"{agreement.window_text}."
                f"{verdict.reasoning}"
            )
            findings.append(
                Finding(
                    facts.id,
                    agreement.id,
                    agreement.version,
                    verdict.finding,
                    verdict.violating_party,
                    verdict.clauses,
                    verdict.basis,
                    explanation,
                    verdict.missing,
                    RULES_VERSION,
                    digest,
                    self._definition_name,
                )
            )
        return findings

    def _verdict(self, facts: IncidentFacts, agreement: CompiledAgreement) -> _Verdict:
        cover = self._cover(facts, agreement)
        scope = _scope_signature(agreement, facts.lat, facts.lon)
        key = (
            agreement.id,
            agreement.version,
            facts.perpetrator,
            facts.event_type,
            facts.targets,
            facts.attribution,
            facts.target_party,
            facts.country,
            scope,
            cover,
        )
        verdict = self._cache.get(key)
        if verdict is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            verdict = self._cache[key] = self._decide(facts, agreement, cover)
        return verdict

    def _cover(self, facts: IncidentFacts, agreement: CompiledAgreement) -> bool | None:
        """Whether the threat definition counts the perpetrator as a group attacking a party."""
        if facts.perpetrator in PARTIES or not agreement.has_support_clause:
            return None
        if facts.perpetrator not in self.known_groups:
            return None
        return self.definition.covers(facts.perpetrator, at=facts.occurred_at)

    def _decide(
        self, facts: IncidentFacts, agreement: CompiledAgreement, cover: bool | None
    ) -> _Verdict:
        situation = situation_of(facts, self._definition_name, cover)
        facts_text = facts_sentence(
            perpetrator=facts.perpetrator,
            kind=situation.kind,
            event_type=facts.event_type,
            targets=facts.targets,
            links=situation.links,
        )
        scope = {c.id: _in_bbox(c.bbox, facts.lat, facts.lon) for c in agreement.clauses}
        if scope and all(inside is False for inside in scope.values()):
            return _Verdict(
                FindingKind.OUTSIDE_SCOPE,
                None,
                (),
                Basis.NONE,
                facts_text,
                " The place lies outside the geographic scope of every clause of this agreement.",
                (),
            )
        outcomes = judge_clauses(agreement, situation, scope)
        return _combine(outcomes, facts_text, agreement)

    def _outside_every_agreement(self, facts: IncidentFacts, digest: str, when: str) -> Finding:
        text = facts_sentence(
            perpetrator=facts.perpetrator,
            kind=_kind(facts.perpetrator),
            event_type=facts.event_type,
            targets=facts.targets,
            links=tuple(a for a in facts.attribution if a.link != "none"),
        )
        explanation = (
            f"{text} It occurred at {when}, when no agreement was in force, so no clause applies."
            " It would fall in scope only if it had happened while an agreement was in force."
        )
        return Finding(
            facts.id,
            None,
            None,
            FindingKind.OUTSIDE_SCOPE,
            None,
            (),
            Basis.NONE,
            explanation,
            (),
            RULES_VERSION,
            digest,
            self._definition_name,
        )


def _kind(perpetrator: str) -> str:
    if perpetrator in PARTIES:
        return "party"
    return "unknown" if perpetrator == "unknown" else "group"


def situation_of(facts: IncidentFacts, definition_name: str, cover: bool | None) -> Situation:
    """What the incident amounts to, independent of any one agreement."""
    kind = _kind(facts.perpetrator)
    force = facts.event_type in USE_OF_FORCE_TYPES
    territorial = facts.event_type in TERRITORIAL_EVENT_TYPES or "territory" in facts.targets
    targeting = frozenset(PROTECTED_TARGETS[t] for t in facts.targets if t in PROTECTED_TARGETS)
    crossing: bool | None = True if territorial else None
    if kind == "party" and not territorial and facts.country is not None:
        crossing = facts.country == ("PK" if facts.perpetrator == "AF" else "AF")
    elif kind == "party" and not territorial and facts.target_party == facts.perpetrator:
        crossing = False  # force against its own side's people stays on its own side
    return Situation(
        perpetrator=facts.perpetrator,
        kind=kind,
        force=force,
        territorial=territorial,
        support_event=facts.event_type in SUPPORT_EVENT_TYPES,
        targeting=targeting if (force or territorial) else frozenset(),
        crossing=crossing,
        target_party=facts.target_party,
        links=tuple(a for a in facts.attribution if a.link != "none"),
        cover=cover,
        definition_name=definition_name,
        location_known=facts.lat is not None,
    )


def _scope_signature(
    agreement: CompiledAgreement, lat: float | None, lon: float | None
) -> tuple[bool | None, ...]:
    return tuple(_in_bbox(c.bbox, lat, lon) for c in agreement.clauses)


def _in_bbox(
    bbox: tuple[float, float, float, float] | None, lat: float | None, lon: float | None
) -> bool | None:
    if bbox is None or lat is None or lon is None:
        return None
    return bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]


def _combine(outcomes: list[Outcome], facts_text: str, agreement: CompiledAgreement) -> _Verdict:
    """The most serious outcome wins; its clauses, reasons and missing facts are reported."""
    best = min(RANK[o.kind] for o in outcomes)
    chosen = [o for o in outcomes if RANK[o.kind] == best]
    kind = chosen[0].kind
    clauses = tuple(dict.fromkeys(o.clause for o in chosen if o.clause))
    missing = tuple(dict.fromkeys(m for o in chosen for m in o.missing))
    parties = sorted({o.party for o in chosen if o.party})
    violating = parties[0] if kind is FindingKind.VIOLATION and parties else None
    basis = chosen[0].basis if kind is FindingKind.VIOLATION else Basis.NONE
    reasoning = "".join(dict.fromkeys(o.reason for o in chosen))
    reasoning += missing_sentence(missing)
    if kind is FindingKind.VIOLATION:
        reasoning += f" {agreement.penalty}"
    return _Verdict(kind, violating, clauses, basis, facts_text, reasoning, missing)
