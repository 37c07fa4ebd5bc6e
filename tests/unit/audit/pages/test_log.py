"""The Audit page: checkpoints, cosignatures, keys and the verify commands for everyone;
entries for signed-in participants (the policy's audit_log rule)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_audit import append_entries
from truceline.audit.checkpoints import create_checkpoint
from truceline.audit.keys import PrivateKey, generate_key, publish_key
from truceline.config import get_settings
from truceline.db.engine import transaction


@pytest.fixture
def log_key(seeded: Engine) -> PrivateKey:
    """A published log key in the keys directory the settings name."""
    key = generate_key(
        get_settings().checkpoint_origin, "log", directory=get_settings().resolved_keys_dir
    )
    with transaction(seeded) as session:
        publish_key(session, key)
    return key


def _signed(engine: Engine) -> None:
    append_entries(engine, 4)
    settings = get_settings()
    with transaction(engine) as session:
        create_checkpoint(
            session, keys_dir=settings.resolved_keys_dir, origin=settings.checkpoint_origin
        )


def test_the_public_sees_checkpoints_keys_and_the_commands_but_not_entries(
    seeded: Engine, log_key: PrivateKey, client: TestClient
) -> None:
    _signed(seeded)
    page = client.get("/audit")
    assert page.status_code == 200
    assert 'data-checkpoint="' in page.text and "not yet cosigned" in page.text
    assert log_key.public.vkey() in page.text
    assert "truceline audit verify truceline-audit.jsonl --key keys.json --json" in page.text
    assert "/api/audit/keys -o keys.json" in page.text
    assert 'id="entry-table"' not in page.text and "Sign in to read the entries" in page.text


def test_a_signed_in_party_reads_the_entries_newest_first(
    seeded: Engine, log_key: PrivateKey, as_role: Callable[[str], TestClient]
) -> None:
    _signed(seeded)
    page = as_role("liaison_af").get("/audit").text
    assert 'id="entry-table"' in page
    seqs = [int(s) for s in re.findall(r'data-seq="(\d+)"', page)]
    assert seqs and seqs == sorted(seqs, reverse=True)
