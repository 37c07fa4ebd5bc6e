"""Clause-by-clause rules: what an incident amounts to under one agreement (pure).

``judge_clauses`` returns one ``Outcome`` per clause (or rule) that has
something to say; ``adjudication`` ranks them into a finding. Each outcome's
``reason`` is a sentence of the explanation: the clause, why it applies or
not, and what would change the outcome. To add a rule, add a branch here and
bump ``domain.RULES_VERSION``.
"""

from __future__ import annotations

from dataclasses import dataclass

from truceline.agreements.domain import (
    Attribution,
    Basis,
    CompiledAgreement,
    CompiledClause,
    FindingKind,
    other_party,
)
from truceline.agreements.explanations import (
    ACT_PHRASES,
    asymmetry_sentence,
    clause_ref,
    join_words,
    link_phrase,
    party_name,
    severity_sentence,
)
from truceline.agreements.situation import Situation

DIRECT_BINDINGS = ("own_forces", "government")


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: FindingKind
    party: str | None
    basis: Basis
    clause: str | None
    reason: str
    missing: tuple[str, ...] = ()


def judge_clauses(
    agreement: CompiledAgreement, situation: Situation, scope: dict[str, bool | None]
) -> list[Outcome]:
    """Every clause's outcome for this situation, with the clause's geographic scope applied."""
    if situation.kind == "party":
        outcomes = _party_outcomes(agreement, situation)
    elif situation.links:
        outcomes = _linked_outcomes(agreement, situation)
    elif situation.kind == "group":
        outcomes = [_unlinked_group(agreement, situation)]
    else:
        outcomes = _unknown_perpetrator(agreement, situation)
    scoped = [_apply_scope(o, scope, situation) for o in outcomes]
    kept = [o for o in scoped if o is not None]
    return kept or [_nothing_prohibited(situation)]


def _apply_scope(
    outcome: Outcome, scope: dict[str, bool | None], situation: Situation
) -> Outcome | None:
    if outcome.clause is None or outcome.kind is not FindingKind.VIOLATION:
        return outcome
    inside = scope.get(outcome.clause)
    if inside is True:
        return outcome
    if inside is False:
        return None
    missing = (
        "the clause's geographic scope, which the public record does not give"
        if situation.location_known
        else "location (to place the incident within the clause's geographic scope)"
    )
    return Outcome(
        FindingKind.INDETERMINATE,
        outcome.party,
        Basis.NONE,
        outcome.clause,
        outcome.reason + " Whether the place lies within the clause's scope cannot be told.",
        (*outcome.missing, missing),
    )


def _party_outcomes(agreement: CompiledAgreement, s: Situation) -> list[Outcome]:
    party = s.perpetrator
    other = other_party(party)
    victim = s.target_party or other
    acts = set(s.targeting) if victim == other else set()
    if s.crossing:
        acts.add("incursion")
    outcomes: list[Outcome] = []
    for clause in agreement.clauses:
        if not any(clause.binds(party, how) for how in DIRECT_BINDINGS):
            continue
        hit = clause.prohibits & acts
        if hit:
            outcomes.append(_direct_violation(clause, party, hit, inferred=s.target_party is None))
        elif "incursion" in clause.prohibits and s.force and s.crossing is None:
            outcomes.append(_crossing_unknown(clause, party))
    if not outcomes and s.crossing and s.force:
        outcomes.append(_force_across_border(agreement, party))
    if not outcomes and victim == party and s.targeting:
        outcomes.append(_own_side(party))
    return outcomes


def _direct_violation(
    clause: CompiledClause, party: str, hit: frozenset[str] | set[str], *, inferred: bool
) -> Outcome:
    other = other_party(party)
    acts = join_words(ACT_PHRASES[a] for a in sorted(hit))
    reason = (
        f" {clause_ref(clause)} binds the forces of {party_name(party)} and prohibits"
        f" {acts}. The act was exactly that, so it is a violation by {party} on a direct basis."
    )
    if inferred and hit - {"incursion"}:
        reason += (
            f" The targets are taken to be {other}'s, the other party's; had they been {party}'s"
            " own (target_party), this clause would not apply."
        )
    reason += (
        f" The finding would change only if the facts did: if the act were shown not to be by"
        f" {party}'s forces, or not {acts}."
    )
    reason += severity_sentence(clause)
    return Outcome(FindingKind.VIOLATION, party, Basis.DIRECT, clause.id, reason)


def _crossing_unknown(clause: CompiledClause, party: str) -> Outcome:
    reason = (
        f" {clause_ref(clause)} prohibits an incursion into the other side's"
        f" territory, and the facts do not say whether {party}'s force was used across the"
        f" Afghanistan–Pakistan border. If it was, this is a violation by {party}; if it stayed"
        f" on {party}'s side, it is not."
    )
    missing = "location.country (whether the force was used across the Afghanistan–Pakistan border)"
    return Outcome(FindingKind.INDETERMINATE, party, Basis.NONE, clause.id, reason, (missing,))


def _force_across_border(agreement: CompiledAgreement, party: str) -> Outcome:
    reason = (
        f" {party}'s forces used force on {other_party(party)}'s side of the border against"
        f" militants. No clause of this agreement prohibits that in itself (it lists no"
        " incursion clause, and militants are not a protected target), but force across the"
        " border runs against the purpose of a ceasefire: a concern for its spirit. It would be"
        " a violation if the other side's security forces, civilians or critical"
        " infrastructure had been targeted."
    )
    return Outcome(FindingKind.SPIRIT_CONCERN, party, Basis.NONE, None, reason)


def _own_side(party: str) -> Outcome:
    reason = (
        f" The targets were {party}'s own (target_party), and the agreement's clauses protect"
        " each party's people and forces from the other party only; this is outside what"
        " the agreement governs, so no clause is breached."
    )
    return Outcome(FindingKind.NO_VIOLATION, None, Basis.NONE, None, reason)


def _linked_outcomes(agreement: CompiledAgreement, s: Situation) -> list[Outcome]:
    if s.target_party is None and len({link.party for link in s.links}) > 1 and s.hostile:
        return [_victim_unknown(s)]
    outcomes: list[Outcome] = []
    for link in s.links:
        other = other_party(link.party)
        victim = s.target_party or other
        acts = set(s.targeting) if victim == other else set()
        if s.territorial and victim == other:
            acts.add("incursion")
        found = [o for c in agreement.clauses if (o := _link_clause(c, link, s, acts))]
        if not found and s.hostile:
            found = [_uncovered_link(agreement, link, s)]
        outcomes.extend(found)
    return outcomes


def _victim_unknown(s: Situation) -> Outcome:
    reason = (
        f" Links from {s.perpetrator} to both parties are claimed, and the facts do not say"
        " whose forces or people were hit, so the rules cannot tell which party's link, if"
        " any, engages a clause. Naming the side that was hit (target_party) would settle it."
    )
    missing = "target_party (whose forces or people were hit; links to both parties are claimed)"
    return Outcome(FindingKind.INDETERMINATE, None, Basis.NONE, None, reason, (missing,))


def _link_clause(
    clause: CompiledClause, link: Attribution, s: Situation, acts: set[str]
) -> Outcome | None:
    if link.link not in clause.covers_links:
        return None
    if "support_to_hostile_groups" in clause.prohibits and clause.binds(
        link.party, "supported_groups"
    ):
        return _support_clause(clause, link, s, acts)
    if not any(clause.binds(link.party, how) for how in DIRECT_BINDINGS):
        return None
    hit = clause.prohibits & acts
    if not hit:
        return None
    return _through_link(clause, link, s, hit)


def _through_link(
    clause: CompiledClause, link: Attribution, s: Situation, hit: frozenset[str] | set[str]
) -> Outcome:
    acts = join_words(ACT_PHRASES[a] for a in sorted(hit))
    base = (
        f" {clause_ref(clause)} binds {link.party} for acts carried out through a"
        f" {link.link} link, and prohibits {acts}."
    )
    if link.established:
        reason = (
            base
            + (
                f" {link_phrase(link, s.perpetrator)} is established, so this is a violation by"
                f" {link.party} on an attributed basis. It would change if that link were withdrawn"
                " on review."
            )
            + severity_sentence(clause)
        )
        return Outcome(FindingKind.VIOLATION, link.party, Basis.ATTRIBUTED, clause.id, reason)
    return _unestablished(clause, link, s, base)


def _support_clause(
    clause: CompiledClause, link: Attribution, s: Situation, acts: set[str]
) -> Outcome:
    other = other_party(link.party)
    shown = bool(acts - {"incursion"})
    hostile = True if shown else s.cover
    base = (
        f" {clause_ref(clause)} binds {link.party} for groups it supports through a"
        f" {join_words(sorted(clause.covers_links))} link."
    )
    base_tail = asymmetry_sentence(clause) + "." if clause.asymmetry else ""
    if hostile is False:
        reason = base + (
            f" {s.definition_name} does not count {s.perpetrator} as a group attacking {other},"
            " and this incident is no attack on the other side, so the clause does not reach"
            f" it. It would if {s.perpetrator} were listed as such a group."
        )
        return Outcome(FindingKind.NO_VIOLATION, None, Basis.NONE, clause.id, reason + base_tail)
    why_hostile = (
        f"the incident itself is an attack by {s.perpetrator} on {other}"
        if shown
        else f"{s.definition_name} counts {s.perpetrator} as a group attacking {other}"
    )
    if not link.established:
        return _unestablished(clause, link, s, base + base_tail)
    if hostile is None:
        reason = base + (
            f" {link_phrase(link, s.perpetrator)} is established, but whether {s.perpetrator}"
            f" counts as a group attacking {other} is undecided in {s.definition_name}, and this"
            f" incident is no attack on {other}. Listing {s.perpetrator} would make it a violation"
            f" by {link.party} on an attributed basis; not listing it, no violation."
        )
        missing = f"whether {s.perpetrator} counts as a group attacking {other} ({s.definition_name} is undecided)"
        return Outcome(
            FindingKind.INDETERMINATE,
            link.party,
            Basis.NONE,
            clause.id,
            reason + base_tail,
            (missing,),
        )
    reason = base + (
        f" {link_phrase(link, s.perpetrator)} is established and {why_hostile}, so this is a"
        f" violation by {link.party} on an attributed basis. It would change if the link were"
        " withdrawn on review."
    )
    reason += base_tail + severity_sentence(clause)
    return Outcome(FindingKind.VIOLATION, link.party, Basis.ATTRIBUTED, clause.id, reason)


def _unestablished(clause: CompiledClause, link: Attribution, s: Situation, base: str) -> Outcome:
    reason = base + (
        f" {link_phrase(link, s.perpetrator)} is claimed but not established, so this is not a"
        f" violation but a concern for the spirit of the agreement. It would become a violation"
        f" by {link.party} on an attributed basis if the mechanism established that link."
    )
    missing = f"an established {link.link} link between {s.perpetrator} and {link.party}"
    return Outcome(
        FindingKind.SPIRIT_CONCERN, link.party, Basis.NONE, clause.id, reason, (missing,)
    )


def _uncovered_link(agreement: CompiledAgreement, link: Attribution, s: Situation) -> Outcome:
    state = "established" if link.established else "claimed but not established"
    reason = (
        f" {s.perpetrator} is not a party to this agreement. {link_phrase(link, s.perpetrator)}"
        f" is {state}. No clause of this agreement covers a {link.link} link by"
        f" {link.party}, so, established or not, it is no violation of this agreement, only a"
        f" concern for its spirit. Under a clause covering that link (such as a no-support clause binding"
        f" {link.party}), an established link would make it a violation by {link.party} on an"
        " attributed basis."
    )
    for clause in agreement.clauses:
        if link.link in clause.covers_links and clause.binds(
            other_party(link.party), "supported_groups"
        ):
            reason += asymmetry_sentence(clause) + f", so it does not bind {link.party}."
    return Outcome(FindingKind.SPIRIT_CONCERN, None, Basis.NONE, None, reason)


def _unlinked_group(agreement: CompiledAgreement, s: Situation) -> Outcome:
    if not s.hostile:
        return _nothing_prohibited(s)
    reason = (
        f" {s.perpetrator} is not a party to this agreement, and no link to a party is"
        " claimed: a non-party's own acts breach no clause, so neither party violated it. It"
        " would become a violation by a party only if that party's directed, facilitated or"
        f" sanctioned link to {s.perpetrator} were established under a clause covering that link."
    )
    return Outcome(FindingKind.NO_VIOLATION, None, Basis.NONE, None, reason)


def _unknown_perpetrator(agreement: CompiledAgreement, s: Situation) -> list[Outcome]:
    acts = set(s.targeting) | ({"incursion"} if s.territorial or s.force else set())
    clauses = [c for c in agreement.clauses if c.prohibits & acts and not _only_support(c)]
    if not clauses or not s.hostile:
        return [_nothing_prohibited(s)]
    names = join_words(c.id for c in clauses)
    reason = (
        f" Without knowing who did it the rules cannot say whether anyone breached {names}. If"
        " either party's forces did it, it would be a direct violation by that party; if a"
        " non-party group did, only an established link to a party, under a clause covering"
        " it, would make it a violation."
    )
    missing = "perpetrator (a party's forces, an armed group, or someone else)"
    return [
        Outcome(FindingKind.INDETERMINATE, None, Basis.NONE, c.id, reason, (missing,))
        for c in clauses
    ]


def _only_support(clause: CompiledClause) -> bool:
    return clause.prohibits == frozenset({"support_to_hostile_groups"})


def _nothing_prohibited(s: Situation) -> Outcome:
    reason = (
        " None of the agreement's clauses prohibits this act: it targeted none of the other"
        " side's security forces, civilians or critical infrastructure, and crossed into no"
        " territory. It would be a violation if a party's forces (or a group acting through an"
        " established link to a party) had done so."
    )
    return Outcome(FindingKind.NO_VIOLATION, None, Basis.NONE, None, reason)
