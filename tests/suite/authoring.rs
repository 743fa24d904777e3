//! A course author's mistakes in quiz-bank and lesson files (docs/teaching.md describes the
//! formats): each is refused when the file is read, or named when the engine contradicts it, with
//! a sentence saying which question or step and which field, as `streamlab check` and the Author
//! view print them. The messages are the simulator's own wording (not AWS's); each test checks
//! what the message must name. Every file starts from a shipped one, with one thing changed.

use std::ffi::OsStr;
use std::path::Path;

use serde_json::{json, Value};
use streamlab::{check, lesson, quiz};

use crate::common::cli::{run, write_temp};
use crate::common::shard_heavy_scenario;

fn read(kind: &str, file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("www").join(kind).join(file);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A bank of `file` holding only its question `id`: the bank's own goals and fields kept.
fn one_question(file: &str, id: &str) -> Value {
    let mut bank = read("quizzes", file);
    let q = bank["questions"].as_array().unwrap().iter().find(|q| q["id"] == id).unwrap().clone();
    bank["questions"] = json!([q]);
    bank
}

/// `quiz::parse` of `bank` changed by `change`: its error, which must exist.
fn refused(bank: &Value, change: impl Fn(&mut Value)) -> String {
    let mut v = bank.clone();
    change(&mut v);
    match quiz::parse(&v.to_string()) {
        Ok(_) => panic!("accepted: {}", v["questions"][0]),
        Err(e) => e.to_string(),
    }
}

/// The engine's verdict on the bank's first question once parsed (seed 0): its error.
fn contradicted(bank: &Value, change: impl Fn(&mut Value)) -> String {
    let mut v = bank.clone();
    change(&mut v);
    let b = quiz::parse(&v.to_string()).unwrap_or_else(|e| panic!("refused: {e}"));
    let inst = quiz::instantiate(&b.questions[0], 0).unwrap();
    quiz::verify(&inst).map(|_| "accepted".to_string()).unwrap_or_else(|e| e.to_string())
}

fn has(got: &str, want: &str) {
    assert!(got.contains(want), "{got:?} should contain {want:?}");
}

#[test]
fn a_bank_file_with_a_mistake_names_the_field() {
    let choice = one_question("basics.json", "retention");
    assert!(quiz::parse(&choice.to_string()).is_ok());
    has(
        &refused(&choice, |v| v["format"] = 2.into()),
        "field \"format\" is 2; this version of StreamLab reads bank format 1",
    );
    has(&refused(&choice, |v| v["questions"] = json!([])), "field \"questions\" must have 1 to 200 questions");
    has(&refused(&choice, |v| v["level"] = "expert".into()), "field \"level\" must be one of: ");
    has(
        &refused(&choice, |v| {
            v.as_object_mut().unwrap().remove("format");
        }),
        "field \"format\" must be 1",
    );
    let q0 = "question 0 (\"retention\"): ";
    has(
        &refused(&choice, |v| v["questions"][0]["goal"] = "nope".into()),
        &format!("{q0}field \"goal\": \"nope\" is not one of the bank's goals"),
    );
    has(&refused(&choice, |v| v["questions"][0]["shuffle"] = "yes".into()), "field \"shuffle\" must be true or false");
    has(
        &refused(&choice, |v| v["questions"][0]["options"] = json!([{"text": "24 hours"}])),
        "field \"options\" must have 2 to 8 options",
    );
    has(
        &refused(&choice, |v| v["questions"][0]["options"][1]["text"] = "24 hours".into()),
        "field \"options\", item 1: the same text as another option",
    );
    // Parameters: their number, names and forms.
    let params = |p: Value| move |v: &mut Value| v["questions"][0]["params"] = p.clone();
    let many: serde_json::Map<String, Value> = (0..40).map(|i| (format!("p{i}"), json!({"int": [1, 2]}))).collect();
    has(&refused(&choice, params(Value::Object(many))), "field \"params\" has more than");
    has(&refused(&choice, params(json!({"a-b": {"int": [1, 2]}}))), "a parameter name must be letters, digits and _");
    has(
        &refused(&choice, params(json!({"a": {"int": [1, 2], "oneOf": ["x"]}}))),
        "give exactly one of int, oneOf, sum, diff",
    );
    has(
        &refused(&choice, params(json!({"a": {"int": [5, 2]}}))),
        "\"int\" must be [low, high], whole numbers with low <= high",
    );
    has(
        &refused(&choice, params(json!({"a": {"oneOf": []}}))),
        "\"oneOf\" must be a list of 1 to 100 strings or whole numbers",
    );
    has(
        &refused(&choice, |v| v["questions"][0]["prompt"] = " ".into()),
        &format!("{q0}field \"prompt\" must not be empty"),
    );
    has(
        &refused(&choice, |v| v["questions"][0]["prompt"] = 5.into()),
        &format!("{q0}field \"prompt\" must be a string"),
    );
    let no_answer = refused(&choice, |v| {
        v["questions"][0].as_object_mut().unwrap().remove("answer");
    });
    has(&no_answer, &format!("{q0}field \"answer\" is missing"));
    has(
        &refused(&choice, |v| v["questions"][0]["answer"] = "0".into()),
        &format!("{q0}field \"answer\" must be a whole number counted from 0"),
    );
}

#[test]
fn each_question_kind_refuses_its_own_mistakes() {
    // Records: a record per option, or null for "no record".
    let record = one_question("idempotency-loops.json", "noop-write");
    assert!(quiz::parse(&record.to_string()).is_ok());
    has(
        &refused(&record, |v| {
            v["questions"][0]["options"][0].as_object_mut().unwrap().remove("record");
        }),
        "field \"options\", item 0: field \"record\" is missing (a record, or null for no record)",
    );
    has(
        &refused(&record, |v| v["questions"][0]["options"][0]["record"] = json!({"eventName": "INSERT"})),
        "field \"options\", item 0: field \"record\" must be null or {\"eventName\": ..., \"dynamodb\": {\"Keys\": ...}}",
    );
    // Retention (and filter): the records' labels and the indexes of those left.
    let retention = one_question("retention.json", "half-day");
    assert!(quiz::parse(&retention.to_string()).is_ok());
    has(
        &refused(&retention, |v| {
            v["questions"][0].as_object_mut().unwrap().remove("records");
        }),
        "field \"records\" is missing",
    );
    has(
        &refused(&retention, |v| v["questions"][0]["records"][1] = "".into()),
        "field \"records\", item 1: must be a non-empty string",
    );
    has(
        &refused(&retention, |v| {
            v["questions"][0]["records"] = json!((0..9).map(|i| format!("r-{i}")).collect::<Vec<_>>())
        }),
        "field \"records\" has more than 8 records",
    );
    has(
        &refused(&retention, |v| v["questions"][0]["answer"] = json!([9])),
        "field \"answer\": 9 is not a record index (0 to 1) or is listed twice",
    );
    // Rule output: which output the options give.
    let rule = one_question("rules.json", "tally-both");
    assert!(quiz::parse(&rule.to_string()).is_ok());
    has(
        &refused(&rule, |v| v["questions"][0]["output"] = "logs".into()),
        "field \"output\" must be \"aggregates\" or \"notifications\"",
    );
    // Multiple response: each option at most once.
    let multi = one_question("batching.json", "window-effects");
    assert!(quiz::parse(&multi.to_string()).is_ok());
    has(&refused(&multi, |v| v["questions"][0]["answer"] = json!([0, 0])), "field \"answer\"");
    // Ordering: 2 to 8 items, each text once.
    let ordering = one_question("batching.json", "retries-used-up");
    assert!(quiz::parse(&ordering.to_string()).is_ok());
    has(
        &refused(&ordering, |v| {
            let first = v["questions"][0]["items"][0].clone();
            v["questions"][0]["items"] = json!([first]);
        }),
        "field \"items\" must have 2 to 8 items",
    );
    has(
        &refused(&ordering, |v| v["questions"][0]["items"][1]["text"] = v["questions"][0]["items"][0]["text"].clone()),
        "field \"items\", item 1: the same text as another item",
    );
    // Matching: 2 to 8 pairs, items and matches each once, an extra match not a pair's.
    let matching = one_question("batching.json", "settings-effects");
    assert!(quiz::parse(&matching.to_string()).is_ok());
    has(
        &refused(&matching, |v| {
            let first = v["questions"][0]["pairs"][0].clone();
            v["questions"][0]["pairs"] = json!([first]);
        }),
        "field \"pairs\" must have 2 to 8 pairs",
    );
    has(
        &refused(&matching, |v| v["questions"][0]["pairs"][1]["item"] = v["questions"][0]["pairs"][0]["item"].clone()),
        "field \"pairs\", item 1: the same item as another pair",
    );
    has(
        &refused(&matching, |v| {
            v["questions"][0]["pairs"][1]["match"] = v["questions"][0]["pairs"][0]["match"].clone()
        }),
        "field \"pairs\", item 1: the same match as another pair (each item has its own)",
    );
    let first_match = matching["questions"][0]["pairs"][0]["match"].as_str().unwrap().to_string();
    has(
        &refused(&matching, |v| v["questions"][0]["extra"] = json!([{"text": first_match}])),
        &format!("field \"extra\": \"{first_match}\" is also a pair's match"),
    );
    // A record question needs its scenario, of 1 to 200 steps.
    has(
        &refused(&record, |v| {
            v["questions"][0].as_object_mut().unwrap().remove("scenario");
        }),
        "field \"scenario\" is missing (a record question is about a scenario)",
    );
    has(
        &refused(&record, |v| v["questions"][0]["scenario"]["steps"] = json!([])),
        "field \"scenario\": a question's scenario has 1 to 200 steps",
    );
    // Notes: one per record.
    has(
        &refused(&retention, |v| v["questions"][0]["records"] = json!(["r-1", "r-2", "r-3"])),
        "field \"notes\" must have one note per record (3 records, 2 notes)",
    );
    // A filter question's patterns are JSON objects.
    let filter = one_question("filters.json", "event-names");
    assert!(quiz::parse(&filter.to_string()).is_ok());
    has(
        &refused(&filter, |v| v["questions"][0]["filter"] = json!(["eventName"])),
        "field \"filter\": every pattern must be a JSON object",
    );
    // A rule-output option's value is of the output's kind.
    has(
        &refused(&rule, |v| v["questions"][0]["options"][0]["value"] = json!(["a message"])),
        "field \"options\", item 0: field \"value\" must be an aggregates object",
    );
    // Multiple response: at least 2 options, and fewer than all.
    has(
        &refused(&multi, |v| v["questions"][0]["answer"] = json!([0])),
        "field \"answer\" must list at least 2 options, and fewer than all of them",
    );
    // Matching: at most 8 matches, pairs and extras together.
    has(
        &refused(&matching, |v| {
            v["questions"][0]["extra"] =
                json!((0..8).map(|i| json!({"text": format!("decoy {i}")})).collect::<Vec<_>>())
        }),
        "field \"pairs\" and \"extra\" have more than 8 matches in all",
    );
    // Parameters: notEqual draws from oneOf.
    has(
        &refused(&choice_with_params(), |v| {
            v["questions"][0]["params"]["b"] = json!({"int": [1, 3], "notEqual": ["a"]})
        }),
        "\"notEqual\" goes with \"oneOf\" and lists parameters declared before it",
    );
}

fn choice_with_params() -> Value {
    let mut b = one_question("basics.json", "retention");
    b["questions"][0]["params"] = json!({"a": {"oneOf": ["x", "y"]}});
    assert!(quiz::parse(&b.to_string()).is_ok());
    b
}

/// An answer the engine's replay contradicts is named with what the engine did, for each kind
/// whose key is checked by running its scenario.
#[test]
fn an_answer_the_engine_contradicts_names_what_the_engine_did() {
    let view = one_question("view-types.json", "chat-new-message");
    assert_eq!(contradicted(&view, |_| {}), "accepted");
    has(
        &contradicted(&view, |v| v["questions"][0]["answer"] = "NEW_AND_OLD_IMAGES".into()),
        "the engine says the smallest view type carrying [\"new image on INSERT\"] is NEW_IMAGE, not Some(\"NEW_AND_OLD_IMAGES\")",
    );

    let record = one_question("idempotency-loops.json", "noop-write");
    assert_eq!(contradicted(&record, |_| {}), "accepted");
    let right = record["questions"][0]["answer"].as_u64().unwrap();
    has(&contradicted(&record, |v| v["questions"][0]["answer"] = ((right + 1) % 2).into()), "is marked");

    // A record question asks about the record its last step makes: one at most.
    has(
        &contradicted(&record, |v| {
            let table = v["questions"][0]["scenario"]["steps"][0]["CreateTable"]["TableName"].clone();
            let put = |id: &str| json!({"PutRequest": {"Item": {"id": {"S": id}}}});
            let batch =
                json!({"BatchWriteItem": {"RequestItems": {table.as_str().unwrap(): [put("z-1"), put("z-2")]}}});
            v["questions"][0]["scenario"]["steps"].as_array_mut().unwrap().push(batch);
        }),
        "the last step made 2 records; a record question needs at most one",
    );
    let failing = |v: &mut Value| {
        let steps = v["questions"][0]["scenario"]["steps"].as_array_mut().unwrap();
        steps.insert(1, json!({"PutItem": {"TableName": "Nope", "Item": {"id": {"S": "x"}}}}));
    };
    has(&contradicted(&record, failing), "step 1 (PutItem) failed: ResourceNotFoundException");
    let rule_q = one_question("rules.json", "tally-both");
    has(&contradicted(&rule_q, failing), "step 1 (PutItem) failed: ResourceNotFoundException");

    let retention = one_question("retention.json", "half-day");
    assert_eq!(contradicted(&retention, |_| {}), "accepted");
    has(
        &contradicted(&retention, |v| v["questions"][0]["answer"] = json!([0, 1])),
        "the engine gives records [1], the answer says [0, 1]",
    );
    has(
        &contradicted(&retention, |v| {
            v["questions"][0]["records"] = json!(["r-1", "r-2", "r-3"]);
            v["questions"][0].as_object_mut().unwrap().remove("notes");
        }),
        "the scenario makes 2 records but the question labels 3",
    );
    // A step of the scenario that fails (a table never created) is named before any answer.
    has(
        &contradicted(&retention, |v| {
            let steps = v["questions"][0]["scenario"]["steps"].as_array_mut().unwrap();
            steps.insert(1, json!({"PutItem": {"TableName": "Nope", "Item": {"id": {"S": "x"}}}}));
        }),
        "step 1 (PutItem) failed: ResourceNotFoundException",
    );

    let rule = one_question("rules.json", "tally-both");
    assert_eq!(contradicted(&rule, |_| {}), "accepted");
    let right = rule["questions"][0]["answer"].as_u64().unwrap();
    has(
        &contradicted(&rule, |v| v["questions"][0]["answer"] = ((right + 1) % 2).into()),
        // a and b vote tea, then a changes to coffee: one each.
        &format!(
            "option {right} is marked wrong but the engine's aggregates are {{\"votes\":{{\"coffee\":1,\"tea\":1}}}}"
        ),
    );
}

/// A lesson step's `check` the engine contradicts: the aggregates, an item, the records
/// delivered and those the function reported failed, each named with both values.
#[test]
fn a_lesson_check_the_engine_contradicts_names_both_values() {
    let verdict = |file: &str, change: &dyn Fn(&mut Value)| {
        let mut v = read("lessons", file);
        change(&mut v);
        let l = lesson::parse(&v.to_string()).unwrap_or_else(|e| panic!("refused: {e}"));
        lesson::verify(&l).map(|_| "accepted".to_string()).unwrap_or_else(|e| e.to_string())
    };
    // idempotency.json: the failed batch's step says counted is 2.
    let step = |v: &Value, key: &str| {
        v["steps"].as_array().unwrap().iter().position(|s| s["question"]["check"].get(key).is_some()).unwrap()
    };
    let idem = read("lessons", "idempotency.json");
    let i = step(&idem, "aggregates");
    assert_eq!(verdict("idempotency.json", &|_| {}), "accepted");
    has(
        &verdict("idempotency.json", &|v| v["steps"][i]["question"]["check"]["aggregates"]["counted"]["*"] = 3.into()),
        "aggregate counted[*]: the lesson says 3, the engine has 2",
    );
    has(
        &verdict("idempotency.json", &|v| {
            v["steps"][i]["question"]["check"]["item"] =
                json!({"table": "Payments", "keys": {"id": {"S": "nobody"}}, "exists": true});
        }),
        "the item {\"id\":{\"S\":\"nobody\"}} in Payments: the lesson says it exists, the engine says it does not",
    );
    // filters.json: a step says which records reached the function.
    let filters = read("lessons", "filters.json");
    let d = step(&filters, "delivered");
    assert_eq!(verdict("filters.json", &|_| {}), "accepted");
    has(
        &verdict("filters.json", &|v| {
            v["steps"][d]["question"]["check"]["delivered"][0]["eventName"] = "INSERT".into()
        }),
        "records delivered: the lesson says [",
    );
    has(
        &verdict("filters.json", &|v| {
            v["steps"][d]["question"]["check"]["reported"] = json!([{"keys": {"id": {"S": "o-1"}}}])
        }),
        "records reported failed: the lesson says [{\"id\":{\"S\":\"o-1\"}}], the engine reported []",
    );
}

#[test]
fn a_lesson_file_refuses_bad_check_values_and_question_options() {
    let base = read("lessons", "idempotency.json");
    let i = base["steps"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s["question"]["check"].get("aggregates").is_some())
        .unwrap();
    let err = |change: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        change(&mut v);
        lesson::parse(&v.to_string()).map(|_| "accepted".to_string()).unwrap_or_else(|e| e.to_string())
    };
    assert_eq!(err(&|_| {}), "accepted");
    has(
        &err(&|v| v["steps"][i]["question"]["check"]["aggregates"]["counted"]["*"] = "2".into()),
        "aggregates.counted: every group's value must be a number",
    );
    has(
        &err(&|v| {
            v["steps"][i]["question"]["check"]["delivered"] =
                json!([{"keys": {"id": {"S": "p-1"}}, "eventName": "UPSERT"}])
        }),
        "delivered item 0: eventName must be INSERT, MODIFY or REMOVE",
    );
    has(
        &err(&|v| v["steps"][i]["question"]["options"] = json!(["only one"])),
        "field \"options\" must have 2 to 6 options",
    );
}

/// `check::check_text` (the Author view and `streamlab check`): a text that is no kind of
/// teaching file; a lesson refused when read; a lesson whose planned failures do not happen;
/// a bank with no mastery, said as what an LMS is told.
#[test]
fn check_text_names_what_a_file_is_and_what_it_plans() {
    let v = check::check_text("", "{\"title\": \"x\"}");
    assert_eq!(
        v.problems,
        ["not a lesson (steps and scenario), a quiz bank (questions) or an index.json (lessons or banks)"]
    );
    let mut l = read("lessons", "idempotency.json");
    l["steps"] = json!("none");
    let v = check::check_text("idempotency", &l.to_string());
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    has(&v.problems[0], "field \"steps\"");
    // A planned error the scenario does not make, and one of another type.
    let mut l = read("lessons", "idempotency.json");
    l["expectedErrors"] = json!([{"step": 0, "type": "ValidationException", "why": "to show it"}]);
    let v = check::check_text("idempotency", &l.to_string());
    assert!(
        v.problems.iter().any(|p| p == "scenario step 0 was planned to fail with ValidationException but succeeds"),
        "{:?}",
        v.problems
    );
    let mut l = read("lessons", "idempotency.json");
    // The first table created a second time.
    let table = l["scenario"]["steps"][0]["CreateTable"]["TableName"].clone();
    let again = json!({"CreateTable": l["scenario"]["steps"][0]["CreateTable"].clone()});
    l["scenario"]["steps"].as_array_mut().unwrap().insert(1, again);
    l["expectedErrors"] = json!([{"step": 1, "type": "ValidationException", "why": "to show it"}]);
    for s in l["steps"].as_array_mut().unwrap() {
        if let Some(n) = s["runUntil"].as_i64().filter(|n| *n >= 1) {
            s["runUntil"] = (n + 1).into();
        }
    }
    let v = check::check_text("idempotency", &l.to_string());
    assert!(
        v.problems
            .iter()
            .any(|p| p == "scenario step 1 fails with ResourceInUseException, not the planned ValidationException"),
        "{table}: {:?}",
        v.problems
    );
    // A step of the scenario that fails without being planned.
    let mut l = read("lessons", "idempotency.json");
    let again = json!({"CreateTable": l["scenario"]["steps"][0]["CreateTable"].clone()});
    l["scenario"]["steps"].as_array_mut().unwrap().insert(1, again);
    for s in l["steps"].as_array_mut().unwrap() {
        if let Some(n) = s["runUntil"].as_i64().filter(|n| *n >= 1) {
            s["runUntil"] = (n + 1).into();
        }
    }
    let v = check::check_text("idempotency", &l.to_string());
    assert!(
        v.problems.iter().any(|p| p.starts_with("scenario step 1 (CreateTable) fails: ResourceInUseException: ")
            && p.ends_with("(list it in expectedErrors if it is meant to)")),
        "{:?}",
        v.problems
    );
    // A lesson of 3 steps: lessons are kept to 4-8.
    let mut l = read("lessons", "idempotency.json");
    l["steps"].as_array_mut().unwrap().truncate(3);
    let v = check::check_text("idempotency", &l.to_string());
    assert!(v.problems.contains(&"3 steps; keep a lesson to 4-8".to_string()), "{:?}", v.problems);
    // A bank: refused when read, or an answer the engine contradicts, named by question and seed.
    let mut b = read("quizzes", "view-types.json");
    b["questions"][0]["kind"] = "essay".into();
    let v = check::check_text("view-types", &b.to_string());
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    has(&v.problems[0], "field \"kind\" must be one of: ");
    let mut b = read("quizzes", "view-types.json");
    let id = b["questions"][0]["id"].as_str().unwrap().to_string();
    b["questions"][0]["answer"] = "NEW_AND_OLD_IMAGES".into();
    let v = check::check_text("view-types", &b.to_string());
    assert!(v.problems.iter().any(|p| p.starts_with(&format!("question {id}, seed "))), "{:?}", v.problems);
    // A bank without mastery: an LMS records completion only.
    let mut b = read("quizzes", "basics.json");
    b.as_object_mut().unwrap().remove("mastery");
    assert_eq!(
        check::mastery_note(&quiz::parse(&b.to_string()).unwrap()),
        "no mastery: an LMS is told an exam is completed, not passed or failed"
    );
}

/// `streamlab check` on a file that is not UTF-8 says so, and goes on to the next file.
#[test]
fn check_says_a_file_is_not_text() {
    let bad = write_temp("bad.json", "");
    std::fs::write(&bad, b"{\"format\": 1, \"title\": \"caf\xe9\"}").unwrap();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/quizzes/basics.json");
    let (code, out, err) = run(&[OsStr::new("check"), bad.as_os_str(), good.as_os_str()]);
    assert_eq!((code, err.as_str()), (1, ""));
    has(&out, &format!("FAIL {}: not UTF-8 text", bad.display()));
    has(&out, &format!("ok   {}", good.display()));
}

/// The Author view given one index.json alone: it is checked as a file; the lessons it lists
/// were not given, so nothing is said of them.
#[test]
fn an_index_alone_is_checked_without_its_files() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("www/lessons/index.json")).unwrap();
    let v = check::check_files(&[("index.json".into(), text)], &check::Site::default());
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].problems, Vec::<String>::new());
}

/// An answer the quiz cannot take is refused with a sentence counting from 1, and nothing is
/// recorded; what is left unanswered is listed; progress that is not this bank's is not resumed.
#[test]
fn a_quiz_refuses_answers_it_cannot_take_and_says_why() {
    let bank = quiz::parse(&read("quizzes", "batching.json").to_string()).unwrap();
    let mut q = quiz::Quiz::start(&bank, quiz::Mode::Practice, 3);
    let n = q.questions().len();
    let kind = |k: &str| q.questions().iter().position(|x| x.kind.as_str() == k).unwrap();
    let (choice, multi, order) = (kind("choice"), kind("multiple-response"), kind("ordering"));
    let said = |r: Result<Option<quiz::Feedback>, quiz::AnswerError>| {
        r.map(|_| "taken".to_string()).unwrap_or_else(|e| e.to_string())
    };
    assert_eq!(said(q.answer(n, &[0])), format!("there is no question {}", n + 1));
    assert_eq!(said(q.answer(choice, &[9])), format!("question {} has no option 10", choice + 1));
    assert_eq!(said(q.answer(choice, &[0, 1])), format!("question {} takes exactly one option", choice + 1));
    let asks = q.questions()[multi].correct.len();
    assert_eq!(said(q.answer(multi, &[0])), format!("question {} asks for exactly {asks} options", multi + 1));
    assert_eq!(said(q.answer(order, &[0])), format!("question {} needs every item placed or matched", order + 1));
    assert_eq!(q.unanswered(), (0..n).collect::<Vec<_>>(), "nothing was recorded");
    let right = q.questions()[choice].correct.clone();
    assert_eq!(said(q.answer(choice, &right)), "taken");
    assert_eq!(said(q.answer(choice, &right)), format!("question {} is already answered", choice + 1));
    assert!(!q.unanswered().contains(&choice));
    assert_eq!(q.unanswered().len(), n - 1);
    q.finish();
    assert_eq!(said(q.answer(multi, &[0, 1])), "the quiz is finished; start it again to answer");
    // Progress text: this bank's resumes; another bank's, an old format or junk does not.
    let text = q.progress_text(2);
    assert!(quiz::Quiz::resume(&bank, &text, None).is_some());
    assert!(quiz::Quiz::resume(&bank, &text.replace("\"practice\"", "\"drill\""), None).is_none());
    assert!(quiz::Quiz::resume(&bank, &text.replace("\"batching\"", "\"basics\""), None).is_none());
    assert!(quiz::Quiz::resume(&bank, "{not json", None).is_none());
}

/// A record question about the last put of [`costly_scenario`] (answered right).
fn costly_question(id: &str, seconds: u64) -> Value {
    json!({"id": id, "kind": "record", "prompt": "Which record does the last put write?", "explanation": "An INSERT.",
        "scenario": shard_heavy_scenario(seconds),
        "options": [{"text": "No record", "record": null, "explanation": "A new item makes a record."},
                    {"text": "An INSERT", "record": {"eventName": "INSERT", "dynamodb": {"Keys": {"voter": {"S": "b"}}}}}],
        "answer": 1})
}

fn costly_bank(questions: Vec<Value>) -> String {
    json!({"format": 1, "id": "costly", "title": "Costly", "description": "d", "questions": questions}).to_string()
}

/// A question's scenario is replayed when the page shows the question and for each seed
/// `streamlab check` (and the Author view) checks: one that would run for long (months of 64
/// hourly-rolling shards) stops at the simulator's limit for a question, named as the file's
/// mistake, instead of freezing the page. A scenario of the same shape within it is checked.
#[test]
fn a_question_scenario_past_the_simulators_limit_is_refused_not_run() {
    let small = costly_bank(vec![costly_question("small", 3_600)]);
    let b = quiz::parse(&small).unwrap();
    assert_eq!(check::bank_problems(&b), Vec::<String>::new(), "an hour is checked");
    let months = costly_bank(vec![costly_question("months", 120 * 86_400)]);
    let b = quiz::parse(&months).expect("read: it is the replay that stops");
    let inst = quiz::instantiate(&b.questions[0], 0).unwrap();
    let e = quiz::verify(&inst).unwrap_err();
    assert!(matches!(e, streamlab::file::FileError::Invalid(_)), "the file's mistake, not a contradiction: {e:?}");
    has(&e.to_string(), "field \"scenario\": at step 5 it passes 100,000 units of work, the simulator's limit for a question's scenario (not an AWS limit)");
    let v = check::check_text("costly", &months);
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    has(&v.problems[0], "question months, seed 0: field \"scenario\": at step 5 it passes");
}

/// Checking a whole file has a limit of its own: many questions each within the limit for one
/// replay, but checked for 8 seeds each, stop checking once 2 million units are spent, and the
/// verdict says from which question on nothing was checked.
#[test]
fn checking_a_costly_bank_stops_and_says_what_was_not_checked() {
    // About 16 hours of shards: under the limit of a replay, over a million units for 8 seeds.
    let questions: Vec<Value> = (0..40).map(|i| costly_question(&format!("q{i}"), 16 * 3_600)).collect();
    let b = quiz::parse(&costly_bank(questions)).unwrap();
    let problems = check::bank_problems(&b);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let stopped_at: usize = problems[0]
        .strip_prefix("not checked from question q")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert!((1..10).contains(&stopped_at), "stopped early, at q{stopped_at}");
    has(&problems[0], "the simulator's limit for checking a file (not an AWS limit)");
}

/// A lesson's lab is a replay of its scenario, like a link's: within the same budgets. A lesson
/// whose scenario runs for months cannot be shown past that point (the page says why) and its
/// check says so, rather than the page freezing at that step.
#[test]
fn a_lesson_scenario_past_the_work_budget_cannot_be_shown_and_the_check_says_why() {
    let mut l = read("lessons", "idempotency.json");
    let n = l["scenario"]["steps"].as_array().unwrap().len();
    l["scenario"]["simulator"] = json!({"shardsPerStream": 64, "shardRolloverSeconds": 3600});
    l["scenario"]["steps"].as_array_mut().unwrap().push(json!({"AdvanceClock": {"Seconds": 300 * 86_400}}));
    let last = l["steps"].as_array().unwrap().len() - 1;
    l["steps"][last]["runUntil"] = n.into();
    let lesson = lesson::parse(&l.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let e = lesson.session_at(last).err().expect("over the work budget");
    has(&e.to_string(), "8 million units");
    assert!(lesson.session_at(0).is_ok(), "the steps before it are shown");
    let v = check::check_text("idempotency", &l.to_string());
    assert!(
        v.problems.iter().any(|p| p.starts_with(&format!("step {} cannot be shown: ", last + 1))),
        "{:?}",
        v.problems
    );
}

/// The same limit for a question whose records are labelled (retention, checkpoint, filter):
/// the page draws them from the scenario when it shows the question, and stops at the limit
/// there too (the question is shown without its records); the check names the limit.
#[test]
fn a_labelled_question_with_a_runaway_scenario_is_shown_without_its_records() {
    let mut bank = one_question("retention.json", "half-day");
    let steps = bank["questions"][0]["scenario"]["steps"].as_array().unwrap().clone();
    let mut costly = shard_heavy_scenario(120 * 86_400);
    let mut all = costly["steps"].as_array().unwrap()[1..5].to_vec();
    all.splice(0..0, steps[..1].iter().cloned());
    all.extend(steps[1..].iter().cloned());
    costly["steps"] = all.into();
    bank["questions"][0]["scenario"] = costly;
    let b = quiz::parse(&bank.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let inst = quiz::instantiate(&b.questions[0], 0).unwrap();
    assert!(inst.options.iter().all(|o| o.detail.is_none()), "no records drawn past the limit");
    let problems = check::bank_problems(&b);
    assert_eq!(problems.len(), 1, "{problems:?}");
    has(&problems[0], "the simulator's limit for a question's scenario");
}

/// A lesson whose every step's lab costs close to a million units (days of 64 hourly-rolling
/// shards behind a mapping): each step can be shown, but checking the file stops after a few
/// steps, past 2 million units in all, and says from which step nothing was checked.
#[test]
fn checking_a_costly_lesson_stops_and_says_from_which_step() {
    let mut l = read("lessons", "idempotency.json");
    l["scenario"]["simulator"] = json!({"shardsPerStream": 64, "shardRolloverSeconds": 3600});
    let steps = l["scenario"]["steps"].as_array_mut().unwrap();
    let mapping = steps.iter().position(|s| s.get("CreateEventSourceMapping").is_some()).unwrap();
    steps.insert(mapping + 1, json!({"AdvanceClock": {"Seconds": 3 * 86_400}}));
    for s in l["steps"].as_array_mut().unwrap() {
        if let Some(n) = s["runUntil"].as_i64().filter(|n| *n > mapping as i64) {
            s["runUntil"] = (n + 1).into();
        }
    }
    let lesson = lesson::parse(&l.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let last = lesson.steps.len() - 1;
    let one = lesson.session_at(last).expect("a step can be shown").engine().work().units();
    assert!((500_000..2_000_000).contains(&one), "a step's lab: {one} units");
    let problems = check::lesson_problems(&lesson);
    assert!(
        problems.iter().any(|p| p.starts_with("not checked from step ") && p.contains("2 million units of work")),
        "{problems:?}"
    );
}
