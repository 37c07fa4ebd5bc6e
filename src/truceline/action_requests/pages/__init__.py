"""The requests pages: boxes and screening queue (``views``) and their forms (``forms``).

Templates live in this package's ``templates`` folder, added to the shared
Jinja environment here; every route states its access in its signature with
``PageAccess`` (the one policy), which sends visitors who have not signed in to
the sign-in page instead of answering 401.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from jinja2 import FileSystemLoader

from truceline.web.templating import templates

TEMPLATES_DIR = Path(__file__).parent / "templates"


def register_templates() -> None:
    loader = templates.env.loader
    if isinstance(loader, FileSystemLoader) and str(TEMPLATES_DIR) not in loader.searchpath:
        loader.searchpath.append(str(TEMPLATES_DIR))


register_templates()

from truceline.action_requests.pages import forms, views  # noqa: E402 (templates first)

router = APIRouter(include_in_schema=False)
router.include_router(views.router)
router.include_router(forms.router)
