"""Application factory. Each context contributes an APIRouter listed in ``ROUTER_MODULES``."""

from __future__ import annotations

import importlib

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from truceline import __version__

ROUTER_MODULES: list[str] = [
    "truceline.intake.api",
]


def create_app() -> FastAPI:
    """Build the app with self-hosted API docs at /docs and /redoc."""
    app = FastAPIOffline(
        title="truceline",
        version=__version__,
        description="API of the Afghanistan–Pakistan ceasefire accountability mechanism.",
    )

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    for name in ROUTER_MODULES:
        app.include_router(importlib.import_module(name).router)
    return app
