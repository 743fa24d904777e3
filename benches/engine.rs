//! Native engine benchmark: prints figures, asserts nothing about time.
//!
//!   cargo bench --bench engine                       # the workloads of docs/benchmarks.md
//!   cargo bench --bench engine -- --n 100000         # another size
//!   cargo bench --bench engine -- --gen 1000000 FILE # write a 1,000,000-write scenario file
//!
//! The same workloads run in headless Chromium from `tests/wasm_bench.rs`.

#[path = "workloads.rs"]
mod workloads;

use std::io::{BufWriter, Write};

/// The allocator `streamlab replay` uses (src/main.rs), so the figures are the command's.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

/// Writes a scenario of `writes` stream-producing writes: a table with a NEW_AND_OLD_IMAGES
/// stream, then rounds of 10-attribute puts (inserts, then replacements), updates with
/// expressions and deletes over 10,000 keys. The steps are written one per line as they are
/// made, so the generator itself needs no memory.
fn generate(writes: u64, path: &str) -> std::io::Result<()> {
    let f = std::fs::File::create(path)?;
    let mut out = BufWriter::with_capacity(1 << 20, f);
    writeln!(out, "{{\n  \"description\": \"{writes} generated stream-producing writes (benches/engine.rs --gen)\",\n  \"steps\": [")?;
    writeln!(
        out,
        "    {{\"CreateTable\": {}}}",
        serde_json::json!({"TableName": "Bench",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}})
    )?;
    const KEYS: u64 = 10_000;
    let mut n = 0;
    let mut round = 0;
    while n < writes {
        // One round over the keys: put, replace, update, delete (4 writes per key).
        for phase in 0..4 {
            for k in 0..KEYS {
                if n >= writes {
                    break;
                }
                let (action, body) = match phase {
                    0 => ("PutItem", workloads::put_request(k, round * 2)),
                    1 => ("PutItem", workloads::put_request(k, round * 2 + 1)),
                    2 => ("UpdateItem", workloads::update_request(k, n)),
                    _ => ("DeleteItem", workloads::delete_request(k)),
                };
                writeln!(out, "    ,{{\"{action}\": {body}}}")?;
                n += 1;
            }
        }
        round += 1;
    }
    writeln!(out, "  ]\n}}")?;
    out.flush()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let Some(i) = args.iter().position(|a| a == "--gen") {
        let n: u64 = args.get(i + 1).and_then(|s| s.parse().ok()).expect("--gen N FILE");
        let path = args.get(i + 2).expect("--gen N FILE");
        generate(n, path).expect("write the scenario");
        eprintln!("wrote {n} writes to {path}");
        return;
    }
    // `--replay FILE`: the replay of `streamlab replay FILE`, output discarded (for profiling).
    if let Some(i) = args.iter().position(|a| a == "--replay") {
        let path = args.get(i + 1).expect("--replay FILE").clone();
        let t = Instant::now();
        let open = || std::fs::File::open(&path);
        let mut sink = std::io::sink();
        streamlab::scenario::replay_streaming(&open, &mut sink).expect("replay");
        println!("replayed {path} in {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
        return;
    }
    let n: u64 = args
        .iter()
        .position(|a| a == "--n")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    // `--only writes|mixed|mapping`: one workload (for profiling under callgrind or perf);
    // `--only put-new|put-replace|update|delete`: one kind of write, after an untimed setup.
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).map(String::as_str);
    let start = Instant::now();
    let now = move || start.elapsed().as_secs_f64() * 1000.0;
    println!("native engine benchmark, n = {n} (NEW_AND_OLD_IMAGES stream, 10-attribute items)");
    let mut figures = Vec::new();
    if only.is_none_or(|o| o == "writes") {
        figures.extend(workloads::writes(n, &now));
    }
    if only.is_none_or(|o| o == "mixed") {
        figures.push(workloads::mixed(n, &now));
    }
    if only.is_none_or(|o| o == "mapping") {
        figures.extend(workloads::mapping(n, &now));
    }
    if let Some(f) = only.and_then(|o| workloads::single(n, &now, o)) {
        figures.push(f);
    }
    for f in &figures {
        println!("{}", f.line());
    }
}
