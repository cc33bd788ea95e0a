# A private PostgreSQL cluster for a test suite; source it, then `pg_start`.
# Installs PostgreSQL from Debian if missing, starts a cluster on a free
# loopback port in a temporary directory, sets PG_URL to its `rounds`
# database, and stops and removes it when the shell exits.

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

pg_start() {
    if [ -z "$(pg_bin)" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "PostgreSQL is not installed; run as root (or: apt-get install postgresql)" >&2
            return 1
        fi
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    fi
    PG_BIN="$(pg_bin)"

    # PostgreSQL refuses to run as root: then the cluster belongs to `postgres`.
    if [ "$(id -u)" = 0 ]; then
        pg_as_owner() { runuser -u postgres -- "$@"; }
    else
        pg_as_owner() { "$@"; }
    fi

    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/rounds-pg.XXXXXX")"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
    chmod 700 "$PG_DIR"

    # A free loopback port: the first of a few random ones nothing answers on.
    local port="" candidate
    for _ in $(seq 1 50); do
        candidate=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            port="$candidate"
            break
        fi
    done
    [ -n "$port" ] || { echo "no free port found" >&2; return 1; }

    trap pg_stop EXIT
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U rounds -A trust --no-sync >/dev/null
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c max_connections=300" start
    pg_as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U rounds rounds
    PG_URL="postgres://rounds@127.0.0.1:$port/rounds"
    echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

pg_stop() {
    [ -n "${PG_DIR:-}" ] || return 0
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
}
