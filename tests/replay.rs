//! Scenario files under tests/scenarios replayed by the real `streamlab` binary.
//!
//! Each `NAME.json` with a `NAME.expect.json` beside it is replayed and its output matched
//! against the expectation, which is written by hand from `aws-semantics.md` (not copied from
//! the program): an expected object's members must all match (others may exist), the string
//! "<absent>" requires the member to be missing, "<hex32>" a 32-character lowercase hex string,
//! "<seq>" a sequence number (21 to 40 digits), "<any>" anything present; arrays must have the
//! same length and match element by element.
#![cfg(not(target_arch = "wasm32"))] // native tests: `make test` runs tests/web.rs in the browser

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_streamlab"))
}

fn replay(path: &Path) -> (i32, String, String) {
    let out = Command::new(bin()).arg("replay").arg(path).output().expect("run streamlab");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn matches(expected: &Value, actual: Option<&Value>, path: &str, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::String(s), a) if s == "<absent>" => {
            if a.is_some() {
                errors.push(format!("{path}: expected absent, found {}", a.map(|v| v.to_string()).unwrap_or_default()));
            }
        }
        (_, None) => errors.push(format!("{path}: missing")),
        (Value::String(s), Some(a)) if s == "<any>" => {
            let _ = a;
        }
        (Value::String(s), Some(a)) if s == "<hex32>" => {
            let ok = a
                .as_str()
                .is_some_and(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
            if !ok {
                errors.push(format!("{path}: expected 32 lowercase hex characters, found {a}"));
            }
        }
        (Value::String(s), Some(a)) if s == "<seq>" => {
            let ok = a.as_str().is_some_and(|n| (21..=40).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()));
            if !ok {
                errors.push(format!("{path}: expected a sequence number, found {a}"));
            }
        }
        (Value::Object(e), Some(Value::Object(a))) => {
            for (k, v) in e {
                matches(v, a.get(k), &format!("{path}.{k}"), errors);
            }
        }
        (Value::Array(e), Some(Value::Array(a))) => {
            if e.len() != a.len() {
                errors.push(format!("{path}: expected {} elements, found {}", e.len(), a.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a.iter()).enumerate() {
                matches(ev, Some(av), &format!("{path}[{i}]"), errors);
            }
        }
        (e, Some(a)) => {
            if e != a {
                errors.push(format!("{path}: expected {e}, found {a}"));
            }
        }
    }
}

#[test]
fn scenario_files_give_the_records_aws_would_give() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name.ends_with(".expect.json") {
            continue;
        }
        let expect_path = path.with_file_name(name.replace(".json", ".expect.json"));
        let Ok(expect_text) = std::fs::read_to_string(&expect_path) else { continue };
        let expected: Value =
            serde_json::from_str(&expect_text).unwrap_or_else(|e| panic!("{}: {e}", expect_path.display()));
        let (code, stdout, stderr) = replay(&path);
        assert_eq!(code, 0, "{name}: exit {code}: {stderr}");
        let actual: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{name}: output is not JSON: {e}"));
        let mut errors = Vec::new();
        matches(&expected, Some(&actual), &name, &mut errors);
        failures.extend(errors);
        // Deterministic: a second run gives the same bytes.
        assert_eq!(replay(&path).1, stdout, "{name}: two runs differ");
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} scenario files were checked");
    assert!(failures.is_empty(), "scenario mismatches:\n{}", failures.join("\n"));
}

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("streamlab-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
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
        let (code, stdout, stderr) = replay(&p);
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
    let (code, stdout, _) = replay(&p);
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
