"""The community commands: one JSON document on stdout, clear usage errors."""

from __future__ import annotations

import json

from sqlalchemy import Engine
from typer.testing import CliRunner

from truceline.cli.main import app, build_app

runner = CliRunner()


def test_districts_lists_both_sides_with_their_crossings(sqlite_engine: Engine) -> None:
    build_app()
    result = runner.invoke(app, ["community", "districts", "--country", "PK", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["districts"]
    khyber = next(r for r in rows if r["name"] == "Khyber agency")
    assert khyber["crossings"] == ["Torkham"] and khyber["country"] == "PK"
    assert "de facto" in khyber["boundary"]


def test_an_unknown_country_is_a_usage_error(sqlite_engine: Engine) -> None:
    build_app()
    result = runner.invoke(app, ["community", "districts", "--country", "IR", "--json"])
    assert result.exit_code == 2 and "--country" in result.stdout


def test_parse_shows_the_fields_and_the_reply_in_the_senders_language(
    sqlite_engine: Engine,
) -> None:
    build_app()
    result = runner.invoke(app, ["community", "parse", "در برمل حمله هوایی ۴ کشته", "--json"])
    payload = json.loads(result.stdout)
    assert (payload["place"], payload["killed"], payload["language"]) == ("Barmal", 4, "fa")
    assert "دریافت شد" in payload["reply"]


def test_feedback_with_nothing_owed_queues_nothing(sqlite_engine: Engine) -> None:
    build_app()
    result = runner.invoke(app, ["community", "feedback", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == {"queued": 0}
