"""The audit log page.

``register_http`` hands the routers (in the order they are matched), the
navigation links and this folder's ``templates`` to the HTTP layer; the
composition root (``truceline.app``) calls it.
"""

from __future__ import annotations

from pathlib import Path

from truceline.audit.pages import log
from truceline.http.registry import AppRegistry

TEMPLATES_DIR = Path(__file__).parent / "templates"


def register_http(registry: AppRegistry) -> None:
    """This context's pages for the app."""
    registry.add_templates(TEMPLATES_DIR)
    log.register_http(registry)
