//! CreateEventSourceMapping, UpdateEventSourceMapping, GetEventSourceMapping and
//! DeleteEventSourceMapping (§4.1): the response and its defaults, parameter ranges and errors,
//! the mapping's state.

use crate::common::lambda::*;
use crate::common::*;
use serde_json::json;

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
