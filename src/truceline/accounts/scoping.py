"""Turning the access policy into SQL, so lists show only what the caller may read.

A context makes its ORM model policy-aware with ``register_resource(Model,
ResourceMapping(...))``, saying which column (or SQL expression) holds each
fact the policy looks at. Then:

- ``resource_of(obj)`` describes one loaded row for ``policy.require``;
- ``visible_filter(principal, Model)`` is a WHERE clause selecting exactly the
  rows ``policy.authorize(principal, READ, ...)`` allows. It is derived by
  evaluating the policy on every combination of the mapped facts, so the SQL
  can never drift from the rules.

Each context registers the mappings of its models from a module listed in
``RESOURCE_MODULES`` (incidents and reports: ``incidents.access``), so the
policy depends on no context.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from truceline.accounts.policy import OTHER, Action, Resource, ResourceType, authorize
from truceline.accounts.roles import Principal
from truceline.accounts.workflow import TERMINAL_STATES

#: Modules that call ``register_resource`` for their models (imported on first use).
RESOURCE_MODULES: list[str] = [
    "truceline.incidents.access",
    "truceline.warning.access",
    "truceline.action_requests.access",
]

#: Incident verification states after which an incident counts as determined:
#: the terminal states of the verification state machine.
DETERMINED_STATES = frozenset(state.value for state in TERMINAL_STATES)

FACTS = ("owner_party", "owner_user", "shared", "released", "determined", "disclosed")


@dataclass(frozen=True)
class ResourceMapping:
    """Where a model keeps each fact of ``policy.Resource`` (unmapped facts are absent/False).

    ``owner_party`` and ``owner_user`` are string columns; the others are SQL
    boolean expressions. ``to_resource`` reads the same facts from a loaded row.
    """

    type: ResourceType
    to_resource: Callable[[Any], Resource]
    owner_party: Any = None
    owner_user: Any = None
    shared: Any = None
    released: Any = None
    determined: Any = None
    disclosed: Any = None


_MAPPINGS: dict[type, ResourceMapping] = {}
_loaded = False


def register_resource(model: type, mapping: ResourceMapping) -> None:
    _MAPPINGS[model] = mapping


def mapping_for(model: type) -> ResourceMapping:
    global _loaded
    if not _loaded:
        for name in RESOURCE_MODULES:
            importlib.import_module(name)
        _loaded = True
    try:
        return _MAPPINGS[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} has no access mapping: call register_resource"
        ) from None


def resource_of(obj: object) -> Resource:
    """The policy's view of a loaded row."""
    return mapping_for(type(obj)).to_resource(obj)


def visible_filter(
    principal: Principal, model: type, action: Action = Action.READ
) -> ColumnElement[bool]:
    """A WHERE clause keeping only the rows of ``model`` that ``principal`` may act on.

    Derived once per principal, model and action, then reused (a clause is immutable):
    every list request asks, and deriving it costs more than running a page's query.
    """
    return _derived_filter(principal, model, action)


@lru_cache(maxsize=4096)
def _derived_filter(principal: Principal, model: type, action: Action) -> ColumnElement[bool]:
    mapping = mapping_for(model)
    mapped = [name for name in FACTS if getattr(mapping, name) is not None]
    allowed_cases: list[ColumnElement[bool]] = []
    for values in itertools.product((True, False), repeat=len(mapped)):
        case = dict(zip(mapped, values, strict=True))
        if authorize(principal, action, _resource_for_case(principal, mapping.type, case)):
            allowed_cases.append(_case_condition(principal, mapping, case))
    if not allowed_cases:
        return false()
    if len(allowed_cases) == 2 ** len(mapped):
        return true()
    return or_(*allowed_cases)


def _resource_for_case(principal: Principal, kind: ResourceType, case: dict[str, bool]) -> Resource:
    """A resource whose facts are true/false as in ``case`` (ownership seen from ``principal``)."""
    facts: dict[str, Any] = {f.name: False for f in fields(Resource) if f.type == "bool"}
    facts.update(owner_party=OTHER, owner_user=OTHER)
    for name, value in case.items():
        if name == "owner_party":
            facts[name] = principal.party if value and principal.party else OTHER
        elif name == "owner_user":
            facts[name] = principal.name if value else OTHER
        else:
            facts[name] = value
    return Resource(kind, **facts)


def _case_condition(
    principal: Principal, mapping: ResourceMapping, case: dict[str, bool]
) -> ColumnElement[bool]:
    terms: list[ColumnElement[bool]] = []
    for name, value in case.items():
        expression = getattr(mapping, name)
        if name in ("owner_party", "owner_user"):
            own = principal.party if name == "owner_party" else principal.name
            terms.append(_owned_by(expression, own, value))
        else:
            terms.append(expression if value else ~expression)
    return and_(*terms)


def _owned_by(column: Any, owner: str | None, positive: bool) -> ColumnElement[bool]:
    """``column = owner`` or its negation, treating NULL as "not owned" (SQL NULL is unknown)."""
    if owner is None:
        return false() if positive else true()
    if positive:
        return column == owner
    return or_(column.is_(None), column != owner)
