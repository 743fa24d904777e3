//! Audit of the Lambda side against `aws-semantics.md` ("Decisions" table, §0, §1.2, §4, §5, §9):
//! behaviours `spec_lambda.rs` and the unit tests do not cover, each expectation derived by hand
//! from the spec text (section cited) or, where the spec is silent, from real AWS behaviour
//! (marked "AWS").
//!
//! Simulator modelling choices relied on (documented in spec_lambda.rs): polls every 250 ms of
//! simulated time, invocations take no simulated time, time only moves in AdvanceClock.
#![cfg(not(target_arch = "wasm32"))] // native tests: `make test` runs tests/web.rs in the browser

use serde_json::{json, Value};
mod common;
use common::lambda::*;
use common::*;
use streamlab::Engine;

/// The §1.5 table: `Orders`, pk (HASH, S) + sk (RANGE, S), NEW_AND_OLD_IMAGES; returns the ARN.
fn orders(e: &mut Engine) -> String {
    let r = ok(
        e,
        "CreateTable",
        json!({
            "TableName": "Orders",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        }),
    );
    r["TableDescription"]["LatestStreamArn"].as_str().expect("LatestStreamArn").to_string()
}

/// The §1.5 scenario: t1 PutItem v1 (INSERT), t2 UpdateItem SET status ADD tags (MODIFY),
/// t3 DeleteItem (REMOVE), one minute apart.
fn orders_scenario(e: &mut Engine) {
    ok(
        e,
        "PutItem",
        json!({"TableName": "Orders", "Item": {"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}, "status": {"S": "open"}, "total": {"N": "25.5"}}}),
    );
    advance(e, 60.0);
    ok(
        e,
        "UpdateItem",
        json!({"TableName": "Orders", "Key": {"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}},
               "UpdateExpression": "SET #s = :s ADD tags :t",
               "ExpressionAttributeNames": {"#s": "status"},
               "ExpressionAttributeValues": {":s": {"S": "shipped"}, ":t": {"SS": ["gift"]}}}),
    );
    advance(e, 60.0);
    ok(e, "DeleteItem", json!({"TableName": "Orders", "Key": {"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}}}));
    advance(e, 60.0);
}

fn filter(patterns: &[&str]) -> Value {
    json!({"FilterCriteria": {"Filters": patterns.iter().map(|p| json!({"Pattern": p})).collect::<Vec<_>>()}})
}

fn event_names(e: &Engine) -> Vec<String> {
    invs(e).iter().flat_map(records).map(|r| r["eventName"].as_str().unwrap().to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// §1.2 / §1.5: the records of the §1.5 scenario as Lambda delivers them
// ---------------------------------------------------------------------------------------------

#[test]
fn section_1_5_records_as_delivered_to_lambda() {
    // §1.2: each element has the §1.1 fields plus eventSourceARN; §1.5 NEW_AND_OLD_IMAGES
    // example (eventIDs, sequence numbers and times are the simulator's own).
    let mut e = engine();
    let arn = orders(&mut e);
    function(&mut e, "f", "");
    mapping(&mut e, "Orders", "f", json!({}));
    orders_scenario(&mut e);
    let recs: Vec<Value> = invs(&e).iter().flat_map(records).collect();
    assert_eq!(recs.len(), 3);
    let keys = json!({"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}});
    let v1 = json!({"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}, "status": {"S": "open"}, "total": {"N": "25.5"}});
    let v2 = json!({"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}, "status": {"S": "shipped"}, "total": {"N": "25.5"}, "tags": {"SS": ["gift"]}});
    let expect = [
        ("INSERT", Some(&v1), None, 48, T0),
        ("MODIFY", Some(&v2), Some(&v1), 92, T0 + 60.0),
        ("REMOVE", None, Some(&v2), 59, T0 + 120.0),
    ];
    let mut last_seq = 0u128;
    for (r, (name, new, old, size, at)) in recs.iter().zip(expect) {
        let fields: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        let mut fields = fields;
        fields.sort();
        assert_eq!(
            fields,
            ["awsRegion", "dynamodb", "eventID", "eventName", "eventSource", "eventSourceARN", "eventVersion"],
            "{r}"
        );
        assert_eq!(r["eventName"], name);
        assert_eq!(r["eventVersion"], "1.1");
        assert_eq!(r["eventSource"], "aws:dynamodb");
        assert_eq!(r["awsRegion"], "us-east-1");
        assert_eq!(r["eventSourceARN"], json!(arn));
        let d = &r["dynamodb"];
        assert_av_eq(&d["Keys"], &keys, "Keys");
        match new {
            Some(img) => assert_av_eq(&d["NewImage"], img, "NewImage"),
            None => assert!(d.get("NewImage").is_none(), "{name}: no NewImage"),
        }
        match old {
            Some(img) => assert_av_eq(&d["OldImage"], img, "OldImage"),
            None => assert!(d.get("OldImage").is_none(), "{name}: no OldImage"),
        }
        assert_eq!(d["SizeBytes"], size, "{name} SizeBytes");
        assert_eq!(d["StreamViewType"], "NEW_AND_OLD_IMAGES");
        assert!(d["ApproximateCreationDateTime"].is_f64());
        assert_eq!(d["ApproximateCreationDateTime"].as_f64().unwrap(), at);
        let seq: u128 = d["SequenceNumber"].as_str().unwrap().parse().unwrap();
        assert!(seq > last_seq, "increasing sequence numbers");
        last_seq = seq;
    }
}

#[test]
fn event_ids_are_deterministic_for_a_seed() {
    // Decisions table: eventID is 32 lowercase hex characters, unique, deterministic for a seed.
    let run = |seed: u64| {
        let mut e = engine_with(|c| c.seed = seed);
        table(&mut e, "Tbl", "KEYS_ONLY");
        function(&mut e, "f", "");
        mapping(&mut e, "Tbl", "f", json!({}));
        for i in 0..20 {
            put(&mut e, "Tbl", &format!("k{i}"), i);
        }
        advance(&mut e, 2.0);
        invs(&e).iter().flat_map(records).map(|r| r["eventID"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let a = run(7);
    assert_eq!(a.len(), 20);
    assert_eq!(a, run(7));
    let unique: std::collections::BTreeSet<&String> = a.iter().collect();
    assert_eq!(unique.len(), 20);
    assert!(a.iter().all(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))));
}

// ---------------------------------------------------------------------------------------------
// §5.4 worked examples, end to end on the §1.5 scenario
// ---------------------------------------------------------------------------------------------

/// Runs the §1.5 scenario through a mapping with the given filters; returns the delivered
/// eventNames in order.
fn delivered(patterns: &[&str]) -> Vec<String> {
    let mut e = engine();
    orders(&mut e);
    function(&mut e, "f", "");
    mapping(&mut e, "Orders", "f", filter(patterns));
    orders_scenario(&mut e);
    event_names(&e)
}

#[test]
fn example_01_event_name_insert() {
    assert_eq!(delivered(&[r#"{"eventName":["INSERT"]}"#]), ["INSERT"]);
}

#[test]
fn example_02_insert_pattern_drops_modify_of_same_key() {
    // MODIFY here is a re-put of the same key with new attributes.
    let mut e = engine();
    orders(&mut e);
    function(&mut e, "f", "");
    mapping(&mut e, "Orders", "f", filter(&[r#"{"eventName":["INSERT"]}"#]));
    let item = |st: &str| json!({"TableName": "Orders", "Item": {"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}, "status": {"S": st}}});
    ok(&mut e, "PutItem", item("open"));
    ok(&mut e, "PutItem", item("shipped"));
    advance(&mut e, 5.0);
    assert_eq!(event_names(&e), ["INSERT"]);
}

#[test]
fn example_03_value_list_is_or() {
    assert_eq!(delivered(&[r#"{"eventName":["INSERT","MODIFY"]}"#]), ["INSERT", "MODIFY"]);
}

#[test]
fn example_04_typed_image_value() {
    assert_eq!(delivered(&[r#"{"dynamodb":{"NewImage":{"status":{"S":["shipped"]}}}}"#]), ["MODIFY"]);
}

#[test]
fn example_05_without_type_wrapper_nothing_matches() {
    assert!(delivered(&[r#"{"dynamodb":{"NewImage":{"status":["shipped"]}}}"#]).is_empty());
}

#[test]
fn example_06_exists_true_on_the_set() {
    assert_eq!(delivered(&[r#"{"dynamodb":{"NewImage":{"tags":{"SS":[{"exists":true}]}}}}"#]), ["MODIFY"]);
}

#[test]
fn example_07_exists_false_on_an_object_path() {
    // MODIFY matches (tags is not a leaf); INSERT (no tags) and REMOVE (no NewImage) have no
    // leaf there either (§5.3: exists:false is the only operator that needs no field).
    assert_eq!(
        delivered(&[r#"{"dynamodb":{"NewImage":{"tags":[{"exists":false}]}}}"#]),
        ["INSERT", "MODIFY", "REMOVE"]
    );
}

#[test]
fn example_08_numeric_never_matches_n() {
    assert!(delivered(&[r#"{"dynamodb":{"NewImage":{"total":{"N":[{"numeric":[">",10]}]}}}}"#]).is_empty());
}

#[test]
fn example_09_n_as_exact_string() {
    // INSERT matches; the MODIFY's NewImage also carries total "25.5".
    assert_eq!(delivered(&[r#"{"dynamodb":{"NewImage":{"total":{"N":["25.5"]}}}}"#]), ["INSERT", "MODIFY"]);
}

#[test]
fn example_10_and_of_both_keys() {
    assert_eq!(
        delivered(&[r#"{"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"ORDER#"}]},"sk":{"S":["META"]}}}}"#]),
        ["INSERT", "MODIFY", "REMOVE"]
    );
    assert!(delivered(&[r#"{"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"ORDER#"}]},"sk":{"S":["OTHER"]}}}}"#]).is_empty());
}

#[test]
fn example_11_ttl_remove_by_user_identity() {
    // §1.6 / §5.4 #11: the TTL REMOVE matches; a user's DeleteItem REMOVE does not.
    let mut e = engine();
    orders(&mut e);
    ok(
        &mut e,
        "UpdateTimeToLive",
        json!({"TableName": "Orders", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expiresAt"}}),
    );
    function(&mut e, "f", "");
    mapping(
        &mut e,
        "Orders",
        "f",
        filter(&[r#"{"userIdentity":{"type":["Service"],"principalId":["dynamodb.amazonaws.com"]}}"#]),
    );
    let expiry = (T0 as i64 + 30).to_string();
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Orders", "Item": {"pk": {"S": "SESSION#9"}, "sk": {"S": "META"}, "expiresAt": {"N": expiry}}}),
    );
    orders_scenario(&mut e);
    advance(&mut e, 3.0 * 24.0 * 3600.0);
    let recs: Vec<Value> = invs(&e).iter().flat_map(records).collect();
    assert_eq!(recs.len(), 1, "{recs:?}");
    assert_eq!(recs[0]["eventName"], "REMOVE");
    assert_eq!(recs[0]["dynamodb"]["Keys"]["pk"], json!({"S": "SESSION#9"}));
}

#[test]
fn example_12_numeric_on_creation_time() {
    assert_eq!(
        delivered(&[r#"{"dynamodb":{"ApproximateCreationDateTime":[{"numeric":[">",0]}]}}"#]),
        ["INSERT", "MODIFY", "REMOVE"]
    );
}

#[test]
fn example_13_anything_but() {
    assert_eq!(delivered(&[r#"{"dynamodb":{"NewImage":{"status":{"S":[{"anything-but":["open"]}]}}}}"#]), ["MODIFY"]);
}

#[test]
fn example_14_filters_are_ored() {
    assert_eq!(
        delivered(&[r#"{"eventName":["REMOVE"]}"#, r#"{"dynamodb":{"NewImage":{"status":{"S":["open"]}}}}"#]),
        ["INSERT", "REMOVE"]
    );
}

#[test]
fn example_15_state_transition() {
    assert_eq!(
        delivered(&[
            r#"{"eventName":["MODIFY"],"dynamodb":{"OldImage":{"status":{"S":["open"]}},"NewImage":{"status":{"S":["shipped"]}}}}"#
        ]),
        ["MODIFY"]
    );
}

#[test]
fn example_16_bool() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", filter(&[r#"{"dynamodb":{"NewImage":{"active":{"BOOL":[true]}}}}"#]));
    ok(&mut e, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": "yes"}, "active": {"BOOL": true}}}));
    ok(&mut e, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": "no"}, "active": {"BOOL": false}}}));
    ok(&mut e, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": "none"}}}));
    advance(&mut e, 2.0);
    assert_eq!(invs(&e).iter().flat_map(pks).collect::<Vec<_>>(), ["yes"]);
}

#[test]
fn example_extra_anything_but_on_n() {
    // §5.4 after the table: {"anything-but":"101"} on N matches "42", not "101".
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", filter(&[r#"{"dynamodb":{"NewImage":{"v":{"N":[{"anything-but":"101"}]}}}}"#]));
    put(&mut e, "Tbl", "a", 42);
    put(&mut e, "Tbl", "b", 101);
    advance(&mut e, 2.0);
    assert_eq!(invs(&e).iter().flat_map(pks).collect::<Vec<_>>(), ["a"]);
}

// ---------------------------------------------------------------------------------------------
// §5.1 / §5.3 / Decisions: filter validation and matching through the API
// ---------------------------------------------------------------------------------------------

#[test]
fn unsupported_operators_are_rejected_at_create_and_update() {
    // Decisions table: wildcard and anything-but with prefix/suffix are rejected.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let m = mapping(&mut e, "Tbl", "f", json!({}));
    for p in [
        r#"{"eventName":[{"wildcard":"INS*"}]}"#,
        r#"{"eventName":[{"anything-but":{"prefix":"INS"}}]}"#,
        r#"{"eventName":[{"anything-but":{"suffix":"ERT"}}]}"#,
    ] {
        let er = assert_err(
            &mut e,
            "UpdateEventSourceMapping",
            json!({"UUID": m["UUID"], "FilterCriteria": {"Filters": [{"Pattern": p}]}}),
            "InvalidParameterValueException",
        );
        assert_eq!(er.message, "Invalid filter pattern definition.", "{p}");
    }
    // The supported ones are accepted.
    for p in [
        r#"{"eventName":[null]}"#,
        r#"{"eventName":[""]}"#,
        r#"{"$or":[{"eventName":["INSERT"]},{"eventName":["REMOVE"]}]}"#,
        r#"{"eventName":[{"anything-but":"INSERT"}]}"#,
        r#"{"eventName":[{"anything-but":["INSERT","MODIFY"]}]}"#,
        r#"{"dynamodb":{"SizeBytes":[{"numeric":[">",1,"<=",5]}]}}"#,
        r#"{"eventName":[{"exists":true}]}"#,
        r#"{"eventName":[{"prefix":"IN"}]}"#,
        r#"{"eventName":[{"suffix":"RT"}]}"#,
        r#"{"eventName":[{"equals-ignore-case":"insert"}]}"#,
    ] {
        ok(
            &mut e,
            "UpdateEventSourceMapping",
            json!({"UUID": m["UUID"], "FilterCriteria": {"Filters": [{"Pattern": p}]}}),
        );
    }
}

#[test]
fn pattern_longer_than_4096_chars_is_rejected() {
    // §0 / §5.1: each Pattern string ≤ 4096 chars.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let pad = |n: usize| format!("{{\"eventName\":[\"{}\"]}}", "x".repeat(n - 18));
    assert_eq!(pad(4096).chars().count(), 4096);
    mapping(&mut e, "Tbl", "f", filter(&[&pad(4096)]));
    function(&mut e, "g", "");
    let mut r = json!({"TableName": "Tbl", "FunctionName": "g", "StartingPosition": "TRIM_HORIZON"});
    r["FilterCriteria"] = json!({"Filters": [{"Pattern": pad(4097)}]});
    err(&mut e, "CreateEventSourceMapping", r);
}

#[test]
fn number_equality_compares_the_written_form() {
    // §5.3: numbers in patterns compare by their string representation for equality
    // (300, 300.0 and 3.0e2 are not equal). ApproximateCreationDateTime is delivered as
    // 1767225600.0 (Decisions table).
    let run = |pattern: &str| {
        let mut e = engine();
        table(&mut e, "Tbl", "KEYS_ONLY");
        function(&mut e, "f", "");
        mapping(&mut e, "Tbl", "f", filter(&[pattern]));
        put(&mut e, "Tbl", "a", 1);
        advance(&mut e, 1.0);
        invs(&e).len()
    };
    assert_eq!(run(r#"{"dynamodb":{"ApproximateCreationDateTime":[1767225600.0]}}"#), 1);
    assert_eq!(run(r#"{"dynamodb":{"ApproximateCreationDateTime":[1767225600]}}"#), 0);
    assert_eq!(run(r#"{"dynamodb":{"ApproximateCreationDateTime":[1.7672256e9]}}"#), 0);
    assert_eq!(run(r#"{"dynamodb":{"ApproximateCreationDateTime":[1767225600.00]}}"#), 0);
    // anything-but with a differently written number excludes nothing.
    assert_eq!(run(r#"{"dynamodb":{"ApproximateCreationDateTime":[{"anything-but":[1.7672256e9]}]}}"#), 1);
    assert_eq!(run(r#"{"dynamodb":{"ApproximateCreationDateTime":[{"anything-but":[1767225600.0]}]}}"#), 0);
    // numeric compares values, whatever the form.
    assert_eq!(run(r#"{"dynamodb":{"ApproximateCreationDateTime":[{"numeric":["=",1.7672256e9]}]}}"#), 1);
}

// ---------------------------------------------------------------------------------------------
// §4.1 parameters and lifecycle
// ---------------------------------------------------------------------------------------------

#[test]
fn function_name_forms() {
    // §4.1 FunctionName: name, ARN, partial ARN ("123456789012:function:f", AWS), version/alias ARN.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let r = mapping(&mut e, "Tbl", "f", json!({"FunctionName": "123456789012:function:f"}));
    assert_eq!(r["FunctionArn"], "arn:aws:lambda:us-east-1:123456789012:function:f");
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 1.0);
    assert_eq!(invs(&e).len(), 1);
    assert_eq!(invs(&e)[0]["FunctionName"], "f");
}

#[test]
fn update_state_follows_enabled() {
    // §4.1 lifecycle: updates go through Updating; Enabled=false → Disabling → Disabled;
    // Enabled=true → Enabling → Enabled.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let m = mapping(&mut e, "Tbl", "f", json!({}));
    let u = ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "BatchSize": 5}));
    assert_eq!(u["State"], "Updating");
    let u = ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "Enabled": false}));
    assert_eq!(u["State"], "Disabling");
    assert_eq!(ok(&mut e, "GetEventSourceMapping", json!({"UUID": m["UUID"]}))["State"], "Disabled");
    let u = ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "Enabled": true}));
    assert_eq!(u["State"], "Enabling");
    assert_eq!(ok(&mut e, "GetEventSourceMapping", json!({"UUID": m["UUID"]}))["State"], "Enabled");
}

#[test]
fn on_failure_destination_may_be_cleared() {
    // §4.1 DestinationConfig: `{"OnFailure":{}}` in responses when none is set.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", FAIL_ALL);
    let m = mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"DestinationConfig": {"OnFailure": {"Destination": QUEUE}}, "MaximumRetryAttempts": 0}),
    );
    let u = ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "DestinationConfig": {"OnFailure": {}}}));
    assert_eq!(u["DestinationConfig"], json!({"OnFailure": {}}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 5.0);
    assert_eq!(invs(&e).len(), 1);
    assert!(e.failures_output().is_empty());
}

// ---------------------------------------------------------------------------------------------
// §4.2 6 MB payload
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// §4.4 blocked shard until the records expire; §4.6 S3 destination
// ---------------------------------------------------------------------------------------------

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

#[test]
fn batch_size_counts_only_matching_records() {
    // §4.2: filtering is applied to each record before it is added to a batch, so a batch holds
    // BatchSize matching records.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"BatchSize": 2, "FilterCriteria": {"Filters": [{"Pattern": r#"{"dynamodb":{"NewImage":{"v":{"N":["1"]}}}}"#}]}}),
    );
    for (k, v) in [("a", 1), ("b", 0), ("c", 1), ("d", 0), ("e", 1), ("f", 0), ("g", 1)] {
        put(&mut e, "Tbl", k, v);
    }
    advance(&mut e, 5.0);
    assert_eq!(invs(&e).iter().map(pks).collect::<Vec<_>>(), [vec!["a", "c"], vec!["e", "g"]]);
}

#[test]
fn update_can_point_the_mapping_at_another_function() {
    // AWS (spec silent): UpdateEventSourceMapping's FunctionName changes the mapping's function.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    function(&mut e, "g", "");
    let m = mapping(&mut e, "Tbl", "f", json!({}));
    let u = ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "FunctionName": "g"}));
    assert_eq!(u["FunctionArn"], "arn:aws:lambda:us-east-1:123456789012:function:g");
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 1.0);
    assert_eq!(invs(&e).iter().map(|i| i["FunctionName"].as_str().unwrap().to_string()).collect::<Vec<_>>(), ["g"]);
    let er = assert_err(
        &mut e,
        "UpdateEventSourceMapping",
        json!({"UUID": m["UUID"], "FunctionName": "nobody"}),
        "InvalidParameterValueException",
    );
    assert!(er.message.contains("Function does not exist"), "{}", er.message);
    // Pointing it at a function that already has a mapping on the stream is a conflict (§4.1).
    function(&mut e, "h", "");
    mapping(&mut e, "Tbl", "h", json!({}));
    assert_err(
        &mut e,
        "UpdateEventSourceMapping",
        json!({"UUID": m["UUID"], "FunctionName": "h"}),
        "ResourceConflictException",
    );
    assert_eq!(
        ok(&mut e, "GetEventSourceMapping", json!({"UUID": m["UUID"]}))["FunctionArn"],
        "arn:aws:lambda:us-east-1:123456789012:function:g"
    );
}

#[test]
fn window_state_over_1_mb_ends_the_window_early() {
    // §4.9: state limit 1 MB per shard; exceeding it ends the window early → final invoke with
    // isWindowTerminatedEarly: true. Each of these keys adds ~2 005 bytes to the count's state,
    // so 500 keys stay under 1 MB and 600 are over it.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT count n by pk");
    mapping(&mut e, "Tbl", "f", json!({"TumblingWindowInSeconds": 60, "BatchSize": 100}));
    for i in 0..650 {
        let pk = format!("{i:04}{}", "x".repeat(1996));
        ok(&mut e, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": pk}}}));
    }
    advance(&mut e, 120.0);
    let all = invs(&e);
    let shape: Vec<(usize, bool, bool, usize)> = all
        .iter()
        .map(|i| {
            let ev = &i["Event"];
            let groups = ev["state"].get("n").and_then(Value::as_object).map_or(0, |g| g.len());
            (
                records(i).len(),
                ev["isFinalInvokeForWindow"].as_bool().unwrap(),
                ev["isWindowTerminatedEarly"].as_bool().unwrap(),
                groups,
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (100, false, false, 0),
            (100, false, false, 100),
            (100, false, false, 200),
            (100, false, false, 300),
            (100, false, false, 400),
            (100, false, false, 500),
            (0, true, true, 600),
            (50, false, false, 0),
            (0, true, false, 50),
        ]
    );
    assert!(all.iter().all(|i| outcome(i) == "Success"));
    assert_eq!(all[8]["Event"]["window"], all[0]["Event"]["window"]);
}
