//! Lambda event filtering (`docs/aws-behaviour.md` §5): FilterCriteria validation (§5.1), what a
//! pattern matches (§5.2, §5.3), the §5.4 worked examples end to end on the §1.5 scenario, and
//! records dropped by a filter (§4.2: before batching, for good).
//!
//! Expected values come from the spec (section cited) or from documented real AWS behaviour
//! (marked "AWS"). Simulator modelling choices relied on: polls every 250 ms of simulated time,
//! invocations take no simulated time, time only moves in AdvanceClock.

use crate::common::lambda::*;
use crate::common::*;
use serde_json::{json, Value};

/// Runs the §1.5 scenario through a mapping with the given filters; returns the delivered
/// eventNames in order.
fn delivered(patterns: &[&str]) -> Vec<String> {
    let mut e = engine();
    orders_table(&mut e);
    function(&mut e, "f", "");
    mapping(&mut e, "Orders", "f", filter(patterns));
    orders_scenario(&mut e);
    event_names(&e)
}

#[test]
fn filter_criteria_validation() {
    // §5.1: invalid pattern → InvalidParameterValueException "Invalid filter pattern definition.";
    // more than 5 filters → error at create/update.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let base = json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON"});
    let mut r = base.clone();
    r["FilterCriteria"] = json!({"Filters": [{"Pattern": "{not json"}]});
    let er = assert_err(&mut e, "CreateEventSourceMapping", r, "InvalidParameterValueException");
    assert_eq!(er.message, "Invalid filter pattern definition.");
    let mut r = base.clone();
    let six: Vec<Value> = (0..6).map(|i| json!({"Pattern": format!("{{\"eventName\":[\"X{i}\"]}}")})).collect();
    r["FilterCriteria"] = json!({ "Filters": six });
    err(&mut e, "CreateEventSourceMapping", r);
    let mut r = base.clone();
    let five: Vec<Value> = (0..5).map(|i| json!({"Pattern": format!("{{\"eventName\":[\"X{i}\"]}}")})).collect();
    r["FilterCriteria"] = json!({ "Filters": five });
    let resp = ok(&mut e, "CreateEventSourceMapping", r);
    assert_eq!(resp["FilterCriteria"]["Filters"].as_array().unwrap().len(), 5);
}

#[test]
fn filtered_records_are_dropped_for_good() {
    // §4.2 / §4.8 / §5.1: non-matching records are dropped (checkpoint moves past them), never
    // retried, never sent to a destination; if nothing matches no invocation happens.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_AND_OLD_IMAGES");
    function(&mut e, "f", FAIL_ALL);
    let m = mapping(
        &mut e,
        "Tbl",
        "f",
        json!({
        "FilterCriteria": {"Filters": [{"Pattern": "{\"eventName\":[\"INSERT\"]}"}]},
        "MaximumRetryAttempts": 0, "BatchSize": 10,
        "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    assert_eq!(m["FilterCriteria"], json!({"Filters": [{"Pattern": "{\"eventName\":[\"INSERT\"]}"}]}));
    put(&mut e, "Tbl", "a", 1);
    put(&mut e, "Tbl", "a", 2); // MODIFY
    put(&mut e, "Tbl", "b", 1);
    advance(&mut e, 10.0);
    let all = invs(&e);
    assert_eq!(all.len(), 1);
    let names: Vec<String> = records(&all[0]).iter().map(|r| r["eventName"].as_str().unwrap().to_string()).collect();
    assert_eq!(names, ["INSERT", "INSERT"]);
    assert_eq!(pks(&all[0]), ["a", "b"]);
    let f = e.failures_output();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["DDBStreamBatchInfo"]["batchSize"], 2, "the filtered MODIFY is not part of the failed batch");
    // Only MODIFY and REMOVE now: nothing matches, no invocation.
    ok(&mut e, "DeleteItem", json!({"TableName": "Tbl", "Key": {"pk": {"S": "a"}}}));
    put(&mut e, "Tbl", "b", 5);
    advance(&mut e, 10.0);
    assert_eq!(invs(&e).len(), 1);
    // Removing the filter (FilterCriteria {}) does not bring the dropped records back.
    ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "FilterCriteria": {}, "MaximumRetryAttempts": 0}));
    advance(&mut e, 10.0);
    assert_eq!(invs(&e).len(), 1, "dropped records are never retried");
    put(&mut e, "Tbl", "z", 1);
    advance(&mut e, 2.0);
    assert_eq!(pks(invs(&e).last().unwrap()), ["z"]);
}

#[test]
fn filter_on_image_values_needs_the_type_wrapper() {
    // §5.2 / §5.4 examples 4, 5, 8, 9.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "wrapped", "");
    function(&mut e, "bare", "");
    mapping(
        &mut e,
        "Tbl",
        "wrapped",
        json!({"FilterCriteria": {"Filters": [{"Pattern": "{\"dynamodb\":{\"NewImage\":{\"v\":{\"N\":[\"2\"]}}}}"}]}}),
    );
    mapping(
        &mut e,
        "Tbl",
        "bare",
        json!({"FilterCriteria": {"Filters": [{"Pattern": "{\"dynamodb\":{\"NewImage\":{\"v\":[\"2\"]}}}"}]}}),
    );
    put(&mut e, "Tbl", "a", 1);
    put(&mut e, "Tbl", "b", 2);
    put(&mut e, "Tbl", "c", 3);
    advance(&mut e, 5.0);
    assert_eq!(invs_of(&e, "wrapped").iter().flat_map(pks).collect::<Vec<_>>(), ["b"]);
    assert!(invs_of(&e, "bare").is_empty());
}

#[test]
fn filters_are_ored() {
    // §5.1 / §5.4 example 14.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_AND_OLD_IMAGES");
    function(&mut e, "f", "");
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"FilterCriteria": {"Filters": [
        {"Pattern": "{\"eventName\":[\"REMOVE\"]}"},
        {"Pattern": "{\"dynamodb\":{\"NewImage\":{\"v\":{\"N\":[\"1\"]}}}}"}]}}),
    );
    put(&mut e, "Tbl", "a", 1); // INSERT v=1 → 2nd filter
    put(&mut e, "Tbl", "a", 2); // MODIFY v=2 → no
    ok(&mut e, "DeleteItem", json!({"TableName": "Tbl", "Key": {"pk": {"S": "a"}}})); // REMOVE → 1st
    advance(&mut e, 5.0);
    let names: Vec<String> =
        invs(&e).iter().flat_map(records).map(|r| r["eventName"].as_str().unwrap().to_string()).collect();
    assert_eq!(names, ["INSERT", "REMOVE"]);
}

#[test]
fn metadata_filter_selects_ttl_deletes() {
    // §5.2 / §5.4 example 11 / §7: filter on userIdentity to process only TTL deletes.
    let mut e = engine();
    table(&mut e, "Sessions", "NEW_AND_OLD_IMAGES");
    ok(
        &mut e,
        "UpdateTimeToLive",
        json!({"TableName": "Sessions", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
    );
    function(&mut e, "ttl", "");
    function(&mut e, "removes", "");
    mapping(
        &mut e,
        "Sessions",
        "ttl",
        json!({"FilterCriteria": {"Filters": [
        {"Pattern": "{\"userIdentity\":{\"type\":[\"Service\"],\"principalId\":[\"dynamodb.amazonaws.com\"]}}"}]}}),
    );
    mapping(
        &mut e,
        "Sessions",
        "removes",
        json!({"FilterCriteria": {"Filters": [{"Pattern": "{\"eventName\":[\"REMOVE\"]}"}]}}),
    );
    let expiry = (T0 as i64) + 60;
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Sessions", "Item": {"pk": {"S": "s1"}, "exp": {"N": expiry.to_string()}}}),
    );
    put(&mut e, "Sessions", "s2", 1);
    ok(&mut e, "DeleteItem", json!({"TableName": "Sessions", "Key": {"pk": {"S": "s2"}}}));
    // TTL deletes within 48 h of expiry (§7; scenario-format: at most 48 hours by default).
    advance(&mut e, 49.0 * 3600.0);
    let ttl = invs_of(&e, "ttl");
    let ttl_recs: Vec<Value> = ttl.iter().flat_map(records).collect();
    assert_eq!(ttl_recs.len(), 1, "{ttl_recs:?}");
    assert_eq!(ttl_recs[0]["eventName"], "REMOVE");
    assert_eq!(ttl_recs[0]["dynamodb"]["Keys"], json!({"pk": {"S": "s1"}}));
    assert_eq!(ttl_recs[0]["userIdentity"], json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"}));
    let removes: Vec<Value> = invs_of(&e, "removes").iter().flat_map(records).collect();
    let removed: Vec<&str> = removes.iter().map(|r| r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap()).collect();
    assert_eq!(removed, ["s2", "s1"]);
    assert!(removes[0].get("userIdentity").is_none(), "user deletes carry no userIdentity (§1.1)");
}

#[test]
fn numeric_filter_on_approximate_creation_date_time() {
    // §5.2 / §5.4 example 12: ApproximateCreationDateTime is a JSON number in the event.
    let mut e = engine();
    table(&mut e, "Tbl", "KEYS_ONLY");
    function(&mut e, "f", "");
    mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"FilterCriteria": {"Filters": [{"Pattern": format!("{{\"dynamodb\":{{\"ApproximateCreationDateTime\":[{{\"numeric\":[\">=\",{}]}}]}}}}", T0 as i64 + 10)}]}}),
    );
    put(&mut e, "Tbl", "early", 1);
    advance(&mut e, 20.0);
    put(&mut e, "Tbl", "late", 1);
    advance(&mut e, 2.0);
    assert_eq!(invs(&e).iter().flat_map(pks).collect::<Vec<_>>(), ["late"]);
}

#[test]
fn example_01_event_name_insert() {
    assert_eq!(delivered(&[r#"{"eventName":["INSERT"]}"#]), ["INSERT"]);
}

#[test]
fn example_02_insert_pattern_drops_modify_of_same_key() {
    // MODIFY here is a re-put of the same key with new attributes.
    let mut e = engine();
    orders_table(&mut e);
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
    orders_table(&mut e);
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

/// Why a record was filtered out (issue: "for every record a mapping's filters rejected, show each
/// filter and the first place it failed"), in the replay output when the scenario asks for it
/// with `"simulator": {"explainFilters": true}`. Expectations worked out by hand from §5.3: a
/// MODIFY is not in ["INSERT"]; a number in an image is `{"N": "<text>"}`, so a pattern on
/// `{"S": ...}` looks for another type wrapper.
#[test]
fn replay_explains_each_filtered_record() {
    let table = json!({"CreateTable": {"TableName": "Orders",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}});
    let steps = json!([
        table,
        {"CreateFunction": {"FunctionName": "f", "Code": "on INSERT notify \"#o\" \"{keys.pk}\""}},
        {"CreateEventSourceMapping": {"FunctionName": "f", "TableName": "Orders", "StartingPosition": "TRIM_HORIZON",
            "FilterCriteria": {"Filters": [
                {"Pattern": "{\"eventName\": [\"INSERT\"], \"dynamodb\": {\"NewImage\": {\"qty\": {\"S\": [\"1\"]}}}}"},
                {"Pattern": "{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [\"vip\"]}}}}"}]}}},
        {"PutItem": {"TableName": "Orders", "Item": {"pk": {"S": "a"}, "qty": {"N": "1"}}}},
        {"UpdateItem": {"TableName": "Orders", "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET qty = :q",
            "ExpressionAttributeValues": {":q": {"N": "2"}}}},
        {"AdvanceClock": {"Seconds": 5}}
    ]);
    let with = |explain: Option<bool>| {
        let mut s = json!({"steps": steps});
        if let Some(b) = explain {
            s["simulator"] = json!({"explainFilters": b});
        }
        streamlab::scenario::replay(&s.to_string()).expect("a valid scenario")
    };
    let out = with(Some(true));
    assert!(out["invocations"].as_array().unwrap().is_empty(), "both records are filtered out");
    let filtered = out["filtered"].as_array().expect("a filtered member");
    assert_eq!(filtered.len(), 2);
    assert_eq!(filtered[0]["FunctionName"], "f");
    let why = |i: usize| -> Vec<String> {
        filtered[i]["Why"].as_array().unwrap().iter().map(|w| w.as_str().unwrap().to_string()).collect()
    };
    assert_eq!(
        why(0),
        [
            "Filter 1: dynamodb.NewImage.qty is a number ({\"N\": ...}) in the record, but the pattern looks for a string ({\"S\": ...}): DynamoDB's type wrappers must match",
            "Filter 2: the record has no dynamodb.NewImage.status (the pattern needs it)",
        ]
    );
    assert_eq!(why(1)[0], "Filter 1: eventName is \"MODIFY\"; the pattern wants \"INSERT\"");
    assert_eq!(filtered[1]["SequenceNumber"], out["streams"][0]["Records"][1]["dynamodb"]["SequenceNumber"]);
    // Not asked for: the output keeps the six members of the scenario format.
    for off in [None, Some(false)] {
        assert!(with(off).get("filtered").is_none());
    }
}
