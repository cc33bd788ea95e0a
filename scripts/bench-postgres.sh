#!/usr/bin/env bash
# sync_bench at scale on a private PostgreSQL (scripts/lib/postgres.sh, with
# PostgreSQL's default durability): 2,000 phones over three rounds-server
# processes on one database. Arguments go to sync_bench after these and
# override them (e.g. --devices 500).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/postgres.sh

postgres_start
cargo run --release --locked -p rounds-tests --bin sync_bench -- \
    --postgres "$ROUNDS_TEST_POSTGRES" --devices 2000 --servers 3 --only-protocol "$@"
