"""Storage: one portable schema on SQLite (default) and PostgreSQL/PostGIS.

``base`` holds the declarative base every context's models inherit from,
``engine`` opens connections, ``migrate`` applies the Alembic migrations.
Each bounded context owns an Alembic branch (see ``migrations/versions``).
"""
