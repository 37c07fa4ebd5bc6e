"""The models and the migrations agree: autogenerate finds nothing to change."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from truceline.db.autogenerate import include_object
from truceline.db.base import Base
from truceline.db.models_registry import import_all_models


def _differences(engine: Engine, **options: object) -> list[object]:
    import_all_models()
    with engine.connect() as connection, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy does not know PostGIS's geography type
        context = MigrationContext.configure(connection, opts={"compare_type": True, **options})
        return list(compare_metadata(context, Base.metadata))


def test_a_migrated_database_matches_the_models_on_both_back_ends(engine: Engine) -> None:
    assert _differences(engine, include_object=include_object) == []


def test_without_the_filter_autogenerate_would_drop_the_spatial_index(engine: Engine) -> None:
    removals = [
        d for d in _differences(engine) if isinstance(d, tuple) and d[0].startswith("remove")
    ]
    assert removals, "the raw-SQL spatial objects should be visible to an unfiltered compare"
