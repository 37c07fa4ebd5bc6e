"""The Jinja2 environment shared by every page.

The HTTP layer's own templates (``base.html``, ``error.html``) live in
``http/templates``; each context's pages keep theirs in the context's
``templates`` folder (in a subfolder named after the context), handed to the
layer through ``AppRegistry.add_templates`` and added here when the app is built.
Pages extend ``base.html``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import FileSystemLoader
from markupsafe import Markup

from truceline.accounts.csrf import csrf_input

HTTP_DIR = Path(__file__).parent
TEMPLATE_DIRS = [HTTP_DIR / "templates"]

templates = Jinja2Templates(directory=[str(d) for d in TEMPLATE_DIRS])
templates.env.globals["csrf_input"] = csrf_input


def bdi(value: Any) -> Markup:
    """A value isolated from the surrounding text's direction (the ``|bdi`` filter).

    Numbers, codes, Latin names and dates keep their own order inside Pashto, Dari
    or Urdu text instead of being reordered by the bidirectional algorithm.
    """
    return Markup("<bdi>{}</bdi>").format(value)


#: ``{{ value|bdi }}``: a number, code, Latin name or date isolated from the text's direction.
templates.env.filters["bdi"] = bdi
# Views hand instants and days to templates as ISO strings (JSON-safe); these read them back.
templates.env.filters["fromiso"] = datetime.fromisoformat
templates.env.filters["fromisodate"] = date.fromisoformat


def add_template_dirs(directories: Iterable[Path]) -> None:
    """Let pages find the templates of these folders (called when an app is built)."""
    loader = templates.env.loader
    assert isinstance(loader, FileSystemLoader)
    for directory in directories:
        if str(directory) not in loader.searchpath:
            loader.searchpath.append(str(directory))
