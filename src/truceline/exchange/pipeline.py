"""Reading a large file in a helper process while the database writes the previous batch.

Parsing and validating a row costs about as much CPU as inserting it, so for
large files the reader runs in a child process and hands over batches through
a bounded queue (at most ``QUEUE_BATCHES`` batches in flight, so memory stays
flat). Small files are read in-process: starting a process would cost more
than it saves, and so would a second process on a machine with few cores.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path
from queue import Empty
from typing import Any

from truceline.exchange.records import ImportRecord, Rejection

#: Files at least this large (bytes on disk) are read in a helper process.
BACKGROUND_THRESHOLD = 4 * 1024 * 1024
QUEUE_BATCHES = 4
#: Rejections handed over at once even when no batch of records is full: a file of
#: nothing but bad rows would otherwise be one "batch" held whole in memory.
REJECTIONS_PER_HANDOFF = 5000
#: Below this many CPUs the two processes would only take turns on the same cores.
MIN_CPUS = 4

Item = ImportRecord | Rejection


def read_in_batches(
    file_format: str, path: Path, batch_size: int, *, background: bool | None = None
) -> Iterator[tuple[list[Item], int]]:
    """Batches of items with the number of bytes read to produce each batch."""
    if background is None:
        spare_cores = (os.cpu_count() or 1) >= MIN_CPUS
        background = spare_cores and path.stat().st_size >= BACKGROUND_THRESHOLD
    if background:
        yield from _from_child(file_format, path, batch_size)
    else:
        yield from _batches(file_format, path, batch_size)


def _batches(file_format: str, path: Path, batch_size: int) -> Iterator[tuple[list[Item], int]]:
    from truceline.exchange.importer import READERS

    consumed = [0]

    def count(size: int) -> None:
        consumed[0] += size

    batch: list[Item] = []
    records = 0
    for item in READERS[file_format](path, on_progress=count):
        batch.append(item)
        records += isinstance(item, ImportRecord)
        if records >= batch_size or len(batch) - records >= REJECTIONS_PER_HANDOFF:
            yield batch, consumed[0]
            batch, records, consumed[0] = [], 0, 0
    if batch or consumed[0]:
        yield batch, consumed[0]


def _produce(file_format: str, path: str, batch_size: int, queue: Any) -> None:
    """Child process: put batches on the queue, then ``None`` (or the error that stopped it)."""
    try:
        for batch in _batches(file_format, Path(path), batch_size):
            queue.put(batch)
    except BaseException as error:  # reported to the parent, which re-raises it
        queue.put(error)
        return
    queue.put(None)


def _from_child(file_format: str, path: Path, batch_size: int) -> Iterator[tuple[list[Item], int]]:
    # fork: the child starts at once and never re-imports the caller's __main__;
    # it only reads the file, never touching the parent's database connections.
    methods = multiprocessing.get_all_start_methods()
    context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    queue = context.Queue(maxsize=QUEUE_BATCHES)
    child = context.Process(
        target=_produce, args=(file_format, str(path), batch_size, queue), daemon=True
    )
    child.start()
    try:
        while True:
            try:
                message = queue.get(timeout=1.0)
            except Empty:
                if not child.is_alive():
                    raise RuntimeError(
                        "the process reading the file stopped unexpectedly"
                    ) from None
                continue
            if message is None:
                return
            if isinstance(message, BaseException):
                raise message
            yield message
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
