//! Lambda event source mappings on DynamoDB streams, written from `aws-semantics.md` §4
//! (parameters, polling and batching, checkpointing, retries, bisect, ReportBatchItemFailures,
//! the on-failure record, ParallelizationFactor, tumbling windows), §5 (filters), §1.2 (the
//! Lambda event shape), the "Decisions" table, and the trigger rule language
//! (`src/rules/README-snippet.md`).
//!
//! Expected values come from the spec (section cited) or from documented real AWS behaviour
//! (marked). The simulator's documented modelling choices used below (not AWS facts): a shard
//! is polled every 250 ms of simulated time, starting at the next 250 ms slot after a write;
//! retry backoff is 1 s doubling, capped at 60 s; invocations take no simulated time; time only
//! moves in AdvanceClock.
#![cfg(not(target_arch = "wasm32"))] // native tests: `make test` runs tests/web.rs in the browser

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
mod common;
use common::lambda::*;
use common::*;
use streamlab::AwsError;
use streamlab::Engine;

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const ACCOUNT: &str = "123456789012";

fn invs_of(e: &Engine, func: &str) -> Vec<Value> {
    e.invocations_output().into_iter().filter(|i| i["FunctionName"] == func).collect()
}

fn seqs(inv: &Value) -> Vec<String> {
    records(inv).iter().map(|r| r["dynamodb"]["SequenceNumber"].as_str().unwrap().to_string()).collect()
}

fn time(inv: &Value) -> f64 {
    inv["Time"].as_f64().expect("Time")
}

fn seq_num(s: &str) -> u128 {
    s.parse().expect("sequence number")
}

/// "HH:MM:SS" of the first day after T0 as the ISO forms of §4.6.
fn iso_s(secs_after_t0: u64) -> String {
    format!("2026-01-01T{:02}:{:02}:{:02}Z", secs_after_t0 / 3600, secs_after_t0 / 60 % 60, secs_after_t0 % 60)
}

fn iso_ms(ms_after_t0: u64) -> String {
    let s = ms_after_t0 / 1000;
    format!("2026-01-01T{:02}:{:02}:{:02}.{:03}Z", s / 3600, s / 60 % 60, s % 60, ms_after_t0 % 1000)
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("object").keys().cloned().collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// §4.1 create response and defaults
// ---------------------------------------------------------------------------------------------

#[test]
fn create_response_has_the_2025_defaults() {
    // §4.1 "Create response ... real AWS defaults shown (2025 snapshot)".
    let mut e = engine();
    let arn = table(&mut e, "Orders", "NEW_AND_OLD_IMAGES");
    function(&mut e, "my-fn", "");
    let r = ok(
        &mut e,
        "CreateEventSourceMapping",
        json!({"EventSourceArn": arn, "FunctionName": "my-fn", "StartingPosition": "TRIM_HORIZON"}),
    );
    let uuid = r["UUID"].as_str().unwrap();
    assert!(is_uuid(uuid), "UUID {uuid}");
    assert_eq!(
        keys(&r),
        set(&[
            "UUID",
            "EventSourceMappingArn",
            "EventSourceArn",
            "FunctionArn",
            "StartingPosition",
            "BatchSize",
            "MaximumBatchingWindowInSeconds",
            "ParallelizationFactor",
            "MaximumRetryAttempts",
            "MaximumRecordAgeInSeconds",
            "BisectBatchOnFunctionError",
            "TumblingWindowInSeconds",
            "FunctionResponseTypes",
            "DestinationConfig",
            "LastModified",
            "LastProcessingResult",
            "State",
            "StateTransitionReason",
        ]),
        "{r}"
    );
    assert_eq!(
        r["EventSourceMappingArn"],
        json!(format!("arn:aws:lambda:us-east-1:{ACCOUNT}:event-source-mapping:{uuid}"))
    );
    assert_eq!(r["EventSourceArn"], json!(arn));
    assert_eq!(r["FunctionArn"], json!(format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:my-fn")));
    assert_eq!(r["StartingPosition"], "TRIM_HORIZON");
    assert_eq!(r["BatchSize"], 100);
    assert_eq!(r["MaximumBatchingWindowInSeconds"], 0);
    assert_eq!(r["ParallelizationFactor"], 1);
    assert_eq!(r["MaximumRetryAttempts"], -1);
    assert_eq!(r["MaximumRecordAgeInSeconds"], -1);
    assert_eq!(r["BisectBatchOnFunctionError"], false);
    assert_eq!(r["TumblingWindowInSeconds"], 0);
    assert_eq!(r["FunctionResponseTypes"], json!([]));
    assert_eq!(r["DestinationConfig"], json!({"OnFailure": {}}));
    // LastModified: epoch seconds as a JSON number (the snapshot shows 1718899200.123).
    assert!(r["LastModified"].is_number(), "{}", r["LastModified"]);
    assert_eq!(r["LastModified"].as_f64().unwrap(), T0);
    assert_eq!(r["LastProcessingResult"], "No records processed");
    assert_eq!(r["State"], "Creating");
    assert_eq!(r["StateTransitionReason"], "User action");
}

#[test]
fn create_echoes_the_given_parameters() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let r = mapping(
        &mut e,
        "Tbl",
        "f",
        json!({"StartingPosition": "LATEST", "BatchSize": 7, "MaximumBatchingWindowInSeconds": 3, "ParallelizationFactor": 4,
               "MaximumRetryAttempts": 2, "MaximumRecordAgeInSeconds": 600, "BisectBatchOnFunctionError": true,
               "TumblingWindowInSeconds": 30, "FunctionResponseTypes": ["ReportBatchItemFailures"],
               "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    assert_eq!(r["StartingPosition"], "LATEST");
    assert_eq!(r["BatchSize"], 7);
    assert_eq!(r["MaximumBatchingWindowInSeconds"], 3);
    assert_eq!(r["ParallelizationFactor"], 4);
    assert_eq!(r["MaximumRetryAttempts"], 2);
    assert_eq!(r["MaximumRecordAgeInSeconds"], 600);
    assert_eq!(r["BisectBatchOnFunctionError"], true);
    assert_eq!(r["TumblingWindowInSeconds"], 30);
    assert_eq!(r["FunctionResponseTypes"], json!(["ReportBatchItemFailures"]));
    assert_eq!(r["DestinationConfig"], json!({"OnFailure": {"Destination": QUEUE}}));
}

#[test]
fn get_shows_enabled_or_disabled_after_creation() {
    // §4.1 lifecycle: Creating → Enabled (or Disabled).
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    function(&mut e, "g", "");
    let a = mapping(&mut e, "Tbl", "f", json!({}));
    let b = mapping(&mut e, "Tbl", "g", json!({"Enabled": false}));
    advance(&mut e, 1.0);
    let ga = ok(&mut e, "GetEventSourceMapping", json!({"UUID": a["UUID"]}));
    assert_eq!(ga["State"], "Enabled");
    assert_eq!(ga["UUID"], a["UUID"]);
    assert_eq!(ga["BatchSize"], 100);
    let gb = ok(&mut e, "GetEventSourceMapping", json!({"UUID": b["UUID"]}));
    assert_eq!(gb["State"], "Disabled");
}

#[test]
fn last_processing_result_follows_the_outcome() {
    // §4.1: LastProcessingResult examples "OK", "PROBLEM: Function call failed".
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "good", "");
    function(&mut e, "bad", FAIL_ALL);
    let a = mapping(&mut e, "Tbl", "good", json!({}));
    let b = mapping(&mut e, "Tbl", "bad", json!({}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 2.0);
    assert_eq!(ok(&mut e, "GetEventSourceMapping", json!({"UUID": a["UUID"]}))["LastProcessingResult"], "OK");
    assert_eq!(
        ok(&mut e, "GetEventSourceMapping", json!({"UUID": b["UUID"]}))["LastProcessingResult"],
        "PROBLEM: Function call failed"
    );
}

// ---------------------------------------------------------------------------------------------
// §4.1 ranges and errors
// ---------------------------------------------------------------------------------------------

/// Asserts a ValidationException in the "1 validation error detected" form of §4.1.
#[track_caller]
fn assert_constraint(er: &AwsError, value: &str, field: &str, constraint: &str) {
    assert_eq!(er.kind, "ValidationException", "{}", er.message);
    assert_eq!(
        er.message,
        format!("1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}"),
    );
}

#[test]
fn integer_parameters_have_their_ranges() {
    // §4.1 table; §4.1 "model-constraint violations (e.g. out-of-range integers, bad enums) →
    // ValidationException with the '1 validation error detected: Value 'X' at 'field' failed to
    // satisfy constraint: ...' text". Constraint wording "Member must have value greater than or
    // equal to N" / "less than or equal to N" is the real AWS (Coral) wording.
    let cases: &[(&str, &str, i64, i64)] = &[
        ("BatchSize", "batchSize", 1, 10_000),
        ("MaximumBatchingWindowInSeconds", "maximumBatchingWindowInSeconds", 0, 300),
        ("ParallelizationFactor", "parallelizationFactor", 1, 10),
        ("MaximumRetryAttempts", "maximumRetryAttempts", -1, 10_000),
        ("TumblingWindowInSeconds", "tumblingWindowInSeconds", 0, 900),
    ];
    for &(param, field, min, max) in cases {
        let mut e = engine();
        table(&mut e, "Tbl", "NEW_IMAGE");
        function(&mut e, "f", "");
        let base = json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON"});
        let mut r = base.clone();
        r[param] = json!(min - 1);
        let er = err(&mut e, "CreateEventSourceMapping", r);
        assert_constraint(
            &er,
            &(min - 1).to_string(),
            field,
            &format!("Member must have value greater than or equal to {min}"),
        );
        let mut r = base.clone();
        r[param] = json!(max + 1);
        let er = err(&mut e, "CreateEventSourceMapping", r);
        assert_constraint(
            &er,
            &(max + 1).to_string(),
            field,
            &format!("Member must have value less than or equal to {max}"),
        );
        // Both bounds accepted (one mapping per function and stream, so a new function each time).
        for (i, v) in [min, max].into_iter().enumerate() {
            let name = format!("f{i}");
            function(&mut e, &name, "");
            let mut r = base.clone();
            r["FunctionName"] = json!(name);
            r[param] = json!(v);
            let resp = ok(&mut e, "CreateEventSourceMapping", r);
            assert_eq!(resp[param], json!(v), "{param}");
        }
    }
}

#[test]
fn record_age_is_minus_one_or_60_to_604800() {
    // §4.1: -1, or 60–604 800; 0–59 rejected with the quoted message (§9.5: the service rejects
    // them; real AWS returns it as InvalidParameterValueException); above the API maximum it is a
    // model constraint (ValidationException).
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    let base = json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON"});
    function(&mut e, "f", "");
    for bad in [0, 1, 59] {
        let mut r = base.clone();
        r["MaximumRecordAgeInSeconds"] = json!(bad);
        let er = assert_err(&mut e, "CreateEventSourceMapping", r, "InvalidParameterValueException");
        assert_eq!(
            er.message,
            "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)"
        );
    }
    let mut r = base.clone();
    r["MaximumRecordAgeInSeconds"] = json!(604_801);
    let er = err(&mut e, "CreateEventSourceMapping", r);
    assert_constraint(
        &er,
        "604801",
        "maximumRecordAgeInSeconds",
        "Member must have value less than or equal to 604800",
    );
    let mut r = base.clone();
    r["MaximumRecordAgeInSeconds"] = json!(-2);
    let er = err(&mut e, "CreateEventSourceMapping", r);
    assert_eq!(er.kind, "ValidationException", "{}", er.message);
    for (i, good) in [-1, 60, 604_800].into_iter().enumerate() {
        let name = format!("g{i}");
        function(&mut e, &name, "");
        let mut r = base.clone();
        r["FunctionName"] = json!(name);
        r["MaximumRecordAgeInSeconds"] = json!(good);
        assert_eq!(ok(&mut e, "CreateEventSourceMapping", r)["MaximumRecordAgeInSeconds"], json!(good));
    }
}

#[test]
fn batch_size_above_ten_needs_no_window_for_streams() {
    // §4.1 / §9.8: BatchSize 100 + window 0 accepted for DynamoDB (the "> 10 needs ≥ 1 s" rule is SQS-only).
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let r = mapping(&mut e, "Tbl", "f", json!({"BatchSize": 10_000, "MaximumBatchingWindowInSeconds": 0}));
    assert_eq!(r["BatchSize"], 10_000);
}

#[test]
fn function_response_types_accepts_only_report_batch_item_failures() {
    // §4.1: FunctionResponseTypes string[] (0–1) of ["ReportBatchItemFailures"]; bad enums and
    // too-long lists are model constraints → ValidationException.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let base = json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON"});
    let mut r = base.clone();
    r["FunctionResponseTypes"] = json!(["ReportItemFailures"]);
    let er = assert_err(&mut e, "CreateEventSourceMapping", r, "ValidationException");
    assert!(er.message.starts_with("1 validation error detected: "), "{}", er.message);
    assert!(er.message.contains("functionResponseTypes"), "{}", er.message);
    let mut r = base.clone();
    r["FunctionResponseTypes"] = json!(["ReportBatchItemFailures", "ReportBatchItemFailures"]);
    assert_err(&mut e, "CreateEventSourceMapping", r, "ValidationException");
    let mut r = base.clone();
    r["FunctionResponseTypes"] = json!([]);
    assert_eq!(ok(&mut e, "CreateEventSourceMapping", r)["FunctionResponseTypes"], json!([]));
}

#[test]
fn starting_position_rules() {
    // §4.1 StartingPosition.
    let mut e = engine();
    let arn = table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    // AT_TIMESTAMP is rejected for DynamoDB streams.
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"EventSourceArn": arn, "FunctionName": "f", "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": T0}),
        "InvalidParameterValueException",
    );
    assert_eq!(er.message, format!("Unsupported starting position for arn type: {arn}"));
    // Missing.
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"EventSourceArn": arn, "FunctionName": "f"}),
        "InvalidParameterValueException",
    );
    assert_eq!(
        er.message,
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."
    );
    // Unknown word: ValidationException with the enum message.
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"EventSourceArn": arn, "FunctionName": "f", "StartingPosition": "EARLIEST"}),
        "ValidationException",
    );
    assert!(er.message.starts_with("1 validation error detected: Value 'EARLIEST' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set"), "{}", er.message);
    // Nothing was created by the failed calls.
    ok(
        &mut e,
        "CreateEventSourceMapping",
        json!({"EventSourceArn": arn, "FunctionName": "f", "StartingPosition": "LATEST"}),
    );
}

#[test]
fn on_success_destination_is_rejected() {
    // §4.1 DestinationConfig: OnSuccess not allowed for stream mappings.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON",
               "DestinationConfig": {"OnSuccess": {"Destination": QUEUE}}}),
        "InvalidParameterValueException",
    );
    assert_eq!(er.message, "Unsupported DestinationConfig parameter for given event source mapping type.");
    // Also on update.
    let m = mapping(&mut e, "Tbl", "f", json!({}));
    let er = assert_err(
        &mut e,
        "UpdateEventSourceMapping",
        json!({"UUID": m["UUID"], "DestinationConfig": {"OnSuccess": {"Destination": QUEUE}}}),
        "InvalidParameterValueException",
    );
    assert_eq!(er.message, "Unsupported DestinationConfig parameter for given event source mapping type.");
}

#[test]
fn duplicate_mapping_is_a_conflict() {
    // §4.1 "duplicate mapping for the same (function, stream) → ResourceConflictException".
    let mut e = engine();
    let arn = table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    function(&mut e, "g", "");
    let m = mapping(&mut e, "Tbl", "f", json!({}));
    let uuid = m["UUID"].as_str().unwrap();
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"EventSourceArn": arn, "FunctionName": "f", "StartingPosition": "LATEST"}),
        "ResourceConflictException",
    );
    assert_eq!(
        er.message,
        format!("The event source arn (\" {arn} \") and function (\" f \") provided mapping already exists. Please update or delete the existing mapping with UUID {uuid}")
    );
    // Another function on the same stream is fine (§2.4: up to two per stream).
    mapping(&mut e, "Tbl", "g", json!({}));
}

#[test]
fn unknown_function_and_stream() {
    // §4.1 EventSourceArn / FunctionName.
    let mut e = engine();
    let arn = table(&mut e, "Tbl", "NEW_IMAGE");
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"EventSourceArn": arn, "FunctionName": "nobody", "StartingPosition": "TRIM_HORIZON"}),
        "InvalidParameterValueException",
    );
    assert!(er.message.contains("Function does not exist"), "{}", er.message);
    function(&mut e, "f", "");
    let missing = "arn:aws:dynamodb:us-east-1:123456789012:table/Nope/stream/2026-01-01T00:00:00.000";
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"EventSourceArn": missing, "FunctionName": "f", "StartingPosition": "TRIM_HORIZON"}),
        "InvalidParameterValueException",
    );
    assert_eq!(er.message, format!("Stream not found: {missing}"));
    // A function named by its ARN works (§4.1: name, ARN, partial ARN...).
    let r = ok(
        &mut e,
        "CreateEventSourceMapping",
        json!({"EventSourceArn": arn, "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f", "StartingPosition": "TRIM_HORIZON"}),
    );
    assert_eq!(r["FunctionArn"], "arn:aws:lambda:us-east-1:123456789012:function:f");
}

#[test]
fn unknown_uuid_is_not_found() {
    // §4.1 "unknown UUID on Get/Update/Delete → ResourceNotFoundException (404) 'The resource you
    // requested does not exist.'"
    let mut e = engine();
    let id = "a1b2c3d4-5678-90ab-cdef-111111111111";
    for action in ["GetEventSourceMapping", "UpdateEventSourceMapping", "DeleteEventSourceMapping"] {
        let er = assert_err(&mut e, action, json!({"UUID": id, "BatchSize": 5}), "ResourceNotFoundException");
        assert_eq!(er.message, "The resource you requested does not exist.");
    }
    // A deleted mapping is gone.
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let m = mapping(&mut e, "Tbl", "f", json!({}));
    let d = ok(&mut e, "DeleteEventSourceMapping", json!({"UUID": m["UUID"]}));
    assert_eq!(d["State"], "Deleting"); // §4.1 lifecycle: delete → Deleting.
    let er = assert_err(&mut e, "GetEventSourceMapping", json!({"UUID": m["UUID"]}), "ResourceNotFoundException");
    assert_eq!(er.message, "The resource you requested does not exist.");
}

#[test]
fn update_validates_like_create() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let m = mapping(&mut e, "Tbl", "f", json!({}));
    let er = err(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "BatchSize": 0}));
    assert_constraint(&er, "0", "batchSize", "Member must have value greater than or equal to 1");
    let er = assert_err(
        &mut e,
        "UpdateEventSourceMapping",
        json!({"UUID": m["UUID"], "MaximumRecordAgeInSeconds": 30}),
        "InvalidParameterValueException",
    );
    assert_eq!(
        er.message,
        "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)"
    );
    // A failed update changes nothing.
    assert_eq!(ok(&mut e, "GetEventSourceMapping", json!({"UUID": m["UUID"]}))["BatchSize"], 100);
    let u = ok(&mut e, "UpdateEventSourceMapping", json!({"UUID": m["UUID"], "BatchSize": 9}));
    assert_eq!(u["BatchSize"], 9);
    assert_eq!(ok(&mut e, "GetEventSourceMapping", json!({"UUID": m["UUID"]}))["BatchSize"], 9);
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

// ---------------------------------------------------------------------------------------------
// §1.2 the Lambda event
// ---------------------------------------------------------------------------------------------

#[test]
fn lambda_event_shape() {
    // §1.2: same fields as GetRecords plus eventSourceARN; ApproximateCreationDateTime a float
    // with .0 (Decisions table); eventVersion "1.1"; userIdentity only on TTL deletes.
    let mut e = engine();
    let arn = table(&mut e, "Orders", "NEW_AND_OLD_IMAGES");
    function(&mut e, "f", "");
    mapping(&mut e, "Orders", "f", json!({}));
    put(&mut e, "Orders", "a", 1);
    advance(&mut e, 1.0);
    let all = invs(&e);
    assert_eq!(all.len(), 1);
    let inv = &all[0];
    assert_eq!(inv["FunctionName"], "f");
    assert!(is_uuid(inv["UUID"].as_str().unwrap()));
    assert_eq!(inv["Attempt"], 1);
    assert_eq!(outcome(inv), "Success");
    // Poll model: the next 250 ms slot after the write at T0.
    assert_eq!(time(inv), T0 + 0.25);
    assert_eq!(keys(&inv["Event"]), set(&["Records"]), "no tumbling-window members without windows");
    let recs = records(inv);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(
        keys(r),
        set(&["eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "dynamodb", "eventSourceARN"])
    );
    assert_eq!(r["eventSourceARN"], json!(arn));
    assert_eq!(r["eventName"], "INSERT");
    assert_eq!(r["eventVersion"], "1.1");
    assert_eq!(r["eventSource"], "aws:dynamodb");
    assert_eq!(r["awsRegion"], "us-east-1");
    let id = r["eventID"].as_str().unwrap();
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{id}");
    let d = &r["dynamodb"];
    assert!(d["ApproximateCreationDateTime"].is_f64(), "{}", d["ApproximateCreationDateTime"]);
    assert_eq!(d["ApproximateCreationDateTime"].as_f64().unwrap(), T0);
    let text = serde_json::to_string(&inv["Event"]).unwrap();
    assert!(text.contains("\"ApproximateCreationDateTime\":1767225600.0"), "{text}");
    assert_eq!(d["Keys"], json!({"pk": {"S": "a"}}));
    assert_eq!(d["NewImage"], json!({"pk": {"S": "a"}, "v": {"N": "1"}}));
    assert!(d.get("OldImage").is_none());
    assert_eq!(d["StreamViewType"], "NEW_AND_OLD_IMAGES");
    let seq = d["SequenceNumber"].as_str().unwrap();
    assert!((21..=40).contains(&seq.len()) && seq.bytes().all(|b| b.is_ascii_digit()), "{seq}");
    // The same record as GetRecords gives it, apart from eventSourceARN (§1.2).
    let streams = e.streams_output();
    let srec = &streams[0]["Records"][0];
    for k in ["eventID", "eventName", "eventVersion", "eventSource", "awsRegion"] {
        assert_eq!(srec[k], r[k], "{k}");
    }
    for k in ["Keys", "NewImage", "SequenceNumber", "SizeBytes", "StreamViewType"] {
        assert_eq!(srec["dynamodb"][k], d[k], "{k}");
    }
    assert!(srec.get("eventSourceARN").is_none());
}

#[test]
fn records_of_one_invocation_come_from_one_shard() {
    // §1.2: all records in one invocation come from a single shard.
    let mut e = engine_with(|c| c.shards_per_stream = 4);
    let arn = table(&mut e, "Tbl", "KEYS_ONLY");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({}));
    for i in 0..40 {
        put(&mut e, "Tbl", &format!("k{i}"), i);
    }
    advance(&mut e, 5.0);
    // Which shard holds which record, from the Streams API.
    let desc = ok(&mut e, "DescribeStream", json!({"StreamArn": arn}));
    let mut shard_of = BTreeMap::new();
    for sh in desc["StreamDescription"]["Shards"].as_array().unwrap() {
        let sid = sh["ShardId"].as_str().unwrap().to_string();
        let it = ok(
            &mut e,
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": sid, "ShardIteratorType": "TRIM_HORIZON"}),
        );
        let recs = ok(&mut e, "GetRecords", json!({"ShardIterator": it["ShardIterator"]}));
        for r in recs["Records"].as_array().unwrap() {
            shard_of.insert(r["eventID"].as_str().unwrap().to_string(), sid.clone());
        }
    }
    assert_eq!(shard_of.len(), 40);
    let all = invs(&e);
    let mut seen = 0;
    let mut shards_used = BTreeSet::new();
    for inv in &all {
        for r in records(inv) {
            assert_eq!(shard_of[r["eventID"].as_str().unwrap()], inv["ShardId"].as_str().unwrap());
            seen += 1;
        }
        shards_used.insert(inv["ShardId"].as_str().unwrap().to_string());
    }
    assert_eq!(seen, 40);
    assert!(shards_used.len() > 1, "40 keys over 4 shards should use more than one shard");
}

// ---------------------------------------------------------------------------------------------
// §4.2 polling and batching
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// §4.7 ParallelizationFactor
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// §4.4 retries, blocked shard, record age, bisect
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// §4.5 ReportBatchItemFailures
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// §5 filters
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// §4.9 tumbling windows
// ---------------------------------------------------------------------------------------------

#[test]
fn tumbling_window_events_and_final_invoke() {
    // §4.9: window/state/shardId/eventSourceARN/isFinalInvokeForWindow/isWindowTerminatedEarly at
    // the top level; windows aligned to multiples of the duration; state starts as {} and is
    // passed to the next invocation of the same window; a final invoke at window end.
    let mut e = engine();
    let arn = table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT count n");
    mapping(&mut e, "Tbl", "f", json!({"TumblingWindowInSeconds": 60}));
    advance(&mut e, 10.0);
    put(&mut e, "Tbl", "a", 1); // T0+10
    advance(&mut e, 5.0);
    put(&mut e, "Tbl", "b", 1); // T0+15
    advance(&mut e, 60.0); // to T0+75, past the window end at T0+60
    let all = invs(&e);
    assert_eq!(all.len(), 3, "{all:?}");
    let shard = all[0]["ShardId"].clone();
    for inv in &all {
        let ev = &inv["Event"];
        assert_eq!(
            keys(ev),
            set(&[
                "Records",
                "window",
                "state",
                "shardId",
                "eventSourceARN",
                "isFinalInvokeForWindow",
                "isWindowTerminatedEarly"
            ])
        );
        assert_eq!(ev["window"], json!({"start": "2026-01-01T00:00:00Z", "end": "2026-01-01T00:01:00Z"}));
        assert_eq!(ev["shardId"], shard);
        assert_eq!(ev["eventSourceARN"], json!(arn));
        assert_eq!(ev["isWindowTerminatedEarly"], false);
        assert!(ev["state"].is_object());
    }
    assert_eq!(pks(&all[0]), ["a"]);
    assert_eq!(all[0]["Event"]["state"], json!({}));
    assert_eq!(all[0]["Event"]["isFinalInvokeForWindow"], false);
    assert_eq!(pks(&all[1]), ["b"]);
    assert_ne!(all[1]["Event"]["state"], json!({}), "the state from the first invocation is passed on");
    assert_eq!(all[1]["Event"]["isFinalInvokeForWindow"], false);
    // Final invoke: at the window end, records may be empty, the accumulated state.
    assert_eq!(all[2]["Event"]["isFinalInvokeForWindow"], true);
    assert_eq!(all[2]["Event"]["Records"], json!([]));
    assert_eq!(all[2]["Event"]["state"], json!({"n": {"*": 2}}), "the rule language's aggregates are the window state");
    let t = time(&all[2]);
    assert!((T0 + 60.0..=T0 + 60.5).contains(&t), "final invoke at {t}");
    assert_eq!(outcome(&all[2]), "Success");
    // A record in the next window starts with fresh state.
    put(&mut e, "Tbl", "c", 1);
    advance(&mut e, 1.0);
    let all = invs(&e);
    assert_eq!(all.len(), 4);
    assert_eq!(all[3]["Event"]["window"], json!({"start": "2026-01-01T00:01:00Z", "end": "2026-01-01T00:02:00Z"}));
    assert_eq!(all[3]["Event"]["state"], json!({}));
    assert_eq!(pks(&all[3]), ["c"]);
}

#[test]
fn no_tumbling_fields_without_windows() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT count n");
    mapping(&mut e, "Tbl", "f", json!({"TumblingWindowInSeconds": 0}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 120.0);
    let all = invs(&e);
    assert_eq!(all.len(), 1, "no final invoke without windows");
    assert_eq!(keys(&all[0]["Event"]), set(&["Records"]));
}

// ---------------------------------------------------------------------------------------------
// §2.5 / §4.2 lineage
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// chains, loop detection, rule language
// ---------------------------------------------------------------------------------------------

#[test]
fn a_trigger_writing_to_another_table_feeds_its_trigger() {
    // Rule language: "A trigger can maintain a table whose own stream feeds another trigger".
    let mut e = engine();
    table(&mut e, "Orders", "NEW_IMAGE");
    table(&mut e, "Audit", "NEW_IMAGE");
    function(&mut e, "copy", "on INSERT put Audit { pk: keys.pk, note: \"copied\" }");
    function(&mut e, "announce", "on INSERT notify \"#audit\" \"{keys.pk}: {new.note}\"");
    mapping(&mut e, "Orders", "copy", json!({}));
    mapping(&mut e, "Audit", "announce", json!({}));
    advance(&mut e, 10.0);
    put(&mut e, "Orders", "o1", 1);
    advance(&mut e, 5.0);
    let item = ok(&mut e, "GetItem", json!({"TableName": "Audit", "Key": {"pk": {"S": "o1"}}}));
    assert_eq!(item["Item"], json!({"pk": {"S": "o1"}, "note": {"S": "copied"}}));
    let n = e.notifications_output();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0]["Channel"], "#audit");
    assert_eq!(n[0]["Message"], "o1: copied");
    assert_eq!(n[0]["FunctionName"], "announce");
    assert_eq!(invs_of(&e, "copy").len(), 1);
    assert_eq!(invs_of(&e, "announce").len(), 1);
    // Poll model: the Audit write at T0+10.25 is picked up at the next slot.
    assert_eq!(time(&invs_of(&e, "copy")[0]), T0 + 10.25);
    assert_eq!(time(&invs_of(&e, "announce")[0]), T0 + 10.5);
}

#[test]
fn a_chained_trigger_sees_the_write_at_the_next_poll_slot() {
    // Simulator poll model (documented): a shard is polled at the next 250 ms slot after a write,
    // and invocations take no time. The Audit record is written at T0+0.25 (during `copy`), so
    // `announce` runs at T0+0.5 — whatever order the mappings were created in.
    for announce_first in [false, true] {
        let mut e = engine();
        table(&mut e, "Orders", "NEW_IMAGE");
        table(&mut e, "Audit", "NEW_IMAGE");
        function(&mut e, "copy", "on INSERT put Audit { pk: keys.pk }");
        function(&mut e, "announce", "on INSERT notify \"#audit\" \"{keys.pk}\"");
        if announce_first {
            mapping(&mut e, "Audit", "announce", json!({}));
            mapping(&mut e, "Orders", "copy", json!({}));
        } else {
            mapping(&mut e, "Orders", "copy", json!({}));
            mapping(&mut e, "Audit", "announce", json!({}));
        }
        put(&mut e, "Orders", "o1", 1);
        advance(&mut e, 5.0);
        assert_eq!(time(&invs_of(&e, "copy")[0]), T0 + 0.25);
        assert_eq!(time(&invs_of(&e, "announce")[0]), T0 + 0.5, "announce_first = {announce_first}");
        assert_eq!(e.notifications_output()[0]["Time"].as_f64().unwrap(), T0 + 0.5);
    }
}

#[test]
fn recursive_loop_is_stopped_after_16_invocations() {
    // Real AWS (documented): Lambda recursive loop detection stops a chain after about 16
    // invocations; here exactly 16 and nothing beyond.
    let mut e = engine();
    table(&mut e, "Loop", "NEW_IMAGE");
    function(&mut e, "again", "on INSERT, MODIFY update Loop key { pk: keys.pk } add n 1");
    mapping(&mut e, "Loop", "again", json!({}));
    put(&mut e, "Loop", "x", 0);
    advance(&mut e, 600.0);
    assert_eq!(invs(&e).len(), 16);
    assert!(invs(&e).iter().all(|i| outcome(i) == "Success"));
    let item = ok(&mut e, "GetItem", json!({"TableName": "Loop", "Key": {"pk": {"S": "x"}}}));
    assert_eq!(item["Item"]["n"], json!({"N": "16"}));
    advance(&mut e, 3600.0);
    assert_eq!(invs(&e).len(), 16, "nothing is invoked beyond the 16th");
    assert!(e.failures_output().is_empty());
}

#[test]
fn syntax_error_in_code_is_rejected_with_line_and_column() {
    // Rule language: "Syntax errors give the line and column"; the Lambda API rejects the
    // parameter with InvalidParameterValueException.
    let mut e = engine();
    let er = assert_err(
        &mut e,
        "CreateFunction",
        json!({"FunctionName": "f", "Code": "on INSERT\n  notify \"#ops\"\n"}),
        "InvalidParameterValueException",
    );
    assert!(er.message.contains("line 2, column"), "{}", er.message);
    // Nothing was created.
    table(&mut e, "Tbl", "NEW_IMAGE");
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON"}),
        "InvalidParameterValueException",
    );
    assert!(er.message.contains("Function does not exist"), "{}", er.message);
}

#[test]
fn rule_language_through_the_engine() {
    // Rule language: notify with {..} placeholders, aggregates, `when` conditions, `fail`
    // (all-or-nothing per record).
    let mut e = engine();
    table(&mut e, "Stock", "NEW_AND_OLD_IMAGES");
    function(
        &mut e,
        "f",
        "on MODIFY when new.v < 5 and old.v >= 5\n  notify \"#ops\" \"{keys.pk} low: {new.v} (was {old.v})\"\non INSERT, MODIFY, REMOVE\n  sum stock of v by pk\n  count items",
    );
    mapping(&mut e, "Stock", "f", json!({}));
    put(&mut e, "Stock", "a", 10);
    put(&mut e, "Stock", "b", 7);
    advance(&mut e, 1.0);
    put(&mut e, "Stock", "a", 3);
    put(&mut e, "Stock", "b", 6);
    advance(&mut e, 1.0);
    ok(&mut e, "DeleteItem", json!({"TableName": "Stock", "Key": {"pk": {"S": "b"}}}));
    advance(&mut e, 1.0);
    let n = e.notifications_output();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0]["Message"], "a low: 3 (was 10)");
    assert_eq!(n[0]["Channel"], "#ops");
    assert_eq!(n[0]["Time"].as_f64().unwrap(), T0 + 1.25);
    assert_eq!(e.aggregates_output(), json!({"stock": {"a": 3}, "items": {"*": 1}}));
}

#[test]
fn empty_code_succeeds_and_does_nothing() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "-- nothing here\n");
    mapping(&mut e, "Tbl", "f", json!({}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 1.0);
    assert_eq!(invs(&e).len(), 1);
    assert_eq!(outcome(&invs(&e)[0]), "Success");
    assert!(e.notifications_output().is_empty());
    assert_eq!(e.aggregates_output(), json!({}));
}
