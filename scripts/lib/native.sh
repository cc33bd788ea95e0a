# Sourced, not run: `native_build_deps` installs what building the workspace
# needs beyond Rust: OpenSSL's libcrypto and its headers (Debian's
# libssl-dev), which SQLCipher links to encrypt the phone's store (see
# rusqlite in the root Cargo.toml).

native_build_deps() {
    [ -f /usr/include/openssl/evp.h ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "OpenSSL's headers are missing; run as root (or: apt-get install libssl-dev)" >&2
        return 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libssl-dev >/dev/null
}
