"""Protected identities of community reporters and committee members (pure crypto, no DB).

A person's identifying details (``IdentityDetails``: name, phone, village) are
sealed with a PyNaCl SealedBox to the custodian's public key. Only the
custodian mediator, holding the private key in a file outside the database
and the repository, can open them. The rest of the system sees a
``SealedIdentity``: ciphertext plus a random pseudonym.

Both types are unserialisable by construction: their ``repr``/``str`` hide
the content, Pydantic refuses to build a schema containing them, and ``json``,
``pickle``, ``copy`` and FastAPI's encoder all raise. An identity can only leave
the process through ``unseal`` in the hands of the custodian.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from truceline.errors import CodedError

PRIVATE_KEY_FILE = "custodian.key"
PUBLIC_KEY_FILE = "custodian.pub"
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class IdentityError(CodedError, ValueError):
    """A protected-identity operation that cannot proceed; the message says why."""

    default_code = "identity_refused"


class _Unserialisable:
    """Refuses every generic way of turning the object into data."""

    __slots__ = ()

    @classmethod
    def __get_pydantic_core_schema__(cls, *_args: Any) -> NoReturn:
        raise TypeError(
            f"{cls.__name__} cannot be part of an API schema or export: "
            "expose the pseudonym instead"
        )

    def __reduce_ex__(self, _protocol: Any) -> NoReturn:
        raise TypeError(f"{type(self).__name__} cannot be pickled or copied")

    def __iter__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} cannot be converted to a dict or list")

    def __getstate__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} cannot be serialised")


class IdentityDetails(_Unserialisable):
    """Who a person is, in clear: exists only at intake and in the custodian's hands."""

    __slots__ = ("_name", "_phone", "_village")
    _name: str
    _phone: str
    _village: str

    def __init__(self, *, name: str, phone: str = "", village: str = "") -> None:
        if not name.strip():
            raise IdentityError("name: an identity needs a name")
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_phone", phone)
        object.__setattr__(self, "_village", village)

    @property
    def name(self) -> str:
        return str(self._name)

    @property
    def phone(self) -> str:
        return str(self._phone)

    @property
    def village(self) -> str:
        return str(self._village)

    def __setattr__(self, _name: str, _value: Any) -> NoReturn:
        raise AttributeError("IdentityDetails is immutable")

    def __repr__(self) -> str:
        return "IdentityDetails(<hidden>)"

    __str__ = __repr__

    def plaintext(self) -> bytes:
        """The bytes that get sealed (JSON); never send them anywhere else."""
        fields = {"name": self.name, "phone": self.phone, "village": self.village}
        return json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()


class SealedIdentity(_Unserialisable):
    """Ciphertext sealed to the custodian key, known to the system by ``pseudonym``."""

    __slots__ = ("_ciphertext", "_key_id", "_pseudonym")
    _ciphertext: bytes
    _key_id: str
    _pseudonym: str

    def __init__(self, *, pseudonym: str, ciphertext: bytes, key_id: str) -> None:
        object.__setattr__(self, "_pseudonym", pseudonym)
        object.__setattr__(self, "_ciphertext", bytes(ciphertext))
        object.__setattr__(self, "_key_id", key_id)

    @property
    def pseudonym(self) -> str:
        return str(self._pseudonym)

    @property
    def ciphertext(self) -> bytes:
        return bytes(self._ciphertext)

    @property
    def key_id(self) -> str:
        return str(self._key_id)

    def __setattr__(self, _name: str, _value: Any) -> NoReturn:
        raise AttributeError("SealedIdentity is immutable")

    def __repr__(self) -> str:
        return f"SealedIdentity(pseudonym={self.pseudonym!r}, <sealed>)"

    __str__ = __repr__


def new_pseudonym(prefix: str = "R") -> str:
    """A random pseudonym such as ``R-7KQ2MX9A`` (40 bits; unrelated to the person)."""
    return f"{prefix}-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(8))


def key_id(public_key: PublicKey) -> str:
    """A short fingerprint naming the custodian key an identity was sealed to."""
    return hashlib.sha256(bytes(public_key)).hexdigest()[:16]


def seal(details: IdentityDetails, public_key: PublicKey, *, pseudonym: str) -> SealedIdentity:
    ciphertext = SealedBox(public_key).encrypt(details.plaintext())
    return SealedIdentity(pseudonym=pseudonym, ciphertext=ciphertext, key_id=key_id(public_key))


def unseal(sealed: SealedIdentity, private_key: PrivateKey) -> IdentityDetails:
    """Open a sealed identity with the custodian's private key."""
    if key_id(private_key.public_key) != sealed.key_id:
        raise IdentityError(
            f"{sealed.pseudonym} was sealed to custodian key {sealed.key_id}, "
            f"not to {key_id(private_key.public_key)}"
        )
    try:
        fields = json.loads(SealedBox(private_key).decrypt(sealed.ciphertext))
    except CryptoError:
        raise IdentityError(f"{sealed.pseudonym}: ciphertext does not open") from None
    return IdentityDetails(name=fields["name"], phone=fields["phone"], village=fields["village"])


# --- custodian key files -----------------------------------------------------------


@dataclass(frozen=True)
class CustodianKeyFiles:
    private_key: Path
    public_key: Path
    key_id: str


def generate_custodian_key(keys_dir: Path, *, force: bool = False) -> CustodianKeyFiles:
    """Write a new key pair: the private key readable by its owner only (0600)."""
    private_path, public_path = keys_dir / PRIVATE_KEY_FILE, keys_dir / PUBLIC_KEY_FILE
    if private_path.exists() and not force:
        raise IdentityError(f"{private_path} exists; pass --force to replace it")
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_key = PrivateKey.generate()
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(bytes(private_key).hex() + "\n")
    os.chmod(private_path, 0o600)
    public_path.write_text(bytes(private_key.public_key).hex() + "\n")
    return CustodianKeyFiles(private_path, public_path, key_id(private_key.public_key))


def load_public_key(keys_dir: Path) -> PublicKey:
    path = keys_dir / PUBLIC_KEY_FILE
    if not path.is_file():
        raise IdentityError(
            f"no custodian public key at {path}: run `truceline keys custodian generate`"
        )
    return PublicKey(_read_hex_key(path))


def load_private_key(path: Path) -> PrivateKey:
    """Read the custodian's private key, refusing a file others can read."""
    if not path.is_file():
        raise IdentityError(f"no custodian private key at {path}")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise IdentityError(f"{path} is readable by others (mode {mode:o}): run `chmod 600 {path}`")
    return PrivateKey(_read_hex_key(path))


def _read_hex_key(path: Path) -> bytes:
    try:
        raw = bytes.fromhex(path.read_text().strip())
    except ValueError:
        raise IdentityError(f"{path}: not a hex-encoded key") from None
    if len(raw) != 32:
        raise IdentityError(f"{path}: a key has 32 bytes, found {len(raw)}")
    return raw
