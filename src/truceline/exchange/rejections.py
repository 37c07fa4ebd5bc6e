"""Rejected rows of an import, kept in memory up to a limit and streamed to a file beyond it.

A file of a few hundred megabytes of bad rows used to hold every rejection (and
its reason) in memory until the end, and then build one JSON document of them:
3 GB for 200 MB of input. ``RejectionLog`` keeps the first ``keep`` rejections
for the summary; from the next one on it writes every rejection (the kept ones
first) as JSON Lines to ``spill_path`` and keeps only a count, so memory stays
flat whatever the number of bad rows. Reasons are cut to ``MAX_REASON`` characters:
a reason names the field and the problem, never a megabyte of the value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from truceline.exchange.records import Rejection

#: Rejections listed in the summary (and in ``--json``) before the rest go to a file.
DEFAULT_KEEP = 1000
MAX_REASON = 500


class RejectionLog:
    """Collects rejections; list-like enough for the importer (``append``, ``len``, ``bool``)."""

    def __init__(
        self, spill_path: Path | None = None, *, keep: int = DEFAULT_KEEP, write_all: bool = False
    ) -> None:
        self.keep = keep
        self.spill_path = spill_path
        self.write_all = write_all
        self.kept: list[Rejection] = []
        self.count = 0
        self._spill: IO[str] | None = None

    def append(self, rejection: Rejection) -> None:
        if len(rejection.reason) > MAX_REASON:
            rejection = Rejection(rejection.row, rejection.reason[: MAX_REASON - 1] + "…")
        self.count += 1
        if self._spill is None and (self.write_all or self.count > self.keep):
            self._open_spill()
        if len(self.kept) < self.keep:
            self.kept.append(rejection)
        if self._spill is not None:
            self._spill.write(json.dumps(rejection.to_json(), ensure_ascii=False) + "\n")

    def extend(self, rejections: Iterable[Rejection]) -> None:
        for rejection in rejections:
            self.append(rejection)

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self) -> Iterator[Rejection]:
        return iter(self.kept)

    def __getitem__(self, index: int) -> Rejection:
        return self.kept[index]

    def __eq__(self, other: object) -> bool:
        """Equal to the list of rejections it holds (when none were streamed away)."""
        if isinstance(other, list):
            return not self.truncated and self.kept == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    @property
    def truncated(self) -> bool:
        return self.count > len(self.kept)

    def _open_spill(self) -> None:
        """Open the spill file and copy the rejections kept so far into it."""
        if self.spill_path is None:
            raise RuntimeError("more rejections than can be kept and no file to write them")
        self._spill = self.spill_path.open("w", encoding="utf-8")
        for kept in self.kept:
            self._spill.write(json.dumps(kept.to_json(), ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self._spill is None and self.write_all and self.spill_path is not None:
            self._open_spill()  # asked for a file: an empty one says "no rejections"
        if self._spill is not None:
            self._spill.close()

    def to_json(self) -> dict[str, Any]:
        """The summary's keys: ``rejected`` (the kept ones, by row) and where the rest are."""
        return {
            "rejected": [r.to_json() for r in sorted(self.kept, key=lambda r: r.row)],
            "rejected_count": self.count,
            "rejected_truncated": self.truncated,
            "rejected_file": str(self.spill_path) if self._spill is not None else None,
        }
