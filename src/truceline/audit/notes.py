"""Signed notes and checkpoints in the C2SP text formats, with Ed25519 (pure).

A *note* is UTF-8 text: a body ending in a newline, a blank line, then one or
more signature lines ``— <key name> <base64(key id || signature)>``. The key id
is the first four bytes of SHA-256(name || 0x0A || type || public key), where
the type byte is 0x01 for an Ed25519 note signature and 0x04 for a witness
cosignature (C2SP tlog-cosignature/v1), whose signed bytes are
``cosignature/v1\\ntime <unix seconds>\\n`` followed by the checkpoint body and
whose signature field is key id || 8-byte big-endian time || signature.

A *checkpoint* body is three lines: origin, tree size in decimal, base64 root
hash; truceline adds one extension line ``time <unix seconds>`` so that a
verifier can check the signing key was valid at that moment.

Verifier keys are written ``<name>+<hex key id>+<base64(0x01 || public key)>``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from truceline.errors import CodedError

SIGNATURE_DASH = "\u2014"
ED25519_TYPE = 0x01
COSIGNATURE_TYPE = 0x04


class NoteError(CodedError, ValueError):
    """A note, checkpoint or key that does not follow the format."""

    default_code = "note_invalid"


def key_id(name: str, public_key: bytes, key_type: int = ED25519_TYPE) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()[:4]


@dataclass(frozen=True)
class PublicKey:
    """A verifier key: name, raw Ed25519 public key, optional validity window (unix seconds)."""

    name: str
    public_key: bytes
    not_before: int | None = None
    not_after: int | None = None

    @property
    def note_key_id(self) -> bytes:
        return key_id(self.name, self.public_key, ED25519_TYPE)

    @property
    def cosignature_key_id(self) -> bytes:
        return key_id(self.name, self.public_key, COSIGNATURE_TYPE)

    def valid_at(self, when: int) -> bool:
        return (self.not_before is None or self.not_before <= when) and (
            self.not_after is None or when <= self.not_after
        )

    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([ED25519_TYPE]) + self.public_key).decode()
        return f"{self.name}+{self.note_key_id.hex()}+{encoded}"


def parse_vkey(text: str) -> PublicKey:
    """Read ``name+hexid+base64key``, checking that the id matches the key."""
    try:
        name, hex_id, encoded = text.strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise NoteError(f"not a verifier key (name+id+key): {text.strip()[:60]!r}") from exc
    if len(raw) != 33 or raw[0] != ED25519_TYPE:
        raise NoteError(f"verifier key {name!r} is not an Ed25519 key")
    key = PublicKey(name=name, public_key=raw[1:])
    if key.note_key_id.hex() != hex_id.lower():
        raise NoteError(f"verifier key {name!r}: id {hex_id} does not match the key")
    return key


@dataclass(frozen=True)
class Signature:
    """One signature line of a note."""

    name: str
    key_id: bytes
    payload: bytes  # after the key id: the signature, or timestamp || signature for cosignatures

    def line(self) -> str:
        encoded = base64.b64encode(self.key_id + self.payload).decode()
        return f"{SIGNATURE_DASH} {self.name} {encoded}"


@dataclass(frozen=True)
class Note:
    body: str
    signatures: tuple[Signature, ...]

    def text(self) -> str:
        return self.body + "\n" + "".join(sig.line() + "\n" for sig in self.signatures)


def parse_note(text: str) -> Note:
    """Split a signed note into its body and signature lines."""
    body, separator, tail = text.partition("\n\n")
    if not separator or not tail.endswith("\n"):
        raise NoteError(
            "a signed note needs a body, a blank line and newline-terminated signatures"
        )
    signatures = []
    for number, line in enumerate(tail[:-1].split("\n"), start=1):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != SIGNATURE_DASH:
            raise NoteError(f"signature line {number} is not '— <name> <base64>'")
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except ValueError as exc:
            raise NoteError(f"signature line {number} ({parts[1]}): bad base64") from exc
        if len(raw) < 5:
            raise NoteError(f"signature line {number} ({parts[1]}): too short")
        signatures.append(Signature(name=parts[1], key_id=raw[:4], payload=raw[4:]))
    return Note(body=body + "\n", signatures=tuple(signatures))


def sign_note_body(body: str, name: str, signing_key: SigningKey) -> Signature:
    public = bytes(signing_key.verify_key)
    signature = signing_key.sign(body.encode()).signature
    return Signature(name=name, key_id=key_id(name, public), payload=signature)


def verify_note_signature(body: str, signature: Signature, key: PublicKey) -> bool:
    if signature.name != key.name or signature.key_id != key.note_key_id:
        return False
    return _ed25519_ok(key.public_key, body.encode(), signature.payload)


def cosignature_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()


def cosign_body(body: str, name: str, signing_key: SigningKey, timestamp: int) -> Signature:
    public = bytes(signing_key.verify_key)
    signed = signing_key.sign(cosignature_message(body, timestamp)).signature
    return Signature(
        name=name,
        key_id=key_id(name, public, COSIGNATURE_TYPE),
        payload=struct.pack(">Q", timestamp) + signed,
    )


def verify_cosignature(body: str, signature: Signature, key: PublicKey) -> int | None:
    """The cosignature's time when it verifies under ``key``, else None."""
    if signature.name != key.name or signature.key_id != key.cosignature_key_id:
        return None
    if len(signature.payload) != 8 + 64:
        return None
    (timestamp,) = struct.unpack(">Q", signature.payload[:8])
    message = cosignature_message(body, timestamp)
    return timestamp if _ed25519_ok(key.public_key, message, signature.payload[8:]) else None


def _ed25519_ok(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(public_key).verify(message, signature)
    except (BadSignatureError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    timestamp: int

    def body(self) -> str:
        root = base64.b64encode(self.root_hash).decode()
        return f"{self.origin}\n{self.size}\n{root}\ntime {self.timestamp}\n"


def parse_checkpoint_body(body: str) -> Checkpoint:
    """Read origin, size, root hash and the time extension line of a checkpoint body."""
    lines = body.split("\n")
    if len(lines) != 5 or lines[4] != "":
        raise NoteError("a checkpoint body has 4 lines: origin, size, root hash, time")
    origin, size_text, root_text, time_text = lines[:4]
    if not origin or not size_text.isdigit() or str(int(size_text)) != size_text:
        raise NoteError(f"checkpoint size {size_text!r} is not a decimal number")
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError as exc:
        raise NoteError("checkpoint root hash is not base64") from exc
    if len(root) != 32:
        raise NoteError("checkpoint root hash is not 32 bytes")
    stamp = time_text.removeprefix("time ")
    if stamp == time_text or not stamp.isdigit():
        raise NoteError(f"checkpoint time line {time_text!r} is not 'time <unix seconds>'")
    return Checkpoint(origin=origin, size=int(size_text), root_hash=root, timestamp=int(stamp))


def parse_public_keys(text: str) -> list[PublicKey]:
    """Read verifier keys: a keys document (JSON) or one ``name+id+key`` per line."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            entries = json.loads(stripped)["keys"]
            return [_document_key(entry) for entry in entries]
        except (ValueError, KeyError, TypeError) as exc:
            raise NoteError(f"not a keys document: {exc}") from exc
    return [parse_vkey(line) for line in stripped.splitlines() if line.strip()]


def _document_key(entry: dict[str, Any]) -> PublicKey:
    key = parse_vkey(entry["vkey"])
    not_after = entry.get("not_after")
    return PublicKey(
        name=key.name,
        public_key=key.public_key,
        not_before=int(datetime.fromisoformat(entry["not_before"]).timestamp()),
        not_after=None if not_after is None else int(datetime.fromisoformat(not_after).timestamp()),
    )
