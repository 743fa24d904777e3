# shellcheck shell=bash
# Common environment for StreamLab's scripts: sourced, never run.
# Reads the tool pins from tools/versions.env and puts the tools on PATH.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

set -a
# shellcheck source=../tools/versions.env
. "$ROOT/tools/versions.env"
set +a

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) PATH="$CARGO_BIN:$PATH" ;; esac
# node_modules/.bin first: its wasm-opt (binaryen 132) must win over any older system one.
case ":$PATH:" in *":$ROOT/node_modules/.bin:"*) ;; *) PATH="$ROOT/node_modules/.bin:$PATH" ;; esac
export PATH

# wasm-bindgen-test-runner drives Debian's Chromium through this chromedriver.
export CHROMEDRIVER
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# Playwright must never download a browser: the tests use Debian's Chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# The wasm-bindgen version in Cargo.lock: the only wasm-bindgen CLI trunk accepts.
wasm_bindgen_lock_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# binaryen's major version in package.json is wasm-opt's version ("version_132").
binaryen_major() {
    sed -nE 's/^ *"binaryen": *"([0-9]+)\..*/\1/p' "$ROOT/package.json"
}

# Trunk requires exactly this wasm-opt (and fails rather than download it with --offline).
TRUNK_TOOLS_WASM_OPT="version_$(binaryen_major)"
export TRUNK_TOOLS_WASM_OPT

# Print the first line of `cmd --version`, or nothing when cmd is missing or broken.
tool_version() {
    command -v "$1" >/dev/null 2>&1 || return 0
    "$1" --version 2>/dev/null | head -n 1
}

log() {
    if [ -t 1 ]; then printf '\033[1m==> %s\033[0m\n' "$*"; else printf '==> %s\n' "$*"; fi
}
