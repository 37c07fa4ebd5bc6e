#!/usr/bin/env bash
# Installs (from Debian) and starts what the test suite needs beyond Python:
# a PostgreSQL 15 cluster with PostGIS 3 on a free loopback port, and Chromium
# for the browser tests. Writes var/test-services.env for `make test` to source.
# Reuses a cluster it started earlier, and an existing TRUCELINE_TEST_PG_URL.
#
#   bash scripts/test-services.sh         start (installing what is missing)
#   bash scripts/test-services.sh stop    stop the cluster it started (`make stop`)
#
# apt's own output goes to var/test-services-apt.log, not to the test log; when an
# installation fails, the error names that file.
set -euo pipefail
cd "$(dirname "$0")/.."
ENV_FILE=${TRUCELINE_TEST_SERVICES_ENV:-var/test-services.env}
APT_LOG=${TRUCELINE_TEST_APT_LOG:-var/test-services-apt.log}
APT_GET=${APT_GET:-apt-get}
PGBIN=/usr/lib/postgresql/15/bin
POSTGIS_CONTROL=/usr/share/postgresql/15/extension/postgis.control
PGDIR=${TRUCELINE_TEST_PG_DIR:-/tmp/truceline-test-pg}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "test-services: need root to install $* (apt-get)" >&2
    return 1
  fi
  mkdir -p "$(dirname "$APT_LOG")"
  echo "== $(date -u +%FT%TZ) installing $*" >>"$APT_LOG"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
    "$APT_GET" update -qq >>"$APT_LOG" 2>&1 || {
      echo "test-services: apt-get update failed; see $APT_LOG" >&2
      return 1
    }
  fi
  DEBIAN_FRONTEND=noninteractive "$APT_GET" install -y -qq --no-install-recommends "$@" \
    >>"$APT_LOG" 2>&1 || {
    echo "test-services: installing $* failed; see $APT_LOG" >&2
    return 1
  }
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_missing() {
  [ -x /usr/bin/chromium ] || apt_install chromium fonts-noto-core
  # Pashto, Dari and Urdu pages need Noto Naskh Arabic and Noto Nastaliq Urdu (fonts-noto-core).
  fc-list 2>/dev/null | grep -q "Noto Nastaliq Urdu" || apt_install fonts-noto-core fontconfig
  # WeasyPrint (periodic reports as PDF) needs Pango; pdftoppm is used to look at the PDFs.
  ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so.0" || apt_install libpango-1.0-0 libpangoft2-1.0-0
  [ -x /usr/bin/pdftoppm ] || apt_install poppler-utils
  [ -x "$PGBIN/initdb" ] && [ -f "$POSTGIS_CONTROL" ] || apt_install postgresql-15 postgresql-15-postgis-3
}

start() {
  mkdir -p "$(dirname "$ENV_FILE")"
  # An env file from an earlier run names a port that may be gone: if anything below fails,
  # `make test` must stop at the missing file, not run the suite against a dead port.
  rm -f "$ENV_FILE"
  install_missing
  if [ -n "${TRUCELINE_TEST_PG_URL:-}" ]; then
    echo "export TRUCELINE_TEST_PG_URL='$TRUCELINE_TEST_PG_URL'" > "$ENV_FILE"
    return 0
  fi
  if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
    mkdir -p "$PGDIR"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDIR"; fi
    as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  local port_file="$PGDIR/port" port
  if ! { [ -f "$port_file" ] && "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$port_file")"; }; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
      -o "-p $port -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
      start >/dev/null || {
      echo "test-services: PostgreSQL did not start; see $PGDIR/server.log" >&2
      return 1
    }
    echo "$port" | as_pg tee "$port_file" >/dev/null
  fi
  port=$(cat "$port_file")
  echo "export TRUCELINE_TEST_PG_URL='postgresql+psycopg://postgres@127.0.0.1:$port/postgres'" > "$ENV_FILE"
  echo "test-services: PostgreSQL on 127.0.0.1:$port, Chromium at /usr/bin/chromium (stop it: make stop)" >&2
}

stop() {
  if [ -f "$PGDIR/data/postmaster.pid" ] && [ -x "$PGBIN/pg_ctl" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null
    echo "test-services: stopped the PostgreSQL test cluster in $PGDIR" >&2
  else
    echo "test-services: no PostgreSQL test cluster running in $PGDIR" >&2
  fi
  rm -f "$PGDIR/port" "$ENV_FILE"
}

# Sourcing the file (as its tests do) defines the functions without running anything.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: bash scripts/test-services.sh [start|stop]" >&2; exit 2 ;;
  esac
fi
