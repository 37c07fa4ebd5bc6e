"""Imports every context's ORM models so that ``Base.metadata`` is complete.

A new context with models adds its ``models`` module to ``MODEL_MODULES``.
"""

from __future__ import annotations

import importlib

MODEL_MODULES = [
    "truceline.incidents.models",
    "truceline.audit.models",
    "truceline.designations.models",
    "truceline.agreements.models",
    "truceline.geo.models",
    "truceline.accounts.models",
    "truceline.verification.models",
    "truceline.community.models",
    "truceline.intake.models",
    "truceline.warning.models",
    "truceline.warning.risk_models",
    "truceline.db.leases",
    "truceline.action_requests.models",
]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
