//! On-failure destinations (§4.6): the record sent to SQS, SNS or S3 when a batch is discarded.

use crate::common::lambda::*;
use crate::common::*;
use serde_json::{json, Value};

#[test]
fn no_destination_means_no_failure_record() {
    // failures output: only mappings with DestinationConfig.OnFailure.Destination.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", FAIL_ALL);
    mapping(&mut e, "Tbl", "f", json!({"MaximumRetryAttempts": 0}));
    put(&mut e, "Tbl", "a", 1);
    put(&mut e, "Tbl", "b", 1);
    advance(&mut e, 10.0);
    assert_eq!(invs(&e).len(), 1);
    assert!(e.failures_output().is_empty());
}

#[test]
fn on_failure_record_shape() {
    // §4.6, exactly: metadata only, version "1.0", timestamp with ms, arrivals whole-second ISO Z.
    let mut e = engine();
    let arn = table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", FAIL_ALL);
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"MaximumRetryAttempts": 1, "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    advance(&mut e, 3.0);
    put(&mut e, "Tbl", "a", 1); // at T0+3
    advance(&mut e, 2.0);
    put(&mut e, "Tbl", "b", 2); // at T0+5, while a retries (blocked shard)
    advance(&mut e, 30.0);
    let all = invs(&e);
    let f = e.failures_output();
    assert_eq!(f.len(), 2, "{f:?}");
    let rec = &f[0];
    assert_eq!(
        keys(rec),
        set(&["requestContext", "responseContext", "version", "timestamp", "DDBStreamBatchInfo"]),
        "{rec}"
    );
    assert_eq!(keys(&rec["requestContext"]), set(&["requestId", "functionArn", "condition", "approximateInvokeCount"]));
    assert!(is_uuid(rec["requestContext"]["requestId"].as_str().unwrap()), "{}", rec["requestContext"]["requestId"]);
    assert_eq!(rec["requestContext"]["functionArn"], "arn:aws:lambda:us-east-1:123456789012:function:f");
    assert_eq!(rec["requestContext"]["condition"], "RetryAttemptsExhausted");
    assert_eq!(rec["requestContext"]["approximateInvokeCount"], 2);
    assert_eq!(
        rec["responseContext"],
        json!({"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"})
    );
    assert_eq!(rec["version"], "1.0");
    // Sent when the last attempt failed.
    let a: Vec<&Value> = all.iter().filter(|i| pks(i) == ["a"]).collect();
    assert_eq!(a.len(), 2);
    let last_ms = ((time(a[1]) - T0) * 1000.0).round() as u64;
    assert_eq!(rec["timestamp"], json!(iso_ms(last_ms)));
    let info = &rec["DDBStreamBatchInfo"];
    assert_eq!(
        keys(info),
        set(&[
            "shardId",
            "startSequenceNumber",
            "endSequenceNumber",
            "approximateArrivalOfFirstRecord",
            "approximateArrivalOfLastRecord",
            "batchSize",
            "streamArn"
        ])
    );
    assert_eq!(info["shardId"], a[0]["ShardId"]);
    assert_eq!(info["startSequenceNumber"], json!(seqs(a[0])[0]));
    assert_eq!(info["endSequenceNumber"], json!(seqs(a[0])[0]));
    assert_eq!(info["approximateArrivalOfFirstRecord"], json!(iso_s(3)));
    assert_eq!(info["approximateArrivalOfLastRecord"], json!(iso_s(3)));
    assert_eq!(info["batchSize"], 1);
    assert_eq!(info["streamArn"], json!(arn));
    // The records themselves are not included (§4.6 "metadata only").
    assert!(!serde_json::to_string(rec).unwrap().contains("NewImage"));
    // The second record's batch, after the first was discarded.
    assert_eq!(f[1]["DDBStreamBatchInfo"]["approximateArrivalOfFirstRecord"], json!(iso_s(5)));
    let b: Vec<&Value> = all.iter().filter(|i| pks(i) == ["b"]).collect();
    assert_eq!(b.len(), 2);
    assert!(time(b[0]) >= time(a[1]), "b waits until a is discarded");
}

#[test]
fn on_failure_record_for_a_multi_record_batch() {
    // §4.6 DDBStreamBatchInfo: start/end sequence numbers and arrivals of first/last, batchSize.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", FAIL_ALL);
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"MaximumRetryAttempts": 0, "MaximumBatchingWindowInSeconds": 10,
                                     "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 2.0);
    put(&mut e, "Tbl", "b", 1);
    advance(&mut e, 2.0);
    put(&mut e, "Tbl", "c", 1);
    advance(&mut e, 30.0);
    let all = invs(&e);
    assert_eq!(all.len(), 1);
    assert_eq!(pks(&all[0]), ["a", "b", "c"]);
    let s = seqs(&all[0]);
    let f = e.failures_output();
    assert_eq!(f.len(), 1);
    let info = &f[0]["DDBStreamBatchInfo"];
    assert_eq!(info["startSequenceNumber"], json!(s[0]));
    assert_eq!(info["endSequenceNumber"], json!(s[2]));
    assert_eq!(info["batchSize"], 3);
    assert_eq!(info["approximateArrivalOfFirstRecord"], json!(iso_s(0)));
    assert_eq!(info["approximateArrivalOfLastRecord"], json!(iso_s(4)));
    assert_eq!(f[0]["requestContext"]["approximateInvokeCount"], 1);
}

#[test]
fn s3_destination_record_carries_the_payload() {
    // §4.6: an S3 destination object holds the same document plus "payload" = the full Lambda
    // event ({"Records":[...]}); SQS/SNS records do not.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    table(&mut e, "Tbl2", "NEW_IMAGE");
    function(&mut e, "f", FAIL_ALL);
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"MaximumRetryAttempts": 0, "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:s3:::failed-batches"}}}),
    );
    mapping(
        &mut e,
        "Tbl2",
        "f",
        json!({"MaximumRetryAttempts": 0, "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    put(&mut e, "Tbl", "a", 1);
    put(&mut e, "Tbl", "b", 2);
    advance(&mut e, 5.0);
    put(&mut e, "Tbl2", "c", 3);
    advance(&mut e, 5.0);
    let all = invs(&e);
    let f = e.failures_output();
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(f[0]["payload"], all[0]["Event"], "the payload is the event of the failed batch");
    assert_eq!(f[0]["payload"]["Records"].as_array().unwrap().len(), 2);
    for k in ["requestContext", "responseContext", "version", "timestamp", "DDBStreamBatchInfo"] {
        assert!(f[0].get(k).is_some(), "{k}");
    }
    assert!(f[1].get("payload").is_none(), "SQS records are metadata only");
}
