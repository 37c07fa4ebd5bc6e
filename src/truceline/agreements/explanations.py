"""Sentences for findings' explanations, written for a mediator to read aloud.

Kept apart from the rules so that wording can change without touching a rule
(wording changes do not need a new ``RULES_VERSION``; rule changes do).
Every sentence and phrase is a catalogue message with named placeholders
(``agreements.messages``), so a finding reads in Pashto, Dari and Urdu as fully
as in English; texts of the agreements themselves are ``Text`` parts,
translated as data in the agreement profile (``agreements.translations``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from truceline.agreements.domain import PARTY_NAMES, Attribution, CompiledClause
from truceline.agreements.messages import N_, Arg, Lower, Msg, Text, Words, english_of, msg
from truceline.events.taxonomy import acled_label

TARGET_PHRASES = {
    "security_forces": N_("security forces"),
    "civilians": N_("civilians"),
    "critical_infrastructure": N_("critical infrastructure"),
    "territory": N_("territory (an incursion)"),
    "militants": N_("militants"),
}
ACT_PHRASES = {
    "targeting_security_forces": N_("targeting the other side's security forces"),
    "targeting_civilians": N_("targeting the other side's civilians"),
    "targeting_critical_infrastructure": N_("targeting the other side's critical infrastructure"),
    "incursion": N_("an incursion into the other side's territory"),
    "support_to_hostile_groups": N_("support to groups attacking the other side"),
}
LINK_WORDS = {
    "directed": N_("directed"),
    "facilitated": N_("facilitated"),
    "sanctioned": N_("sanctioned"),
    "tolerated": N_("tolerated"),
    "none": N_("none"),
}
SEVERITY_WORDS = {"grave": N_("grave"), "serious": N_("serious"), "minor": N_("minor")}
#: Party codes read as codes in English and as the country's name in the other languages.
PARTY_CODE_WORDS = {"AF": N_("AF"), "PK": N_("PK")}
PARTY_NAME_WORDS = {"AF": N_("Afghanistan"), "PK": N_("Pakistan")}
ESTABLISHED = N_("established")
NOT_ESTABLISHED = N_("claimed but not established")


def party(code: str) -> Arg:
    """A party as named in a sentence ("PK" in English, "پاکستان" in Urdu); other codes verbatim."""
    return Msg(code) if code in PARTY_CODE_WORDS else code


def party_name(code: str) -> Arg:
    """``Pakistan (PK)``: the translated name and the code."""
    name: Arg = Msg(PARTY_NAME_WORDS[code]) if code in PARTY_NAME_WORDS else code
    return msg(N_("%(name)s (%(code)s)"), name=name, code=code)


def parties(codes: Iterable[str]) -> Words:
    return Words(tuple(party(c) for c in codes))


def link_word(link: str) -> Arg:
    return Msg(LINK_WORDS[link]) if link in LINK_WORDS else link


def join_words(words: Iterable[str]) -> Words:
    """Catalogue phrases read as a list ("a, b and c")."""
    return Words(tuple(Msg(w) for w in words))


def facts_sentence(
    perpetrator: str,
    event_type: str,
    targets: tuple[str, ...],
    attribution: tuple[Attribution, ...],
) -> tuple[tuple[Msg, ...], str]:
    """The facts relied on, in one or two sentences, and their English (each sentence
    memoised by the plain facts it says, which hash far faster than messages)."""
    opening, opening_text = _opening(perpetrator, event_type, targets)
    claimed, claimed_text = _claimed(attribution)
    if not claimed:
        return opening, opening_text
    return opening + claimed, f"{opening_text} {claimed_text}"


@lru_cache(maxsize=16384)
def _opening(
    perpetrator: str, event_type: str, targets: tuple[str, ...]
) -> tuple[tuple[Msg, ...], str]:
    who = _perpetrator_phrase(perpetrator)
    kind = Lower(Msg(acled_label(event_type)))
    if not targets:
        template = N_(
            'Facts relied on: %(who)s carried out an act of type "%(type)s", with no target recorded.'
        )
        parts = (msg(template, who=who, type=kind),)
    else:
        template = N_(
            'Facts relied on: %(who)s carried out an act of type "%(type)s", targeting %(targets)s.'
        )
        aimed = join_words(TARGET_PHRASES[t] for t in targets)
        parts = (msg(template, who=who, type=kind, targets=aimed),)
    return parts, english_of(parts)


def _perpetrator_phrase(perpetrator: str) -> Arg:
    if perpetrator in PARTY_NAMES:
        return msg(N_("The forces of %(party)s"), party=party_name(perpetrator))
    if perpetrator == "unknown":
        return Msg(N_("An unidentified perpetrator"))
    return msg(N_("%(group)s (an armed group, not a party)"), group=upper_first(perpetrator))


@lru_cache(maxsize=4096)
def _claimed(attribution: tuple[Attribution, ...]) -> tuple[tuple[Msg, ...], str]:
    links = [a for a in attribution if a.link != "none"]
    if not links:
        return (), ""
    claimed = Words(
        tuple(
            msg(
                N_("%(link)s by %(party)s (established)")
                if a.established
                else N_("%(link)s by %(party)s (not established)"),
                link=link_word(a.link),
                party=party(a.party),
            )
            for a in links
        )
    )
    parts = (msg(N_("Claimed links to a party: %(links)s."), links=claimed),)
    return parts, english_of(parts)


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def clause_text(clause: CompiledClause) -> Text:
    return Text(f"clause/{clause.id}", clause.text)


def clause_ref(clause: CompiledClause) -> Msg:
    """``Clause <id> ("<text>")``, to open a sentence."""
    return msg(N_('Clause %(clause)s ("%(text)s")'), clause=clause.id, text=clause_text(clause))


def asymmetry_sentence(clause: CompiledClause, *, not_binding: str | None = None) -> Msg:
    """Says a clause binds one side only, and why (and, given, which party it does not bind)."""
    reason = Text(f"clause/{clause.id}/asymmetry", clause.asymmetry or "")
    bound = parties(sorted(clause.bound))
    if not_binding is None:
        template = N_(
            "Clause %(clause)s binds %(bound)s only: the agreement is asymmetric on purpose"
            " here (%(reason)s)."
        )
        return msg(template, clause=clause.id, bound=bound, reason=reason)
    template = N_(
        "Clause %(clause)s binds %(bound)s only: the agreement is asymmetric on purpose"
        " here (%(reason)s), so it does not bind %(party)s."
    )
    return msg(template, clause=clause.id, bound=bound, reason=reason, party=party(not_binding))


def link_phrase(link: Attribution, group: str) -> Msg:
    return msg(
        N_("%(party)s's %(link)s link to %(group)s"),
        party=party(link.party),
        link=link_word(link.link),
        group=group,
    )


def missing_sentence(missing: Iterable[Msg]) -> tuple[Msg, ...]:
    items = tuple(missing)
    if not items:
        return ()
    return (msg(N_("Missing facts: %(facts)s."), facts=Words(items, semicolons=True)),)


def severity_sentence(clause: CompiledClause) -> Msg:
    if clause.severity in SEVERITY_WORDS:
        return msg(
            N_("A breach of %(clause)s counts as %(severity)s."),
            clause=clause.id,
            severity=Msg(SEVERITY_WORDS[clause.severity]),
        )
    return msg(
        N_("How seriously a breach of %(clause)s counts is not in the public record."),
        clause=clause.id,
    )


def definition_phrase(name: str) -> Arg:
    """The threat definition's name in a sentence: the joint list, a party's list, or as given."""
    if name == "the joint list":
        return Msg(N_("the joint list"))
    if name.endswith("'s list") and name[:-7] in PARTY_CODE_WORDS:
        return msg(N_("%(party)s's list"), party=party(name[:-7]))
    return name
