"""HTTP route of periodic reports: the public one for everyone, the restricted one by policy."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, Resource, ResourceType
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.http.deps import SessionDep
from truceline.reports.domain import ReportError, ReportKind, period_ending
from truceline.reports.language import ReportLanguage
from truceline.reports.render import MEDIA_TYPES, Format
from truceline.reports.services import issue_report

router = APIRouter(tags=["reports"])


@router.get(
    "/api/periodic-reports/{kind}",
    responses={200: {"content": {m: {} for m in MEDIA_TYPES.values()}}},
)
def periodic_report(
    kind: ReportKind,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.PERIODIC_REPORT)],
    period_end: Annotated[date, Query(description="Last day of the period, included.")],
    days: Annotated[int, Query(ge=1, le=366)] = 7,
    fmt: Annotated[Format, Query(alias="format")] = Format.JSON,
    lang: Annotated[
        str, Query(max_length=8, description="Language: en, ps, fa-AF (or prs) or ur.")
    ] = "en",
) -> Response:
    """The public or restricted report for the period ending ``period_end``, in ``lang``."""
    access.require(Resource(ResourceType.PERIODIC_REPORT, released=kind is ReportKind.PUBLIC))
    try:
        language = ReportLanguage(lang).code
    except ReportError as error:
        raise HTTPException(422, {"field": "lang", "message": str(error)}) from error
    try:
        period = period_ending(period_end, days=days, now=utcnow())
    except ReportError as error:
        raise HTTPException(422, str(error)) from error
    content = issue_report(
        session,
        kind,
        period,
        fmt,
        actor=access.principal.as_actor(),
        settings=get_settings(),
        lang=language,
    )
    return Response(content, media_type=MEDIA_TYPES[fmt])
