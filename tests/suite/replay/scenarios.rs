//! Scenario files under tests/scenarios replayed by the real `streamlab` binary.
//!
//! Each `NAME.json` with a `NAME.expect.json` beside it is replayed and its output matched
//! against the expectation, which is written by hand from `docs/aws-behaviour.md` (not copied from
//! the program): an expected object's members must all match (others may exist), the string
//! "<absent>" requires the member to be missing, "<hex32>" a 32-character lowercase hex string,
//! "<seq>" a sequence number (21 to 40 digits), "<any>" anything present; arrays must have the
//! same length and match element by element.

use crate::common::cli::replay_file;
use serde_json::Value;
use std::path::{Path, PathBuf};

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
        let (code, stdout, stderr) = replay_file(&path);
        assert_eq!(code, 0, "{name}: exit {code}: {stderr}");
        let actual: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{name}: output is not JSON: {e}"));
        let mut errors = Vec::new();
        matches(&expected, Some(&actual), &name, &mut errors);
        failures.extend(errors);
        // Deterministic: a second run gives the same bytes.
        assert_eq!(replay_file(&path).1, stdout, "{name}: two runs differ");
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} scenario files were checked");
    assert!(failures.is_empty(), "scenario mismatches:\n{}", failures.join("\n"));
}
