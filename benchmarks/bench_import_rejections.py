"""Peak memory of ``truceline import --json`` on a file where every row is rejected.

A file of bad rows used to make the import hold every rejection in memory and
print them all in one JSON document: 3 GB of memory for 200 MB of input. Now the
first 1,000 rejections are kept for the summary and the rest are streamed to
``FILE.rejected.jsonl``, so memory should not grow with the file.

This writes a synthetic UCDP GED file of the requested size in which every row
has an impossible longitude (so every row is rejected with a reason), runs the
real command line in a child process on a fresh SQLite database, and reports the
child's peak resident memory (``ru_maxrss``) next to a baseline: the same
command on a file of a single bad row (start-up, migrations, the profile).

    .venv/bin/python benchmarks/bench_import_rejections.py            # 200 MB
    .venv/bin/python benchmarks/bench_import_rejections.py --mb 20    # quicker
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from truceline.exchange.ucdp import GED_COLUMNS

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.exchange.cli.import_command",)

TRUCELINE = Path(sys.executable).with_name("truceline")


def write_bad_file(path: Path, megabytes: float) -> int:
    """GED rows, each with longitude 200, until the file reaches ``megabytes``."""
    target = int(megabytes * 1024 * 1024)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(GED_COLUMNS))
        writer.writeheader()
        while out.tell() < target:
            rows += 1
            row = dict.fromkeys(GED_COLUMNS, "")
            row |= {
                "id": str(rows),
                "year": "2010",
                "date_start": "2010-05-01 00:00:00.000",
                "date_end": "2010-05-01 00:00:00.000",
                "latitude": "33.0",
                "longitude": "200",
                "country": "Pakistan",
                "source_article": "Dawn, 2010-05-02, " + "a report of the clash " * 6,
            }
            writer.writerow(row)
    return rows


def peak_rss_of_import(path: Path, workdir: Path) -> tuple[float, float, dict[str, object]]:
    """Run ``truceline import --json`` in a child; return its peak RSS (MB), seconds, summary."""
    env = os.environ | {
        "TRUCELINE_DATABASE_URL": f"sqlite:///{workdir / f'{path.stem}.sqlite3'}",
        "TRUCELINE_DATA_DIR": str(workdir / "data"),
    }
    command = [str(TRUCELINE), "import", str(path), "--format", "ucdp-ged", "--json"]
    output = workdir / f"{path.stem}.json"
    started = time.perf_counter()
    with output.open("wb") as stdout:
        child = subprocess.Popen(command, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(child.pid, 0)  # this child's own peak, not the largest so far
    elapsed = time.perf_counter() - started
    return usage.ru_maxrss / 1024, elapsed, json.loads(output.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200.0, help="size of the bad file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        small, big = workdir / "one.csv", workdir / "bad.csv"
        write_bad_file(small, 0.0001)
        rows = write_bad_file(big, args.mb)
        base_rss, base_s, _ = peak_rss_of_import(small, workdir)
        rss, seconds, summary = peak_rss_of_import(big, workdir)
        spilled = Path(str(summary["rejected_file"]))
        print(f"file: {big.stat().st_size / 2**20:.0f} MB, {rows:,} rows, all rejected")
        print(f"{'run':<34}{'peak RSS MB':>12}{'seconds':>10}")
        print(f"{'baseline: one bad row':<34}{base_rss:>12.0f}{base_s:>10.1f}")
        print(f"{'import --json, every row rejected':<34}{rss:>12.0f}{seconds:>10.1f}")
        print(
            f"summary: rejected_count={summary['rejected_count']:,}, "
            f"listed={len(summary['rejected'])}, "  # type: ignore[arg-type]
            f"stdout document; file {spilled.name} of {spilled.stat().st_size / 2**20:.0f} MB"
        )


if __name__ == "__main__":
    main()
