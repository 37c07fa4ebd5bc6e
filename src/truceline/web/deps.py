"""Request dependencies shared by every router, kept visible in route signatures.

``SessionDep`` gives a database session committed at the end of the request.
``CurrentPrincipal`` is who the request acts as: the accounts context's
authentication middleware sets ``request.state.principal``; without it the
request is anonymous (``PUBLIC``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from truceline.accounts.roles import PUBLIC, Principal
from truceline.db.engine import default_engine, session_factory


def get_session() -> Iterator[Session]:
    with session_factory(default_engine())() as session, session.begin():
        session.info["web_request"] = True  # e.g. warning notices are sent after commit
        yield session


def get_principal(request: Request) -> Principal:
    principal = getattr(request.state, "principal", None)
    return principal if isinstance(principal, Principal) else PUBLIC


#: ``scope="function"``: the session commits before the response is sent. With the default
#: (request) scope FastAPI commits after sending, so a browser following a redirect (e.g.
#: after signing in or filing a report) could ask before the new rows are visible.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
