"""Tampering with an exported log: each change is detected and named (entry seq or checkpoint)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from support_audit import ORIGIN, append_entries, forge_signature_line
from truceline.audit.checkpoints import create_checkpoint
from truceline.audit.export import export_log
from truceline.audit.hashing import leaf_hash
from truceline.audit.keys import PrivateKey, generate_key
from truceline.audit.notes import PublicKey
from truceline.audit.verify import verify_export
from truceline.audit.witness import cosign_latest, default_state_path
from truceline.db.engine import transaction


@dataclass
class Export:
    lines: list[str]
    keys: list[PublicKey]
    witness_note: str

    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)

    def entry_index(self, seq: int) -> int:
        return next(i for i, line in enumerate(self.lines) if f'"seq":{seq},' in line)

    def checkpoint_indexes(self) -> list[int]:
        return [i for i, line in enumerate(self.lines) if '"type":"checkpoint"' in line]

    def errors(self, **kwargs: object) -> list[str]:
        report = verify_export(self.text(), self.keys, **kwargs)  # type: ignore[arg-type]
        return report.errors


@pytest.fixture
def exported(engine: Engine, log_key: PrivateKey, tmp_path: Path) -> Export:
    """A log of 31 entries with checkpoints at 11 and 31, the first cosigned by witness-AF."""
    witness = generate_key("witness-AF", "witness", path=tmp_path / "witness" / "af.key")
    append_entries(engine, 10)
    with transaction(engine) as session:
        create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)
        cosign_latest(
            session,
            witness,
            state_path=default_state_path(witness.path),
            log_keys=[log_key.public],
            origin=ORIGIN,
        )
    append_entries(engine, 19, start=10)  # + the witness key publication = 31 entries
    path = tmp_path / "audit.jsonl"
    with transaction(engine) as session:
        count = export_log(session, path, origin=ORIGIN, keys_dir=log_key.path.parent)
    assert count == 31
    state = json.loads(default_state_path(witness.path).read_text())
    return Export(path.read_text().splitlines(), [log_key.public, witness.public], state["note"])


def test_an_untouched_export_verifies_with_independently_held_keys(exported: Export) -> None:
    report = verify_export(exported.text(), exported.keys, [exported.witness_note])
    assert report.errors == []
    assert report.as_json() == {"valid": True, "entries": 31, "errors": []}
    assert report.checkpoints == 2


def test_an_untouched_export_verifies_with_its_embedded_keys(exported: Export) -> None:
    assert verify_export(exported.text()).valid


def test_changing_a_value_is_detected_at_that_entry(exported: Export) -> None:
    index = exported.entry_index(7)
    exported.lines[index] = exported.lines[index].replace("INC-6", "INC-X")
    assert exported.errors() == [
        "entry seq 7: leaf hash does not match its canonical content",
        "checkpoint #1 (size 11): root hash does not match entries 0..10",
        "checkpoint #2 (size 31): root hash does not match entries 0..30",
    ]


def test_changing_a_value_and_its_leaf_hash_breaks_the_signed_root(exported: Export) -> None:
    index = exported.entry_index(7)
    record = json.loads(exported.lines[index])
    record["canonical"] = record["canonical"].replace("liaison-af", "liaison-pk")
    record["leaf_hash"] = leaf_hash(record["canonical"].encode()).hex()
    exported.lines[index] = json.dumps(record, separators=(",", ":"))
    assert exported.errors() == [
        "checkpoint #1 (size 11): root hash does not match entries 0..10",
        "checkpoint #2 (size 31): root hash does not match entries 0..30",
    ]


def test_reordering_entries_is_detected(exported: Export) -> None:
    first, second = exported.entry_index(5), exported.entry_index(6)
    exported.lines[first], exported.lines[second] = exported.lines[second], exported.lines[first]
    errors = exported.errors()
    assert "entry seq 6 found at position 5: entries missing or out of order" in errors
    assert "entry seq 5 found at position 6: entries missing or out of order" in errors
    assert "checkpoint #1 (size 11): root hash does not match entries 0..10" in errors


def test_dropping_an_entry_is_detected(exported: Export) -> None:
    del exported.lines[exported.entry_index(20)]
    errors = exported.errors()
    assert "header announces 31 entries but the file has 30 (truncated?)" in errors
    assert "entry seq 21 found at position 20: entries missing or out of order" in errors
    assert "checkpoint #2 (size 31): covers entries the file does not have" in errors


def test_truncating_the_file_is_detected(exported: Export) -> None:
    exported.lines = exported.lines[: exported.entry_index(25)]
    errors = exported.errors()
    assert "header announces 31 entries but the file has 25 (truncated?)" in errors
    assert "header announces 2 checkpoints but the file has 0 (truncated?)" in errors
    assert "entries seq 0..24 are not covered by a signed checkpoint" in errors


def test_truncating_inside_a_line_names_the_line(exported: Export) -> None:
    last = exported.lines[-1]
    exported.lines[-1] = last[: len(last) // 2]
    assert (
        f"line {len(exported.lines)}: not a JSON object with a 'type' (file damaged or truncated)"
        in (exported.errors())
    )


def test_truncating_to_an_older_checkpoint_is_caught_by_a_kept_checkpoint(
    exported: Export,
) -> None:
    """A consistent prefix is a valid older log; only a newer kept checkpoint exposes it."""
    header = json.loads(exported.lines[0])
    header.update(entries=11, checkpoints=1)
    kept_newest = json.loads(exported.lines[exported.checkpoint_indexes()[1]])["note"]
    prefix = [json.dumps(header), *exported.lines[1 : exported.entry_index(11)]]
    exported.lines = [*prefix, exported.lines[exported.checkpoint_indexes()[0]]]
    assert exported.errors() == []
    assert exported.errors(trusted_notes=[kept_newest]) == [
        "trusted checkpoint (size 31): the export has fewer entries: the log was truncated"
    ]


def test_replacing_a_checkpoint_signature_is_detected(exported: Export) -> None:
    index = exported.checkpoint_indexes()[1]
    record = json.loads(exported.lines[index])
    body, _, signatures = record["note"].partition("\n\n")
    forged = forge_signature_line(signatures.splitlines()[0])
    record["note"] = body + "\n\n" + forged + "\n"
    exported.lines[index] = json.dumps(record)
    errors = exported.errors()
    assert errors[0].startswith("checkpoint #2 (size 31): signature by truceline.af-pk/audit")
    assert errors[0].endswith("is invalid")
    assert errors[1].startswith("checkpoint #2 (size 31): no valid signature by a trusted log key")


def test_a_checkpoint_re_signed_with_another_key_is_detected(
    exported: Export, tmp_path: Path
) -> None:
    from truceline.audit.notes import Note, parse_note, sign_note_body

    impostor = generate_key(ORIGIN, "log", directory=tmp_path / "impostor")
    index = exported.checkpoint_indexes()[0]
    note = parse_note(json.loads(exported.lines[index])["note"])
    resigned = Note(note.body, (sign_note_body(note.body, ORIGIN, impostor.signing_key),))
    exported.lines[index] = json.dumps({"type": "checkpoint", "note": resigned.text()})
    (error,) = exported.errors()
    assert error.startswith("checkpoint #1 (size 11): no valid signature by a trusted log key")


def test_a_forged_witness_cosignature_is_detected(exported: Export) -> None:
    index = exported.checkpoint_indexes()[0]
    record = json.loads(exported.lines[index])
    lines = record["note"].rstrip("\n").split("\n")
    lines[-1] = forge_signature_line(lines[-1])
    record["note"] = "\n".join(lines) + "\n"
    exported.lines[index] = json.dumps(record)
    assert exported.errors() == [
        "checkpoint #1 (size 11): cosignature by witness witness-AF is invalid"
    ]


def test_a_rewritten_history_with_fresh_signatures_fails_against_the_witness_checkpoint(
    exported: Export,
) -> None:
    """Even an operator holding the log key cannot rewrite what a witness already saw."""
    index = exported.entry_index(3)
    record = json.loads(exported.lines[index])
    record["canonical"] = record["canonical"].replace("INC-2", "INC-9")
    record["leaf_hash"] = leaf_hash(record["canonical"].encode()).hex()
    exported.lines[index] = json.dumps(record, separators=(",", ":"))
    errors = exported.errors(trusted_notes=[exported.witness_note])
    assert "trusted checkpoint (size 11): the export has a different history up to that size" in (
        errors
    )


def test_verifying_a_file_streams_it_and_reports_the_same(exported: Export, tmp_path: Path) -> None:
    del exported.lines[exported.entry_index(4)]
    path = tmp_path / "streamed.jsonl"
    path.write_text(exported.text(), encoding="utf-8")
    from_file = verify_export(path, exported.keys)
    assert from_file.errors == exported.errors()
    assert from_file.entries == 30
