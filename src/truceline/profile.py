"""The built-in Afghanistan–Pakistan profile, loaded by ``truceline init``.

Each context that seeds data lists a loader in ``PROFILE_LOADERS``: a module
with ``load_profile(session) -> dict[str, int]`` that is idempotent (it inserts
what is missing and leaves what exists) and returns counts for the summary.
"""

from __future__ import annotations

import importlib
from typing import Any

from sqlalchemy import Engine

from truceline.db.engine import transaction
from truceline.db.migrate import upgrade

PROFILE_NAME = "af-pk-2025"

PROFILE_LOADERS: list[str] = [
    "truceline.designations.profile",
    "truceline.agreements.profile_loader",
    "truceline.geo.profile",
    "truceline.community.profile",
]


def initialise(engine: Engine) -> dict[str, Any]:
    """Migrate the schema and load every context's part of the profile."""
    upgrade(engine)
    loaded: dict[str, int] = {}
    with transaction(engine) as session:
        for name in PROFILE_LOADERS:
            loaded.update(importlib.import_module(name).load_profile(session))
    return {"profile": PROFILE_NAME, "loaded": loaded}
