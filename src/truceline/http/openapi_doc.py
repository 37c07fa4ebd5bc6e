"""An OpenAPI document that tells clients the truth about error responses.

FastAPI documents the success response and, for operations with parameters, a
422 whose ``detail`` is a list of validation errors. The API answers more than
that: every operation can be refused by the access policy (401 without
credentials that count, 403 for a principal the policy refuses), names a record
that may not exist (404), and the domain's own checks answer 422 with ``detail``
as a sentence or ``{"field": ..., "message": ...}``. A fuzzer or a generated
client reading the document would otherwise treat each of these as a surprise.

``install_openapi_errors`` post-processes the generated document once:

- every ``/api`` operation declares 401, 403, 404 and 422, all with the
  ``ErrorResponse`` schema (``detail`` a string, a list or an object);
- operations that change state (POST, PUT, PATCH, DELETE) also declare 400
  (a body that cannot be parsed) and 409 (the record's state forbids the change);
- operations under a rate-limited prefix also declare 429.

``GEOJSON_RESPONSES`` is for routes that answer ``application/geo+json``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from truceline.config import get_settings

GEOJSON = "application/geo+json"
#: ``responses=`` for a route whose success body is GeoJSON rather than plain JSON.
GEOJSON_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "GeoJSON",
        "content": {GEOJSON: {"schema": {"type": "object"}}},
    }
}

ERROR_SCHEMA_NAME = "ErrorResponse"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
ERROR_SCHEMA: dict[str, Any] = {
    "title": ERROR_SCHEMA_NAME,
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "title": "Detail",
            "description": "What is wrong: a sentence, {field, message}, or a list of "
            "validation errors each naming its location (loc).",
            "anyOf": [
                {"type": "string"},
                {"type": "object"},
                {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
            ],
        }
    },
}

ALWAYS: dict[str, str] = {
    "401": "Credentials are missing, expired or revoked where the operation needs them",
    "403": "The access policy refuses this principal (role, party, scope or CSRF token)",
    "404": "A record named in the request does not exist (or is not visible to the caller)",
    "422": "A value is not valid; the detail names the field",
}
WRITES: dict[str, str] = {
    "400": "The request body cannot be parsed",
    "409": "The record's current state does not allow this change",
}
RATE_LIMITED: dict[str, str] = {"429": "Too many requests: retry after the Retry-After delay"}
UNSAFE = frozenset({"post", "put", "patch", "delete"})


def declare_error_responses(document: dict[str, Any], rate_limited: tuple[str, ...]) -> None:
    """Add the error responses each ``/api`` operation can give (see the module docstring)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    schemas.setdefault("ValidationError", _validation_error_schema())
    for path, operations in document.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            statuses = dict(ALWAYS)
            if method in UNSAFE:
                statuses |= WRITES
                if path.startswith(rate_limited):
                    statuses |= RATE_LIMITED
            _declare(operation["responses"], statuses)


def _declare(responses: dict[str, Any], statuses: dict[str, str]) -> None:
    """Declare each status with the error schema, keeping a route's own description."""
    for code, description in statuses.items():
        existing = responses.get(code) or {}
        responses[code] = {
            "description": existing.get("description") or description,
            "content": {"application/json": {"schema": ERROR_REF}},
        }


def _validation_error_schema() -> dict[str, Any]:
    return {
        "title": "ValidationError",
        "type": "object",
        "required": ["loc", "msg", "type"],
        "properties": {
            "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            "msg": {"type": "string"},
            "type": {"type": "string"},
        },
    }


def install_openapi_errors(app: FastAPI) -> None:
    """Wrap ``app.openapi`` so the cached document carries the declared error responses."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        prefixes = tuple(get_settings().intake_path_prefixes) + ("/api/auth/login",)
        declare_error_responses(document, prefixes)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
