"""Fixtures of the audit tests: a log signing key in the configured keys directory, entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from support_audit import ORIGIN
from truceline.audit.keys import PrivateKey, generate_key, publish_key
from truceline.config import get_settings
from truceline.db.engine import transaction


@pytest.fixture
def log_key(engine: Engine) -> PrivateKey:
    """A published log key in the keys directory the settings name."""
    key = generate_key(ORIGIN, "log", directory=get_settings().resolved_keys_dir)
    with transaction(engine) as session:
        publish_key(session, key)
    return key


@pytest.fixture
def keys_dir(log_key: PrivateKey) -> Path:
    return log_key.path.parent
