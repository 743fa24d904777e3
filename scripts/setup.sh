#!/usr/bin/env bash
# Install whatever StreamLab's build and tests need, and nothing that is already there.
#
#   scripts/setup.sh build     # what `make serve` needs: wasm32 target, trunk, wasm-bindgen-cli
#   scripts/setup.sh release   # + node packages (wasm-opt from binaryen) for release builds
#   scripts/setup.sh test      # all of it: + Chromium and chromedriver
#
# Every step checks the installed version first, so a second run takes a second or two.
# Versions: tools/versions.env, Cargo.lock (wasm-bindgen), package-lock.json (node tools) and
# tools/python-requirements.txt (the export suite's Python tools).
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

what="${1:-test}"
case "$what" in build|release|test) ;; *) echo "usage: $0 [build|release|test]" >&2; exit 2 ;; esac

die() { echo "setup: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root to run: $*"
    fi
}

apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        log "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        apt_updated=1
    fi
    log "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" </dev/null
}

need_rust() {
    command -v cargo >/dev/null 2>&1 && command -v rustup >/dev/null 2>&1 ||
        die "cargo and rustup are required (see rust-version in Cargo.toml); install Rust with rustup first"
    if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
        log "rustup target add $WASM_TARGET"
        rustup target add "$WASM_TARGET"
    fi
    # `make test` checks formatting and lints (scripts/test.sh, suite "lint").
    local component
    for component in rustfmt clippy; do
        if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
            log "rustup component add $component"
            rustup component add "$component"
        fi
    done
    # Building trunk and wasm-bindgen-cli needs a C compiler.
    if ! command -v cc >/dev/null 2>&1; then
        apt_install build-essential pkg-config
    fi
}

need_trunk() {
    local have
    have="$(tool_version trunk)"
    if [ "$have" != "trunk $TRUNK_VERSION" ]; then
        log "cargo install trunk $TRUNK_VERSION (found: ${have:-none}; takes about 8 minutes on 2 cores)"
        cargo install trunk --version "$TRUNK_VERSION" --locked --force
    fi
}

need_wasm_bindgen() {
    local want have have_runner
    [ -f Cargo.lock ] || { log "cargo generate-lockfile"; cargo generate-lockfile; }
    want="$(wasm_bindgen_lock_version)"
    [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
    have="$(tool_version wasm-bindgen)"
    have_runner="$(tool_version wasm-bindgen-test-runner)"
    if [ "$have" != "wasm-bindgen $want" ] || [ "$have_runner" != "wasm-bindgen-test-runner $want" ]; then
        # Not --locked: a dependency locked in wasm-bindgen-cli's own lockfile is gone from crates.io.
        log "cargo install wasm-bindgen-cli $want (found: ${have:-none})"
        cargo install wasm-bindgen-cli --version "$want" --force
    fi
}

need_node_packages() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        apt_install nodejs npm
    fi
    # playwright-core needs Node.js 20 or newer (Debian 12's own nodejs is 18).
    local node_major
    node_major="$(node -p 'process.versions.node.split(".")[0]')"
    [ "$node_major" -ge "$NODE_MIN_MAJOR" ] ||
        die "Node.js $NODE_MIN_MAJOR or newer is needed (found $(node --version))"
    # Up to date when every package in package-lock.json is installed at its locked version
    # (an optional one, such as lightningcss's build for another platform, only when present).
    if ! node -e '
        const lock = require("./package-lock.json");
        for (const [path, meta] of Object.entries(lock.packages)) {
            if (!path.startsWith("node_modules/")) continue;
            let installed;
            try { installed = require("./" + path + "/package.json").version; } catch {
                if (meta.optional) continue;
                process.exit(1);
            }
            if (installed !== meta.version) process.exit(1);
        }' 2>/dev/null; then
        log "npm ci (binaryen, terser, lightningcss, playwright-core, axe-core at the versions in package-lock.json)"
        npm ci --no-audit --no-fund
    fi
    local want have
    want="wasm-opt version $(binaryen_major) ($TRUNK_TOOLS_WASM_OPT)"
    have="$("$ROOT/node_modules/.bin/wasm-opt" --version 2>/dev/null || true)"
    [ "$have" = "$want" ] || die "node_modules/.bin/wasm-opt says '$have', expected '$want'"
}

# The export suite's Python tools (cfn-lint, moto[server], boto3), every package pinned in
# tools/python-requirements.txt, in a venv of their own: target/export-venv. Up to date when the
# stamp in the venv matches the requirements file.
need_python_tools() {
    local venv="$ROOT/target/export-venv" req="$ROOT/tools/python-requirements.txt"
    if [ -x "$venv/bin/python" ] && cmp -s "$req" "$venv/streamlab-requirements.txt"; then
        return
    fi
    command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; rm -rf "$venv"; python3 -m venv "$venv"; }
    fi
    log "pip install -r tools/python-requirements.txt (cfn-lint, moto[server], boto3) into target/export-venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$req"
    cp "$req" "$venv/streamlab-requirements.txt"
}

# cargo-llvm-cov and rustup's llvm-tools: the native tests' line coverage. Not fatal: without
# them scripts/test.sh runs the same tests uninstrumented and says coverage was not measured.
need_coverage() {
    if ! rustup component list --installed 2>/dev/null | grep -q "^llvm-tools"; then
        log "rustup component add llvm-tools"
        rustup component add llvm-tools || { log "llvm-tools unavailable: coverage will not be measured"; return 0; }
    fi
    if [ "$(cargo llvm-cov --version 2>/dev/null | head -n 1)" != "cargo-llvm-cov $CARGO_LLVM_COV_VERSION" ]; then
        log "cargo install cargo-llvm-cov $CARGO_LLVM_COV_VERSION (about 3 minutes on 2 cores)"
        cargo install cargo-llvm-cov --version "$CARGO_LLVM_COV_VERSION" --locked --force ||
            log "cargo-llvm-cov could not be installed: coverage will not be measured"
    fi
}

need_browser() {
    if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ]; then
        # shellcheck disable=SC2086 # a list of package names
        apt_install $APT_BROWSER_PACKAGES
    fi
    local browser driver
    browser="$("$CHROMIUM" --version 2>/dev/null | grep -oE '[0-9]+' | head -n 1)"
    driver="$("$CHROMEDRIVER" --version 2>/dev/null | grep -oE '[0-9]+' | head -n 1)"
    [ -n "$browser" ] && [ "$browser" = "$driver" ] ||
        die "Chromium ($browser) and chromedriver ($driver) major versions differ; run: apt-get install $APT_BROWSER_PACKAGES"
}

need_rust
need_trunk
need_wasm_bindgen
if [ "$what" != build ]; then
    need_node_packages
fi
if [ "$what" = test ]; then
    need_python_tools
    need_coverage
    need_browser
fi

summary="rustc $(rustc --version | cut -d' ' -f2), $(tool_version trunk), $(tool_version wasm-bindgen)"
if [ "$what" != build ]; then summary+=", $(wasm-opt --version), node $(node --version)"; fi
if [ "$what" = test ]; then
    summary+=", Chromium $("$CHROMIUM" --version 2>/dev/null | grep -oE '[0-9.]+' | head -n 1)"
fi
echo "setup ($what): $summary"
