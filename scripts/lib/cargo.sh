# shellcheck shell=bash
# The debug build every script runs its binaries from, with the features
# `cargo test --workspace` resolves: test targets bring the dev-dependencies'
# features in (resolver 2 leaves them out of a plain `cargo build`), and a
# build without them would compile chrono, the core and the server again.
# tests/src/lib.rs (`server_binary`) builds with the same flags.
build_workspace() {
    cargo build --workspace --locked --lib --bins --tests "$@"
}
