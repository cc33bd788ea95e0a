#!/usr/bin/env bash
# The server stories again on PostgreSQL, including several server processes
# on one database and the office's API, on a private cluster
# (scripts/lib/postgres.sh) that is stopped afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/lib/postgres.sh
pg_start

export ROUNDS_TEST_POSTGRES="$PG_URL"
# Each story makes its own database there; `postgres` picks the PostgreSQL variants.
# --workspace: the same features as the main test run, so nothing is rebuilt.
cargo test --workspace --locked postgres
