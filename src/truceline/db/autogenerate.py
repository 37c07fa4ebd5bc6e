"""What Alembic's autogenerate must not touch: the spatial objects made by raw SQL.

The geo migrations create the SQLite R*Trees (``incidents_rtree``,
``incidents_link_rtree`` and the shadow tables SQLite keeps for them) and, on PostgreSQL, the generated ``incidents.geog``
column with its GiST index and the GiST index of linking boxes; PostGIS adds ``spatial_ref_sys``. None of them is
mapped by a model, so without this filter ``alembic revision --autogenerate``
would propose dropping them. ``include_object`` is passed to
``context.configure`` in ``migrations/env.py``.
"""

from __future__ import annotations

from typing import Any

#: Tables created outside the ORM (by the geo migration or by PostGIS itself).
UNMAPPED_TABLES = frozenset(
    {
        "incidents_rtree",
        "incidents_rtree_node",
        "incidents_rtree_parent",
        "incidents_rtree_rowid",
        "incidents_link_rtree",
        "incidents_link_rtree_node",
        "incidents_link_rtree_parent",
        "incidents_link_rtree_rowid",
        "spatial_ref_sys",
    }
)
#: (table, column) pairs and indexes created by raw SQL on mapped tables.
UNMAPPED_COLUMNS = frozenset({("incidents", "geog")})
UNMAPPED_INDEXES = frozenset({"ix_incidents_geog", "ix_incidents_link_box"})


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """False for a database object that only exists because raw SQL made it."""
    if not reflected or compare_to is not None:
        return True
    if type_ == "table":
        return name not in UNMAPPED_TABLES
    if type_ == "column":
        return (obj.table.name, name) not in UNMAPPED_COLUMNS
    if type_ == "index":
        return name not in UNMAPPED_INDEXES
    return True
