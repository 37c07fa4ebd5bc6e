"""Evidence on both back ends: limits, metadata, custody, redaction, restricted originals."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from truceline.accounts.policy import AccessDenied
from truceline.audit.models import AuditEntry
from truceline.config import get_settings
from truceline.content_store import AttachmentLimits, ContentStore
from truceline.db.base import utcnow
from truceline.db.engine import transaction
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import submit_report
from truceline.verification import evidence, services
from truceline.verification.evidence import EvidenceRejected
from truceline.verification.evidence_intake import adopt_report_attachments
from truceline.verification.models import EvidenceItem

from .factories import AF_LIAISON, MEDIATOR, MONITOR, PK_LIAISON, cross_border_fire

STATEMENT = b"Statement of a shopkeeper in Kurram: Gul Khan saw the shells land at 23:40.\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "evidence", AttachmentLimits(max_bytes=4096))


def _add(session, case, data=STATEMENT, **kwargs):  # type: ignore[no-untyped-def]
    defaults = {
        "principal": MONITOR,
        "obtained_by": "maya (field monitor)",
        "obtained_at": utcnow() - timedelta(hours=3),
        "how_obtained": "Interview at the shop, written down and signed by the witness",
        "filename": "statement.txt",
    }
    return evidence.add_evidence(session, case, data, **{**defaults, **kwargs})


def _case(session):  # type: ignore[no-untyped-def]
    return services.open_case(session, cross_border_fire(session), principal=MEDIATOR)


def test_evidence_keeps_who_when_how_and_starts_its_chain(
    engine: Engine, store: ContentStore
) -> None:
    with transaction(engine) as session:
        item = _add(session, _case(session), store=store)
        assert store.get(item.sha256) == STATEMENT
        evidence.record_custody(
            session, item.id, principal=MONITOR, action="transferred", holder="mona", store=store
        )
        chain = evidence.custody_chain(session, item)
        assert [(c["action"], c["holder"]) for c in chain] == [
            ("received", "maya"),
            ("transferred", "mona"),
        ]
        assert all(c["sha256_checked"] == item.sha256 for c in chain)


def test_oversized_disallowed_and_unattributed_files_are_refused(
    engine: Engine, store: ContentStore
) -> None:
    with transaction(engine) as session:
        case = _case(session)
        with pytest.raises(EvidenceRejected, match="over the limit of 4096 bytes"):
            _add(session, case, data=b"x" * 5000, store=store)
        with pytest.raises(
            EvidenceRejected, match="application/x-msdownload, which is not allowed"
        ):
            _add(session, case, data=b"MZ" + b"\x00" * 40, store=store)
        with pytest.raises(EvidenceRejected, match="how_obtained"):
            _add(session, case, how_obtained=" ", store=store)
        with pytest.raises(EvidenceRejected, match="obtained_at: .* in the future"):
            _add(session, case, obtained_at=utcnow() + timedelta(days=1), store=store)


def test_redaction_derives_a_new_file_and_keeps_the_original_restricted(
    engine: Engine, store: ContentStore
) -> None:
    with transaction(engine) as session:
        original = _add(session, _case(session), store=store)
        derived = evidence.redact(
            session,
            original.id,
            principal=MEDIATOR,
            terms=["Gul Khan"],
            note="witness name",
            store=store,
        )
        assert store.get(derived.sha256) == STATEMENT.replace(b"Gul Khan", b"[redacted]")
        assert store.get(original.sha256) == STATEMENT
        _, seen = evidence.read_content(session, derived.id, principal=PK_LIAISON, store=store)
        assert b"Gul Khan" not in seen
        with pytest.raises(AccessDenied, match="restricted to the mechanism"):
            evidence.read_content(session, original.id, principal=PK_LIAISON, store=store)
        evidence.disclose(session, original.id, principal=MEDIATOR)
        _, disclosed = evidence.read_content(
            session, original.id, principal=PK_LIAISON, store=store
        )
        assert disclosed == STATEMENT
        assert len(session.scalars(select(EvidenceItem)).all()) == 2
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "evidence")
            .order_by(AuditEntry.seq)
        ).all()
        assert actions == ["evidence.added", "evidence.redacted", "evidence.disclosed"]


def test_binary_evidence_is_redacted_by_uploading_the_derivative(
    engine: Engine, store: ContentStore
) -> None:
    with transaction(engine) as session:
        original = _add(session, _case(session), data=PNG, filename="crater.png", store=store)
        with pytest.raises(EvidenceRejected, match="only text can be redacted by terms"):
            evidence.redact(
                session, original.id, principal=MEDIATOR, terms=["x"], note="n", store=store
            )
        with pytest.raises(EvidenceRejected, match="the derivative is text/plain"):
            evidence.redact(
                session,
                original.id,
                principal=MEDIATOR,
                redacted_file=b"text",
                note="n",
                store=store,
            )
        blurred = PNG[:-1] + b"\x01"
        derived = evidence.redact(
            session,
            original.id,
            principal=MEDIATOR,
            redacted_file=blurred,
            note="faces",
            store=store,
        )
        assert derived.derived_from_id == original.id


def test_a_party_submits_evidence_only_in_its_own_name(engine: Engine, store: ContentStore) -> None:
    with transaction(engine) as session:
        case = _case(session)
        with pytest.raises(AccessDenied):
            _add(session, case, principal=AF_LIAISON, submitted_party="PK", store=store)
        item = _add(session, case, principal=AF_LIAISON, submitted_party="AF", store=store)
        _, own = evidence.read_content(session, item.id, principal=AF_LIAISON, store=store)
        assert own == STATEMENT


def test_files_attached_to_linked_reports_are_adopted_once_with_their_metadata(
    engine: Engine,
) -> None:
    photo = {
        "filename": "crater.png",
        "content_base64": base64.b64encode(PNG).decode(),
        "obtained_by": "elder of Kharlachi",
        "obtained_at": "2025-10-23T07:00:00+05:00",
        "how_obtained": "photographed at first light",
    }
    submission = ReportSubmission.model_validate(
        {
            "source_type": "community_reporter",
            "text": "Shells hit the posts by Kharlachi last night.",
            "occurred_at": "2025-10-22T23:40:00+05:00",
            "lat": 33.85,
            "lon": 70.05,
            "event_type": "cross_border_fire",
            "attachments": [photo],
        }
    )
    with transaction(engine) as session:
        result = submit_report(
            session,
            submission,
            actor=MONITOR.as_actor(),
            store=ContentStore.under(get_settings().data_dir),
        )
        assert result.link is not None
        incident = services.find_incident(session, result.link.incident_id)  # type: ignore[arg-type]
        case = services.open_case(session, incident, principal=MEDIATOR)
        adopted = adopt_report_attachments(session, case, principal=MEDIATOR)
        assert [(e.filename, e.obtained_by, e.media_type) for e in adopted] == [
            ("crater.png", "elder of Kharlachi", "image/png")
        ]
        assert adopt_report_attachments(session, case, principal=MEDIATOR) == []
        chain = evidence.custody_chain(session, adopted[0])
        assert chain[0]["action"] == "received" and "from report RPT-" in chain[0]["note"]
