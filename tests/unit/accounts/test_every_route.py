"""Every route of the OpenAPI document, as every role and party, on real records of both parties.

The permission table (``test_policy.py``) says what the policy decides; this test
checks that the routes obey it. The operations are read from ``app.openapi()``
(never listed by hand), each mapped in ``route_table.ROUTES`` to the record it
acts on; the database holds real records of both parties (``route_world``). For
each operation, record and principal (by API token, and for both liaisons by
web session with its CSRF token too) it fails when:

- the route answers 2xx where the policy refuses that principal on that record
  (writes are sent only by refused principals, so nothing is changed by right);
- any 2xx body (a list included) contains a secret of a record the policy
  refuses that principal, such as the other party's allegation or evidence;
- the route answers 5xx.

A new route without an entry in ``ROUTES`` fails
``test_every_route_of_the_openapi_document_is_mapped``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.accounts.policy import Action, Resource, ResourceType, authorize, could_ever
from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.app import create_app

from .conftest import ACCOUNTS, Account, bearer, sign_in, token_for
from .identity_scan import route_templates
from .route_table import ROUTES, Open, Outside, Rec, Spec
from .route_world import Record, World, seed_world

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Caller:
    label: str
    principal: Principal
    client: TestClient
    headers: dict[str, str]  # the API token, or a session's CSRF token


def operations(app: FastAPI) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the app's OpenAPI document."""
    return [
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method in METHODS
    ]


def fill(path: str, params: dict[str, str]) -> str:
    """The path with its parameters filled; a parameter without a value fails loudly."""
    url = re.sub(r"{(\w+)}", lambda m: params.get(m.group(1), m.group(0)), path)
    missing = re.findall(r"{(\w+)}", url)
    if missing:
        raise LookupError(f"{path}: no fixture value for {missing} (see route_table.ROUTES)")
    return url


def targets(spec: Spec, path: str, world: World) -> list[tuple[str, Record | None]]:
    if isinstance(spec, Rec):
        return [(fill(path, record.params), record) for record in world.records[spec.kind]]
    return [(fill(path, spec.params), None)]


def allowed(spec: Spec, principal: Principal, record: Record | None) -> bool | None:
    """What the policy says for this principal (None: no record policy governs the route)."""
    if isinstance(spec, Open | Outside):
        return None
    decisions = []
    for action, kind in spec.needs:
        if isinstance(spec, Rec):
            assert record is not None
            decisions.append(authorize(principal, action, record.resource(kind, principal)))
        elif spec.facts is not None:
            decisions.append(authorize(principal, action, Resource(kind, **spec.facts)))
        else:
            decisions.append(could_ever(principal, action, kind))
    return all(decision.allowed for decision in decisions)


def body_of(spec: Spec, world: World) -> Any:
    body = getattr(spec, "body", None)
    return body(world) if callable(body) else body


def send(caller: Caller, method: str, url: str, spec: Spec, world: World) -> Any:
    query = getattr(spec, "query", {})
    form = getattr(spec, "form", None)
    if form is not None:
        files = getattr(spec, "files", None)
        return caller.client.request(
            method, url, params=query, data=form, files=files, headers=caller.headers
        )
    body = body_of(spec, world)
    return caller.client.request(method, url, params=query, json=body, headers=caller.headers)


def principal_of(account: Account) -> Principal:
    return Principal(account.name, Role(account.role), account.party, account.custodian)


def callers(engine: Engine, app: FastAPI) -> Iterator[Caller]:
    client = TestClient(app, base_url="https://testserver")
    yield Caller("public", PUBLIC, client, {})
    for key, account in ACCOUNTS.items():
        token = bearer(token_for(engine, account.name))
        yield Caller(f"{key} (token)", principal_of(account), client, token)
    for key in ("liaison_af", "liaison_pk"):
        browser = TestClient(app, base_url="https://testserver")
        csrf = {"X-CSRF-Token": sign_in(browser, ACCOUNTS[key].name)}
        yield Caller(f"{key} (session)", principal_of(ACCOUNTS[key]), browser, csrf)


def leaked_secrets(text: str, principal: Principal, world: World) -> list[str]:
    return [
        secret
        for secret, resource in world.secrets.items()
        if secret in text and not authorize(principal, Action.READ, resource).allowed
    ]


def check_route(
    method: str,
    path: str,
    spec: Spec,
    world: World,
    everyone: list[Caller],
    shown: set[str] | None = None,
) -> Iterator[str]:
    """Every violation of the policy by one operation, as a sentence."""
    for url, record in targets(spec, path, world):
        for caller in everyone:
            verdict = allowed(spec, caller.principal, record)
            if method != "GET" and verdict is not False:
                continue  # writes only by those the policy refuses: nothing changes by right
            response = send(caller, method, url, spec, world)
            where = f"{method} {url} as {caller.label}"
            if response.status_code >= 500:
                yield f"{where}: server error {response.status_code}"
            if not 200 <= response.status_code < 300:
                continue
            if verdict is False:
                yield f"{where}: answered {response.status_code} but the policy refuses"
            text = response.content.decode("utf-8", "replace")
            if shown is not None:
                shown |= {secret for secret in world.secrets if secret in text}
            for secret in leaked_secrets(text, caller.principal, world):
                yield f"{where}: the body reveals {secret}, which the policy refuses"


def check_app(app: FastAPI, engine: Engine, world: World, shown: set[str]) -> list[str]:
    everyone = list(callers(engine, app))
    found = operations(app)
    ordered = [op for op in found if op[0] == "GET"] + [op for op in found if op[0] != "GET"]
    return [
        violation
        for method, path in ordered
        for violation in check_route(
            method, path, ROUTES[f"{method} {path}"], world, everyone, shown
        )
    ]


@pytest.fixture
def world(engine: Engine, accounts: dict[str, Account]) -> World:
    return seed_world(engine)


def test_every_route_of_the_openapi_document_is_mapped() -> None:
    documented = {f"{method} {path}" for method, path in operations(create_app())}
    assert sorted(documented - set(ROUTES)) == [], "map these routes in route_table.ROUTES"
    assert sorted(set(ROUTES) - documented) == [], "these mapped routes no longer exist"


def test_no_route_answers_a_principal_the_policy_refuses(engine: Engine, world: World) -> None:
    shown: set[str] = set()
    violations = check_app(create_app(), engine, world, shown)
    assert violations == [], "\n".join(violations)
    # every secret reached someone the policy allows, so the scan was not vacuous
    assert shown == set(world.secrets)


def test_the_route_check_catches_a_route_that_ignores_the_policy(
    engine: Engine, world: World
) -> None:
    app = create_app()

    @app.get("/api/careless/reports/{report_id}")
    def careless(report_id: int) -> dict[str, str]:
        return {"text": "SECRET-REPORT-PK"}

    spec = Rec("report", ((Action.READ, ResourceType.REPORT),))
    everyone = list(callers(engine, app))
    found = list(check_route("GET", "/api/careless/reports/{report_id}", spec, world, everyone))
    assert any("liaison_af (token): answered 200 but the policy refuses" in v for v in found)
    assert any("liaison_af (session)" in v and "reveals SECRET-REPORT-PK" in v for v in found)
    assert not any("liaison_pk" in v and "reveals" in v for v in found)


def test_a_route_without_a_fixture_for_its_parameters_fails_loudly() -> None:
    with pytest.raises(LookupError, match="no fixture value for \\['case_id'\\]"):
        fill("/api/new/{case_id}", {})


#: How to fill the parameters of the web pages (not in the OpenAPI document).
PAGE_PARAMS: dict[str, tuple[str, str]] = {
    "code": ("incident", "incident_ref"),
    "report_id": ("report", "report_id"),
    "committee_code": ("committee", "code"),
    "request_code": ("request", "request_code"),
}
PAGE_FIXED = {"agreement_id": "doha-2025-10-19"}


def page_urls(app: FastAPI, world: World) -> list[str]:
    """Every GET page outside the OpenAPI document, once per seeded record it can show."""
    documented = set(app.openapi()["paths"])
    import fastapi.routing

    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    routes = list(iterate(app.routes)) if iterate else list(app.routes)
    form_addresses = {
        getattr(route, "path", None)
        for route in routes
        if "POST" in (getattr(route, "methods", None) or ())
    }
    urls = []
    for path in route_templates(app):
        if path in documented or path == "/openapi.json":
            continue
        names = re.findall(r"{(\w+)}", path)
        if not names:
            urls.append(path)
            continue
        if len(names) > 1 or path in form_addresses:
            continue  # a form's address: a GET only redirects to its page (test_form_addresses)
        (name,) = names  # pages take at most one parameter
        if name in PAGE_FIXED:
            urls.append(fill(path, PAGE_FIXED))
            continue
        if name not in PAGE_PARAMS:
            raise LookupError(f"{path}: no fixture for {name!r} (see PAGE_PARAMS)")
        kind, key = PAGE_PARAMS[name]
        urls += [fill(path, {name: r.params[key]}) for r in world.records[kind]]
    return urls


def test_no_page_reveals_a_record_the_policy_refuses(engine: Engine, world: World) -> None:
    app = create_app()
    violations, shown = [], set()
    urls = page_urls(app, world)
    assert any(url.startswith("/triage/reports/") for url in urls)
    for caller in callers(engine, app):
        for url in urls:
            response = caller.client.get(url, headers=caller.headers)
            if response.status_code >= 500:
                violations.append(f"GET {url} as {caller.label}: {response.status_code}")
            elif response.status_code < 300:
                shown |= {secret for secret in world.secrets if secret in response.text}
                leaked = leaked_secrets(response.text, caller.principal, world)
                violations += [f"GET {url} as {caller.label}: reveals {s}" for s in leaked]
    assert violations == [], "\n".join(violations)
    # the pages did show these records to those allowed, so the scan was not vacuous
    assert {"SECRET-INCIDENT-TITLE", "SECRET-REPORT-AF", "SECRET-REPORT-PK"} <= shown
