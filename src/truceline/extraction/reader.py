"""Reading a press release, a party statement or a news report into proposed incident facts.

The reader works sentence by sentence, offline, with rules a person can check:
a sentence with an event trigger (``lexicon.EVENT_TRIGGERS``) starts or joins
an event; the sentences of an event give its date (``dates``), its counts
(``numbers`` beside casualty words), who acted (the registry's aliases and the
parties' force names, scored by whether they act or are acted upon), its
targets, and its place (the geoparser on the place phrases, "in Urgun district
of Paktika"). Every fact carries the span of text it was read from, and the
event a confidence. These are proposals for an analyst, never facts on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from truceline.designations.profile import profile_data
from truceline.extraction.dates import dateline_day, dateline_span, resolve_date
from truceline.extraction.lexicon import (
    AGENT_AFTER,
    AGENT_BEFORE,
    CASUALTY_AFTER,
    CASUALTY_BEFORE,
    CASUALTY_MENTION,
    CASUALTY_WORDS_OTHER,
    EVENT_TRIGGERS,
    GENERIC_FORCES,
    NOT_PEOPLE,
    PARTY_CUES,
    PARTY_FORCES,
    PERSON_AFTER_ARTICLE,
    TARGET_WORDS,
    VICTIM_BEFORE,
    VICTIM_CONTEXT,
    WEAPON_IN_MENTION,
)
from truceline.extraction.numbers import DIGITS, quantities
from truceline.extraction.places import find_place, place_phrases
from truceline.geo.geoparse import Geoparser, Match, default_geoparser

#: Most events read from one text (a round-up of a week is cut at this).
MAX_EVENTS = 5
SENTENCE_END = re.compile(r"(?<=[.!?؟۔])\s+|\n+")
YEAR = re.compile(r"(?:19|20)\d\d")
MONTH_BEFORE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?$",
    re.I,
)
#: Where the words after a number stop describing it: a comma, "while", or "and" opening
#: a new verb ("killed 10 civilians and wounded 12 others": the 10 were not wounded).
NEXT_CLAUSE = re.compile(
    r"[,;]|\bwhile\b|\bwhereas\b|\band\s+(?=(?:killed|killing|wounded|wounding|injured|"
    r"injuring|captured|capturing|arrested|detained|abducted)\b)",
    re.I,
)


@dataclass
class Evidence:
    field: str
    start: int
    end: int

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end}


@dataclass
class ExtractedEvent:
    """One event proposed from the text (the JSON object of ``truceline extract``)."""

    event_type: str
    occurred_on: date | None = None
    perpetrator: str | None = None
    location: Match | None = None
    targets: list[str] = field(default_factory=list)
    killed: int = 0
    injured: int = 0
    captured: int = 0
    confidence: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        place = self.location
        return {
            "occurred_on": self.occurred_on.isoformat() if self.occurred_on else None,
            "event_type": self.event_type,
            "perpetrator": self.perpetrator,
            "location": None
            if place is None
            else {
                "name": place.name,
                "lat": round(place.lat, 5),
                "lon": round(place.lon, 5),
                "country": place.country,
                "admin1": place.admin1 or None,
                "admin2": place.admin2,
                "precision": place.precision,
            },  # fmt: skip
            "targets": self.targets,
            "killed": self.killed,
            "injured": self.injured,
            "captured": self.captured,
            "confidence": round(self.confidence, 2),
            "evidence": [e.as_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` with their offsets (a new line also ends one)."""
    found, position = [], 0
    for part in SENTENCE_END.split(text):
        index = text.find(part, position)
        if part.strip():
            found.append(Sentence(part, index))
        position = index + len(part)
    return found


@dataclass(frozen=True)
class AliasPatterns:
    """Every alias of every registry group, as two patterns (abbreviations are case-sensitive)."""

    exact: re.Pattern[str]
    folded: re.Pattern[str]
    groups: dict[str, str]  # alias (casefolded unless upper-case) -> group id

    def find(self, text: str) -> list[tuple[str, int, int]]:
        found = []
        for pattern, fold in ((self.exact, False), (self.folded, True)):
            for match in pattern.finditer(text):
                key = match.group(0).casefold() if fold else match.group(0)
                found.append((self.groups[key], match.start(), match.end()))
        return found


def _group_aliases() -> AliasPatterns:
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for group in profile_data()["groups"]:
        for entry in group.get("aliases", []):
            alias = str(entry["alias"]).strip()
            if len(alias) >= 3:
                if alias.isupper():
                    exact[alias] = str(group["id"])
                else:
                    folded[alias.casefold()] = str(group["id"])

    def alternation(names: dict[str, str], flags: int) -> re.Pattern[str]:
        ordered = sorted(names, key=len, reverse=True)  # the longest alias wins
        return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, ordered))})(?!\w)", flags)

    return AliasPatterns(alternation(exact, 0), alternation(folded, re.IGNORECASE), exact | folded)


class Reader:
    """Reads texts; holds the geoparser and the alias patterns (built once, on first use)."""

    def __init__(self, geoparser: Geoparser | None = None) -> None:
        self._geoparser = geoparser

    @property
    def geoparser(self) -> Geoparser:
        if self._geoparser is None:
            self._geoparser = default_geoparser()
        return self._geoparser

    @cached_property
    def aliases(self) -> AliasPatterns:
        return _group_aliases()

    def read(self, text: str, *, published: date | None = None) -> list[ExtractedEvent]:
        """The events ``text`` reports, each with its facts and their evidence."""
        reference = dateline_day(text, published) or published
        events: list[tuple[str, list[Sentence]]] = []
        for sentence in sentences(text):
            kind = _event_type(sentence.text)
            if kind is None:
                if events:
                    events[-1][1].append(sentence)
                continue
            if events and (events[-1][0] == kind or not place_phrases(sentence.text)):
                events[-1][1].append(sentence)
            elif len(events) < MAX_EVENTS:
                events.append((kind, [sentence]))
        if not events:  # deaths or arrests with no word for the event: its kind is left open
            counted = [
                s for s in sentences(text) if any(_count(s.text, n)[0] for n in CASUALTY_AFTER)
            ]
            counted = counted or [s for s in sentences(text) if CASUALTY_MENTION.search(s.text)]
            if counted:
                events.append(("other", counted))
        side = _side_of(text)
        return [self._event(kind, group, reference, side, text) for kind, group in events]

    def _event(
        self, kind: str, group: list[Sentence], reference: date | None, side: str | None, full: str
    ) -> ExtractedEvent:
        event = ExtractedEvent(event_type=kind)
        first = group[0]
        trigger = next((p.search(first.text) for k, p in EVENT_TRIGGERS if k == kind), None)
        if trigger:
            event.evidence.append(
                Evidence("event_type", first.start + trigger.start(), first.start + trigger.end())
            )
        self._read_date(event, group, reference)
        self._read_counts(event, group)
        self._read_actor(event, group, side)
        self._read_place(event, group, full)
        event.targets = _targets(" ".join(s.text for s in group), event.perpetrator, kind)
        event.confidence = _confidence(event)
        return event

    def _read_date(
        self, event: ExtractedEvent, group: list[Sentence], reference: date | None
    ) -> None:
        for sentence in group:
            text = sentence.text
            if sentence.start == 0 and (line := dateline_span(text)):
                text = " " * line[1] + text[line[1] :]  # the dateline's day is the report's
            reading = resolve_date(text, reference)
            if reading.start is not None:
                event.occurred_on = reading.day
                event.evidence.append(
                    Evidence(
                        "occurred_on",
                        sentence.start + reading.start,
                        sentence.start + (reading.end or reading.start),
                    )
                )
                return
        event.occurred_on = reference

    def _read_counts(self, event: ExtractedEvent, group: list[Sentence]) -> None:
        for name in ("killed", "injured", "captured"):
            best, spans = 0, []
            for sentence in group:
                total, found = _count(sentence.text, name)
                if total > best:
                    best, spans = (
                        total,
                        [(sentence.start + a, sentence.start + b) for a, b in found],
                    )
            setattr(event, name, best)
            event.evidence += [Evidence(name, a, b) for a, b in spans]

    def _read_actor(self, event: ExtractedEvent, group: list[Sentence], side: str | None) -> None:
        candidates: list[tuple[int, str, int, int]] = []
        for sentence in group:
            for actor, start, end in self._actors(sentence.text, side):
                score = _agency(sentence.text, start, end)
                candidates.append((score, actor, sentence.start + start, sentence.start + end))
        acting = [c for c in candidates if c[0] > 0]
        if acting:
            score, actor, start, end = max(acting, key=lambda c: (c[0], -c[2]))
            event.perpetrator = actor
            event.evidence.append(Evidence("perpetrator", start, end))

    def _actors(self, text: str, side: str | None) -> list[tuple[str, int, int]]:
        found = [(party, m.start(), m.end()) for party, p in PARTY_FORCES for m in p.finditer(text)]
        if side:
            found += [(side, m.start(), m.end()) for m in GENERIC_FORCES.finditer(text)]
        return found + self.aliases.find(text)

    def _read_place(self, event: ExtractedEvent, group: list[Sentence], full: str) -> None:
        found = find_place(self.geoparser, [(s.text, s.start) for s in group], full)
        if found is not None:
            event.location, start, end = found
            event.evidence.append(Evidence("location", start, end))


def _event_type(text: str) -> str | None:
    for kind, pattern in EVENT_TRIGGERS:
        if pattern.search(text):
            return kind
    return None


def _count(text: str, name: str) -> tuple[int, list[tuple[int, int]]]:
    """People counted with the casualty word ``name`` in one sentence (summed over "3 soldiers
    and 2 civilians"), and the spans of the numbers read."""
    ascii_text = text.translate(DIGITS)
    total, spans, seen = 0, [], set()
    for quantity in quantities(ascii_text):
        after, before = ascii_text[quantity.end :], ascii_text[: quantity.start]
        if NOT_PEOPLE.match(after) or (quantity.start, quantity.end) in seen:
            continue
        word = ascii_text[quantity.start : quantity.end].strip().lower()
        if YEAR.fullmatch(word) and MONTH_BEFORE.search(before):
            continue  # "on 17 October 2025 killed 10": the year is no count
        if word in ("a", "an") and not PERSON_AFTER_ARTICLE.match(after):
            continue
        clause = NEXT_CLAUSE.split(after, maxsplit=1)[0]
        if (
            CASUALTY_AFTER[name].match(_join_list(clause))
            or CASUALTY_BEFORE[name].search(before)
            or CASUALTY_WORDS_OTHER[name].match(clause)
        ):
            total += quantity.value
            spans.append((quantity.start, quantity.end))
            seen.add((quantity.start, quantity.end))
    return total, spans


def _join_list(clause: str) -> str:
    """ "2 soldiers and 3 civilians were killed": each number reaches the verb past the list."""
    return re.sub(r"\band\s+(?:at\s+least\s+)?\d+\s+\w+", "", clause)


def _agency(text: str, start: int, end: int) -> int:
    """How much a mention acts: after-verbs and "by X" count for, "against X" against."""
    score = 0
    if AGENT_AFTER.match(text[end:]):
        score += 2
    if AGENT_BEFORE.search(text[:start]):
        score += 2
    if re.match(
        r"^\W*(?:air\s*strikes?|drones?|shelling|strikes?|jets|aircraft|fire|firing)\b",
        text[end:],
        re.I,
    ):
        score += 1
    if WEAPON_IN_MENTION.search(text[start:end]):
        score += 1
    if VICTIM_BEFORE.search(text[:start]):
        score -= 2
    return score


def _side_of(text: str) -> str | None:
    """The party whose words or places dominate the text (for "security forces")."""
    counts = {party: len(p.findall(text)) for party, p in PARTY_CUES}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked[0][1] and ranked[0][1] > ranked[1][1]:
        return ranked[0][0]
    return None


#: Events whose "targets" are not read from the whole text when no victim is named.
NO_TARGET_FALLBACK = frozenset({"arrests", "crossing_closure", "military_buildup", "other"})


def _targets(text: str, perpetrator: str | None, kind: str) -> list[str]:
    """Who or what was hit: the words after the counts and after "attack on"; else the text's."""
    victims = " ".join(
        [m.group(1) for m in VICTIM_CONTEXT.finditer(text)]
        + [
            re.split(r"[.,;]", text[q.end : q.end + 40])[0]
            for q in quantities(text.translate(DIGITS))
        ]
    )
    found = [name for name, pattern in TARGET_WORDS if pattern.search(victims)]
    if not found and kind not in NO_TARGET_FALLBACK:
        found = [name for name, pattern in TARGET_WORDS if pattern.search(text)]
    if perpetrator in ("AF", "PK") and "militants" in found and "security_forces" in found:
        found.remove("security_forces")  # forces acting against militants are not the target
    return found


def _confidence(event: ExtractedEvent) -> float:
    """How much of the event was read: type, date, place, counts, actor, weighted."""
    score = 0.3
    score += 0.2 if any(e.field == "occurred_on" for e in event.evidence) else 0.05
    score += 0.25 * (event.location.score if event.location else 0.0)
    score += 0.1 if (event.killed or event.injured or event.captured) else 0.0
    score += 0.15 if event.perpetrator else 0.0
    return min(score, 1.0)
