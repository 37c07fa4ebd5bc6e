from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine

from truceline.action_requests.domain import Step
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.reports.domain import ReportKind, period_ending
from truceline.reports.gather import build_document

from .support import run_to, submit

ISSUED = datetime(2025, 11, 1, tzinfo=UTC)


def _doc(engine: Engine, kind: ReportKind) -> dict:  # type: ignore[type-arg]
    period = period_ending(date(2025, 10, 31), days=14, now=ISSUED)
    with transaction(engine) as session:
        return build_document(session, kind, period, settings=get_settings(), now=ISSUED)


def test_the_public_report_counts_requests_without_naming_them(engine: Engine) -> None:
    with transaction(engine) as session:
        code = run_to(session, submit(session), Step.RESPOND, kind="declined").code
    public = _doc(engine, ReportKind.PUBLIC)
    assert public["requests"]["total"] == 1
    assert public["requests"]["per_party"]["PK"] == {"made": 1, "responded": 1,
                                                     "answered_in_time": 1}  # fmt: skip
    assert public["requests"]["outcomes"] == {"declined": 1}
    assert code not in str(public)
    restricted = _doc(engine, ReportKind.RESTRICTED)
    assert [r["code"] for r in restricted["restricted"]["requests"]] == [code]
