"""Where a report's information comes from, and what kind of statement it is (pure, no I/O).

Two questions decide whether a report corroborates another:

- **kind**: a party's ``allegation`` (it accuses the other party), a party's
  ``denial`` (its answer to an allegation: it rejects or disputes it, or gives
  its own account of its own forces' action), or anyone's ``account`` of what
  happened. Allegations and denials are the parties' *positions*; the alleging
  party of a case is taken from an allegation, never from a denial or a media item.
- **origin**: ``witnessed`` (the source saw it or its aftermath itself),
  ``official_statement`` (an authority speaking for itself), ``relayed`` (the
  source passes on what another source said, named in ``relayed_from``), or
  ``unknown``. A report relaying a party's statement counts with that statement.

Intake, the web form, CSV and truceline JSON call ``resolve``: a value the
submitter gave is kept; otherwise a default for the source type applies, and a
few phrases that reliably mark relayed information ("according to …",
"citing …", "quoting …", "as reported by …", "… statement, reported by …")
are read from the source name and text. ``note`` says which of these happened,
so the page can show why a report counts as it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

PARTIES = ("AF", "PK")


class ReportKind(StrEnum):
    ALLEGATION = "allegation"
    DENIAL = "denial"
    ACCOUNT = "account"


class Origin(StrEnum):
    WITNESSED = "witnessed"
    OFFICIAL_STATEMENT = "official_statement"
    RELAYED = "relayed"
    UNKNOWN = "unknown"


#: The origin assumed when the submitter does not say, by source type.
DEFAULT_ORIGIN: dict[str, Origin] = {
    "party_liaison": Origin.OFFICIAL_STATEMENT,
    "field_monitor": Origin.WITNESSED,
    "community_reporter": Origin.WITNESSED,
    "media": Origin.UNKNOWN,
    "dataset": Origin.UNKNOWN,
    "other": Origin.UNKNOWN,
}

#: Names (lower case, matched as words) that stand for a party's official voice: a report
#: relaying one of them relays that party's statement. Kept short and unambiguous on purpose:
#: "Afghan officials" is the party, "Afghanistan Cricket Board" is not.
PARTY_VOICES: dict[str, tuple[str, ...]] = {
    "AF": (
        "zabihullah mujahid", "hamdullah fitrat", "enayatullah khwarazmi", "islamic emirate",
        "taliban spokesman", "taliban government", "taliban officials", "taliban authorities",
        "afghan officials", "afghan authorities", "afghan government", "afghan ministry",
        "afghanistan's de facto authorities", "afghanistan's ministry", "de facto authorities",
        "afghan interim government", "afghan defence ministry", "afghan defense ministry",
    ),
    "PK": (
        "ispr", "inter-services public relations", "pakistan army", "pakistani army",
        "pakistani military", "pakistan's military", "pakistani security officials",
        "pakistani security sources", "pakistani officials", "pakistani authorities",
        "pakistan's foreign office", "pakistan foreign office", "government of pakistan",
        "pakistani government", "pakistan's ministry", "khawaja asif", "attaullah tarar",
    ),
}  # fmt: skip

_NAME = r"(?P<name>[^,.;:()\n]{2,120}?)"
#: Phrases that name the source a report relays, tried in this order.
RELAY_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"^{_NAME}\s+statements?,?\s+(?:as\s+)?(?:reported|quoted|cited)\s+by\b",
        rf"\baccording\s+to\s+(?:the\s+)?{_NAME}(?=[,.;:()\n]|\s+(?:on|in|who|said)\b|$)",
        rf"\b(?:citing|quoting)\s+(?:the\s+)?{_NAME}(?=[,.;:()\n]|\s+(?:on|in|who|as)\b|$)",
        rf"\bas\s+reported\s+by\s+(?:the\s+)?{_NAME}(?=[,.;:()\n]|\s+(?:on|in)\b|$)",
    )
)
#: Relayed-by phrases that name only the medium, not an origin ("as reported by media").
_MEDIA_ONLY = re.compile(r"^(?:the\s+)?(?:international\s+|local\s+)?(?:media|press|news)\b", re.I)


@dataclass(frozen=True)
class Provenance:
    kind: ReportKind
    origin: Origin
    relayed_from: str = ""
    relayed_from_party: str | None = None
    note: str = ""


def party_of_voice(name: str) -> str | None:
    """The party whose official voice ``name`` is (see ``PARTY_VOICES``), or None."""
    lowered = f" {name.casefold()} "
    for party, voices in PARTY_VOICES.items():
        if any(re.search(rf"(?<![\w']){re.escape(v)}(?![\w'])", lowered) for v in voices):
            return party
    return None


def default_kind(source_type: str, source_party: str | None, perpetrator: str | None) -> ReportKind:
    """A party's report is its allegation, unless it names its own forces (then it answers one)."""
    if source_type != "party_liaison" or source_party not in PARTIES:
        return ReportKind.ACCOUNT
    return ReportKind.DENIAL if perpetrator == source_party else ReportKind.ALLEGATION


def relayed_source(source_name: str, text: str) -> tuple[str, str] | None:
    """(the source named as relayed, the phrase that named it), read from the name, then text."""
    for where in (source_name, text):
        for pattern in RELAY_PATTERNS:
            for match in pattern.finditer(where):
                name = match.group("name").strip(" '\"“”‘’")
                if name and not _MEDIA_ONLY.match(name):
                    return name, match.group(0).strip()
    return None


def resolve(
    *,
    source_type: str,
    source_party: str | None,
    source_name: str,
    text: str,
    perpetrator: str | None,
    kind: str | None = None,
    origin: str | None = None,
    relayed_from: str | None = None,
    relayed_from_party: str | None = None,
) -> Provenance:
    """The report's kind and origin: as given, else inferred (the note says which)."""
    resolved_kind = (
        ReportKind(kind) if kind else default_kind(source_type, source_party, perpetrator)
    )
    if origin or relayed_from or relayed_from_party:
        given = Origin(origin) if origin else Origin.RELAYED
        name = (relayed_from or "").strip()
        party = relayed_from_party or (party_of_voice(name) if name else None)
        if given is not Origin.RELAYED:
            return Provenance(resolved_kind, given, note="as stated at intake")
        return Provenance(resolved_kind, given, name, party, "as stated at intake")
    if source_type != "party_liaison":
        found = relayed_source(source_name, text)
        if found is not None:
            name, phrase = found
            note = f'inferred from "{phrase[:120]}"'
            return Provenance(resolved_kind, Origin.RELAYED, name, party_of_voice(name), note)
    default = DEFAULT_ORIGIN.get(source_type, Origin.UNKNOWN)
    return Provenance(resolved_kind, default, note=f"default for a {source_type.replace('_', ' ')}")


def check(
    *, kind: str | None, source_party: str | None, perpetrator: str | None, origin: str | None,
    relayed_from: str | None, relayed_from_party: str | None,
) -> list[tuple[str, str]]:  # fmt: skip
    """Problems with what a submitter stated, as (field, message); empty when consistent."""
    problems: list[tuple[str, str]] = []
    if kind in (ReportKind.ALLEGATION, ReportKind.DENIAL) and source_party not in PARTIES:
        problems.append(("kind", f"{kind} is a party's statement: give source_party (AF or PK)"))
    if kind == ReportKind.ALLEGATION and perpetrator is not None and perpetrator == source_party:
        problems.append(
            ("kind", "a party does not allege a breach by its own forces: use kind denial")
        )
    if origin is not None and origin != Origin.RELAYED and (relayed_from or relayed_from_party):
        problems.append(("relayed_from", "only a relayed report names the source it relays"))
    if origin == Origin.RELAYED and not (relayed_from or "").strip() and not relayed_from_party:
        problems.append(("relayed_from", "a relayed report names the source it relays"))
    if relayed_from_party is not None and relayed_from_party not in PARTIES:
        problems.append(("relayed_from_party", "expected AF or PK"))
    return problems
