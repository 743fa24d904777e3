//! Record accounting through failing handlers over long horizons (issue 17): random writes,
//! some of them poison to the function, clock advances from a minute to days (across the
//! stream's 24-hour retention), shard roll-over, and a mapping with random BatchSize,
//! MaximumRetryAttempts, BisectBatchOnFunctionError, MaximumRecordAgeInSeconds and an on-failure
//! destination. Once everything has settled, every record the stream held is accounted for
//! exactly one way (spec §4.3 processed successfully; §4.4/§4.6 discarded and described to the
//! destination by shard and sequence range; §2.3 trimmed after 24 h before it was read, only
//! when the mapping could have been held back that long), never lost silently, and successful
//! processing is in per-key sequence order. The checks are shared with the cargo-fuzz target
//! `horizons` (`fuzz/targets.rs`: `assert_accounted`); a fixed number of cases, no timing asserts.

use crate::common::targets::{self, Handling, Step};
use proptest::prelude::*;
use streamlab::EngineConfig;

fn cfg(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Valid settings (§4.1 ranges), with the interesting values more likely.
fn handling() -> impl Strategy<Value = Handling> {
    let batch = prop_oneof![1u32..=5, Just(10u32), Just(100u32), 1u32..=10_000];
    let retries = prop_oneof![Just(-1i64), 0i64..=3, Just(10i64), Just(10_000i64)];
    let age = prop_oneof![
        Just(-1i64),
        Just(60i64),
        Just(600i64),
        Just(3600i64),
        Just(43_200i64),
        Just(604_800i64),
        60i64..=604_800
    ];
    (batch, retries, any::<bool>(), age).prop_map(|(batch, retries, bisect, max_age)| Handling {
        batch,
        retries,
        bisect,
        max_age,
    })
}

/// Minutes to days, several of them around the 24-hour retention.
fn advance() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(60u64),
        Just(300u64),
        Just(3600u64),
        Just(6 * 3600u64),
        Just(23 * 3600u64),
        Just(86_400u64),
        Just(25 * 3600u64),
        Just(3 * 86_400u64),
        1u64..=4 * 86_400,
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u8..6, prop::bool::weighted(0.3)).prop_map(|(key, poison)| Step::Put { key, poison }),
        1 => (0u8..6).prop_map(|key| Step::Delete { key }),
        3 => advance().prop_map(|secs| Step::Advance { secs }),
        1 => Just(Step::Map),
    ]
}

/// 1–3 shards per stream rolling over every 1 or 4 hours; every invocation and on-failure record
/// kept (the default history limit would drop the oldest).
fn engine_config() -> impl Strategy<Value = EngineConfig> {
    (1usize..=3, prop_oneof![Just(1u64), Just(4u64)]).prop_map(|(shards, hours)| EngineConfig {
        shards_per_stream: shards,
        shard_rollover_ms: hours * targets::HOUR_MS,
        history_limit: None,
        ..EngineConfig::default()
    })
}

proptest! {
    #![proptest_config(cfg(96))]

    #[test]
    fn every_record_is_processed_reported_or_expired_exactly_once(
        config in engine_config(),
        h in handling(),
        steps in proptest::collection::vec(step(), 1..40),
    ) {
        let run = targets::run_horizon(config, h, &steps);
        targets::assert_accounted(&run);
    }

    /// The cargo-fuzz target `horizons` on random bytes: a year of sparse writes, accounting and
    /// the work bound.
    #[test]
    fn horizons_target(data in proptest::collection::vec(any::<u8>(), 5..80)) {
        targets::horizons(&data);
    }
}

/// The decoder of the `horizons` target stays within a year and 48 writes, whatever the bytes.
#[test]
fn horizon_inputs_are_bounded() {
    let data: Vec<u8> = (0..600u32).map(|i| (i * 7 + 3) as u8).collect();
    let (_, _, steps) = targets::decode_horizon(&data);
    let writes = steps.iter().filter(|s| matches!(s, Step::Put { .. } | Step::Delete { .. })).count() as u64;
    let secs: u64 = steps.iter().map(|s| if let Step::Advance { secs } = s { *secs } else { 0 }).sum();
    assert!(writes <= targets::HORIZON_MAX_WRITES);
    assert!(secs * 1000 <= targets::HORIZON_MAX_MS);
    assert!(matches!(steps.last(), Some(Step::Map)), "a mapping is always made");
}

/// Hand-made cases the random ones might miss.
#[test]
fn a_poison_record_blocking_for_a_day_lets_the_records_behind_it_expire_and_says_so() {
    // Infinite retries and no age limit: "bad" holds the shard until it reaches the retention
    // (§4.4); the record written with it is trimmed unread (§2.3); one an hour
    // later is processed. "bad" and "k1" are written at the same moment, so they reach the
    // retention together, and "k1" cannot be read while "bad" blocks the shard.
    let config = EngineConfig { history_limit: None, ..EngineConfig::default() };
    let h = Handling { batch: 1, retries: -1, bisect: false, max_age: -1 };
    let steps = [
        Step::Map,
        Step::Put { key: 0, poison: true },
        Step::Put { key: 1, poison: false },
        Step::Advance { secs: 3600 },
        Step::Put { key: 2, poison: false },
    ];
    let run = targets::run_horizon(config, h, &steps);
    targets::assert_accounted(&run);
    let outcomes: Vec<String> = run
        .e
        .invocations_output()
        .iter()
        .filter(|i| i["Outcome"] == "Success")
        .map(|i| i["Event"]["Records"][0]["dynamodb"]["Keys"]["pk"]["S"].to_string())
        .collect();
    assert_eq!(outcomes, ["\"k2\""], "only the record that outlived the block is processed");
    assert_eq!(run.e.failures_output().len(), 1, "the poison record is reported");
}

/// The hand-made seeds of the `horizons` target (fuzz/corpus/horizons/seed-*, docs/fuzzing.md)
/// pass its checks.
#[test]
fn the_horizons_seed_corpus_passes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/horizons");
    let mut seeds: Vec<_> = std::fs::read_dir(&dir)
        .expect("fuzz/corpus/horizons")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("seed-")))
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 4, "{seeds:?}");
    for path in seeds {
        let data = std::fs::read(&path).expect("seed");
        targets::horizons(&data);
    }
}
