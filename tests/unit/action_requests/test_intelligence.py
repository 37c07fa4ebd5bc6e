from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from truceline.accounts.policy import AccessDenied
from truceline.action_requests import intelligence
from truceline.action_requests.domain import Step
from truceline.action_requests.exceptions import RequestNotFound, RequestRefused
from truceline.action_requests.models import IntelligenceSeal
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction

from .support import AF, MEDIATOR, MONITOR, NOW, PK, run_to, submit

SECRET = "SECRET-CAMP-COORDINATES 32.95N 69.21E"


def _package(session, tmp_path: Path, audience: str = "mediator_and_party"):  # type: ignore[no-untyped-def]
    request = run_to(session, submit(session), Step.DELIVER)
    return request, intelligence.create_package(
        session, PK, title="camp", body=SECRET, tlp="amber", audience=audience,
        keys_dir=tmp_path, request=request,
    )  # fmt: skip


def test_the_other_party_reads_a_package_only_after_the_submitting_party_releases_it(
    engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        _request, package = _package(session, tmp_path)
        assert intelligence.visible_packages(session, AF) == []
        with pytest.raises(RequestNotFound):
            intelligence.find_package(session, AF, package.code)
        with pytest.raises(AccessDenied):
            intelligence.open_package(session, AF, package, keys_dir=tmp_path)
        assert (
            intelligence.open_package(session, MEDIATOR, package, keys_dir=tmp_path).body == SECRET
        )
        intelligence.release_package(session, PK, package, keys_dir=tmp_path, now=NOW)
        assert intelligence.visible_packages(session, AF) == [package]
        assert intelligence.open_package(session, AF, package, keys_dir=tmp_path).body == SECRET


def test_without_a_release_no_seal_exists_for_the_other_party(
    engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        _request, package = _package(session, tmp_path)
        readers = set(session.scalars(select(IntelligenceSeal.reader).where(
            IntelligenceSeal.package_id == package.id)))  # fmt: skip
        assert readers == {"mediator", "PK"}
        ciphertexts = session.scalars(select(IntelligenceSeal.ciphertext)).all()
        assert all(SECRET.encode() not in c for c in ciphertexts)


def test_only_the_submitting_party_releases_and_only_when_the_audience_allows(
    engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        _request, package = _package(session, tmp_path)
        for who in (MEDIATOR, AF):
            with pytest.raises(AccessDenied):
                intelligence.release_package(session, who, package, keys_dir=tmp_path, now=NOW)
        _request2, private = _package(session, tmp_path, audience="mediator")
        with pytest.raises(RequestRefused) as refused:
            intelligence.release_package(session, PK, private, keys_dir=tmp_path, now=NOW)
        assert refused.value.code == "audience_forbids_release"


def test_monitors_read_only_packages_sealed_for_verification(
    engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        _request, for_party = _package(session, tmp_path)
        _request2, for_monitors = _package(session, tmp_path, audience="monitors")
        assert intelligence.visible_packages(session, MONITOR) == [for_monitors]
        content = intelligence.open_package(session, MONITOR, for_monitors, keys_dir=tmp_path)
        assert content.body == SECRET
        with pytest.raises(AccessDenied):
            intelligence.open_package(session, MONITOR, for_party, keys_dir=tmp_path)


def test_the_audit_log_records_the_release_without_the_content(
    engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        _request, package = _package(session, tmp_path)
        intelligence.release_package(session, PK, package, keys_dir=tmp_path, now=NOW)
    with transaction(engine) as session:
        entries = session.scalars(select(AuditEntry)).all()
        actions = [e.action for e in entries if e.object_id == package.code]
        assert actions == ["intelligence.sealed", "intelligence.released"]
        assert not any(SECRET in (e.canonical or "") for e in entries)
