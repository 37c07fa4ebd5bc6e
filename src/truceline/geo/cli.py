"""``truceline geo`` commands: ``locate``, ``point`` and ``add-place``.

``point`` and ``locate`` work on the boundary and gazetteer shipped in the
package, so they run before ``init``; ``locate`` also reads the local places of
an initialised database, and ``add-place`` writes one there (audited). JSON
formats of ``locate`` and ``point`` are fixed by docs/cli.md; extra keys
are additions, never renames.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.config import get_settings
from truceline.db.engine import transaction

if TYPE_CHECKING:
    from truceline.geo.geoparse import Geoparser

geo_app = typer.Typer(
    name="geo",
    help="Geography: geoparse place descriptions and describe points near the Afghanistan–Pakistan border.",
    no_args_is_help=True,
)


FileOption = typer.Option(None, "--file", "-f", help="A UTF-8 file with one description per line.")


def register(app: typer.Typer) -> None:
    app.add_typer(geo_app, name="geo")


@geo_app.command("locate")
def locate_command(
    text: str | None = typer.Argument(
        None, help="A place description, e.g. 'Datta Khel area of North Waziristan'."
    ),
    file: Path | None = FileOption,
    as_json: bool = JsonOption,
) -> None:
    """Geoparse a place description (English or Pashto/Dari/Urdu script); best match first."""
    if (text is None) == (file is None):
        usage_error("give either TEXT or --file FILE (not both, not neither)", as_json=as_json)
    parser = _geoparser()
    if text is not None:
        payload: Any = {"matches": [m.as_json() for m in parser.locate(text)]}
        emit(payload, as_json=as_json, human=lambda: _print_matches(text, payload["matches"]))
        return
    assert file is not None
    lines, errors = _read_lines(file, as_json=as_json)
    results = parser.locate_many(lines)
    documents: list[dict[str, Any]] = [{"matches": [m.as_json() for m in r]} for r in results]
    for number, message in errors.items():
        documents[number - 1]["error"] = message
    emit(documents, as_json=as_json, human=lambda: _print_file(lines, documents))
    for message in errors.values():
        stderr.print(f"[yellow]rejected:[/yellow] {message}")
    if errors:
        raise typer.Exit(EXIT_REJECTED)


def _geoparser() -> Geoparser:
    """The shipped gazetteer, plus local additions when an initialised database is there."""
    from truceline.geo.geoparse import Geoparser, default_geoparser
    from truceline.geo.services import gazetteer_with_local_places

    url = get_settings().resolved_database_url
    database = make_url(url).database
    if url.startswith("sqlite") and not (database and Path(database).exists()):
        return default_geoparser()
    try:
        with transaction() as session:
            if not inspect(session.connection()).has_table("geo_places"):
                return default_geoparser()
            gazetteer = gazetteer_with_local_places(session)
    except SQLAlchemyError as exc:
        stderr.print(
            f"[yellow]note:[/yellow] database unavailable ({type(exc).__name__}); shipped gazetteer only"
        )
        return default_geoparser()
    return (
        default_geoparser() if gazetteer is default_geoparser().gazetteer else Geoparser(gazetteer)
    )


def _read_lines(file: Path, *, as_json: bool) -> tuple[list[str], dict[int, str]]:
    """The file's lines in order; a line that is not UTF-8 becomes empty, with an error."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        usage_error(f"cannot read --file {file}: {exc.strerror or exc}", as_json=as_json)
    lines: list[str] = []
    errors: dict[int, str] = {}
    for number, chunk in enumerate(raw.splitlines(), start=1):
        try:
            lines.append(chunk.decode("utf-8").lstrip("\ufeff"))
        except UnicodeDecodeError as exc:
            lines.append("")
            errors[number] = f"{file}: line {number} is not valid UTF-8 (byte {exc.start + 1})"
    return lines, errors


def _print_matches(text: str, matches: list[dict[str, Any]]) -> None:
    if not matches:
        sys.stdout.write(f"{text!r}: no match\n")
        return
    sys.stdout.write(f"{text!r}:\n")
    for m in matches:
        sys.stdout.write(
            f"  {m['score']:.3f}  {m['name']} ({m['country']}, {m['admin1']}"
            f"{', ' + m['admin2'] if m['admin2'] else ''})  {m['lat']:.4f}, {m['lon']:.4f}"
            f"  precision {m['precision']}\n"
        )


def _print_file(lines: list[str], documents: list[dict[str, Any]]) -> None:
    for line, document in zip(lines, documents, strict=True):
        _print_matches(line, document["matches"])


@geo_app.command(
    "point",
    context_settings={"ignore_unknown_options": True},
)
def point_command(
    lat: str = typer.Argument(..., metavar="LAT", help="Latitude in decimal degrees (-90..90)."),
    lon: str = typer.Argument(..., metavar="LON", help="Longitude in decimal degrees (-180..180)."),
    as_json: bool = JsonOption,
) -> None:
    """Describe a point: side of the de facto boundary, distance to it, admin1, nearest place."""
    from truceline.geo.border import InvalidCoordinate
    from truceline.geo.describe import describe_point

    latitude = _parse_degrees("LAT", lat, as_json=as_json)
    longitude = _parse_degrees("LON", lon, as_json=as_json)
    try:
        description = describe_point(latitude, longitude)
    except InvalidCoordinate as exc:
        usage_error(str(exc), as_json=as_json)
    payload = description.as_json()
    emit(payload, as_json=as_json, human=lambda: _print_point(payload))


def _parse_degrees(label: str, value: str, *, as_json: bool) -> float:
    try:
        number = float(value)
    except ValueError:
        usage_error(f"{label} {value!r} is not a number of degrees", as_json=as_json)
    if not math.isfinite(number):
        usage_error(f"{label} {value!r} is not a finite number", as_json=as_json)
    return number


def _print_point(payload: dict[str, Any]) -> None:
    side = payload["country"] or "neither side (outside both country polygons)"
    sys.stdout.write(
        f"side: {side}\n"
        f"distance to the boundary: {payload['border_distance_km']:.1f} km\n"
        f"admin1: {payload['admin1'] or '-'}\n"
        f"nearest place: {payload['nearest_place'] or '-'}\n"
        f"boundary: {payload['boundary']}\n"
    )


KindOption = typer.Option(
    "post", "--kind", help="post, crossing, populated_place, area, district or province."
)
AliasOption = typer.Option([], "--alias", help="Another spelling (any script); repeat for more.")
Admin2Option = typer.Option(None, "--admin2", help="District, when known.")
SourceOption = typer.Option("", "--source", help="Where the name and position come from.")
ActorOption = typer.Option("cli", "--actor", help="Who adds the place (recorded in the audit log).")


@geo_app.command("add-place", context_settings={"ignore_unknown_options": True})
def add_place_command(
    name: str = typer.Argument(..., help="The place's usual name."),
    lat: str = typer.Argument(..., metavar="LAT"),
    lon: str = typer.Argument(..., metavar="LON"),
    kind: str = KindOption,
    alias: list[str] = AliasOption,
    admin2: str | None = Admin2Option,
    source: str = SourceOption,
    actor: str = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """Add a local place (a post, village or area no source knows) to the database gazetteer."""
    from truceline.audit.actor import Actor
    from truceline.geo.border import InvalidCoordinate
    from truceline.geo.services import InvalidPlace, add_local_place

    latitude = _parse_degrees("LAT", lat, as_json=as_json)
    longitude = _parse_degrees("LON", lon, as_json=as_json)
    try:
        with transaction() as session:
            place = add_local_place(
                session,
                actor=Actor(name=actor, role="cli"),
                name=name,
                lat=latitude,
                lon=longitude,
                kind=kind,
                names=tuple(alias),
                admin2=admin2,
                source=source,
            )
    except (InvalidPlace, InvalidCoordinate) as exc:
        usage_error(str(exc), as_json=as_json)
    payload = place.to_record()
    emit(
        payload,
        as_json=as_json,
        human=lambda: stderr.print(f"added {payload['name']} as {payload['id']}"),
    )


__all__ = ["geo_app", "register"]
