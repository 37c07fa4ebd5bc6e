"""Compiling agreement versions: each governs from its effective date to the next one's."""

from __future__ import annotations

from datetime import datetime

from truceline.agreements.documents import builtin_documents
from truceline.agreements.domain import AgreementIndex, VersionedDocument, compile_agreements
from truceline.agreements.schema import Clause

TRUCE, EXTENSION = "truce-2025-10-15", "truce-extension-2025-10-17"


def _at(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def _index_with_truce_v2(effective: str) -> AgreementIndex:
    truce, extension, *others = builtin_documents()
    clause = truce.clauses[0]
    narrower: Clause = clause.model_copy(update={"id": "cease-fire-on-civilians"})
    amended = truce.model_copy(update={"version": 2, "clauses": [narrower]})
    versions = [
        VersionedDocument(truce, None),
        VersionedDocument(amended, datetime.fromisoformat(effective)),
        VersionedDocument(extension, None),
        *(VersionedDocument(d, None) for d in others),
    ]
    return AgreementIndex(compile_agreements(versions))


def test_each_version_judges_the_incidents_of_its_own_period() -> None:
    index = _index_with_truce_v2("2025-10-16T12:00:00+05:00")
    before = index.in_force_at(_at("2025-10-16T11:59:00+05:00"))
    after = index.in_force_at(_at("2025-10-16T12:00:00+05:00"))
    assert [(a.id, a.version) for a in before] == [(TRUCE, 1)]
    assert [(a.id, a.version) for a in after] == [(TRUCE, 2)]
    assert after[0].governs_from == _at("2025-10-16T12:00:00+05:00")
    assert index.get(TRUCE) is not None and index.get(TRUCE).version == 2  # type: ignore[union-attr]


def test_an_extension_takes_the_clauses_of_the_version_governing_at_each_instant() -> None:
    index = _index_with_truce_v2("2025-10-18T12:00:00+05:00")  # during the extension
    early = index.in_force_at(_at("2025-10-18T06:00:00+05:00"))
    late = index.in_force_at(_at("2025-10-18T18:00:00+05:00"))
    assert [(a.id, a.clauses_from, [c.id for c in a.clauses]) for a in early] == [
        (EXTENSION, (TRUCE, 1), ["cease-hostilities"])
    ]
    assert [(a.id, a.clauses_from, [c.id for c in a.clauses]) for a in late] == [
        (EXTENSION, (TRUCE, 2), ["cease-fire-on-civilians"])
    ]
    assert index.keys_in_force_at(_at("2025-10-18T06:00:00+05:00")) != index.keys_in_force_at(
        _at("2025-10-18T18:00:00+05:00")
    )


def test_without_amendments_every_agreement_is_one_version_governing_throughout() -> None:
    compiled = compile_agreements(builtin_documents())
    assert [a.id for a in compiled] == [d.id for d in builtin_documents()]
    assert all(a.governs_from == float("-inf") and a.version == 1 for a in compiled)
