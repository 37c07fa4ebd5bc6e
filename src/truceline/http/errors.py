"""Error pages: a browser asking for a page gets HTML in its language, the API keeps JSON.

FastAPI answers every ``HTTPException`` with ``{"detail": ...}``. For a request
that is not under ``/api`` and accepts HTML, this renders ``error.html``
instead, with the same status code and headers, so that a 404 on an incident
page looks like the rest of the site. A redirect raised as an exception (a page
sending a visitor to sign in) stays a redirect for browsers too.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from truceline.http.deps import principal_of
from truceline.http.i18n import N_, resolve_ui_context
from truceline.http.rendering import render_page

ERROR_TITLES: dict[int, str] = {
    404: N_("Not found"),
    422: N_("The request has a value that is not valid"),
}
GENERIC_ERROR = N_("Something went wrong")


def wants_html(request: Request) -> bool:
    """True for a browser's page request (not the API, not a script's fetch of JSON)."""
    if request.url.path.startswith(("/api/", "/openapi.json")):
        return False
    return "text/html" in request.headers.get("accept", "")


async def html_or_json_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if 300 <= exc.status_code < 400:
        return Response(status_code=exc.status_code, headers=exc.headers)
    if not wants_html(request):
        return await http_exception_handler(request, exc)
    ui = resolve_ui_context(request)
    context = {
        "status": exc.status_code,
        "title": ERROR_TITLES.get(exc.status_code, GENERIC_ERROR),
        "detail": exc.detail if isinstance(exc.detail, str) else "",
    }
    page = render_page(
        request, ui, principal_of(request), "error.html", context, status_code=exc.status_code
    )
    page.headers.update(exc.headers or {})
    return page


def install_error_pages(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, html_or_json_error)
