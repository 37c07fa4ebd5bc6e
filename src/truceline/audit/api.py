"""HTTP routes of the audit log: published keys, signed checkpoints, proofs.

Everything here except signing a checkpoint is public: proofs and checkpoints
reveal hashes only, and a witness or a party must be able to fetch them
without an account. Cosignatures are accepted from anyone because they are
checked against the witness keys an operator registered. On start-up the router checks that every private key file
in the keys directory is readable by its owner only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Path, Query, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, Resource, ResourceType
from truceline.audit.browse import checkpoint_detail, entry_json, recent_entries
from truceline.audit.checkpoints import (
    all_checkpoints,
    checkpoint_summary,
    create_checkpoint,
    full_note,
    latest_checkpoint,
    prove_consistency,
    prove_inclusion,
)
from truceline.audit.keys import KeyFileError, check_key_directory, keys_document
from truceline.audit.models import AuditCheckpoint
from truceline.audit.notes import NoteError
from truceline.audit.tree import TreeError
from truceline.audit.witness import WitnessError, accept_cosignature
from truceline.config import get_settings
from truceline.db.bounds import INT64_MAX, RecordId
from truceline.http.deps import CurrentPrincipal, Public, SessionDep

AUDIT = Resource(ResourceType.AUDIT_LOG)


@asynccontextmanager
async def _check_keys_on_startup(_app: FastAPI) -> AsyncIterator[None]:
    check_key_directory(get_settings().resolved_keys_dir)
    yield


router = APIRouter(prefix="/api/audit", tags=["audit"], lifespan=_check_keys_on_startup)


@router.get("/keys")
def published_keys(_: Public, session: SessionDep) -> dict[str, Any]:
    """The log's and the witnesses' public keys with their validity windows."""
    return keys_document(session, get_settings().checkpoint_origin)


@router.get("/checkpoints")
def list_checkpoints(_: Public, session: SessionDep) -> list[dict[str, Any]]:
    return [checkpoint_summary(session, row) for row in all_checkpoints(session)]


@router.get("/checkpoints/latest")
def newest_checkpoint(_: Public, session: SessionDep) -> dict[str, Any]:
    row = latest_checkpoint(session)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no checkpoint has been signed yet")
    return checkpoint_summary(session, row)


@router.get("/checkpoint", response_class=PlainTextResponse)
def newest_checkpoint_note(_: Public, session: SessionDep) -> str:
    """The latest signed note as plain text (C2SP checkpoint with cosignatures)."""
    row = latest_checkpoint(session)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no checkpoint has been signed yet")
    return full_note(session, row)


@router.post("/checkpoints", status_code=status.HTTP_201_CREATED)
def sign_checkpoint(
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.AUDIT_LOG)],
) -> dict[str, Any]:
    """Sign a checkpoint now (administrators and mediators, as the policy says)."""
    access.require(AUDIT)
    settings = get_settings()
    try:
        row = create_checkpoint(
            session, keys_dir=settings.resolved_keys_dir, origin=settings.checkpoint_origin
        )
    except (KeyFileError, TreeError) as exc:  # no key, or stray entries in the log
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return checkpoint_summary(session, row)


@router.get("/checkpoints/{checkpoint_id}")
def one_checkpoint(
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.VERIFY, ResourceType.AUDIT_LOG)],
    checkpoint_id: int = Path(ge=1, le=2**62),
) -> dict[str, Any]:
    """One checkpoint: its signed note and each witness's cosignature."""
    access.require(AUDIT)
    return checkpoint_detail(session, _checkpoint(session, checkpoint_id))


@router.get("/checkpoints/{checkpoint_id}/witness")
def checkpoint_for_witness(
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.VERIFY, ResourceType.AUDIT_LOG)],
    checkpoint_id: int = Path(ge=1, le=2**62),
    old_size: int = Query(0, ge=0, le=2**62, description="The tree size the witness last cosigned"),
) -> dict[str, Any]:
    """What a witness needs in one request: the checkpoint and the proof that its tree
    extends the one the witness last cosigned (``old_size``); then it posts a cosignature."""
    access.require(AUDIT)
    checkpoint = _checkpoint(session, checkpoint_id)
    if old_size > checkpoint.tree_size:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"old_size: {old_size} is larger than this checkpoint's tree ({checkpoint.tree_size})",
        )
    proof = prove_consistency(session, old_size, checkpoint.tree_size)
    return {
        **checkpoint_detail(session, checkpoint),
        "consistency": proof.as_json(),
        "cosign_at": f"/api/audit/checkpoints/{checkpoint.id}/cosignatures",
    }


@router.get("/entries")
def read_entries(
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.AUDIT_LOG)],
    before: int | None = Query(None, ge=0, le=2**62, description="Entries before this sequence"),
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    """The newest audit entries (signed-in participants), newest first, with hashes only."""
    access.require(AUDIT)
    rows = recent_entries(session, before=before, limit=limit)
    return {"items": [entry_json(e) for e in rows], "next": rows[-1].seq if rows else None}


def _checkpoint(session: SessionDep, checkpoint_id: int) -> AuditCheckpoint:
    row = session.get(AuditCheckpoint, checkpoint_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no checkpoint {checkpoint_id}")
    return row


class CosignatureIn(BaseModel):
    """A witness's cosignature line: ``— <witness name> <base64(key id || time || signature)>``."""

    signature_line: str = Field(max_length=400)


@router.post("/checkpoints/{checkpoint_id}/cosignatures", status_code=status.HTTP_201_CREATED)
def submit_cosignature(
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.VERIFY, ResourceType.AUDIT_LOG)],
    checkpoint_id: RecordId,
    body: CosignatureIn,
) -> dict[str, Any]:
    """Accept a cosignature that verifies under a registered witness key (no account needed:
    the policy lets anyone witness; the witness's key is its credential)."""
    access.require(AUDIT)
    try:
        accept_cosignature(session, checkpoint_id, body.signature_line)
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    except (WitnessError, NoteError) as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    return {"checkpoint_id": checkpoint_id, "accepted": True}


@router.get("/proofs/inclusion")
def inclusion(
    _: Public,
    session: SessionDep,
    seq: int = Query(ge=0, le=INT64_MAX),
    tree_size: int | None = Query(None, ge=1, le=INT64_MAX),
) -> dict[str, Any]:
    """Proof that entry ``seq`` is in the tree of ``tree_size`` (default: latest checkpoint)."""
    try:
        return prove_inclusion(session, seq, tree_size).as_json()
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc


@router.get("/proofs/consistency")
def consistency(
    _: Public,
    session: SessionDep,
    old_size: int = Query(ge=0, le=INT64_MAX),
    new_size: int | None = Query(None, ge=0, le=INT64_MAX),
) -> dict[str, Any]:
    """Proof that the tree of ``new_size`` (default: latest checkpoint) extends ``old_size``."""
    try:
        return prove_consistency(session, old_size, new_size).as_json()
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
