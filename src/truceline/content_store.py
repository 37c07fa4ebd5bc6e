"""A content-addressed file store for report attachments (SHA-256, on a filesystem directory).

Files live at ``<root>/<aa>/<bb>/<sha256>`` where ``root`` defaults to
``Settings.data_dir / "evidence"``. The address is the hash of the bytes, so a
file stored twice is stored once, a stored file can be checked against its name
at any time, and nothing is ever overwritten or deleted through this module.

Limits are enforced before anything is written: a size cap, and a list of
allowed media types where the type is sniffed from the file's first bytes
(``sniff_media_type``) instead of trusting the name or what the client says.
To allow another type, add its signature to ``SIGNATURES`` and its name to
``AttachmentLimits.allowed_media_types``. The evidence context builds chain of
custody and redaction on top of ``ContentStore``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from truceline.errors import CodedError

DEFAULT_MAX_BYTES = 25 * 1024 * 1024

#: Leading bytes that identify a media type (offset, signature, type).
SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\xff\xfb", "audio/mpeg"),
    (0, b"OggS", "audio/ogg"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"MZ", "application/x-msdownload"),
    (0, b"\x7fELF", "application/x-executable"),
    (4, b"ftyp", "video/mp4"),
)

RIFF_SUBTYPES = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}


@dataclass(frozen=True)
class AttachmentLimits:
    """What the store accepts; defaults suit photos, documents and voice notes from the field."""

    max_bytes: int = DEFAULT_MAX_BYTES
    allowed_media_types: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {
                "image/jpeg",
                "image/png",
                "image/gif",
                "image/webp",
                "application/pdf",
                "audio/mpeg",
                "audio/ogg",
                "audio/wav",
                "video/mp4",
                "text/plain",
            }
        )
    )


class AttachmentRejected(CodedError, ValueError):
    """A file over the size limit or of a type that is not allowed."""

    default_code = "attachment_rejected"


@dataclass(frozen=True)
class StoredFile:
    """The address of stored bytes and what was learned from them."""

    sha256: str
    size_bytes: int
    media_type: str


def sniff_media_type(data: bytes) -> str:
    """The media type that the bytes themselves show (never the client's claim)."""
    if data[:4] == b"RIFF" and data[8:12] in RIFF_SUBTYPES:
        return RIFF_SUBTYPES[data[8:12]]
    for offset, signature, media_type in SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            return media_type
    if _is_text(data):
        return "text/plain"
    return "application/octet-stream"


def _is_text(data: bytes) -> bool:
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in decoded[:4096])


class ContentStore:
    """Stores and returns bytes by their SHA-256, under one directory."""

    def __init__(self, root: Path, limits: AttachmentLimits | None = None) -> None:
        self.root = root
        self.limits = limits or AttachmentLimits()

    @classmethod
    def under(cls, data_dir: Path) -> ContentStore:
        """The installation's store, ``<data_dir>/evidence``: the caller passes its
        ``Settings.data_dir`` (services never look the settings up)."""
        return cls(data_dir / "evidence")

    def check(self, data: bytes, *, name: str = "attachment") -> str:
        """The sniffed media type, or ``AttachmentRejected`` naming the file and the limit."""
        if len(data) > self.limits.max_bytes:
            raise AttachmentRejected(
                f"{name}: {len(data)} bytes is over the limit of {self.limits.max_bytes} bytes"
            )
        if not data:
            raise AttachmentRejected(f"{name}: the file is empty")
        media_type = sniff_media_type(data)
        if media_type not in self.limits.allowed_media_types:
            allowed = ", ".join(sorted(self.limits.allowed_media_types))
            raise AttachmentRejected(
                f"{name}: content is {media_type}, which is not allowed (allowed: {allowed})"
            )
        return media_type

    def put(self, data: bytes, *, name: str = "attachment") -> StoredFile:
        """Store ``data`` (checked against the limits) and return its address; idempotent."""
        media_type = self.check(data, name=name)
        digest = hashlib.sha256(data).hexdigest()
        path = self.path_of(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            self._write_atomically(path, data)
        return StoredFile(sha256=digest, size_bytes=len(data), media_type=media_type)

    def get(self, sha256: str) -> bytes:
        """The stored bytes; ``ValueError`` if they no longer match their address."""
        data = self.path_of(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"stored file {sha256} does not match its hash: it was altered")
        return data

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).exists()

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    @staticmethod
    def _write_atomically(path: Path, data: bytes) -> None:
        # Write beside the target and rename, so a crash never leaves a partial file at the address.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
            path.chmod(0o444)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
