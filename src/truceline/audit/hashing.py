"""Canonical JSON and RFC 6962 hashing (pure)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept, non-JSON types as strings."""
    return _CANONICAL.encode(value)


#: Built once: ``json.dumps`` with options builds a new encoder on every call.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
)


def content_hash(value: Any) -> str | None:
    """SHA-256 hex of the canonical JSON of ``value`` (``None`` stays ``None``)."""
    if value is None:
        return None
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962 leaf hash: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()
