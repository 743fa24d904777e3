//! CreateFunction and the function and destination members of CreateEventSourceMapping: the
//! errors a learner meets with a bad function name, code or destination.
//!
//! StreamLab's functions run trigger rules: `Code` is the rules' text (README.md, "Scenario
//! files"; scenario-format.md "Lambda actions"), so a deployment package is refused in the
//! simulator's words. The other messages are Lambda's (API_CreateFunction, API_DestinationConfig,
//! API_CreateEventSourceMapping; §4.1).

use crate::common::lambda::{advance, function, invs, mapping, pks, put, table, QUEUE};
use crate::common::{assert_err, engine, ok};
use serde_json::json;

#[test]
fn function_names_follow_lambdas_pattern() {
    // API_CreateFunction FunctionName: letters, digits, '-' and '_', 1 to 64 characters (the
    // name form; the ARN forms are for other actions).
    let mut e = engine();
    for bad in ["bad name!", "", "f.g", &"x".repeat(65)] {
        let er = assert_err(&mut e, "CreateFunction", json!({ "FunctionName": bad }), "ValidationException");
        assert!(
            er.message.starts_with(&format!(
                "1 validation error detected: Value '{bad}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern"
            )),
            "{bad:?}: {}",
            er.message
        );
    }
    ok(&mut e, "CreateFunction", json!({"FunctionName": "Tally-votes_2", "Code": ""}));
    ok(&mut e, "CreateFunction", json!({"FunctionName": "x".repeat(64)}));
}

#[test]
fn creating_a_function_twice_is_a_conflict() {
    // API_CreateFunction: ResourceConflictException; Lambda's message is "Function already
    // exist: <name>" (sic).
    let mut e = engine();
    function(&mut e, "tally", "");
    let er = assert_err(&mut e, "CreateFunction", json!({"FunctionName": "tally"}), "ResourceConflictException");
    assert_eq!(er.message, "Function already exist: tally");
}

#[test]
fn code_is_rule_text_not_a_package() {
    // A deployment package (`{"ZipFile": ...}` in Lambda's API) is not something the simulator
    // runs: InvalidParameterValueException, in its own words naming the rule language.
    let mut e = engine();
    let er = assert_err(
        &mut e,
        "CreateFunction",
        json!({"FunctionName": "f", "Code": {"ZipFile": "UEsDBA=="}}),
        "InvalidParameterValueException",
    );
    assert!(er.message.contains("rule"), "{}", er.message);
    // A function without Code has no rules: it succeeds on every batch.
    ok(&mut e, "CreateFunction", json!({"FunctionName": "f"}));
    table(&mut e, "Tbl", "NEW_IMAGE");
    mapping(&mut e, "Tbl", "f", json!({}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 1.0);
    assert_eq!(invs(&e).len(), 1);
    assert_eq!(invs(&e)[0]["Outcome"], "Success");
    assert_eq!(pks(&invs(&e)[0]), ["a"]);
}

#[test]
fn a_partial_arn_without_a_name_names_no_function() {
    // §4.1 FunctionName: "123456789012:function:f" is a partial ARN; without the name after
    // "function" there is no such function ("Function does not exist", §4.1).
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"TableName": "Tbl", "FunctionName": "123456789012:function", "StartingPosition": "LATEST"}),
        "InvalidParameterValueException",
    );
    assert!(er.message.contains("Function does not exist"), "{}", er.message);
}

#[test]
fn on_failure_destination_must_be_a_queue_topic_or_bucket() {
    // §4.6 / API_OnFailure: for a DynamoDB stream the destination is an SQS queue, SNS topic or
    // S3 bucket ARN. Another ARN (here a function) is InvalidParameterValueException; Lambda's
    // message repeats the configuration ("The provided destination config
    // DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=...)) is invalid").
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let bad = "arn:aws:lambda:us-east-1:123456789012:function:g";
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "LATEST",
               "DestinationConfig": {"OnFailure": {"Destination": bad}}}),
        "InvalidParameterValueException",
    );
    assert!(
        er.message.starts_with(&format!(
            "The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination={bad})) is invalid"
        )),
        "{}",
        er.message
    );
    // An empty DestinationConfig, like `{"OnFailure": {}}`, sets no destination (§4.1: shown
    // as `{"OnFailure": {}}`). That this mapping of the same stream and function is no duplicate
    // (§4.1: ResourceConflictException) shows the refused one was not made.
    let m = mapping(&mut e, "Tbl", "f", json!({"DestinationConfig": {}}));
    assert_eq!(m["DestinationConfig"], json!({"OnFailure": {}}));
    let u = ok(
        &mut e,
        "UpdateEventSourceMapping",
        json!({"UUID": m["UUID"], "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    assert_eq!(u["DestinationConfig"], json!({"OnFailure": {"Destination": QUEUE}}));
}

#[test]
fn metrics_config_takes_at_most_three_metrics() {
    // API_EventSourceMappingMetricsConfig: Metrics "Array Members: Minimum number of 0 items.
    // Maximum number of 3 items."
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "");
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "LATEST",
               "MetricsConfig": {"Metrics": ["EventCount", "EventCount", "EventCount", "EventCount"]}}),
        "ValidationException",
    );
    assert!(
        er.message.contains(
            "at 'metricsConfig.metrics' failed to satisfy constraint: Member must have length less than or equal to 3"
        ),
        "{}",
        er.message
    );
}
