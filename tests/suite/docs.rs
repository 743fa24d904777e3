//! The examples of README.md, docs/teaching.md and `../shared/spec/scenario-format.md`, checked
//! against the program. Wherever practical the example is read from the document itself (by its
//! section heading), so these tests fail when a document drifts from the program; where an
//! example only describes behaviour in prose, a small scenario exercises it and a comment names
//! the section.

use crate::common::cli::{replay_file, replay_stdin, write_temp};
use serde_json::{json, Value};
use std::path::Path;
use streamlab::rules;
use streamlab::ViewType;
use streamlab::{lesson, quiz, scenario, share};

// ---- reading the documents ----------------------------------------------------------------------

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The binding spec of scenario files lives beside the repository (README: "the format is
/// `../shared/spec/scenario-format.md`"). None when this checkout has no such sibling.
fn spec() -> Option<String> {
    std::fs::read_to_string(root().join("../shared/spec/scenario-format.md")).ok()
}

/// The text of the section that starts with the heading line `heading` (exactly), up to the next
/// heading of the same or a higher level. Headings inside fenced blocks do not count.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let level = heading.bytes().take_while(|&b| b == b'#').count();
    let start = md.find(&format!("\n{heading}\n")).map(|i| i + 1).unwrap_or_else(|| panic!("no section {heading:?}"));
    let mut pos = start + heading.len() + 1;
    let mut fenced = false;
    for line in md[pos..].split_inclusive('\n') {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            let l = line.bytes().take_while(|&b| b == b'#').count();
            if l <= level && line.as_bytes().get(l) == Some(&b' ') {
                return &md[start..pos];
            }
        }
        pos += line.len();
    }
    &md[start..]
}

/// The fenced blocks of `text` whose info string is `lang` ("" for none), in order.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in text.lines() {
        match (&mut cur, line.strip_prefix("```")) {
            (None, Some(info)) => {
                if info.trim() == lang {
                    cur = Some(String::new());
                } else {
                    cur = Some("\u{0}skip".into());
                }
            }
            (Some(b), Some(_)) => {
                if !b.starts_with('\u{0}') {
                    out.push(std::mem::take(b));
                }
                cur = None;
            }
            (Some(b), None) => {
                if !b.starts_with('\u{0}') {
                    b.push_str(line);
                    b.push('\n');
                }
            }
            (None, None) => {}
        }
    }
    out
}

/// The text between the first `start` after the text `after` and the next `end`.
fn between<'a>(text: &'a str, after: &str, start: &str, end: &str) -> &'a str {
    let i = text.find(after).unwrap_or_else(|| panic!("{after:?} not found"));
    let rest = &text[i + after.len()..];
    let s = rest.find(start).unwrap_or_else(|| panic!("{start:?} not found after {after:?}")) + start.len();
    let e = rest[s..].find(end).unwrap_or_else(|| panic!("{end:?} not found after {after:?}"));
    &rest[s..s + e]
}

/// Every `backticked` span of `text`.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// Markdown prose joined into one line (line breaks are spaces).
fn prose(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn readme() -> String {
    read("README.md")
}

fn teaching() -> String {
    read("docs/teaching.md")
}

// ---- running `streamlab replay` -----------------------------------------------------------------

fn json_of(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("the output is not JSON: {e}\n{stdout}"))
}

fn failed_steps(out: &Value) -> Vec<Value> {
    out["results"].as_array().unwrap().iter().filter(|r| r["ok"] != true).cloned().collect()
}

fn all_records(out: &Value) -> Vec<Value> {
    out["streams"].as_array().unwrap().iter().flat_map(|s| s["Records"].as_array().unwrap().clone()).collect()
}

fn messages(out: &Value) -> Vec<String> {
    out["notifications"].as_array().unwrap().iter().map(|n| n["Message"].as_str().unwrap().to_string()).collect()
}

// ---- README: Scenario files and `streamlab replay` ----------------------------------------------

const SCENARIOS: &str = "## Scenario files and `streamlab replay`";

/// The command shown ("cargo run --release -- replay tests/scenarios/votes.json") names a file
/// that exists and replays; the example scenario replays with the documented output shape, one
/// entry per line, the same bytes every time.
#[test]
fn readme_scenario_example_replays_as_described() {
    let md = readme();
    let sec = section(&md, SCENARIOS);

    let sh = blocks(sec, "sh");
    assert_eq!(sh.len(), 1, "one command block");
    let file = sh[0].split_whitespace().skip_while(|w| *w != "replay").nth(1).expect("replay FILE");
    let (code, stdout, stderr) = replay_file(&root().join(file));
    assert_eq!(code, 0, "{file}: {stderr}");
    assert!(failed_steps(&json_of(&stdout)).is_empty());

    let example = blocks(sec, "json");
    assert_eq!(example.len(), 1, "one example scenario");
    let path = write_temp("readme-example.json", &example[0]);
    let (code, stdout, stderr) = replay_file(&path);
    assert_eq!(code, 0, "{stderr}");
    let out = json_of(&stdout);

    // "It prints `{"results", "streams", ...}` as JSON", in that order.
    let names: Vec<String> =
        between(sec, "It prints", "`{", "}`").split(',').map(|s| s.trim().trim_matches('"').to_string()).collect();
    let keys: Vec<String> = out.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, names);

    // "one result, record, invocation, notification or on-failure record per line".
    let lines: Vec<&str> = stdout.lines().map(str::trim).collect();
    let starting = |p: &str| lines.iter().filter(|l| l.starts_with(p)).count();
    assert_eq!(starting("{\"step\":"), out["results"].as_array().unwrap().len());
    assert_eq!(starting("{\"eventID\":"), all_records(&out).len());
    assert_eq!(starting("{\"FunctionName\":"), out["invocations"].as_array().unwrap().len());
    assert!(!out["invocations"].as_array().unwrap().is_empty(), "the example's trigger runs");
    for l in &lines {
        if ["{\"step\":", "{\"eventID\":", "{\"FunctionName\":"].iter().any(|p| l.starts_with(p)) {
            serde_json::from_str::<Value>(l.trim_end_matches(','))
                .unwrap_or_else(|e| panic!("a line is not one JSON value ({e}): {l}"));
        }
    }
    // "The same file always gives the same bytes."
    assert_eq!(replay_file(&path).1, stdout);

    // What the example does: every step succeeds; the vote and its retraction reach the tally
    // ("A group whose count drops to 0 disappears"), polled at the next 250 ms slot after the
    // writes ("Lambda polls each shard 4 times a second, from the next 250 ms slot after a
    // write"), and the invocation has the members scenario-format.md lists.
    assert!(failed_steps(&out).is_empty(), "{:?}", failed_steps(&out));
    let desc = out["results"].as_array().unwrap().len();
    assert_eq!(desc, serde_json::from_str::<Value>(&example[0]).unwrap()["steps"].as_array().unwrap().len());
    let puts = example[0].matches("\"PutItem\"").count();
    let deletes = example[0].matches("\"DeleteItem\"").count();
    assert_eq!(all_records(&out).len(), puts + deletes);
    assert_eq!(out["aggregates"], json!({"votes": {}}));
    let inv = &out["invocations"][0];
    let members: Vec<&str> = inv.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(members, ["FunctionName", "UUID", "ShardId", "Time", "Attempt", "Event", "Outcome"]);
    assert_eq!(inv["Time"], json!(1767225600.25));
    assert_eq!(inv["Outcome"], "Success");
}

/// "a file that is not a scenario (bad JSON, an unknown action, a step with two keys) is
/// rejected before anything is printed, with the line and column or the step index, and exit
/// status 1." (README, Scenario files)
#[test]
fn readme_files_that_are_not_scenarios_exit_1() {
    let cases = [
        ("bad JSON", "{\"steps\": [\n  {\"ListStreams\": {}},\n", "line 3"),
        ("unknown action", "{\"steps\": [{\"ListStreams\": {}}, {\"ListStreamz\": {}}]}", "step 1"),
        ("two keys", "{\"steps\": [{\"ListStreams\": {}, \"Scan\": {}}]}", "step 0"),
    ];
    for (what, text, want) in cases {
        let (code, stdout, stderr) = replay_file(&write_temp("bad.json", text));
        assert_eq!(code, 1, "{what}");
        assert!(stdout.is_empty(), "{what}: {stdout}");
        assert!(stderr.contains(want), "{what}: {stderr}");
        let (code, stdout, _) = replay_stdin(text);
        assert_eq!((code, stdout.as_str()), (1, ""), "{what} on standard input");
    }
}

/// Every action the README lists is one the scenario reader knows; the spec (the team's
/// contract, beside the repository when it is there) lists none the README leaves out.
#[test]
fn every_listed_action_is_known() {
    let md = readme();
    let sec = section(&md, SCENARIOS);
    let para = between(sec, "\nActions:", "", "Time moves only");
    // Request fields the lists mention in passing, not actions.
    let action = |s: &&str| s.chars().all(|c| c.is_ascii_alphabetic()) && !["Code", "StreamSpecification"].contains(s);
    let names: Vec<String> = code_spans(para).into_iter().filter(action).map(String::from).collect();
    // The 17 DynamoDB and Streams actions, 5 Lambda ones and AdvanceClock.
    assert!(names.len() >= 23, "{names:?}");
    if let Some(spec) = &spec() {
        let input = section(spec, "## Input");
        for start in ["DynamoDB actions:", "DynamoDB Streams actions:", "Lambda actions:"] {
            let para = between(input, start, "", "`.");
            for name in code_spans(&format!("{para}`")).into_iter().filter(action) {
                assert!(names.iter().any(|n| n == name), "the spec's {name} is not in the README's list");
            }
        }
    }
    for name in names {
        let text = json!({"steps": [{ name.as_str(): {} }]}).to_string();
        if let Err(e) = scenario::parse(&text) {
            assert!(!e.to_string().contains("unknown action"), "{name}: {e}");
        }
    }
}

/// The optional `"simulator"` member, as the README writes it, is accepted, and its values are
/// the defaults the README gives (4 polls a second aside: 1 shard, 4-hour roll-over, TTL 10
/// minutes after expiry): the example's output does not change.
#[test]
fn readme_simulator_member_is_the_default() {
    let md = readme();
    let sec = section(&md, SCENARIOS);
    let member = between(sec, "Optional ", "`", "`");
    assert!(member.starts_with("\"simulator\":"), "{member}");
    let example = &blocks(sec, "json")[0];
    let with = example.replacen('{', &format!("{{{member},"), 1);
    let a = scenario::replay(example).unwrap();
    let b = scenario::replay(&with).unwrap_or_else(|e| panic!("{with}: {e}"));
    assert_eq!(a, b);
    let sim: Value = serde_json::from_str(&format!("{{{member}}}")).unwrap();
    assert_eq!(sim["simulator"]["shardRolloverSeconds"], 4 * 3600, "\"Shards roll over every 4 hours\"");
    assert_eq!(sim["simulator"]["ttlDelaySeconds"], 600, "\"10 minutes after its expiry time\"");
}

// ---- scenario-format.md -----------------------------------------------------------------------

/// "A complete small example" of the spec: three records on one stream, INSERT ana (NewImage
/// only), INSERT ben, REMOVE ana (OldImage only), each with Keys {"voter": ...}, eventVersion
/// "1.1", eventSource "aws:dynamodb" and awsRegion "us-east-1". The output has the members of
/// the spec's Output block, and the AdvanceClock example is a valid step.
#[test]
fn spec_examples_replay_as_the_spec_says() {
    let Some(spec) = spec() else {
        eprintln!("../shared/spec/scenario-format.md is not beside this checkout: skipped");
        return;
    };
    let example = &blocks(section(&spec, "## A complete small example"), "json")[0];
    let (code, stdout, stderr) = replay_file(&write_temp("spec-example.json", example));
    assert_eq!(code, 0, "{stderr}");
    let out = json_of(&stdout);
    assert!(failed_steps(&out).is_empty());
    let streams = out["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 1);
    let recs = streams[0]["Records"].as_array().unwrap();
    let got: Vec<(&str, &str, bool, bool)> = recs
        .iter()
        .map(|r| {
            let d = &r["dynamodb"];
            (
                r["eventName"].as_str().unwrap(),
                d["Keys"]["voter"]["S"].as_str().unwrap(),
                d.get("NewImage").is_some(),
                d.get("OldImage").is_some(),
            )
        })
        .collect();
    assert_eq!(got, [("INSERT", "ana", true, false), ("INSERT", "ben", true, false), ("REMOVE", "ana", false, true)]);
    for r in recs {
        assert_eq!(r["dynamodb"]["Keys"].as_object().unwrap().len(), 1);
        assert_eq!(
            (&r["eventVersion"], &r["eventSource"], &r["awsRegion"]),
            (&json!("1.1"), &json!("aws:dynamodb"), &json!("us-east-1"))
        );
    }

    // The Output block's top-level members, in order.
    let output = &blocks(section(&spec, "## Output"), "json")[0];
    let names: Vec<&str> =
        output.lines().filter_map(|l| l.strip_prefix("  \"")).filter_map(|l| l.split('"').next()).collect();
    let keys: Vec<&str> = out.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, names);

    // {"AdvanceClock": {"Seconds": 3600}}
    let step = blocks(section(&spec, "## Input"), "json").into_iter().find(|b| b.contains("AdvanceClock")).unwrap();
    let text = format!("{{\"steps\": [{}]}}", step.trim());
    let out = scenario::replay(&text).unwrap();
    assert_eq!(out["results"][0]["ok"], true);
    assert_eq!(out["results"][0]["response"]["Time"], "2026-01-01T01:00:00.000Z");
}

// ---- README: Writing a trigger: the rule language -----------------------------------------------

const RULES: &str = "## Writing a trigger: the rule language";

/// A table `Items` (hash key `id`, a string) with a stream of `view`, the function `f` with `code`
/// mapped to it from TRIM_HORIZON, then `steps`, then one second of clock; also tables `Audit`
/// (key `id`) and `Totals` (key `pk`) for rules that write. Returns the replay's output.
fn lab(view: &str, code: &str, steps: Vec<Value>) -> Value {
    let table = |name: &str, key: &str, stream: Option<&str>| {
        let mut t = json!({"TableName": name, "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"});
        if let Some(v) = stream {
            t["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": v});
        }
        json!({ "CreateTable": t })
    };
    let mut all = vec![
        table("Items", "id", Some(view)),
        table("Audit", "id", None),
        table("Totals", "pk", None),
        json!({"CreateFunction": {"FunctionName": "f", "Code": code}}),
        json!({"CreateEventSourceMapping": {"FunctionName": "f", "TableName": "Items", "StartingPosition": "TRIM_HORIZON", "BatchSize": 100}}),
    ];
    all.extend(steps);
    all.push(json!({"AdvanceClock": {"Seconds": 1}}));
    let out = scenario::replay(&json!({ "steps": all }).to_string()).unwrap();
    assert!(failed_steps(&out).is_empty(), "{code}: {:?}", failed_steps(&out));
    out
}

/// A PutItem of Items from `{"name": AttributeValue}` pairs given as JSON.
fn put(item: Value) -> Value {
    json!({"PutItem": {"TableName": "Items", "Item": item}})
}

fn del(id: &str) -> Value {
    json!({"DeleteItem": {"TableName": "Items", "Key": {"id": {"S": id}}}})
}

fn scan(table: &str) -> Value {
    json!({"Scan": {"TableName": table}})
}

/// The Items of the last Scan in `out`, keyed by their key's string.
fn last_scan(out: &Value) -> Vec<Value> {
    let r = out["results"].as_array().unwrap().iter().rev().find(|r| r["action"] == "Scan").unwrap();
    let mut items = r["response"]["Items"].as_array().unwrap().clone();
    items.sort_by_key(|i| i.get("pk").or(i.get("id")).map(|k| k.to_string()));
    items
}

/// Every fenced block of the section parses; an action-only block is read as the body of a rule.
#[test]
fn readme_rule_examples_parse() {
    let md = readme();
    let sec = section(&md, RULES);
    let bs = blocks(sec, "");
    assert!(bs.len() >= 5, "{} blocks", bs.len());
    for b in &bs {
        let src = if b.trim_start().starts_with("on ") || b.trim_start().starts_with("--") {
            b.clone()
        } else {
            format!("on INSERT, MODIFY, REMOVE\n{b}")
        };
        rules::parse(&src).unwrap_or_else(|d| panic!("{}", d.render(&src)));
    }
    // Inline examples: `on INSERT, REMOVE`, `on REMOVE when not ttl ...`, the fail heading, a
    // quoted table name.
    for src in [
        "on INSERT, REMOVE\n  count n",
        "on REMOVE when not ttl\n  count n",
        &format!("on INSERT\n  {}", between(sec, "### Failing on purpose: ", "`", "`")),
        "on INSERT\n  put \"audit-log\" { id: keys.id }",
        "",
        "-- only a comment\n// and another",
        "ON insert WHEN New.qty > 1 AND NOT exists(old.qty)\n  NOTIFY \"#c\" \"x\"",
    ] {
        rules::parse(src).unwrap_or_else(|d| panic!("{}", d.render(src)));
    }
}

/// The warning the README quotes for the first example under a NEW_IMAGE stream.
#[test]
fn readme_quoted_warning_is_the_editors() {
    let md = readme();
    let sec = section(&md, RULES);
    let first = &blocks(sec, "")[0];
    let quoted = between(&prose(sec), "The editor warns as you type:", "*", "*").replace('`', "");
    let p = rules::parse(first).unwrap();
    let warnings: Vec<String> = p.warnings(ViewType::NewImage).iter().map(|d| d.to_string().replace('`', "")).collect();
    assert!(warnings.contains(&quoted), "README: {quoted}\nengine: {warnings:#?}");
    // Under NEW_AND_OLD_IMAGES the tally is right: no warning about it.
    assert!(p.warnings(ViewType::NewAndOldImages).iter().all(|d| !d.message.contains("count votes")));
}

/// The first example: the tally, the low-stock alert and the TTL notification, as described.
#[test]
fn readme_first_rule_example_behaves_as_described() {
    let md = readme();
    let code = blocks(section(&md, RULES), "")[0].clone();
    let vote = |who: &str, choice: &str| put(json!({"id": {"S": who}, "choice": {"S": choice}}));
    let steps = vec![vote("ana", "tea"), vote("ana", "coffee"), vote("ben", "tea"), del("ana")];
    // INSERT +1 new; MODIFY -1 old +1 new; REMOVE -1 old; a group at 0 disappears.
    assert_eq!(lab("NEW_AND_OLD_IMAGES", &code, steps.clone())["aggregates"]["votes"], json!({"tea": 1}));
    // "Under NEW_IMAGE ... the tally only goes up, a changed vote is counted twice and a deleted
    // one is never taken back."
    assert_eq!(lab("NEW_IMAGE", &code, steps)["aggregates"]["votes"], json!({"coffee": 1, "tea": 2}));

    // on MODIFY when new.qty < 5 and old.qty >= 5: notify "Stock of {keys.sku} dropped to {new.qty}"
    // (the key is `id` here, so keys.sku is absent: "<missing keys.sku>").
    let stock = |qty: &str| put(json!({"id": {"S": "p-1"}, "qty": {"N": qty}}));
    let out = lab("NEW_AND_OLD_IMAGES", &code, vec![stock("7"), stock("3"), stock("2"), stock("9"), stock("4")]);
    assert_eq!(
        messages(&out),
        ["Stock of <missing keys.sku> dropped to 3", "Stock of <missing keys.sku> dropped to 4"]
    );

    // on TTL: only the TTL service's deletions; `on REMOVE when not ttl` only the others.
    // "TTL deletes an expired item 10 minutes after its expiry time".
    let code = format!("{code}\non REMOVE when not ttl\n  notify \"#sessions\" \"Session {{keys.id}} ended\"");
    let exp = 1767225600 + 60;
    let get = json!({"GetItem": {"TableName": "Items", "Key": {"id": {"S": "s-1"}}}});
    let out = lab(
        "NEW_AND_OLD_IMAGES",
        &code,
        vec![
            json!({"UpdateTimeToLive": {"TableName": "Items", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}}),
            put(json!({"id": {"S": "s-1"}, "exp": {"N": exp.to_string()}})),
            put(json!({"id": {"S": "s-2"}})),
            del("s-2"),
            json!({"AdvanceClock": {"Seconds": 60 + 590}}),
            get.clone(),
            json!({"AdvanceClock": {"Seconds": 20}}),
            get,
        ],
    );
    assert_eq!(messages(&out), ["Session s-2 ended", "Session s-1 expired"]);
    let gets: Vec<&Value> = out["results"].as_array().unwrap().iter().filter(|r| r["action"] == "GetItem").collect();
    assert!(gets[0]["response"].get("Item").is_some(), "still there 9 min 50 s after expiry");
    assert!(gets[1]["response"].get("Item").is_none(), "deleted 10 min 10 s after expiry");
}

/// "Reading the record", "Conditions: when", "Notifications".
#[test]
fn readme_conditions_and_templates() {
    let code = r##"
on INSERT when new.nothing != 1      notify "#c" "absent != 1"
on INSERT when new.nothing = null    notify "#c" "absent = null"
on INSERT when exists(new.nothing)   notify "#c" "exists absent"
on INSERT when not exists(new.nothing) notify "#c" "missing: {new.nothing}"
on INSERT when new.s < 5 or new.s > 5 notify "#c" "string vs number ordered"
on INSERT when new.n < 10            notify "#c" "9 < 10 as numbers"
on INSERT when new.s < "9"           notify "#c" "'10' < '9' as strings"
on INSERT when new.s <> "x"          notify "#c" "<> works"
on INSERT when begins_with(new.email, "admin") notify "#c" "admin"
on INSERT when contains(new.tags, "vip") and contains(new.email, "@ex") notify "#c" "contains set member and substring"
on INSERT when contains(new.list, "vip") notify "#c" "contains list member"
on INSERT when new.address.city = "Oslo" and new.list[0] = "vip" and new["odd name"] = true notify "#c" "paths"
on INSERT when event = "INSERT"      notify "#c" "event {event}"
on MODIFY when changed(status)       notify "#c" "changed {old.status} -> {new.status}"
on INSERT notify "#c" "{{braces}} and \"quotes\" for {keys.id}"
"##;
    let out = lab(
        "NEW_AND_OLD_IMAGES",
        code,
        vec![
            put(
                json!({"id": {"S": "a"}, "s": {"S": "10"}, "n": {"N": "9"}, "email": {"S": "admin@ex.com"}, "tags": {"SS": ["vip", "new"]},
                       "list": {"L": [{"S": "vip"}]}, "address": {"M": {"city": {"S": "Oslo"}}}, "odd name": {"BOOL": true}}),
            ),
            put(
                json!({"id": {"S": "a"}, "s": {"S": "10"}, "n": {"N": "9"}, "email": {"S": "admin@ex.com"}, "tags": {"SS": ["vip", "new"]},
                       "list": {"L": [{"S": "vip"}]}, "address": {"M": {"city": {"S": "Oslo"}}}, "odd name": {"BOOL": true}, "status": {"S": "open"}}),
            ),
        ],
    );
    assert_eq!(
        messages(&out),
        [
            "missing: <missing new.nothing>",
            "9 < 10 as numbers",
            "'10' < '9' as strings",
            "<> works",
            "admin",
            "contains set member and substring",
            "contains list member",
            "paths",
            "event INSERT",
            "{braces} and \"quotes\" for a",
            // changed(status): appearing counts as a change.
            "changed <missing old.status> -> open",
        ]
    );
    // scenario-format.md, Output: each notification is {"Time", "Channel", "Message", "FunctionName"}.
    let n = out["notifications"][0].as_object().unwrap();
    assert_eq!(n.keys().map(String::as_str).collect::<Vec<_>>(), ["Time", "Channel", "Message", "FunctionName"]);
    assert_eq!((&n["Channel"], &n["FunctionName"]), (&json!("#c"), &json!("f")));
}

/// "Aggregates: count, sum, min, max, avg": every line of the example block, with the
/// behaviour of "Details".
#[test]
fn readme_aggregate_examples_behave_as_described() {
    let md = readme();
    let sec = section(&md, RULES);
    let agg = blocks(sec, "").into_iter().find(|b| b.contains("avg rating")).unwrap();
    let code = format!("on INSERT, MODIFY, REMOVE\n{agg}  count items\n");
    let item = |id: &str, qty: &str, wh: &str, price: &str, status: &str| {
        put(
            json!({"id": {"S": id}, "qty": {"N": qty}, "warehouse": {"S": wh}, "price": {"N": price}, "category": {"S": "c"},
                   "amount": {"N": price}, "auction": {"S": "x"}, "stars": {"N": qty}, "product": {"S": "p"},
                   "status": {"S": status}, "region": {"S": "eu"}, "choice": {"S": "tea"}}),
        )
    };
    let out = lab(
        "NEW_AND_OLD_IMAGES",
        &code,
        vec![
            item("a", "4", "north", "5", "open"),
            item("b", "5", "north", "3", "open"),
            item("c", "1", "south", "9", "open"),
            put(json!({"id": {"S": "d"}, "qty": {"S": "lots"}, "warehouse": {"S": "north"}})),
            del("c"),
            item("b", "5", "north", "3", "closed"),
        ],
    );
    let a = &out["aggregates"];
    assert_eq!(a["votes"], json!({"tea": 2}));
    assert_eq!(
        a["stock"],
        json!({"north": 9}),
        "a qty that is not a number takes no part; south dropped to 0 and disappeared"
    );
    assert_eq!(a["cheapest"], json!({"c": 3}));
    assert_eq!(a["top_bid"], json!({"x": 5}), "removing the maximum uncovers the next one");
    assert_eq!(a["rating"], json!({"p": 4.5}), "avg is sum / count");
    assert_eq!(a["open"], json!({"eu": 1}), "where filters each version separately");
    assert_eq!(a["items"], json!({"*": 3}), "no `by`: one group, *");

    // "A plain `count items` needs no image at all: it is right under every view type".
    for view in ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] {
        let out = lab(
            view,
            "on INSERT, REMOVE\n  count items",
            vec![put(json!({"id": {"S": "a"}})), put(json!({"id": {"S": "b"}})), del("a")],
        );
        assert_eq!(out["aggregates"]["items"], json!({"*": 1}), "{view}");
    }
}

/// "Writing to tables": the three actions, and the block that maintains Totals.
#[test]
fn readme_table_write_examples_behave_as_described() {
    let md = readme();
    let sec = section(&md, RULES);
    let writes = blocks(sec, "").into_iter().find(|b| b.contains("put Audit")).unwrap();
    let lines: Vec<&str> = writes.lines().collect();
    let (put_audit, update, delete) = (lines[0], lines[1], lines[2]);
    let code = format!("on INSERT\n  {put_audit}\n  {update}\non REMOVE\n  {delete}");
    let ins = |id: &str, amount: &str| {
        put(json!({"id": {"S": id}, "choice": {"S": "tea"}, "amount": {"N": amount}, "ts": {"S": format!("t-{id}")}}))
    };
    let out = lab(
        "NEW_AND_OLD_IMAGES",
        &code,
        vec![
            ins("a", "5"),
            ins("b", "2"),
            put(json!({"id": {"S": "c"}, "choice": {"S": "tea"}})),
            del("a"),
            json!({"AdvanceClock": {"Seconds": 1}}),
            scan("Audit"),
            scan("Totals"),
        ],
    );
    let scans: Vec<&Value> = out["results"].as_array().unwrap().iter().filter(|r| r["action"] == "Scan").collect();
    let mut audit: Vec<String> = scans[0]["response"]["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"]["S"].as_str().unwrap().to_string())
        .collect();
    audit.sort();
    assert_eq!(audit, ["b", "c"], "put Audit on each insert, delete Audit on the remove");
    assert_eq!(scans[0]["response"]["Items"][0]["note"], json!({"S": "admin signup"}));
    // `add` adds up; `set` replaces; an absent value (c has no amount or ts) is left out.
    assert_eq!(
        last_scan(&out),
        [json!({"pk": {"S": "tea"}, "n": {"N": "3"}, "total": {"N": "7"}, "last": {"S": "t-b"}})]
    );

    let chain = blocks(sec, "").into_iter().find(|b| b.contains("changed(choice)")).unwrap();
    let vote = |who: &str, choice: &str| put(json!({"id": {"S": who}, "choice": {"S": choice}}));
    let out = lab(
        "NEW_AND_OLD_IMAGES",
        &chain,
        vec![
            vote("ana", "tea"),
            vote("ben", "tea"),
            vote("ana", "coffee"),
            vote("ana", "coffee"),
            del("ben"),
            json!({"AdvanceClock": {"Seconds": 1}}),
            scan("Totals"),
        ],
    );
    assert_eq!(
        last_scan(&out),
        [json!({"pk": {"S": "coffee"}, "n": {"N": "1"}}), json!({"pk": {"S": "tea"}, "n": {"N": "0"}})]
    );
}

/// "Failing on purpose": the record is all or nothing.
#[test]
fn readme_fail_is_all_or_nothing() {
    let md = readme();
    let fail = between(section(&md, RULES), "### Failing on purpose: ", "`", "`").to_string();
    let code = format!("on INSERT\n  notify \"#c\" \"seen {{keys.id}}\"\n  count n\n  put Audit {{ id: keys.id }}\non INSERT when new.amount > 100\n  {fail}");
    let out = lab(
        "NEW_AND_OLD_IMAGES",
        &code,
        vec![
            put(json!({"id": {"S": "a"}, "amount": {"N": "500"}})),
            json!({"AdvanceClock": {"Seconds": 5}}),
            scan("Audit"),
        ],
    );
    let inv = out["invocations"].as_array().unwrap();
    assert!(!inv.is_empty());
    assert!(
        inv.iter().all(|i| i["Outcome"] == "Error" && i["Error"].as_str().unwrap().contains("amount 500 too large")),
        "{inv:?}"
    );
    assert!(inv.len() > 1, "the failed batch is retried");
    assert!(messages(&out).is_empty());
    assert_eq!(out["aggregates"]["n"], json!({}));
    assert!(last_scan(&out).is_empty());
}

/// "Errors and warnings".
#[test]
fn readme_errors_and_warnings() {
    let src = "on INSERT\n  count votes by\n";
    let d = rules::parse(src).unwrap_err();
    let shown = d.render(src);
    assert!(shown.starts_with(&format!("line {}, column {}: ", d.line, d.column)), "{shown}");
    let lines: Vec<&str> = shown.lines().collect();
    let (code_line, caret) = (lines[lines.len() - 2], lines[lines.len() - 1]);
    assert_eq!(code_line.trim(), src.lines().nth(d.line - 1).unwrap().trim(), "{shown}");
    assert_eq!(caret.trim(), "^", "{shown}");
    assert_eq!(caret.find('^').unwrap() - 2, d.column - 1, "the caret is under the column: {shown}");
    let warned = |src: &str, view| !rules::parse(src).unwrap().warnings(view).is_empty();
    assert!(
        warned("on MODIFY\n  notify \"#c\" \"{old.x}\"", ViewType::NewImage),
        "an image the view type does not carry"
    );
    assert!(warned("on REMOVE\n  notify \"#c\" \"{new.x}\"", ViewType::NewAndOldImages), "new.* in a REMOVE-only rule");
    assert!(warned("on INSERT when changed(x)\n  count n", ViewType::NewAndOldImages), "changed(...) outside MODIFY");
    assert!(!warned("on MODIFY when changed(x)\n  notify \"#c\" \"{old.x} {new.x}\"", ViewType::NewAndOldImages));
    assert!(warned("on MODIFY when changed(x)\n  count n", ViewType::NewImage), "changed(...) needs both images");

    // "keys.id: a key attribute: always there, whatever the stream's view type"; the images a
    // KEYS_ONLY stream lacks are absent, never invented.
    let out = lab("KEYS_ONLY", "on INSERT, MODIFY\n  notify \"#c\" \"{keys.id} {new.x}\"\non MODIFY when changed(x)\n  notify \"#c\" \"changed\"", vec![put(json!({"id": {"S": "a"}, "x": {"N": "1"}})), put(json!({"id": {"S": "a"}, "x": {"N": "2"}}))]);
    assert_eq!(messages(&out), ["a <missing new.x>", "a <missing new.x>"]);
}

/// README, Scenario files, "Simulated time, and the choices the spec leaves to a simulator":
/// retries back off 1 s, 2 s, 4 s, ... up to 60 s; a trigger writing back into its own table is
/// not stopped by AWS, and the simulator's loop guard pauses it before its 1,001st invocation;
/// shards roll over every 4 hours; records are trimmed 24 hours after they were written.
#[test]
fn readme_simulated_time_choices() {
    let out = lab(
        "NEW_IMAGE",
        "on INSERT\n  fail \"no\"",
        vec![put(json!({"id": {"S": "a"}})), json!({"AdvanceClock": {"Seconds": 300}})],
    );
    let times: Vec<f64> = out["invocations"].as_array().unwrap().iter().map(|i| i["Time"].as_f64().unwrap()).collect();
    let gaps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(gaps[..8], [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]);

    let out = lab(
        "NEW_IMAGE",
        "on INSERT, MODIFY\n  update Items key { id: keys.id } add n 1",
        vec![put(json!({"id": {"S": "a"}})), json!({"AdvanceClock": {"Seconds": 300}}), scan("Items")],
    );
    // Not stopped at AWS's 16 (it has no detection for loops through DynamoDB): one invocation
    // per 250 ms poll slot until the guard holds the 1,001st back, at T0+250.25 s.
    assert_eq!(out["invocations"].as_array().unwrap().len(), 1000);
    assert_eq!(last_scan(&out)[0]["n"], json!({"N": "1000"}));
    let pauses = out["loopGuard"].as_array().expect("the guard's pause is reported");
    assert_eq!(
        (pauses.len(), pauses[0]["Invocation"].as_u64(), pauses[0]["Limit"].as_u64()),
        (1, Some(1001), Some(1000))
    );
    let readme = readme();
    assert!(readme.contains("AWS does not stop such a loop"));
    assert!(readme.contains("before its 1,001st invocation"));

    let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Items/stream/2026-01-01T00:00:00.000";
    let out = lab(
        "NEW_IMAGE",
        "",
        vec![
            put(json!({"id": {"S": "a"}})),
            json!({"AdvanceClock": {"Seconds": 4 * 3600 - 1}}),
            put(json!({"id": {"S": "b"}})),
            json!({"AdvanceClock": {"Seconds": 2}}),
            put(json!({"id": {"S": "c"}})),
            json!({"DescribeStream": {"StreamArn": arn}}),
            // With the lab's last second: 24 h and 1 s after a was written.
            json!({"AdvanceClock": {"Seconds": 20 * 3600 - 1}}),
        ],
    );
    let d = out["results"].as_array().unwrap().iter().find(|r| r["action"] == "DescribeStream").unwrap();
    let shards = d["response"]["StreamDescription"]["Shards"].as_array().unwrap();
    assert_eq!(shards.len(), 2, "one roll-over at 4 h: {shards:?}");
    assert_eq!(shards[1]["ParentShardId"], shards[0]["ShardId"]);
    // a is trimmed at 24 h; b (before the roll-over) and c (after it) are not.
    let recs = all_records(&out);
    let keys: Vec<&str> = recs.iter().map(|r| r["dynamodb"]["Keys"]["id"]["S"].as_str().unwrap()).collect();
    assert_eq!(keys, ["b", "c"]);

    // "a disabled stream disappears 24 hours after".
    let disable = json!({"UpdateTable": {"TableName": "Items", "StreamSpecification": {"StreamEnabled": false}}});
    let out = lab(
        "NEW_IMAGE",
        "",
        vec![
            disable,
            json!({"AdvanceClock": {"Seconds": 24 * 3600 - 2}}),
            json!({"ListStreams": {}}),
            json!({"AdvanceClock": {"Seconds": 2}}),
            json!({"ListStreams": {}}),
        ],
    );
    let lists: Vec<usize> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "ListStreams")
        .map(|r| r["response"]["Streams"].as_array().unwrap().len())
        .collect();
    assert_eq!(lists, [1, 0]);
}

// ---- docs/teaching.md -------------------------------------------------------------------------

fn records_at(s: &streamlab::Session) -> Vec<Value> {
    s.engine()
        .streams_output()
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|st| st["Records"].as_array().unwrap().clone())
        .collect()
}

/// "A complete lesson": it passes every check `cargo test --test suite teaching::` makes of a
/// shipped lesson (so it can be added to www/lessons as the guide says), its index line is valid,
/// and what its steps say to watch is what the engine shows.
#[test]
fn teaching_lesson_example_is_a_valid_lesson() {
    let md = teaching();
    let sec = section(&md, "### A complete lesson");
    let text = &blocks(sec, "json")[0];
    let l = lesson::parse(text).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        (4..=8).contains(&l.steps.len()),
        "{} steps: `cargo test --test suite teaching::` wants 4 to 8 in a shipped lesson",
        l.steps.len()
    );
    assert!(share::lesson_fragment(&l.id).is_some());
    let (code, stdout, stderr) = replay_stdin(l.scenario_json.to_string());
    assert_eq!(code, 0, "{stderr}");
    assert!(failed_steps(&json_of(&stdout)).is_empty());

    let line = between(sec, "Then add it to `www/lessons/index.json`: ", "`", "`");
    let index = lesson::parse_index(&format!("{{\"format\": 1, \"lessons\": [{line}]}}")).unwrap();
    assert_eq!(
        (index[0].id.as_str(), index[0].title.as_str()),
        (l.id.as_str(), l.title.as_str()),
        "the title must be the lesson's"
    );

    // The narration: an empty stream; one INSERT with a NewImage; still one record after the
    // identical put; a MODIFY with the new image only (NEW_IMAGE stream).
    let recs: Vec<Vec<Value>> = (0..l.steps.len()).map(|i| records_at(&l.session_at(i).unwrap())).collect();
    assert!(recs[0].is_empty());
    assert_eq!(recs[1].len(), 1);
    assert_eq!(recs[1][0]["eventName"], "INSERT");
    assert!(recs[1][0]["dynamodb"].get("NewImage").is_some());
    assert_eq!(recs[2].len(), 1, "the very same item writes no record");
    let last = recs[3].last().unwrap();
    assert_eq!((recs[3].len(), &last["eventName"]), (2, &json!("MODIFY")));
    assert!(last["dynamodb"].get("NewImage").is_some() && last["dynamodb"].get("OldImage").is_none());
    // The question of step 1 is asked before the vote, and its answer is right.
    assert!(records_at(&l.session_before(1).unwrap()).is_empty());
    let q = l.steps[1].question.as_ref().unwrap();
    assert_eq!(q.options[q.answer], "One INSERT record");
    assert_eq!(l.playground_session().unwrap().steps().len(), l.scenario.steps.len());
}

/// "A complete bank": valid, "One question of three kinds", each answer checked by the engine
/// for 8 seeds, its index line valid; and "The grading engine" as described.
#[test]
fn teaching_bank_example_grades_as_described() {
    let md = teaching();
    let sec = section(&md, "### A complete bank");
    let b = quiz::parse(&blocks(sec, "json")[0]).unwrap_or_else(|e| panic!("{e}"));
    let mut kinds: Vec<&str> = b.questions.iter().map(|q| q.kind.as_str()).collect();
    kinds.dedup();
    assert_eq!((b.questions.len(), kinds.len()), (3, 3), "{}", b.description);
    for q in &b.questions {
        for seed in [0u64, 1, 2, 3, 7, 42, 1234, 99_999] {
            quiz::verify(&quiz::instantiate(q, seed).unwrap()).unwrap_or_else(|e| panic!("{} seed {seed}: {e}", q.id));
        }
    }
    let line = between(sec, "Add it to `www/quizzes/index.json`: ", "`", "`");
    let index = quiz::parse_index(&format!("{{\"format\": 1, \"banks\": [{line}]}}")).unwrap();
    assert_eq!((index[0].id.as_str(), index[0].title.as_str()), (b.id.as_str(), b.title.as_str()));

    // Practice: feedback at once, with every option's note; the answer is final.
    let mut p = quiz::Quiz::start(&b, quiz::Mode::Practice, 9);
    let wrong = (0..p.questions()[0].options.len()).find(|k| !p.questions()[0].correct.contains(k)).unwrap();
    let fb = p.answer(0, &[wrong]).unwrap().expect("practice gives feedback");
    assert!(!fb.correct);
    assert_eq!(fb.correct_options, p.questions()[0].correct);
    assert_eq!(fb.option_notes.len(), p.questions()[0].options.len());
    assert!(fb.option_notes.iter().any(Option::is_some));
    assert!(p.answer(0, &p.questions()[0].correct.clone()).is_err(), "the answer is final");
    assert!(p.answer(1, &[0, 1]).is_err(), "exactly one option for a single-choice kind");
    // Exam: nothing until finish(); answers can change.
    let mut e = quiz::Quiz::start(&b, quiz::Mode::Exam, 9);
    assert_eq!(e.answer(0, &[wrong]).unwrap(), None);
    assert_eq!(e.answer(0, &e.questions()[0].correct.clone()).unwrap(), None);
    let s = e.finish();
    assert_eq!((s.correct, s.answered, s.total), (1, 1, 3));
    let t = e.summary_text();
    for want in [b.id.as_str(), "exam", "seed 9", "Score: 1/3", "retention"] {
        assert!(t.contains(want), "{want:?} in {t}");
    }
    // The seed rebuilds the same questions.
    assert_eq!(quiz::Quiz::start(&b, quiz::Mode::Exam, 9).questions(), e.questions());
}

/// "Parameters": each form of the table (copied, as the table writes them with placeholders),
/// and the substitution rules.
#[test]
fn teaching_parameter_forms() {
    let bank = json!({"format": 1, "id": "params", "title": "P", "description": "d", "questions": [
        {"id": "p", "kind": "rule-output", "prompt": "{{a}} and {{b}} by {{who}}, not {{other}}; {{s}} {{d}}; {{x",
         "explanation": "e",
         "params": {"a": {"int": [1, 9]}, "b": {"int": [1, 9]}, "who": {"oneOf": ["ana", "ben"]},
                    "other": {"oneOf": ["ana", "ben"], "notEqual": ["who"]}, "s": {"sum": ["a", "b", 3]}, "d": {"diff": ["a", "b"]}},
         "scenario": {"steps": [
            {"CreateTable": {"TableName": "Items", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
              "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}},
            {"CreateFunction": {"FunctionName": "f", "Code": "on INSERT\n  sum total of n\n  notify \"#c\" \"{{ literal }}\""}},
            {"CreateEventSourceMapping": {"FunctionName": "f", "TableName": "Items", "StartingPosition": "TRIM_HORIZON"}},
            {"PutItem": {"TableName": "Items", "Item": {"id": {"S": "{{who}}"}, "n": {"N": "{{s}}"}}}},
            {"AdvanceClock": {"Seconds": "{{a}}"}}]},
         "output": "aggregates",
         "options": [{"text": "{{s}}", "value": {"total": {"*": "{{s}}"}}}, {"text": "none", "value": {}}],
         "answer": 0}
    ]});
    let b = quiz::parse(&bank.to_string()).unwrap_or_else(|e| panic!("{e}"));
    for seed in 0..8 {
        let q = quiz::instantiate(&b.questions[0], seed).unwrap();
        let p = |k: &str| q.params.iter().find(|(n, _)| n == k).unwrap().1.clone();
        let (a, bb) = (p("a").as_i64().unwrap(), p("b").as_i64().unwrap());
        assert!((1..=9).contains(&a) && (1..=9).contains(&bb));
        assert_ne!(p("who"), p("other"));
        assert_eq!(p("s"), json!(a + bb + 3));
        assert_eq!(p("d"), json!(a - bb));
        assert_eq!(
            q.prompt,
            format!(
                "{a} and {bb} by {}, not {}; {} {}; {{{{x",
                p("who").as_str().unwrap(),
                p("other").as_str().unwrap(),
                a + bb + 3,
                a - bb
            )
        );
        let steps = &q.scenario.as_ref().unwrap()["steps"];
        assert_eq!(steps[4]["AdvanceClock"]["Seconds"], json!(a), "a number inside a scenario");
        assert_eq!(
            steps[3]["PutItem"]["Item"]["n"]["N"],
            json!((a + bb + 3).to_string()),
            "{{\"N\": \"{{{{n}}}}\"}} stays a string"
        );
        assert_eq!(
            steps[1]["CreateFunction"]["Code"],
            json!("on INSERT\n  sum total of n\n  notify \"#c\" \"{{ literal }}\"")
        );
        quiz::verify(&q).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    }
}

/// The "Shipped lessons" and "Shipped banks" tables list exactly the files under www/, with
/// their level, number of steps or questions, and kinds.
#[test]
fn teaching_shipped_tables_match_the_files() {
    let md = teaching();
    let rows = |heading: &str| -> Vec<Vec<String>> {
        section(&md, heading)
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(|l| l.trim_matches('|').split('|').map(|c| c.trim().trim_matches('`').to_string()).collect())
            .collect()
    };
    let files = |dir: &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json") && p.file_stem().is_some_and(|s| s != "index"))
            .map(|p| (p.file_stem().unwrap().to_string_lossy().into(), std::fs::read_to_string(&p).unwrap()))
            .collect();
        v.sort();
        v
    };
    let lessons = rows("### Shipped lessons");
    let mut ids: Vec<&str> = lessons.iter().map(|r| r[0].as_str()).collect();
    ids.sort();
    assert_eq!(ids, files("www/lessons").iter().map(|f| f.0.as_str()).collect::<Vec<_>>());
    for (id, text) in files("www/lessons") {
        let l = lesson::parse(&text).unwrap();
        let row = lessons.iter().find(|r| r[0] == id).unwrap();
        assert_eq!(row[1], l.level, "{id}");
        assert_eq!(row[2].split(':').next().unwrap(), l.steps.len().to_string(), "{id}");
    }
    let banks = rows("### Shipped banks");
    let mut ids: Vec<&str> = banks.iter().map(|r| r[0].as_str()).collect();
    ids.sort();
    assert_eq!(ids, files("www/quizzes").iter().map(|f| f.0.as_str()).collect::<Vec<_>>());
    for (id, text) in files("www/quizzes") {
        let b = quiz::parse(&text).unwrap();
        let row = banks.iter().find(|r| r[0] == id).unwrap();
        assert_eq!(row[1], b.questions.len().to_string(), "{id}");
        let mut kinds: Vec<&str> = b.questions.iter().map(|q| q.kind.as_str()).collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(row[2], kinds.join(", "), "{id}");
    }
}

/// Every shipped lesson's scenario replays with `streamlab replay -` from standard input (as the
/// README shows, `jq .scenario LESSON | streamlab replay -`), failing only where it says; a
/// whole lesson file is not a scenario.
#[test]
fn every_shipped_lesson_scenario_replays_on_the_command_line() {
    let md = readme();
    let cmds = blocks(section(&md, "### Write a lesson or a quiz bank"), "sh").concat();
    assert!(cmds.contains("cargo test --test suite teaching::") && root().join("tests/suite/teaching.rs").exists());
    let jq = cmds.lines().find(|l| l.starts_with("jq .scenario www/lessons/")).expect("the jq line");
    assert!(jq.split('#').next().unwrap().trim_end().ends_with("replay -"), "{jq}");
    let (code, stdout, _) = replay_file(&root().join("www/lessons/triggers.json"));
    assert_eq!((code, stdout.as_str()), (1, ""), "a lesson file is rejected");
    let mut n = 0;
    for e in std::fs::read_dir(root().join("www/lessons")).unwrap() {
        let p = e.unwrap().path();
        if p.file_stem().is_some_and(|s| s == "index") || p.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let l = lesson::parse(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let (code, stdout, stderr) = replay_stdin(l.scenario_json.to_string());
        assert_eq!(code, 0, "{}: {stderr}", l.id);
        let failed: Vec<(u64, String)> = failed_steps(&json_of(&stdout))
            .iter()
            .map(|r| (r["step"].as_u64().unwrap(), r["error"]["type"].as_str().unwrap().to_string()))
            .collect();
        let expected: Vec<(u64, String)> =
            l.expected_errors.iter().map(|e| (e.step as u64, e.error_type.clone())).collect();
        assert_eq!(failed, expected, "{}", l.id);
        n += 1;
    }
    assert!(n >= 10);
}

/// The links both documents show: each `#lesson=` and `#quiz=` names a shipped file, options
/// and limits as "Links" says.
#[test]
fn documented_links_open_what_they_say() {
    let text = format!("{}\n{}", readme(), teaching());
    let mut seen = 0;
    for (kind, dir) in [("lesson", "www/lessons"), ("quiz", "www/quizzes")] {
        for (i, _) in text.match_indices(&format!("#{kind}=")) {
            let frag: String =
                text[i..].chars().take_while(|c| !matches!(c, '`' | ' ' | '"' | '|' | ')' | '\n')).collect();
            let (target, _) = share::decode_link(&frag).unwrap_or_else(|e| panic!("{frag}: {e}"));
            let name = match target {
                share::Target::Lesson(n) | share::Target::Quiz(n) => n,
                share::Target::State(_) => unreachable!(),
            };
            assert!(root().join(dir).join(format!("{name}.json")).exists(), "{frag}: no {dir}/{name}.json");
            seen += 1;
        }
    }
    assert!(seen >= 6, "{seen} links");
    assert_eq!(share::lesson_fragment("view-types").as_deref(), Some("lesson=view-types"));
    assert_eq!(share::quiz_fragment("filters").as_deref(), Some("quiz=filters"));
    let (_, o) = share::decode_link("#quiz=filters&seed=42").unwrap();
    assert_eq!(o.seed, Some(42));
    assert_eq!(share::decode_link("#quiz=filters&seed=1000000000000").unwrap().1.seed, Some(1_000_000_000_000));
    for bad in ["#quiz=filters&seed=1000000000001", "#quiz=filters&colour=red", "#lesson=../x", "#lesson=Retries"] {
        assert!(share::decode_link(bad).is_err(), "{bad}");
    }
    assert!(share::decode_link("#lesson=retries&embed=1").unwrap().1.embed);
    assert!(
        matches!(share::decode_fragment("quiz=filters"), Ok(share::Target::Quiz(n)) if n == "filters"),
        "with or without #"
    );
    assert!(share::decode_fragment(&format!("#lesson={}", "a".repeat(64))).is_ok());
    assert!(share::decode_fragment(&format!("#lesson={}", "a".repeat(65))).is_err(), "names are 1 to 64 characters");
    assert!(share::embed_query("?embed=1"));
    // #s=: the session's scenario; a link that unpacks past 2 MB is refused with a message.
    let s = streamlab::Session::from_scenario_text(&read("tests/scenarios/votes.json")).unwrap();
    let frag = share::encode_state(&s);
    let share::Target::State(p) = share::decode_fragment(&frag).unwrap() else { panic!("not a state") };
    assert_eq!(share::open_state(&p).unwrap().to_scenario_json(), s.to_scenario_json());
    let bomb = share::encode_scenario_text(&" ".repeat(3 << 20));
    let share::Target::State(p) = share::decode_fragment(&format!("#s={bomb}")).unwrap() else { panic!("not a state") };
    assert!(share::open_state(&p).is_err());
    assert!(share::decode_fragment(&format!("#s={}", "A".repeat((1 << 20) + 1))).is_err(), "more than 1 MB of text");
}

/// "Kinds, and how each answer is checked", `record`: "an image left out must be absent from the
/// real record", and "a `record` question's last step may fail" (a failed condition writes
/// nothing). Copied in the shape of the guide's bank example.
#[test]
fn teaching_record_questions_as_described() {
    let table = json!({"CreateTable": {"TableName": "Carts", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}});
    let item = json!({"id": {"S": "ana"}, "qty": {"N": "2"}});
    let q = |last: Value, options: Value, answer: usize| {
        let bank = json!({"format": 1, "id": "b", "title": "B", "description": "d", "questions": [
            {"id": "q", "kind": "record", "prompt": "p", "explanation": "e", "answer": answer, "options": options,
             "scenario": {"steps": [table, {"PutItem": {"TableName": "Carts", "Item": item}}, last]}}]});
        let b = quiz::parse(&bank.to_string()).unwrap_or_else(|e| panic!("{e}"));
        quiz::verify(&quiz::instantiate(&b.questions[0], 0).unwrap())
    };
    let delete = json!({"DeleteItem": {"TableName": "Carts", "Key": {"id": {"S": "ana"}}}});
    let keys_only =
        json!({"text": "Keys only", "record": {"eventName": "REMOVE", "dynamodb": {"Keys": {"id": {"S": "ana"}}}}});
    let with_old = json!({"text": "With OldImage", "record": {"eventName": "REMOVE", "dynamodb": {"Keys": {"id": {"S": "ana"}}, "OldImage": item}}});
    let none = json!({"text": "No record", "record": null});
    q(delete.clone(), json!([keys_only, with_old, none]), 1).unwrap();
    assert!(q(delete, json!([keys_only, with_old, none]), 0).is_err(), "an image left out must be absent");
    let failing = json!({"DeleteItem": {"TableName": "Carts", "Key": {"id": {"S": "ana"}}, "ConditionExpression": "qty > :n",
        "ExpressionAttributeValues": {":n": {"N": "5"}}}});
    q(failing, json!([keys_only, with_old, none]), 2).unwrap();
}

/// README, Conditions: "Literals: `"text"`, `42`, `-1.5`, `true`, `false`, `null`" (read from
/// the README), each compared with an attribute of that type.
#[test]
fn readme_condition_literals() {
    let md = readme();
    let sec = section(&md, RULES);
    let line = prose(sec).split("Literals: ").nth(1).unwrap().split(". ").next().unwrap().to_string();
    let literals: Vec<&str> = code_spans(&line);
    assert_eq!(literals.len(), 6, "{line}");
    let attr = |lit: &str| match lit {
        "true" | "false" => json!({"BOOL": lit == "true"}),
        "null" => json!({"NULL": true}),
        l if l.starts_with('"') => json!({"S": l.trim_matches('"')}),
        l => json!({"N": l}),
    };
    let mut item = json!({"id": {"S": "a"}});
    let mut code = String::new();
    for (i, lit) in literals.iter().enumerate() {
        item[format!("a{i}")] = attr(lit);
        code.push_str(&format!(
            "on INSERT when new.a{i} = {lit} and not (new.missing != {lit})\n  notify \"#c\" \"{i}\"\n"
        ));
    }
    let out = lab("NEW_IMAGE", &code, vec![put(item)]);
    assert_eq!(messages(&out), ["0", "1", "2", "3", "4", "5"], "{code}");
}

/// teaching.md, The grading engine: `answer(i, &[k])` takes "any number, none included, for
/// `filter` and `retention`".
#[test]
fn teaching_multi_choice_answers_may_be_empty() {
    for id in ["filters", "retention"] {
        let b = quiz::parse(&read(&format!("www/quizzes/{id}.json"))).unwrap();
        let mut q = quiz::Quiz::start(&b, quiz::Mode::Exam, 3);
        for i in 0..q.questions().len() {
            assert!(q.questions()[i].multi);
            assert_eq!(q.answer(i, &[]).unwrap(), None, "{id} question {i}");
            let all: Vec<usize> = (0..q.questions()[i].options.len()).collect();
            q.answer(i, &all).unwrap();
        }
    }
}

#[test]
fn the_guide_examples_are_valid() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/teaching.md"))
        .expect("docs/teaching.md");
    let blocks: Vec<&str> = doc.split("```json").skip(1).filter_map(|b| b.split("```").next()).collect();
    let lesson = blocks.iter().find(|b| b.contains("\"playground\"")).expect("a lesson example");
    let l = lesson::parse(lesson).unwrap_or_else(|e| panic!("lesson example: {e}"));
    lesson::verify(&l).unwrap_or_else(|e| panic!("lesson example: {e}"));
    assert!(
        l.steps.iter().any(|s| s.question.as_ref().is_some_and(|q| q.check.is_some())),
        "the example shows a check"
    );
    assert!(scenario::replay(&l.scenario_json.to_string()).unwrap()["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["ok"] == true));
    let bank = blocks.iter().find(|b| b.contains("\"questions\"")).expect("a bank example");
    let b = quiz::parse(bank).unwrap_or_else(|e| panic!("bank example: {e}"));
    for q in &b.questions {
        for seed in 0..4 {
            quiz::verify(&quiz::instantiate(q, seed).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", q.id));
        }
    }
}
