"""geo: gazetteer places; spatial index over incidents.lat/lon (SQLite R*Tree, PostGIS geography)

Revision ID: geo_0001
Revises:
Depends on: core_0001

``geo_places`` holds the gazetteer (built-in and local places).
On SQLite, ``incidents_rtree`` is an R*Tree virtual table of (id, lat, lon) kept
in step with ``incidents`` by triggers. On PostgreSQL, ``incidents.geog`` is a
generated ``geography(Point, 4326)`` column with a GiST index. Neither is mapped
by the ORM: ``truceline.geo.spatial`` is the only code that reads them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

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
    _create_places()
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UPGRADE if sqlite else POSTGRES_UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWNGRADE if sqlite else POSTGRES_DOWNGRADE:
        op.execute(statement)
    with op.batch_alter_table("geo_places", schema=None) as batch_op:
        batch_op.drop_index("ix_geo_places_origin")
    op.drop_table("geo_places")


def _create_places() -> None:
    op.create_table(
        "geo_places",
        sa.Column("id", sa.String(length=160), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("admin1", sa.String(length=120), nullable=True),
        sa.Column("admin2", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_geo_places")),
    )
    with op.batch_alter_table("geo_places", schema=None) as batch_op:
        batch_op.create_index("ix_geo_places_origin", ["origin"], unique=False)
