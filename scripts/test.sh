#!/usr/bin/env bash
# The README's test command: installs what the suites need when it is missing, then runs every
# suite of the workspace (benchmarks excepted), without stopping at the first failing one.
#
#   scripts/test.sh [extra cargo test arguments]
#
# The browser suite (tests/tests/browser.rs) drives Debian's headless Chromium through
# chromedriver and fails, rather than skips, without them: they are installed with apt-get
# (as root, or through sudo) when `chromium` or `chromedriver` is not on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    echo "scripts/test.sh: installing Debian's chromium and chromium-driver for the browser suite" >&2
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y chromium chromium-driver
fi

exec cargo test --workspace --exclude cors-policy-benches --no-fail-fast "$@"
