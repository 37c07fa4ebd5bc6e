"""The independent verifier printed in docs/audit.md works on real exports (so the format doc is complete)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from support_audit import ORIGIN, append_entries, current_size
from truceline.audit.checkpoints import create_checkpoint
from truceline.audit.export import export_log
from truceline.audit.keys import PrivateKey, generate_key
from truceline.audit.witness import cosign_latest, default_state_path
from truceline.db.engine import transaction

DOC = Path(__file__).resolve().parents[3] / "docs" / "audit.md"


def documented_verifier(tmp_path: Path) -> Path:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(
        r"<!-- independent-verifier:start -->\n```python\n(.*?)```\n<!-- independent-verifier:end -->",
        text,
        re.S,
    )
    assert match, "docs/audit.md lost its independent verifier listing"
    path = tmp_path / "verifier.py"
    path.write_text(match.group(1), encoding="utf-8")
    return path


def run(verifier: Path, export: Path, *vkeys: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(verifier), str(export), *vkeys],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_documented_verifier_accepts_a_real_export_and_rejects_a_tampered_one(
    engine: Engine, log_key: PrivateKey, tmp_path: Path
) -> None:
    witness = generate_key("witness-PK", "witness", path=tmp_path / "w" / "pk.key")
    first = current_size(engine)
    append_entries(engine, 12)
    with transaction(engine) as session:
        create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)
        cosign_latest(
            session,
            witness,
            state_path=default_state_path(witness.path),
            log_keys=[log_key.public],
            origin=ORIGIN,
        )
    append_entries(engine, 7, start=12)
    export = tmp_path / "audit.jsonl"
    with transaction(engine) as session:
        export_log(session, export, origin=ORIGIN, keys_dir=log_key.path.parent)
    verifier = documented_verifier(tmp_path)
    vkeys = (log_key.public.vkey(), witness.public.vkey())
    accepted = run(verifier, export, *vkeys)
    assert (accepted.returncode, accepted.stdout.strip()) == (0, "valid")
    export.write_text(export.read_text().replace("INC-4", "INC-5", 1))
    rejected = run(verifier, export, *vkeys)
    assert rejected.returncode == 1
    assert f"entry seq {first + 4}: leaf hash mismatch" in rejected.stdout
