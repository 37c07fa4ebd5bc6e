"""Sealing intelligence to its readers with PyNaCl SealedBox, as protected identities are.

Each reader (``mediator``, ``AF``, ``PK``, ``monitors``) has a key pair in
``<keys_dir>/intelligence/``: the private half readable by its owner only
(0600), outside the database and the repository. A package is sealed once per
reader it is meant for; the other party gets a seal only when the submitting
party releases the package to it, so without a release there is no ciphertext
that party's key could open, whatever a page or an export did. The database,
its backups, the audit log and the exports hold ciphertext and digests only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from truceline.accounts.sealing import key_id, load_private_key
from truceline.action_requests.exceptions import RequestRefused

READERS = ("mediator", "AF", "PK", "monitors")
FOLDER = "intelligence"


@dataclass(frozen=True)
class Seal:
    reader: str
    key_id: str
    ciphertext: bytes


def _folder(keys_dir: Path) -> Path:
    return keys_dir / FOLDER


def ensure_reader_keys(keys_dir: Path) -> dict[str, str]:
    """Create the readers' key pairs that are missing; return each reader's key id."""
    folder = _folder(keys_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    ids: dict[str, str] = {}
    for reader in READERS:
        private_path, public_path = folder / f"{reader}.key", folder / f"{reader}.pub"
        if not private_path.exists():
            private_key = PrivateKey.generate()
            descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(bytes(private_key).hex() + "\n")
            public_path.write_text(bytes(private_key.public_key).hex() + "\n")
        ids[reader] = key_id(_public_key(keys_dir, reader))
    return ids


def _public_key(keys_dir: Path, reader: str) -> PublicKey:
    path = _folder(keys_dir) / f"{reader}.pub"
    return PublicKey(bytes.fromhex(path.read_text().strip()))


def seal(plaintext: bytes, readers: tuple[str, ...], keys_dir: Path) -> list[Seal]:
    """One ciphertext of ``plaintext`` per reader."""
    ensure_reader_keys(keys_dir)
    seals = []
    for reader in readers:
        public = _public_key(keys_dir, reader)
        seals.append(Seal(reader, key_id(public), SealedBox(public).encrypt(plaintext)))
    return seals


def open_seal(reader: str, stored_key_id: str, ciphertext: bytes, keys_dir: Path) -> bytes:
    """Open one reader's ciphertext with that reader's private key."""
    private = load_private_key(_folder(keys_dir) / f"{reader}.key")
    if key_id(private.public_key) != stored_key_id:
        raise RequestRefused(
            "key_mismatch",
            f"the package was sealed to key {stored_key_id} of {reader}, not to the current one",
            field="reader",
        )
    try:
        return bytes(SealedBox(private).decrypt(ciphertext))
    except CryptoError:
        raise RequestRefused(
            "seal_broken", "the sealed content does not open", field="reader"
        ) from None
