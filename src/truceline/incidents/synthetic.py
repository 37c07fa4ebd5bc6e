"""Seeded synthetic report streams with known true incidents, for the linking benchmark and tests.

Each true event has a place (one of a few thousand invented villages in a band
along the Afghanistan–Pakistan border, some busier than others), a time, an
event type, a perpetrator and a casualty count. Several sources report it, each
with its own precision and errors: jittered place and time, a related or
missing event type, an unknown or counter-accused perpetrator, paraphrased text,
and some accounts in Pashto or Urdu that share no words with the English ones.
The stream's time span grows with its size, so density stays that of a busy
year on the border: 100,000 reports cover one year.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from truceline.incidents.matching import MatchFeatures

EPOCH_HOURS = 2025 * 365.25 * 24 - 1970 * 365.25 * 24
REPORTS_PER_YEAR = 100_000
VILLAGES = 10_000
LAT_RANGE = (24.5, 37.0)
LON_RANGE = (61.0, 75.0)
SYLLABLES = ("shin", "gul", "kot", "bar", "zai", "khel", "dara", "tan", "war", "mir", "sar", "ab",
             "qala", "nar", "pir", "spin", "tor", "ghar", "ban", "lak", "dag", "kas", "jan", "sha")  # fmt: skip
EVENT_TYPES = (
    ("cross_border_fire", "battles_like", 0.30),
    ("shelling_artillery_missile_attack", "explosions", 0.25),
    ("air_drone_strike", "explosions", 0.15),
    ("armed_clash", "battles", 0.15),
    ("suicide_bomb", "explosions", 0.05),
    ("remote_explosive_landmine_ied", "explosions", 0.05),
    ("airspace_violation", "ceasefire", 0.05),
)
RELATED = {
    "shelling_artillery_missile_attack": "air_drone_strike",
    "air_drone_strike": "shelling_artillery_missile_attack",
    "suicide_bomb": "remote_explosive_landmine_ied",
    "remote_explosive_landmine_ied": "suicide_bomb",
    "cross_border_fire": "incursion",
    "armed_clash": "government_regains_territory",
    "airspace_violation": "incursion",
}
ACTORS = (("PK", "Pakistani forces"), ("AF", "Afghan forces"), ("TTP", "TTP fighters"),
          ("ISKP", "ISKP militants"), ("unknown", "unidentified gunmen"))  # fmt: skip
VERBS = {
    "cross_border_fire": (
        "opened fire across the border at",
        "fired across the border on",
        "exchanged fire near",
    ),
    "shelling_artillery_missile_attack": ("shelled", "fired mortars at", "bombarded"),
    "air_drone_strike": (
        "carried out an air strike on",
        "struck with drones",
        "bombed from the air",
    ),
    "armed_clash": ("clashed with guards at", "fought border guards near", "attacked a post at"),
    "suicide_bomb": (
        "sent a suicide bomber to",
        "blew up a checkpoint at",
        "attacked with a suicide vest in",
    ),
    "remote_explosive_landmine_ied": (
        "planted a roadside bomb in",
        "detonated an IED near",
        "set off a mine at",
    ),
    "airspace_violation": ("flew aircraft over", "violated the airspace above", "sent drones over"),
}
OPENINGS = (
    "Reports say",
    "Witnesses said",
    "Local elders report that",
    "According to officials,",
    "",
)
TIMES_OF_DAY = (
    "early morning",
    "in the morning",
    "at noon",
    "in the afternoon",
    "in the evening",
    "at night",
)
PASHTO = "په {place} کې ډزې وشوې، {n} کسان ووژل شول"
URDU = "{place} میں گولہ باری ہوئی، {n} افراد ہلاک ہو گئے"


@dataclass(frozen=True, slots=True)
class SyntheticReport:
    """A report's features, and the true event it describes (for scoring the linker)."""

    report_id: int
    true_event: int
    features: MatchFeatures


def generate_reports(n_reports: int, *, seed: int = 2025) -> list[SyntheticReport]:
    """``n_reports`` reports in arrival order, about three per true event."""
    rng = random.Random(seed)
    places = _places(rng, VILLAGES)
    weights = [1.0 / (rank + 1) ** 0.3 for rank in range(len(places))]
    cumulative = _cumulative(weights)
    span_h = 365.0 * 24 * max(n_reports, 1) / REPORTS_PER_YEAR
    reports: list[SyntheticReport] = []
    event = 0
    while len(reports) < n_reports:
        place = places[_pick(rng, cumulative)]
        for features in _event_reports(rng, place, EPOCH_HOURS + rng.random() * span_h):
            if len(reports) == n_reports:
                break
            reports.append(SyntheticReport(len(reports), event, features))
        event += 1
    reports.sort(key=lambda r: r.features.hours or 0.0)  # arrival roughly follows the events
    return reports


def _places(rng: random.Random, count: int) -> list[tuple[str, float, float]]:
    places = []
    for _ in range(count):
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()
        places.append((name, rng.uniform(*LAT_RANGE), rng.uniform(*LON_RANGE)))
    return places


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [c / total for c in out]


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    from bisect import bisect_left

    return min(bisect_left(cumulative, rng.random()), len(cumulative) - 1)


def _event_reports(
    rng: random.Random, place: tuple[str, float, float], hours: float
) -> Iterator[MatchFeatures]:
    name, lat, lon = place
    event_type = rng.choices([t for t, _, _ in EVENT_TYPES], [w for _, _, w in EVENT_TYPES])[0]
    actor, actor_label = rng.choice(ACTORS)
    killed = rng.choice((0, 0, 1, 2, 3, 4, 5, 7, 10, 12))
    time_of_day = TIMES_OF_DAY[int((hours % 24) // 4)]
    for _ in range(1 + min(_poisson(rng, 2.0), 7)):
        reported_hours, time_precision = _reported_time(rng, hours)
        reported_lat, reported_lon, geo_precision = _reported_place(rng, lat, lon)
        yield MatchFeatures(
            hours=reported_hours,
            time_precision=time_precision,
            lat=reported_lat,
            lon=reported_lon,
            geo_precision=geo_precision,
            event_type=_reported_type(rng, event_type),
            actor=_reported_actor(rng, actor),
            texts=(_text(rng, name, event_type, actor_label, killed, time_of_day),),
        )


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _reported_time(rng: random.Random, hours: float) -> tuple[float, int]:
    roll = rng.random()
    if roll < 0.6:
        return hours + rng.gauss(0.0, 1.5), 0
    if roll < 0.95:
        return math.floor(hours / 24) * 24 + 12.0, 1
    return hours + rng.uniform(-72.0, 72.0), 2


def _reported_place(rng: random.Random, lat: float, lon: float) -> tuple[float, float, int]:
    roll = rng.random()
    sigma_km, precision = (1.5, 1) if roll < 0.7 else ((7.0, 2) if roll < 0.95 else (18.0, 3))
    dlat = rng.gauss(0.0, sigma_km) / 111.32
    dlon = rng.gauss(0.0, sigma_km) / (111.32 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon, precision


def _reported_type(rng: random.Random, event_type: str) -> str | None:
    roll = rng.random()
    if roll < 0.85:
        return event_type
    return RELATED[event_type] if roll < 0.93 else None


def _reported_actor(rng: random.Random, actor: str) -> str:
    roll = rng.random()
    if roll < 0.80:
        return actor
    if roll < 0.95:
        return "unknown"
    return "AF" if actor == "PK" else "PK"


def _text(
    rng: random.Random, place: str, event_type: str, actor_label: str, killed: int, time_of_day: str
) -> str:
    roll = rng.random()
    if roll < 0.1:
        return PASHTO.format(place=place, n=killed)
    if roll < 0.2:
        return URDU.format(place=place, n=killed)
    verb = rng.choice(VERBS[event_type])
    victims = rng.choice(("civilians", "people", "residents")) if killed else ""
    toll = (
        f"{killed} {victims} killed" if killed else rng.choice(("no casualties", "nobody was hurt"))
    )
    return f"{rng.choice(OPENINGS)} {actor_label} {verb} {place} {time_of_day}; {toll}.".strip()
