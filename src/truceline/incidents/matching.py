"""Scoring how well a report matches an incident, with reasons a person can read (pure).

Five signals each add a weight of evidence (a log-likelihood ratio) for or
against "one event": space (km apart against the expected error of both places'
precision), time (hours apart, likewise), event type, claimed perpetrator, and
text similarity (rapidfuzz token-set ratio, within one script). The sum gives
a probability, the score. A signal unknown on either side is left out rather
than guessed. A pair further apart than the space or time tolerance of the
coarser precision is no candidate at all. The constants are in ``EVIDENCE``. Thresholds:
``AUTO_LINK_THRESHOLD`` links without asking; ``PROPOSE_THRESHOLD`` puts the
candidate before an analyst. To add a signal, add it to ``score_match`` and
``WEIGHTS``; the reasons list picks it up.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from truceline.events.taxonomy import EVENT_TYPES, UNKNOWN_ACTOR

AUTO_LINK_THRESHOLD = 0.5
PROPOSE_THRESHOLD = 0.1

#: Distance within which two accounts can describe one event, by UCDP place precision (km).
SPACE_TOLERANCE_KM: dict[int, float] = {
    1: 12.0,
    2: 35.0,
    3: 60.0,
    4: 200.0,
    5: 150.0,
    6: 900.0,
    7: 300.0,
}
#: Time apart within which two accounts can describe one event, by time precision (hours).
TIME_TOLERANCE_H: dict[int, float] = {
    0: 12.0,
    1: 36.0,
    2: 24.0 * 7,
    3: 24.0 * 45,
    4: 24.0 * 400,
    5: 24.0 * 2000,
}
#: Typical error of a reported place, by place precision (km); two errors combine in quadrature.
PLACE_ERROR_KM: dict[int, float] = {1: 3.0, 2: 10.0, 3: 20.0, 4: 70.0, 5: 50.0, 6: 300.0, 7: 100.0}
#: Typical error of a reported time, by time precision (hours).
TIME_ERROR_H: dict[int, float] = {0: 3.0, 1: 10.0, 2: 50.0, 3: 300.0, 4: 3000.0, 5: 15000.0}
#: Radius (km) and span (h) over which another event near a report is taken to be spread.
BACKGROUND_KM = 50.0
BACKGROUND_H = 48.0
#: Log-likelihood ratios of the categorical signals, and the text-similarity line.
EVIDENCE: dict[str, float] = {
    "same_type": 1.4,
    "related_type": -0.3,
    "different_type": -4.5,
    "same_actor": 0.9,
    "different_actor": -1.0,
    "text_slope": 8.0,
    "text_neutral": 0.6,
}
#: Log odds, before any evidence, that a candidate near a report is the same event.
PRIOR_LOG_ODDS = -2.6
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class MatchFeatures:
    """What matching needs of a report or an incident. ``hours`` is hours since the Unix epoch."""

    hours: float | None
    time_precision: int
    lat: float | None
    lon: float | None
    geo_precision: int
    event_type: str | None
    actor: str | None
    texts: tuple[str, ...] = field(default_factory=tuple)
    #: The type was read from the text by the machine, not given by the source.
    type_read: bool = False


@dataclass(frozen=True)
class Match:
    """A score in [0, 1], each signal's part, and the reasons, best-known first."""

    score: float
    components: dict[str, float]
    reasons: tuple[str, ...]

    @property
    def decision(self) -> str:
        if self.score >= AUTO_LINK_THRESHOLD:
            return "auto_link"
        return "propose" if self.score >= PROPOSE_THRESHOLD else "none"


def hours_since_epoch(instant: datetime) -> float:
    return instant.timestamp() / 3600.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def space_tolerance_km(a: MatchFeatures, b: MatchFeatures) -> float:
    return max(
        SPACE_TOLERANCE_KM.get(a.geo_precision, 900.0),
        SPACE_TOLERANCE_KM.get(b.geo_precision, 900.0),
    )


def time_tolerance_h(a: MatchFeatures, b: MatchFeatures) -> float:
    return max(
        TIME_TOLERANCE_H.get(a.time_precision, 48000.0),
        TIME_TOLERANCE_H.get(b.time_precision, 48000.0),
    )


def score_match(report: MatchFeatures, incident: MatchFeatures) -> Match | None:
    """How likely ``report`` describes ``incident``; None when too far apart in space or time.

    Each signal adds its weight of evidence (a log-likelihood ratio: how much
    likelier the observation is if both describe one event than if they describe
    two nearby ones), in the manner of Fellegi and Sunter's record linkage. The
    sum plus ``PRIOR_LOG_ODDS`` is turned into a probability, the score. An
    imprecise place or time carries little weight either way; a signal unknown
    on either side carries none.
    """
    space = _space(report, incident)
    time = _time(report, incident)
    if space is None or time is None:
        return None
    parts = [
        space,
        time,
        _event_type(report, incident),
        _actor(report, incident),
        _text(report, incident),
    ]
    components = {name: round(value, 3) for name, value, _ in parts if value is not None}
    log_odds = PRIOR_LOG_ODDS + sum(components.values())
    score = 1.0 / (1.0 + math.exp(-max(min(log_odds, 50.0), -50.0)))
    reasons = tuple(_with_weight(reason, value) for _, value, reason in parts)
    return Match(round(score, 4), components, reasons)


Signal = tuple[str, float | None, str]


def _with_weight(reason: str, value: float | None) -> str:
    return reason if value is None else f"{reason}: {value:+.1f}"


def _space(a: MatchFeatures, b: MatchFeatures) -> Signal | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return ("space", None, "place not compared: no coordinates on one side")
    distance = haversine_km(a.lat, a.lon, b.lat, b.lon)
    if distance > space_tolerance_km(a, b):
        return None
    error = math.hypot(
        PLACE_ERROR_KM.get(a.geo_precision, 300.0), PLACE_ERROR_KM.get(b.geo_precision, 300.0)
    )
    # Same event: distance ~ Rayleigh(error). Different events: uniform over a disc of BACKGROUND_KM.
    weight = math.log(BACKGROUND_KM**2 / (2 * error**2)) - distance**2 / (2 * error**2)
    return ("space", weight, f"{distance:.1f} km apart (expected error {error:.0f} km)")


def _time(a: MatchFeatures, b: MatchFeatures) -> Signal | None:
    if a.hours is None or b.hours is None:
        return ("time", None, "time not compared: no reported time on one side")
    gap = abs(a.hours - b.hours)
    if gap > time_tolerance_h(a, b):
        return None
    error = math.hypot(
        TIME_ERROR_H.get(a.time_precision, 15000.0), TIME_ERROR_H.get(b.time_precision, 15000.0)
    )
    # Same event: gap ~ half-normal(error). Different events: uniform over BACKGROUND_H.
    weight = math.log(2 * BACKGROUND_H / (error * math.sqrt(2 * math.pi))) - gap**2 / (2 * error**2)
    return ("time", weight, f"{gap:.1f} h apart (expected error {error:.0f} h)")


def _event_type(a: MatchFeatures, b: MatchFeatures) -> Signal:
    if a.event_type in UNCLASSIFIED or b.event_type in UNCLASSIFIED:
        return ("type", None, "event type not compared: unknown on one side")
    assert a.event_type is not None and b.event_type is not None  # UNCLASSIFIED holds None
    if a.event_type == b.event_type:
        return ("type", EVIDENCE["same_type"], f"same event type {a.event_type}")
    if EVENT_TYPES.get(a.event_type) == EVENT_TYPES.get(b.event_type) or a.type_read or b.type_read:
        # A type the machine read from a text is a guess (often a coarse one, "attack"): when
        # it disagrees, that is no more than two sources naming related types.
        return (
            "type",
            EVIDENCE["related_type"],
            f"related event types {a.event_type} and {b.event_type}",
        )
    return (
        "type",
        EVIDENCE["different_type"],
        f"different event types {a.event_type} and {b.event_type}",
    )


#: Types that say nothing about the event: none, or ``other`` (what an incident opened by an
#: untyped report is given until an analyst classifies it).
UNCLASSIFIED = frozenset({None, "", "other"})


def _actor(a: MatchFeatures, b: MatchFeatures) -> Signal:
    if not a.actor or not b.actor or UNKNOWN_ACTOR in (a.actor, b.actor):
        return ("actor", None, "perpetrator not compared: unknown on one side")
    if a.actor == b.actor:
        return ("actor", EVIDENCE["same_actor"], f"same claimed perpetrator {a.actor}")
    # Parties often accuse each other of the same exchange of fire: evidence against, not proof.
    return (
        "actor",
        EVIDENCE["different_actor"],
        f"different claimed perpetrators {a.actor} and {b.actor}",
    )


def _text(a: MatchFeatures, b: MatchFeatures) -> Signal:
    pairs = [(x, y) for x in a.texts for y in b.texts if writing(x) == writing(y)]
    if not pairs:
        return ("text", None, "text not compared: none in the same script or language")
    best = max(text_similarity(x, y) for x, y in pairs)
    weight = EVIDENCE["text_slope"] * (best - EVIDENCE["text_neutral"])
    return ("text", weight, f"text similarity {best:.2f}")


def writing(text: str) -> str:
    """Which texts can be compared word for word: ``ps``, ``ur`` or ``fa`` (Dari, Persian, Arabic)
    for the Arabic script, told apart by the letters only Pashto or only Urdu uses, else ``latin``.

    Pashto and Urdu accounts of one event share a script but not their words; a low
    similarity between them says nothing about the event, so they are not compared.
    """
    head = text[:300]
    if not _ARABIC.search(head):
        return "latin"
    if _PASHTO.search(head):
        return "ps"
    return "ur" if _URDU.search(head) else "fa"


_ARABIC = re.compile("[\u0600-\u06ff]")
#: ټ ځ څ ډ ړ ږ ښ ګ ڼ ۍ ې: letters of Pashto that Urdu and Dari do not use.
_PASHTO = re.compile("[\u067c\u0681\u0685\u0689\u0693\u0696\u069a\u06ab\u06bc\u06cd\u06d0]")
#: ٹ ڈ ڑ ں ھ ہ ے: letters of Urdu that Pashto and Dari do not use.
_URDU = re.compile("[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]")


def text_similarity(a: str, b: str) -> float:
    """Token-set similarity in [0, 1], case- and punctuation-insensitive."""
    return fuzz.token_set_ratio(a, b, processor=default_process) / 100.0
