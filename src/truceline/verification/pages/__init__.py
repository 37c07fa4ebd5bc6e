"""The verification pages: the work queue, triage, the forms of a case (workflow,
evidence, parties' corrections, publication), the findings, and the sections the
incident page shows of a case.

``register_http`` hands the routers (in the order they are matched), the
navigation links and this folder's ``templates`` to the HTTP layer; the
composition root (``truceline.app``) calls it.
"""

from __future__ import annotations

from pathlib import Path

from truceline.http.registry import AppRegistry
from truceline.verification.pages import (
    evidence,
    findings,
    parties,
    publication,
    queue,
    triage,
    workflow,
)

TEMPLATES_DIR = Path(__file__).parent / "templates"


def register_http(registry: AppRegistry) -> None:
    """This context's pages for the app."""
    registry.add_templates(TEMPLATES_DIR)
    queue.register_http(registry)
    triage.register_http(registry)
    registry.add_router(workflow.router)
    registry.add_router(evidence.router)
    registry.add_router(publication.router)
    registry.add_router(parties.router)
    findings.register_http(registry)
