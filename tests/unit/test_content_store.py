from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from truceline.content_store import (
    AttachmentLimits,
    AttachmentRejected,
    ContentStore,
    sniff_media_type,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00" + b"\x00" * 60


def test_file_is_stored_under_its_sha256_once(tmp_path: Path) -> None:
    store = ContentStore(tmp_path)
    first = store.put(PNG, name="photo.png")
    second = store.put(PNG, name="same-photo.png")
    assert first == second
    assert first.sha256 == hashlib.sha256(PNG).hexdigest()
    assert (
        store.path_of(first.sha256)
        == tmp_path / first.sha256[:2] / first.sha256[2:4] / first.sha256
    )
    assert store.get(first.sha256) == PNG
    assert len(list(tmp_path.rglob("*"))) == 3  # two folder levels and one file


def test_media_type_comes_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    stored = ContentStore(tmp_path).put(PNG, name="report.pdf")
    assert stored.media_type == "image/png"
    assert sniff_media_type(PDF) == "application/pdf"
    assert sniff_media_type("شاهد: ډزې".encode()) == "text/plain"


def test_executable_disguised_as_photo_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(
        AttachmentRejected, match=r"photo\.jpg: content is application/x-msdownload"
    ):
        ContentStore(tmp_path).put(EXE, name="photo.jpg")
    assert not any(tmp_path.iterdir())


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    store = ContentStore(tmp_path, AttachmentLimits(max_bytes=32))
    with pytest.raises(AttachmentRejected, match="over the limit of 32 bytes"):
        store.put(PNG, name="big.png")


def test_altered_file_is_detected_on_read(tmp_path: Path) -> None:
    store = ContentStore(tmp_path)
    stored = store.put(PDF, name="statement.pdf")
    path = store.path_of(stored.sha256)
    path.chmod(0o644)
    path.write_bytes(PDF + b"tampered")
    with pytest.raises(ValueError, match="was altered"):
        store.get(stored.sha256)


def test_address_must_be_a_hex_digest(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a SHA-256"):
        ContentStore(tmp_path).path_of("../../etc/passwd")
