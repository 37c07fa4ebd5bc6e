"""Ed25519 signing keys of the log and of witnesses: files, rotation, publication.

Private keys live in JSON files (mode 0600) under ``Settings.resolved_keys_dir``
(or any path a witness chooses), never in the repository or the database.
Public halves are published in the ``audit_public_keys`` table, served at
``/api/audit/keys`` and copied into every export, each with a validity window:
rotation starts a new key at once and lets the old one sign on for an overlap
period, so checkpoints in that period carry both signatures.

Roles: ``log`` keys sign checkpoints and signed exports (their name is the
checkpoint origin); ``witness`` keys cosign checkpoints.
"""

from __future__ import annotations

import base64
import json
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.actor import SYSTEM, Actor
from truceline.audit.log import append_entry
from truceline.audit.models import AuditPublicKey
from truceline.audit.notes import PublicKey, parse_vkey
from truceline.db.base import utcnow
from truceline.errors import CodedError

KEY_SUFFIX = ".key"
ROLES = ("log", "witness")


class KeyFileError(CodedError, RuntimeError):
    """A private key file that is missing, malformed or readable by others."""

    default_code = "key_file_invalid"


@dataclass(frozen=True)
class PrivateKey:
    name: str
    role: str
    signing_key: SigningKey
    not_before: datetime
    not_after: datetime | None
    path: Path

    @property
    def public(self) -> PublicKey:
        return PublicKey(
            name=self.name,
            public_key=bytes(self.signing_key.verify_key),
            not_before=int(self.not_before.timestamp()),
            not_after=None if self.not_after is None else int(self.not_after.timestamp()),
        )

    def valid_at(self, when: datetime) -> bool:
        return self.not_before <= when and (self.not_after is None or when <= self.not_after)


def generate_key(
    name: str,
    role: str,
    *,
    directory: Path | None = None,
    path: Path | None = None,
    not_before: datetime | None = None,
) -> PrivateKey:
    """Create a new key file with mode 0600 (refusing to overwrite an existing file)."""
    if role not in ROLES:
        raise KeyFileError(f"key role {role!r} is not one of {', '.join(ROLES)}")
    if not name or "+" in name or any(char.isspace() for char in name):
        raise KeyFileError(f"key name {name!r} must be non-empty, without '+' or spaces")
    signing_key = SigningKey.generate()
    start = (not_before or utcnow()).replace(microsecond=0)
    key = PrivateKey(name, role, signing_key, start, None, Path())
    if path is None:
        if directory is None:
            raise KeyFileError("a new key needs a directory or a file path")
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        path = directory / f"{role}-{safe}-{key.public.note_key_id.hex()}{KEY_SUFFIX}"
    key = PrivateKey(name, role, signing_key, key.not_before, None, path)
    _write_key_file(key, create=True)
    return key


def _write_key_file(key: PrivateKey, *, create: bool) -> None:
    key.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    document = {
        "name": key.name,
        "role": key.role,
        "vkey": key.public.vkey(),
        "private_key": base64.b64encode(bytes(key.signing_key)).decode(),
        "not_before": key.not_before.isoformat(),
        "not_after": None if key.not_after is None else key.not_after.isoformat(),
    }
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if create else os.O_TRUNC)
    try:
        descriptor = os.open(key.path, flags, 0o600)
    except FileExistsError as exc:
        raise KeyFileError(f"{key.path} already exists; refusing to overwrite a key") from exc
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2)
        handle.write("\n")


def check_permissions(path: Path) -> None:
    """Refuse a private key file that group or others may read or write."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyFileError(
            f"private key {path} has mode {mode:04o}; it must be readable by its owner only "
            f"(run: chmod 600 {path})"
        )


def load_private_key(path: Path) -> PrivateKey:
    """Read a key file after checking its permissions."""
    if not path.is_file():
        raise KeyFileError(f"private key file {path} does not exist")
    check_permissions(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        seed = base64.b64decode(document["private_key"], validate=True)
        not_after = document.get("not_after")
        key = PrivateKey(
            name=str(document["name"]),
            role=str(document["role"]),
            signing_key=SigningKey(seed),
            not_before=datetime.fromisoformat(document["not_before"]),
            not_after=None if not_after is None else datetime.fromisoformat(not_after),
            path=path,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(f"private key file {path} is malformed: {exc}") from exc
    if key.role not in ROLES:
        raise KeyFileError(f"private key file {path}: role {key.role!r} is not log or witness")
    return key


def key_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"*{KEY_SUFFIX}")) if directory.is_dir() else []


def check_key_directory(directory: Path) -> list[Path]:
    """Start-up check: every key file in ``directory`` must be mode 0600 (raises otherwise)."""
    files = key_files(directory)
    for path in files:
        check_permissions(path)
    return files


def load_keys(directory: Path, *, role: str | None = None) -> list[PrivateKey]:
    """The audit keys in ``directory``: files named ``<role>-….key`` (other contexts keep theirs there)."""
    roles = ROLES if role is None else (role,)
    paths = [path for path in key_files(directory) if path.name.split("-", 1)[0] in roles]
    keys = [load_private_key(path) for path in paths]
    return [key for key in keys if key.role in roles]


def signing_keys_at(directory: Path, when: datetime) -> list[PrivateKey]:
    """The log keys valid at ``when``: one normally, two during a rotation overlap."""
    keys = [key for key in load_keys(directory, role="log") if key.valid_at(when)]
    if not keys:
        raise KeyFileError(
            f"no log signing key valid now in {directory}: run `truceline audit keys generate`"
        )
    return keys


def rotate_log_key(
    session: Session, directory: Path, name: str, *, overlap: timedelta, actor: Actor = SYSTEM
) -> tuple[PrivateKey, list[PrivateKey]]:
    """Start a new log key now; current keys stay valid for ``overlap`` more, then expire."""
    now = utcnow().replace(microsecond=0)
    retiring = [key for key in signing_keys_at(directory, now) if key.name == name]
    new_key = generate_key(name, "log", directory=directory, not_before=now)
    retired = []
    for key in retiring:
        ended = PrivateKey(
            key.name, key.role, key.signing_key, key.not_before, now + overlap, key.path
        )
        _write_key_file(ended, create=False)
        retired.append(ended)
    for key in [new_key, *retired]:
        publish_key(session, key, actor=actor)
    return new_key, retired


def publish_key(session: Session, key: PrivateKey, *, actor: Actor = SYSTEM) -> AuditPublicKey:
    """Record (or update the window of) the public half of ``key``; the change is audited."""
    return _publish(session, key.public.vkey(), key.role, key.not_before, key.not_after, actor)


def register_witness_key(
    session: Session, vkey: str, *, actor: Actor = SYSTEM, not_before: datetime | None = None
) -> AuditPublicKey:
    """Publish a witness's verifier key received from that party (its private key stays there).

    ``not_before``: when the key became valid, if known (a witness on site registers its key
    when it first cosigns, a moment after signing: the window must include that signature).
    """
    parse_vkey(vkey)  # refuses a malformed key or one whose id does not match
    existing = session.scalars(select(AuditPublicKey).where(AuditPublicKey.vkey == vkey)).first()
    if existing is not None:
        return existing
    start = (not_before or utcnow()).replace(microsecond=0)
    return _publish(session, vkey.strip(), "witness", start, None, actor)


def _publish(
    session: Session,
    vkey: str,
    role: str,
    not_before: datetime,
    not_after: datetime | None,
    actor: Actor,
) -> AuditPublicKey:
    row = session.scalars(select(AuditPublicKey).where(AuditPublicKey.vkey == vkey)).first()
    before = None if row is None else _row_document(row)
    if row is None:
        name = vkey.split("+", 1)[0]
        row = AuditPublicKey(name=name, role=role, vkey=vkey, not_before=not_before)
        session.add(row)
    row.not_after = not_after
    session.flush()
    append_entry(
        session,
        actor=actor,
        action="audit.key.publish",
        object_type="audit_public_key",
        object_id=vkey.split("+")[1],
        before=before,
        after=_row_document(row),
    )
    return row


def published_keys(session: Session, role: str) -> list[PublicKey]:
    """The published keys of one role, with their validity windows."""
    rows = session.scalars(select(AuditPublicKey).where(AuditPublicKey.role == role)).all()
    return [
        PublicKey(
            name=row.name,
            public_key=parse_vkey(row.vkey).public_key,
            not_before=int(row.not_before.timestamp()),
            not_after=None if row.not_after is None else int(row.not_after.timestamp()),
        )
        for row in rows
    ]


def _row_document(row: AuditPublicKey) -> dict[str, Any]:
    return {
        "name": row.name,
        "role": row.role,
        "vkey": row.vkey,
        "not_before": row.not_before.isoformat(),
        "not_after": None if row.not_after is None else row.not_after.isoformat(),
    }


def keys_document(session: Session, origin: str) -> dict[str, Any]:
    """The published public keys: the JSON document served by the API and embedded in exports."""
    rows = session.scalars(select(AuditPublicKey).order_by(AuditPublicKey.id)).all()
    return {"origin": origin, "keys": [_row_document(row) for row in rows]}


def ensure_log_key(
    session: Session, directory: Path, name: str, *, actor: Actor = SYSTEM
) -> tuple[PrivateKey, bool]:
    """The log key valid now, created (mode 0600) and published when there is none.

    Called by ``truceline init`` and ``truceline demo``, so that a fresh
    installation signs its log from the first run. Key files readable by others
    are refused (``KeyFileError`` naming the file and the ``chmod`` that fixes
    it), never silently used. Returns the key and whether it was created now.
    """
    check_key_directory(directory)
    current = [key for key in signing_keys_or_none(directory) if key.name == name]
    if current:
        key = current[0]
        if not _is_published(session, key):  # a key file brought from elsewhere
            publish_key(session, key, actor=actor)
        return key, False
    key = generate_key(name, "log", directory=directory)
    publish_key(session, key, actor=actor)
    return key, True


def signing_keys_or_none(directory: Path) -> list[PrivateKey]:
    """The log keys valid now (an empty list when there is none)."""
    now = utcnow()
    return [key for key in load_keys(directory, role="log") if key.valid_at(now)]


def _is_published(session: Session, key: PrivateKey) -> bool:
    vkey = key.public.vkey()
    return session.scalar(select(AuditPublicKey.id).where(AuditPublicKey.vkey == vkey)) is not None
