"""In-process domain events: a context says what happened; others subscribe to it.

A context that must react to another's work (``warning`` starting a
cooling-off clock when ``intake`` stores a party's allegation) subscribes to
the event the other publishes, instead of being called by it: the publisher
then depends on nothing downstream. Events are plain frozen dataclasses
defined by the publishing context; handlers run synchronously, in the
publisher's session and transaction, so a reaction commits or rolls back
with the change that caused it (and its audit entries with it).

Subscriptions are made once at start-up (``truceline.startup.wire``, called by
the app factory, the CLI and the tests), never by the publisher importing a
subscriber.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

E = TypeVar("E")
Handler = Callable[[Session, Any], None]

_subscribers: dict[type, list[Handler]] = {}


def subscribe(event_type: type[E], handler: Callable[[Session, E], None]) -> None:
    """Call ``handler(session, event)`` for every ``event_type`` published (idempotent)."""
    handlers = _subscribers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def publish(session: Session, event: object) -> None:
    """Run every handler of the event's type, in order of subscription, in ``session``."""
    for handler in list(_subscribers.get(type(event), ())):
        handler(session, event)


def subscribers(event_type: type) -> list[Handler]:
    """The handlers subscribed to ``event_type`` (for start-up checks and tests)."""
    return list(_subscribers.get(event_type, ()))
