"""Near-linear linking of many reports into incidents, in memory (pure).

Comparing every report with every incident is quadratic. Instead each incident
is filed in grid cells of a few sizes (``LEVELS``: a cell of ``cell_km`` by a
time bucket of ``bucket_h``), and a report is scored only against incidents in
its own cell and the 26 neighbouring cells (space × time) of the level that is
coarse enough for its precision. The level is chosen from the tolerances in
``matching``, so no pair within tolerance is ever missed:

- an incident whose own level is at or below the report's is filed in every
  level from its own up (``_everything``), and found at the report's level;
- an incident of a coarser level is found in that level's ``_by_home`` grid.

Each report costs a constant number of look-ups, so linking N reports takes
O(N × reports per neighbourhood). ``StreamingLinker`` is what the benchmark
measures and what bulk imports use; the database services score with the same
``matching.score_match``.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from truceline.incidents.matching import (
    SPACE_TOLERANCE_KM,
    TIME_TOLERANCE_H,
    Match,
    MatchFeatures,
    score_match,
)

#: (cell size in km, time bucket in hours), finest first.
LEVELS: tuple[tuple[float, float], ...] = (
    (40.0, 48.0),
    (70.0, 24.0 * 7.5),
    (250.0, 24.0 * 50),
    (2000.0, 24.0 * 2100),
)
KM_PER_DEGREE = 111.32
MAX_TEXTS_PER_INCIDENT = 3

Key = tuple[int, int, int]


def home_level(features: MatchFeatures) -> int:
    """The finest level whose cells cover this record's space and time tolerances."""
    space = SPACE_TOLERANCE_KM.get(features.geo_precision, 900.0)
    time = TIME_TOLERANCE_H.get(features.time_precision, 48000.0)
    for level, (cell_km, bucket_h) in enumerate(LEVELS):
        if space <= cell_km and time <= bucket_h:
            return level
    return len(LEVELS) - 1


def cell_key(level: int, lat: float, lon: float, hours: float) -> Key:
    """The grid cell of a point at a level; longitude cells widen away from the equator."""
    cell_km, bucket_h = LEVELS[level]
    row = math.floor(lat / (cell_km / KM_PER_DEGREE))
    return (row, math.floor(lon / _column_width(level, row)), math.floor(hours / bucket_h))


def _column_width(level: int, row: int) -> float:
    """Degrees of longitude per cell in a row, at least ``cell_km`` wide everywhere in the row."""
    cell_km = LEVELS[level][0]
    lat_deg = cell_km / KM_PER_DEGREE
    poleward = min(max(abs(row * lat_deg), abs((row + 1) * lat_deg)), 89.0)
    return cell_km / (KM_PER_DEGREE * max(math.cos(math.radians(poleward)), 0.01))


def neighbourhood(level: int, lat: float, lon: float, hours: float) -> Iterator[Key]:
    """The cell of a point and its 26 neighbours: everything within one cell size and bucket."""
    row, _, bucket = cell_key(level, lat, lon, hours)
    for r in (row - 1, row, row + 1):
        column = math.floor(lon / _column_width(level, r))
        for c in (column - 1, column, column + 1):
            for b in (bucket - 1, bucket, bucket + 1):
                yield (r, c, b)


@dataclass(slots=True)
class ClusterState:
    """A growing incident: the mean place and time of its most precise accounts, and their texts.

    Averaging the members that share the finest precision seen so far cancels
    their independent errors, so later accounts are compared with a better
    estimate than any single report.
    """

    id: int
    features: MatchFeatures
    members: list[int] = field(default_factory=list)
    _place_sum: tuple[float, float, int] = (0.0, 0.0, 0)
    _time_sum: tuple[float, int] = (0.0, 0)

    def __post_init__(self) -> None:
        f = self.features
        if f.lat is not None and f.lon is not None:
            self._place_sum = (f.lat, f.lon, 1)
        if f.hours is not None:
            self._time_sum = (f.hours, 1)

    def absorb(self, report: MatchFeatures, report_id: int) -> None:
        """Add a member and refine the incident's place, time, type, actor and texts."""
        self.members.append(report_id)
        current = self.features
        lat, lon, geo_precision = self._refine_place(report)
        hours, time_precision = self._refine_time(report)
        texts = current.texts
        if len(texts) < MAX_TEXTS_PER_INCIDENT and report.texts:
            texts = texts + report.texts[:1]
        self.features = MatchFeatures(
            hours=hours,
            time_precision=time_precision,
            lat=lat,
            lon=lon,
            geo_precision=geo_precision,
            event_type=current.event_type or report.event_type,
            actor=current.actor if current.actor not in (None, "unknown") else report.actor,
            texts=texts,
        )

    def _refine_place(self, report: MatchFeatures) -> tuple[float | None, float | None, int]:
        current = self.features
        if report.lat is None or report.lon is None or report.geo_precision > current.geo_precision:
            return current.lat, current.lon, current.geo_precision
        if current.lat is None or report.geo_precision < current.geo_precision:
            self._place_sum = (report.lat, report.lon, 1)
        else:
            sum_lat, sum_lon, n = self._place_sum
            self._place_sum = (sum_lat + report.lat, sum_lon + report.lon, n + 1)
        sum_lat, sum_lon, n = self._place_sum
        return sum_lat / n, sum_lon / n, report.geo_precision

    def _refine_time(self, report: MatchFeatures) -> tuple[float | None, int]:
        current = self.features
        if report.hours is None or report.time_precision > current.time_precision:
            return current.hours, current.time_precision
        if current.hours is None or report.time_precision < current.time_precision:
            self._time_sum = (report.hours, 1)
        else:
            total, n = self._time_sum
            self._time_sum = (total + report.hours, n + 1)
        total, n = self._time_sum
        return total / n, report.time_precision


@dataclass(frozen=True, slots=True)
class LinkDecision:
    """What the linker did with one report."""

    report_id: int
    incident_id: int
    created: bool
    match: Match | None


class StreamingLinker:
    """Links reports one at a time into incidents, using the blocking grids."""

    def __init__(self, *, auto_link_threshold: float | None = None, use_blocking: bool = True):
        from truceline.incidents.matching import AUTO_LINK_THRESHOLD

        self.threshold = AUTO_LINK_THRESHOLD if auto_link_threshold is None else auto_link_threshold
        self.use_blocking = use_blocking
        self.clusters: list[ClusterState] = []
        self._everything: list[defaultdict[Key, list[int]]] = [defaultdict(list) for _ in LEVELS]
        self._by_home: list[defaultdict[Key, list[int]]] = [defaultdict(list) for _ in LEVELS]
        self._unplaced: defaultdict[int, list[int]] = defaultdict(list)
        self.comparisons = 0

    def link(self, report_id: int, report: MatchFeatures) -> LinkDecision:
        """Link to the best-scoring incident above the threshold, or start a new one."""
        best: tuple[Match, ClusterState] | None = None
        for cluster in self.candidates(report):
            self.comparisons += 1
            match = score_match(report, cluster.features)
            if match is not None and (best is None or match.score > best[0].score):
                best = (match, cluster)
        if best is not None and best[0].score >= self.threshold:
            best[1].absorb(report, report_id)
            return LinkDecision(report_id, best[1].id, False, best[0])
        cluster = ClusterState(id=len(self.clusters), features=report, members=[report_id])
        self.clusters.append(cluster)
        self._file(cluster)
        return LinkDecision(report_id, cluster.id, True, best[0] if best else None)

    def link_all(self, reports: Iterable[tuple[int, MatchFeatures]]) -> list[int]:
        """Link every report; returns the incident id of each, in input order.

        Linking creates no reference cycles, so the cyclic garbage collector is
        paused meanwhile: with millions of live objects its full passes would
        otherwise make bulk linking superlinear.
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return [self.link(report_id, features).incident_id for report_id, features in reports]
        finally:
            if was_enabled:
                gc.enable()

    def candidates(self, report: MatchFeatures) -> Iterator[ClusterState]:
        """Incidents that could be within tolerance of ``report`` (all of them without blocking)."""
        if not self.use_blocking:
            yield from self.clusters
            return
        seen: set[int] = set()
        for cluster_id in self._candidate_ids(report):
            if cluster_id not in seen:
                seen.add(cluster_id)
                yield self.clusters[cluster_id]

    def _candidate_ids(self, report: MatchFeatures) -> Iterator[int]:
        if report.lat is None or report.lon is None or report.hours is None:
            yield from self._unplaced_candidates(report)
            return
        level = home_level(report)
        for key in neighbourhood(level, report.lat, report.lon, report.hours):
            yield from self._everything[level].get(key, ())
        for coarser in range(level + 1, len(LEVELS)):
            for key in neighbourhood(coarser, report.lat, report.lon, report.hours):
                yield from self._by_home[coarser].get(key, ())
        yield from self._unplaced_candidates(report)

    def _unplaced_candidates(self, report: MatchFeatures) -> Iterator[int]:
        # Records without place or time are few; they are compared by coarse time bucket only.
        bucket = _coarse_bucket(report.hours)
        for b in (bucket - 1, bucket, bucket + 1):
            yield from self._unplaced.get(b, ())
        if report.lat is None or report.lon is None or report.hours is None:
            yield from self._placed_near_in_time(report)

    def _placed_near_in_time(self, report: MatchFeatures) -> Iterator[int]:
        if report.hours is None:
            return
        # Without a place, scan the coarsest level's time neighbourhood of every cell.
        top = len(LEVELS) - 1
        bucket = math.floor(report.hours / LEVELS[top][1])
        for key, ids in self._everything[top].items():
            if abs(key[2] - bucket) <= 1:
                yield from ids

    def _file(self, cluster: ClusterState) -> None:
        f = cluster.features
        if f.lat is None or f.lon is None or f.hours is None:
            self._unplaced[_coarse_bucket(f.hours)].append(cluster.id)
            return
        home = home_level(f)
        self._by_home[home][cell_key(home, f.lat, f.lon, f.hours)].append(cluster.id)
        for level in range(home, len(LEVELS)):
            self._everything[level][cell_key(level, f.lat, f.lon, f.hours)].append(cluster.id)


def _coarse_bucket(hours: float | None) -> int:
    return -1 if hours is None else math.floor(hours / LEVELS[-1][1])
