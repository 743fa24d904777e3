//! Function errors (§4.3–§4.5): retries and their backoff, the blocked shard, MaximumRetryAttempts
//! and MaximumRecordAgeInSeconds, BisectBatchOnFunctionError, ReportBatchItemFailures.

use crate::common::lambda::*;
use crate::common::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

#[test]
fn a_poison_key_blocks_only_its_virtual_shard() {
    // §4.4 blocked shard applies per (virtual) shard; §4.7 each virtual shard has its own
    // blocking/retry state.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when keys.pk = \"bad\" fail \"poison\"");
    mapping(&mut e, "Tbl", "f", json!({"ParallelizationFactor": 10}));
    put(&mut e, "Tbl", "bad", 0);
    advance(&mut e, 1.0);
    for k in 0..20 {
        put(&mut e, "Tbl", &format!("k{k}"), k);
    }
    advance(&mut e, 30.0);
    let all = invs(&e);
    let done: BTreeSet<String> = all.iter().filter(|i| outcome(i) == "Success").flat_map(pks).collect();
    assert!(!done.is_empty(), "other virtual shards keep going while 'bad' retries");
    assert!(all.iter().any(|i| outcome(i) == "Error" && pks(i).contains(&"bad".to_string())));
    // Without parallelization the whole shard is blocked (checked below).
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when keys.pk = \"bad\" fail \"poison\"");
    mapping(&mut e, "Tbl", "f", json!({}));
    put(&mut e, "Tbl", "bad", 0);
    advance(&mut e, 1.0);
    for k in 0..20 {
        put(&mut e, "Tbl", &format!("k{k}"), k);
    }
    advance(&mut e, 30.0);
    assert!(invs(&e).iter().all(|i| outcome(i) == "Error"));
}

#[test]
fn blocked_shard_waits_while_a_batch_retries() {
    // §4.4: while a batch is being retried the shard is blocked: nothing after it is processed.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when keys.pk = \"bad\" fail \"poison\"\non INSERT notify \"#c\" \"{keys.pk}\"");
    mapping(&mut e, "Tbl", "f", json!({"BatchSize": 1}));
    put(&mut e, "Tbl", "bad", 0);
    advance(&mut e, 1.0);
    put(&mut e, "Tbl", "good1", 1);
    put(&mut e, "Tbl", "good2", 2);
    advance(&mut e, 600.0);
    let all = invs(&e);
    assert!(all.len() > 3, "retried: {}", all.len());
    for inv in &all {
        assert_eq!(pks(inv), ["bad"], "only the poison batch is sent");
        assert_eq!(outcome(inv), "Error");
        assert!(inv["Error"].is_string());
    }
    let attempts: Vec<i64> = all.iter().map(|i| i["Attempt"].as_i64().unwrap()).collect();
    assert_eq!(attempts, (1..=all.len() as i64).collect::<Vec<_>>());
    assert!(e.notifications_output().is_empty());
}

#[test]
fn retry_backoff_doubles_and_is_capped() {
    // Simulator model (documented): backoff 1 s doubling, capped at 60 s; §4.4 "exponential
    // backoff with a small base".
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", FAIL_ALL);
    mapping(&mut e, "Tbl", "f", json!({}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 900.0);
    let t: Vec<f64> = invs(&e).iter().map(time).collect();
    assert_eq!(t[0], T0 + 0.25);
    let gaps: Vec<f64> = t.windows(2).map(|w| w[1] - w[0]).collect();
    for (i, g) in gaps.iter().take(5).enumerate() {
        let want = f64::from(1u32 << i);
        assert!(*g >= want && *g <= want + 0.25, "gap {i} = {g}, want ~{want}");
    }
    assert!(gaps.iter().all(|g| *g <= 60.25), "{gaps:?}");
    assert!(gaps.iter().rev().take(3).all(|g| *g >= 60.0), "{gaps:?}");
}

#[test]
fn maximum_retry_attempts_then_discard_and_move_on() {
    // §4.4: retried until MaximumRetryAttempts retries are used up, then discarded (checkpoint
    // past it) and sent to OnFailure; approximateInvokeCount = 1 + retries (observed: 1 → 2, 3 → 4).
    for (retries, count) in [(0i64, 1i64), (1, 2), (3, 4)] {
        let mut e = engine();
        table(&mut e, "Tbl", "NEW_IMAGE");
        function(&mut e, "f", "on INSERT when keys.pk = \"bad\" fail \"poison\"");
        mapping(
            &mut e,
            "Tbl",
            "f",
            json!({"MaximumRetryAttempts": retries, "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
        );
        put(&mut e, "Tbl", "bad", 0);
        advance(&mut e, 120.0);
        put(&mut e, "Tbl", "next", 1);
        advance(&mut e, 5.0);
        let all = invs(&e);
        assert_eq!(all.len() as i64, count + 1, "retries {retries}: {all:?}");
        for (i, inv) in all[..count as usize].iter().enumerate() {
            assert_eq!(pks(inv), ["bad"]);
            assert_eq!(inv["Attempt"], json!(i + 1));
            assert_eq!(outcome(inv), "Error");
        }
        assert_eq!(pks(&all[count as usize]), ["next"]);
        assert_eq!(outcome(&all[count as usize]), "Success");
        assert_eq!(all[count as usize]["Attempt"], 1);
        let f = e.failures_output();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0]["requestContext"]["condition"], "RetryAttemptsExhausted");
        assert_eq!(f[0]["requestContext"]["approximateInvokeCount"], json!(count));
        assert_eq!(f[0]["responseContext"]["functionError"], "Unhandled");
    }
}

#[test]
fn record_age_exceeded_discards() {
    // §4.4: function errors are retried until the oldest record exceeds
    // MaximumRecordAgeInSeconds; then discarded with condition RecordAgeExceeded (Decisions table).
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", FAIL_ALL);
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"MaximumRecordAgeInSeconds": 60, "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 600.0);
    let all = invs(&e);
    assert!(all.len() >= 2);
    for inv in &all {
        assert!(time(inv) <= T0 + 60.0 + 0.25, "invoked at {} with a record older than 60 s", time(inv));
    }
    let f = e.failures_output();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["requestContext"]["condition"], "RecordAgeExceeded");
    assert_eq!(f[0]["DDBStreamBatchInfo"]["batchSize"], 1);
    assert_eq!(f[0]["requestContext"]["approximateInvokeCount"], json!(all.len()));
    // After the discard the shard moves on.
    put(&mut e, "Tbl", "b", 1);
    advance(&mut e, 1.0);
    assert_eq!(pks(invs(&e).last().unwrap()), ["b"]);
}

#[test]
fn records_already_too_old_are_not_sent() {
    // §4.1 / §4.4 MaximumRecordAgeInSeconds: Lambda discards records older than the maximum age
    // (AWS docs: "Discard records older than the specified age") — they never reach the function.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    put(&mut e, "Tbl", "old", 1);
    advance(&mut e, 120.0);
    put(&mut e, "Tbl", "young", 1);
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"MaximumRecordAgeInSeconds": 60, "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    advance(&mut e, 5.0);
    let sent: Vec<String> = invs(&e).iter().flat_map(pks).collect();
    assert_eq!(sent, ["young"]);
    let f = e.failures_output();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["requestContext"]["condition"], "RecordAgeExceeded");
}

#[test]
fn bisect_splits_without_consuming_retries() {
    // §4.4: BisectBatchOnFunctionError splits a failed batch in two halves retried separately
    // (first half first); splitting does not consume the retry quota. With
    // MaximumRetryAttempts 0 the batch is still bisected down to the poison record.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when keys.pk = \"c\" fail \"poison\"\non INSERT notify \"#ok\" \"{keys.pk}\"");
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"BatchSize": 4, "BisectBatchOnFunctionError": true, "MaximumRetryAttempts": 0,
                                     "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    for k in ["a", "b", "c", "d"] {
        put(&mut e, "Tbl", k, 1);
    }
    advance(&mut e, 60.0);
    let all = invs(&e);
    let shape: Vec<(Vec<String>, String)> = all.iter().map(|i| (pks(i), outcome(i).to_string())).collect();
    let v = |ks: &[&str], o: &str| (ks.iter().map(|s| s.to_string()).collect::<Vec<_>>(), o.to_string());
    assert_eq!(
        shape,
        [
            v(&["a", "b", "c", "d"], "Error"),
            v(&["a", "b"], "Success"),
            v(&["c", "d"], "Error"),
            v(&["c"], "Error"),
            v(&["d"], "Success")
        ]
    );
    let f = e.failures_output();
    assert_eq!(f.len(), 1, "only the poison record is discarded");
    assert_eq!(f[0]["DDBStreamBatchInfo"]["batchSize"], 1);
    let c_seq = seqs(&all[3])[0].clone();
    assert_eq!(f[0]["DDBStreamBatchInfo"]["startSequenceNumber"], json!(c_seq));
    assert_eq!(f[0]["requestContext"]["condition"], "RetryAttemptsExhausted");
    // a, b processed in the first failed attempt (before c threw) and again in [a, b]; d once.
    let notes: Vec<String> =
        e.notifications_output().iter().map(|n| n["Message"].as_str().unwrap().to_string()).collect();
    assert_eq!(notes, ["a", "b", "a", "b", "d"]);
}

#[test]
fn bisect_keeps_batch_size_for_later_batches() {
    // §4.4: "the configured BatchSize is unchanged for later batches".
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when keys.pk = \"bad\" fail \"poison\"");
    mapping(&mut e, "Tbl", "f", json!({"BatchSize": 2, "BisectBatchOnFunctionError": true, "MaximumRetryAttempts": 0}));
    put(&mut e, "Tbl", "bad", 1);
    put(&mut e, "Tbl", "x", 1);
    advance(&mut e, 30.0);
    for k in ["p", "q", "r", "s"] {
        put(&mut e, "Tbl", k, 1);
    }
    advance(&mut e, 5.0);
    let later: Vec<Vec<String>> =
        invs(&e).iter().map(pks).filter(|p| ["p", "q", "r", "s"].contains(&p[0].as_str())).collect();
    assert_eq!(later, [vec!["p", "q"], vec!["r", "s"]]);
}

#[test]
fn partial_failure_checkpoints_at_the_failed_record() {
    // §4.5: the lowest reported sequence number is the checkpoint; that record and everything
    // after it is retried; a partial failure counts as a failed attempt; when exhausted the
    // failure record describes only the remaining records and functionError is null.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when keys.pk = \"c\" fail \"poison\"\non INSERT notify \"#ok\" \"{keys.pk}\"");
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"BatchSize": 5, "FunctionResponseTypes": ["ReportBatchItemFailures"], "MaximumRetryAttempts": 1,
                                     "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    for k in ["a", "b", "c", "d", "e"] {
        put(&mut e, "Tbl", k, 1);
    }
    advance(&mut e, 30.0);
    let all = invs(&e);
    assert_eq!(all.len(), 2, "{all:?}");
    let s = seqs(&all[0]);
    assert_eq!(pks(&all[0]), ["a", "b", "c", "d", "e"]);
    assert_eq!(outcome(&all[0]), "PartialFailure");
    assert_eq!(all[0]["BatchItemFailures"], json!([{"itemIdentifier": s[2]}]));
    assert_eq!(pks(&all[1]), ["c", "d", "e"]);
    assert_eq!(all[1]["Attempt"], 2);
    assert_eq!(outcome(&all[1]), "PartialFailure");
    let f = e.failures_output();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["requestContext"]["condition"], "RetryAttemptsExhausted");
    assert_eq!(f[0]["requestContext"]["approximateInvokeCount"], 2);
    assert!(f[0]["responseContext"].get("functionError").is_some(), "functionError member present");
    assert_eq!(f[0]["responseContext"]["functionError"], Value::Null);
    let info = &f[0]["DDBStreamBatchInfo"];
    assert_eq!(info["startSequenceNumber"], json!(s[2]));
    assert_eq!(info["endSequenceNumber"], json!(s[4]));
    assert_eq!(info["batchSize"], 3);
    let notes: Vec<String> =
        e.notifications_output().iter().map(|n| n["Message"].as_str().unwrap().to_string()).collect();
    assert_eq!(notes, ["a", "b"], "a and b are checkpointed and never re-sent");
    // The shard moves on after the discard.
    put(&mut e, "Tbl", "f", 1);
    advance(&mut e, 2.0);
    assert_eq!(pks(invs(&e).last().unwrap()), ["f"]);
}

#[test]
fn partial_failure_blocks_the_remainder_while_retrying() {
    // §4.5 + §4.4: with infinite retries, only the remainder (from the reported record on) is
    // retried, again and again; a and b are done with; nothing is discarded.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when keys.pk = \"c\" fail \"poison\"\non INSERT notify \"#ok\" \"{keys.pk}\"");
    mapping(&mut e, "Tbl", "f", json!({"BatchSize": 5, "FunctionResponseTypes": ["ReportBatchItemFailures"]}));
    for k in ["a", "b", "c", "d", "e"] {
        put(&mut e, "Tbl", k, 1);
    }
    advance(&mut e, 120.0);
    let all = invs(&e);
    assert!(all.len() > 3);
    for inv in &all[1..] {
        assert_eq!(pks(inv), ["c", "d", "e"]);
        assert_eq!(outcome(inv), "PartialFailure");
    }
    let notes: Vec<String> =
        e.notifications_output().iter().map(|n| n["Message"].as_str().unwrap().to_string()).collect();
    assert_eq!(notes, ["a", "b"]);
    assert!(e.failures_output().is_empty());
}

#[test]
fn without_report_batch_item_failures_the_whole_batch_is_retried() {
    // §4.3 / §4.5: without the response type the batch is all-or-nothing.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when keys.pk = \"c\" fail \"poison\"");
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"BatchSize": 5, "MaximumRetryAttempts": 1, "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    for k in ["a", "b", "c", "d", "e"] {
        put(&mut e, "Tbl", k, 1);
    }
    advance(&mut e, 30.0);
    let all = invs(&e);
    assert_eq!(all.len(), 2);
    assert_eq!(pks(&all[1]), ["a", "b", "c", "d", "e"]);
    assert_eq!(outcome(&all[1]), "Error");
    assert!(all[1].get("BatchItemFailures").is_none());
    let f = e.failures_output();
    assert_eq!(f[0]["DDBStreamBatchInfo"]["batchSize"], 5);
    assert_eq!(f[0]["responseContext"]["functionError"], "Unhandled");
}

#[test]
fn bisect_with_partial_response_splits_at_the_returned_sequence_number() {
    // §4.4: with ReportBatchItemFailures and bisect, a partial response splits the batch at the
    // returned sequence number and only the remainder is retried.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when keys.pk = \"c\" fail \"poison\"");
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"BatchSize": 5, "FunctionResponseTypes": ["ReportBatchItemFailures"],
                                     "BisectBatchOnFunctionError": true, "MaximumRetryAttempts": 0,
                                     "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    for k in ["a", "b", "c", "d", "e"] {
        put(&mut e, "Tbl", k, 1);
    }
    advance(&mut e, 60.0);
    let all = invs(&e);
    assert_eq!(pks(&all[0]), ["a", "b", "c", "d", "e"]);
    assert_eq!(pks(&all[1]), ["c", "d", "e"], "the remainder from the returned sequence number");
    for inv in &all[1..] {
        assert!(!pks(inv).contains(&"a".to_string()) && !pks(inv).contains(&"b".to_string()));
    }
    assert!(
        all.iter().any(|i| pks(i).contains(&"e".to_string()) && outcome(i) == "Success"),
        "the rest of the batch gets through"
    );
}

#[test]
fn infinite_retries_block_until_the_records_expire() {
    // §4.4: with -1/-1 a poison record is retried until it expires from the stream (24 h),
    // blocking the shard meanwhile; then the batch is discarded and processing moves on.
    let mut e = engine_with(|c| c.history_limit = None);
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when keys.pk = \"bad\" fail \"poison\"");
    mapping(&mut e, "Tbl", "f", json!({"DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}));
    put(&mut e, "Tbl", "bad", 1);
    advance(&mut e, 3600.0);
    // Written an hour later, so it is still in the stream when "bad" expires.
    put(&mut e, "Tbl", "good", 1);
    advance(&mut e, 22.0 * 3600.0);
    assert!(invs(&e).iter().all(|i| pks(i) == ["bad"]), "blocked for 23 h");
    advance(&mut e, 2.0 * 3600.0);
    let all = invs(&e);
    let bad: Vec<&Value> = all.iter().filter(|i| pks(i).contains(&"bad".to_string())).collect();
    assert!(
        bad.iter().all(|i| i["Time"].as_f64().unwrap() <= T0 + 24.0 * 3600.0 + 0.25),
        "never invoked with an expired record"
    );
    let f = e.failures_output();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["DDBStreamBatchInfo"]["batchSize"], 1);
    let good: Vec<&Value> = all.iter().filter(|i| pks(i) == ["good"]).collect();
    assert_eq!(good.len(), 1, "the record after it is processed once the poison one is discarded");
    assert_eq!(outcome(good[0]), "Success");
}

#[test]
fn a_batch_retrying_when_its_closed_shard_is_trimmed_away_is_still_reported() {
    // §4.4: a failing batch is retried until its records expire from the stream (24 h), then
    // discarded and described to the on-failure destination (§4.6); docs/aws-behaviour.md §4.4:
    // records reaching the retention are reported with RecordAgeExceeded. Here the record is
    // written one second before its shard rolls over (every 4 h), so the closed shard is empty
    // and deleted one second after the record is trimmed, between two retries (60 s apart):
    // the batch the mapping still holds must be reported all the same, not dropped unnoticed.
    let mut e = engine_with(|c| c.history_limit = None);
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", FAIL_ALL);
    mapping(&mut e, "Tbl", "f", json!({"DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}));
    advance(&mut e, 4.0 * 3600.0 - 1.0);
    put(&mut e, "Tbl", "bad", 1);
    advance(&mut e, 2.0 * 86_400.0);
    let tried = invs(&e).len();
    assert!(tried > 1000, "retried for a day: {tried}");
    let f = e.failures_output();
    assert_eq!(f.len(), 1, "the expired batch is reported once: {f:?}");
    assert_eq!(f[0]["requestContext"]["condition"], "RecordAgeExceeded");
    assert_eq!(f[0]["DDBStreamBatchInfo"]["batchSize"], 1);
    assert_eq!(f[0]["requestContext"]["approximateInvokeCount"], json!(tried));
}
