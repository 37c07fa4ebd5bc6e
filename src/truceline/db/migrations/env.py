"""Alembic environment: runs against the engine handed over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from truceline.db.autogenerate import include_object
from truceline.db.base import Base
from truceline.db.engine import default_engine
from truceline.db.models_registry import import_all_models

import_all_models()
engine = context.config.attributes.get("engine") or default_engine()

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
