"""Start-up cost of the ``truceline`` command (issue 15, item 6).

Code path: ``truceline.cli.main:main``, the console script installed as
``.venv/bin/truceline``. Each measure is a fresh interpreter, as a user runs it;
the baseline in the same run is ``python -c pass`` (the interpreter alone), and
the "all modules" row is what every call cost before commands were loaded on
use (``build_app()``, which imports every context's ``cli`` module).

Wall times are the median of ``--runs`` runs. ``-X importtime`` lists the
modules that ``truceline --help`` still imports, heaviest first (cumulative).

    .venv/bin/python benchmarks/bench_cli_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "truceline"
EAGER = "from truceline.cli.main import build_app; build_app()(['--help'])"
GOAL_S = 0.3


#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = (
    "truceline.cli.main.main",
    "truceline.cli.lazy.lazy_group_class",
)


def wall(argv: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU (user + system) seconds of running ``argv``, output discarded.

    CPU time is the steadier figure on a shared machine: wall time also counts
    waiting for a core."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def import_profile(argv: list[str], top: int) -> tuple[int, list[tuple[int, str]]]:
    """Modules imported by ``argv`` (run under ``-X importtime``): count and heaviest cumulative."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *argv], capture_output=True, text=True, check=False
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        rows.append((int(cumulative), name.rstrip()))
    roots = sorted((r for r in rows if not r[1].startswith("   ")), reverse=True)
    return len(rows), roots[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    cases = [
        ("baseline: python -c pass", [sys.executable, "-c", "pass"]),
        ("truceline --help", [str(BIN), "--help"]),
        ("truceline (no arguments: help)", [str(BIN)]),
        ("truceline extract --help", [str(BIN), "extract", "--help"]),
        ("truceline geo --help", [str(BIN), "geo", "--help"]),
        ("truceline audit --help", [str(BIN), "audit", "--help"]),
        ("truceline serve --help", [str(BIN), "serve", "--help"]),
        ("before: every command module imported", [sys.executable, "-c", EAGER]),
    ]
    base = None
    print(f"load average {os.getloadavg()[0]:.1f}; median of {args.runs} runs")
    print(f"{'command':42} {'wall s':>7} {'CPU s':>7} {'wall over baseline s':>21}")
    for label, argv in cases:
        seconds, cpu = wall(argv, args.runs)
        base = seconds if base is None else base
        print(f"{label:42} {seconds:7.3f} {cpu:7.3f} {seconds - base:21.3f}")

    script = (
        "import sys; sys.argv=['truceline','--help']; from truceline.cli.main import main; main()"
    )
    count, heaviest = import_profile(["-c", script], top=8)
    print(f"\n`truceline --help` imports {count} modules; heaviest top-level imports (cumulative):")
    for micros, name in heaviest:
        print(f"  {micros / 1000:8.1f} ms  {name.strip()}")
    print(f"\ngoal: truceline --help under {GOAL_S} s")


if __name__ == "__main__":
    main()
