"""``truceline extract``: propose incident facts from the text of news and statements.

``truceline extract TEXT`` reads one text and prints ``{"id": "text", "events": [...]}``;
``truceline extract --file FILE`` reads JSON Lines (``{"id", "text"}``, optional
``"published": "YYYY-MM-DD"`` and ``"language"``) and prints a JSON list, one
object per line, in order. A bad line is answered in its place with an
``"error"`` naming the line and the field, the others are read, and the exit
status is 1 (the fixed interface, ``docs/cli.md``).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer

from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error

#: The longest text read (a long report is cut here: the lead carries the event).
MAX_TEXT = 20_000


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)


def extract_command(
    text: str | None = typer.Argument(None, help="The text of a statement or news report."),
    file: str | None = typer.Option(
        None, "--file", help='JSON Lines: one {"id", "text", "published"?} per line.'
    ),
    published: str | None = typer.Option(
        None, "--published", help="With TEXT: the day it was published (YYYY-MM-DD)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Read news or statement text and propose incident facts (date, type, place, actor, counts)."""
    from truceline.extraction.reader import Reader

    if (text is None) == (file is None):
        usage_error("give either TEXT or --file FILE", as_json=as_json)
    reader = Reader()
    if text is not None:
        day = _day(published, "--published", as_json)
        events = reader.read(text[:MAX_TEXT], published=day)
        emit({"id": "text", "events": [e.as_json() for e in events]}, as_json=True)
        return
    assert file is not None
    path = Path(file)
    if not path.is_file():
        usage_error(f"--file: {file} is not a readable file", as_json=as_json)
    results, rejected = [], 0
    with path.open(encoding="utf-8-sig", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            result = _read_line(reader, line, number)
            rejected += "error" in result
            results.append(result)
    if rejected:
        stderr.print(f'{rejected} line(s) rejected; see their "error"')
    emit(results, as_json=True)
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


def _read_line(reader: Any, line: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return {"id": None, "line": number, "error": f"line {number}: not JSON ({error.msg})"}
    if not isinstance(item, dict):
        return {"id": None, "line": number, "error": f"line {number}: expected an object"}
    ident, text = item.get("id"), item.get("text")
    if not isinstance(text, str) or not text.strip():
        return {"id": ident, "line": number, "error": f"line {number}: text: missing or empty"}
    try:
        day = date.fromisoformat(item["published"]) if item.get("published") else None
    except (TypeError, ValueError):
        return {"id": ident, "line": number, "error": f"line {number}: published: not YYYY-MM-DD"}
    events = reader.read(text[:MAX_TEXT], published=day)
    return {
        "id": str(ident) if ident is not None else str(number),
        "events": [e.as_json() for e in events],
    }


def _day(value: str | None, option: str, as_json: bool) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        usage_error(f"{option}: {value!r} is not a date (YYYY-MM-DD)", as_json=as_json)
