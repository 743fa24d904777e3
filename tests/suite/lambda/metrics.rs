//! Event source mapping metrics (docs/aws-behaviour.md §4.11; Lambda developer guide, "Types of
//! metrics for Lambda functions", event source mapping metrics,
//! https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html): opt-in with
//! `MetricsConfig: {"Metrics": ["EventCount"]}`, counts of records per minute; `IteratorAge`
//! (always published) is the age of an invocation's last record when it is sent, in ms.
//! Expectations are worked out by hand from those definitions and the simulator's poll model
//! (a poll at the next 250 ms slot, retries 1 s later).

use crate::common::lambda::*;
use crate::common::*;
use serde_json::{json, Value};

fn rows(e: &streamlab::Engine, function: &str) -> Vec<Value> {
    e.metrics_output().into_iter().filter(|r| r["FunctionName"] == function).collect()
}

#[test]
fn metrics_config_is_validated_and_echoed() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let m = mapping(&mut e, "Tbl", "f", json!({"MetricsConfig": {"Metrics": ["EventCount"]}}));
    assert_eq!(m["MetricsConfig"], json!({"Metrics": ["EventCount"]}));
    function(&mut e, "g", "");
    let m = mapping(&mut e, "Tbl", "g", json!({}));
    assert!(m.get("MetricsConfig").is_none(), "opt-in: absent unless asked for");
    function(&mut e, "h", "");
    let bad = |e: &mut streamlab::Engine, metrics: Value| {
        err(
            e,
            "CreateEventSourceMapping",
            json!({"TableName": "Tbl", "FunctionName": "h", "StartingPosition": "LATEST", "MetricsConfig": {"Metrics": metrics}}),
        )
    };
    assert_eq!(bad(&mut e, json!(["Latency"])).kind, "ValidationException");
    // ErrorCount and KafkaMetrics are for Kafka sources only (the message is ours: AWS's is undocumented).
    assert_eq!(bad(&mut e, json!(["KafkaMetrics"])).kind, "InvalidParameterValueException");
}

#[test]
fn event_counts_follow_lambdas_definitions() {
    let mut e = engine();
    table(&mut e, "Orders", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT when new.v > 5\n  fail \"big\"");
    mapping(
        &mut e,
        "Orders",
        "f",
        json!({
            "MetricsConfig": {"Metrics": ["EventCount"]},
            "FilterCriteria": {"Filters": [{"Pattern": "{\"eventName\": [\"INSERT\"]}"}]},
            "MaximumRetryAttempts": 1,
            "DestinationConfig": {"OnFailure": {"Destination": QUEUE}},
        }),
    );
    table(&mut e, "Returns", "NEW_IMAGE");
    function(&mut e, "g", "on INSERT fail \"no\"");
    mapping(
        &mut e,
        "Returns",
        "g",
        json!({"MetricsConfig": {"Metrics": ["EventCount"]}, "FunctionResponseTypes": ["ReportBatchItemFailures"], "MaximumRetryAttempts": 0}),
    );
    put(&mut e, "Orders", "a", 1);
    put(&mut e, "Orders", "b", 9);
    put(&mut e, "Orders", "a", 2); // a MODIFY: filtered out
    put(&mut e, "Returns", "r1", 1);
    advance(&mut e, 120.0);

    // Orders: the poll at T0+0.25 reads 3 records and filters 1 out; [a, b] is invoked at
    // T0+0.25 and T0+1.25 (its one retry), both times failing by a thrown error (not a failed
    // invoke: the function ran), then goes to the destination (2 records delivered, none dropped).
    let f = rows(&e, "f");
    assert_eq!(f.len(), 1, "all in the first minute: {f:?}");
    assert_eq!(f[0]["Time"], json!(T0 as u64));
    assert_eq!(f[0]["PolledEventCount"], 3);
    assert_eq!(f[0]["FilteredOutEventCount"], 1);
    assert_eq!(f[0]["InvokedEventCount"], 4, "each attempt counts again");
    assert_eq!(f[0]["FailedInvokeEventCount"], 0);
    assert_eq!(f[0]["DroppedEventCount"], 0, "sent to the destination, so not dropped");
    assert_eq!(f[0]["OnFailureDestinationDeliveredEventCount"], 2);
    assert_eq!(f[0]["IteratorAge"], json!({"Maximum": 1250, "Average": 750.0}));

    // Returns: a partial batch response names r1 (a failed invoke); no retries and no
    // destination, so r1 is dropped.
    let g = rows(&e, "g");
    assert_eq!(g.len(), 1);
    assert_eq!(
        (
            &g[0]["PolledEventCount"],
            &g[0]["InvokedEventCount"],
            &g[0]["FailedInvokeEventCount"],
            &g[0]["DroppedEventCount"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(1))
    );
    assert_eq!(g[0]["OnFailureDestinationDeliveredEventCount"], 0);
}

#[test]
fn iterator_age_is_published_without_the_opt_in_and_minutes_are_separate() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 90.0);
    put(&mut e, "Tbl", "b", 1);
    advance(&mut e, 1.0);
    let f = rows(&e, "f");
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!((f[0]["Time"].as_f64().unwrap(), f[1]["Time"].as_f64().unwrap()), (T0, T0 + 60.0));
    for r in &f {
        assert_eq!(r["IteratorAge"]["Maximum"], 250);
        assert!(r.get("InvokedEventCount").is_none(), "event counts are opt-in: {r}");
    }
    // And replay prints a metrics member only when a mapping opted in.
    assert!(!e.has_event_count_metrics());
}

#[test]
fn replay_prints_metrics_when_a_mapping_opts_in() {
    let text = json!({"steps": [
        {"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}},
        {"CreateFunction": {"FunctionName": "f", "Code": ""}},
        {"CreateEventSourceMapping": {"FunctionName": "f", "TableName": "Tbl", "StartingPosition": "TRIM_HORIZON",
            "MetricsConfig": {"Metrics": ["EventCount"]}}},
        {"PutItem": {"TableName": "Tbl", "Item": {"pk": {"S": "a"}}}},
        {"AdvanceClock": {"Seconds": 1}}
    ]});
    let out = streamlab::scenario::replay(&text.to_string()).unwrap();
    let m = out["metrics"].as_array().expect("a metrics member");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0]["InvokedEventCount"], 1);
    assert_eq!(m[0]["PolledEventCount"], 1);
}
