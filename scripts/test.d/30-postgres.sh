#!/usr/bin/env bash
# The server stories again on PostgreSQL, including several server processes
# on one database: starts a private cluster (scripts/lib/postgres.sh, which
# installs PostgreSQL from Debian if missing), runs the PostgreSQL variants of
# the tests/ stories against it, then the Kotlin check that a phone counts the
# company's rules after sync (on a database of its own there, with the
# classes 20-mobile.sh compiled), and stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. scripts/lib/postgres.sh

# Durability is not under test here.
postgres_start -c fsync=off
# Each story makes its own database there; `postgres` picks the PostgreSQL variants.
# --workspace: the same features as the main test run, so nothing is rebuilt.
cargo test --workspace --locked postgres

# The phone follows the company's rules file on PostgreSQL too.
"$PG_BIN/psql" "$ROUNDS_TEST_POSTGRES" -qc "CREATE DATABASE rounds_kotlin"
ROUNDS_KOTLIN_POSTGRES="${ROUNDS_TEST_POSTGRES%/*}/rounds_kotlin" \
    android/run-jvm-tests.sh --reuse-classes app.rounds.CompanyRulesTest
