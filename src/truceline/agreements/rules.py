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
    ESTABLISHED,
    NOT_ESTABLISHED,
    asymmetry_sentence,
    clause_ref,
    definition_phrase,
    join_words,
    link_phrase,
    link_word,
    party,
    party_name,
    severity_sentence,
)
from truceline.agreements.messages import N_, Msg, Words, msg
from truceline.agreements.situation import Situation

DIRECT_BINDINGS = ("own_forces", "government")


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: FindingKind
    party: str | None
    basis: Basis
    clause: str | None
    reason: tuple[Msg, ...]
    missing: tuple[Msg, ...] = ()


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
    missing = Msg(
        N_("the clause's geographic scope, which the public record does not give")
        if situation.location_known
        else N_("location (to place the incident within the clause's geographic scope)")
    )
    return Outcome(
        FindingKind.INDETERMINATE,
        outcome.party,
        Basis.NONE,
        outcome.clause,
        (
            *outcome.reason,
            Msg(N_("Whether the place lies within the clause's scope cannot be told.")),
        ),
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
    clause: CompiledClause, code: str, hit: frozenset[str] | set[str], *, inferred: bool
) -> Outcome:
    acts = join_words(ACT_PHRASES[a] for a in sorted(hit))
    reason = [
        msg(
            N_("%(clause)s binds the forces of %(party)s and prohibits %(acts)s."),
            clause=clause_ref(clause),
            party=party_name(code),
            acts=acts,
        ),
        msg(
            N_("The act was exactly that, so it is a violation by %(party)s on a direct basis."),
            party=party(code),
        ),
    ]
    if inferred and hit - {"incursion"}:
        template = N_(
            "The targets are taken to be %(other)s's, the other party's; had they been"
            " %(party)s's own (target_party), this clause would not apply."
        )
        reason.append(msg(template, other=party(other_party(code)), party=party(code)))
    template = N_(
        "The finding would change only if the facts did: if the act were shown not to be by"
        " %(party)s's forces, or not %(acts)s."
    )
    reason.append(msg(template, party=party(code), acts=acts))
    reason.append(severity_sentence(clause))
    return Outcome(FindingKind.VIOLATION, code, Basis.DIRECT, clause.id, tuple(reason))


def _crossing_unknown(clause: CompiledClause, code: str) -> Outcome:
    reason = (
        msg(
            N_(
                "%(clause)s prohibits an incursion into the other side's territory, and the"
                " facts do not say whether %(party)s's force was used across the"
                " Afghanistan–Pakistan border."
            ),
            clause=clause_ref(clause),
            party=party(code),
        ),
        msg(
            N_(
                "If it was, this is a violation by %(party)s; if it stayed on %(party)s's side, it is not."
            ),
            party=party(code),
        ),
    )
    missing = Msg(
        N_("location.country (whether the force was used across the Afghanistan–Pakistan border)")
    )
    return Outcome(FindingKind.INDETERMINATE, code, Basis.NONE, clause.id, reason, (missing,))


def _force_across_border(agreement: CompiledAgreement, code: str) -> Outcome:
    reason = (
        msg(
            N_(
                "%(party)s's forces used force on %(other)s's side of the border against militants."
            ),
            party=party(code),
            other=party(other_party(code)),
        ),
        Msg(
            N_(
                "No clause of this agreement prohibits that in itself (it lists no incursion"
                " clause, and militants are not a protected target), but force across the"
                " border runs against the purpose of a ceasefire: a concern for its spirit."
            )
        ),
        Msg(
            N_(
                "It would be a violation if the other side's security forces, civilians or"
                " critical infrastructure had been targeted."
            )
        ),
    )
    return Outcome(FindingKind.SPIRIT_CONCERN, code, Basis.NONE, None, reason)


def _own_side(code: str) -> Outcome:
    template = N_(
        "The targets were %(party)s's own (target_party), and the agreement's clauses protect"
        " each party's people and forces from the other party only; this is outside what the"
        " agreement governs, so no clause is breached."
    )
    reason = (msg(template, party=party(code)),)
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
        msg(
            N_(
                "Links from %(group)s to both parties are claimed, and the facts do not say"
                " whose forces or people were hit, so the rules cannot tell which party's"
                " link, if any, engages a clause."
            ),
            group=s.perpetrator,
        ),
        Msg(N_("Naming the side that was hit (target_party) would settle it.")),
    )
    missing = Msg(
        N_("target_party (whose forces or people were hit; links to both parties are claimed)")
    )
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
    base = msg(
        N_(
            "%(clause)s binds %(party)s for acts carried out through a %(link)s link, and"
            " prohibits %(acts)s."
        ),
        clause=clause_ref(clause),
        party=party(link.party),
        link=link_word(link.link),
        acts=join_words(ACT_PHRASES[a] for a in sorted(hit)),
    )
    if link.established:
        reason = (
            base,
            msg(
                N_(
                    "%(link)s is established, so this is a violation by %(party)s on an"
                    " attributed basis."
                ),
                link=link_phrase(link, s.perpetrator),
                party=party(link.party),
            ),
            Msg(N_("It would change if that link were withdrawn on review.")),
            severity_sentence(clause),
        )
        return Outcome(FindingKind.VIOLATION, link.party, Basis.ATTRIBUTED, clause.id, reason)
    return _unestablished(clause, link, s, (base,))


def _support_clause(
    clause: CompiledClause, link: Attribution, s: Situation, acts: set[str]
) -> Outcome:
    other = party(other_party(link.party))
    group = s.perpetrator
    definition = definition_phrase(s.definition_name)
    shown = bool(acts - {"incursion"})
    hostile = True if shown else s.cover
    base = msg(
        N_("%(clause)s binds %(party)s for groups it supports through a %(links)s link."),
        clause=clause_ref(clause),
        party=party(link.party),
        links=Words(tuple(link_word(x) for x in sorted(clause.covers_links))),
    )
    tail = (asymmetry_sentence(clause),) if clause.asymmetry else ()
    if hostile is False:
        reason = (
            base,
            msg(
                N_(
                    "%(definition)s does not count %(group)s as a group attacking %(other)s,"
                    " and this incident is no attack on the other side, so the clause does not"
                    " reach it."
                ),
                definition=definition,
                group=group,
                other=other,
            ),
            msg(N_("It would if %(group)s were listed as such a group."), group=group),
        )
        return Outcome(FindingKind.NO_VIOLATION, None, Basis.NONE, clause.id, reason + tail)
    if not link.established:
        return _unestablished(clause, link, s, (base, *tail))
    if hostile is None:
        return _support_undecided(clause, link, s, (base,), tail)
    why = (
        msg(
            N_("the incident itself is an attack by %(group)s on %(other)s"),
            group=group,
            other=other,
        )
        if shown
        else msg(
            N_("%(definition)s counts %(group)s as a group attacking %(other)s"),
            definition=definition,
            group=group,
            other=other,
        )
    )
    reason = (
        base,
        msg(
            N_(
                "%(link)s is established and %(why)s, so this is a violation by %(party)s on an"
                " attributed basis."
            ),
            link=link_phrase(link, group),
            why=why,
            party=party(link.party),
        ),
        Msg(N_("It would change if the link were withdrawn on review.")),
        *tail,
        severity_sentence(clause),
    )
    return Outcome(FindingKind.VIOLATION, link.party, Basis.ATTRIBUTED, clause.id, reason)


def _support_undecided(
    clause: CompiledClause,
    link: Attribution,
    s: Situation,
    base: tuple[Msg, ...],
    tail: tuple[Msg, ...],
) -> Outcome:
    other = party(other_party(link.party))
    group = s.perpetrator
    definition = definition_phrase(s.definition_name)
    reason = (
        *base,
        msg(
            N_(
                "%(link)s is established, but whether %(group)s counts as a group attacking"
                " %(other)s is undecided in %(definition)s, and this incident is no attack on"
                " %(other)s."
            ),
            link=link_phrase(link, group),
            group=group,
            other=other,
            definition=definition,
        ),
        msg(
            N_(
                "Listing %(group)s would make it a violation by %(party)s on an attributed"
                " basis; not listing it, no violation."
            ),
            group=group,
            party=party(link.party),
        ),
        *tail,
    )
    missing = msg(
        N_("whether %(group)s counts as a group attacking %(other)s (%(definition)s is undecided)"),
        group=group,
        other=other,
        definition=definition,
    )
    return Outcome(FindingKind.INDETERMINATE, link.party, Basis.NONE, clause.id, reason, (missing,))


def _unestablished(
    clause: CompiledClause, link: Attribution, s: Situation, base: tuple[Msg, ...]
) -> Outcome:
    reason = (
        *base,
        msg(
            N_(
                "%(link)s is claimed but not established, so this is not a violation but a"
                " concern for the spirit of the agreement."
            ),
            link=link_phrase(link, s.perpetrator),
        ),
        msg(
            N_(
                "It would become a violation by %(party)s on an attributed basis if the"
                " mechanism established that link."
            ),
            party=party(link.party),
        ),
    )
    missing = msg(
        N_("an established %(link)s link between %(group)s and %(party)s"),
        link=link_word(link.link),
        group=s.perpetrator,
        party=party(link.party),
    )
    return Outcome(
        FindingKind.SPIRIT_CONCERN, link.party, Basis.NONE, clause.id, reason, (missing,)
    )


def _uncovered_link(agreement: CompiledAgreement, link: Attribution, s: Situation) -> Outcome:
    reason = [
        msg(N_("%(group)s is not a party to this agreement."), group=s.perpetrator),
        msg(
            N_("%(link)s is %(state)s."),
            link=link_phrase(link, s.perpetrator),
            state=Msg(ESTABLISHED if link.established else NOT_ESTABLISHED),
        ),
        msg(
            N_(
                "No clause of this agreement covers a %(link)s link by %(party)s, so,"
                " established or not, it is no violation of this agreement, only a concern for"
                " its spirit."
            ),
            link=link_word(link.link),
            party=party(link.party),
        ),
        msg(
            N_(
                "Under a clause covering that link (such as a no-support clause binding"
                " %(party)s), an established link would make it a violation by %(party)s on an"
                " attributed basis."
            ),
            party=party(link.party),
        ),
    ]
    for clause in agreement.clauses:
        if link.link in clause.covers_links and clause.binds(
            other_party(link.party), "supported_groups"
        ):
            reason.append(asymmetry_sentence(clause, not_binding=link.party))
    return Outcome(FindingKind.SPIRIT_CONCERN, None, Basis.NONE, None, tuple(reason))


def _unlinked_group(agreement: CompiledAgreement, s: Situation) -> Outcome:
    if not s.hostile:
        return _nothing_prohibited(s)
    reason = (
        msg(
            N_(
                "%(group)s is not a party to this agreement, and no link to a party is claimed:"
                " a non-party's own acts breach no clause, so neither party violated it."
            ),
            group=s.perpetrator,
        ),
        msg(
            N_(
                "It would become a violation by a party only if that party's directed,"
                " facilitated or sanctioned link to %(group)s were established under a clause"
                " covering that link."
            ),
            group=s.perpetrator,
        ),
    )
    return Outcome(FindingKind.NO_VIOLATION, None, Basis.NONE, None, reason)


def _unknown_perpetrator(agreement: CompiledAgreement, s: Situation) -> list[Outcome]:
    acts = set(s.targeting) | ({"incursion"} if s.territorial or s.force else set())
    clauses = [c for c in agreement.clauses if c.prohibits & acts and not _only_support(c)]
    if not clauses or not s.hostile:
        return [_nothing_prohibited(s)]
    reason = (
        msg(
            N_(
                "Without knowing who did it the rules cannot say whether anyone breached %(clauses)s."
            ),
            clauses=Words(tuple(c.id for c in clauses)),
        ),
        Msg(
            N_(
                "If either party's forces did it, it would be a direct violation by that party;"
                " if a non-party group did, only an established link to a party, under a clause"
                " covering it, would make it a violation."
            )
        ),
    )
    missing = Msg(N_("perpetrator (a party's forces, an armed group, or someone else)"))
    return [
        Outcome(FindingKind.INDETERMINATE, None, Basis.NONE, c.id, reason, (missing,))
        for c in clauses
    ]


def _only_support(clause: CompiledClause) -> bool:
    return clause.prohibits == frozenset({"support_to_hostile_groups"})


_NOTHING_PROHIBITED = (
    Msg(
        N_(
            "None of the agreement's clauses prohibits this act: it targeted none of the other"
            " side's security forces, civilians or critical infrastructure, and crossed into no"
            " territory."
        )
    ),
    Msg(
        N_(
            "It would be a violation if a party's forces (or a group acting through an"
            " established link to a party) had done so."
        )
    ),
)


def _nothing_prohibited(s: Situation) -> Outcome:
    return Outcome(FindingKind.NO_VIOLATION, None, Basis.NONE, None, _NOTHING_PROHIBITED)
