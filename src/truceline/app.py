"""The composition root: the contexts' web modules wired into the HTTP layer.

``truceline.http`` knows no context; this module lists the modules that serve
HTTP (``ROUTER_MODULES``, in the order their routes are matched) and hands
each to an ``AppRegistry``: a module with ``register_http(registry)`` adds its
routers, navigation items, badges and templates folder itself; any other
module exposes ``router``. ``truceline serve`` runs ``create_served_app``.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from truceline.accounts.middleware import install as install_access_guards
from truceline.config import get_settings
from truceline.http.app import build_app
from truceline.http.i18n import N_
from truceline.http.registry import AppRegistry, NavItem
from truceline.startup import wire

ROUTER_MODULES: list[str] = [
    "truceline.web.map_api",
    "truceline.web.incidents_api",
    "truceline.web.pages",
    "truceline.agreements.pages",
    "truceline.intake.pages",
    "truceline.verification.pages",
    "truceline.warning.pages",
    "truceline.audit.pages",
    "truceline.designations.api",
    "truceline.agreements.api",
    "truceline.geo.api",
    "truceline.accounts.api",
    "truceline.accounts.pages",
    "truceline.verification.api",
    "truceline.verification.evidence_api",
    "truceline.verification.publication_api",
    "truceline.community.api",
    "truceline.community.pages",
    "truceline.action_requests.api",
    "truceline.action_requests.pages",
    "truceline.audit.api",
    "truceline.intake.api",
    "truceline.incidents.api",
    "truceline.warning.api",
    "truceline.warning.risk_api",
    "truceline.reports.api",
]


def build_registry() -> AppRegistry:
    """Every listed module's routers, navigation items and templates."""
    registry = AppRegistry()
    for name in ROUTER_MODULES:
        module = importlib.import_module(name)
        register = getattr(module, "register_http", None)
        if register is not None:
            register(registry)
        else:
            registry.add_router(module.router)
    registry.add_nav(NavItem("/docs", N_("API"), order=130))
    return registry


def create_app(lifespan: Any = None) -> FastAPI:
    """The application: the HTTP layer with every context's routes and pages.

    The contexts are connected first (``startup.wire``: event subscriptions, the
    audit capture), as the command line and the tests do.
    """
    wire()
    return build_app(build_registry(), install_access_guards, lifespan=lifespan)


@asynccontextmanager
async def _background_jobs(app: FastAPI) -> AsyncIterator[None]:
    """Load the shared models and prepare the worker, then start its job runner (only the
    leader runs jobs)."""
    from starlette.concurrency import run_in_threadpool

    from truceline.db.engine import default_engine
    from truceline.jobs import JobRunner, default_jobs
    from truceline.warmup import prepare_worker, warm_up

    await run_in_threadpool(warm_up)
    settings = get_settings()
    await run_in_threadpool(prepare_worker, app, default_engine(), settings.db_pool_size)
    runner = JobRunner(default_engine(), default_jobs(settings))
    runner.start()
    try:
        yield
    finally:
        runner.stop()


def create_served_app() -> FastAPI:
    """The app as ``truceline serve`` runs it (in each worker): with the background jobs."""
    return create_app(lifespan=_background_jobs)
