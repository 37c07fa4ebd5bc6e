"""Casualty estimates by category, each a low/best/high range as in UCDP GED."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from truceline.events.taxonomy import CasualtyCategory


@dataclass(frozen=True)
class Estimate:
    """A count known only as a range: ``low <= best <= high``."""

    low: int
    best: int
    high: int

    def __post_init__(self) -> None:
        if min(self.low, self.best, self.high) < 0:
            raise ValueError(f"negative casualty count in {self}")
        if not self.low <= self.best <= self.high:
            raise ValueError(f"casualty range must satisfy low <= best <= high, got {self}")

    @classmethod
    def exact(cls, count: int) -> Estimate:
        return cls(count, count, count)

    def __add__(self, other: Estimate) -> Estimate:
        return Estimate(self.low + other.low, self.best + other.best, self.high + other.high)


ZERO = Estimate(0, 0, 0)


@dataclass(frozen=True)
class Casualties:
    """Deaths by category. Missing categories count as zero."""

    by_category: dict[CasualtyCategory, Estimate] = field(default_factory=dict)

    def get(self, category: CasualtyCategory) -> Estimate:
        return self.by_category.get(category, ZERO)

    @property
    def total(self) -> Estimate:
        total = ZERO
        for estimate in self.by_category.values():
            total = total + estimate
        return total

    def to_json(self) -> dict[str, dict[str, int]]:
        return {
            cat.value: {"low": est.low, "best": est.best, "high": est.high}
            for cat, est in sorted(self.by_category.items(), key=lambda kv: kv[0].value)
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Casualties:
        """Parse ``{"civilians": {"low":..}, ...}`` or the short form ``{"civilians": 3}``."""
        result: dict[CasualtyCategory, Estimate] = {}
        for key, value in (data or {}).items():
            try:
                category = CasualtyCategory(key)
            except ValueError:
                raise ValueError(
                    f"unknown casualty category {key!r}; expected one of "
                    f"{', '.join(c.value for c in CasualtyCategory)}"
                ) from None
            if isinstance(value, int) and not isinstance(value, bool):
                result[category] = Estimate.exact(value)
            elif isinstance(value, dict):
                best = int(value.get("best") or value.get("low") or 0)
                result[category] = Estimate(
                    int(value.get("low", best)), best, int(value.get("high", best))
                )
            else:
                raise ValueError(f"casualties[{key!r}] must be an integer or {{low,best,high}}")
        return cls(result)
