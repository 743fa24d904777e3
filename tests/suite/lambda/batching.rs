//! Polling and batching (§4.2): BatchSize, the batching window, the 6 MB payload, starting
//! positions, enabling and disabling, ParallelizationFactor (§4.7), parent shards first (§2.5).

use crate::common::lambda::*;
use crate::common::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn batch_size_splits_batches() {
    // §4.2 trigger 1: BatchSize records gathered; records in order (§4.2 "reads records in order").
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({"BatchSize": 2}));
    for (i, k) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        put(&mut e, "Tbl", k, i as i64);
    }
    advance(&mut e, 5.0);
    let all = invs(&e);
    let sizes: Vec<usize> = all.iter().map(|i| records(i).len()).collect();
    assert_eq!(sizes, [2, 2, 1]);
    let order: Vec<String> = all.iter().flat_map(pks).collect();
    assert_eq!(order, ["a", "b", "c", "d", "e"]);
    let all_seqs: Vec<u128> = all.iter().flat_map(seqs).map(|s| seq_num(&s)).collect();
    assert!(all_seqs.windows(2).all(|w| w[0] < w[1]));
    assert!(all.iter().all(|i| outcome(i) == "Success" && i["Attempt"] == 1));
    assert!(all.windows(2).all(|w| time(&w[0]) <= time(&w[1])));
    assert_eq!(time(&all[0]), T0 + 0.25);
}

#[test]
fn default_batch_size_is_100() {
    // §4.1 BatchSize default 100.
    let mut e = engine();
    table(&mut e, "Tbl", "KEYS_ONLY");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({}));
    for i in 0..250 {
        put(&mut e, "Tbl", &format!("k{i:03}"), i);
    }
    advance(&mut e, 5.0);
    let sizes: Vec<usize> = invs(&e).iter().map(|i| records(i).len()).collect();
    assert_eq!(sizes, [100, 100, 50]);
}

#[test]
fn batching_window_waits_then_sends() {
    // §4.2 trigger 2: with MaximumBatchingWindowInSeconds > 0 records are gathered until the
    // window elapses, then sent together.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({"MaximumBatchingWindowInSeconds": 5}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 2.0);
    assert!(invs(&e).is_empty(), "nothing before the window elapses: {:?}", invs(&e));
    put(&mut e, "Tbl", "b", 2);
    advance(&mut e, 2.0);
    assert!(invs(&e).is_empty());
    advance(&mut e, 10.0);
    let all = invs(&e);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(pks(&all[0]), ["a", "b"]);
    // The window opened when the first record was seen (at the first poll, T0 + 0.25 at the latest).
    let t = time(&all[0]);
    assert!((T0 + 5.0..=T0 + 5.5).contains(&t), "sent at {t}");
}

#[test]
fn a_full_batch_does_not_wait_for_the_window() {
    // §4.2: an invocation happens when ANY trigger is reached; BatchSize first here.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({"MaximumBatchingWindowInSeconds": 300, "BatchSize": 2}));
    put(&mut e, "Tbl", "a", 1);
    put(&mut e, "Tbl", "b", 2);
    put(&mut e, "Tbl", "c", 3);
    advance(&mut e, 1.0);
    let all = invs(&e);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(pks(&all[0]), ["a", "b"]);
    assert_eq!(time(&all[0]), T0 + 0.25);
    advance(&mut e, 400.0);
    let all = invs(&e);
    assert_eq!(all.len(), 2);
    assert_eq!(pks(&all[1]), ["c"]);
}

#[test]
fn window_zero_sends_single_records() {
    // §4.2: window 0 = send as soon as anything is available — a batch may hold one record.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 1.0);
    put(&mut e, "Tbl", "b", 2);
    advance(&mut e, 1.0);
    let all = invs(&e);
    assert_eq!(all.iter().map(pks).collect::<Vec<_>>(), [vec!["a"], vec!["b"]]);
    assert_eq!(time(&all[0]), T0 + 0.25);
    assert_eq!(time(&all[1]), T0 + 1.25);
}

#[test]
fn latest_versus_trim_horizon() {
    // §4.1 StartingPosition: TRIM_HORIZON reads from the oldest record, LATEST only what is
    // written after the mapping starts. (The simulator has no start-up lag for LATEST.)
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "old", "");
    function(&mut e, "new", "");
    put(&mut e, "Tbl", "before", 1);
    advance(&mut e, 10.0);
    mapping(&mut e, "Tbl", "old", json!({"StartingPosition": "TRIM_HORIZON"}));
    mapping(&mut e, "Tbl", "new", json!({"StartingPosition": "LATEST"}));
    advance(&mut e, 1.0);
    put(&mut e, "Tbl", "after", 2);
    advance(&mut e, 5.0);
    let old: Vec<String> = invs_of(&e, "old").iter().flat_map(pks).collect();
    let new: Vec<String> = invs_of(&e, "new").iter().flat_map(pks).collect();
    assert_eq!(old, ["before", "after"]);
    assert_eq!(new, ["after"]);
}

#[test]
fn disabling_stops_and_enabling_resumes_from_the_checkpoint() {
    // §4.1 Enabled: false = stop polling; position remembered and resumed. §4.8.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let m = mapping(&mut e, "Tbl", "f", json!({}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 2.0);
    assert_eq!(invs(&e).len(), 1);
    let u = ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "Enabled": false}));
    // §4.1 lifecycle: Enabled=false → Disabling → Disabled (updates go through Updating).
    assert!(u["State"] == "Disabling" || u["State"] == "Updating", "{}", u["State"]);
    advance(&mut e, 1.0);
    assert_eq!(ok(&mut e, "GetEventSourceMapping", json!({"UUID": m["UUID"]}))["State"], "Disabled");
    put(&mut e, "Tbl", "b", 2);
    put(&mut e, "Tbl", "c", 3);
    advance(&mut e, 60.0);
    assert_eq!(invs(&e).len(), 1, "a disabled mapping does not poll");
    let u = ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "Enabled": true}));
    assert!(u["State"] == "Enabling" || u["State"] == "Updating", "{}", u["State"]);
    advance(&mut e, 2.0);
    assert_eq!(ok(&mut e, "GetEventSourceMapping", json!({"UUID": m["UUID"]}))["State"], "Enabled");
    let all = invs(&e);
    let after: Vec<String> = all[1..].iter().flat_map(pks).collect();
    assert_eq!(after, ["b", "c"], "resumes after a, not from LATEST and not from the start");
}

#[test]
fn created_disabled_starts_when_enabled() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({"Enabled": false}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 10.0);
    assert!(invs(&e).is_empty());
    ok(&mut e, "UpdateEventSourceMapping", json!({"FunctionName": "f", "TableName": "Tbl", "Enabled": true}));
    advance(&mut e, 2.0);
    assert_eq!(invs(&e).iter().flat_map(pks).collect::<Vec<_>>(), ["a"]);
}

#[test]
fn deleted_mapping_stops_invoking() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 1.0);
    ok(&mut e, "DeleteEventSourceMapping", json!({"FunctionName": "f", "TableName": "Tbl"}));
    put(&mut e, "Tbl", "b", 1);
    advance(&mut e, 10.0);
    assert_eq!(invs(&e).iter().flat_map(pks).collect::<Vec<_>>(), ["a"]);
}

#[test]
fn update_batch_size_applies_to_later_batches() {
    let mut e = engine();
    table(&mut e, "Tbl", "KEYS_ONLY");
    function(&mut e, "f", "");
    let m = mapping(&mut e, "Tbl", "f", json!({"BatchSize": 1}));
    put(&mut e, "Tbl", "a", 1);
    put(&mut e, "Tbl", "b", 1);
    advance(&mut e, 5.0);
    ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "BatchSize": 10}));
    for k in ["c", "d", "e"] {
        put(&mut e, "Tbl", k, 1);
    }
    advance(&mut e, 5.0);
    let sizes: Vec<usize> = invs(&e).iter().map(|i| records(i).len()).collect();
    assert_eq!(sizes, [1, 1, 3]);
}

#[test]
fn parallelization_keeps_per_key_order_with_concurrent_batches() {
    // §4.7: up to ParallelizationFactor concurrent batches per shard; order per partition key.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({"ParallelizationFactor": 10, "BatchSize": 3}));
    for round in 1..=4 {
        for k in 0..20 {
            put(&mut e, "Tbl", &format!("k{k}"), round);
        }
    }
    advance(&mut e, 30.0);
    let all = invs(&e);
    let mut per_key: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for inv in &all {
        for r in records(inv) {
            let k = r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_string();
            let v: i64 = r["dynamodb"]["NewImage"]["v"]["N"].as_str().unwrap().parse().unwrap();
            per_key.entry(k).or_default().push(v);
        }
    }
    assert_eq!(per_key.len(), 20);
    for (k, vs) in &per_key {
        assert_eq!(vs, &[1, 2, 3, 4], "order of {k}");
    }
    // Concurrency: more than one batch of the single shard at the first poll instant.
    let first_slot = all.iter().filter(|i| time(i) == T0 + 0.25).count();
    assert!(first_slot > 1, "only {first_slot} batch(es) at the first poll with factor 10");
    // Every invocation of the single shard names that shard.
    let shard_ids: BTreeSet<&str> = all.iter().map(|i| i["ShardId"].as_str().unwrap()).collect();
    assert_eq!(shard_ids.len(), 1);
}

#[test]
fn factor_one_sends_one_batch_at_a_time() {
    // §4.2: the next batch of a shard is not sent until the current one completes; factor 1 =
    // one batch in flight per shard, records in shard order.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({"BatchSize": 3}));
    for k in 0..9 {
        put(&mut e, "Tbl", &format!("k{k}"), k);
    }
    advance(&mut e, 10.0);
    let order: Vec<String> = invs(&e).iter().flat_map(pks).collect();
    assert_eq!(order, (0..9).map(|k| format!("k{k}")).collect::<Vec<_>>());
}

#[test]
fn parent_shard_finishes_before_child() {
    // §2.5 / §4.2: Lambda follows shard lineage, finishing a parent before its children, so
    // per-item order holds across a roll-over even while the parent's batch is retried.
    let mut e = engine_with(|c| c.shard_rollover_ms = 60_000);
    let arn = table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT, MODIFY when new.v = 1 fail \"first version fails\"");
    mapping(&mut e, "Tbl", "f", json!({"MaximumRetryAttempts": 8}));
    put(&mut e, "Tbl", "a", 1); // parent shard, fails until retries run out (1+2+4+...+60 s)
    advance(&mut e, 90.0);
    put(&mut e, "Tbl", "a", 2); // child shard (rolled over at T0+60)
    advance(&mut e, 600.0);
    let all = invs(&e);
    let v_of = |inv: &Value| records(inv)[0]["dynamodb"]["NewImage"]["v"]["N"].as_str().unwrap().to_string();
    let parent_invs: Vec<&Value> = all.iter().filter(|i| v_of(i) == "1").collect();
    let child_invs: Vec<&Value> = all.iter().filter(|i| v_of(i) == "2").collect();
    assert_eq!(parent_invs.len(), 9, "1 + 8 retries");
    assert_eq!(child_invs.len(), 1);
    assert_ne!(parent_invs[0]["ShardId"], child_invs[0]["ShardId"]);
    assert!(
        time(child_invs[0]) >= time(parent_invs[8]),
        "child at {} before parent done at {}",
        time(child_invs[0]),
        time(parent_invs[8])
    );
    assert!(time(parent_invs[8]) > T0 + 90.0, "the parent was still retrying when the child record arrived");
    // The child's ParentShardId is the parent (§2.5).
    let desc = ok(&mut e, "DescribeStream", json!({"StreamArn": arn}));
    let child = desc["StreamDescription"]["Shards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["ShardId"] == child_invs[0]["ShardId"])
        .cloned()
        .unwrap();
    assert_eq!(child["ParentShardId"], parent_invs[0]["ShardId"]);
}

#[test]
fn batches_stay_under_the_6_mb_payload() {
    // §4.2 trigger 3: the payload reaches 6 MB (6 291 456 bytes). Records of ~350 000 bytes:
    // 18 of them are over 6 MB, 17 are under, so a BatchSize of 100 still gives 17 + 3.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({"BatchSize": 100}));
    let big = "x".repeat(350_000);
    for i in 0..20 {
        ok(
            &mut e,
            "PutItem",
            json!({"TableName": "Tbl", "Item": {"pk": {"S": format!("k{i:02}")}, "blob": {"S": big}}}),
        );
    }
    advance(&mut e, 5.0);
    let all = invs(&e);
    let sizes: Vec<usize> = all.iter().map(|i| records(i).len()).collect();
    assert_eq!(sizes, [17, 3]);
    for inv in &all {
        assert!(serde_json::to_string(&inv["Event"]).unwrap().len() <= 6 * 1024 * 1024);
    }
    let order: Vec<String> = all.iter().flat_map(pks).collect();
    assert_eq!(order, (0..20).map(|i| format!("k{i:02}")).collect::<Vec<_>>());
}

#[test]
fn changing_the_parallelization_factor_keeps_every_record_and_the_order_per_key() {
    // §4.1: UpdateEventSourceMapping may change ParallelizationFactor; §4.7: order is kept per
    // item whatever the factor. Records written before and after the change are each delivered
    // once, in order per key, and the next polls send several batches of the one shard at once.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let m = mapping(&mut e, "Tbl", "f", json!({"BatchSize": 2}));
    for k in 0..12 {
        put(&mut e, "Tbl", &format!("k{k}"), 1);
    }
    advance(&mut e, 0.25); // the first batch of two has been sent
    let u = ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "ParallelizationFactor": 4}));
    assert_eq!(u["ParallelizationFactor"], 4);
    for k in 0..12 {
        put(&mut e, "Tbl", &format!("k{k}"), 2);
    }
    advance(&mut e, 30.0);
    let all = invs(&e);
    let mut per_key: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for inv in &all {
        for r in records(inv) {
            let k = r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_string();
            let v: i64 = r["dynamodb"]["NewImage"]["v"]["N"].as_str().unwrap().parse().unwrap();
            per_key.entry(k).or_default().push(v);
        }
    }
    assert_eq!(per_key.len(), 12);
    for (k, vs) in &per_key {
        assert_eq!(vs, &[1, 2], "records of {k}");
    }
    let later: Vec<f64> = all.iter().skip(1).map(time).collect();
    let busiest = later.iter().map(|t| later.iter().filter(|u| *u == t).count()).max().unwrap_or(0);
    assert!(busiest > 1, "with factor 4, more than one batch at some poll after the change");
    // And back down to 1: still every record once.
    ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "ParallelizationFactor": 1}));
    put(&mut e, "Tbl", "k0", 3);
    advance(&mut e, 5.0);
    let last: Vec<Vec<String>> = invs(&e)[all.len()..].iter().map(pks).collect();
    assert_eq!(last, [vec!["k0".to_string()]]);
}
