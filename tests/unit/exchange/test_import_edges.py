"""``truceline import`` at the edges: many rejections, corrupt ``.gz``, huge text, UTF-16.

Each case used to go wrong: every rejection was held in memory and printed in one
document (3 GB for 200 MB of bad rows), a corrupt ``.gz`` ended in ``Aborted.``
or a ``BadGzipFile`` traceback with no summary, a 1 MB text was stored past the
20,000-character limit of the intake API, and UTF-16 was "invalid UTF-8".
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from truceline.cli.main import build_app
from truceline.exchange.importer import import_file
from truceline.exchange.rejections import RejectionLog
from truceline.exchange.ucdp import GED_COLUMNS
from truceline.incidents.limits import MAX_REPORT_TEXT_CHARS
from truceline.incidents.models import Report

WriteGed = Callable[..., Path]
GedRow = Callable[..., dict[str, str]]
runner = CliRunner()


def _import(path: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(
        build_app(), ["import", str(path), "--format", "ucdp-ged", "--json", *extra]
    )
    return result.exit_code, json.loads(result.stdout)


def _ged_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(GED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_past_the_limit_rejections_stream_to_a_file_and_the_summary_counts_them(
    sqlite_engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    rows = [ged_row(id=str(i), longitude="200") for i in range(1, 1_206)] + [ged_row(id="9999")]
    path = write_ged(rows)
    code, payload = _import(path)
    assert code == 1
    assert (payload["imported"], payload["rejected_count"]) == (1, 1_205)
    assert len(payload["rejected"]) == 1_000 and payload["rejected_truncated"] is True
    spilled = Path(payload["rejected_file"])
    assert spilled == path.with_name("ged.csv.rejected.jsonl")
    lines = [json.loads(line) for line in spilled.read_text(encoding="utf-8").splitlines()]
    assert [line["row"] for line in lines] == list(range(1, 1_206))
    assert "longitude" in lines[-1]["reason"]


def test_a_few_rejections_stay_in_the_summary_and_write_no_file(
    sqlite_engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    path = write_ged([ged_row(id="1", longitude="200")])
    _, payload = _import(path)
    assert payload["rejected_count"] == 1 and payload["rejected_file"] is None
    assert not path.with_name("ged.csv.rejected.jsonl").exists()


def test_the_rejected_option_writes_every_rejection_there(
    sqlite_engine: Engine, write_ged: WriteGed, ged_row: GedRow, tmp_path: Path
) -> None:
    target = tmp_path / "bad.jsonl"
    _, payload = _import(write_ged([ged_row(id="1", longitude="200")]), "--rejected", str(target))
    assert payload["rejected_file"] == str(target)
    assert json.loads(target.read_text(encoding="utf-8"))["row"] == 1


def test_rejection_log_keeps_memory_bounded_and_cuts_long_reasons(tmp_path: Path) -> None:
    from truceline.exchange.records import Rejection

    log = RejectionLog(tmp_path / "r.jsonl", keep=3)
    log.extend(Rejection(row, "x" * 10_000) for row in range(1, 11))
    log.close()
    assert len(log) == 10 and len(log.kept) == 3
    assert all(len(r.reason) <= 500 for r in log.kept)
    assert len((tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()) == 10


def test_a_corrupt_gz_names_the_file_and_keeps_what_was_committed(
    sqlite_engine: Engine, ged_row: GedRow, tmp_path: Path
) -> None:
    rows = [ged_row(id=str(i)) for i in range(1, 3_001)]
    packed = gzip.compress(_ged_csv(rows).encode("utf-8"))
    path = tmp_path / "ged.csv.gz"
    path.write_bytes(packed[: len(packed) * 2 // 3])  # cut off: "end-of-stream marker"
    code, payload = _import(path, "--batch-size", "500")
    assert code == 1
    assert payload["error"].startswith(f"{path}: cannot read the file to its end")
    assert payload["imported"] > 0 and f"{payload['imported']} events" in payload["error"]
    with sqlite_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Report)) == payload["imported"]


def test_a_file_that_is_not_gzip_inside_a_gz_header_gives_json_not_a_traceback(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv.gz"
    path.write_bytes(b"\x1f\x8b" + b"\x00" * 64)
    code, payload = _import(path)
    assert code == 1
    assert str(path) in payload["error"] and payload["imported"] == 0


def test_a_report_text_over_the_limit_is_rejected_naming_the_field(
    sqlite_engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    huge = "x" * (1024 * 1024)
    path = write_ged([ged_row(id="1", source_article=huge), ged_row(id="2")])
    code, payload = _import(path)
    assert (code, payload["imported"]) == (1, 1)
    [rejection] = payload["rejected"]
    assert rejection["row"] == 1
    assert (
        "report text" in rejection["reason"] and f"{MAX_REPORT_TEXT_CHARS:,}" in rejection["reason"]
    )
    with sqlite_engine.connect() as conn:
        longest = conn.scalar(select(func.max(func.length(Report.text))))
    assert longest is not None and longest <= MAX_REPORT_TEXT_CHARS


def test_a_utf16_file_with_a_byte_order_mark_is_imported(
    sqlite_engine: Engine, ged_row: GedRow, tmp_path: Path
) -> None:
    path = tmp_path / "ged-utf16.csv"
    path.write_bytes(_ged_csv([ged_row(id="1", adm_1="خیبر پښتونخوا")]).encode("utf-16"))
    code, payload = _import(path)
    assert (code, payload["imported"], payload["rejected"]) == (0, 1, [])


def test_utf16_without_a_byte_order_mark_is_recognised_too(
    sqlite_engine: Engine, ged_row: GedRow, tmp_path: Path
) -> None:
    path = tmp_path / "ged-utf16le.csv"
    path.write_bytes(_ged_csv([ged_row(id="1")]).encode("utf-16-le"))
    _, payload = _import(path)
    assert payload["imported"] == 1


def test_broken_utf16_is_an_error_naming_the_encoding(
    sqlite_engine: Engine, ged_row: GedRow, tmp_path: Path
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(_ged_csv([ged_row(id="1")]).encode("utf-16") + b"\x00\xd8")
    code, payload = _import(path)
    assert code == 1
    assert "UTF-16" in payload["error"]


def test_import_file_reports_the_summary_keys_the_interface_fixes(
    sqlite_engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    summary = import_file(sqlite_engine, write_ged([ged_row(id="1")]), "ucdp-ged")
    document = summary.to_json()
    assert isinstance(document["imported"], int) and isinstance(document["duplicates"], int)
    assert document["rejected"] == [] and document["error"] is None


def test_a_file_of_only_bad_rows_is_handed_over_in_bounded_pieces(
    write_ged: WriteGed, ged_row: GedRow
) -> None:
    from truceline.exchange.pipeline import REJECTIONS_PER_HANDOFF, read_in_batches

    rows = [ged_row(id=str(i), longitude="200") for i in range(1, 2 * REJECTIONS_PER_HANDOFF + 2)]
    pieces = [items for items, _ in read_in_batches("ucdp-ged", write_ged(rows), 1000)]
    assert max(len(items) for items in pieces) <= REJECTIONS_PER_HANDOFF
    assert sum(len(items) for items in pieces) == len(rows)
