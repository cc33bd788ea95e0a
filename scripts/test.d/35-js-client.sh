#!/usr/bin/env bash
# A JavaScript Automerge client (@automerge/automerge, pinned in
# tests/js-client) against a demo rounds-server (fresh data, a free loopback
# port): as the demo technician it pulls everything, edits a work order of
# theirs the way the Rust phone would (a note, the work record's numbers as
# Automerge ints) and sends it back. Fails if the server refuses that honest
# edit. Then a hostile edit (a technician moving deadline.due_at) is sent and
# must be refused by the write policy. Installs Node.js and npm if missing.
# ROUNDS_SERVER_BIN=path skips the build and uses that binary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "missing ${missing[*]}; run as root (or: apt-get install ${missing[*]})" >&2
        exit 1
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
node -e 'const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 18 || (major === 18 && minor < 11)) { console.error(`Node.js ${process.version} is too old (18.11 or newer needed)`); process.exit(1); }'
(cd tests/js-client && npm ci --no-audit --no-fund)

if [ -n "${ROUNDS_SERVER_BIN:-}" ]; then
    server_bin="$ROUNDS_SERVER_BIN"
else
    # The debug profile, as `cargo test` builds it: nothing is compiled twice.
    . scripts/lib/cargo.sh
    build_workspace
    server_bin="${CARGO_TARGET_DIR:-target}/debug/rounds-server"
fi

data=$(mktemp -d "${TMPDIR:-/tmp}/rounds-js.XXXXXX")
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
base="http://127.0.0.1:$port"
"$server_bin" demo --data-dir "$data" --listen "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$data"
}
trap cleanup EXIT

# Up when it answers HTTP at all (seeding the demo takes a few seconds).
up() { node -e 'fetch(process.argv[1]).then(() => process.exit(0), () => process.exit(1))' "$base/"; }
for _ in $(seq 1 120); do
    up && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.5
done
if ! up; then
    echo "rounds-server did not come up on $base:" >&2
    cat "$data/server.log" >&2
    exit 1
fi

# `tech` is a demo technician (server/src/demo/mod.rs) with dispatched, accepted
# and in-progress orders; the demo prints its logins, all with this password.
login=(--server "$base" --username tech --password rounds-demo)
status=0
node tests/js-client/honest-edit.mjs "${login[@]}" || status=$?
if [ "$status" != 0 ]; then
    echo "the honest JS edit was refused (exit $status); server log:" >&2
    tail -n 40 "$data/server.log" >&2
    exit 1
fi

hostile=0
node tests/js-client/honest-edit.mjs "${login[@]}" --hostile || hostile=$?
case "$hostile" in
    0) echo "hostile JS edit: refused by the server, as it should be" ;;
    3)
        echo "hostile JS edit: ACCEPTED by the server (a technician moved deadline.due_at)" >&2
        exit 1
        ;;
    *)
        echo "hostile JS edit: could not be tried (exit $hostile)" >&2
        exit 1
        ;;
esac
