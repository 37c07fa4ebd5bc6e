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
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from truceline.accounts.roles import Role
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
from truceline.audit.notes import NoteError
from truceline.audit.tree import TreeError
from truceline.audit.witness import WitnessError, accept_cosignature
from truceline.config import get_settings
from truceline.db.bounds import INT64_MAX, RecordId
from truceline.web.deps import CurrentPrincipal, SessionDep

SIGNERS = frozenset({Role.ADMIN, Role.MEDIATOR})


@asynccontextmanager
async def _check_keys_on_startup(_app: FastAPI) -> AsyncIterator[None]:
    check_key_directory(get_settings().resolved_keys_dir)
    yield


router = APIRouter(prefix="/api/audit", tags=["audit"], lifespan=_check_keys_on_startup)


@router.get("/keys")
def published_keys(session: SessionDep) -> dict[str, Any]:
    """The log's and the witnesses' public keys with their validity windows."""
    return keys_document(session, get_settings().checkpoint_origin)


@router.get("/checkpoints")
def list_checkpoints(session: SessionDep) -> list[dict[str, Any]]:
    return [checkpoint_summary(session, row) for row in all_checkpoints(session)]


@router.get("/checkpoints/latest")
def newest_checkpoint(session: SessionDep) -> dict[str, Any]:
    row = latest_checkpoint(session)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no checkpoint has been signed yet")
    return checkpoint_summary(session, row)


@router.get("/checkpoint", response_class=PlainTextResponse)
def newest_checkpoint_note(session: SessionDep) -> str:
    """The latest signed note as plain text (C2SP checkpoint with cosignatures)."""
    row = latest_checkpoint(session)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no checkpoint has been signed yet")
    return full_note(session, row)


@router.post("/checkpoints", status_code=status.HTTP_201_CREATED)
def sign_checkpoint(session: SessionDep, principal: CurrentPrincipal) -> dict[str, Any]:
    """Sign a checkpoint now (administrators and mediators)."""
    if principal.role not in SIGNERS:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only an administrator or mediator signs")
    settings = get_settings()
    try:
        row = create_checkpoint(
            session, keys_dir=settings.resolved_keys_dir, origin=settings.checkpoint_origin
        )
    except (KeyFileError, TreeError) as exc:  # no key, or stray entries in the log
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return checkpoint_summary(session, row)


class CosignatureIn(BaseModel):
    """A witness's cosignature line: ``— <witness name> <base64(key id || time || signature)>``."""

    signature_line: str = Field(max_length=400)


@router.post("/checkpoints/{checkpoint_id}/cosignatures", status_code=status.HTTP_201_CREATED)
def submit_cosignature(
    session: SessionDep, checkpoint_id: RecordId, body: CosignatureIn
) -> dict[str, Any]:
    """Accept a cosignature that verifies under a registered witness key (no account needed)."""
    try:
        accept_cosignature(session, checkpoint_id, body.signature_line)
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    except (WitnessError, NoteError) as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    return {"checkpoint_id": checkpoint_id, "accepted": True}


@router.get("/proofs/inclusion")
def inclusion(
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
    session: SessionDep,
    old_size: int = Query(ge=0, le=INT64_MAX),
    new_size: int | None = Query(None, ge=0, le=INT64_MAX),
) -> dict[str, Any]:
    """Proof that the tree of ``new_size`` (default: latest checkpoint) extends ``old_size``."""
    try:
        return prove_consistency(session, old_size, new_size).as_json()
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
