"""What each finding in force was computed from, for the audit export.

``truceline audit export`` appends these records to the export so that either
party can re-adjudicate every finding offline (``audit reproduce``):

- ``{"type": "agreement", "id", "version", "current", "document"}``: every
  stored version of every agreement, in full. Its hash (``content_hash`` of the
  document) is the ``after_hash`` of the log's ``agreement.created`` or
  ``agreement.amended`` entry for ``id@version``, so the document is the
  logged one.
- ``{"type": "findings", "incident", "incident_id", "facts", "definition",
  "known_group", "findings"}``: one incident's findings in force, with the
  facts they were judged on (the form of docs/cli.md), the threat definition as it
  applied to that incident (its name and whether it covered the perpetrator at
  the time), and the findings as logged (``to_json``; their list hashes to the
  ``after_hash`` of the log's ``findings.recomputed`` entry for the incident).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.agreements.facts import FactsInvalid, facts_to_json
from truceline.agreements.models import Agreement, AgreementVersion, StoredFinding
from truceline.agreements.registry_port import definition_for, known_group_ids
from truceline.agreements.services import facts_from_incident
from truceline.incidents.models import Incident


def provenance_records(session: Session) -> Iterator[dict[str, Any]]:
    """The agreement records, then one findings record per incident with findings in force."""
    current = {
        agreement_id: number
        for agreement_id, number in session.execute(select(Agreement.id, Agreement.current_version))
    }
    versions = session.scalars(
        select(AgreementVersion).order_by(AgreementVersion.agreement_id, AgreementVersion.version)
    )
    for version in versions:
        yield {
            "type": "agreement",
            "id": version.agreement_id,
            "version": version.version,
            "current": current.get(version.agreement_id) == version.version,
            "document": version.document,
        }
    yield from _findings_records(session)


def _findings_records(session: Session) -> Iterator[dict[str, Any]]:
    known = known_group_ids(session)
    definition = definition_for(session)
    rows = session.scalars(
        select(StoredFinding)
        .where(StoredFinding.superseded_at.is_(None))
        .order_by(StoredFinding.incident_id, StoredFinding.id)
        .execution_options(yield_per=1000)
    )
    for incident_id, group in groupby(rows, key=lambda row: row.incident_id):
        findings = list(group)
        incident = session.get(Incident, incident_id)
        if incident is None:
            continue
        try:
            facts = facts_from_incident(incident, known_groups=known)
        except FactsInvalid:
            facts = None
        record: dict[str, Any] = {
            "type": "findings",
            "incident": incident.code,
            "incident_id": incident_id,
            "facts": None if facts is None else facts_to_json(facts),
            "known_group": facts is not None and facts.perpetrator in known,
            "definition": {"name": findings[0].definition, "covers_perpetrator": None},
            "findings": [finding.to_json() for finding in findings],
        }
        if facts is not None and record["known_group"]:
            covered = definition.covers(facts.perpetrator, at=facts.occurred_at)
            record["definition"]["covers_perpetrator"] = covered
        yield record
