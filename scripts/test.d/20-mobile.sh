#!/usr/bin/env bash
# The mobile layer: the committed Swift bindings must match what this
# checkout generates, and the Kotlin library's tests run on a plain JVM
# against the .so built here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mobile-bindings/build.sh swift --check
android/run-jvm-tests.sh
