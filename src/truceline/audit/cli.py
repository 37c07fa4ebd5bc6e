"""``truceline audit …``: export, verify, checkpoints, witnesses, keys, proofs, signatures.

Commands that read private keys check their file permissions first and stop
with exit 2 and the offending path when a key is readable by others.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, NoReturn

import httpx
import typer

from truceline.audit.checkpoints import (
    checkpoint_due,
    checkpoint_summary,
    create_checkpoint,
    prove_consistency,
    prove_inclusion,
)
from truceline.audit.export import export_log
from truceline.audit.keys import (
    KeyFileError,
    PrivateKey,
    check_key_directory,
    generate_key,
    keys_document,
    load_private_key,
    publish_key,
    register_witness_key,
    rotate_log_key,
    signing_keys_at,
)
from truceline.audit.merkle import verify_consistency, verify_inclusion
from truceline.audit.notes import NoteError, PublicKey, parse_public_keys
from truceline.audit.sequence import StrayEntries
from truceline.audit.signing import sign_document, verify_document
from truceline.audit.tree import TreeError
from truceline.audit.verify import verify_export
from truceline.audit.witness import (
    WitnessError,
    cosign_latest,
    cosign_remote,
    default_state_path,
)
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.db.engine import default_engine, transaction

audit_app = typer.Typer(help="The signed, append-only audit log.", no_args_is_help=True)
keys_app = typer.Typer(help="Signing keys of the log and of witnesses.", no_args_is_help=True)
audit_app.add_typer(keys_app, name="keys")


def register(app: typer.Typer) -> None:
    from truceline.audit import cli_checks  # noqa: F401  (adds check-state and reproduce)

    app.add_typer(audit_app, name="audit")


def _keys_dir(as_json: bool) -> Path:
    directory = get_settings().resolved_keys_dir
    try:
        check_key_directory(directory)
    except KeyFileError as exc:
        usage_error(str(exc), as_json=as_json)
    return directory


def _read_public_keys(paths: list[Path] | None, as_json: bool) -> list[PublicKey]:
    keys: list[PublicKey] = []
    for path in paths or []:
        try:
            keys.extend(parse_public_keys(path.read_text(encoding="utf-8")))
        except (OSError, NoteError) as exc:
            usage_error(f"public key file {path}: {exc}", as_json=as_json)
    return keys


@audit_app.command("export")
def export_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write (JSON Lines).")],
    as_json: bool = JsonOption,
) -> None:
    """Write the log, its signed checkpoints and published keys to a file checkable offline."""
    settings = get_settings()
    keys_dir = _keys_dir(as_json)
    try:
        with transaction(default_engine()) as session:
            count = export_log(
                session, output, origin=settings.checkpoint_origin, keys_dir=keys_dir
            )
    except TreeError as exc:
        _log_broken(exc, as_json)
    payload = {"entries": count, "path": str(output)}
    emit(payload, as_json=as_json, human=lambda: stderr.print(f"{count} entries -> {output}"))


@audit_app.command("verify")
def verify_command(
    file: Annotated[Path, typer.Argument(help="An export written by `truceline audit export`.")],
    key: Annotated[
        list[Path] | None, typer.Option("--key", help="Public keys: a keys JSON or vkey lines.")
    ] = None,
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(
            "--checkpoint", help="A checkpoint note kept earlier; the export must agree with it."
        ),
    ] = None,
    as_json: bool = JsonOption,
) -> None:
    """Check entries, tree, signatures and cosignatures of an export (no database, no network)."""
    if not file.is_file():
        usage_error(f"export file {file} does not exist", as_json=as_json)
    try:
        kept = [path.read_text(encoding="utf-8") for path in checkpoint or []]
    except (OSError, UnicodeDecodeError) as exc:
        usage_error(f"cannot read checkpoint file: {exc}", as_json=as_json)
    keys = _read_public_keys(key, as_json) if key else None
    if keys is None:
        stderr.print("no --key given: trusting the keys embedded in the file (not independent)")
    report = verify_export(file, keys, kept)
    payload = report.as_json()
    emit(payload, as_json=as_json, human=lambda: _print_report(payload))
    if not report.valid:
        raise typer.Exit(EXIT_REJECTED)


def _print_report(payload: dict[str, Any]) -> None:
    verdict = "valid" if payload["valid"] else "INVALID"
    stderr.print(f"{verdict}: {payload['entries']} entries")
    for error in payload["errors"]:
        stderr.print(f"  - {error}")


@audit_app.command("checkpoint")
def checkpoint_command(
    if_due: bool = typer.Option(False, "--if-due", help="Sign only when a checkpoint is due."),
    max_age_minutes: int = typer.Option(60, help="With --if-due: oldest acceptable checkpoint."),
    max_pending: int = typer.Option(1000, help="With --if-due: most entries left uncovered."),
    every: int = typer.Option(0, "--every", help="Keep running, checking every N seconds."),
    as_json: bool = JsonOption,
) -> None:
    """Sign a checkpoint of the log now (or periodically, with --if-due / --every)."""
    while True:
        payload = _checkpoint_once(if_due or every > 0, max_age_minutes, max_pending, as_json)
        _emit_checkpoint(payload, as_json)
        if every <= 0:
            return
        time.sleep(every)


def _checkpoint_once(
    if_due: bool, max_age_minutes: int, max_pending: int, as_json: bool
) -> dict[str, Any]:
    settings = get_settings()
    keys_dir = _keys_dir(as_json)
    with transaction(default_engine()) as session:
        age = timedelta(minutes=max_age_minutes)
        if if_due and not checkpoint_due(session, max_age=age, max_pending=max_pending):
            return {"signed": False}
        try:
            row = create_checkpoint(session, keys_dir=keys_dir, origin=settings.checkpoint_origin)
        except KeyFileError as exc:
            usage_error(str(exc), as_json=as_json)
        except TreeError as exc:
            _log_broken(exc, as_json)
        return {"signed": True, **checkpoint_summary(session, row)}


def _log_broken(exc: TreeError, as_json: bool) -> NoReturn:
    """Report stray or out-of-sequence entries (exit 1): the log is readable but not whole."""
    problems = exc.problems if isinstance(exc, StrayEntries) else [str(exc)]
    message = "the audit log has entries out of sequence"
    payload = {"error": message, "problems": problems}
    lines = "\n  ".join(problems)
    emit(
        payload,
        as_json=as_json,
        human=lambda: stderr.print(f"[red]error:[/red] {message}\n  {lines}"),
    )
    raise typer.Exit(EXIT_REJECTED)


def _emit_checkpoint(payload: dict[str, Any], as_json: bool) -> None:
    message = _describe(payload)
    emit(payload, as_json=as_json, human=lambda: stderr.print(message))


def _describe(payload: dict[str, Any]) -> str:
    if not payload["signed"]:
        return "no checkpoint due"
    return f"checkpoint of size {payload['tree_size']} signed\n{payload['note']}"


@audit_app.command("cosign")
def cosign_command(
    key: Annotated[Path, typer.Option("--key", help="The witness's private key file.")],
    state: Annotated[
        Path | None, typer.Option(help="Witness state file (default: KEY.state.json).")
    ] = None,
    log_key: Annotated[
        list[Path] | None,
        typer.Option("--log-key", help="The log's public keys as the witness received them."),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Cosign over HTTP at this truceline base URL (no database).")
    ] = None,
    as_json: bool = JsonOption,
) -> None:
    """As a witness: check the latest checkpoint extends the last one cosigned, then cosign it."""
    origin = get_settings().checkpoint_origin
    try:
        witness_key = load_private_key(key)
    except KeyFileError as exc:
        usage_error(str(exc), as_json=as_json)
    trusted = _read_public_keys(log_key, as_json) if log_key else None
    if trusted is None:
        stderr.print("no --log-key given: trusting the log keys the log itself publishes")
    state_path = state or default_state_path(key)
    try:
        if url:
            payload = _cosign_over_http(url, witness_key, state_path, trusted, origin)
        else:
            payload = _cosign_on_site(witness_key, state_path, trusted, origin)
    except (WitnessError, NoteError, httpx.HTTPError) as exc:
        emit({"cosigned": False, "error": str(exc)}, as_json=as_json, human=lambda: None)
        stderr.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(EXIT_REJECTED) from exc
    payload = {"cosigned": True, **payload}
    emit(payload, as_json=as_json, human=lambda: stderr.print(payload["cosignature"]))


def _cosign_on_site(
    key: PrivateKey, state_path: Path, trusted: list[PublicKey] | None, origin: str
) -> dict[str, Any]:
    with transaction(default_engine()) as session:
        if trusted is None:
            trusted = parse_public_keys(json.dumps(keys_document(session, origin)))
        return cosign_latest(session, key, state_path=state_path, log_keys=trusted, origin=origin)


def _cosign_over_http(
    url: str, key: PrivateKey, state_path: Path, trusted: list[PublicKey] | None, origin: str
) -> dict[str, Any]:
    with httpx.Client(base_url=url, timeout=30) as client:
        if trusted is None:
            trusted = parse_public_keys(client.get("/api/audit/keys").raise_for_status().text)
        return cosign_remote(client, key, state_path=state_path, log_keys=trusted, origin=origin)


@keys_app.command("generate")
def keys_generate_command(
    role: str = typer.Option("log", help="log (signs checkpoints) or witness (cosigns)."),
    name: str | None = typer.Option(None, help="Key name (default for log keys: the origin)."),
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Key file (witnesses).")
    ] = None,
    as_json: bool = JsonOption,
) -> None:
    """Create a key file (mode 0600); log keys go to the keys directory and are published."""
    settings = get_settings()
    if role == "log" and output is not None:
        usage_error(
            "log keys live in the keys directory; --output is for witness keys", as_json=as_json
        )
    key_name = name or (settings.checkpoint_origin if role == "log" else None)
    if key_name is None:
        usage_error("a witness key needs --name (e.g. witness-AF)", as_json=as_json)
    directory = _keys_dir(as_json) if output is None else None
    try:
        key = generate_key(key_name, role, directory=directory, path=output)
    except KeyFileError as exc:
        usage_error(str(exc), as_json=as_json)
    if role == "log":
        with transaction(default_engine()) as session:
            publish_key(session, key)
    payload = {"name": key.name, "role": key.role, "path": str(key.path), "vkey": key.public.vkey()}
    emit(payload, as_json=as_json, human=lambda: stderr.print(f"{key.path}\n{payload['vkey']}"))


@keys_app.command("rotate")
def keys_rotate_command(
    overlap_days: float = typer.Option(7.0, help="Days the current key keeps signing."),
    as_json: bool = JsonOption,
) -> None:
    """Start a new log key now; the current one stays valid for the overlap, then expires."""
    settings = get_settings()
    directory = _keys_dir(as_json)
    with transaction(default_engine()) as session:
        try:
            new_key, retired = rotate_log_key(
                session, directory, settings.checkpoint_origin, overlap=timedelta(days=overlap_days)
            )
        except KeyFileError as exc:
            usage_error(str(exc), as_json=as_json)
    payload = {
        "new": {"vkey": new_key.public.vkey(), "path": str(new_key.path)},
        "retiring": [
            {
                "vkey": key.public.vkey(),
                "not_after": key.not_after.isoformat() if key.not_after else None,
            }
            for key in retired
        ],
    }
    emit(payload, as_json=as_json, human=lambda: stderr.print(payload))


@keys_app.command("register")
def keys_register_command(
    vkey: Annotated[str, typer.Argument(help="A witness's verifier key: name+id+key.")],
    as_json: bool = JsonOption,
) -> None:
    """Publish a witness's public key, so that its cosignatures are accepted over HTTP."""
    with transaction(default_engine()) as session:
        try:
            row = register_witness_key(session, vkey)
        except NoteError as exc:
            usage_error(str(exc), as_json=as_json)
        payload = {"name": row.name, "role": row.role, "vkey": row.vkey}
    emit(payload, as_json=as_json, human=lambda: stderr.print(f"registered {payload['vkey']}"))


@keys_app.command("show")
def keys_show_command() -> None:
    """Print the published public keys document (save it to verify exports offline)."""
    with transaction(default_engine()) as session:
        emit(keys_document(session, get_settings().checkpoint_origin), as_json=True)


@audit_app.command("prove-inclusion")
def prove_inclusion_command(
    seq: int = typer.Argument(..., help="Sequence number of the entry."),
    size: int | None = typer.Option(None, help="Tree size (default: latest checkpoint)."),
    as_json: bool = JsonOption,
) -> None:
    """Inclusion proof of one entry in a checkpointed tree, checked before it is printed."""
    with transaction(default_engine()) as session:
        try:
            proof = prove_inclusion(session, seq, size)
        except LookupError as exc:
            usage_error(str(exc), as_json=as_json)
    verified = verify_inclusion(
        proof.leaf_hash, proof.seq, proof.tree_size, proof.proof, proof.root_hash
    )
    emit({**proof.as_json(), "verified": verified}, as_json=True)
    if not verified:
        raise typer.Exit(EXIT_REJECTED)


@audit_app.command("prove-consistency")
def prove_consistency_command(
    old_size: int = typer.Argument(..., help="Size of the earlier tree."),
    new_size: int | None = typer.Argument(None, help="Size of the later tree (default: latest)."),
    as_json: bool = JsonOption,
) -> None:
    """Consistency proof between two tree sizes, checked before it is printed."""
    with transaction(default_engine()) as session:
        try:
            proof = prove_consistency(session, old_size, new_size)
        except LookupError as exc:
            usage_error(str(exc), as_json=as_json)
    verified = verify_consistency(
        proof.old_size, proof.new_size, proof.old_root, proof.new_root, proof.proof
    )
    emit({**proof.as_json(), "verified": verified}, as_json=True)
    if not verified:
        raise typer.Exit(EXIT_REJECTED)


@audit_app.command("sign")
def sign_command(
    file: Annotated[Path, typer.Argument(help="Document to sign (any export).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Default: FILE.sig")] = None,
    key: Annotated[
        Path | None, typer.Option("--key", help="Private key (default: the log keys).")
    ] = None,
    as_json: bool = JsonOption,
) -> None:
    """Write a detached signature of FILE, checkable offline with verify-signature."""
    try:
        keys = [load_private_key(key)] if key else signing_keys_at(_keys_dir(as_json), utcnow())
        data = file.read_bytes()
    except (KeyFileError, OSError) as exc:
        usage_error(str(exc), as_json=as_json)
    target = output or file.with_name(file.name + ".sig")
    target.write_text(sign_document(data, keys), encoding="utf-8")
    payload = {"path": str(file), "signature": str(target), "keys": [k.public.vkey() for k in keys]}
    emit(payload, as_json=as_json, human=lambda: stderr.print(f"signature written to {target}"))


@audit_app.command("verify-signature")
def verify_signature_command(
    file: Annotated[Path, typer.Argument(help="The signed document.")],
    signature: Annotated[Path, typer.Argument(help="Its detached signature file.")],
    key: Annotated[
        list[Path], typer.Option("--key", help="Trusted public keys (JSON or vkey lines).")
    ],
    as_json: bool = JsonOption,
) -> None:
    """Check a detached signature offline against the given public keys."""
    try:
        data, text = file.read_bytes(), signature.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        usage_error(f"cannot read {exc}", as_json=as_json)
    check = verify_document(data, text, _read_public_keys(key, as_json))
    payload = {"valid": check.valid, "signed_by": check.signed_by, "errors": check.errors}
    verdict = "valid, signed by " + ", ".join(check.signed_by) if check.valid else "INVALID"
    emit(payload, as_json=as_json, human=lambda: stderr.print(verdict, *check.errors, sep="\n  - "))
    if not check.valid:
        raise typer.Exit(EXIT_REJECTED)
