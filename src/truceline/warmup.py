"""Loading the process-wide models before a ``serve`` worker takes requests.

The language model, the boundary, the gazetteer and the agreements are loaded
once per process on first use. On a cold worker under load, the first requests
would all pay for that at once while holding database transactions open, so
each worker loads them at start-up instead. For the same reason a served worker
also resolves its routes once (the web framework prepares each router on its
first match) and opens its pool's database connections (``prepare_worker``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import Engine

log = logging.getLogger("truceline.warmup")

#: A path no route has: matching it visits, and so prepares, every route of the app.
_NO_SUCH_PATH = "/.warm-up/no-such-path"


def warm_up() -> float:
    """Load the shared models now; returns the seconds it took."""
    from truceline.agreements.documents import builtin_documents
    from truceline.geo.border import border_model
    from truceline.geo.geoparse import default_geoparser
    from truceline.intake.language import detect_language

    started = time.perf_counter()
    detect_language("Shelling was reported near the crossing point.")
    border_model()
    default_geoparser()
    builtin_documents()
    seconds = time.perf_counter() - started
    log.info("models loaded in %.1f s", seconds)
    return seconds


def prepare_worker(app: Any, engine: Engine, connections: int) -> None:
    """Prepare every route of ``app`` and open ``connections`` connections of ``engine``'s pool."""
    scope = {"type": "http", "method": "GET", "path": _NO_SUCH_PATH, "root_path": "",
             "headers": [], "query_string": b""}  # fmt: skip
    for route in app.router.routes:
        route.matches(dict(scope))
    opened = [engine.connect() for _ in range(connections)]
    for connection in opened:
        connection.close()  # back to the pool, still open
