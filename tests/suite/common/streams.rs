//! Tables with streams, and reading their records: through `streams_output` or through the
//! Streams API (DescribeStream, GetShardIterator, GetRecords).

use super::ok;
use serde_json::{json, Value};
use streamlab::Engine;

/// A table keyed by pk (S, HASH) and sk (S, RANGE), with a stream of `view` if given; returns
/// CreateTable's response.
pub fn create(e: &mut Engine, name: &str, view: Option<&str>) -> Value {
    let mut req = json!({
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    });
    if let Some(v) = view {
        req["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": v});
    }
    ok(e, "CreateTable", req)
}

/// The table's LatestStreamArn (DescribeTable).
pub fn latest_arn(e: &mut Engine, table: &str) -> String {
    ok(e, "DescribeTable", json!({ "TableName": table }))["Table"]["LatestStreamArn"].as_str().unwrap().to_string()
}

/// DescribeStream's StreamDescription.
pub fn describe(e: &mut Engine, arn: &str) -> Value {
    ok(e, "DescribeStream", json!({ "StreamArn": arn }))["StreamDescription"].clone()
}

/// UpdateTable: enables a stream of `view` on `table`.
pub fn enable(e: &mut Engine, table: &str, view: &str) -> Value {
    ok(
        e,
        "UpdateTable",
        json!({"TableName": table, "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view}}),
    )
}

/// UpdateTable: disables the stream of `table`.
pub fn disable(e: &mut Engine, table: &str) -> Value {
    ok(e, "UpdateTable", json!({"TableName": table, "StreamSpecification": {"StreamEnabled": false}}))
}

/// PutItem of `item` into `table`.
pub fn put_item(e: &mut Engine, table: &str, item: Value) {
    ok(e, "PutItem", json!({"TableName": table, "Item": item}));
}

/// Every record of the stream `arn` through the Streams API, shards in the listed order.
pub fn read_stream(e: &mut Engine, arn: &str) -> Vec<Value> {
    let shards = describe(e, arn)["Shards"].as_array().unwrap().clone();
    let mut out = vec![];
    for sh in shards {
        let mut it = ok(
            e,
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": sh["ShardId"], "ShardIteratorType": "TRIM_HORIZON"}),
        )["ShardIterator"]
            .clone();
        for _ in 0..100 {
            let r = ok(e, "GetRecords", json!({ "ShardIterator": it }));
            let recs = r["Records"].as_array().unwrap();
            out.extend(recs.iter().cloned());
            match r.get("NextShardIterator") {
                Some(n) if !recs.is_empty() => it = n.clone(),
                _ => break,
            }
        }
    }
    out
}

/// (eventName, pk) of each record.
pub fn events(recs: &[Value]) -> Vec<(String, String)> {
    recs.iter()
        .map(|r| {
            (
                r["eventName"].as_str().unwrap().to_string(),
                r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A sequence number as an integer.
pub fn big(s: &str) -> u128 {
    s.parse().unwrap()
}

/// A table with the key attributes `keys` (name, type, key type), with a stream of `view` if given.
pub fn create_table(e: &mut Engine, name: &str, keys: &[(&str, &str, &str)], view: Option<&str>) {
    let mut req = json!({
        "TableName": name,
        "KeySchema": keys.iter().map(|(n, _, k)| json!({"AttributeName": n, "KeyType": k})).collect::<Vec<_>>(),
        "AttributeDefinitions": keys.iter().map(|(n, t, _)| json!({"AttributeName": n, "AttributeType": t})).collect::<Vec<_>>(),
        "BillingMode": "PAY_PER_REQUEST",
    });
    if let Some(v) = view {
        req["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": v});
    }
    ok(e, "CreateTable", req);
}

/// All records of the latest stream of `table`, as GetRecords returns them (streams_output).
pub fn records(e: &Engine, table: &str) -> Vec<Value> {
    let out = e.streams_output();
    let s = out
        .as_array()
        .unwrap()
        .iter()
        .rfind(|s| s["TableName"] == table)
        .unwrap_or_else(|| panic!("no stream for {table}"));
    s["Records"].as_array().unwrap().clone()
}

/// All records via the real Streams API: every shard from TRIM_HORIZON, parents first.
pub fn records_via_api(e: &mut Engine, table: &str) -> Vec<Value> {
    let arn = latest_arn(e, table);
    read_stream(e, &arn)
}
