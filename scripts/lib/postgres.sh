# Sourced, not run: `postgres_start [SERVER OPTION...]` starts a private
# PostgreSQL cluster on a free loopback port in a temporary directory,
# installing Debian's PostgreSQL first if it is missing, exports
# ROUNDS_TEST_POSTGRES (a URL to its database `rounds`), and stops it and
# removes the directory when the calling script exits (it sets the EXIT trap).
# Options are passed to the server as they are (e.g. `-c fsync=off`).

postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

postgres_start() {
    if [ -z "$(postgres_bin)" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "PostgreSQL is not installed; run as root (or: apt-get install postgresql)" >&2
            return 1
        fi
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    fi
    PG_BIN="$(postgres_bin)"

    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/rounds-pg.XXXXXX")"
    # PostgreSQL refuses to run as root: then the cluster belongs to `postgres`.
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

    trap postgres_stop EXIT
    postgres_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U rounds -A trust --no-sync >/dev/null
    postgres_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=300 $*" start
    postgres_as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U rounds rounds

    export ROUNDS_TEST_POSTGRES="postgres://rounds@127.0.0.1:$port/rounds"
    echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

postgres_as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_stop() {
    postgres_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}
