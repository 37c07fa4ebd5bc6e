"""ReDoc at ``/redoc``, served so that it makes no request beyond this server.

``fastapi-offline`` serves the ReDoc bundle locally, but the bundle itself
loads a small logo from Redocly's CDN. This module serves the same bundle with
that one address pointing at an icon shipped in ``http/static/img``; the
browser test checks that ``/redoc`` makes no outside request.

Swagger UI at ``/docs`` is the bundle ``fastapi-offline`` serves, started by
``http/static/js/swagger-init.js`` rather than the usual inline script, so that
the page works under the Content Security Policy (no inline script).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Response
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse
from markupsafe import escape

from truceline.http.deps import Public

REDOC_BUNDLE = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
LOCAL_LOGO = "/static/app/img/api-mark.svg"
BUNDLE_PATH = "/static/api-docs/redoc.standalone.js"
SWAGGER_STATIC = "/static-offline-docs"
SWAGGER_INIT = "/static/app/js/swagger-init.js"


@lru_cache(maxsize=1)
def offline_redoc_bundle() -> bytes:
    """The ReDoc bundle with its one outside address replaced by a local icon."""
    return REDOC_BUNDLE.read_text(encoding="utf-8").replace(CDN_LOGO, LOCAL_LOGO).encode()


def install_redoc(app: FastAPI, *, path: str = "/redoc") -> None:
    """Add the ReDoc page and its patched bundle to ``app`` (created with ``redoc_url=None``)."""

    @app.get(path, include_in_schema=False)
    def redoc_page(_: Public) -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - ReDoc",
            redoc_js_url=BUNDLE_PATH,
            redoc_favicon_url=LOCAL_LOGO,
            with_google_fonts=False,
        )

    @app.get(BUNDLE_PATH, include_in_schema=False)
    def redoc_bundle(_: Public) -> Response:
        return Response(
            offline_redoc_bundle(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )


def install_swagger(app: FastAPI, *, path: str = "/docs") -> None:
    """Add Swagger UI to ``app`` (created with ``docs_url=None``), started from a script file."""

    @app.get(path, include_in_schema=False)
    def swagger_page(_: Public) -> HTMLResponse:
        return HTMLResponse(swagger_html(app.openapi_url or "/openapi.json", app.title))


def swagger_html(openapi_url: str, title: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="{SWAGGER_STATIC}/swagger-ui.css">
<link rel="icon" href="{LOCAL_LOGO}">
<title>{escape(title)} - Swagger UI</title>
</head>
<body>
<div id="swagger-ui" data-openapi-url="{escape(openapi_url)}"></div>
<script src="{SWAGGER_STATIC}/swagger-ui-bundle.js"></script>
<script src="{SWAGGER_INIT}"></script>
</body>
</html>
"""
