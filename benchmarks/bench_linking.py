"""Benchmark: linking synthetic reports into incidents with blocking, against all-pairs.

Run: ``.venv/bin/python benchmarks/bench_linking.py [--sizes 100000 1000000] [--naive-sample 3000]``

For each size, a seeded stream with known true incidents (see
``truceline.incidents.synthetic``) is linked by ``StreamingLinker``; the script
prints wall and CPU time, peak resident memory of the run's process (data and
linker; ``--trace-memory`` adds the linker's own peak, traced), comparisons per report, and pairwise
precision and recall against the truth. A naive linker that scores every
incident (no blocking) runs on a small sample beside the blocked one, so the
speed ratio is measured in the same run.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import resource
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass

from truceline.incidents.blocking import StreamingLinker
from truceline.incidents.synthetic import SyntheticReport, generate_reports


@dataclass(frozen=True)
class RunFigures:
    label: str
    reports: int
    seconds: float
    cpu_seconds: float
    peak_mib: float
    peak_rss_mib: float
    comparisons_per_report: float
    precision: float
    recall: float
    incidents: int
    true_incidents: int


def pairwise_precision_recall(predicted: list[int], truth: list[int]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering, in linear time via pair counts."""

    def pairs(counts: Counter[int] | Counter[tuple[int, int]]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    together = pairs(Counter(zip(predicted, truth, strict=True)))
    predicted_pairs, true_pairs = pairs(Counter(predicted)), pairs(Counter(truth))
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    return precision, recall


def run(
    label: str, reports: list[SyntheticReport], *, use_blocking: bool, trace: bool
) -> RunFigures:
    linker = StreamingLinker(use_blocking=use_blocking)
    gc.collect()
    if trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    assigned = linker.link_all((r.report_id, r.features) for r in reports)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else float("nan")
    if trace:
        tracemalloc.stop()
    truth = [r.true_event for r in reports]
    precision, recall = pairwise_precision_recall(assigned, truth)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return RunFigures(label, len(reports), round(seconds, 2), round(cpu_seconds, 2), round(peak, 1), round(rss),
                      round(linker.comparisons / len(reports), 2), round(precision, 4),
                      round(recall, 4), len(linker.clusters), len(set(truth)))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--naive-sample", type=int, default=3000)
    parser.add_argument("--trace-memory", action=argparse.BooleanOptionalAction, default=False,
                        help="measure peak memory with tracemalloc (slows the run about 2x)")  # fmt: skip
    args = parser.parse_args(argv)
    results = [_baseline(args.naive_sample)] if args.naive_sample else []
    # Each size runs in a fresh process, so its peak resident memory is its own.
    spawn = multiprocessing.get_context("spawn")
    for size in args.sizes:
        with spawn.Pool(1) as pool:
            results.append(pool.apply(run_size, (size, args.trace_memory)))
        print(json.dumps(results[-1].__dict__), file=sys.stderr, flush=True)
    _print_table(results)
    return 0


def run_size(size: int, trace: bool) -> RunFigures:
    """Generate ``size`` reports and link them with blocking (in the calling process)."""
    return run(f"blocked {size}", generate_reports(size), use_blocking=True, trace=trace)


def _baseline(sample: int) -> RunFigures:
    reports = generate_reports(sample)
    naive = run(f"naive all-pairs {sample}", reports, use_blocking=False, trace=False)
    blocked = run(f"blocked {sample}", reports, use_blocking=True, trace=False)
    print(json.dumps(naive.__dict__), file=sys.stderr)
    print(json.dumps(blocked.__dict__), file=sys.stderr)
    ratio = naive.cpu_seconds / max(blocked.cpu_seconds, 1e-9)
    quadratic_100k = naive.cpu_seconds * (100_000 / sample) ** 2
    print(f"naive/blocked CPU time on {sample} reports: {ratio:.1f}x; all-pairs would need "
          f"about {quadratic_100k:,.0f} CPU s for 100,000 reports", file=sys.stderr)  # fmt: skip
    return naive


def _print_table(results: list[RunFigures]) -> None:
    header = ("run", "reports", "wall s", "CPU s", "traced peak MiB", "peak RSS MiB", "comparisons/report", "precision", "recall",
              "incidents", "true incidents")  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in results:
        print(f"| {r.label} | {r.reports} | {r.seconds} | {r.cpu_seconds} | {r.peak_mib} | {r.peak_rss_mib} | {r.comparisons_per_report} | "
              f"{r.precision} | {r.recall} | {r.incidents} | {r.true_incidents} |")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
