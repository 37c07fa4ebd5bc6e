"""docs/accounts.md documents every accounts setting, scope and role."""

from __future__ import annotations

from pathlib import Path

import pytest

from truceline.accounts.policy import SCOPE_DOMAINS
from truceline.accounts.roles import Role

DOC = Path(__file__).resolve().parents[3] / "docs" / "accounts.md"
ACCOUNTS_SETTINGS = [
    "session_ttl_minutes",
    "session_cookie_secure",
    "login_max_failures",
    "login_lockout_minutes",
    "login_rate_per_minute",
    "intake_rate_per_minute",
    "intake_path_prefixes",
    "max_body_bytes",
    "api_token_ttl_days",
    "public_location_precision_km",
    "small_village_population",
    "trusted_proxies",
]


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text()


def test_every_accounts_setting_is_documented(doc: str) -> None:
    missing = [s for s in ACCOUNTS_SETTINGS if f"TRUCELINE_{s.upper()}" not in doc]
    assert not missing


def test_every_role_and_scope_domain_is_documented(doc: str) -> None:
    assert all(f"`{role.value}`" in doc for role in Role)
    assert all(f"`{domain}`" in doc for domain in set(SCOPE_DOMAINS.values()))
