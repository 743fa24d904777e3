//! Partial batch responses as real handlers get them wrong (docs/aws-behaviour.md §4.5; Lambda
//! developer guide, "Configuring partial batch response with DynamoDB and Lambda",
//! https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html):
//! - the lowest reported sequence number is the checkpoint (documented);
//! - an empty or null `itemIdentifier` makes the whole batch a failure, retried by the retry
//!   policy (documented); so does an identifier that is no record of the batch (observed by
//!   LocalStack's tests against AWS; AWS documents no case of an eventID, which is one);
//! - without `ReportBatchItemFailures` a response is not processed: the batch is a success
//!   (documented), and whatever the handler gave up on is lost;
//! - a handler that catches its error and returns success loses that record (documented: an
//!   empty response is a complete success).
//!
//! Each batch here is three records a (v 1), b (v 2), c (v 3) written together, so one batch;
//! the handler fails on b. MaximumRetryAttempts 1: two attempts, then the destination.

use crate::common::lambda::*;
use crate::common::*;
use serde_json::{json, Value};
use streamlab::Engine;

fn run(report: &str, report_failures: bool) -> Engine {
    let mut e = engine();
    table(&mut e, "Orders", "NEW_IMAGE");
    let code = format!("on INSERT when new.v = 2\n  fail \"two\" {report}\non INSERT\n  notify \"#n\" \"{{keys.pk}}\"");
    function(&mut e, "f", &code);
    let mut extra = json!({"MaximumRetryAttempts": 1, "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}});
    if report_failures {
        extra["FunctionResponseTypes"] = json!(["ReportBatchItemFailures"]);
    }
    mapping(&mut e, "Orders", "f", extra);
    for (pk, v) in [("a", 1), ("b", 2), ("c", 3)] {
        put(&mut e, "Orders", pk, v);
    }
    advance(&mut e, 60.0);
    e
}

fn notified(e: &Engine) -> Vec<String> {
    e.notifications_output().iter().map(|n| n["Message"].as_str().unwrap().to_string()).collect()
}

fn reported(inv: &Value) -> Value {
    inv["BatchItemFailures"].clone()
}

fn event_id_of(e: &Engine, pk: &str) -> String {
    let out = e.streams_output();
    let r =
        out[0]["Records"].as_array().unwrap().iter().find(|r| r["dynamodb"]["Keys"]["pk"]["S"] == pk).unwrap().clone();
    r["eventID"].as_str().unwrap().to_string()
}

#[test]
fn the_sequence_number_checkpoints_at_the_failed_record() {
    for report in ["", "report sequence"] {
        let e = run(report, true);
        let inv = invs(&e);
        assert_eq!(inv.len(), 2, "{report}: first attempt, then [b, c] once more");
        assert_eq!(records(&inv[1]).len(), 2);
        assert_eq!(notified(&e), ["a"], "a is done; b fails twice; c waits behind it");
        let f = &e.failures_output()[0];
        assert_eq!(f["DDBStreamBatchInfo"]["batchSize"], 2);
        assert_eq!(f["responseContext"]["functionError"], Value::Null, "the function did not throw");
    }
}

#[test]
fn an_event_id_an_empty_or_null_identifier_or_a_stranger_fails_the_whole_batch() {
    for report in ["report eventID", "report \"\"", "report null", "report \"order-b\""] {
        let e = run(report, true);
        let inv = invs(&e);
        assert_eq!(inv.len(), 2, "{report}: the whole batch, twice");
        for i in &inv {
            assert_eq!(outcome(i), "PartialFailure");
            assert_eq!(records(i).len(), 3, "{report}: every attempt has a, b and c");
        }
        let expected = match report {
            "report eventID" => json!([{"itemIdentifier": event_id_of(&e, "b")}]),
            "report \"\"" => json!([{"itemIdentifier": ""}]),
            "report null" => json!([{"itemIdentifier": null}]),
            _ => json!([{"itemIdentifier": "order-b"}]),
        };
        assert_eq!(reported(&inv[0]), expected);
        assert_eq!(notified(&e), ["a", "a"], "{report}: a is run again with its batch");
        let f = &e.failures_output()[0];
        assert_eq!(f["requestContext"]["condition"], "RetryAttemptsExhausted");
        assert_eq!(f["requestContext"]["approximateInvokeCount"], 2);
        assert_eq!(f["DDBStreamBatchInfo"]["batchSize"], 3, "{report}: the whole batch is described");
        assert_eq!(f["responseContext"]["functionError"], Value::Null);
        let log: Vec<&str> = e.lambda().log.iter().map(|l| l.message.as_str()).collect();
        assert!(log.iter().any(|m| m.contains("Lambda treats the whole batch as a failure")), "{log:?}");
    }
}

#[test]
fn a_swallowed_error_is_a_success_and_the_record_is_lost() {
    let e = run("swallow", true);
    let inv = invs(&e);
    assert_eq!(inv.len(), 1);
    assert_eq!(outcome(&inv[0]), "Success");
    assert_eq!(notified(&e), ["a", "c"], "b's own effects are not applied, and it is never retried");
    assert!(e.failures_output().is_empty(), "nothing reaches the destination");
    let lost = e.lambda().log.iter().find(|l| l.message.contains("swallowed")).expect("the log says so");
    assert_eq!(lost.sequence_numbers.len(), 1);
    assert!(lost.message.contains("the record is lost"), "{}", lost.message);
}

#[test]
fn without_report_batch_item_failures_a_response_is_ignored_and_the_rest_is_lost() {
    let e = run("report sequence", false);
    let inv = invs(&e);
    assert_eq!(inv.len(), 1, "Lambda counted the batch a success: no retry");
    assert_eq!(outcome(&inv[0]), "Success");
    assert_eq!(notified(&e), ["a"], "the handler stopped at b; b and c are never run");
    assert!(e.failures_output().is_empty());
    let lost = e.lambda().log.iter().find(|l| l.message.contains("ReportBatchItemFailures is off")).expect("logged");
    assert_eq!(lost.sequence_numbers.len(), 2, "b and c");
    // And a plain `fail` still throws: the whole batch is retried.
    let e = run("", false);
    assert_eq!(invs(&e).len(), 2);
    assert!(invs(&e).iter().all(|i| outcome(i) == "Error"));
}
