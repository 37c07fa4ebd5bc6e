"""The Jinja2 environment shared by every context's pages.

Templates live in ``web/templates`` and in each context's ``templates`` folder
(listed in ``TEMPLATE_DIRS``); pages extend ``base.html``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from truceline.web.explanation_view import bdi

WEB_DIR = Path(__file__).parent
TEMPLATE_DIRS = [WEB_DIR / "templates"]

templates = Jinja2Templates(directory=[str(d) for d in TEMPLATE_DIRS])
#: ``{{ value|bdi }}``: a number, code, Latin name or date isolated from the text's direction.
templates.env.filters["bdi"] = bdi
