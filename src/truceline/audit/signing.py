"""Detached signatures for any exported document (findings, reports, data sets).

A signature file is a signed note whose body names what was signed::

    truceline-signature/v1
    sha256 <hex digest of the document>
    size <bytes>
    time <unix seconds>

    — <key name> <base64(key id || Ed25519 signature of the body)>

Anyone holding the signer's public key (``/api/audit/keys``, or the vkey line a
party received out of band) can check it offline with
``truceline audit verify-signature FILE SIG --key KEYS``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from truceline.audit.keys import PrivateKey
from truceline.audit.notes import (
    Note,
    NoteError,
    PublicKey,
    parse_note,
    sign_note_body,
    verify_note_signature,
)
from truceline.db.base import utcnow

HEADER = "truceline-signature/v1"


def sign_document(data: bytes, keys: Sequence[PrivateKey]) -> str:
    """The text of a detached signature of ``data`` by every key in ``keys``."""
    if not keys:
        raise ValueError("signing needs at least one key")
    digest = hashlib.sha256(data).hexdigest()
    body = f"{HEADER}\nsha256 {digest}\nsize {len(data)}\ntime {int(utcnow().timestamp())}\n"
    return Note(body, tuple(sign_note_body(body, key.name, key.signing_key) for key in keys)).text()


@dataclass(frozen=True)
class SignatureCheck:
    valid: bool
    signed_by: list[str]
    errors: list[str]


def verify_document(data: bytes, signature_text: str, keys: Sequence[PublicKey]) -> SignatureCheck:
    """Check a detached signature against ``data`` and the trusted ``keys``."""
    try:
        note = parse_note(signature_text)
        fields = _read_body(note.body)
    except NoteError as exc:
        return SignatureCheck(False, [], [f"signature file: {exc}"])
    errors = []
    if fields["sha256"] != hashlib.sha256(data).hexdigest() or int(fields["size"]) != len(data):
        errors.append("the document does not match the signed digest: it was changed")
    signed_by, timestamp = [], int(fields["time"])
    for signature in note.signatures:
        for key in keys:
            if signature.key_id != key.note_key_id:
                continue
            if not verify_note_signature(note.body, signature, key):
                errors.append(f"signature by {key.name} ({key.note_key_id.hex()}) is invalid")
            elif not key.valid_at(timestamp):
                errors.append(f"key {key.note_key_id.hex()} of {key.name} was not valid then")
            else:
                signed_by.append(f"{key.name}+{key.note_key_id.hex()}")
    if not signed_by:
        errors.append("no valid signature by any of the given public keys")
    return SignatureCheck(not errors, signed_by, errors)


def _read_body(body: str) -> dict[str, str]:
    lines = body.split("\n")
    if len(lines) != 5 or lines[0] != HEADER or lines[4] != "":
        raise NoteError(f"body is not '{HEADER}', sha256, size and time lines")
    fields = dict(line.split(" ", 1) for line in lines[1:4] if " " in line)
    if set(fields) != {"sha256", "size", "time"} or not (
        fields["size"].isdigit() and fields["time"].isdigit()
    ):
        raise NoteError("body needs 'sha256 <hex>', 'size <bytes>' and 'time <unix seconds>'")
    return fields
