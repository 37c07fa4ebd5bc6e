"""Phone numbers of community reporters, never stored in clear.

A number is normalised (``+`` and digits, with Afghan and Pakistani national
forms turned international), then kept as:

- a keyed digest (HMAC-SHA256), so an incoming message can be matched to its
  reporter without the number being readable from the database;
- a ciphertext (NaCl SecretBox), so the gateway can be handed the number when
  a reply or feedback notice is sent.

Both use keys derived from one secret file, ``community-phone.key`` in the
installation's keys directory (outside the database and the repository),
created on first use with mode 0600. Losing the file makes stored numbers
unusable; stealing the database alone reveals none.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path

from nacl.secret import SecretBox
from nacl.utils import random as random_bytes

from truceline.errors import CodedError

KEY_FILE = "community-phone.key"
#: Afghan (07xx xxx xxxx) and Pakistani (03xx xxx xxxx) mobile numbers in national form.
NATIONAL_FORMS = (("07", 10, "+937"), ("03", 11, "+923"))
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class PhoneError(CodedError, ValueError):
    """A phone number that cannot be read."""

    default_code = "phone_invalid"


def normalise_phone(raw: str) -> str:
    """``+93701234567`` from ``0093 70 123 4567``, ``070-123-4567`` or ``+93 (70) 1234567``."""
    digits = re.sub(r"[^\d+]", "", raw.translate(_DIGITS))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    for prefix, length, international in NATIONAL_FORMS:
        if digits.startswith(prefix) and len(digits) == length:
            digits = international + digits[len(prefix) :]
    if not re.fullmatch(r"\+?\d{6,15}", digits):
        raise PhoneError(f"phone number {_masked(raw)}: expected 6 to 15 digits")
    return digits if digits.startswith("+") else "+" + digits


def sender_address(raw: str) -> str:
    """A phone number normalised, or a gateway's other sender id (a short code, a name)
    kept as given, so that a message from it is held for review rather than refused."""
    try:
        return normalise_phone(raw)
    except PhoneError:
        if not raw.strip():
            raise
        return raw.strip()


def _masked(raw: str) -> str:
    return "…" + raw[-2:] if len(raw) > 2 else "…"


class PhoneVault:
    """Digest and seal phone numbers with keys derived from one secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) != 32:
            raise PhoneError("the phone key has 32 bytes")
        self._digest_key = hashlib.blake2b(secret, person=b"tl-phone-digest").digest()
        self._box = SecretBox(
            hashlib.blake2b(secret, person=b"tl-phone-box", digest_size=32).digest()
        )

    @classmethod
    def in_keys_dir(cls, keys_dir: Path) -> PhoneVault:
        """The vault whose secret is the phone key of ``keys_dir`` (created on first use).

        The caller passes the installation's keys directory
        (``Settings.resolved_keys_dir``): services never look the settings up.
        """
        return cls(_read_or_create(keys_dir / KEY_FILE))

    def digest(self, phone: str) -> str:
        normalised = sender_address(phone)
        return hmac.new(self._digest_key, normalised.encode(), hashlib.sha256).hexdigest()

    def seal(self, phone: str) -> bytes:
        return bytes(self._box.encrypt(sender_address(phone).encode()))

    def open(self, sealed: bytes) -> str:
        return self._box.decrypt(sealed).decode()


def _read_or_create(path: Path) -> bytes:
    if path.is_file():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = random_bytes(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret.hex() + "\n")
    return secret
