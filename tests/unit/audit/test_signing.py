from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from support_audit import forge_signature_line
from truceline.audit.keys import PrivateKey, generate_key
from truceline.audit.notes import PublicKey
from truceline.audit.signing import sign_document, verify_document
from truceline.db.base import utcnow

FINDINGS = b'{"incident": "INC-2025-10-12-SPB", "finding": "violation by the party in control"}\n'


def test_a_signed_export_verifies_offline_with_the_public_key(tmp_path: Path) -> None:
    key = generate_key("truceline.af-pk/audit", "log", directory=tmp_path)
    signature = sign_document(FINDINGS, [key])
    assert signature.startswith("truceline-signature/v1\nsha256 ")
    check = verify_document(FINDINGS, signature, [key.public])
    assert check.valid and check.errors == []
    assert check.signed_by == [f"{key.name}+{key.public.note_key_id.hex()}"]


def test_a_changed_document_fails_the_check(tmp_path: Path) -> None:
    key = generate_key("truceline.af-pk/audit", "log", directory=tmp_path)
    signature = sign_document(FINDINGS, [key])
    check = verify_document(
        FINDINGS.replace(b"violation", b"no violation"), signature, [key.public]
    )
    assert not check.valid
    assert "was changed" in check.errors[0]


def test_a_signature_by_an_unknown_key_is_refused(tmp_path: Path) -> None:
    signer = generate_key("truceline.af-pk/audit", "log", directory=tmp_path / "a")
    other = generate_key("truceline.af-pk/audit", "log", directory=tmp_path / "b")
    check = verify_document(FINDINGS, sign_document(FINDINGS, [signer]), [other.public])
    assert not check.valid
    assert check.errors == ["no valid signature by any of the given public keys"]


def test_forged_signature_bytes_are_reported_as_invalid(tmp_path: Path) -> None:
    key = generate_key("truceline.af-pk/audit", "log", directory=tmp_path)
    signature = sign_document(FINDINGS, [key])
    body, _, line = signature.rpartition("\n\n")
    forged = body + "\n\n" + forge_signature_line(line.rstrip("\n")) + "\n"
    check = verify_document(FINDINGS, forged, [key.public])
    assert not check.valid
    assert any("is invalid" in error for error in check.errors)


def test_a_key_outside_its_validity_window_is_not_accepted(tmp_path: Path) -> None:
    key = generate_key("truceline.af-pk/audit", "log", directory=tmp_path)
    signature = sign_document(FINDINGS, [key])
    expired = PublicKey(
        key.name,
        key.public.public_key,
        not_before=int((utcnow() - timedelta(days=30)).timestamp()),
        not_after=int((utcnow() - timedelta(days=1)).timestamp()),
    )
    check = verify_document(FINDINGS, signature, [expired])
    assert not check.valid
    assert any("was not valid then" in error for error in check.errors)


def test_a_malformed_signature_file_is_reported(tmp_path: Path) -> None:
    key: PrivateKey = generate_key("truceline.af-pk/audit", "log", directory=tmp_path)
    check = verify_document(FINDINGS, "not a signature\n", [key.public])
    assert not check.valid and check.errors[0].startswith("signature file:")
