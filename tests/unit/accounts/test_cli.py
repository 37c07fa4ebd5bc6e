"""``truceline users ...``, ``keys custodian generate`` and ``identities reveal`` (both back ends)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from truceline.accounts.identities import protect_identity
from truceline.accounts.roles import Principal, Role
from truceline.accounts.sealing import IdentityDetails
from truceline.config import get_settings
from truceline.db.engine import transaction

from .identity_scan import cli_app


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    """These tests exercise HTTP and CLI behaviour; the back-end contracts are elsewhere."""
    return sqlite_engine


runner = CliRunner()


def invoke(*args: str, stdin: str | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(cli_app(), [*args, "--json"], input=stdin)
    return result.exit_code, json.loads(result.stdout)


def test_users_create_with_password_from_stdin(engine: Engine) -> None:
    code, out = invoke(
        "users",
        "create",
        "farid",
        "--role",
        "party_liaison",
        "--party",
        "AF",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert code == 0 and out["user"]["party"] == "AF" and "password" not in out
    code, out = invoke("users", "list")
    assert [u["name"] for u in out["users"]] == ["farid"]


def test_users_create_generates_a_password_once_when_none_is_given(engine: Engine) -> None:
    code, out = invoke("users", "create", "mona", "--role", "mediator", "--custodian")
    assert code == 0 and len(out["password"]) >= 12 and out["user"]["custodian"] is True


def test_a_party_liaison_without_a_party_is_refused_with_exit_1(engine: Engine) -> None:
    code, out = invoke("users", "create", "farid", "--role", "party_liaison")
    assert code == 1 and "--party is required" in out["error"]


def test_disable_reset_and_list_filters(engine: Engine) -> None:
    invoke("users", "create", "farid", "--role", "party_liaison", "--party", "AF")
    invoke("users", "create", "sana", "--role", "party_liaison", "--party", "PK")
    code, out = invoke("users", "disable", "sana")
    assert code == 0 and out["user"]["disabled"] is True
    code, out = invoke("users", "reset", "farid")
    assert code == 0 and out["password"]
    code, out = invoke("users", "list", "--party", "PK")
    assert [(u["name"], u["disabled"]) for u in out["users"]] == [("sana", True)]
    code, out = invoke("users", "disable", "nobody")
    assert code == 1 and "no user named 'nobody'" in out["error"]


def test_users_token_prints_the_secret_once_and_revoke_token_stops_it(engine: Engine) -> None:
    invoke("users", "create", "maya", "--role", "field_monitor")
    code, out = invoke(
        "users", "token", "maya", "--scope", "intake:write", "--label", "sms gateway"
    )
    assert (
        code == 0 and out["secret"].startswith("tl_") and out["token"]["scopes"] == ["intake:write"]
    )
    code, out = invoke("users", "revoke-token", str(out["token"]["id"]))
    assert code == 0 and out["token"]["revoked_at"]
    code, out = invoke("users", "token", "maya", "--scope", "everything")
    assert code == 1 and "unknown everything" in out["error"]


def test_custodian_key_generation_and_an_audited_reveal(engine: Engine) -> None:
    code, keys = invoke("keys", "custodian", "generate")
    assert code == 0 and Path(keys["private_key"]).stat().st_mode & 0o077 == 0
    code, _ = invoke("keys", "custodian", "generate")
    assert code == 1
    invoke("users", "create", "carla", "--role", "mediator", "--custodian")
    invoke("users", "create", "mona", "--role", "mediator")
    with transaction(engine) as session:
        pseudonym = protect_identity(
            session,
            IdentityDetails(name="Bibi Hawa", phone="0333 1234567", village="Miranshah"),
            kind="community_reporter",
            principal=Principal("maya", Role.FIELD_MONITOR),
            keys_dir=get_settings().resolved_keys_dir,
        ).pseudonym
    code, out = invoke(
        "identities", "reveal", pseudonym, "--as", "carla", "--key", keys["private_key"]
    )
    assert code == 0 and out["name"] == "Bibi Hawa"
    code, out = invoke(
        "identities", "reveal", pseudonym, "--as", "mona", "--key", keys["private_key"]
    )
    assert code == 1 and "custodian" in out["error"]


def test_party_for_a_team_member_is_refused_with_exit_2_and_the_reason(engine: Engine) -> None:
    code, out = invoke("users", "create", "tariq", "--role", "team_member", "--party", "AF")
    assert code == 2
    assert "only a party liaison acts for a party" in out["error"]
    assert "--member NAME:AF" in out["error"]
    code, out = invoke("users", "list")
    assert out["users"] == []


def test_party_for_a_neutral_role_is_refused_too(engine: Engine) -> None:
    code, out = invoke("users", "create", "maya", "--role", "field_monitor", "--party", "PK")
    assert code == 2 and "not a field_monitor" in out["error"]
