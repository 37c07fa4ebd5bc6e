"""Application factory. Each context contributes an APIRouter listed in ``ROUTER_MODULES``."""

from __future__ import annotations

import importlib

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.middleware.gzip import GZipMiddleware

from truceline import __version__
from truceline.accounts.middleware import install as install_access_guards
from truceline.web.api_docs import install_redoc
from truceline.web.errors import install_error_pages
from truceline.web.static_assets import mount_static_assets

ROUTER_MODULES: list[str] = [
    "truceline.web.map_api",
    "truceline.web.pages",
    "truceline.web.agreement_pages",
    "truceline.web.intake_pages",
    "truceline.web.verification_pages",
    "truceline.web.notification_pages",
    "truceline.web.triage_pages",
    "truceline.web.verification_forms",
    "truceline.web.evidence_forms",
    "truceline.web.findings_pages",
    "truceline.web.audit_pages",
    "truceline.designations.api",
    "truceline.agreements.api",
    "truceline.geo.api",
    "truceline.accounts.api",
    "truceline.verification.api",
    "truceline.verification.evidence_api",
    "truceline.community.api",
    "truceline.audit.api",
    "truceline.intake.api",
    "truceline.warning.api",
    "truceline.reports.api",
]


def create_app() -> FastAPI:
    """Build the app with self-hosted API docs at /docs and /redoc."""
    app = FastAPIOffline(
        title="truceline",
        version=__version__,
        description="API of the Afghanistan–Pakistan ceasefire accountability mechanism.",
        redoc_url=None,
    )
    install_redoc(app)
    install_error_pages(app)
    # Pages, GeoJSON and scripts shrink 3-5x compressed: this matters on a poor connection.
    app.add_middleware(GZipMiddleware, minimum_size=500)
    mount_static_assets(app)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    install_access_guards(app)
    for name in ROUTER_MODULES:
        app.include_router(importlib.import_module(name).router)
    return app
