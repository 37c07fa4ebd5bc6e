"""``truceline audit reproduce FILE``: re-adjudicate every finding of an export, offline.

No database: the agreements (full documents), the facts, the threat
definition as it applied and the rules version all come from the export
(``provenance.py`` writes them). For each incident, the documents are first
tied to the signed log (each document's hash must be the ``after_hash`` of its
``agreement.created``/``agreement.amended`` entry) and the findings list to
its ``findings.recomputed`` entry; then the facts are judged again with this
program's rules and every field of every finding is compared. A finding
computed under other rules than this program's is reported, not guessed at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from truceline.agreements.adjudication import Adjudicator
from truceline.agreements.documents import AgreementInvalid, build_index, document_from_data
from truceline.agreements.domain import RULES_VERSION, AgreementCompileError, Finding
from truceline.agreements.facts import FactsInvalid, facts_hash, parse_one
from truceline.agreements.threat import StaticThreatDefinition
from truceline.audit.hashing import content_hash
from truceline.events.taxonomy import PARTY_CODES

#: The fields of a stored finding that re-adjudication must give again.
COMPARED = (
    "agreement_version",
    "finding",
    "violating_party",
    "clauses",
    "basis",
    "explanation",
    "missing_facts",
    "rules_version",
    "facts_hash",
    "definition",
)


@dataclass
class ReproduceReport:
    reproduced: int = 0
    differ: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"reproduced": self.reproduced, "differ": self.differ, "errors": self.errors}


@dataclass
class _Export:
    logged: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    agreements: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    current: dict[str, int] = field(default_factory=dict)
    incidents: list[dict[str, Any]] = field(default_factory=list)


def reproduce_export(path: Path) -> ReproduceReport:
    """Re-adjudicate every finding in ``path``; report those that differ, and why any cannot be."""
    report = ReproduceReport()
    export = _read(path, report)
    for record in export.incidents:
        _reproduce_incident(export, record, report)
    return report


def _records(path: Path, report: ReproduceReport) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                record = json.loads(line)
            except ValueError:
                report.errors.append(f"line {number}: not JSON (file damaged or truncated)")
                continue
            if isinstance(record, dict):
                yield number, record


def _read(path: Path, report: ReproduceReport) -> _Export:
    export = _Export()
    for _number, record in _records(path, report):
        kind = record.get("type")
        if kind == "entry":
            _note_entry(export, record)
        elif kind == "agreement":
            key = (str(record.get("id")), int(record.get("version") or 0))
            export.agreements[key] = record
            if record.get("current"):
                export.current[key[0]] = key[1]
        elif kind == "findings":
            export.incidents.append(record)
    if not export.incidents:
        report.errors.append(f"{path}: no findings to reproduce (an export made before findings?)")
    return export


def _note_entry(export: _Export, record: dict[str, Any]) -> None:
    try:
        body = json.loads(record["canonical"])
    except (KeyError, TypeError, ValueError):
        return  # `audit verify` names damaged entries
    if body.get("action") in ("agreement.created", "agreement.amended", "findings.recomputed"):
        key = (str(body["object_type"]), str(body["object_id"]), str(body["action"]).split(".")[0])
        export.logged.setdefault(key, set()).add(str(body.get("after_hash")))


def _reproduce_incident(export: _Export, record: dict[str, Any], report: ReproduceReport) -> None:
    code = str(record.get("incident"))
    stored: list[dict[str, Any]] = list(record.get("findings") or [])
    logged = export.logged.get(("incident", str(record.get("incident_id")), "findings"), set())
    if content_hash(stored) not in logged:
        report.errors.append(
            f"incident {code}: its findings are not those the log recorded (findings.recomputed)"
        )
    try:
        adjudicator = _adjudicator(export, record, stored)
        facts = parse_one(
            record.get("facts"),
            index=0,
            actors=adjudicator.known_groups | PARTY_CODES | {"unknown"},
        )
    except (FactsInvalid, AgreementInvalid, AgreementCompileError, ValueError) as exc:
        report.errors.append(f"incident {code}: cannot re-adjudicate: {exc}")
        return
    again = {finding.agreement: finding for finding in adjudicator.adjudicate(facts)}
    for finding in stored:
        _compare(code, finding, again.pop(finding.get("agreement"), None), report)
    for extra in again.values():
        report.differ.append(
            {"incident": code, "finding": None, "agreement": extra.agreement, "field": "finding",
             "stored": None, "reproduced": extra.finding.value}
        )  # fmt: skip
    if facts_hash(facts) not in {f.get("facts_hash") for f in stored}:
        report.errors.append(
            f"incident {code}: the facts carried do not hash to the findings' facts_hash"
        )


def _adjudicator(
    export: _Export, record: dict[str, Any], stored: list[dict[str, Any]]
) -> Adjudicator:
    """The agreements as they were (the versions the findings name), the definition as it applied."""
    wanted = dict(export.current)
    for finding in stored:
        if finding.get("agreement") and finding.get("agreement_version"):
            wanted[finding["agreement"]] = int(finding["agreement_version"])
        if finding.get("rules_version") != RULES_VERSION:
            raise ValueError(
                f"finding {finding.get('id')} was computed under {finding.get('rules_version')}; "
                f"this program applies {RULES_VERSION}"
            )
    documents = []
    for agreement_id, version in sorted(wanted.items()):
        carried = export.agreements.get((agreement_id, version))
        if carried is None:
            raise ValueError(f"agreement {agreement_id} version {version} is not in the export")
        logged = export.logged.get(("agreement", f"{agreement_id}@{version}", "agreement"), set())
        if content_hash(carried.get("document")) not in logged:
            raise ValueError(
                f"agreement {agreement_id}@{version}: the document is not the one the log recorded"
            )
        documents.append(
            document_from_data(carried.get("document"), source=f"{agreement_id}@{version}")
        )
    facts = record.get("facts") or {}
    perpetrator = str(facts.get("perpetrator"))
    covers = (record.get("definition") or {}).get("covers_perpetrator")
    definition = StaticThreatDefinition(
        name=str((record.get("definition") or {}).get("name")),
        group_ids=frozenset({perpetrator} if covers is True else ()),
        undecided=frozenset({perpetrator} if covers is None else ()),
    )
    known = {perpetrator} if record.get("known_group") else set()
    return Adjudicator(build_index(documents), definition=definition, known_groups=known)


def _compare(
    code: str, stored: dict[str, Any], again: Finding | None, report: ReproduceReport
) -> None:
    label = {"incident": code, "finding": stored.get("id"), "agreement": stored.get("agreement")}
    if again is None:
        report.differ.append(
            {**label, "field": "finding", "stored": stored.get("finding"), "reproduced": None}
        )
        return
    values = {
        "agreement_version": again.agreement_version,
        "finding": again.finding.value,
        "violating_party": again.violating_party,
        "clauses": list(again.clauses),
        "basis": again.basis.value,
        "explanation": again.explanation,
        "missing_facts": list(again.missing_facts),
        "rules_version": again.rules_version,
        "facts_hash": again.facts_hash,
        "definition": again.definition,
    }
    differing = [name for name in COMPARED if stored.get(name) != values[name]]
    for name in differing:
        report.differ.append(
            {**label, "field": name, "stored": stored.get(name), "reproduced": values[name]}
        )
    if not differing:
        report.reproduced += 1
