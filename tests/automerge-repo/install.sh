#!/usr/bin/env bash
# Installs the automerge-repo harness's packages (the versions in
# package-lock.json) from the npm registry, for sync_bench to compare with.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if ! command -v npm >/dev/null; then
    echo "npm is not installed (Debian: apt-get install nodejs npm)" >&2
    exit 1
fi
# The lock names cbor-extract's optional per-platform packages by name only,
# which newer npm's `ci` calls out of sync; `install` honours the same lock.
npm ci --no-audit --no-fund || npm install --no-audit --no-fund
