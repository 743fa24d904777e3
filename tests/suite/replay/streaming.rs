//! The streaming replay of `streamlab replay FILE` (it reads, checks and runs the file at once,
//! on two threads) gives what parse + run give, on the shipped scenarios and on malformed or
//! unusual files; the checks are the cargo-fuzz ones (`fuzz/targets.rs`).

use crate::common::targets;
use serde_json::{json, Value};

/// Streaming replay (`streamlab replay FILE`) matches parse + run on every shipped scenario
/// and on malformed variants of one.
#[test]
fn streaming_replay_matches_parse_and_run_on_files() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files.iter().filter(|f| !f.to_string_lossy().ends_with(".expect.json")) {
        let text = std::fs::read_to_string(f).unwrap();
        targets::scenario_text(text.as_bytes());
    }
    for bad in [
        "",
        "[]",
        "{}",
        "{\"steps\": {}}",
        "{\"steps\": [], \"steps\": []}",
        "{\"steps\": [1]}",
        "{\"steps\": [{}]}",
        "{\"steps\": [{\"PutItem\": {}, \"GetItem\": {}}]}",
        "{\"steps\": [{\"PutItem\": {}, \"PutItem\": {}}]}",
        "{\"steps\": [{\"Nope\": {}}]}",
        "{\"steps\": [{\"PutItem\": []}]}",
        "{\"steps\": [], \"seed\": -1}",
        "{\"seed\": 1, \"seed\": 2, \"steps\": []}",
        "{\"steps\": [{\"AdvanceClock\": {\"Seconds\": 1}}]} x",
        "{\"steps\": [{\"AdvanceClock\": {\"Seconds\": 1}}], \"description\": 3}",
        "{\"steps\": [{\"AdvanceClock\": {\"Seconds\": 1}}",
    ] {
        targets::scenario_text(bad.as_bytes());
    }
    // What serde_json's `Value` takes or refuses, which the streaming replay's own checker must
    // match: numbers, escapes, surrogates, control characters, nesting at serde_json's limit.
    for text in [
        r#"{"steps": [{"AdvanceClock": {"Seconds": 1, "x": [-0, 1.5e3, 1E-2, 12345678901234567890123, 0.1, -7, true, null]}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"Seconds": 1e400}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": "\ud83d\ude00 \u00e9 \" \\ \/ \b\f\n\r\t é"}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": "\ud800"}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": "\udc00\ud800"}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": "\x"}}]}"#,
        r#"{"st\u0065ps": [{"Advance\u0043lock": {"Seconds": 1}}], "seed": 12}"#,
        r#"{"steps": [{"AdvanceClock": {"x": 01}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": 1.}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": [1,]}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": tru}}]}"#,
        "{\"steps\": [{\"AdvanceClock\": {\"x\": \"\u{1}\"}}]}",
        "{\"steps\": [{\"AdvanceClock\": {}}]}\u{c}",
    ] {
        targets::scenario_text(text.as_bytes());
    }
    for depth in [123, 124, 200] {
        let text =
            format!("{{\"steps\": [{{\"AdvanceClock\": {{\"x\": {}{}}}}}]}}", "[".repeat(depth), "]".repeat(depth));
        targets::scenario_text(text.as_bytes());
    }
}

/// The streaming replay decodes a PutItem's `Item` from the file's text on its reader thread;
/// what it stores and the errors it reports (which, in which order) are those of the `Value`
/// that parse + run decode: escaped names, members set to null, and every kind of invalid
/// attribute. (A name repeated in one object is refused before anything runs: see
/// `replay::format::a_member_named_twice_is_refused_wherever_it_is`.)
#[test]
fn streaming_replay_decodes_put_items_as_parse_and_run_do() {
    let many: Vec<String> = (0..40).map(|i| format!("\"m{i}\": {{\"N\": \"{i}\"}}")).collect();
    let items = [
        r#"{"pk": {"S": "a"}, "n": {"N": "1"}}"#.to_string(),
        r#"{"p\u006b": {"S": "c"}, "x": {"S": "\u00e9\n"}}"#.to_string(),
        r#"{"\u0070k": {"BAD": 1}, "p\u006b2": {"S": "c2"}}"#.to_string(),
        r#"{"pk": {"S": "d"}, "a": {"S": null, "N": "007.50"}}"#.to_string(),
        r#"{"pk": {"S": "e"}, "a": {"S": 5}}"#.to_string(),
        r#"{"pk": {"S": "f"}, "a": {"BAD": 1}, "b": {"S": 5}}"#.to_string(),
        r#"{"pk": {"S": "g"}, "b": {"S": 5}, "a": {"BAD": 1}}"#.to_string(),
        r#"{"pk": {"S": "h"}, "a": {"S": "x", "N": "1"}, "b": {}}"#.to_string(),
        r#"{"pk": {"S": "i"}, "a": {"NULL": false}}"#.to_string(),
        r#"{"pk": {"S": "j"}, "a": {"SS": ["x", "y", "x"]}, "b": {"NS": []}}"#.to_string(),
        r#"{"pk": {"S": "k"}, "a": {"NS": ["1", "1.0"]}, "b": {"BS": ["AQI=", "AQI="]}}"#.to_string(),
        r#"{"pk": {"S": "l"}, "a": {"B": "not base64!"}, "b": {"BOOL": "yes"}}"#.to_string(),
        r#"{"pk": {"S": "m"}, "a": {"M": {"x": {"L": [{"N": "1"}, {"NULL": true}, {"M": {}}]}, "y": {"S": "last"}}}, "b": {"L": []}}"#.to_string(),
        r#"{"pk": {"S": "n"}, "a": {"M": []}, "b": {"L": {}}, "c": {"SS": "x"}}"#.to_string(),
        r#"{"pk": {"N": "1"}}"#.to_string(),
        r#"{"pk": {"S": "o"}, "a": {"N": "1e400000"}, "b": {"N": "abc"}}"#.to_string(),
        r#"{}"#.to_string(),
        r#"{"pk": "p"}"#.to_string(),
        r#"{"pk": {"S": "q"}, "a": {"Z": true}}"#.to_string(),
        format!(r#"{{"pk": {{"S": "r"}}, "a": {{"M": {{{}}}}}}}"#, many.join(", ")),
        format!(r#"{{"pk": {{"S": "s"}}, {}}}"#, many.join(", ")),
        format!(r#"{{"pk": {{"S": "t"}}, "deep": {}{{"S": "x"}}{}}}"#, r#"{"L": ["#.repeat(33), "]}".repeat(33)),
    ];
    let mut steps = vec![
        r#"{"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}}"#.to_string(),
    ];
    for item in &items {
        steps.push(format!(r#"{{"PutItem": {{"TableName": "Tbl", "Item": {item}}}}}"#));
        steps.push(format!(r#"{{"PutItem": {{"Item": {item}, "TableName": "Tbl", "ReturnValues": "ALL_OLD"}}}}"#));
    }
    // An `Item` that is not an object is the engine's to refuse.
    for body in [
        r#""TableName": "Tbl", "Item": null"#,
        r#""TableName": "Tbl", "Item": 5"#,
        r#""TableName": "Tbl", "Item": "z""#,
        r#""TableName": "Tbl", "Item": []"#,
        r#""TableName": "Missing", "Item": {"pk": {"S": 1}}"#,
        r#""TableName": "x", "Item": {"pk": {"S": 1}}"#,
        r#""Item": {"pk": {"S": 1}}"#,
        r#""TableName": "Tbl", "Item": {"pk": {"S": "z"}}, "ReturnValues": "ALL_NEW""#,
        r#""TableName": "Tbl", "Item": {"pk": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(pk)""#,
    ] {
        steps.push(format!(r#"{{"PutItem": {{{body}}}}}"#));
    }
    steps.push(r#"{"Put\u0049tem": {"TableName": "Tbl", "Item": {"pk": {"S": "escaped action"}}}}"#.to_string());
    let text = format!("{{\"steps\": [\n{}\n]}}", steps.join(",\n"));
    let out = streamlab::scenario::replay(&text).expect("a valid scenario");
    let results = out["results"].as_array().expect("results");
    let ok = results.iter().filter(|r| r["ok"] == true).count();
    let failed = results.len() - ok;
    assert!(ok >= 12 && failed >= 30, "the steps cover both outcomes: {ok} ok, {failed} failed");
    targets::scenario_text(text.as_bytes());
}

/// An oversized paste is refused with a message, not parsed.
/// The streaming replay runs the steps as it reads and checks them, and writes nothing before
/// the whole file is known to be a scenario: a problem after many steps is reported alone, as
/// `parse` words it; members after the steps that change the configuration (the seed, the
/// start time) run the steps again with it; and results too large to hold make it check the
/// whole file first (here 50 results of about 360 KB each).
#[test]
fn streaming_replay_checks_the_whole_file_before_it_writes() {
    let table = r#"{"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}}"#;
    let puts: Vec<String> = (0..150)
        .map(|i| format!(r#"{{"PutItem": {{"TableName": "Tbl", "Item": {{"pk": {{"S": "k{i}"}}}}}}}}"#))
        .collect();
    let steps = format!("{table}, {}", puts.join(", "));
    // Two big items, read in turn (equal results in a row would be held once).
    let big: Vec<String> = (0..2)
        .map(|i| {
            format!(
                r#"{{"PutItem": {{"TableName": "Tbl", "Item": {{"pk": {{"S": "big{i}"}}, "text": {{"S": "{}"}}}}}}}}"#,
                "\\u0001".repeat(60_000)
            )
        })
        .collect();
    let big = big.join(", ");
    let gets: Vec<String> = (0..50)
        .map(|i| format!(r#"{{"GetItem": {{"TableName": "Tbl", "Key": {{"pk": {{"S": "big{}"}}}}}}}}"#, i % 2))
        .collect();
    let gets = gets.join(", ");
    let texts = [
        format!(r#"{{"seed": 3, "steps": [{steps}]}}"#),
        format!(r#"{{"steps": [{steps}], "seed": 3, "startTime": "2027-05-01T00:00:00Z"}}"#),
        format!(r#"{{"steps": [{steps}], "seed": 1}}"#),
        format!(r#"{{"steps": [{steps}, {{"Nope": {{}}}}]}}"#),
        format!(r#"{{"steps": [{steps}, {{"PutItem": []}}]}}"#),
        format!(r#"{{"steps": [{steps}, {{"PutItem": {{}}, "GetItem": {{}}}}]}}"#),
        format!(r#"{{"steps": [{steps}]}} x"#),
        format!(r#"{{"steps": [{steps}], "steps": []}}"#),
        format!(r#"{{"steps": [{steps}], "seed": -1}}"#),
        format!(r#"{{"seed": -1, "steps": [{steps}]}}"#),
        format!(r#"{{"steps": [{steps}, {big}, {gets}]}}"#),
        format!(r#"{{"steps": [{steps}, {big}, {gets}], "seed": 9}}"#),
        format!(r#"{{"steps": [{steps}, {big}, {gets}, {{"Nope": {{}}}}]}}"#),
    ];
    for text in &texts {
        targets::streaming_matches_parse_and_run(text);
    }
    let seeded = |text: &str| {
        streamlab::scenario::replay(text).expect("a valid scenario")["streams"][0]["Records"][0]["eventID"].clone()
    };
    assert_ne!(seeded(&texts[1]), seeded(&texts[2]), "the seed after the steps counts");
}

/// The replay writes a stream's records on two threads, in chunks taken in turn: every record
/// once, in order, as the stream's own JSON has it, however the count falls on the chunks.
#[test]
fn the_replay_writes_every_record_once_in_order() {
    for n in [0, 1, 1023, 1024, 1025, 2048, 2049, 4100] {
        let mut steps =
            vec![json!({"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}})];
        for i in 0..n {
            steps.push(json!({"PutItem": {"TableName": "Tbl", "Item": {"pk": {"S": format!("k{}", i % 700)}, "n": {"N": i.to_string()}}}}));
        }
        let s = streamlab::scenario::parse(&json!({"steps": steps}).to_string()).expect("a valid scenario");
        let mut out = Vec::new();
        let engine = streamlab::scenario::run(&s, &mut out).expect("write to memory");
        let out: Value = serde_json::from_slice(&out).expect("JSON");
        let streams = engine.streams_output();
        assert_eq!(streams[0]["Records"].as_array().map(Vec::len), Some(n), "{n} writes");
        assert_eq!(out["streams"], streams, "{n} writes");
    }
}

/// The streaming replay reads a file twice when it must (members after the steps, or a file
/// that does not check): a file edited between the two reads is refused ("the file changed
/// while it was replayed", which `streamlab replay` prints as "cannot read FILE: ..." with exit
/// status 1). What was printed before the second read stays printed.
#[test]
fn a_file_that_changes_while_it_is_replayed_is_refused() {
    use std::cell::Cell;
    for (first, then) in [
        // The seed after the steps is read again and differs.
        (r#"{"steps": [{"ListTables": {}}], "seed": 2}"#, r#"{"steps": [{"ListTables": {}}], "seed": 3}"#),
        // The second read is not a scenario any more.
        (r#"{"steps": [{"ListTables": {}}], "seed": 2}"#, "not json"),
    ] {
        let opened = Cell::new(0);
        let open = || {
            opened.set(opened.get() + 1);
            Ok(std::io::Cursor::new(if opened.get() == 1 { first } else { then }.as_bytes().to_vec()))
        };
        let mut out = Vec::new();
        match streamlab::scenario::replay_streaming(&open, &mut out) {
            Err(streamlab::scenario::ReplayError::Read(e)) => {
                assert_eq!(e.to_string(), "the file changed while it was replayed", "{then}")
            }
            Err(other) => panic!("{then}: {other:?}"),
            Ok(_) => panic!("{then}: replayed"),
        }
        assert_eq!(opened.get(), 2);
    }
}

/// Header members written after the steps (scenario-format.md: members in any order) change how
/// the steps run: the streaming replay reads them at the end and runs the steps again with them,
/// giving what parse + run give.
#[test]
fn header_members_after_the_steps_are_honoured() {
    for text in [
        r#"{"steps": [{"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}}], "region": "eu-west-1", "seed": 7}"#,
        r#"{"steps": [{"ListTables": {}}], "startTime": "2027-05-01T00:00:00Z"}"#,
    ] {
        targets::scenario_text(text.as_bytes());
    }
}
