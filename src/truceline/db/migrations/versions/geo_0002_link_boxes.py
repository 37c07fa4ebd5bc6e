"""geo: an index of each incident's linking box (time and place, widened by its own tolerance)

Revision ID: geo_0002_link_boxes
Revises: geo_0001

Linking looks for incidents that may describe a new report: within the larger
of the two records' space tolerances and the larger of their time tolerances
(``truceline.incidents.matching``). Each incident is indexed as a box around
its place and time, widened by its *own* tolerances (its precision); a report
queries with a box around itself widened by *its* tolerances. Two boxes
overlap whenever the pair is within tolerance, so one index look-up finds every
candidate, precise incidents by a small box and coarse ones by their large box,
without searching the widest window for every report.

On SQLite, ``incidents_link_rtree`` is a 3-D R*Tree (hours since the epoch,
latitude, longitude) kept in step with ``incidents`` by triggers. On
PostgreSQL, ``ix_incidents_link_box`` is an n-D GiST index over
``truceline_link_box(...)``, an immutable function giving the same box as a
PostGIS line from corner to corner (its n-D bounding box). Incidents without
coordinates get an unbounded place. The tolerances below are those of
``incidents.matching`` when this revision was written; a test checks they still
agree. A change of tolerances needs a new revision that rebuilds the index.
Neither object is mapped by the ORM: ``incidents.linking_search`` reads them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "geo_0002_link_boxes"
down_revision: str | Sequence[str] | None = "geo_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Hours, by time precision (``matching.TIME_TOLERANCE_H``; anything else: 48,000).
TIME_TOLERANCE_H = {0: 12.0, 1: 36.0, 2: 168.0, 3: 1080.0, 4: 9600.0, 5: 48000.0}
#: Kilometres, by place precision (``matching.SPACE_TOLERANCE_KM``; anything else: 900).
SPACE_TOLERANCE_KM = {1: 12.0, 2: 35.0, 3: 60.0, 4: 200.0, 5: 150.0, 6: 900.0, 7: 300.0}
#: Kilometres per degree of latitude, rounded down (so boxes err on the wide side).
KM_PER_DEGREE = 110.5
#: An unknown place spans every latitude and longitude.
UNBOUNDED = 1000.0


def _case(column: str, table: dict[int, float], default: float) -> str:
    whens = " ".join(f"WHEN {key} THEN {value}" for key, value in table.items())
    return f"(CASE {column} {whens} ELSE {default} END)"


def _lon_factor(lat: str) -> str:
    # Degrees of longitude per degree of latitude for the same distance, rounded up by band.
    return (
        f"(CASE WHEN abs({lat}) < 48 THEN 1.5 WHEN abs({lat}) < 70 THEN 3.0 ELSE {UNBOUNDED} END)"
    )


def _box_terms(lat: str, lon: str, hours: str, tp: str, gp: str) -> dict[str, str]:
    dt = _case(tp, TIME_TOLERANCE_H, 48000.0)
    dlat = f"({_case(gp, SPACE_TOLERANCE_KM, 900.0)} / {KM_PER_DEGREE})"
    dlon = f"({dlat} * {_lon_factor(lat)})"
    unknown = f"{lat} IS NULL OR {lon} IS NULL"
    return {
        "min_h": f"{hours} - {dt}",
        "max_h": f"{hours} + {dt}",
        "min_lat": f"CASE WHEN {unknown} THEN -{UNBOUNDED} ELSE {lat} - {dlat} END",
        "max_lat": f"CASE WHEN {unknown} THEN {UNBOUNDED} ELSE {lat} + {dlat} END",
        "min_lon": f"CASE WHEN {unknown} THEN -{UNBOUNDED} ELSE {lon} - {dlon} END",
        "max_lon": f"CASE WHEN {unknown} THEN {UNBOUNDED} ELSE {lon} + {dlon} END",
    }


def _sqlite_row(prefix: str) -> str:
    hours = f"((julianday({prefix}occurred_at) - 2440587.5) * 24.0)"
    terms = _box_terms(f"{prefix}lat", f"{prefix}lon", hours,
                       f"{prefix}time_precision", f"{prefix}geo_precision")  # fmt: skip
    return f"{prefix}id, " + ", ".join(terms.values())


SQLITE_UPGRADE = (
    "CREATE VIRTUAL TABLE incidents_link_rtree USING rtree("
    "id, min_h, max_h, min_lat, max_lat, min_lon, max_lon)",
    f"""CREATE TRIGGER incidents_link_rtree_insert AFTER INSERT ON incidents
       BEGIN
         INSERT INTO incidents_link_rtree SELECT {_sqlite_row("new.")};
       END""",
    f"""CREATE TRIGGER incidents_link_rtree_update
       AFTER UPDATE OF id, occurred_at, time_precision, lat, lon, geo_precision ON incidents
       BEGIN
         DELETE FROM incidents_link_rtree WHERE id = old.id;
         INSERT INTO incidents_link_rtree SELECT {_sqlite_row("new.")};
       END""",  # noqa: S608 (built from the constants above, no input)
    """CREATE TRIGGER incidents_link_rtree_delete AFTER DELETE ON incidents
       BEGIN
         DELETE FROM incidents_link_rtree WHERE id = old.id;
       END""",
    f"INSERT INTO incidents_link_rtree SELECT {_sqlite_row('')} FROM incidents",  # noqa: S608
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS incidents_link_rtree_insert",
    "DROP TRIGGER IF EXISTS incidents_link_rtree_update",
    "DROP TRIGGER IF EXISTS incidents_link_rtree_delete",
    "DROP TABLE IF EXISTS incidents_link_rtree",
)


def _postgres_function() -> str:
    hours = "(extract(epoch FROM (occurred_at - timestamptz '1970-01-01 00:00:00+00')) / 3600.0)::float8"
    t = _box_terms("lat", "lon", hours, "time_precision", "geo_precision")
    return f"""CREATE FUNCTION truceline_link_box(
         lat float8, lon float8, occurred_at timestamptz, time_precision int, geo_precision int)
       RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
         SELECT ST_MakeLine(ST_MakePoint({t["min_lon"]}, {t["min_lat"]}, {t["min_h"]}),
                            ST_MakePoint({t["max_lon"]}, {t["max_lat"]}, {t["max_h"]}))
       $$"""


POSTGRES_UPGRADE = (
    _postgres_function(),
    """CREATE INDEX ix_incidents_link_box ON incidents USING gist (
         truceline_link_box(lat, lon, occurred_at, time_precision, geo_precision)
         gist_geometry_ops_nd)""",
)
POSTGRES_DOWNGRADE = (
    "DROP INDEX IF EXISTS ix_incidents_link_box",
    "DROP FUNCTION IF EXISTS truceline_link_box(float8, float8, timestamptz, int, int)",
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UPGRADE if sqlite else POSTGRES_UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWNGRADE if sqlite else POSTGRES_DOWNGRADE:
        op.execute(statement)
