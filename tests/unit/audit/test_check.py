"""``audit check-state``: every record edited, added or deleted with SQL is named; a clean database passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from typer.testing import CliRunner

from support_state import DeterminedCase, behind_the_back, determined_case, ged_extract
from truceline.audit.check import check_state
from truceline.audit.hashing import leaf_hash
from truceline.audit.keys import generate_key
from truceline.cli.main import build_app
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.exchange.importer import import_file
from truceline.incidents.models import IncidentReportLink, Report

runner = CliRunner()


def check_state_cli(expect: int) -> dict[str, Any]:
    result = runner.invoke(build_app(), ["audit", "check-state", "--json"])
    assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
    return json.loads(result.stdout)


def errors(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return check_state(connection, origin=get_settings().checkpoint_origin).errors


@pytest.fixture
def case(engine: Engine) -> DeterminedCase:
    return determined_case(engine)


def test_a_database_written_only_by_the_application_passes(
    engine: Engine, case: DeterminedCase
) -> None:
    report = check_state_cli(expect=0)
    assert report["valid"] is True and report["errors"] == []
    assert report["checked"] > 50  # the profile, the case and its records


def test_a_party_reply_edited_with_sql_is_named(engine: Engine, case: DeterminedCase) -> None:
    behind_the_back(
        engine,
        "UPDATE verification_replies SET text = 'We admit it.' WHERE id = :id",
        id=case.reply_id,
    )
    report = check_state_cli(expect=1)
    assert report["errors"] == [
        f"verification_replies id {case.reply_id}: changed outside the application "
        f"(it differs from the log's digest at seq {_seq(report['errors'][0])})"
    ]


def test_an_incidents_casualties_edited_with_sql_are_named(
    engine: Engine, case: DeterminedCase
) -> None:
    behind_the_back(
        engine,
        """UPDATE incidents SET casualties = '{"security_forces": 0}' WHERE id = :id""",
        id=case.incident_id,
    )
    assert _named(errors(engine)) == [("incidents", case.incident_id, "changed")]


def test_a_finding_edited_with_sql_is_named(engine: Engine, case: DeterminedCase) -> None:
    behind_the_back(
        engine,
        "UPDATE findings SET finding = 'no_violation', violating_party = NULL WHERE id = :id",
        id=case.finding_id,
    )
    assert _named(errors(engine)) == [("findings", case.finding_id, "changed")]


def test_the_released_flag_set_with_sql_is_named(engine: Engine, case: DeterminedCase) -> None:
    behind_the_back(
        engine, "UPDATE incidents SET released = true WHERE id = :id", id=case.incident_id
    )
    assert _named(errors(engine)) == [("incidents", case.incident_id, "changed")]


def test_a_report_deleted_with_sql_is_named(
    engine: Engine, case: DeterminedCase, tmp_path: Path
) -> None:
    import_file(engine, ged_extract(tmp_path / "ged.csv", rows=5), "ucdp-ged")  # the bulk path
    assert errors(engine) == []
    with transaction(engine) as session:
        link = session.scalars(select(IncidentReportLink)).first()
        assert link is not None
        link_id, report_id = link.id, link.report_id
        assert session.get(Report, report_id) is not None
    _drop_report_triggers(engine)
    behind_the_back(
        engine,
        "DELETE FROM incident_report_links WHERE report_id = :id",
        "DELETE FROM reports WHERE id = :id",
        id=report_id,
    )
    found = _named(errors(engine))
    assert ("reports", report_id, "deleted") in found
    assert ("incident_report_links", link_id, "deleted") in found


def test_a_row_inserted_with_sql_is_named(engine: Engine, case: DeterminedCase) -> None:
    behind_the_back(
        engine,
        "INSERT INTO verification_replies (id, case_id, party, text, submitted_by, submitted_at, late) "
        "SELECT 9000, case_id, 'PK', 'A reply nobody filed.', 'sana', submitted_at, late "
        "FROM verification_replies WHERE id = :id",
        id=case.reply_id,
    )
    assert _named(errors(engine)) == [("verification_replies", 9000, "added")]


def test_a_digest_forged_to_match_an_edit_is_caught_against_the_log(
    engine: Engine, case: DeterminedCase
) -> None:
    behind_the_back(
        engine,
        "INSERT INTO audit_state_digests (table_name, row_key, seq, schema_id, digest) "
        "SELECT table_name, row_key, seq + 1000000, schema_id, NULL FROM audit_state_digests "
        "WHERE table_name = 'findings' LIMIT 1",
    )
    found = errors(engine)
    assert any(e.startswith("audit_state_digests: digests at seq ") for e in found), found


def _drop_report_triggers(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        behind_the_back(engine, "DROP TRIGGER reports_no_delete")
    else:
        behind_the_back(engine, "ALTER TABLE reports DISABLE TRIGGER USER")


def _seq(message: str) -> str:
    return message.rsplit("seq ", 1)[1].rstrip(")")


def _named(messages: list[str]) -> list[tuple[str, int, str]]:
    """(table, id, kind) of each error, e.g. ("findings", 3, "changed")."""
    named = []
    for message in messages:
        label, _, rest = message.partition(": ")
        table, _key, key = label.split(" ")
        named.append((table, int(key), rest.split(" ", 1)[0]))
    return named


def test_check_state_writes_nothing_so_a_witness_can_run_it_on_a_replica(
    engine: Engine, case: DeterminedCase
) -> None:
    with engine.connect() as connection:
        before = connection.scalar(text("SELECT count(*) FROM audit_entries"))
    check_state_cli(expect=0)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM audit_entries")) == before


def test_an_entry_rewritten_under_a_signed_checkpoint_breaks_the_signed_root(
    engine: Engine, case: DeterminedCase
) -> None:
    signed = _sign_checkpoint()
    assert check_state_cli(expect=0)["signed_size"] == signed
    canonical = json.dumps({"forged": True})
    forged_leaf = leaf_hash(canonical.encode()).hex()
    _drop_triggers(engine, "audit_entries")
    behind_the_back(
        engine,
        "UPDATE audit_entries SET canonical = :canonical, leaf_hash = :leaf WHERE seq = 3",
        canonical=canonical,
        leaf=forged_leaf,
    )
    assert (
        f"audit_checkpoints (size {signed}): root hash does not match entries 0..{signed - 1}"
        in check_state_cli(expect=1)["errors"]
    )


def test_a_checkpoint_not_signed_by_the_key_the_party_holds_is_refused(
    engine: Engine, case: DeterminedCase, tmp_path: Path
) -> None:
    size = _sign_checkpoint()
    other = generate_key("truceline.af-pk/audit", "log", path=tmp_path / "other.key")
    (tmp_path / "other.vkey").write_text(other.public.vkey() + "\n")
    result = runner.invoke(
        build_app(), ["audit", "check-state", "--key", str(tmp_path / "other.vkey"), "--json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"] == [
        f"audit_checkpoints (size {size}): no valid signature by a trusted log key"
    ]


def _sign_checkpoint() -> int:
    for args in (["init", "--json"], ["audit", "checkpoint", "--json"]):
        result = runner.invoke(build_app(), args)
        assert result.exit_code == 0, result.stdout
    return int(json.loads(result.stdout)["tree_size"])


def _drop_triggers(engine: Engine, table: str) -> None:
    if engine.dialect.name == "sqlite":
        behind_the_back(engine, f"DROP TRIGGER {table}_no_update")
    else:
        behind_the_back(engine, f"ALTER TABLE {table} DISABLE TRIGGER USER")
