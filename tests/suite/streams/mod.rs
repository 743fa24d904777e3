//! Streams: enabling, disabling and retention (`docs/aws-behaviour.md` §2.3, §2.4), shards and their
//! lineage (§2.5), and the DynamoDB Streams API: ListStreams, DescribeStream, GetShardIterator,
//! GetRecords and their errors (§3.1–§3.6), with the "Decisions" table.
//!
//! Expected values come from the spec (section cited) or documented real AWS behaviour (marked).
//! Nothing was copied from the engine's output.

mod api;
mod lifecycle;
mod shards;

use crate::common::streams::describe;
use crate::common::{engine_with, ok, s, HOUR};
use serde_json::{json, Value};
use streamlab::{AwsError, Engine};

/// PutItem {pk, sk: "S", v} into `table`.
fn put(e: &mut Engine, table: &str, pk: &str, v: &str) {
    ok(e, "PutItem", json!({"TableName": table, "Item": {"pk": s(pk), "sk": s("S"), "v": s(v)}}));
}

/// The shards DescribeStream lists.
fn shards(e: &mut Engine, arn: &str) -> Vec<Value> {
    describe(e, arn)["Shards"].as_array().unwrap().clone()
}

/// Their ShardIds.
fn shard_ids(e: &mut Engine, arn: &str) -> Vec<String> {
    shards(e, arn).iter().map(|s| s["ShardId"].as_str().unwrap().to_string()).collect()
}

/// GetShardIterator of the given type (and sequence number).
fn iterator(e: &mut Engine, arn: &str, shard: &str, ty: &str, seq: Option<&str>) -> Result<String, AwsError> {
    let mut r = json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": ty});
    if let Some(q) = seq {
        r["SequenceNumber"] = json!(q);
    }
    e.call("GetShardIterator", &r).map(|v| v["ShardIterator"].as_str().unwrap().to_string())
}

/// A shard iterator that must be given.
#[track_caller]
fn it(e: &mut Engine, arn: &str, shard: &str, ty: &str, seq: Option<&str>) -> String {
    iterator(e, arn, shard, ty, seq).unwrap_or_else(|er| panic!("GetShardIterator {ty}: {} {}", er.kind, er.message))
}

/// GetRecords, with a Limit if given.
fn get_records(e: &mut Engine, iter: &str, limit: Option<u64>) -> Result<Value, AwsError> {
    let mut r = json!({ "ShardIterator": iter });
    if let Some(l) = limit {
        r["Limit"] = json!(l);
    }
    e.call("GetRecords", &r)
}

/// Reads a shard from `iter` until an empty page or the end of a closed shard.
fn drain(e: &mut Engine, mut iter: String) -> (Vec<Value>, Option<String>) {
    let mut out = vec![];
    for _ in 0..1000 {
        let r = get_records(e, &iter, None).unwrap();
        let recs = r["Records"].as_array().unwrap();
        out.extend(recs.iter().cloned());
        match r.get("NextShardIterator").and_then(|v| v.as_str()) {
            None => return (out, None),
            Some(n) => {
                if recs.is_empty() {
                    return (out, Some(n.to_string()));
                }
                iter = n.to_string();
            }
        }
    }
    panic!("drain did not terminate");
}

/// A record's SequenceNumber.
fn seq(r: &Value) -> String {
    r["dynamodb"]["SequenceNumber"].as_str().unwrap().to_string()
}

/// The pk of each record.
fn pks(recs: &[Value]) -> Vec<String> {
    recs.iter().map(|r| r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_string()).collect()
}

/// Advances the simulated clock by `ms` milliseconds.
fn advance(e: &mut Engine, ms: u64) {
    // Use the scenario-level AdvanceClock action (scenario-format.md).
    ok(e, "AdvanceClock", json!({"Seconds": ms as f64 / 1000.0}));
}

/// An engine whose shards do not roll over within the tests (every 1000 hours).
fn no_rollover() -> Engine {
    engine_with(|c| c.shard_rollover_ms = 1000 * HOUR)
}
