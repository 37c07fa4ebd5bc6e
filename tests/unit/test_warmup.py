"""A served worker is prepared before it takes requests: routes resolved, connections open."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from truceline.app import create_app
from truceline.db.engine import make_engine
from truceline.warmup import prepare_worker


def test_a_prepared_worker_has_its_connections_open_and_every_route_resolvable(
    database_url: str, engine: Engine
) -> None:
    app: Any = create_app()
    own = make_engine(database_url)
    try:
        prepare_worker(app, own, connections=3)
        assert own.pool.checkedin() == 3  # open, idle, ready for the first requests
        assert own.pool.checkedout() == 0
    finally:
        own.dispose()
    # Preparing matched a path no route has: nothing was answered or changed by it.
    paths = {getattr(route, "path", None) for route in app.routes}
    assert "/.warm-up/no-such-path" not in paths
