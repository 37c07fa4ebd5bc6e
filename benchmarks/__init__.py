"""Benchmarks: each ``bench_*.py`` is a script printing figures next to an in-run baseline."""
