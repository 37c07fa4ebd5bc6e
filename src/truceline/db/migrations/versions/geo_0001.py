"""geo: spatial index over incidents.lat/lon (SQLite R*Tree, PostGIS geography + GiST)

Revision ID: geo_0001
Revises:
Depends on: core_0001

On SQLite, ``incidents_rtree`` is an R*Tree virtual table of (id, lat, lon) kept
in step with ``incidents`` by triggers. On PostgreSQL, ``incidents.geog`` is a
generated ``geography(Point, 4326)`` column with a GiST index. Neither is mapped
by the ORM: ``truceline.geo.spatial`` is the only code that reads them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "geo_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("geo",)
depends_on: str | Sequence[str] | None = "core_0001"

SQLITE_UPGRADE = (
    "CREATE VIRTUAL TABLE incidents_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)",
    """CREATE TRIGGER incidents_rtree_insert AFTER INSERT ON incidents
       WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL
       BEGIN
         INSERT INTO incidents_rtree VALUES (new.id, new.lat, new.lat, new.lon, new.lon);
       END""",
    """CREATE TRIGGER incidents_rtree_update AFTER UPDATE OF lat, lon, id ON incidents
       BEGIN
         DELETE FROM incidents_rtree WHERE id = old.id;
         INSERT INTO incidents_rtree
           SELECT new.id, new.lat, new.lat, new.lon, new.lon
           WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;
       END""",
    """CREATE TRIGGER incidents_rtree_delete AFTER DELETE ON incidents
       BEGIN
         DELETE FROM incidents_rtree WHERE id = old.id;
       END""",
    """INSERT INTO incidents_rtree
       SELECT id, lat, lat, lon, lon FROM incidents WHERE lat IS NOT NULL AND lon IS NOT NULL""",
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS incidents_rtree_insert",
    "DROP TRIGGER IF EXISTS incidents_rtree_update",
    "DROP TRIGGER IF EXISTS incidents_rtree_delete",
    "DROP TABLE IF EXISTS incidents_rtree",
)
POSTGRES_UPGRADE = (
    "CREATE EXTENSION IF NOT EXISTS postgis",
    """ALTER TABLE incidents ADD COLUMN geog geography(Point, 4326)
       GENERATED ALWAYS AS (
         CASE WHEN lat IS NULL OR lon IS NULL THEN NULL
              ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END
       ) STORED""",
    "CREATE INDEX ix_incidents_geog ON incidents USING gist (geog)",
)
POSTGRES_DOWNGRADE = (
    "DROP INDEX IF EXISTS ix_incidents_geog",
    "ALTER TABLE incidents DROP COLUMN IF EXISTS geog",
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UPGRADE if sqlite else POSTGRES_UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWNGRADE if sqlite else POSTGRES_DOWNGRADE:
        op.execute(statement)
