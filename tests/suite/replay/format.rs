//! `scenario-format.md`: the `streamlab replay FILE` contract (input header, steps, output
//! members, exit codes, rejected files), checked against the real binary and the library's
//! `scenario::replay`. Expected values are derived by hand from the spec text (scenario-format.md,
//! and docs/aws-behaviour.md where it names the record shape); none was copied from the program's
//! output.

use crate::common::cli::{bin, replay_file, replay_stdin, write_temp};
use crate::common::{engine, ok};
use serde_json::{json, Value};
use std::process::Command;

/// (exit code, stdout, stderr) of `streamlab replay <file holding text>`.
fn replay_text(name: &str, text: &str) -> (i32, String, String) {
    let p = write_temp(name, text);
    let out = Command::new(bin()).arg("replay").arg(&p).output().expect("run streamlab");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The output of a scenario that must run (exit 0, JSON on stdout).
fn run(name: &str, text: &str) -> Value {
    let (code, stdout, stderr) = replay_text(name, text);
    assert_eq!(code, 0, "{name}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{name}: output is not JSON: {e}\n{stdout}"))
}

const EXAMPLE_STEPS: &str = r#"[
    {"CreateTable": {"TableName": "Votes",
      "KeySchema": [{"AttributeName": "voter", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "voter", "AttributeType": "S"}],
      "BillingMode": "PAY_PER_REQUEST",
      "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}},
    {"PutItem": {"TableName": "Votes", "Item": {"voter": {"S": "ana"}, "choice": {"S": "tea"}}}},
    {"PutItem": {"TableName": "Votes", "Item": {"voter": {"S": "ben"}, "choice": {"S": "coffee"}}}},
    {"DeleteItem": {"TableName": "Votes", "Key": {"voter": {"S": "ana"}}}}
  ]"#;

fn example(header: &str) -> String {
    format!("{{\n  \"description\": \"Two votes and a retraction\",{header}\n  \"steps\": {EXAMPLE_STEPS}\n}}\n")
}

fn is_hex32(v: &Value) -> bool {
    v.as_str().is_some_and(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// Checks a sequence number: decimal digits, 21 to 40 of them (docs/aws-behaviour.md §0), no
/// leading zero (so that ordering by (length, text) is ordering as integers).
fn check_seq(v: &Value) {
    let t = v.as_str().unwrap_or_else(|| panic!("SequenceNumber {v} is not a string"));
    assert!(
        (21..=40).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) && !t.starts_with('0'),
        "SequenceNumber {t}"
    );
}

const LAMBDA_HEAD: &str = r#"
    {"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
      "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}},
    {"CreateFunction": {"FunctionName": "noop", "Code": ""}},
    {"CreateEventSourceMapping": {"FunctionName": "noop", "TableName": "Tbl", "StartingPosition": "TRIM_HORIZON"}},
    {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "a"}}}}"#;

#[test]
fn advance_clock_action_validation() {
    // scenario-format: AdvanceClock {"Seconds": n} moves simulated time forward.
    let mut e = engine();
    let t0 = e.now_ms();
    ok(&mut e, "AdvanceClock", json!({"Seconds": 90}));
    assert_eq!(e.now_ms(), t0 + 90_000);
    assert!(e.call("AdvanceClock", &json!({"Seconds": -1})).is_err());
    assert!(e.call("AdvanceClock", &json!({})).is_err());
    assert_eq!(e.now_ms(), t0 + 90_000);
}

#[test]
fn replay_of_the_scenario_format_example() {
    // scenario-format.md "A complete small example": three records — INSERT ana (NewImage
    // only), INSERT ben, REMOVE ana (OldImage only) — with Keys {voter}, eventVersion "1.1",
    // eventSource "aws:dynamodb", awsRegion "us-east-1".
    let text = r#"{
      "description": "Two votes and a retraction",
      "steps": [
        {"CreateTable": {"TableName": "Votes",
          "KeySchema": [{"AttributeName": "voter", "KeyType": "HASH"}],
          "AttributeDefinitions": [{"AttributeName": "voter", "AttributeType": "S"}],
          "BillingMode": "PAY_PER_REQUEST",
          "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}},
        {"PutItem": {"TableName": "Votes", "Item": {"voter": {"S": "ana"}, "choice": {"S": "tea"}}}},
        {"PutItem": {"TableName": "Votes", "Item": {"voter": {"S": "ben"}, "choice": {"S": "coffee"}}}},
        {"DeleteItem": {"TableName": "Votes", "Key": {"voter": {"S": "ana"}}}},
        {"PutItem": {"TableName": "Votes", "Item": {"voter": {"S": "cy"}}, "ConditionExpression": "attribute_exists(voter)"}}
      ]
    }"#;
    let out = streamlab::scenario::replay(text).unwrap();
    assert_eq!(out, streamlab::scenario::replay(text).unwrap(), "same file → same output");
    let res = out["results"].as_array().unwrap();
    assert_eq!(res.len(), 5);
    for (i, r) in res.iter().enumerate().take(4) {
        assert_eq!(r["step"], i);
        assert_eq!(r["ok"], true, "{r}");
    }
    assert_eq!(res[1]["action"], "PutItem");
    assert_eq!(res[4]["ok"], false);
    assert_eq!(res[4]["error"]["type"], "ConditionalCheckFailedException");
    assert_eq!(res[4]["error"]["message"], "The conditional request failed");
    let streams = out["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 1);
    assert_eq!(streams[0]["TableName"], "Votes");
    assert_eq!(streams[0]["StreamViewType"], "NEW_AND_OLD_IMAGES");
    let recs = streams[0]["Records"].as_array().unwrap();
    let got: Vec<(&str, &str, bool, bool)> = recs
        .iter()
        .map(|r| {
            (
                r["eventName"].as_str().unwrap(),
                r["dynamodb"]["Keys"]["voter"]["S"].as_str().unwrap(),
                r["dynamodb"].get("NewImage").is_some(),
                r["dynamodb"].get("OldImage").is_some(),
            )
        })
        .collect();
    assert_eq!(got, [("INSERT", "ana", true, false), ("INSERT", "ben", true, false), ("REMOVE", "ana", false, true)]);
    for r in recs {
        assert_eq!(r["eventVersion"], "1.1");
        assert_eq!(r["eventSource"], "aws:dynamodb");
        assert_eq!(r["awsRegion"], "us-east-1");
    }
}

#[test]
fn replay_options_and_malformed_files() {
    // scenario-format "Input": region, seed, startTime are honoured.
    let text = |region: &str, seed: u64| {
        format!(
            r#"{{"region": "{region}", "seed": {seed}, "startTime": "2024-06-20T16:00:00Z", "steps": [
              {{"CreateTable": {{"TableName": "Orders", "KeySchema": [{{"AttributeName": "pk", "KeyType": "HASH"}}],
                "AttributeDefinitions": [{{"AttributeName": "pk", "AttributeType": "S"}}], "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": {{"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}}}}},
              {{"AdvanceClock": {{"Seconds": 90}}}},
              {{"PutItem": {{"TableName": "Orders", "Item": {{"pk": {{"S": "a"}}}}}}}}
            ]}}"#
        )
    };
    let a = streamlab::scenario::replay(&text("eu-west-1", 7)).unwrap();
    let s0 = &a["streams"][0];
    assert_eq!(s0["StreamArn"], "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2024-06-20T16:00:00.000");
    let r = &s0["Records"][0];
    assert_eq!(r["awsRegion"], "eu-west-1");
    assert_eq!(r["dynamodb"]["ApproximateCreationDateTime"].as_f64().unwrap(), 1_718_899_290.0);
    let b = streamlab::scenario::replay(&text("eu-west-1", 8)).unwrap();
    assert_ne!(r["eventID"], b["streams"][0]["Records"][0]["eventID"], "seed drives eventIDs");
    // Not a scenario at all → Err (bad JSON with position, unknown action, two keys in a step).
    for bad in ["{not json", r#"{"steps": [{"Frobnicate": {}}]}"#, r#"{"steps": [{"PutItem": {}, "GetItem": {}}]}"#] {
        assert!(streamlab::scenario::replay(bad).is_err(), "{bad}");
    }
}

#[test]
fn malformed_files_are_rejected_with_a_position_and_nonzero_exit() {
    let cases = [
        ("bad-json.json", "{\n  \"steps\": [\n    {\"PutItem\": {]\n  ]\n}", "line 3, column"),
        (
            "unknown.json",
            "{\"steps\": [\n  {\"CreateTable\": {}},\n  {\"Frobnicate\": {}}\n]}",
            "step 1 (line 3, column 3): unknown action \"Frobnicate\"",
        ),
        (
            "two-keys.json",
            "{\"steps\": [{\"PutItem\": {}, \"GetItem\": {}}]}",
            "step 0 (line 1, column 12): a step must have exactly one key",
        ),
        ("no-steps.json", "{\"description\": \"x\"}", "needs a \"steps\" list"),
        ("body.json", "{\"steps\": [{\"PutItem\": 3}]}", "the body of PutItem must be a JSON object"),
        ("start.json", "{\"startTime\": \"yesterday\", \"steps\": []}", "startTime"),
    ];
    for (file, text, want) in cases {
        let p = write_temp(file, text);
        let (code, stdout, stderr) = replay_file(&p);
        assert_eq!(code, 1, "{file}: {stderr}");
        assert!(stdout.is_empty(), "{file}: nothing runs, nothing is printed");
        assert!(stderr.contains(want), "{file}: {stderr:?} should contain {want:?}");
    }
}

#[test]
fn failing_steps_are_reported_and_the_run_goes_on() {
    let p = write_temp(
        "failing.json",
        r#"{"steps": [
            {"PutItem": {"TableName": "Missing", "Item": {"id": {"S": "a"}}}},
            {"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}},
            {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "a"}}, "ConditionExpression": "attribute_exists(id)"}},
            {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "a"}}}},
            {"GetItem": {"TableName": "Tbl", "Key": {"id": {"S": "a"}}}}
        ]}"#,
    );
    let (code, stdout, _) = replay_file(&p);
    assert_eq!(code, 0);
    let out: Value = serde_json::from_str(&stdout).unwrap();
    let r = &out["results"];
    assert_eq!(r[0]["ok"], false);
    assert_eq!(r[0]["error"]["type"], "ResourceNotFoundException");
    assert_eq!(r[2]["error"]["type"], "ConditionalCheckFailedException");
    assert_eq!(r[2]["error"]["message"], "The conditional request failed");
    assert_eq!(r[4]["response"]["Item"]["id"]["S"], "a");
    assert_eq!(r.as_array().unwrap().len(), 5);
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(bin()).arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The complete small example of scenario-format.md, compared member by member with what
/// the spec says it gives.
#[test]
fn the_complete_small_example_gives_what_the_spec_says() {
    let text = example("");
    let out = run("example.json", &text);
    let top: Vec<&str> = out.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = vec!["results", "streams", "invocations", "notifications", "aggregates", "failures"];
    want.sort();
    let mut got = top.clone();
    got.sort();
    assert_eq!(got, want, "the output has exactly the six members of the Output section");

    // results: one per step, in order, {"step", "action", "ok": true, "response"}.
    let results = out["results"].as_array().unwrap();
    let actions = ["CreateTable", "PutItem", "PutItem", "DeleteItem"];
    assert_eq!(results.len(), 4);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["step"], i, "{r}");
        assert_eq!(r["action"], actions[i], "{r}");
        assert_eq!(r["ok"], true, "{r}");
        assert!(r.get("error").is_none(), "{r}");
    }
    // CreateTable's response is the AWS one: a TableDescription naming the table and its stream.
    assert_eq!(results[0]["response"]["TableDescription"]["TableName"], "Votes");
    assert_eq!(
        results[0]["response"]["TableDescription"]["StreamSpecification"]["StreamViewType"],
        "NEW_AND_OLD_IMAGES"
    );

    // streams: one stream, of table Votes, view type as created.
    let streams = out["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 1);
    let st = &streams[0];
    assert_eq!(st["TableName"], "Votes");
    assert_eq!(st["StreamViewType"], "NEW_AND_OLD_IMAGES");
    // ARN arn:aws:dynamodb:<region>:<acct>:table/<Table>/stream/<label> (§0), region the
    // default us-east-1; the label is a time like 2015-05-11T21:21:33.291 — the stream was
    // made at the clock's start, 2026-01-01T00:00:00Z (the default startTime).
    let label = st["StreamLabel"].as_str().unwrap();
    assert_eq!(label, "2026-01-01T00:00:00.000");
    let arn = st["StreamArn"].as_str().unwrap();
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    assert_eq!(&parts[..3], &["arn", "aws", "dynamodb"], "{arn}");
    assert_eq!(parts[3], "us-east-1", "{arn}");
    assert!(parts[4].len() == 12 && parts[4].bytes().all(|b| b.is_ascii_digit()), "account of {arn}");
    assert_eq!(parts[5], format!("table/Votes/stream/{label}"), "{arn}");

    // "three records on one stream: INSERT ana (NewImage only), INSERT ben, REMOVE ana (OldImage
    // only), each with Keys {"voter": ...}, eventVersion "1.1", eventSource "aws:dynamodb" and
    // awsRegion "us-east-1"."
    let recs = st["Records"].as_array().unwrap();
    assert_eq!(recs.len(), 3);
    let expect = [
        ("INSERT", "ana", Some(serde_json::json!({"voter": {"S": "ana"}, "choice": {"S": "tea"}})), None),
        ("INSERT", "ben", Some(serde_json::json!({"voter": {"S": "ben"}, "choice": {"S": "coffee"}})), None),
        ("REMOVE", "ana", None, Some(serde_json::json!({"voter": {"S": "ana"}, "choice": {"S": "tea"}}))),
    ];
    let mut ids = Vec::new();
    for (r, (name, voter, new, old)) in recs.iter().zip(expect) {
        assert_eq!(r["eventName"], name, "{r}");
        assert_eq!(r["eventVersion"], "1.1", "{r}");
        assert_eq!(r["eventSource"], "aws:dynamodb", "{r}");
        assert_eq!(r["awsRegion"], "us-east-1", "{r}");
        assert!(is_hex32(&r["eventID"]), "eventID of {r}");
        ids.push(r["eventID"].clone());
        // GetRecords shape (docs/aws-behaviour.md §1.1): no eventSourceARN, no userIdentity for a user write.
        assert!(r.get("eventSourceARN").is_none(), "{r}");
        assert!(r.get("userIdentity").is_none(), "{r}");
        let d = &r["dynamodb"];
        assert_eq!(d["Keys"], serde_json::json!({"voter": {"S": voter}}), "{r}");
        assert_eq!(d.get("NewImage").cloned(), new, "NewImage of {r}");
        assert_eq!(d.get("OldImage").cloned(), old, "OldImage of {r}");
        assert_eq!(d["StreamViewType"], "NEW_AND_OLD_IMAGES", "{r}");
        // Whole epoch seconds of the simulated clock, which never moved: 2026-01-01T00:00:00Z.
        assert_eq!(d["ApproximateCreationDateTime"], 1_767_225_600, "{r}");
        check_seq(&d["SequenceNumber"]);
    }
    ids.sort_by_key(|v| v.to_string());
    ids.dedup();
    assert_eq!(ids.len(), 3, "eventIDs are unique");
    // ana's two records are in write order on one shard: the REMOVE has the larger number.
    let (a, b) = (
        recs[0]["dynamodb"]["SequenceNumber"].as_str().unwrap(),
        recs[2]["dynamodb"]["SequenceNumber"].as_str().unwrap(),
    );
    assert!((a.len(), a) < (b.len(), b), "{a} < {b}");

    // Nothing else happened.
    assert_eq!(out["invocations"], serde_json::json!([]));
    assert_eq!(out["notifications"], serde_json::json!([]));
    assert_eq!(out["aggregates"], serde_json::json!({}));
    assert_eq!(out["failures"], serde_json::json!([]));

    // "The same file always gives the same output, byte for byte."
    assert_eq!(replay_text("example.json", &text).1, replay_text("example-again.json", &text).1);
}

#[test]
fn header_defaults_are_the_documented_values() {
    // region, seed and startTime default to us-east-1, 1 and 2026-01-01T00:00:00Z: naming
    // them explicitly changes nothing, byte for byte.
    let implicit = replay_text("implicit.json", &example(""));
    let explicit = replay_text(
        "explicit.json",
        &example("\n  \"region\": \"us-east-1\", \"seed\": 1, \"startTime\": \"2026-01-01T00:00:00Z\","),
    );
    assert_eq!(implicit.0, 0);
    assert_eq!(implicit.1, explicit.1);
}

#[test]
fn region_start_time_and_seed_take_effect() {
    let base = run("base.json", &example(""));
    let out = run("header.json", &example("\n  \"region\": \"eu-west-1\", \"startTime\": \"2026-03-04T05:06:07Z\","));
    let st = &out["streams"][0];
    assert_eq!(st["StreamLabel"], "2026-03-04T05:06:07.000");
    assert!(st["StreamArn"].as_str().unwrap().starts_with("arn:aws:dynamodb:eu-west-1:"), "{}", st["StreamArn"]);
    assert!(
        st["StreamArn"].as_str().unwrap().ends_with(":table/Votes/stream/2026-03-04T05:06:07.000"),
        "{}",
        st["StreamArn"]
    );
    // 2026-03-04T05:06:07Z = 1767225600 (Jan 1) + (31 + 28 + 3) days + 5 h 6 min 7 s.
    let t = 1_767_225_600 + 62 * 86_400 + 5 * 3600 + 6 * 60 + 7;
    for r in st["Records"].as_array().unwrap() {
        assert_eq!(r["awsRegion"], "eu-west-1");
        assert_eq!(r["dynamodb"]["ApproximateCreationDateTime"], t);
    }
    // The seed drives eventIDs: another seed, other IDs (still 32 hex, still unique); the
    // records are otherwise the same changes.
    let other = run("seed.json", &example("\n  \"seed\": 2,"));
    let (a, b) =
        (base["streams"][0]["Records"].as_array().unwrap(), other["streams"][0]["Records"].as_array().unwrap());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!(is_hex32(&y["eventID"]));
        assert_ne!(x["eventID"], y["eventID"]);
        assert_eq!(x["eventName"], y["eventName"]);
        assert_eq!(x["dynamodb"]["Keys"], y["dynamodb"]["Keys"]);
    }
}

#[test]
fn files_that_are_not_scenarios_are_rejected_before_anything_runs() {
    // "rejected before anything runs, with the line and column or the step index in the
    // message, and a non-zero exit code".
    let cases = [
        ("not-object-step.json", "{\"steps\": [\n  {\"ListStreams\": {}},\n  \"PutItem\"\n]}", "step 1"),
        ("empty-step.json", "{\"steps\": [{\"ListStreams\": {}}, {}]}", "step 1"),
        ("steps-not-list.json", "{\"steps\": {\"PutItem\": {}}}", "steps"),
        ("top-array.json", "[{\"PutItem\": {}}]", "steps"),
        ("truncated.json", "{\"steps\": [\n  {\"ListStreams\": {}}", "line 2"),
        ("trailing.json", "{\"steps\": []} x", "line 1, column"),
        (
            "late-unknown.json",
            "{\"steps\": [{\"ListStreams\": {}}, {\"ListStreams\": {}}, {\"PutItems\": {}}]}",
            "step 2",
        ),
    ];
    for (file, text, want) in cases {
        let (code, stdout, stderr) = replay_text(file, text);
        assert_ne!(code, 0, "{file}");
        assert!(stdout.is_empty(), "{file}: nothing runs, nothing is printed: {stdout}");
        assert!(stderr.contains(want), "{file}: {stderr:?} should contain {want:?}");
    }
    // The same from standard input.
    let (code, stdout, stderr) = replay_stdin("{\"steps\": [{\"ListStreams\": {}, \"Scan\": {}}]}");
    assert_ne!(code, 0);
    assert!(stdout.is_empty());
    assert!(stderr.contains("step 0"), "{stderr}");
    // A file that does not exist: non-zero, nothing printed.
    let out = Command::new(bin()).args(["replay", "/nonexistent/streamlab-audit.json"]).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn failing_steps_say_why_as_aws_would_and_write_nothing() {
    let out = run(
        "failing.json",
        r#"{"steps": [
            {"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
              "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}},
            {"TransactWriteItems": {"TransactItems": [
              {"Put": {"TableName": "Tbl", "Item": {"id": {"S": "a"}}}},
              {"ConditionCheck": {"TableName": "Tbl", "Key": {"id": {"S": "b"}}, "ConditionExpression": "attribute_exists(id)"}}]}},
            {"UpdateItem": {"TableName": "Tbl", "Key": {"id": {"S": "a"}}, "UpdateExpression": "SET v = :v",
              "ExpressionAttributeValues": {":v": {"NULL": false}}}},
            {"BatchWriteItem": {"RequestItems": {"Tbl": [{"PutRequest": {"Item": {"id": {"S": "c"}}}},
              {"PutRequest": {"Item": {"id": {"S": "c"}}}}]}}},
            {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "d"}, "s": {"SS": []}}}},
            {"GetItem": {"TableName": "Nope", "Key": {"id": {"S": "a"}}}},
            {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "z"}}}},
            {"Scan": {"TableName": "Tbl"}}
        ]}"#,
    );
    let r = out["results"].as_array().unwrap();
    assert_eq!(r.len(), 8);
    let fail = |i: usize, kind: &str, msg: &str| {
        assert_eq!(r[i]["ok"], false, "{}", r[i]);
        assert_eq!(r[i]["error"]["type"], kind, "{}", r[i]);
        assert_eq!(r[i]["error"]["message"], msg, "{}", r[i]);
        assert!(r[i].get("response").is_none(), "{}", r[i]);
    };
    fail(
        1,
        "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
    );
    fail(
        2,
        "ValidationException",
        "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Null attribute value types must have the value of true for key :v",
    );
    fail(3, "ValidationException", "Provided list of item keys contains duplicates");
    fail(4, "ValidationException", "One or more parameter values were invalid: An string set  may not be empty");
    assert_eq!(r[5]["ok"], false);
    assert_eq!(r[5]["error"]["type"], "ResourceNotFoundException");
    assert_eq!(r[6]["ok"], true);
    // Only step 6 wrote anything: one item, one record.
    assert_eq!(r[7]["response"]["Items"], serde_json::json!([{"id": {"S": "z"}}]));
    let recs = out["streams"][0]["Records"].as_array().unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["dynamodb"]["Keys"], serde_json::json!({"id": {"S": "z"}}));
}

#[test]
fn time_moves_only_on_advance_clock() {
    // "Time moves only here: the other steps take no simulated time, and a replay does not run
    // the clock on after its last step." A mapping with a written record but no AdvanceClock
    // invokes nothing.
    let out = run("no-clock.json", &format!("{{\"steps\": [{LAMBDA_HEAD}]}}"));
    assert!(out["results"].as_array().unwrap().iter().all(|r| r["ok"] == true), "{}", out["results"]);
    assert_eq!(out["invocations"], serde_json::json!([]));
}

#[test]
fn lambda_conveniences_and_invocation_shape() {
    let out = run(
        "lambda.json",
        &format!(
            r#"{{"steps": [{LAMBDA_HEAD},
            {{"AdvanceClock": {{"Seconds": 10}}}},
            {{"UpdateEventSourceMapping": {{"FunctionName": "noop", "TableName": "Tbl", "BatchSize": 5}}}},
            {{"DeleteEventSourceMapping": {{"FunctionName": "noop", "TableName": "Tbl"}}}},
            {{"AdvanceClock": {{"Seconds": 60}}}},
            {{"PutItem": {{"TableName": "Tbl", "Item": {{"id": {{"S": "b"}}}}}}}},
            {{"AdvanceClock": {{"Seconds": 60}}}}
        ]}}"#
        ),
    );
    let r = out["results"].as_array().unwrap();
    assert!(r.iter().all(|x| x["ok"] == true), "{}", out["results"]);
    // CreateEventSourceMapping named the table: the mapping is on its latest stream.
    let uuid = r[2]["response"]["UUID"].as_str().unwrap().to_string();
    assert_eq!(r[2]["response"]["EventSourceArn"], out["streams"][0]["StreamArn"]);
    assert_eq!(r[5]["response"]["UUID"], uuid.as_str());
    assert_eq!(r[5]["response"]["BatchSize"], 5);
    assert_eq!(r[6]["response"]["UUID"], uuid.as_str());
    // One invocation of the first put's record, whose empty function succeeded; none after the
    // mapping was deleted.
    let inv = out["invocations"].as_array().unwrap();
    assert_eq!(inv.len(), 1, "{}", out["invocations"]);
    let i = &inv[0];
    assert_eq!(i["FunctionName"], "noop");
    assert_eq!(i["UUID"], uuid.as_str());
    assert!(i["ShardId"].as_str().is_some_and(|s| s.starts_with("shardId-")), "{i}");
    let t = i["Time"].as_f64().unwrap();
    assert!((1_767_225_600.0..=1_767_225_610.0).contains(&t), "{t}");
    assert_eq!(i["Attempt"], 1);
    assert_eq!(i["Outcome"], "Success");
    assert!(i.get("Error").is_none() && i.get("BatchItemFailures").is_none(), "{i}");
    let recs = i["Event"]["Records"].as_array().unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["eventName"], "INSERT");
    assert_eq!(recs[0]["dynamodb"]["Keys"], serde_json::json!({"id": {"S": "a"}}));
    assert_eq!(recs[0]["eventSourceARN"], out["streams"][0]["StreamArn"]);
    assert_eq!(out["failures"], serde_json::json!([]));
}

#[test]
fn every_stream_ever_made_is_in_the_output_in_creation_order() {
    // "every stream that ever existed, in creation order, disabled ones included".
    let out = run(
        "streams.json",
        r#"{"steps": [
            {"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
              "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}},
            {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "a"}, "v": {"N": "1"}}}},
            {"UpdateTable": {"TableName": "Tbl", "StreamSpecification": {"StreamEnabled": false}}},
            {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "b"}}}},
            {"AdvanceClock": {"Seconds": 1}},
            {"UpdateTable": {"TableName": "Tbl", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}},
            {"DeleteItem": {"TableName": "Tbl", "Key": {"id": {"S": "a"}}}}
        ]}"#,
    );
    let st = out["streams"].as_array().unwrap();
    assert_eq!(st.len(), 2);
    assert_eq!(st[0]["StreamViewType"], "KEYS_ONLY");
    assert_eq!(st[1]["StreamViewType"], "NEW_IMAGE");
    assert_ne!(st[0]["StreamArn"], st[1]["StreamArn"]);
    let names = |s: &Value| {
        s["Records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["eventName"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&st[0]), ["INSERT"]);
    assert_eq!(names(&st[1]), ["REMOVE"]);
    // KEYS_ONLY: Keys only; REMOVE under NEW_IMAGE: no image at all.
    let d0 = &st[0]["Records"][0]["dynamodb"];
    assert!(d0.get("NewImage").is_none() && d0.get("OldImage").is_none());
    let d1 = &st[1]["Records"][0]["dynamodb"];
    assert!(d1.get("NewImage").is_none() && d1.get("OldImage").is_none());
    assert_eq!(d1["Keys"], serde_json::json!({"id": {"S": "a"}}));
}

#[test]
fn an_expired_item_lives_until_ttl_deletes_it_within_48_hours() {
    // "TTL deletes an expired item at a delay after its expiry time that is at most 48 hours by
    // default ...; until then the item is still read and written like any other."
    // expiresAt 1767225000 is before the start (1767225600): expired from the first step.
    let out = run(
        "ttl.json",
        r#"{"steps": [
            {"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
              "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}},
            {"UpdateTimeToLive": {"TableName": "Tbl", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expiresAt"}}},
            {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "a"}, "expiresAt": {"N": "1767225000"}}}},
            {"GetItem": {"TableName": "Tbl", "Key": {"id": {"S": "a"}}}},
            {"UpdateItem": {"TableName": "Tbl", "Key": {"id": {"S": "a"}}, "UpdateExpression": "SET v = :one",
              "ExpressionAttributeValues": {":one": {"N": "1"}}, "ReturnValues": "ALL_NEW"}},
            {"AdvanceClock": {"Seconds": 172800}},
            {"GetItem": {"TableName": "Tbl", "Key": {"id": {"S": "a"}}}}
        ]}"#,
    );
    let r = out["results"].as_array().unwrap();
    assert!(r.iter().all(|x| x["ok"] == true), "{}", out["results"]);
    assert_eq!(r[3]["response"]["Item"]["id"], serde_json::json!({"S": "a"}));
    assert_eq!(r[4]["response"]["Attributes"]["v"], serde_json::json!({"N": "1"}));
    assert_eq!(r[6]["response"], serde_json::json!({}), "deleted within 48 hours");
    // 48 hours on, every record is older than 24 hours: trimmed, gone from the output
    // ("Trimmed records are gone").
    assert_eq!(out["streams"][0]["Records"], serde_json::json!([]));
}

#[test]
fn records_of_parent_shards_come_before_their_childrens() {
    // streams: "all its records read from TRIM_HORIZON (parent shards before their children)";
    // AdvanceClock runs the shard roll-over (default every 4 h of simulated time). Records
    // written before and after two roll-overs come out in write order, with the time each
    // was written.
    let out = run(
        "rollover.json",
        r#"{"steps": [
            {"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
              "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}},
            {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "first"}}}},
            {"AdvanceClock": {"Seconds": 18000}},
            {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "second"}}}},
            {"AdvanceClock": {"Seconds": 18000}},
            {"PutItem": {"TableName": "Tbl", "Item": {"id": {"S": "third"}}}},
            {"DescribeStream": {"StreamArn": "placeholder"}}
        ]}"#,
    );
    let recs = out["streams"][0]["Records"].as_array().unwrap();
    let ids: Vec<&str> = recs.iter().map(|r| r["dynamodb"]["Keys"]["id"]["S"].as_str().unwrap()).collect();
    assert_eq!(ids, ["first", "second", "third"]);
    let times: Vec<i64> = recs.iter().map(|r| r["dynamodb"]["ApproximateCreationDateTime"].as_i64().unwrap()).collect();
    assert_eq!(times, [1_767_225_600, 1_767_225_600 + 18_000, 1_767_225_600 + 36_000]);
    // The DescribeStream of a made-up ARN failed and the run went on (exit 0 checked by `run`).
    assert_eq!(out["results"][6]["ok"], false);
}

/// RFC 8259 leaves a repeated member name to the reader; serde_json keeps the last one,
/// other readers the first. A scenario is refused rather than run one way when its author
/// may have meant the other: at the top, in a step's body and in an item, by path and on
/// standard input alike.
#[test]
fn a_member_named_twice_is_refused_wherever_it_is() {
    let table = r#"{"CreateTable": {"TableName": "T", "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}}"#;
    let cases = [
        (format!("{{\"seed\": 1, \"seed\": 2, \"steps\": [{table}]}}"), "\"seed\""),
        (
            format!("{{\"steps\": [{table},\n {{\"PutItem\": {{\"TableName\": \"T\", \"TableName\": \"U\", \"Item\": {{\"k\": {{\"S\": \"a\"}}}}}}}}]}}"),
            "\"TableName\"",
        ),
        (
            format!("{{\"steps\": [{table},\n {{\"PutItem\": {{\"TableName\": \"T\", \"Item\": {{\"k\": {{\"S\": \"a\"}}, \"k\": {{\"S\": \"b\"}}}}}}}}]}}"),
            "\"k\"",
        ),
    ];
    for (text, name) in cases {
        let want = format!("the member {name} appears twice in the same object");
        let p = write_temp("twice.json", &text);
        for (how, (code, stdout, stderr)) in [("path", replay_file(&p)), ("stdin", replay_stdin(&text))] {
            assert_eq!(code, 1, "{how}: {text}\n{stderr}");
            assert!(stdout.is_empty(), "{how}: nothing runs: {stdout}");
            assert!(stderr.contains(&want) && stderr.contains("line "), "{how}: {stderr}");
        }
    }
}

/// A file that is not UTF-8 is refused with where the first bad byte is, not just "invalid".
#[test]
fn a_file_that_is_not_utf8_says_where() {
    let mut bytes = b"{\"description\": \"caf".to_vec();
    bytes.push(0xE9); // Latin-1 é
    bytes.extend_from_slice(b"\",\n \"steps\": []}");
    let p = write_temp("latin1.json", "");
    std::fs::write(&p, &bytes).unwrap();
    for (how, (code, stdout, stderr)) in [("path", replay_file(&p)), ("stdin", replay_stdin(&bytes))] {
        assert_eq!(code, 1, "{how}: {stderr}");
        assert!(stdout.is_empty());
        assert!(
            stderr.contains("UTF-8") && stderr.contains("offset 20") && stderr.contains("line 1"),
            "{how}: {stderr}"
        );
    }
}

/// `streamlab replay -` gives what replaying the same file by path gives.
#[test]
fn replay_from_standard_input_matches_replay_by_path() {
    let text = example("");
    let p = write_temp("stdin.json", &text);
    let by_path = replay_file(&p);
    let by_stdin = replay_stdin(&text);
    assert_eq!(by_path.0, 0, "{}", by_path.2);
    assert_eq!(by_stdin, by_path);
}

/// The command line's other refusals (README.md "Scenario files and `streamlab replay`", the
/// usage text): help is exit 0; an unknown `export` option is a usage error (2); a file that
/// cannot be read or is not UTF-8 text, and an output folder that cannot be written, are exit 1
/// with a message naming the file; `grade` of a file that cannot be read is exit 1.
#[test]
fn command_line_help_and_file_errors() {
    let run = |args: &[&str]| {
        let out = Command::new(bin()).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for flag in ["--help", "-h", "help"] {
        let (code, out, _) = run(&[flag]);
        assert_eq!(code, Some(0), "{flag}");
        assert!(out.starts_with("usage: streamlab replay FILE"), "{flag}: {out}");
    }
    let lab = write_temp("lab.json", r#"{"steps": []}"#);
    let lab = lab.to_str().unwrap();
    let dir = std::path::Path::new(lab).parent().unwrap().to_path_buf();
    let out_dir = dir.join("out");
    let out_dir = out_dir.to_str().unwrap();
    let (code, _, err) = run(&["export", lab, "--runtime", "python", "--out", out_dir, "--force"]);
    assert_eq!(code, Some(2));
    assert!(err.starts_with("usage: streamlab"), "{err}");
    let missing = dir.join("missing.json");
    let missing = missing.to_str().unwrap();
    let (code, _, err) = run(&["export", missing, "--runtime", "python", "--out", out_dir]);
    assert_eq!(code, Some(1));
    assert!(err.starts_with(&format!("streamlab: cannot read {missing}: ")), "{err}");
    let latin1 = dir.join("latin1.json");
    std::fs::write(&latin1, b"{\"description\": \"caf\xe9\", \"steps\": []}").unwrap();
    let latin1 = latin1.to_str().unwrap();
    let (code, _, err) = run(&["export", latin1, "--runtime", "python", "--out", out_dir]);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with(&format!("streamlab: {latin1}: ")) && err.contains("not UTF-8 text") && err.contains("0xe9"),
        "{err}"
    );
    // --out naming a file: the folder cannot be made.
    let (code, _, err) = run(&["export", lab, "--runtime", "python", "--out", lab]);
    assert_eq!(code, Some(1));
    assert!(err.starts_with("streamlab: cannot write "), "{err}");
    let (code, _, err) = run(&["grade", missing]);
    assert_eq!(code, Some(1));
    assert!(err.starts_with(&format!("streamlab: cannot read {missing}: ")), "{err}");
    // grade with the default banks (www/quizzes, from the repository root): no codes, all graded.
    let empty = write_temp("codes.txt", "");
    let (code, _, err) = run(&["grade", empty.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
}

/// Header members of the wrong kind or out of their range (scenario-format.md "Input": region,
/// startTime; README.md: the `simulator` settings and their ranges) are refused, naming the member,
/// before any step runs.
#[test]
fn bad_header_members_are_named() {
    for (header, want) in [
        (r#""region": 7"#, r#""region" must be a region name such as "us-east-1""#),
        (r#""region": "US East""#, r#""region" must be a region name"#),
        (r#""startTime": 1767225600"#, r#""startTime" must be a string such as "2026-01-01T00:00:00Z""#),
        (r#""simulator": {"shardsPerStream": 0}"#, r#""simulator.shardsPerStream" must be between 1 and 64"#),
        (r#""simulator": {"shardsPerStream": 65}"#, r#""simulator.shardsPerStream" must be between 1 and 64"#),
        (r#""simulator": {"explainFilters": "yes"}"#, r#""simulator.explainFilters" must be true or false"#),
        (r#""simulator": {"loopGuard": 0}"#, r#""simulator.loopGuard" must be a whole number from 1 to 1000000000"#),
        (
            r#""simulator": {"loopGuard": "off"}"#,
            r#""simulator.loopGuard" must be a whole number from 1 to 1000000000"#,
        ),
    ] {
        let text = format!(r#"{{{header}, "steps": []}}"#);
        let er = streamlab::scenario::parse(&text).map(|_| ()).unwrap_err().to_string();
        assert!(er.contains(want), "{header}: {er}");
    }
    // And their valid forms are taken.
    let ok = r#"{"region": "eu-west-1", "simulator": {"shardsPerStream": 64, "explainFilters": true, "loopGuard": null}, "steps": []}"#;
    assert!(streamlab::scenario::parse(ok).is_ok());
}
