#!/usr/bin/env bash
# Run every StreamLab test suite, print a summary, exit non-zero if anything failed.
#
#   0. lint     cargo fmt --check; cargo clippy --all-targets -D warnings, natively and for wasm32
#   1. native   cargo llvm-cov --no-report test (cargo test, instrumented): the line coverage is
#               printed in the summary and written to target/test-logs/coverage.txt
#   2. wasm     cargo test --target wasm32-unknown-unknown --test web
#               (wasm-bindgen-test in headless Chromium through chromedriver)
#   3. build    trunk build --release --offline   (wasm-opt from node_modules)
#   4. e2e      node --test tests/e2e/   (playwright-core + axe-core against dist/)
#   5. export   tests/export/verify.py: `streamlab export` of every lesson, scenario file, the
#               rule-language examples and seeded random rules: cfn-lint on each template, and
#               the Python (moto in-process) and Node.js (AWS SDK v3 against moto's server)
#               handlers checked against the simulator's replay
#
# Every suite runs even when an earlier one failed (e2e needs the build, though).
# The last line is "N passed, N failed", totalled over all suites; a suite that cannot
# run at all (does not compile, build fails) counts as one failure.
set -uo pipefail
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

logs="$ROOT/target/test-logs"
mkdir -p "$logs"

total_passed=0
total_failed=0
summary=()

# Sum "test result: ... N passed; M failed" lines (cargo test and wasm-bindgen-test-runner).
cargo_counts() {
    awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
         END { printf "%d %d\n", p, f }' "$1"
}

# record NAME STATUS PASSED FAILED
record() {
    local name="$1" status="$2" passed="$3" failed="$4" verdict
    if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
    if [ "$failed" = 0 ]; then verdict=ok; else verdict=FAILED; fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    summary+=("$(printf '%-8s %-6s %4d passed, %d failed' "$name" "$verdict" "$passed" "$failed")")
}

run_cargo_suite() {
    local name="$1"; shift
    log "$name: $*"
    "$@" 2>&1 | tee "$logs/$name.log"
    local status=${PIPESTATUS[0]} counts
    counts="$(cargo_counts "$logs/$name.log")"
    record "$name" "$status" ${counts}
}

log "setup"
if ! scripts/setup.sh test; then
    echo "setup failed: cannot run the tests" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

log "lint: cargo fmt --check; cargo clippy --all-targets -- -D warnings (native, then $WASM_TARGET)"
lint_failed=0
cargo fmt --check 2>&1 | tee "$logs/lint.log" | head -n 40
[ "${PIPESTATUS[0]}" = 0 ] || lint_failed=$((lint_failed + 1))
for target in "" "$WASM_TARGET"; do
    cargo clippy ${target:+--target "$target"} --all-targets -- -D warnings 2>&1 | tee -a "$logs/lint.log"
    [ "${PIPESTATUS[0]}" = 0 ] || lint_failed=$((lint_failed + 1))
done
record lint "$lint_failed" $((3 - lint_failed)) "$lint_failed"

# The native tests run once, instrumented for line coverage when cargo-llvm-cov is installed
# (scripts/setup.sh; its own build in target/llvm-cov-target), plainly otherwise.
if [ "$(cargo llvm-cov --version 2>/dev/null | head -n 1)" = "cargo-llvm-cov $CARGO_LLVM_COV_VERSION" ]; then
    # Only this run's counts and binaries: profile files of earlier runs would be merged in (and
    # count lines a test since changed or removed ran), and test binaries of earlier builds left
    # in target/llvm-cov-target would be reported with none (this rebuilds the crate's own).
    cargo llvm-cov clean --workspace
    run_cargo_suite native cargo llvm-cov --no-report test
    cargo llvm-cov report --summary-only >"$logs/coverage.txt" 2>&1
    coverage="$(awk '$1 == "TOTAL" { print "lines " $10 ", regions " $4 ", functions " $7 }' "$logs/coverage.txt")"
    summary+=("$(printf '%-15s %s (per file: target/test-logs/coverage.txt; docs/coverage.md)' coverage "${coverage:-not reported}")")
else
    run_cargo_suite native cargo test
    summary+=("coverage        not measured: cargo-llvm-cov $CARGO_LLVM_COV_VERSION is not installed (scripts/setup.sh)")
fi
run_cargo_suite wasm cargo test --target "$WASM_TARGET" --test web

log "build: trunk build --release --offline"
trunk build --release --offline 2>&1 | tee "$logs/build.log"
build_status=${PIPESTATUS[0]}
if [ "$build_status" = 0 ]; then record build 0 1 0; else record build "$build_status" 0 1; fi

# The command-line binary: the e2e tests run it (`streamlab grade` on a code from the page) and
# so does the export suite. The instrumented native tests above build theirs elsewhere
# (target/llvm-cov-target), so a clean clone has no target/debug/streamlab until this line.
log "cli: cargo build (target/debug/streamlab, for e2e and export)"
cargo build --quiet 2>&1 | tee "$logs/cli.log"
cli_status=${PIPESTATUS[0]}

if [ "$build_status" = 0 ]; then
    log "e2e: node --test tests/e2e/"
    node --test --test-concurrency=1 \
        --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$logs/e2e.tap" \
        tests/e2e/ 2>&1 | tee "$logs/e2e.log"
    e2e_status=${PIPESTATUS[0]}
    e2e_passed="$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$logs/e2e.tap" | tail -n 1)"
    e2e_failed="$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$logs/e2e.tap" | tail -n 1)"
    record e2e "$e2e_status" "${e2e_passed:-0}" "${e2e_failed:-0}"
else
    record e2e 1 0 1
    echo "e2e skipped: the release build failed"
fi

log "export: tests/export/verify.py (cfn-lint, Python handlers on moto, Node.js handlers on moto's server)"
if [ "$cli_status" = 0 ]; then
    target/export-venv/bin/python tests/export/verify.py target/debug/streamlab 2>&1 | tee "$logs/export.log"
    export_status=${PIPESTATUS[0]}
    export_counts="$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$logs/export.log" | tail -n 1)"
    record export "$export_status" ${export_counts:-0 1}
else
    record export 1 0 1
fi

echo
log "summary (logs in target/test-logs/)"
printf '%s\n' "${summary[@]}"
echo "${total_passed} passed, ${total_failed} failed"
[ "$total_failed" = 0 ]
