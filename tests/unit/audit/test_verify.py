"""Tampering with an exported log: each change is detected and named (entry seq or checkpoint)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from support_audit import ORIGIN, append_entries, current_size, forge_signature_line
from truceline.audit.checkpoints import create_checkpoint
from truceline.audit.export import export_log
from truceline.audit.hashing import leaf_hash
from truceline.audit.keys import PrivateKey, generate_key
from truceline.audit.notes import Note, PublicKey, parse_note, sign_note_body
from truceline.audit.verify import verify_export
from truceline.audit.witness import cosign_latest, default_state_path
from truceline.db.engine import transaction


@dataclass
class Export:
    """An exported log: ``first`` is the seq of INC-0 (entries before it come from the profile
    and the key publication), ``cp1`` and ``total`` the sizes of the two checkpoints."""

    lines: list[str]
    keys: list[PublicKey]
    witness_note: str
    first: int
    cp1: int
    total: int

    def seq_of(self, incident: int) -> int:
        """Seq of the entry about INC-<incident> (the witness key publication and the state
        digest of its row follow INC-9)."""
        return self.first + incident + (2 if incident >= 10 else 0)

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
    """INC-0..INC-28 with a checkpoint after INC-9 (cosigned by witness-AF) and one at the end."""
    witness = generate_key("witness-AF", "witness", path=tmp_path / "witness" / "af.key")
    first = current_size(engine)
    append_entries(engine, 10)
    with transaction(engine) as session:
        cp1 = create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN).tree_size
        cosign_latest(
            session,
            witness,
            state_path=default_state_path(witness.path),
            log_keys=[log_key.public],
            origin=ORIGIN,
        )
    append_entries(engine, 19, start=10)  # after the witness key publication
    path = tmp_path / "audit.jsonl"
    with transaction(engine) as session:
        total = export_log(session, path, origin=ORIGIN, keys_dir=log_key.path.parent)
    # the witness key's publication is one entry, and the state digest of its row another
    assert (cp1, total) == (first + 10, first + 31)
    state = json.loads(default_state_path(witness.path).read_text())
    keys = [log_key.public, witness.public]
    return Export(path.read_text().splitlines(), keys, state["note"], first, cp1, total)


def test_an_untouched_export_verifies_with_independently_held_keys(exported: Export) -> None:
    report = verify_export(exported.text(), exported.keys, [exported.witness_note])
    assert report.errors == []
    assert report.as_json() == {"valid": True, "entries": exported.total, "errors": []}
    assert report.checkpoints == 2


def test_an_untouched_export_verifies_with_its_embedded_keys(exported: Export) -> None:
    assert verify_export(exported.text()).valid


def root_errors(exported: Export) -> list[str]:
    """What both checkpoints report once an entry before the first one has changed."""
    return [
        f"checkpoint #1 (size {exported.cp1}): root hash does not match entries 0..{exported.cp1 - 1}",
        f"checkpoint #2 (size {exported.total}): root hash does not match entries "
        f"0..{exported.total - 1}",
    ]


def test_changing_a_value_is_detected_at_that_entry(exported: Export) -> None:
    seq = exported.seq_of(6)
    index = exported.entry_index(seq)
    exported.lines[index] = exported.lines[index].replace("INC-6", "INC-X")
    assert exported.errors() == [
        f"entry seq {seq}: leaf hash does not match its canonical content",
        *root_errors(exported),
    ]


def test_changing_a_value_and_its_leaf_hash_breaks_the_signed_root(exported: Export) -> None:
    index = exported.entry_index(exported.seq_of(6))
    record = json.loads(exported.lines[index])
    record["canonical"] = record["canonical"].replace("liaison-af", "liaison-pk")
    record["leaf_hash"] = leaf_hash(record["canonical"].encode()).hex()
    exported.lines[index] = json.dumps(record, separators=(",", ":"))
    assert exported.errors() == root_errors(exported)


def test_reordering_entries_is_detected(exported: Export) -> None:
    a, b = exported.seq_of(4), exported.seq_of(5)
    first, second = exported.entry_index(a), exported.entry_index(b)
    exported.lines[first], exported.lines[second] = exported.lines[second], exported.lines[first]
    errors = exported.errors()
    assert f"entry seq {b} found at position {a}: entries missing or out of order" in errors
    assert f"entry seq {a} found at position {b}: entries missing or out of order" in errors
    assert root_errors(exported)[0] in errors


def test_dropping_an_entry_is_detected(exported: Export) -> None:
    dropped = exported.seq_of(18)
    del exported.lines[exported.entry_index(dropped)]
    errors = exported.errors()
    total = exported.total
    assert f"header announces {total} entries but the file has {total - 1} (truncated?)" in errors
    assert (
        f"entry seq {dropped + 1} found at position {dropped}: entries missing or out of order"
        in errors
    )
    assert f"checkpoint #2 (size {total}): covers entries the file does not have" in errors


def test_truncating_the_file_is_detected(exported: Export) -> None:
    kept = exported.seq_of(23)
    exported.lines = exported.lines[: exported.entry_index(kept)]
    errors = exported.errors()
    assert f"header announces {exported.total} entries but the file has {kept} (truncated?)" in (
        errors
    )
    assert "header announces 2 checkpoints but the file has 0 (truncated?)" in errors
    assert f"entries seq 0..{kept - 1} are not covered by a signed checkpoint" in errors


def test_truncating_inside_a_line_names_the_line(exported: Export) -> None:
    last = exported.lines[-1]
    exported.lines[-1] = last[: len(last) // 2]
    message = (
        f"line {len(exported.lines)}: not a JSON object with a 'type' (file damaged or truncated)"
    )
    assert message in exported.errors()


def test_truncating_to_an_older_checkpoint_is_caught_by_a_kept_checkpoint(
    exported: Export,
) -> None:
    """A consistent prefix is a valid older log; only a newer kept checkpoint exposes it."""
    header = json.loads(exported.lines[0])
    header.update(entries=exported.cp1, checkpoints=1)
    kept_newest = json.loads(exported.lines[exported.checkpoint_indexes()[1]])["note"]
    prefix = [json.dumps(header), *exported.lines[1 : exported.entry_index(exported.cp1)]]
    exported.lines = [*prefix, exported.lines[exported.checkpoint_indexes()[0]]]
    assert exported.errors() == []
    assert exported.errors(trusted_notes=[kept_newest]) == [
        f"trusted checkpoint (size {exported.total}): the export has fewer entries: "
        "the log was truncated"
    ]


def test_replacing_a_checkpoint_signature_is_detected(exported: Export) -> None:
    index = exported.checkpoint_indexes()[1]
    record = json.loads(exported.lines[index])
    body, _, signatures = record["note"].partition("\n\n")
    forged = forge_signature_line(signatures.splitlines()[0])
    record["note"] = body + "\n\n" + forged + "\n"
    exported.lines[index] = json.dumps(record)
    errors = exported.errors()
    label = f"checkpoint #2 (size {exported.total})"
    assert errors[0].startswith(f"{label}: signature by truceline.af-pk/audit")
    assert errors[0].endswith("is invalid")
    assert errors[1].startswith(f"{label}: no valid signature by a trusted log key")


def test_a_checkpoint_re_signed_with_another_key_is_detected(
    exported: Export, tmp_path: Path
) -> None:
    impostor = generate_key(ORIGIN, "log", directory=tmp_path / "impostor")
    index = exported.checkpoint_indexes()[0]
    note = parse_note(json.loads(exported.lines[index])["note"])
    resigned = Note(note.body, (sign_note_body(note.body, ORIGIN, impostor.signing_key),))
    exported.lines[index] = json.dumps({"type": "checkpoint", "note": resigned.text()})
    (error,) = exported.errors()
    assert error.startswith(
        f"checkpoint #1 (size {exported.cp1}): no valid signature by a trusted log key"
    )


def test_a_forged_witness_cosignature_is_detected(exported: Export) -> None:
    index = exported.checkpoint_indexes()[0]
    record = json.loads(exported.lines[index])
    lines = record["note"].rstrip("\n").split("\n")
    lines[-1] = forge_signature_line(lines[-1])
    record["note"] = "\n".join(lines) + "\n"
    exported.lines[index] = json.dumps(record)
    assert exported.errors() == [
        f"checkpoint #1 (size {exported.cp1}): cosignature by witness witness-AF is invalid"
    ]


def test_a_rewritten_history_with_fresh_signatures_fails_against_the_witness_checkpoint(
    exported: Export,
) -> None:
    """Even an operator holding the log key cannot rewrite what a witness already saw."""
    index = exported.entry_index(exported.seq_of(2))
    record = json.loads(exported.lines[index])
    record["canonical"] = record["canonical"].replace("INC-2", "INC-9")
    record["leaf_hash"] = leaf_hash(record["canonical"].encode()).hex()
    exported.lines[index] = json.dumps(record, separators=(",", ":"))
    errors = exported.errors(trusted_notes=[exported.witness_note])
    assert (
        f"trusted checkpoint (size {exported.cp1}): the export has a different history "
        "up to that size" in errors
    )


def test_verifying_a_file_streams_it_and_reports_the_same(exported: Export, tmp_path: Path) -> None:
    del exported.lines[exported.entry_index(exported.seq_of(3))]
    path = tmp_path / "streamed.jsonl"
    path.write_text(exported.text(), encoding="utf-8")
    from_file = verify_export(path, exported.keys)
    assert from_file.errors == exported.errors()
    assert from_file.entries == exported.total - 1
