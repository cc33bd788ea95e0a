#!/usr/bin/env bash
# Everything the project's tests need, on a fresh machine, then every test.
# Run from anywhere: scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Each step says how long the one before it took, so a slow CI run shows
# where its time went.
STEP_STARTED=$SECONDS
STEP_NAME=""
step() {
    [ -n "$STEP_NAME" ] && printf '== %s took %ds\n' "$STEP_NAME" $((SECONDS - STEP_STARTED))
    STEP_NAME="$*"
    STEP_STARTED=$SECONDS
    printf '\n== %s\n' "$*"
}

# shellcheck source=lib/native.sh
. scripts/lib/native.sh
step "Native build dependencies"
native_build_deps

step "Rust: formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust: tests"
cargo test --workspace --locked

# Suites that need more than cargo (a JVM, PostgreSQL, Chromium) install
# what they need themselves; each is one file here, run in name order.
for suite in scripts/test.d/*.sh; do
    [ -e "$suite" ] || continue
    step "$(basename "$suite" .sh)"
    bash "$suite"
done
step "done"
