"""Community rows about the planted reporter, for the accounts context's identity-leak scan.

Registered in ``unit.accounts.identity_scan.SEEDERS``: the planted reporter is
registered with a committee (phone kept as digest and ciphertext), has sent a
message that became held, one that was accepted, and has a feedback notice
waiting in the outbox.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.sealing import SealedIdentity
from truceline.community.models import (
    BorderDistrictRow,
    Committee,
    CommitteeMember,
    CommunityReporter,
    InboundMessage,
    OutboundMessage,
)
from truceline.community.phones import PhoneVault
from truceline.config import get_settings

PLANTED_PHONE = "+93 70 123 4567"  # the planted identity's phone (identity_scan.PLANTED)


def seed_community_rows(session: Session, sealed: SealedIdentity) -> None:
    vault = PhoneVault.in_keys_dir(get_settings().resolved_keys_dir)
    district = session.scalars(
        select(BorderDistrictRow).where(BorderDistrictRow.key == "AF:barmal")
    ).one()
    committee = Committee(code="CMT-SCAN", name="Barmal committee", district_id=district.id,
                          created_by="elder-gul")  # fmt: skip
    session.add(committee)
    session.flush()
    from datetime import date

    session.add(CommitteeMember(committee_id=committee.id, pseudonym="C-SCANSCAN", role="elder",
                                term_start=date(2025, 11, 1), term_end=date(2026, 10, 31)))  # fmt: skip
    reporter = CommunityReporter(
        pseudonym=sealed.pseudonym, committee_id=committee.id, registered_by="elder-gul",
        phone_digest=vault.digest(PLANTED_PHONE), phone_sealed=vault.seal(PLANTED_PHONE), language="ps",
    )  # fmt: skip
    session.add(reporter)
    session.flush()
    for index, status in enumerate(("held", "accepted")):
        session.add(InboundMessage(
            dedup_key=f"scan-{index}", gateway="scan", sender_digest=vault.digest(PLANTED_PHONE),
            sender_sealed=vault.seal(PLANTED_PHONE), reporter_id=reporter.id,
            text="ځای برمل ډرون ۳ مړه", status=status, language="ps",
        ))  # fmt: skip
    session.add(OutboundMessage(reporter_id=reporter.id, to_sealed=reporter.phone_sealed,
                                kind="under_verification", body="راپور RPT-SCAN د تصدیق لاندې دی."))  # fmt: skip
    session.flush()
