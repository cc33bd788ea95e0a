#!/usr/bin/env bash
# Everything the project's tests need, on a fresh machine, then every test.
# Run from anywhere: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "Rust: build every target (benches included, so they cannot rot)"
cargo build --workspace --all-targets --locked

step "Rust: tests"
cargo test --workspace --locked

for extra in scripts/test.d/*.sh; do
    [ -e "$extra" ] || continue
    step "$(basename "$extra")"
    bash "$extra"
done
