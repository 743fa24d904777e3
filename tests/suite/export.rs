//! `streamlab export` (issue 20): what the exported SAM application says, checked on its text.
//! That the templates are valid CloudFormation and that the handlers do what the simulator did
//! is checked by tests/export/verify.py (cfn-lint, moto), the `export` suite of `make test`.

use crate::common::cli::{bin, write_temp};
use serde_json::json;
use std::process::Command;
use streamlab::export::{export, ExportFile, Runtime};

fn file<'a>(files: &'a [ExportFile], path: &str) -> &'a str {
    &files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path} in the export")).text
}

fn table(name: &str, view: Option<&str>) -> serde_json::Value {
    let mut t = json!({"CreateTable": {"TableName": name,
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "at", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "at", "AttributeType": "N"}],
        "BillingMode": "PAY_PER_REQUEST"}});
    if let Some(v) = view {
        t["CreateTable"]["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": v});
    }
    t
}

fn scenario(steps: Vec<serde_json::Value>) -> String {
    json!({"description": "test lab", "steps": steps}).to_string()
}

#[test]
fn the_template_has_each_table_with_its_key_stream_and_ttl_and_each_mapping_with_its_settings() {
    let s = scenario(vec![
        table("Orders", Some("NEW_AND_OLD_IMAGES")),
        json!({"UpdateTimeToLive": {"TableName": "Orders", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}}}),
        json!({"CreateFunction": {"FunctionName": "paid", "Code": "on INSERT\n  notify \"#ops\" \"{keys.id}\""}}),
        json!({"CreateEventSourceMapping": {"FunctionName": "paid", "TableName": "Orders", "StartingPosition": "LATEST",
            "BatchSize": 7, "MaximumBatchingWindowInSeconds": 3, "ParallelizationFactor": 2, "MaximumRetryAttempts": 4,
            "MaximumRecordAgeInSeconds": 600, "BisectBatchOnFunctionError": true, "TumblingWindowInSeconds": 0,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "FilterCriteria": {"Filters": [{"Pattern": "{\"dynamodb\":{\"NewImage\":{\"status\":{\"S\":[\"paid\"]}}}}"}]},
            "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:orders-dlq"}}}}),
    ]);
    let files = export(&s, Runtime::Python).unwrap();
    let t = file(&files, "template.yaml");
    for want in [
        "Transform: AWS::Serverless-2016-10-31",
        "  OrdersTable:\n    Type: AWS::DynamoDB::Table",
        "        - AttributeName: \"at\"\n          AttributeType: N",
        "        - AttributeName: \"at\"\n          KeyType: RANGE",
        "      BillingMode: PAY_PER_REQUEST",
        "      StreamSpecification:\n        StreamViewType: NEW_AND_OLD_IMAGES",
        "      TimeToLiveSpecification:\n        AttributeName: \"expires\"\n        Enabled: true",
        "      StartingPosition: LATEST",
        "      BatchSize: 7",
        "      MaximumBatchingWindowInSeconds: 3",
        "      ParallelizationFactor: 2",
        "      MaximumRetryAttempts: 4",
        "      MaximumRecordAgeInSeconds: 600",
        "      BisectBatchOnFunctionError: true",
        "      FunctionResponseTypes:\n        - ReportBatchItemFailures",
        // The pattern is the lab's JSON text, quoted (YAML's double quotes take JSON's escapes).
        "          - Pattern: \"{\\\"dynamodb\\\":{\\\"NewImage\\\":{\\\"status\\\":{\\\"S\\\":[\\\"paid\\\"]}}}}\"",
        // The destination is a queue of the stack, and the role may send to it.
        "      DestinationConfig:\n        OnFailure:\n          Destination: !GetAtt OnFailureOrdersDlqQueue.Arn",
        "                Action: sqs:SendMessage\n                Resource: !GetAtt OnFailureOrdersDlqQueue.Arn",
        "  OpsTopic:\n    Type: AWS::SNS::Topic",
        "      Runtime: python3.13",
        "          REPORT_BATCH_ITEM_FAILURES: \"true\"",
    ] {
        assert!(t.contains(want), "template.yaml lacks {want:?}:\n{t}");
    }
    assert!(!t.contains("TumblingWindowInSeconds"), "a window of 0 is no window");
    let node = export(&s, Runtime::Node).unwrap();
    assert!(file(&node, "template.yaml").contains("      Runtime: nodejs22.x\n      Handler: index.handler"));
    assert!(file(&node, "functions/paid/index.mjs").contains("export const handler = async (event)"));
}

#[test]
fn each_role_may_do_only_what_its_function_needs() {
    let s = scenario(vec![
        table("Orders", Some("NEW_IMAGE")),
        table("Audit", None),
        table("Other", Some("KEYS_ONLY")),
        json!({"CreateFunction": {"FunctionName": "audit", "Code": "on INSERT\n  put Audit { id: keys.id, at: keys.at }"}}),
        json!({"CreateFunction": {"FunctionName": "quiet", "Code": "on INSERT\n  count n"}}),
        json!({"CreateEventSourceMapping": {"FunctionName": "audit", "TableName": "Orders", "StartingPosition": "TRIM_HORIZON"}}),
        json!({"CreateEventSourceMapping": {"FunctionName": "quiet", "TableName": "Other", "StartingPosition": "TRIM_HORIZON"}}),
    ]);
    let t = export(&s, Runtime::Python).unwrap().into_iter().find(|f| f.path == "template.yaml").unwrap().text;
    let role = |name: &str| {
        let start = t.find(&format!("  {name}:\n    Type: AWS::IAM::Role")).unwrap();
        let end = t[start + 3..].find("\n  # ").map_or(t.len(), |i| start + 3 + i);
        t[start..end].to_string()
    };
    let audit = role("AuditRole");
    assert!(audit.contains("- dynamodb:PutItem\n                Resource: !GetAtt AuditTable.Arn"), "{audit}");
    assert!(audit.contains("- !GetAtt OrdersTable.StreamArn"));
    assert!(!audit.contains("OtherTable"), "audit reads only its own stream: {audit}");
    assert!(!audit.contains("UpdateItem") && !audit.contains("sns:") && !audit.contains("AggregatesTable"));
    let quiet = role("QuietRole");
    assert!(!quiet.contains("PutItem") && !quiet.contains("AuditTable"), "{quiet}");
    // Its aggregate's updates, only under its own keys.
    assert!(quiet.contains("Resource: !GetAtt AggregatesTable.Arn"), "{quiet}");
    assert!(quiet.contains("dynamodb:LeadingKeys:\n                      - \"quiet/*\""), "{quiet}");
    assert!(!t.contains("Resource: \"*\""), "no permission on every resource");
}

#[test]
fn the_export_is_what_the_scenario_leaves_deployed() {
    let s = scenario(vec![
        table("Votes", Some("NEW_AND_OLD_IMAGES")),
        table("Gone", Some("NEW_IMAGE")),
        json!({"CreateFunction": {"FunctionName": "tally", "Code": "on INSERT\n  notify \"old\" \"first version\""}}),
        json!({"UpdateFunctionCode": {"FunctionName": "tally", "Code": "on INSERT, REMOVE\n  count votes by choice"}}),
        json!({"CreateEventSourceMapping": {"FunctionName": "tally", "TableName": "Votes", "StartingPosition": "TRIM_HORIZON", "BatchSize": 5}}),
        json!({"UpdateEventSourceMapping": {"FunctionName": "tally", "TableName": "Votes", "BatchSize": 50, "Enabled": false}}),
        json!({"CreateEventSourceMapping": {"FunctionName": "tally", "TableName": "Gone", "StartingPosition": "TRIM_HORIZON"}}),
        json!({"DeleteTable": {"TableName": "Gone"}}),
        // A refused step changes nothing.
        json!({"UpdateEventSourceMapping": {"FunctionName": "tally", "TableName": "Votes", "BatchSize": 0}}),
    ]);
    let files = export(&s, Runtime::Python).unwrap();
    let t = file(&files, "template.yaml");
    assert!(t.contains("      BatchSize: 50\n"), "{t}");
    assert!(t.contains("      Enabled: false\n"));
    assert!(!t.contains("GoneTable") && !t.contains("\"old\""), "{t}");
    let py = file(&files, "functions/tally/app.py");
    assert!(py.contains("    #   on INSERT, REMOVE\n    #     count votes by choice\n"), "{py}");
    assert!(py.contains("plan.aggregate(r, \"votes\", \"count\", None, lambda side: get(side, [\"choice\"]), None)"));
    assert!(!py.contains("first version"));
    let readme = file(&files, "README.md");
    assert!(readme.contains("Not exported: the mapping of function tally to the stream of table Gone"), "{readme}");
}

#[test]
fn the_readme_says_how_to_deploy_watch_and_delete_and_names_the_loop_guard() {
    let s = scenario(vec![table("T", Some("NEW_IMAGE"))]);
    let readme = &export(&s, Runtime::Node).unwrap().into_iter().find(|f| f.path == "README.md").unwrap().text;
    for want in ["sam deploy --guided", "sam logs", "sam delete", "The loop guard", "after 1000 invocations"] {
        assert!(readme.contains(want), "README lacks {want:?}:\n{readme}");
    }
    let off = json!({"simulator": {"loopGuard": null}, "steps": []}).to_string();
    let readme = &export(&off, Runtime::Python).unwrap().into_iter().find(|f| f.path == "README.md").unwrap().text;
    assert!(readme.contains("No loop guard"), "{readme}");
}

#[test]
fn a_rule_with_every_action_becomes_one_block_of_handler_code_in_both_languages() {
    let code = "on MODIFY when changed(status) and not (new.qty < 5 or exists(old.x))\n  notify \"#ops\" \"{keys.id} is {new.status}\"\n  update T key { id: keys.id, at: 1 } add n 1 set last = new.status\n  fail \"no {new.qty}\" report eventID";
    let s = scenario(vec![
        table("T", Some("NEW_AND_OLD_IMAGES")),
        json!({"CreateFunction": {"FunctionName": "f", "Code": code}}),
        json!({"CreateEventSourceMapping": {"FunctionName": "f", "TableName": "T", "StartingPosition": "TRIM_HORIZON"}}),
    ]);
    let py = export(&s, Runtime::Python).unwrap();
    let py = file(&py, "functions/f/app.py");
    // The condition as the language's own and/or/not; each action one call under it.
    assert!(py.contains(
        "    if r.handled_by(False, True, False, False) and (truthy(changed(r, [\"status\"])) and (not (truthy(compare(\"<\", get(r.new, [\"qty\"]), {\"N\": \"5\"})) or (get(r.old, [\"x\"]) is not None)))):\n"
    ), "{py}");
    assert!(py.contains("        plan.notify(\"#ops\", fill([[get(r.keys, [\"id\"]), \"keys.id\"], \" is \", [get(r.new, [\"status\"]), \"new.status\"]]))\n"), "{py}");
    assert!(
        py.contains("        raise RuleFailed(fill([\"no \", [get(r.new, [\"qty\"]), \"new.qty\"]]), \"eventID\")\n")
    );
    let js = export(&s, Runtime::Node).unwrap();
    let js = file(&js, "functions/f/index.mjs");
    assert!(
        js.contains(
            "  if (r.handled_by(false, true, false, false) && (truthy(changed(r, [\"status\"])) && !(truthy(compare(\"<\", get(r.new, [\"qty\"]), {\"N\": \"5\"})) || (get(r.old, [\"x\"]) !== null)))) {\n"
        ),
        "{js}"
    );
    assert!(js.contains("    plan.update(\"T\", [[\"id\", get(r.keys, [\"id\"])], [\"at\", {\"N\": \"1\"}]], [[\"n\", {\"N\": \"1\"}]], [[\"last\", get(r.new, [\"status\"])]]);\n"));
    assert!(
        js.contains("    throw new RuleFailed(fill([\"no \", [get(r.new, [\"qty\"]), \"new.qty\"]]), \"eventID\");\n")
    );
}

#[test]
fn the_same_scenario_exports_the_same_bytes() {
    let s = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/usecase_stock_levels.json"))
        .unwrap();
    for rt in [Runtime::Python, Runtime::Node] {
        assert_eq!(export(&s, rt).unwrap(), export(&s, rt).unwrap());
    }
}

#[test]
fn the_command_writes_the_files_and_refuses_what_is_not_a_scenario() {
    let path = write_temp("lab.json", &scenario(vec![table("T", Some("NEW_IMAGE"))]));
    let out = path.parent().unwrap().join("out");
    let run = |args: &[&str]| Command::new(bin()).args(args).output().unwrap();
    let ok = run(&["export", path.to_str().unwrap(), "--runtime", "nodejs", "--out", out.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(out.join("template.yaml").is_file() && out.join("README.md").is_file());
    let usage = run(&["export", path.to_str().unwrap(), "--runtime", "ruby", "--out", out.to_str().unwrap()]);
    assert_eq!(usage.status.code(), Some(2));
    let bad = write_temp("bad.json", "{\"steps\": [{\"Fly\": {}}]}");
    let refused = run(&["export", bad.to_str().unwrap(), "--runtime", "python", "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let replayed = run(&["replay", bad.to_str().unwrap()]);
    // The same message as replay's, about the same file.
    assert_eq!(String::from_utf8_lossy(&refused.stderr), String::from_utf8_lossy(&replayed.stderr));
}

#[test]
fn the_archive_unpacks_with_tar_into_the_same_files() {
    let s = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/usecase_stock_levels.json"))
        .unwrap();
    let files = export(&s, Runtime::Node).unwrap();
    let archive = streamlab::export::tar("lab", &files);
    let path = write_temp("lab.tar", "");
    std::fs::write(&path, &archive).unwrap();
    let dir = path.parent().unwrap();
    let out = Command::new("tar").arg("xf").arg(&path).arg("-C").arg(dir).output().expect("run tar");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(files.len() >= 4);
    for f in &files {
        let text = std::fs::read_to_string(dir.join("lab").join(&f.path)).unwrap();
        assert_eq!(text, f.text, "{} differs after unpacking", f.path);
    }
    // Handlers carry the rules they came from, for the lab's side-by-side view.
    let handler = files.iter().find(|f| f.path.ends_with("index.mjs")).unwrap();
    assert!(
        handler.rules.as_deref().is_some_and(|r| r.contains("sum stock of qty by warehouse")),
        "{:?}",
        handler.rules
    );
}
