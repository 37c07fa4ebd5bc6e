"""How the verification routes answer refusals: 409 for transitions, 404, 422 naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel

from truceline.agreements.facts import FactsInvalid
from truceline.verification.domain import TransitionRefused
from truceline.verification.schemas import RefusalOut
from truceline.verification.services import VerificationError
from truceline.verification.tasks import TaskRefused


class ConflictOut(BaseModel):
    detail: RefusalOut


class ProblemOut(BaseModel):
    detail: str


REFUSALS: dict[int | str, dict[str, Any]] = {
    404: {"model": ProblemOut, "description": "No such incident, case or task"},
    409: {"model": ConflictOut, "description": "The transition is refused in the case's state"},
    422: {"description": "Bad input; the message names the field"},
}


@contextmanager
def refusals() -> Iterator[None]:
    """Turn the workflow's refusals into HTTP answers that say what is wrong."""
    try:
        yield
    except TransitionRefused as refused:
        detail = RefusalOut(
            state=refused.state.value, attempted=refused.attempted, reason=refused.reason
        )
        raise HTTPException(409, detail=detail.model_dump()) from None
    except LookupError as missing:
        raise HTTPException(404, detail=str(missing).strip("'\"")) from None
    except (VerificationError, TaskRefused, FactsInvalid) as bad:
        raise HTTPException(422, detail=str(bad)) from None
