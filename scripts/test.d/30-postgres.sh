#!/usr/bin/env bash
# The server stories again on PostgreSQL, including several server processes
# on one database: installs PostgreSQL from Debian if missing, starts a
# private cluster on a free loopback port in a temporary directory, runs the
# PostgreSQL variants of the tests/ stories against it, and stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "PostgreSQL is not installed; run as root (or: apt-get install postgresql)" >&2
        exit 1
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
fi
BIN="$(pg_bin)"

# PostgreSQL refuses to run as root: then the cluster belongs to `postgres`.
if [ "$(id -u)" = 0 ]; then
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/rounds-pg.XXXXXX")"
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
chmod 700 "$DIR"

# A free loopback port: the first of a few random ones nothing answers on.
PORT=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        PORT="$candidate"
        break
    fi
done
[ -n "$PORT" ] || { echo "no free port found" >&2; exit 1; }

stop() {
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap stop EXIT

as_owner "$BIN/initdb" -D "$DIR/data" -U rounds -A trust --no-sync >/dev/null
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=300" start
as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U rounds rounds

export ROUNDS_TEST_POSTGRES="postgres://rounds@127.0.0.1:$PORT/rounds"
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
# Each story makes its own database there; `postgres` picks the PostgreSQL variants.
# --workspace: the same features as the main test run, so nothing is rebuilt.
cargo test --workspace --locked postgres
