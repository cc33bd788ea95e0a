#!/usr/bin/env bash
# The server stories again on PostgreSQL, including several server processes
# on one database: starts a private cluster (scripts/lib/postgres.sh, which
# installs PostgreSQL from Debian if missing), runs the PostgreSQL variants of
# the tests/ stories against it, and stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. scripts/lib/postgres.sh

# Durability is not under test here.
postgres_start -c fsync=off
# Each story makes its own database there; `postgres` picks the PostgreSQL variants.
# --workspace: the same features as the main test run, so nothing is rebuilt.
cargo test --workspace --locked postgres
