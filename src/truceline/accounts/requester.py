"""Who a request acts as, for the routes' dependencies.

The accounts context's authentication middleware (``accounts.middleware``) puts
the principal on ``request.state.principal``; without it the request is
anonymous (``PUBLIC``). Both the HTTP layer (``http.deps.CurrentPrincipal``) and
the policy's route dependencies (``accounts.access.Authorized``) read it through
this one function, so that overriding it (tests act as a given principal)
changes both, and the HTTP layer need not be imported by the policy.
"""

from __future__ import annotations

from starlette.requests import Request

from truceline.accounts.roles import PUBLIC, Principal


def principal_of(request: Request) -> Principal:
    principal = getattr(request.state, "principal", None)
    return principal if isinstance(principal, Principal) else PUBLIC


async def get_principal(request: Request) -> Principal:
    """The route dependency (a coroutine: FastAPI runs it without handing it to a thread)."""
    return principal_of(request)
