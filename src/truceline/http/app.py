"""The application factory of the HTTP layer: middleware, docs, error pages, static
assets, and the routers, navigation and templates the contexts registered.

It knows no context: the composition root (``truceline.app``) fills an
``AppRegistry`` from the contexts' web modules and passes it here, with the
access guards to install.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine
from starlette.middleware.gzip import GZipMiddleware

from truceline import __version__
from truceline.config import get_settings
from truceline.db.engine import default_engine
from truceline.http.api_docs import install_redoc, install_swagger
from truceline.http.deps import Public
from truceline.http.errors import install_error_pages
from truceline.http.openapi_doc import install_openapi_errors
from truceline.http.registry import AppRegistry
from truceline.http.retry import RetryOnConflictMiddleware
from truceline.http.security import SecurityHeadersMiddleware, TrustedProxyMiddleware
from truceline.http.static_assets import mount_static_assets
from truceline.http.templating import add_template_dirs


def build_app(
    registry: AppRegistry,
    install_access_guards: Callable[[FastAPI], None],
    lifespan: Any = None,
    engine: Callable[[], Engine] = default_engine,
) -> FastAPI:
    """Build the app with self-hosted API docs at /docs and /redoc.

    Middleware, outermost first: trusted-proxy resolution of the client address,
    security headers, the access guards (body size, authentication, rate limits),
    compression, and the retry of write requests that lost a race for the database.
    ``engine`` gives the app's database engine (``app.state.engine``: request sessions,
    the access guards and the navigation badges); it is asked each time, so a change of
    the configured database (as the tests make) is followed.
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
    app.state.registry = registry
    app.state.engine = engine
    add_template_dirs(registry.template_dirs)
    install_swagger(app)
    install_redoc(app)
    install_error_pages(app)
    app.add_middleware(RetryOnConflictMiddleware)
    # Pages, GeoJSON and scripts shrink 3-5x compressed: this matters on a poor connection.
    app.add_middleware(GZipMiddleware, minimum_size=500)
    mount_static_assets(app)

    @app.get("/health", tags=["meta"])
    def health(_: Public) -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    install_access_guards(app)
    app.add_middleware(SecurityHeadersMiddleware, secure_cookies=settings.session_cookie_secure)
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxies)
    for router in registry.routers:
        app.include_router(router)
    install_openapi_errors(app)
    return app
