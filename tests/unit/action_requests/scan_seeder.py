"""Rows of the requests context that refer to the planted reporter (for the identity scan).

A request and a sealed package name the reporter by pseudonym as a source; the
scan then checks the identity leaks through none of them (tables, pages, API,
the STIX export, the audit log).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal, Role
from truceline.accounts.sealing import SealedIdentity
from truceline.action_requests import intelligence
from truceline.action_requests.services import RequestSpec, submit_request
from truceline.config import get_settings

PK = Principal("sana", Role.PARTY_LIAISON, "PK")


def seed_request_rows(session: Session, sealed: SealedIdentity) -> None:
    spec = RequestSpec(group="TTP", asked_action="investigate", target_kind="group",
                       clause="no-targeting-civilians",
                       summary=f"as seen by community reporter {sealed.pseudonym}")  # fmt: skip
    request = submit_request(session, PK, spec, now=datetime(2025, 10, 24, tzinfo=UTC))
    intelligence.create_package(
        session, PK, title=f"source {sealed.pseudonym}", body=f"reporter {sealed.pseudonym}",
        tlp="red", audience="monitors", keys_dir=get_settings().resolved_keys_dir,
        request=request,
    )  # fmt: skip
