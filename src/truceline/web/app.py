"""Application factory. Each context contributes an APIRouter listed in ``ROUTER_MODULES``."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.middleware.gzip import GZipMiddleware

from truceline import __version__
from truceline.accounts.middleware import install as install_access_guards
from truceline.config import get_settings
from truceline.web.api_docs import install_redoc, install_swagger
from truceline.web.errors import install_error_pages
from truceline.web.openapi_doc import install_openapi_errors
from truceline.web.retry import RetryOnConflictMiddleware
from truceline.web.security import SecurityHeadersMiddleware, TrustedProxyMiddleware
from truceline.web.static_assets import mount_static_assets

ROUTER_MODULES: list[str] = [
    "truceline.web.map_api",
    "truceline.web.incidents_api",
    "truceline.web.pages",
    "truceline.web.agreement_pages",
    "truceline.web.intake_pages",
    "truceline.web.verification_pages",
    "truceline.web.notification_pages",
    "truceline.web.risk_pages",
    "truceline.web.triage_pages",
    "truceline.web.verification_forms",
    "truceline.web.evidence_forms",
    "truceline.web.publication_forms",
    "truceline.web.case_parties_forms",
    "truceline.web.findings_pages",
    "truceline.web.audit_pages",
    "truceline.designations.api",
    "truceline.agreements.api",
    "truceline.geo.api",
    "truceline.accounts.api",
    "truceline.verification.api",
    "truceline.verification.evidence_api",
    "truceline.verification.publication_api",
    "truceline.community.api",
    "truceline.audit.api",
    "truceline.intake.api",
    "truceline.warning.api",
    "truceline.warning.risk_api",
    "truceline.reports.api",
    "truceline.action_requests.api",
    "truceline.action_requests.pages",
]


def create_app(lifespan: Any = None) -> FastAPI:
    """Build the app with self-hosted API docs at /docs and /redoc.

    Middleware, outermost first: trusted-proxy resolution of the client address,
    security headers, the access guards (body size, authentication, rate limits),
    compression, and the retry of write requests that lost a race for the database.
    """
    settings = get_settings()
    app = FastAPIOffline(
        title="truceline",
        version=__version__,
        description="API of the Afghanistan–Pakistan ceasefire accountability mechanism.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    install_swagger(app)
    install_redoc(app)
    install_error_pages(app)
    app.add_middleware(RetryOnConflictMiddleware)
    # Pages, GeoJSON and scripts shrink 3-5x compressed: this matters on a poor connection.
    app.add_middleware(GZipMiddleware, minimum_size=500)
    mount_static_assets(app)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    install_access_guards(app)
    app.add_middleware(SecurityHeadersMiddleware, secure_cookies=settings.session_cookie_secure)
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxies)
    for name in ROUTER_MODULES:
        app.include_router(importlib.import_module(name).router)
    install_openapi_errors(app)
    return app


@asynccontextmanager
async def _background_jobs(_app: FastAPI) -> AsyncIterator[None]:
    """Load the shared models, then start this worker's job runner (only the leader runs jobs)."""
    from starlette.concurrency import run_in_threadpool

    from truceline.db.engine import default_engine
    from truceline.web.jobs import JobRunner, default_jobs
    from truceline.web.warmup import warm_up

    await run_in_threadpool(warm_up)
    runner = JobRunner(default_engine(), default_jobs(get_settings()))
    runner.start()
    try:
        yield
    finally:
        runner.stop()


def create_served_app() -> FastAPI:
    """The app as ``truceline serve`` runs it (in each worker): with the background jobs."""
    return create_app(lifespan=_background_jobs)
