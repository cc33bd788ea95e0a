#!/usr/bin/env bash
# Runs the Kotlin library's tests on a plain JVM against the .so built from
# this checkout: no Android SDK, no Gradle. The sync stories talk to a real
# rounds-server the tests start (DemoServer.kt), built here, on a free
# loopback port chosen here; both reach the JVM as system properties. Installs what is missing first:
# kotlinc from the npm package kotlin-compiler (into android/.tools), JNA and
# JUnit from Debian.
#
#   android/run-jvm-tests.sh [--reuse-classes] [CLASS...]
#
# CLASS (e.g. app.rounds.CompanyRulesTest) runs only those test classes;
# --reuse-classes skips building and compiling when an earlier run left its
# classes (scripts/test.d/30-postgres.sh reruns one class on PostgreSQL so).
set -euo pipefail

REUSE=0
CLASSES=()
for arg in "$@"; do
    case "$arg" in
        --reuse-classes) REUSE=1 ;;
        *) CLASSES+=("$arg") ;;
    esac
done

ANDROID="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$ANDROID/.." && pwd)"
TOOLS="$ANDROID/.tools"
KOTLIN_VERSION="2.4.20"
KOTLINC="$TOOLS/node_modules/kotlin-compiler/bin/kotlinc"
JNA_JAR=/usr/share/java/jna.jar
JUNIT_JAR=/usr/share/java/junit4.jar
HAMCREST_JAR=/usr/share/java/hamcrest-core.jar
OUT="$ANDROID/build/jvm-tests"

say() { printf '==> %s\n' "$*" >&2; }

if [[ ! -f "$JNA_JAR" || ! -f "$JUNIT_JAR" || ! -f "$HAMCREST_JAR" ]]; then
    say "installing JNA and JUnit from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjna-java junit4 libhamcrest-java >/dev/null
fi
command -v java >/dev/null || {
    say "installing a JDK from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jdk-headless >/dev/null
}
if [[ ! -x "$KOTLINC" ]]; then
    say "installing kotlinc $KOTLIN_VERSION from npm into android/.tools"
    mkdir -p "$TOOLS"
    [[ -f "$TOOLS/package.json" ]] || echo '{ "private": true }' >"$TOOLS/package.json"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent "kotlin-compiler@$KOTLIN_VERSION"
fi

[[ "$REUSE" = 1 && -d "$OUT/classes" ]] || REUSE=0
if [[ "$REUSE" = 0 ]]; then
    # Builds target/debug/librounds_mobile.so and generates the Kotlin bindings.
    "$ROOT/mobile-bindings/build.sh" kotlin
fi
# build.sh kotlin built the whole workspace, the server with it.
SERVER_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/rounds-server"
SERVER_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

if [[ "$REUSE" = 0 ]]; then
    say "compiling bindings, library and tests"
    rm -rf "$OUT"
    mkdir -p "$OUT"
    "$KOTLINC" -nowarn -jvm-target 17 \
        -cp "$JNA_JAR:$JUNIT_JAR:$HAMCREST_JAR" \
        -d "$OUT/classes" \
        "$ANDROID/rounds/src/main/kotlin" "$ANDROID/rounds/src/test/kotlin"
fi

say "running JUnit"
if [[ ${#CLASSES[@]} -gt 0 ]]; then
    TESTS="${CLASSES[*]}"
else
    TESTS=$(cd "$OUT/classes" && find . -name '*Test.class' | sed 's|^\./||; s|\.class$||; s|/|.|g' | sort)
fi
status=0
java -Djna.library.path="${CARGO_TARGET_DIR:-$ROOT/target}/debug" \
    -Drounds.server.bin="$SERVER_BIN" -Drounds.server.port="$SERVER_PORT" \
    -cp "$OUT/classes:$TOOLS/node_modules/kotlin-compiler/lib/kotlin-stdlib.jar:$JNA_JAR:$JUNIT_JAR:$HAMCREST_JAR" \
    org.junit.runner.JUnitCore $TESTS | tee "$OUT/junit.log" || status=$?

# JUnit's own summary ("OK (5 tests)" / "Tests run: 5,  Failures: 1") in the
# plain form CI reads.
if ok=$(grep -oP '^OK \(\K[0-9]+' "$OUT/junit.log"); then
    echo "kotlin: $ok passed, 0 failed"
elif run=$(grep -oP '^Tests run: \K[0-9]+' "$OUT/junit.log"); then
    failed=$(grep -oP 'Failures: \K[0-9]+' "$OUT/junit.log")
    echo "kotlin: $((run - failed)) passed, $failed failed"
fi
exit "$status"
