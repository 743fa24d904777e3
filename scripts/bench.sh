#!/usr/bin/env bash
# StreamLab's benchmarks (docs/benchmarks.md): prints figures, asserts nothing about time.
#
#   scripts/bench.sh            everything: native engine, 1,000,000-write replay, wasm, page
#   scripts/bench.sh native     cargo bench --bench engine
#   scripts/bench.sh replay     generate target/bench/replay-1m.json, replay it with /usr/bin/time -v
#   scripts/bench.sh wasm       the engine workloads in headless Chromium (wasm-bindgen-test)
#   scripts/bench.sh page       trunk build --release --offline into target/bench/dist, then
#                               scripts/page-bench.mjs (playwright-core) against it
#
# Heavy: run it on a quiet machine, once. Figures go to stdout and target/bench/*.log.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
mkdir -p target/bench
what="${1:-all}"

native() {
    log "native: cargo bench --bench engine"
    cargo bench --bench engine 2>&1 | tee target/bench/native.log
}

replay() {
    local n="${REPLAY_WRITES:-1000000}" file="target/bench/replay-1m.json"
    [ "$n" = 1000000 ] || file="target/bench/replay-$n.json"
    log "replay: generate $n writes, cargo build --release, /usr/bin/time -v target/release/streamlab replay"
    cargo bench --bench engine -- --gen "$n" "$file"
    cargo build --release
    /usr/bin/time -v target/release/streamlab replay "$file" > /dev/null 2> target/bench/replay.time
    grep -E "Elapsed|Maximum resident" target/bench/replay.time | tee target/bench/replay.log
    ls -l "$file" | tee -a target/bench/replay.log
}

wasm() {
    log "wasm: cargo test --profile wasm-release --target $WASM_TARGET --test wasm_bench (headless Chromium)"
    cargo test --profile wasm-release --target "$WASM_TARGET" --test wasm_bench -- --nocapture 2>&1 |
        grep -vE "^\s*(Compiling|Finished|Running)" | tee target/bench/wasm.log
}

page() {
    log "page: trunk build --release --offline --dist target/bench/dist; node scripts/page-bench.mjs"
    trunk build --release --offline --dist target/bench/dist
    node scripts/page-bench.mjs target/bench/dist 2>&1 | tee target/bench/page.log
}

case "$what" in
    native) native ;;
    replay) replay ;;
    wasm) wasm ;;
    page) page ;;
    all) native; replay; wasm; page ;;
    *) echo "usage: $0 [all|native|replay|wasm|page]" >&2; exit 2 ;;
esac
