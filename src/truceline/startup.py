"""Connecting the contexts at start-up: the one place that knows who listens to whom.

The app factory, the command line and the test suite call ``wire()`` before
doing any work. It subscribes each context to the domain events it handles
(``truceline.db.domain_events``), makes every session record the state digests
of the audited rows it writes (``audit.capture``), and adds the agreements'
provenance to the audit export (``audit.export.add_section``), and connects the
agreements' registry port to the designations registry
(``agreements.registry_port.connect``), and gives the risk model the border
districts of the community registry (``warning.risk_service.connect_border_districts``).
All idempotent.
"""

from __future__ import annotations

from truceline.agreements import registry_port
from truceline.agreements.provenance import provenance_records
from truceline.audit import capture
from truceline.audit.export import add_section
from truceline.community.registry import border_districts_for_risk
from truceline.designations import definitions
from truceline.warning import risk_service
from truceline.warning import subscriptions as warning_subscriptions


def wire() -> None:
    """Register the audit capture and every context's event subscriptions (idempotent)."""
    capture.register()
    add_section(provenance_records)
    registry_port.connect(definitions)
    warning_subscriptions.subscribe()
    risk_service.connect_border_districts(border_districts_for_risk)
