"""Geoparsing place descriptions: "Datta Khel area of North Waziristan" -> ranked places.

``locate(text)`` finds the mentions (``geo.mentions``), then scores every
candidate place of every mention:

- how well the words matched (exact 1.0, spelling skeleton 0.85, fuzzy 0.6-0.85);
- whether the other mentions contain it ("of North Waziristan", "Kurram agency",
  "Pakistan"): same admin2/admin1/country, or within reach of a point;
- whether a type word agrees with its kind ("Kech district" wants a district);
- a small preference for specific places, for earlier mentions and for larger towns.

Each match carries a UCDP-style precision code (``PlacePrecision``): the kind of
place sets it, "near X", "X area" and "N km west of X" make a point
``NEAR_25KM``, and a district or province named with "border" becomes
``LINEAR_OR_BORDER_AREA``. Matches come best first. To change the weights, edit
the constants below and rerun ``benchmarks/eval_geolocate.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from truceline.events.taxonomy import PlacePrecision
from truceline.geo.border import WGS84, border_model
from truceline.geo.gazetteer import Gazetteer, Place, PlaceKind, default_gazetteer
from truceline.geo.mentions import Mention, find_mentions, tokenize
from truceline.geo.merge import approximate_km
from truceline.geo.vocabulary import BORDER_WORDS

MAX_MATCHES = 5
CONTEXT_BONUS = 0.25
MAX_CONTEXT_BONUS = 0.4
TYPE_AGREES = 0.1
TYPE_DISAGREES = -0.15
#: "Sheikhan area": of two places of that name, the one recorded as an area.
AREA_WORD_FITS_AREA = 0.03
CROSSING_WORDS_BONUS = 0.1
LATER_MENTION_PENALTY = 0.03
#: A landmark named after another place ("Khysor, south of Mir Ali town", "Tartani
#: areas near Kahan"): the description is about the place before it.
REFERENCE_PENALTY = 0.15
POPULATION_WEIGHT = 0.04
EVENTS_WEIGHT = 0.08
OFFSET_BONUS = 0.1
#: The mechanism's reports are about the Afghanistan–Pakistan border: of two places
#: with one name, the one nearer the boundary is the likelier ("Rustam" in Mardan
#: rather than in Sindh). Full weight at the line, none beyond BORDER_PRIOR_KM.
BORDER_PRIOR_WEIGHT = 0.06
BORDER_PRIOR_KM = 400.0
#: Candidates outside the district or province another mention names ("Dasht area of
#: Mastung District") lose this much: a restriction, unless nothing else is left.
OUTSIDE_CONTEXT_PENALTY = 0.35
#: Below this score a match is not returned: no answer rather than a guess that can
#: be hundreds of kilometres off (see the evaluation for what each score band means).
MIN_SCORE = 0.62
#: A loose-skeleton reading (``mentions.LOOSE_QUALITY``) that no other mention supports;
#: less when the skeleton leads to one place only.
LOOSE_UNSUPPORTED_PENALTY = 0.4
LOOSE_UNIQUE_UNSUPPORTED_PENALTY = 0.0
#: A mention that is part of a longer capitalised name the gazetteer lacks.
PARTIAL_NAME_PENALTY = 0.2
SCORE_SCALE = 1.45
KIND_SPECIFICITY = {
    PlaceKind.POPULATED_PLACE: 0.05,
    PlaceKind.CROSSING: 0.09,
    PlaceKind.POST: 0.05,
    PlaceKind.AREA: 0.04,
    PlaceKind.DISTRICT: 0.02,
    PlaceKind.PROVINCE: 0.01,
    PlaceKind.COUNTRY: 0.0,
}
POINT_CONTEXT_KM = 30.0
DISTRICT_CONTEXT_KM = 40.0


@dataclass(frozen=True)
class Match:
    """One candidate place for a description (the JSON object of ``geo locate``)."""

    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None
    admin2: str | None
    precision: int
    score: float
    kind: str
    place_id: str
    matched: str
    sources: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lat": round(self.lat, 5),
            "lon": round(self.lon, 5),
            "country": self.country,
            "admin1": self.admin1 or "",
            "admin2": self.admin2,
            "precision": self.precision,
            "score": self.score,
            "kind": self.kind,
            "place_id": self.place_id,
            "matched": self.matched,
            "sources": list(self.sources),
        }


class Geoparser:
    """Ranks gazetteer places for free-text descriptions."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._border_prior = _border_prior(gazetteer)

    def locate(self, text: str) -> list[Match]:
        """Candidate places for one description, best first (empty when nothing matches)."""
        if not text or not text.strip():
            return []
        tokens = tokenize(text)
        mentions = find_mentions(tokens, self.gazetteer)
        if not mentions:
            return []
        border = any(word in BORDER_WORDS for word in tokens.words)
        crossing_words = border or any(w in ("crossing", "gate") for w in tokens.words)
        # Ranked on the raw score: the reported one is clipped at 1.0, and two places
        # both above the clip must still come in order.
        scored: dict[str, tuple[float, Match]] = {}
        for mention in mentions:
            # A loose reading is too uncertain to place, restrict or outrank the others.
            others = [m for m in mentions if m is not mention and not m.loose]
            order = sum(1 for m in others if m.start < mention.start)
            for index in mention.candidates:
                place = self.gazetteer.places[index]
                raw = (
                    self._raw_score(index, mention, others, crossing_words)
                    - order * LATER_MENTION_PENALTY
                )
                for rank, match in self._matches_for(place, mention, raw, border):
                    if match.place_id not in scored or scored[match.place_id][0] < rank:
                        scored[match.place_id] = (rank, match)
        kept = [(r, m) for r, m in scored.values() if m.score >= MIN_SCORE]
        ranked = sorted(kept, key=lambda rm: (-rm[0], rm[1].precision, rm[1].name))
        return [m for _, m in ranked[:MAX_MATCHES]]

    def locate_many(self, texts: list[str]) -> list[list[Match]]:
        """``locate`` for each description, in order."""
        return [self.locate(text) for text in texts]

    def _raw_score(
        self,
        index: int,
        mention: Mention,
        others: list[Mention],
        crossing_words: bool,
    ) -> float:
        place = self.gazetteer.places[index]
        score = mention.quality + KIND_SPECIFICITY[place.kind]
        support = sum(self._supported_by(place, m) for m in others)
        score += min(MAX_CONTEXT_BONUS, CONTEXT_BONUS * support)
        if mention.loose and not support:
            unique = len(mention.candidates) == 1
            score -= LOOSE_UNIQUE_UNSUPPORTED_PENALTY if unique else LOOSE_UNSUPPORTED_PENALTY
        if self._outside_named_context(place, mention, others):
            score -= OUTSIDE_CONTEXT_PENALTY
        if mention.partial:
            score -= PARTIAL_NAME_PENALTY
        if mention.reference and any(m.start < mention.start for m in others):
            score -= REFERENCE_PENALTY
        score += self._border_prior[index]
        score += _type_fit(place, mention.type_kind)
        if mention.area and place.kind == PlaceKind.AREA:
            score += AREA_WORD_FITS_AREA
        if crossing_words and place.kind == PlaceKind.CROSSING:
            score += CROSSING_WORDS_BONUS
        score += POPULATION_WEIGHT * min(1.0, math.log10(1 + place.population) / 6.0)
        score += EVENTS_WEIGHT * min(1.0, math.log10(1 + place.events) / 2.0)
        return score

    def _supported_by(self, place: Place, other: Mention) -> bool:
        """Whether some reading of another mention contains or neighbours ``place``."""
        return any(_contains(self.gazetteer.places[i], place) for i in other.candidates)

    def _outside_named_context(self, place: Place, mention: Mention, others: list[Mention]) -> bool:
        """Whether another mention names a district or province (with its type word, or a
        reading that is only administrative) that does not hold this place: the context
        restricts the candidates to it, and when none is inside, the district itself wins."""
        if place.kind in (PlaceKind.PROVINCE, PlaceKind.COUNTRY):
            return False
        for other in others:
            if not _names_an_area(other, self.gazetteer):
                continue
            holders = [self.gazetteer.places[i] for i in other.candidates]
            holders = [h for h in holders if h.kind in (PlaceKind.DISTRICT, PlaceKind.PROVINCE)]
            if holders and not any(_contains(h, place) for h in holders):
                return True
        return False

    def _matches_for(
        self, place: Place, mention: Mention, raw: float, border: bool
    ) -> list[tuple[float, Match]]:
        """The place itself and, after "N km west of", the shifted point, each with the
        raw score it ranks by."""
        precision = _precision(place, mention, border)
        score = round(min(1.0, max(0.0, raw / SCORE_SCALE)), 3)
        base = _match(place, mention, precision, score)
        if mention.offset_km is None or mention.azimuth is None:
            return [(raw, base)]
        lon, lat, _ = WGS84.fwd(place.lon, place.lat, mention.azimuth, mention.offset_km * 1000.0)
        shifted = Match(
            name=f"{mention.offset_km:.0f} km {mention.direction} of {place.name}",
            lat=float(lat),
            lon=float(lon),
            country=place.country,
            admin1=place.admin1,
            admin2=place.admin2,
            precision=int(PlacePrecision.NEAR_25KM),
            score=round(min(1.0, score + OFFSET_BONUS / SCORE_SCALE), 3),
            kind=PlaceKind.AREA,
            place_id=f"{place.id}+{mention.offset_km:.0f}km@{mention.azimuth:g}",
            matched=mention.text,
            sources=place.sources,
        )
        return [(raw + OFFSET_BONUS, shifted), (raw, base)]


def _match(place: Place, mention: Mention, precision: int, score: float) -> Match:
    return Match(
        name=place.name,
        lat=place.lat,
        lon=place.lon,
        country=place.country,
        admin1=place.admin1,
        admin2=place.admin2,
        precision=precision,
        score=score,
        kind=place.kind,
        place_id=place.id,
        matched=mention.text,
        sources=place.sources,
    )


def _names_an_area(mention: Mention, gazetteer: Gazetteer) -> bool:
    kinds = {gazetteer.places[i].kind for i in mention.candidates}
    administrative = mention.type_kind in (PlaceKind.DISTRICT, PlaceKind.PROVINCE)
    return administrative or kinds <= {PlaceKind.DISTRICT, PlaceKind.PROVINCE}


def _border_prior(gazetteer: Gazetteer) -> list[float]:
    """``BORDER_PRIOR_WEIGHT`` falling linearly to 0 at ``BORDER_PRIOR_KM`` from the line."""
    if not gazetteer.places:
        return []
    lats = np.array([p.lat for p in gazetteer.places], dtype=float)
    lons = np.array([p.lon for p in gazetteer.places], dtype=float)
    distances = border_model().boundary_distance_km(lats, lons)
    prior = BORDER_PRIOR_WEIGHT * np.clip(1.0 - distances / BORDER_PRIOR_KM, 0.0, 1.0)
    return [float(v) for v in prior]


def _contains(context: Place, place: Place) -> bool:
    if context.id == place.id:
        return False
    if context.kind == PlaceKind.COUNTRY:
        return place.country == context.country
    if context.country != place.country:
        return False
    if context.kind == PlaceKind.PROVINCE:
        return place.kind != PlaceKind.PROVINCE and place.admin1 == context.admin1
    if context.kind == PlaceKind.DISTRICT:
        if place.kind in PlaceKind.ADMINISTRATIVE:
            return False
        # The polygons are simplified and GED's districts are older than geoBoundaries':
        # any one of the three tests is enough (Bara lies on the Khyber-Peshawar edge).
        if context.district and context.district == place.district:
            return True
        if place.admin2 and place.admin2 == context.admin2:
            return True
        return approximate_km(context, place) <= DISTRICT_CONTEXT_KM
    return (
        place.kind not in PlaceKind.ADMINISTRATIVE
        and approximate_km(context, place) <= POINT_CONTEXT_KM
    )


def _type_fit(place: Place, type_kind: str | None) -> float:
    if type_kind is None:
        return 0.0
    points = PlaceKind.POINTS
    if type_kind == place.kind or (type_kind in points and place.kind in points):
        return TYPE_AGREES
    if (type_kind in PlaceKind.ADMINISTRATIVE) != (place.kind in PlaceKind.ADMINISTRATIVE):
        return TYPE_DISAGREES
    return 0.0


def _precision(place: Place, mention: Mention, border: bool) -> int:
    precision = place.precision
    if place.kind in PlaceKind.POINTS and (mention.near or mention.area):
        precision = max(precision, PlacePrecision.NEAR_25KM)
    if border and place.kind in (PlaceKind.DISTRICT, PlaceKind.PROVINCE):
        precision = PlacePrecision.LINEAR_OR_BORDER_AREA
    return int(precision)


@lru_cache(maxsize=1)
def default_geoparser() -> Geoparser:
    """A geoparser over the shipped gazetteer (built once per process)."""
    return Geoparser(default_gazetteer())


__all__ = ["Geoparser", "Match", "default_geoparser"]
