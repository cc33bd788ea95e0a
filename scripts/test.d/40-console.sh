#!/usr/bin/env bash
# The office console end to end: headless Debian Chromium drives the pages
# of a demo rounds-server (fresh data, a free loopback port), and a new
# company's set-up on a server that only `init` has touched, each on SQLite
# and then on PostgreSQL (scripts/lib/postgres.sh), while a simulated phone
# syncs. Installs what is missing first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v curl >/dev/null || missing+=(curl)
# CJK fonts only so that failure screenshots are readable.
fc-list 2>/dev/null | grep -qi cjk || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
(cd console-tests && npm ci --no-audit --no-fund)

. scripts/lib/cargo.sh
build_workspace

# The console on one server: its backend is the first argument (`sqlite`,
# or a PostgreSQL URL to an empty database). `demo` seeds the demo and runs
# tests/; `new-company` runs `rounds-server init` on the empty data, then
# `serve`, and runs new-company/ as its first director.
console_on() {
    local backend="$1" mode="$2" data port server
    data=$(mktemp -d)
    port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
    local database=()
    [ "$backend" = sqlite ] || database=(--database "$backend")
    echo "console ($mode) on ${backend%%@*}"
    local command=demo suite=tests/ director=()
    if [ "$mode" = new-company ]; then
        command=serve suite=new-company/
        director=(DIRECTOR=liuyang DIRECTOR_PASSWORD=Guan-li-2026)
        ROUNDS_INIT_PASSWORD=Guan-li-2026 target/debug/rounds-server init --data-dir "$data" \
            --username liuyang --name 刘洋 "${database[@]}" >"$data/init.log" 2>&1 \
            || { cat "$data/init.log"; return 1; }
    fi
    target/debug/rounds-server "$command" --data-dir "$data" --listen "127.0.0.1:$port" "${database[@]}" \
        >"$data/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 120); do
        curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
        sleep 0.5
    done
    local ok=0
    if curl -fsS "http://127.0.0.1:$port/" >/dev/null; then
        (cd console-tests && env "${director[@]}" ROUNDS_BASE="http://127.0.0.1:$port" DEVICE_SIM="$PWD/../target/debug/device_sim" \
            node --test --test-concurrency=1 "$suite") || ok=$?
    else
        ok=1
    fi
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    [ "$ok" = 0 ] || cat "$data/server.log"
    rm -rf "$data"
    return "$ok"
}

console_on sqlite demo
console_on sqlite new-company
. scripts/lib/postgres.sh
postgres_start -c fsync=off
console_on "$ROUNDS_TEST_POSTGRES" demo
# A second, empty database on the same cluster for the new company.
"$PG_BIN/createdb" -h 127.0.0.1 -p "$(echo "$ROUNDS_TEST_POSTGRES" | sed -E 's|.*:([0-9]+)/.*|\1|')" -U rounds new_company
console_on "${ROUNDS_TEST_POSTGRES%/*}/new_company" new-company
