"""Operator commands: ``truceline users ...``, ``truceline keys custodian generate``,
``truceline identities reveal``.

The operator at the console acts as the administrator; audit entries name the
operating-system account (``cli:<login>``) so the log says who ran them.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from sqlalchemy.orm import Session

from truceline.accounts import credentials, services
from truceline.accounts.identities import reveal_identity
from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Role
from truceline.accounts.sealing import IdentityError, generate_custodian_key
from truceline.accounts.services import AccountError
from truceline.audit.actor import Actor
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.config import get_settings
from truceline.db.engine import transaction

users_app = typer.Typer(help="Accounts: create, disable, reset, list, and issue API tokens.")
keys_app = typer.Typer(help="Key files kept outside the database and the repository.")
custodian_app = typer.Typer(help="The custodian key that seals protected identities.")
identities_app = typer.Typer(help="Protected identities of community reporters.")

T = TypeVar("T")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(identities_app, name="identities")
    keys_group(app).add_typer(custodian_app, name="custodian")


def keys_group(app: typer.Typer) -> typer.Typer:
    """The shared ``keys`` group (other contexts add their own key commands to it)."""
    for info in app.registered_groups:
        if info.name == "keys" and info.typer_instance is not None:
            return info.typer_instance
    app.add_typer(keys_app, name="keys")
    return keys_app


def operator() -> Actor:
    return Actor(name=f"cli:{getpass.getuser()}"[:64], role="admin")


def fail(message: str, *, as_json: bool) -> NoReturn:
    """Stop with exit status 1: the request was understood but refused."""
    if as_json:
        emit({"error": message}, as_json=True)
    else:
        stderr.print(f"[red]error:[/red] {message}")
    raise typer.Exit(EXIT_REJECTED)


def run(as_json: bool, work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction, turning refusals into exit status 1."""
    try:
        with transaction() as session:
            return work(session)
    except (AccountError, IdentityError, AccessDenied) as error:
        fail(str(error), as_json=as_json)


def print_line(text: str) -> Callable[[], None]:
    """A printer for ``emit``'s human output (the one value people need, on stdout)."""
    return lambda: print(text)


def read_password_from_stdin() -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise AccountError("password: nothing on standard input")
    return line


ScopeOption = typer.Option(..., "--scope", help="e.g. intake:write, incidents:read (repeat).")
KeyFileOption = typer.Option(..., "--key", help="The custodian private key file.")
PasswordStdin = typer.Option(
    False, "--password-stdin", help="Read the password from the first line of standard input."
)


@users_app.command("create")
def create_command(
    name: str = typer.Argument(..., help="Sign-in name (lower case)."),
    role: str = typer.Option(
        ...,
        "--role",
        help="admin, mediator, party_liaison, team_member, field_monitor, "
        "community_liaison, community_reporter or elder (a committee member; link the "
        "account with `truceline community link-account`).",
    ),
    party: str | None = typer.Option(
        None,
        "--party",
        help="AF or PK: the party a party liaison acts for (other roles take none).",
    ),
    display_name: str = typer.Option("", "--display-name", help="Name shown to others."),
    custodian: bool = typer.Option(False, "--custodian", help="Holder of the custodian key."),
    password_stdin: bool = PasswordStdin,
    as_json: bool = JsonOption,
) -> None:
    """Create an account. Without --password-stdin a password is generated and shown once."""
    if role in {r.value for r in Role}:
        refusal = services.party_refusal(Role(role), party)
        if refusal:
            usage_error(refusal, as_json=as_json)

    def work(session: Session) -> dict[str, Any]:
        password = read_password_from_stdin() if password_stdin else services.generate_password()
        user = services.create_user(
            session,
            name=name,
            role=role,
            party=party,
            display_name=display_name,
            custodian=custodian,
            password=password,
            actor=operator(),
        )
        result = {"user": services.user_summary(user)}
        return result if password_stdin else {**result, "password": password}

    payload = run(as_json, work)
    emit(payload, as_json=as_json, human=lambda: _print_created(payload))


def _print_created(payload: dict[str, Any]) -> None:
    user = payload["user"]
    stderr.print(
        f"created {user['name']} ({user['role']}{', ' + user['party'] if user['party'] else ''})"
    )
    if "password" in payload:
        sys.stdout.write(f"password: {payload['password']}\n")


@users_app.command("disable")
def disable_command(name: str, as_json: bool = JsonOption) -> None:
    """Disable an account: sign-in, its sessions and its API tokens stop working at once."""
    payload = run(
        as_json,
        lambda s: {"user": services.user_summary(services.disable_user(s, name, actor=operator()))},
    )
    emit(payload, as_json=as_json, human=lambda: stderr.print(f"disabled {name}"))


@users_app.command("enable")
def enable_command(name: str, as_json: bool = JsonOption) -> None:
    """Enable a disabled account again."""
    payload = run(
        as_json,
        lambda s: {"user": services.user_summary(services.enable_user(s, name, actor=operator()))},
    )
    emit(payload, as_json=as_json, human=lambda: stderr.print(f"enabled {name}"))


@users_app.command("reset")
def reset_command(
    name: str, password_stdin: bool = PasswordStdin, as_json: bool = JsonOption
) -> None:
    """Set a new password (generated unless read from stdin) and lift any lock-out."""

    def work(session: Session) -> dict[str, Any]:
        given = read_password_from_stdin() if password_stdin else None
        user, password = services.reset_user(session, name, actor=operator(), password=given)
        result = {"user": services.user_summary(user)}
        return result if password_stdin else {**result, "password": password}

    payload = run(as_json, work)
    emit(
        payload,
        as_json=as_json,
        human=print_line(f"password: {payload.get('password', '(from stdin)')}"),
    )


@users_app.command("list")
def list_command(
    role: str | None = typer.Option(None, "--role", help="Only this role."),
    party: str | None = typer.Option(None, "--party", help="Only this party."),
    as_json: bool = JsonOption,
) -> None:
    """List accounts (never passwords or tokens)."""
    payload = run(
        as_json,
        lambda s: {
            "users": [
                services.user_summary(u) for u in services.list_users(s, role=role, party=party)
            ]
        },
    )
    emit(payload, as_json=as_json, human=lambda: _print_users(payload["users"]))


def _print_users(users: list[dict[str, Any]]) -> None:
    for user in users:
        flags = [f for f in ("disabled", "locked", "custodian") if user[f]]
        party = user["party"] or "-"
        sys.stdout.write(f"{user['name']:24} {user['role']:20} {party:3} {' '.join(flags)}\n")


@users_app.command("token")
def token_command(
    name: str,
    scope: list[str] = ScopeOption,
    ttl_days: int | None = typer.Option(None, "--ttl-days", help="Lifetime (default: setting)."),
    label: str = typer.Option("", "--label", help="What the token is for."),
    as_json: bool = JsonOption,
) -> None:
    """Issue a scoped API token for NAME; the secret is printed once and never stored."""

    def work(session: Session) -> dict[str, Any]:
        user = services.require_user(session, name)
        token, secret = credentials.issue_token(
            session,
            settings=get_settings(),
            user=user,
            scopes=scope,
            ttl_days=ttl_days,
            label=label,
            actor=operator(),
        )
        return {"token": credentials.token_summary(token), "secret": secret}

    payload = run(as_json, work)
    emit(payload, as_json=as_json, human=print_line(payload["secret"]))


@users_app.command("revoke-token")
def revoke_token_command(token_id: int, as_json: bool = JsonOption) -> None:
    """Revoke an API token by id at once."""
    payload = run(
        as_json,
        lambda s: {
            "token": credentials.token_summary(
                credentials.revoke_token(s, token_id, actor=operator())
            )
        },
    )
    emit(payload, as_json=as_json, human=lambda: stderr.print(f"revoked token {token_id}"))


@custodian_app.command("generate")
def custodian_generate_command(
    force: bool = typer.Option(False, "--force", help="Replace an existing key pair."),
    as_json: bool = JsonOption,
) -> None:
    """Create the custodian key pair in the keys directory (private key mode 0600).

    Hand the private key to the custodian mediator and remove it from the server;
    the server needs only custodian.pub to seal identities.
    """
    try:
        files = generate_custodian_key(get_settings().resolved_keys_dir, force=force)
    except IdentityError as error:
        fail(str(error), as_json=as_json)
    payload = {
        "private_key": str(files.private_key),
        "public_key": str(files.public_key),
        "key_id": files.key_id,
    }
    emit(
        payload,
        as_json=as_json,
        human=lambda: stderr.print(
            f"custodian key {files.key_id}: private {files.private_key}, public {files.public_key}"
        ),
    )


@identities_app.command("reveal")
def reveal_command(
    pseudonym: str,
    as_user: str = typer.Option(..., "--as", help="The custodian mediator's user name."),
    key: Path = KeyFileOption,
    as_json: bool = JsonOption,
) -> None:
    """Show who is behind a pseudonym: custodian mediator only; the reveal is audited."""

    def work(session: Session) -> dict[str, Any]:
        user = services.require_user(session, as_user)
        if user.disabled:
            raise AccountError(f"user {as_user!r} is disabled")
        principal = services.principal_for(user)
        details = reveal_identity(session, pseudonym, principal=principal, private_key_path=key)
        return {
            "pseudonym": pseudonym,
            "name": details.name,
            "phone": details.phone,
            "village": details.village,
        }

    payload = run(as_json, work)
    emit(payload, as_json=as_json)
