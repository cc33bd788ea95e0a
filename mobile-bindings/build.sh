#!/usr/bin/env bash
# Every mobile build step that is not plain cargo, in one place.
#
#   mobile-bindings/build.sh kotlin          build the .so, generate Kotlin into android/rounds (gitignored)
#   mobile-bindings/build.sh swift           generate Swift into ios/Rounds (committed)
#   mobile-bindings/build.sh swift --check   fail if the committed Swift bindings are stale (CI)
#   mobile-bindings/build.sh android         cross-build the .so for the Android ABIs (needs cargo-ndk + NDK)
#   mobile-bindings/build.sh xcframework     build RoundsCoreFFI.xcframework (macOS with Xcode)
#
# Bindings are generated in library mode from the built library by the
# uniffi-bindgen binary of this crate, so they always match the uniffi the
# library was built with. Formatting is off so the output is the same on every
# machine, whatever formatters happen to be installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
KOTLIN_OUT="$ROOT/android/rounds/src/main/kotlin"
SWIFT_OUT="$ROOT/ios/Rounds/Sources/RoundsFFI"
HEADERS_OUT="$ROOT/ios/Rounds/FFIHeaders"
ANDROID_ABIS=(arm64-v8a armeabi-v7a x86_64)
IOS_TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)

say() { printf '==> %s\n' "$*" >&2; }

host_library() {
    case "$(uname -s)" in
        Darwin) echo "$TARGET_DIR/debug/librounds_mobile.dylib" ;;
        *) echo "$TARGET_DIR/debug/librounds_mobile.so" ;;
    esac
}

# The whole workspace, as `cargo test --workspace` builds it: the same
# features everywhere, so nothing already built is compiled again.
build_host_library() {
    say "cargo build --workspace"
    # shellcheck source=../scripts/lib/cargo.sh
    . "$ROOT/scripts/lib/cargo.sh"
    build_workspace --quiet
}

# generate LANGUAGE OUT_DIR
generate() {
    local language="$1" out="$2"
    mkdir -p "$out"
    "$TARGET_DIR/debug/uniffi-bindgen" \
        generate --library "$(host_library)" --language "$language" --no-format --out-dir "$out"
}

kotlin() {
    build_host_library
    say "generating Kotlin into ${KOTLIN_OUT#"$ROOT"/}"
    rm -rf "$KOTLIN_OUT/app/rounds/ffi"
    generate kotlin "$KOTLIN_OUT"
}

# Lays the generated Swift out as the package wants it: the Swift file in the
# RoundsFFI target, the C header and module map beside it for the XCFramework.
swift_into() {
    local swift_dir="$1" headers_dir="$2" tmp
    tmp="$(mktemp -d)"
    generate swift "$tmp"
    mkdir -p "$swift_dir" "$headers_dir"
    rm -f "$swift_dir"/*.swift "$headers_dir"/*
    mv "$tmp/RoundsFFI.swift" "$swift_dir/"
    mv "$tmp/RoundsCoreFFI.h" "$headers_dir/"
    # An XCFramework's headers folder takes its module map by this name.
    mv "$tmp/RoundsCoreFFI.modulemap" "$headers_dir/module.modulemap"
    rm -rf "$tmp"
}

swift() {
    build_host_library
    if [[ "${1:-}" == "--check" ]]; then
        local fresh
        fresh="$(mktemp -d)"
        swift_into "$fresh/RoundsFFI" "$fresh/FFIHeaders"
        if diff -ru "$SWIFT_OUT" "$fresh/RoundsFFI" && diff -ru "$HEADERS_OUT" "$fresh/FFIHeaders"; then
            say "Swift bindings are up to date"
            rm -rf "$fresh"
        else
            rm -rf "$fresh"
            say "Swift bindings are stale: run mobile-bindings/build.sh swift and commit ios/Rounds"
            exit 1
        fi
    else
        say "generating Swift into ${SWIFT_OUT#"$ROOT"/}"
        swift_into "$SWIFT_OUT" "$HEADERS_OUT"
    fi
}

android() {
    command -v cargo-ndk >/dev/null || {
        say "cargo-ndk is missing: cargo install cargo-ndk, and set ANDROID_NDK_HOME"
        exit 1
    }
    local args=()
    for abi in "${ANDROID_ABIS[@]}"; do args+=(-t "$abi"); done
    say "cargo ndk ${args[*]} (release) into android/app/src/main/jniLibs"
    # The NDK has no libcrypto for SQLCipher: OpenSSL is built from source
    # (needs perl and make on the build machine).
    cargo ndk "${args[@]}" -o "$ROOT/android/app/src/main/jniLibs" \
        build -p rounds-mobile --release --features vendored-openssl
    kotlin
}

xcframework() {
    [[ "$(uname -s)" == Darwin ]] || {
        say "an XCFramework is built on macOS with Xcode"
        exit 1
    }
    for t in "${IOS_TARGETS[@]}"; do
        say "cargo build --target $t (release)"
        cargo build -p rounds-mobile --release --target "$t" --quiet
    done
    swift
    local sim="$TARGET_DIR/ios-sim-universal/release"
    mkdir -p "$sim"
    # The two simulator architectures go into one library.
    lipo -create \
        "$TARGET_DIR/aarch64-apple-ios-sim/release/librounds_mobile.a" \
        "$TARGET_DIR/x86_64-apple-ios/release/librounds_mobile.a" \
        -output "$sim/librounds_mobile.a"
    local out="$ROOT/ios/Rounds/RoundsCoreFFI.xcframework"
    rm -rf "$out"
    xcodebuild -create-xcframework \
        -library "$TARGET_DIR/aarch64-apple-ios/release/librounds_mobile.a" -headers "$HEADERS_OUT" \
        -library "$sim/librounds_mobile.a" -headers "$HEADERS_OUT" \
        -output "$out"
    say "built ${out#"$ROOT"/}"
}

case "${1:-}" in
    kotlin) kotlin ;;
    swift) shift; swift "$@" ;;
    android) android ;;
    xcframework) xcframework ;;
    *)
        sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
