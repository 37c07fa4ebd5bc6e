"""``resolve_group(name, session=...)``: any alias or spelling of a group to the group.

The registry's aliases are read in the caller's session (the service never
opens a database of its own: intake, the API and the CLI pass theirs). Code
that has no database (extraction, tests of the grammar) uses
``builtin_alias_index()``, the aliases shipped with the built-in profile. The
alias index is cached per alias set, so resolving many names costs one query
each.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from truceline.designations.domain.aliases import AliasEntry, AliasIndex, Resolution
from truceline.designations.models import ArmedGroup, GroupAlias
from truceline.designations.profile import profile_data

__all__ = ["Resolution", "alias_index", "builtin_alias_index", "resolve_group"]


def resolve_group(name: str, *, session: Session) -> Resolution | None:
    """The group ``name`` refers to (exact, spacing-insensitive or fuzzy), or None."""
    return alias_index(session).resolve(name)


def alias_index(session: Session) -> AliasIndex:
    """The index over the registry's aliases and group names, rebuilt when they change."""
    count, last = session.execute(select(func.count(GroupAlias.id), func.max(GroupAlias.id))).one()
    groups = session.execute(select(func.count(ArmedGroup.id))).scalar_one()
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    key = (url, int(count), int(last or 0), int(groups))
    index = _INDEXES.get(key)
    if index is None:
        _INDEXES.clear()  # one registry at a time is enough; keeps memory bounded
        index = _INDEXES[key] = AliasIndex.build(_load_entries(session))
    return index


def _load_entries(session: Session) -> list[AliasEntry]:
    aliases = select(GroupAlias.group_id, GroupAlias.alias, GroupAlias.origin, GroupAlias.kind)
    entries = [AliasEntry(g, a, o, k) for g, a, o, k in session.execute(aliases)]
    for group_id, name in session.execute(select(ArmedGroup.id, ArmedGroup.name)):
        entries.append(AliasEntry(group_id, name, "registry name"))
        entries.append(AliasEntry(group_id, group_id, "registry id", "id"))
    return entries


_INDEXES: dict[tuple[str, int, int, int], AliasIndex] = {}


@lru_cache(maxsize=1)
def builtin_alias_index() -> AliasIndex:
    """The index over the aliases shipped with the built-in profile (no database needed)."""
    return _profile_index()


def _profile_index() -> AliasIndex:
    entries = [
        AliasEntry(group["id"], str(alias["alias"]), alias["origin"], alias["kind"])
        for group in profile_data()["groups"]
        for alias in group.get("aliases", [])
    ]
    for group in profile_data()["groups"]:
        entries.append(AliasEntry(group["id"], group["name"], "registry name"))
        entries.append(AliasEntry(group["id"], group["id"], "registry id", "id"))
    return AliasIndex.build(entries)
