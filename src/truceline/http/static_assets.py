"""Static files, all served by the app itself: nothing comes from a CDN.

- ``/static/leaflet`` and ``/static/markercluster``: the ``xstatic-leaflet`` and
  ``xstatic-leaflet-markercluster`` packages' files;
- ``/static/htmx``: htmx as shipped by the ``django-js-lib-htmx`` package (only
  its static files are used; it does not need Django);
- ``/static/app``: truceline's own CSS and JavaScript (``http/static``).

Swagger UI and ReDoc assets are served by ``fastapi-offline`` under its own path.
To add a library, depend on its PyPI package and mount its folder here.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_markercluster
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

APP_STATIC_DIR = Path(__file__).parent / "static"


def htmx_dir() -> Path:
    return Path(str(files("js_lib_htmx"))) / "static" / "htmx"


STATIC_MOUNTS: dict[str, Path] = {
    "/static/leaflet": Path(xs_leaflet.BASE_DIR),
    "/static/markercluster": Path(xs_markercluster.BASE_DIR),
    "/static/htmx": htmx_dir(),
    "/static/app": APP_STATIC_DIR,
}


def mount_static_assets(app: FastAPI) -> None:
    """Mount every static folder under ``/static/...``."""
    for prefix, directory in STATIC_MOUNTS.items():
        app.mount(
            prefix, StaticFiles(directory=directory), name=prefix.strip("/").replace("/", "-")
        )
