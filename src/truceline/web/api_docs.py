"""ReDoc at ``/redoc``, served so that it makes no request beyond this server.

``fastapi-offline`` serves the ReDoc bundle locally, but the bundle itself
loads a small logo from Redocly's CDN. This module serves the same bundle with
that one address pointing at an icon shipped in ``web/static/img``; the
browser test checks that ``/redoc`` makes no outside request. Swagger UI at
``/docs`` needs no such change.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Response
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse

REDOC_BUNDLE = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
LOCAL_LOGO = "/static/app/img/api-mark.svg"
BUNDLE_PATH = "/static/api-docs/redoc.standalone.js"


@lru_cache(maxsize=1)
def offline_redoc_bundle() -> bytes:
    """The ReDoc bundle with its one outside address replaced by a local icon."""
    return REDOC_BUNDLE.read_text(encoding="utf-8").replace(CDN_LOGO, LOCAL_LOGO).encode()


def install_redoc(app: FastAPI, *, path: str = "/redoc") -> None:
    """Add the ReDoc page and its patched bundle to ``app`` (created with ``redoc_url=None``)."""

    @app.get(path, include_in_schema=False)
    def redoc_page() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - ReDoc",
            redoc_js_url=BUNDLE_PATH,
            redoc_favicon_url=LOCAL_LOGO,
            with_google_fonts=False,
        )

    @app.get(BUNDLE_PATH, include_in_schema=False)
    def redoc_bundle() -> Response:
        return Response(
            offline_redoc_bundle(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )
