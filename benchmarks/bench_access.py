"""Cost of access control: policy decisions, SQL scoping, and the request guards.

Run: ``.venv/bin/python benchmarks/bench_access.py``. Each figure is printed next
to a baseline measured in the same run:

- ``authorize`` against a bare function call;
- building ``visible_filter`` against building a hand-written WHERE clause;
- a request through the guards (anonymous, API token, session cookie) against
  the same app without them;
- argon2id password verification (production parameters) against the SHA-256
  digest used for tokens and sessions.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from truceline.startup import wire

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = (
    "truceline.accounts.policy.authorize",
    "truceline.accounts.scoping.visible_filter",
)


def per_second(work: Callable[[], object], *, repeat: int) -> float:
    """Operations per second: the best of three runs of ``repeat`` calls."""
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeat):
            work()
        rates.append(repeat / (time.perf_counter() - start))
    return max(rates)


def mean_ms(work: Callable[[], object], *, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.mean(times) * 1000


def row(label: str, value: str, baseline_label: str, baseline: str) -> None:
    print(f"{label:44} {value:>14}   baseline {baseline_label:30} {baseline:>14}")


def bench_policy() -> None:
    from truceline.accounts.policy import Action, Resource, ResourceType, authorize
    from truceline.accounts.roles import Principal, Role

    liaison = Principal("farid", Role.PARTY_LIAISON, "AF")
    note = Resource(ResourceType.PARTY_NOTE, owner_party="PK")

    def bare() -> bool:
        return liaison.party == note.owner_party

    decided = per_second(lambda: authorize(liaison, Action.READ, note), repeat=200_000)
    baseline = per_second(bare, repeat=200_000)
    row("authorize (decisions/s)", f"{decided:,.0f}", "bare comparison (/s)", f"{baseline:,.0f}")


def bench_scoping() -> None:
    from truceline.accounts.roles import Principal, Role
    from truceline.accounts.scoping import visible_filter
    from truceline.incidents.models import Report

    liaison = Principal("farid", Role.PARTY_LIAISON, "AF")
    derived = per_second(lambda: visible_filter(liaison, Report), repeat=5_000)
    written = per_second(lambda: Report.source_party == "AF", repeat=5_000)
    row(
        "visible_filter(Report) built (/s)",
        f"{derived:,.0f}",
        "hand-written clause (/s)",
        f"{written:,.0f}",
    )


def bench_requests(workdir: Path) -> None:
    os.environ["TRUCELINE_DATA_DIR"] = str(workdir)
    os.environ.pop("TRUCELINE_DATABASE_URL", None)
    from truceline import app as web_app
    from truceline.accounts import services
    from truceline.accounts.credentials import issue_token
    from truceline.audit.actor import SYSTEM
    from truceline.config import get_settings
    from truceline.db.engine import default_engine, transaction
    from truceline.profile import initialise

    get_settings.cache_clear()
    initialise(default_engine())
    with transaction() as session:
        user = services.create_user(
            session,
            name="farid",
            role="party_liaison",
            party="AF",
            password="a long enough password",
            actor=SYSTEM,
        )
        _, secret = issue_token(
            session, settings=get_settings(), user=user, scopes=["incidents:read"], actor=SYSTEM
        )
    guarded = TestClient(web_app.create_app())
    cookie_client = TestClient(web_app.create_app())
    cookie_client.post(
        "/api/auth/login", json={"name": "farid", "password": "a long enough password"}
    )
    original = web_app.install_access_guards
    web_app.install_access_guards = lambda app: None  # type: ignore[assignment]
    bare = TestClient(web_app.create_app())
    web_app.install_access_guards = original

    baseline = mean_ms(lambda: bare.get("/health"), repeat=300)
    anonymous = mean_ms(lambda: guarded.get("/health"), repeat=300)
    token = mean_ms(
        lambda: guarded.get("/health", headers={"Authorization": f"Bearer {secret}"}), repeat=300
    )
    session = mean_ms(lambda: cookie_client.get("/health"), repeat=300)
    row(
        "GET /health, guards, anonymous (ms)",
        f"{anonymous:.3f}",
        "no guards (ms)",
        f"{baseline:.3f}",
    )
    row("GET /health, guards, API token (ms)", f"{token:.3f}", "no guards (ms)", f"{baseline:.3f}")
    row(
        "GET /health, guards, session cookie (ms)",
        f"{session:.3f}",
        "no guards (ms)",
        f"{baseline:.3f}",
    )


def bench_hashing() -> None:
    hasher = PasswordHasher()
    stored = hasher.hash("a long enough password")
    verify = mean_ms(lambda: hasher.verify(stored, "a long enough password"), repeat=10)
    digest = mean_ms(lambda: hashlib.sha256(b"tl_" + b"x" * 43).hexdigest(), repeat=10_000)
    row(
        "argon2id verify, default parameters (ms)",
        f"{verify:.1f}",
        "SHA-256 token digest (ms)",
        f"{digest:.4f}",
    )


def main() -> None:
    print(f"python {sys.version.split()[0]}")
    bench_policy()
    bench_scoping()
    with tempfile.TemporaryDirectory() as workdir:
        bench_requests(Path(workdir))
    bench_hashing()


if __name__ == "__main__":
    wire()  # the audit capture and event subscriptions, as the app and CLI do
    main()
