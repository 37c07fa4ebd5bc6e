"""Helpers shared by the audit tests (the tests folder is on the import path)."""

from __future__ import annotations

import base64

from sqlalchemy import Engine

from truceline.audit.actor import Actor
from truceline.audit.log import append_entry
from truceline.audit.tree import log_size
from truceline.db.engine import transaction

ORIGIN = "truceline.af-pk/audit"
LIAISON_AF = Actor(name="liaison-af", role="party_liaison", party="AF")


def append_entries(engine: Engine, count: int, *, start: int = 0) -> None:
    with transaction(engine) as session:
        for number in range(start, start + count):
            append_entry(
                session,
                actor=LIAISON_AF,
                action="incident.update",
                object_type="incident",
                object_id=f"INC-{number}",
                before={"state": "reported"},
                after={"state": "under_verification", "n": number},
            )


def forge_signature_line(line: str) -> str:
    """The same signature line (name, key id) with one signature byte flipped."""
    dash, name, encoded = line.split(" ")
    raw = bytearray(base64.b64decode(encoded))
    raw[-1] ^= 0x01
    return f"{dash} {name} {base64.b64encode(bytes(raw)).decode()}"


def current_size(engine: Engine) -> int:
    """Entries in the log now (the profile loaders of other contexts may have written some)."""
    with transaction(engine) as session:
        return log_size(session)
