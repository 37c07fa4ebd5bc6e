"""Write requests run a few at a time per worker, first come first served; reads pass by."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest
from pydantic import ValidationError
from starlette.types import Message, Receive, Scope, Send

from truceline.config import Settings
from truceline.http.admission import WriteAdmissionMiddleware

T = TypeVar("T")


class HeldApp:
    """An app whose write requests wait until released; it records who ran and when."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.started: list[str] = []
        self.bodies: dict[str, bytes] = {}
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = scope["path"]
        self.started.append(name)
        message = await receive()
        self.bodies[name] = message.get("body", b"")
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            if scope["method"] != "GET":
                await self.release.wait()
        finally:
            self.running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _request(method: str, path: str, body: bytes = b"") -> tuple[Scope, Receive, Send]:
    scope: Scope = {"type": "http", "method": method, "path": path, "headers": []}
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    return scope, receive, send


def _run(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run`` in a thread of its own: the browser tests keep an event loop running in
    the test process's main thread when they share it, and asyncio.run refuses to nest."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(asyncio.run(scenario()))
        except BaseException as error:  # noqa: BLE001 (raised again below)
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def test_at_most_the_configured_writes_run_at_once_and_the_rest_in_arrival_order() -> None:
    async def scenario() -> tuple[HeldApp, list[str]]:
        app = HeldApp()
        gated = WriteAdmissionMiddleware(app, turns=3)
        writes = []
        for n in range(10):
            writes.append(asyncio.create_task(gated(*_request("POST", f"/w{n}", b"x" * n))))
            await asyncio.sleep(0)  # arrivals one after another
        await _settle()
        admitted_first = list(app.started)
        app.release.set()
        await asyncio.gather(*writes)
        return app, admitted_first

    app, admitted_first = _run(scenario)
    assert admitted_first == ["/w0", "/w1", "/w2"]
    assert app.most == 3
    assert app.started == [f"/w{n}" for n in range(10)]  # first come, first served
    assert app.bodies == {f"/w{n}": b"x" * n for n in range(10)}  # each body reached the app


def test_a_read_passes_while_every_write_turn_is_taken() -> None:
    async def scenario() -> list[str]:
        app = HeldApp()
        gated = WriteAdmissionMiddleware(app, turns=1)
        write = asyncio.create_task(gated(*_request("POST", "/write")))
        waiting = asyncio.create_task(gated(*_request("DELETE", "/waiting")))
        await _settle()
        await asyncio.wait_for(gated(*_request("GET", "/read")), timeout=5)
        done = list(app.started)
        app.release.set()
        await asyncio.gather(write, waiting)
        return done

    assert _run(scenario) == ["/write", "/read"]


def test_a_write_whose_body_is_still_arriving_holds_no_turn() -> None:
    async def scenario() -> list[str]:
        app = HeldApp()
        app.release.set()
        gated = WriteAdmissionMiddleware(app, turns=1)
        more = asyncio.Event()
        scope, _, send = _request("POST", "/slow")
        parts: list[Message] = [
            {"type": "http.request", "body": b"half", "more_body": True},
            {"type": "http.request", "body": b"-rest", "more_body": False},
        ]

        async def trickling() -> Message:
            if len(parts) == 1:
                await more.wait()
            return parts.pop(0)

        slow = asyncio.create_task(gated(scope, trickling, send))
        await _settle()
        await asyncio.wait_for(gated(*_request("POST", "/quick")), timeout=5)
        more.set()
        await slow
        assert app.bodies["/slow"] == b"half-rest"
        return app.started

    assert _run(scenario) == ["/quick", "/slow"]


def test_the_number_of_turns_is_checked_when_the_settings_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRUCELINE_CONCURRENT_WRITES", "0")
    with pytest.raises(ValidationError, match="concurrent_writes"):
        Settings()
    with pytest.raises(ValueError, match="at least 1"):
        WriteAdmissionMiddleware(HeldApp(), turns=0)


def test_the_app_lets_writes_in_a_few_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from truceline.app import create_app
    from truceline.config import get_settings

    monkeypatch.setenv("TRUCELINE_CONCURRENT_WRITES", "2")
    get_settings.cache_clear()
    app: Any = create_app()
    layers = []
    layer = app.build_middleware_stack()
    while layer is not None:
        layers.append(layer)
        layer = getattr(layer, "app", None)
    admission = [item for item in layers if isinstance(item, WriteAdmissionMiddleware)]
    names = [type(item).__name__ for item in layers]
    assert len(admission) == 1 and admission[0].turns == 2
    # inside the body size limit, outside the guards that read the database
    assert names.index("BodySizeLimitMiddleware") < names.index("WriteAdmissionMiddleware")
    assert names.index("WriteAdmissionMiddleware") < names.index("AuthenticationMiddleware")
