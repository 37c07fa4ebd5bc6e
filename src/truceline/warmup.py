"""Loading the process-wide models before a ``serve`` worker takes requests.

The language model, the boundary, the gazetteer and the agreements are loaded
once per process on first use. On a cold worker under load, the first requests
would all pay for that at once while holding database transactions open, so
each worker loads them at start-up instead.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger("truceline.warmup")


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
