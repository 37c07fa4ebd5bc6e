"""Server-side SVG for reports: a map of the border area and a bar chart by area.

Drawn from the GeoJSON shipped in ``truceline.geo.data`` (Natural Earth), in
an equirectangular projection scaled at the map's mean latitude, with no
JavaScript, so the same markup works in a browser, in print and in WeasyPrint.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from html import escape
from importlib import resources
from typing import Any

#: lon_min, lat_min, lon_max, lat_max of the map.
EXTENT = (60.4, 23.6, 77.9, 38.6)
WIDTH = 640
FINDING_COLOURS = {
    "violation": "#b2182b",
    "spirit_concern": "#ef8a62",
    "no_violation": "#4d9221",
    "outside_scope": "#6a6a6a",
    "indeterminate": "#8073ac",
}
DEFAULT_COLOUR = "#2166ac"


def _scale() -> tuple[float, float]:
    lon_min, lat_min, lon_max, lat_max = EXTENT
    squash = math.cos(math.radians((lat_min + lat_max) / 2))
    px_per_degree = WIDTH / ((lon_max - lon_min) * squash)
    height = (lat_max - lat_min) * px_per_degree
    return px_per_degree * squash, height


def project(lon: float, lat: float) -> tuple[float, float]:
    x_scale, height = _scale()
    y_scale = height / (EXTENT[3] - EXTENT[1])
    return (lon - EXTENT[0]) * x_scale, (EXTENT[3] - lat) * y_scale


def _path(rings: Iterable[Sequence[Sequence[float]]], close: bool) -> str:
    parts = []
    for ring in rings:
        points = [project(lon, lat) for lon, lat, *_ in ring]
        if len(points) < 2:
            continue
        head = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
        tail = "".join(f"L{x:.1f},{y:.1f}" for x, y in points[1:])
        parts.append(head + tail + ("Z" if close else ""))
    return "".join(parts)


def _rings(geometry: dict[str, Any]) -> tuple[list[Any], bool]:
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        return list(coordinates), True
    if kind == "MultiPolygon":
        return [ring for polygon in coordinates for ring in polygon], True
    if kind == "MultiLineString":
        return list(coordinates), False
    return [coordinates], False


def _load_geojson(name: str) -> dict[str, Any]:
    text = resources.files("truceline.geo.data").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def base_layers() -> str:
    """Countries, Afghan provinces and the boundary line, as SVG paths (cached)."""
    boundary = _load_geojson("af_pk_boundary_ne10m.geojson")["features"]
    provinces = _load_geojson("afghanistan_provinces_ne10m.geojson")["features"]
    countries = [f for f in boundary if f["geometry"]["type"] != "MultiLineString"]
    lines = [f for f in boundary if f["geometry"]["type"] == "MultiLineString"]
    layers = [_feature_path(f, "country") for f in countries]
    layers += [_feature_path(f, "province") for f in provinces]
    layers += [_feature_path(f, "boundary") for f in lines]
    return "".join(layers)


def _feature_path(feature: dict[str, Any], css: str) -> str:
    rings, closed = _rings(feature["geometry"])
    name = escape(str(feature["properties"].get("name", "")))
    return f'<path class="{css}" d="{_path(rings, closed)}"><title>{name}</title></path>'


def legend(label: Callable[[str], str] | None = None) -> str:
    """The colour of each finding, as an HTML list (printed under the map); ``label`` names
    a finding kind in the report's language (default: the kind itself in English words)."""
    name = label or (lambda kind: kind.replace("_", " "))
    items = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>{escape(name(kind))}</li>'
        for kind, colour in [*FINDING_COLOURS.items(), ("no_finding_recorded", DEFAULT_COLOUR)]
    )
    return f'<ul class="legend">{items}</ul>'


def incident_map(incidents: Sequence[dict[str, Any]], *, title: str) -> str:
    """An SVG map with one dot per incident at its (already coarsened) location."""
    _, height = _scale()
    dots = []
    for incident in incidents:
        location = incident.get("location")
        if not location:
            continue
        x, y = project(location["lon"], location["lat"])
        findings = incident.get("findings") or [{}]
        colour = FINDING_COLOURS.get(str(findings[0].get("finding")), DEFAULT_COLOUR)
        label = escape(f"{incident['code']} {incident['date']} {incident['area']}")
        dots.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="{colour}" stroke="#fff" '
            f'stroke-width="0.8"><title>{label}</title></circle>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-label="{escape(title)}" class="map">'
        "<style>.country{fill:#f2efe9;stroke:#9a9a9a;stroke-width:0.6}"
        ".province{fill:none;stroke:#d0ccc4;stroke-width:0.4}"
        ".boundary{fill:none;stroke:#444;stroke-width:1.3;stroke-dasharray:5 3}</style>"
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="#dfe9f2"/>'
        f"{base_layers()}{''.join(dots)}"
        f'<text x="8" y="{height - 8:.0f}" font-size="10" fill="#333">'
        "Boundary: Natural Earth (de facto line). Locations coarsened.</text></svg>"
    )


def area_chart(rows: Sequence[dict[str, Any]], *, limit: int = 12) -> str:
    """Horizontal bars: this period's count per area, with the previous period as an outline."""
    shown = list(rows[:limit])
    if not shown:
        return ""
    top = max(max(r["count"], r["previous"]) for r in shown) or 1
    bar_left, bar_width, row_height = 230, 330, 20
    height = row_height * len(shown) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        'role="img" aria-label="Incidents per area, this period and the previous one" class="chart">'
    ]
    for index, row in enumerate(shown):
        y = 4 + index * row_height
        now = bar_width * row["count"] / top
        before = bar_width * row["previous"] / top
        parts.append(
            f'<text x="{bar_left - 6}" y="{y + 13}" font-size="11" text-anchor="end">'
            f"{escape(row['area'])}</text>"
            f'<rect x="{bar_left}" y="{y + 2}" width="{now:.1f}" height="12" fill="#2166ac"/>'
            f'<rect x="{bar_left}" y="{y + 2}" width="{before:.1f}" height="12" fill="none" '
            'stroke="#b2182b" stroke-dasharray="3 2"/>'
            f'<text x="{bar_left + max(now, before) + 6:.1f}" y="{y + 13}" font-size="11">'
            f"{row['count']} (prev. {row['previous']})</text>"
        )
    parts.append(
        f'<text x="{bar_left}" y="{height - 4}" font-size="10" fill="#555">'
        "filled: this period; dashed outline: previous period</text></svg>"
    )
    return "".join(parts)


#: The same classes of probability as the dashboard's risk layer (``web.risk_view``).
RISK_COLOURS = (
    (0.05, "#fef0d9"),
    (0.15, "#fdcc8a"),
    (0.30, "#fc8d59"),
    (0.60, "#e34a33"),
    (1.01, "#b30000"),
)


def risk_map(districts: Sequence[dict[str, Any]], *, title: str) -> str:
    """An SVG map with one disc per district, coloured by its chance of an event."""
    _, height = _scale()
    discs = []
    for row in districts:
        if row.get("p_event") is None:
            continue
        x, y = project(row["lon"], row["lat"])
        colour = next(c for bound, c in RISK_COLOURS if row["p_event"] < bound)
        label = escape(f"{row['name']}: {row['p_event']:.0%}")
        discs.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}" stroke="#444" '
            f'stroke-width="0.6"><title>{label}</title></circle>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-label="{escape(title)}" class="map">'
        "<style>.country{fill:#f2efe9;stroke:#9a9a9a;stroke-width:0.6}"
        ".province{fill:none;stroke:#d0ccc4;stroke-width:0.4}"
        ".boundary{fill:none;stroke:#444;stroke-width:1.3;stroke-dasharray:5 3}</style>"
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="#dfe9f2"/>'
        f"{base_layers()}{''.join(discs)}"
        f'<text x="8" y="{height - 8:.0f}" font-size="10" fill="#333">'
        "Boundary: Natural Earth (de facto line). One disc per district centre.</text></svg>"
    )
