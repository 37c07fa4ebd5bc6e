"""Names, not codes, wherever a person reads: parties, armed groups, task descriptions.

Pages receive actor ids (``AF``, ``PK``, ``TTP``, ``BLA_MB``, ``unknown``) and show
the party's name in the reader's language, or the group's name (its name in the
reader's language from the registry's aliases when there is one) followed by
its id, isolated with ``<bdi>`` so that a Latin id keeps its order in
right-to-left text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from sqlalchemy import select

from truceline.db.engine import default_engine, session_factory
from truceline.designations.models import ArmedGroup, GroupAlias
from truceline.designations.translations import translate
from truceline.http.i18n import N_, UIContext
from truceline.http.labels import PARTY_NAMES

#: The registry's alias languages for each interface language (Dari aliases are ``prs``).
ALIAS_LANGUAGES = {"ps": ("ps",), "fa-AF": ("prs", "fa"), "ur": ("ur",)}
REPLY_OF = N_("reply of %(party)s")


def load_group_names() -> dict[str, tuple[str, dict[str, str]]]:
    """Each armed group's English name and its names by alias language (kind ``name``).

    Opens a short session of its own (as the navigation badge does), only when a page
    shows an actor.
    """
    with session_factory(default_engine())() as session:
        groups: dict[str, tuple[str, dict[str, str]]] = {
            g.id: (g.name, {}) for g in session.scalars(select(ArmedGroup))
        }
        aliases = session.execute(
            select(GroupAlias.group_id, GroupAlias.language, GroupAlias.alias)
            .where(GroupAlias.kind == "name")
            .order_by(GroupAlias.id)
        )
        for group_id, language, alias in aliases:
            if group_id in groups:
                groups[group_id][1].setdefault(language, alias)
    return groups


def actor_namer(
    ui: UIContext, loader: Callable[[], dict[str, tuple[str, dict[str, str]]]] = load_group_names
) -> Callable[[str | None], Markup]:
    """``actor_name(code)`` for one page: the registry is read on first use only."""
    cache: dict[str, dict[str, tuple[str, dict[str, str]]]] = {}

    def actor_name(code: str | None) -> Markup:
        if not code:
            return Markup("—")
        if code in PARTY_NAMES:
            return Markup("{}").format(ui.gettext(PARTY_NAMES[code]))
        if code == "unknown":
            return Markup("{}").format(ui.gettext("Unknown"))
        if "groups" not in cache:
            cache["groups"] = loader()
        found = cache["groups"].get(code)
        if found is None:
            return Markup("<bdi>{}</bdi>").format(code)
        english, local = found
        name = next(
            (local[lang] for lang in ALIAS_LANGUAGES.get(ui.code, ()) if lang in local), None
        )
        shown = name or english
        if shown == code:
            return Markup("<bdi>{}</bdi>").format(code)
        return Markup('<span dir="auto">{}</span> (<bdi>{}</bdi>)').format(shown, code)

    return actor_name


def task_description(task: Any, ui: UIContext) -> str:
    """A task's description; the one the system writes for a right of reply, translated."""
    party = getattr(task, "requested_from", None)
    if party and task.description == f"reply of {party}":
        return ui.gettext(REPLY_OF) % {"party": ui.gettext(PARTY_NAMES.get(party, party))}
    return str(task.description or "")


SOURCE_LABELS = {
    "official text": N_("official text"),
    "working translation": N_("working translation"),
}


def data_text(english: str, ui: UIContext) -> Markup:
    """A text of the designation profile in the reader's language, marked with its source
    ("working translation" or "official text"); the English original when not translated."""
    found = translate(ui.code, english) if ui.code != "en" else None
    if found is None:
        if ui.code == "en":
            return Markup("{}").format(english)
        return Markup('<span lang="en" dir="ltr">{}</span>').format(english)
    label = ui.gettext(SOURCE_LABELS.get(found.source, found.source))
    return Markup(
        '<span dir="auto" title="{}">{}</span> <span class="text-source" data-text-source="{}">({})</span>'
    ).format(english, found.text, found.source, label)
