#!/usr/bin/env bash
# Installs (from Debian) and starts what the test suite needs beyond Python:
# a PostgreSQL 15 cluster with PostGIS 3 on a free loopback port, and Chromium
# for the browser tests. Writes var/test-services.env for `make test` to source.
# Reuses a cluster it started earlier, and an existing TRUCELINE_TEST_PG_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
ENV_FILE=var/test-services.env
PGBIN=/usr/lib/postgresql/15/bin
POSTGIS_CONTROL=/usr/share/postgresql/15/extension/postgis.control

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "test-services: need root to install $* (apt-get)" >&2
    return 1
  fi
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
    apt-get update -qq >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

[ -x /usr/bin/chromium ] || apt_install chromium fonts-noto-core
# Pashto, Dari and Urdu pages need Noto Naskh Arabic and Noto Nastaliq Urdu (fonts-noto-core).
fc-list 2>/dev/null | grep -q "Noto Nastaliq Urdu" || apt_install fonts-noto-core fontconfig
# WeasyPrint (periodic reports as PDF) needs Pango; pdftoppm is used to look at the PDFs.
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so.0" || apt_install libpango-1.0-0 libpangoft2-1.0-0
[ -x /usr/bin/pdftoppm ] || apt_install poppler-utils
[ -x "$PGBIN/initdb" ] && [ -f "$POSTGIS_CONTROL" ] || apt_install postgresql-15 postgresql-15-postgis-3

if [ -n "${TRUCELINE_TEST_PG_URL:-}" ]; then
  echo "export TRUCELINE_TEST_PG_URL='$TRUCELINE_TEST_PG_URL'" > "$ENV_FILE"
  exit 0
fi

PGDIR=${TRUCELINE_TEST_PG_DIR:-/tmp/truceline-test-pg}
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
  mkdir -p "$PGDIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
PORT_FILE="$PGDIR/port"
if ! { [ -f "$PORT_FILE" ] && "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$PORT_FILE")"; }; then
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
    -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
  echo "$PORT" | as_pg tee "$PORT_FILE" >/dev/null
fi
PORT=$(cat "$PORT_FILE")
echo "export TRUCELINE_TEST_PG_URL='postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres'" > "$ENV_FILE"
echo "test-services: PostgreSQL on 127.0.0.1:$PORT, Chromium at /usr/bin/chromium" >&2
