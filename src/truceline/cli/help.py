"""How ``--help`` shows options.

Typer prints a value type beside every option in its help panels, and flags get
one too: ``--json <bool>`` reads as if the option wanted a value (``--json true``),
which it refuses. A flag takes no value, so it shows no type; options that do
take one keep theirs (``--party <str>``).
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption

_PATCHED = "_truceline_flags_show_no_type"


def show_no_type_on_flags() -> None:
    """Make help panels leave the type column empty for flags (idempotent)."""
    original = TyperOption.display_type_rich
    if getattr(original, _PATCHED, False):
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        return original(self, ctx)

    setattr(display_type_rich, _PATCHED, True)
    patched: Any = display_type_rich
    TyperOption.display_type_rich = patched  # type: ignore[method-assign]
