from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from truceline.accounts.roles import Principal, Role
from truceline.audit.actor import SYSTEM, Actor
from truceline.audit.models import AuditEntry
from truceline.config import get_settings
from truceline.content_store import AttachmentLimits, ContentStore
from truceline.db.engine import transaction
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.intake.models import ReportAttachment
from truceline.intake.schemas import ReportCorrection, ReportSubmission
from truceline.intake.services import IntakeError, correct_report, submit_report

Build = Callable[..., ReportSubmission]
LIAISON = Actor(name="af-liaison", role="party_liaison", party="AF")
AF_LIAISON = Principal(name="af-liaison", role=Role.PARTY_LIAISON, party="AF")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def attachment(data: bytes, filename: str) -> dict[str, str]:
    return {
        "filename": filename,
        "content_base64": base64.b64encode(data).decode(),
        "obtained_by": "field monitor team 2",
        "obtained_at": datetime(2025, 10, 18, 9, 0, tzinfo=UTC).isoformat(),
        "how_obtained": "photographed on site",
    }


def test_submitted_report_is_stored_verbatim_with_language_actor_and_audit_entry(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        result = submit_report(
            session, submission(), actor=LIAISON, store=ContentStore.under(get_settings().data_dir)
        )
    assert result.created
    report = result.report
    assert report.language == "en" and report.grade == "B3" and report.version == 1
    assert (report.claimed_perpetrator, report.claimed_perpetrator_label) == (
        "PK",
        "Pakistani forces",
    )
    assert report.occurred_at is not None and report.occurred_at.utcoffset() is not None
    with transaction(engine) as session:
        entries = session.execute(
            select(AuditEntry.action, AuditEntry.object_type, AuditEntry.object_id).order_by(
                AuditEntry.seq
            )
        ).all()
    ours = [action for action, _, _ in entries if action.startswith(("intake.", "incident."))]
    assert ours == ["intake.report_received", "incident.opened", "incident.report_linked"]
    assert ("intake.report_received", "report", str(report.id)) in entries


def test_resubmission_with_the_same_client_token_creates_nothing(
    engine: Engine, submission: Build
) -> None:
    for _ in range(2):
        with transaction(engine) as session:
            result = submit_report(
                session,
                submission(client_token="phone-42-0001"),
                actor=LIAISON,
                store=ContentStore.under(get_settings().data_dir),
            )
    assert not result.created
    assert result.link is not None and result.link.status == "already_linked"
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 1
        assert session.scalar(select(func.count()).select_from(Incident)) == 1


def test_client_token_reused_for_other_content_is_refused(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        submit_report(
            session,
            submission(client_token="phone-42-0001"),
            actor=LIAISON,
            store=ContentStore.under(get_settings().data_dir),
        )
    with pytest.raises(IntakeError, match="already used") as caught, transaction(engine) as session:
        submit_report(
            session,
            submission(client_token="phone-42-0001", text="other"),
            actor=LIAISON,
            store=ContentStore.under(get_settings().data_dir),
        )
    assert caught.value.field == "client_token"


def test_report_for_an_unknown_agreement_is_refused(engine: Engine, submission: Build) -> None:
    with (
        pytest.raises(IntakeError, match="unknown agreement 'doha-2019'"),
        transaction(engine) as session,
    ):
        submit_report(
            session,
            submission(agreement_id="doha-2019"),
            actor=LIAISON,
            store=ContentStore.under(get_settings().data_dir),
        )


def test_a_channel_without_a_file_store_refuses_attachments_naming_the_field(
    engine: Engine, submission: Build
) -> None:
    """The caller passes the store; a channel that has none (SMS, CSV) takes no files."""
    with pytest.raises(IntakeError) as caught, transaction(engine) as session:
        submit_report(
            session, submission(attachments=[attachment(PNG, "crater.jpg")]), actor=LIAISON
        )
    assert (caught.value.code, caught.value.field) == ("attachments_not_accepted", "attachments")


def test_attachments_are_stored_content_addressed_with_who_when_and_how(
    engine: Engine, submission: Build, tmp_path
) -> None:
    store = ContentStore(tmp_path / "evidence")
    with transaction(engine) as session:
        result = submit_report(
            session,
            submission(attachments=[attachment(PNG, "crater.jpg")]),
            actor=LIAISON,
            store=store,
        )
    [stored] = result.report.attachments
    assert stored.media_type == "image/png"  # sniffed, although named .jpg
    assert (
        stored.obtained_by == "field monitor team 2"
        and stored.how_obtained == "photographed on site"
    )
    assert store.get(stored.sha256) == PNG


@pytest.mark.parametrize(
    ("data", "limit", "message"),
    [
        (PNG, 16, "over the limit of 16 bytes"),
        (b"MZ\x90\x00" + b"\x00" * 60, 10_000, "application/x-msdownload, which is not allowed"),
    ],
    ids=["over-size-limit", "executable"],
)
def test_attachment_over_the_limit_or_of_a_disallowed_type_refuses_the_report(
    engine: Engine, submission: Build, tmp_path, data: bytes, limit: int, message: str
) -> None:
    store = ContentStore(tmp_path / "evidence", AttachmentLimits(max_bytes=limit))
    good = attachment(b"note", "note.txt")
    with pytest.raises(IntakeError, match=message) as caught, transaction(engine) as session:
        submit_report(
            session,
            submission(attachments=[good, attachment(data, "x.jpg")]),
            actor=LIAISON,
            store=store,
        )
    assert caught.value.field == "attachments[1]"
    assert not (tmp_path / "evidence").exists()
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(ReportAttachment)) == 0


def test_correction_is_a_new_version_that_takes_over_the_incident_link(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        original = submit_report(
            session, submission(), actor=LIAISON, store=ContentStore.under(get_settings().data_dir)
        ).report
    correction = ReportCorrection(reason="toll revised", changes={"casualties": {"civilians": 12}})
    with transaction(engine) as session:
        corrected = correct_report(session, original.id, correction, principal=AF_LIAISON)
        links = session.scalars(select(IncidentReportLink).order_by(IncidentReportLink.id)).all()
        old = session.get_one(Report, original.id)
        assert old.casualties == {"civilians": {"low": 10, "best": 10, "high": 10}}
    assert (corrected.version, corrected.supersedes_id) == (2, original.id)
    assert corrected.code == f"{original.code}.v2"
    assert [(ln.report_id, ln.unlinked_at is None) for ln in links] == [
        (original.id, False),
        (corrected.id, True),
    ]
    with (
        pytest.raises(IntakeError, match="correct the latest version"),
        transaction(engine) as session,
    ):
        correct_report(session, original.id, correction, principal=AF_LIAISON)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE reports SET text = 'rewritten'",
        "UPDATE reports SET casualties = '{}'",
        "DELETE FROM reports",
    ],
)
def test_database_refuses_to_rewrite_or_delete_a_report(
    engine: Engine, submission: Build, statement: str
) -> None:
    with transaction(engine) as session:
        submit_report(
            session,
            submission(),
            actor=SYSTEM,
            link=False,
            store=ContentStore.under(get_settings().data_dir),
        )
    with pytest.raises(DBAPIError, match="reports are immutable"), engine.begin() as conn:
        conn.execute(text(statement))


def test_place_given_only_as_text_is_geoparsed(
    engine: Engine, submission: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    from truceline.intake import services
    from truceline.intake.adapters import PlaceFix

    monkeypatch.setattr(
        services, "geolocate_place", lambda text: PlaceFix(32.93, 69.17, 2, "Urgun")
    )
    with transaction(engine) as session:
        report = submit_report(
            session,
            submission(lat=None, lon=None, place_text="ارګون"),
            actor=LIAISON,
            store=ContentStore.under(get_settings().data_dir),
        ).report
    assert (report.lat, report.lon, report.geo_precision, report.place_text) == (
        32.93,
        69.17,
        2,
        "ارګون",
    )


def test_two_concurrent_submissions_with_one_token_store_one_report(
    engine: Engine, submission: Build
) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs concurrent writers")
    import threading

    from truceline.db.engine import session_factory

    barrier, results = threading.Barrier(2), []

    def client() -> None:
        with session_factory(engine)() as session:
            barrier.wait()
            with session.begin():
                results.append(
                    submit_report(
                        session,
                        submission(client_token="lost-connection-1"),
                        actor=LIAISON,
                        store=ContentStore.under(get_settings().data_dir),
                    )
                )

    threads = [threading.Thread(target=client) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.created for r in results) == [False, True]
    assert results[0].report.id == results[1].report.id
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 1
