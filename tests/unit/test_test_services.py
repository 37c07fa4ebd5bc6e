"""scripts/test-services.sh: apt's output stays out of the test log, and `make stop` stops
the PostgreSQL cluster that `make test` started."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "test-services.sh"
PGBIN = Path("/usr/lib/postgresql/15/bin")


def test_a_failed_apt_install_names_its_log_and_keeps_apt_output_out(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("installing packages needs root; the script says so without trying")
    fake_apt = tmp_path / "apt-get"
    fake_apt.write_text(
        "#!/bin/sh\necho 'Reading package lists... NOISE'\necho 'E: broken' >&2\nexit 100\n"
    )
    fake_apt.chmod(0o755)
    log = tmp_path / "var" / "apt.log"
    env = {**os.environ, "APT_GET": str(fake_apt), "TRUCELINE_TEST_APT_LOG": str(log)}
    result = subprocess.run(
        ["bash", "-c", f"source {SCRIPT} && apt_install some-package"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "NOISE" not in result.stdout + result.stderr
    assert "E: broken" not in result.stdout + result.stderr
    assert result.stderr.strip() == f"test-services: installing some-package failed; see {log}"
    assert "NOISE" in log.read_text() and "E: broken" in log.read_text()


def test_a_failed_start_leaves_no_env_file_naming_an_old_port(tmp_path: Path) -> None:
    env_file = tmp_path / "var" / "test-services.env"
    env_file.parent.mkdir()
    env_file.write_text(
        "export TRUCELINE_TEST_PG_URL='postgresql+psycopg://postgres@127.0.0.1:9/postgres'\n"
    )
    env = {**os.environ, "TRUCELINE_TEST_SERVICES_ENV": str(env_file)}
    result = subprocess.run(
        ["bash", "-c", f"source {SCRIPT} && install_missing() {{ return 1; }} && start"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert not env_file.exists()


@pytest.fixture
def cluster_dir() -> Iterator[Path]:
    """A directory of its own (readable by the postgres user when the tests run as root)."""
    if not (PGBIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 is not installed (make test installs it)")
    path = Path(tempfile.mkdtemp(prefix="truceline-stop-test-"))
    yield path
    if (path / "data" / "postmaster.pid").exists():  # a failed test must not leave it running
        subprocess.run(["bash", str(SCRIPT), "stop"], env=_env(path), capture_output=True)
    shutil.rmtree(path, ignore_errors=True)


def _env(cluster: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRUCELINE_TEST_PG_URL"}
    return {
        **env,
        "TRUCELINE_TEST_PG_DIR": str(cluster),
        "TRUCELINE_TEST_SERVICES_ENV": str(cluster / "test-services.env"),
    }


@pytest.mark.slow
def test_make_stop_stops_the_cluster_the_tests_started(cluster_dir: Path) -> None:
    env = _env(cluster_dir)
    subprocess.run(["bash", str(SCRIPT)], env=env, check=True, capture_output=True)
    port = (cluster_dir / "port").read_text().strip()
    ready = [str(PGBIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", port]
    assert subprocess.run(ready).returncode == 0

    stopped = subprocess.run(
        ["make", "-s", "stop"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert stopped.returncode == 0, stopped.stderr
    assert f"stopped the PostgreSQL test cluster in {cluster_dir}" in stopped.stderr
    assert subprocess.run(ready).returncode != 0
    assert not (cluster_dir / "port").exists()
    again = subprocess.run(
        ["make", "-s", "stop"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert again.returncode == 0 and "no PostgreSQL test cluster running" in again.stderr
