//! Lessons (`www/lessons`) and quiz banks (`www/quizzes`): every file validates, every lesson's
//! scenario replays with no failing step but the deliberate ones, and every quiz answer that the
//! engine can check is checked by running it, for many seeds.

use serde_json::Value;
use std::path::{Path, PathBuf};
use streamlab::{check, lesson, quiz, scenario, share};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("www").join(name)
}

/// (file stem, text) of every `.json` in the folder except `index.json`, sorted.
fn files(name: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir(name)).expect("folder exists") {
        let p = e.expect("dir entry").path();
        if p.extension().and_then(|x| x.to_str()) != Some("json") {
            continue;
        }
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        if stem == "index" {
            continue;
        }
        out.push((stem, std::fs::read_to_string(&p).expect("readable")));
    }
    out.sort();
    out
}

fn lessons() -> Vec<lesson::Lesson> {
    files("lessons")
        .into_iter()
        .map(|(stem, text)| {
            let l = lesson::parse(&text).unwrap_or_else(|e| panic!("www/lessons/{stem}.json: {e}"));
            assert_eq!(l.id, stem, "www/lessons/{stem}.json: the id must be the file name");
            l
        })
        .collect()
}

fn banks() -> Vec<quiz::Bank> {
    files("quizzes")
        .into_iter()
        .map(|(stem, text)| {
            let b = quiz::parse(&text).unwrap_or_else(|e| panic!("www/quizzes/{stem}.json: {e}"));
            assert_eq!(b.id, stem, "www/quizzes/{stem}.json: the id must be the file name");
            b
        })
        .collect()
}

#[test]
fn every_lesson_validates_and_is_small() {
    let ls = lessons();
    assert!(ls.len() >= 10, "{} lessons", ls.len());
    for l in &ls {
        assert!((4..=8).contains(&l.steps.len()), "{}: {} steps; keep lessons to 4-8", l.id, l.steps.len());
        assert!(share::lesson_fragment(&l.id).is_some());
        for i in 0..l.steps.len() {
            l.session_at(i).unwrap_or_else(|e| panic!("{} step {i}: {e}", l.id));
        }
    }
}

/// Every lesson's scenario replays with no failing step but the planned ones, every step's lab
/// state can be shown, and the engine agrees with every checked answer: what `streamlab check`
/// says of a file (`check::lesson_problems`).
#[test]
fn lesson_scenarios_replay_without_unplanned_failures() {
    for l in lessons() {
        let problems = check::lesson_problems(&l);
        assert!(problems.is_empty(), "{}: {problems:#?}", l.id);
    }
}

/// Issue 21: explanations cited sections ("§4.4") of a document learners cannot open. A file's
/// `spec` fields keep them for authors; no text a learner reads does.
#[test]
fn no_text_a_learner_reads_cites_a_spec_section() {
    fn walk(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    if k != "spec" {
                        walk(x, &format!("{path}/{k}"), out);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| walk(x, &format!("{path}/{i}"), out)),
            serde_json::Value::String(s) if s.contains('§') => out.push(format!("{path}: {s}")),
            _ => {}
        }
    }
    let mut found = Vec::new();
    for kind in ["lessons", "quizzes"] {
        for (stem, text) in files(kind) {
            walk(&serde_json::from_str(&text).unwrap(), &format!("{kind}/{stem}"), &mut found);
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn lesson_index_lists_every_lesson() {
    let text = std::fs::read_to_string(dir("lessons").join("index.json")).expect("www/lessons/index.json");
    let index = lesson::parse_index(&text).unwrap();
    let ls = lessons();
    let mut ids: Vec<&str> = index.iter().map(|e| e.id.as_str()).collect();
    ids.sort();
    let mut files: Vec<&str> = ls.iter().map(|l| l.id.as_str()).collect();
    files.sort();
    assert_eq!(ids, files);
    for e in &index {
        let l = ls.iter().find(|l| l.id == e.id).unwrap();
        assert_eq!(e.title, l.title, "{}: the index title differs from the lesson's", e.id);
        // The menu shows the level and duration from the index: they must be the lesson's.
        assert_eq!(e.level.as_deref(), Some(l.level.as_str()), "{}: the index level differs from the lesson's", e.id);
        assert_eq!(e.duration, l.meta.duration, "{}: the index duration differs from the lesson's", e.id);
    }
}

/// Facts the lessons narrate, checked on the engine's output, so the text cannot drift from
/// what the learner will see.
#[test]
fn lesson_narration_matches_the_engine() {
    let ls = lessons();
    let get = |id: &str| ls.iter().find(|l| l.id == id).unwrap_or_else(|| panic!("lesson {id}"));
    let at = |id: &str, step: usize| {
        let l = get(id);
        let mut s = l.scenario_prefix(l.steps_run_at(step));
        s.steps.truncate(l.steps_run_at(step));
        let text = serde_json::json!({
            "seed": l.scenario.config.seed,
            "simulator": l.scenario_json.get("simulator").cloned().unwrap_or(Value::Null),
            "steps": s.steps.iter().map(|st| serde_json::json!({ st.action.as_str(): st.body })).collect::<Vec<_>>(),
        });
        let mut text = text;
        if text["simulator"].is_null() {
            text.as_object_mut().map(|m| m.remove("simulator"));
        }
        scenario::replay(&text.to_string()).unwrap()
    };
    let records = |out: &Value| -> usize {
        out["streams"]
            .as_array()
            .map_or(0, |s| s.iter().map(|st| st["Records"].as_array().map_or(0, |r| r.len())).sum())
    };

    // streams-basics: a stream only after enabling; 3 records; the identical put adds none.
    assert_eq!(records(&at("streams-basics", 0)), 0);
    assert_eq!(records(&at("streams-basics", 3)), 3);
    assert_eq!(records(&at("streams-basics", 4)), 3);
    // view-types: no OldImage on any INSERT; NEW_IMAGE's REMOVE has Keys only.
    let out = at("view-types", 4);
    for st in out["streams"].as_array().unwrap() {
        for r in st["Records"].as_array().unwrap() {
            let d = &r["dynamodb"];
            match r["eventName"].as_str().unwrap() {
                "INSERT" => assert!(d.get("OldImage").is_none()),
                "REMOVE" => assert!(d.get("NewImage").is_none()),
                _ => {}
            }
        }
    }
    assert!(at("view-types", 5)["results"][17]["response"].get("Item").is_none(), "the deleted item is gone");
    // triggers: B and C arrive in one invocation.
    let inv = at("triggers", 3)["invocations"].as_array().cloned().unwrap();
    assert_eq!(inv.len(), 2);
    assert_eq!(inv[1]["Event"]["Records"].as_array().unwrap().len(), 2);
    // vote-counts.
    assert_eq!(at("vote-counts", 2)["aggregates"]["votes"], serde_json::json!({"coffee": 2, "tea": 1}));
    assert_eq!(at("vote-counts", 3)["aggregates"]["votes"], serde_json::json!({"coffee": 1, "tea": 1}));
    let out = at("vote-counts", 5);
    assert_eq!(out["aggregates"]["stock"], serde_json::json!({"north": 7, "south": 7}));
    assert_eq!(out["notifications"].as_array().unwrap().len(), 1);
    // group-chat: the like sends nothing, the edit and the delete do.
    assert_eq!(at("group-chat", 2)["notifications"].as_array().unwrap().len(), 2);
    let n = at("group-chat", 4)["notifications"].as_array().cloned().unwrap();
    assert_eq!(n.len(), 4);
    assert!(n[3]["Message"].as_str().unwrap().contains("by ben was deleted"));
    // retention: two records at 23 h, one at 25 h, and the consumer counts 1; none at 37 h.
    assert_eq!(records(&at("retention", 2)), 2);
    assert_eq!(records(&at("retention", 3)), 1);
    assert_eq!(at("retention", 4)["aggregates"]["events"], serde_json::json!({"*": 1}));
    assert_eq!(records(&at("retention", 5)), 0);
    // filters: o-2 insert, then o-1 modify, then nothing for o-3, then o-4.
    let msgs = |out: &Value| {
        out["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["Message"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(msgs(&at("filters", 1)), vec!["INSERT o-2"]);
    assert_eq!(msgs(&at("filters", 2)), vec!["INSERT o-2", "MODIFY o-1"]);
    assert_eq!(msgs(&at("filters", 3)), vec!["INSERT o-2", "MODIFY o-1"]);
    assert_eq!(msgs(&at("filters", 4)), vec!["INSERT o-2", "MODIFY o-1", "INSERT o-4"]);
    // retries: p-2 tried 3 times, one failure record, p-3 paid; p-4 fixed without a failure record.
    let out = at("retries", 2);
    assert_eq!(out["failures"].as_array().unwrap().len(), 1);
    assert_eq!(out["failures"][0]["requestContext"]["approximateInvokeCount"], 3);
    assert!(msgs(&out).contains(&"paid p-3".to_string()));
    let out = at("retries", 3);
    assert_eq!(out["failures"].as_array().unwrap().len(), 1);
    assert!(msgs(&out).contains(&"p-4 needs a manual check".to_string()));
    // partial-batch: strict retries from o-3; totals strict 5, naive more.
    let out = at("partial-batch", 1);
    let inv = out["invocations"].as_array().cloned().unwrap();
    let strict_fail = inv.iter().find(|i| i["FunctionName"] == "strict").unwrap();
    assert_eq!(strict_fail["Outcome"], "PartialFailure");
    let out = at("partial-batch", 3);
    let inv = out["invocations"].as_array().cloned().unwrap();
    let strict: Vec<&Value> = inv.iter().filter(|i| i["FunctionName"] == "strict").collect();
    let naive: Vec<&Value> = inv.iter().filter(|i| i["FunctionName"] == "naive").collect();
    assert_eq!(strict[1]["Event"]["Records"][0]["dynamodb"]["Keys"]["id"]["S"], "o-3");
    assert_eq!(naive[1]["Event"]["Records"][0]["dynamodb"]["Keys"]["id"]["S"], "o-1");
    // tumbling windows: the final invoke of the first window, then home 3, docs 1.
    let out = at("tumbling-windows", 2);
    assert!(out["invocations"].as_array().unwrap().iter().any(|i| i["Event"]["isFinalInvokeForWindow"] == true));
    assert_eq!(out["aggregates"]["clicks"], serde_json::json!({"docs": 1, "home": 3}));
    assert_eq!(at("tumbling-windows", 3)["aggregates"]["clicks"], serde_json::json!({"docs": 1}));
    // ttl: the item is still read after expiry, then a TTL REMOVE with userIdentity.
    let out = at("ttl-deletions", 1);
    assert!(out["results"][7]["response"].get("Item").is_some());
    let out = at("ttl-deletions", 3);
    assert_eq!(msgs(&out), vec!["session s-1 of ana expired", "ben logged out"]);
    // idempotency: counted twice (4), recorded once (paid 2); Seen's stream has two INSERTs.
    let out = at("idempotency", 4);
    assert_eq!(out["aggregates"]["counted"], serde_json::json!({"*": 4}));
    assert_eq!(out["aggregates"]["paid"], serde_json::json!({"*": 2}));
    let seen = out["streams"].as_array().unwrap().iter().find(|s| s["TableName"] == "Seen").expect("Seen's stream");
    assert_eq!(seen["Records"].as_array().map(Vec::len), Some(2));
    // runaway loops: after the fix, c-2 gets one update and the loop does not start again.
    let out = at("runaway-loops", 5);
    let bump = out["invocations"].as_array().unwrap().iter().filter(|i| i["FunctionName"] == "bump").count();
    assert_eq!(bump, 8 + 240 + 1 + 2, "the loop, the fix, and c-2's INSERT and MODIFY");
    // mapping-health: ship's IteratorAge climbs past 8 minutes; guarded dropped o-2 only.
    let out = at("mapping-health", 4);
    let rows = out["metrics"].as_array().cloned().unwrap_or_default();
    let max_age = rows
        .iter()
        .filter(|r| r["FunctionName"] == "ship")
        .filter_map(|r| r["IteratorAge"]["Maximum"].as_f64())
        .fold(0.0, f64::max);
    assert!(max_age > 480_000.0, "ship's IteratorAge reached {max_age} ms");
    let dropped: u64 =
        rows.iter().filter(|r| r["FunctionName"] == "guarded").filter_map(|r| r["DroppedEventCount"].as_u64()).sum();
    assert_eq!(dropped, 1);
    // execution-role: o-2's discarded batch goes to the queue, o-1's does not.
    assert_eq!(at("execution-role", 2)["failures"].as_array().map(Vec::len), Some(0));
    assert_eq!(at("execution-role", 3)["failures"].as_array().map(Vec::len), Some(1));
    // kinesis-or-streams: the records are gone after 25 hours.
    assert_eq!(records(&at("kinesis-or-streams", 3)), 0);
    assert_eq!(records(&at("kinesis-or-streams", 2)), 3);
}

/// Every lesson's predict-then-reveal answers, as their `check`s state them, agree with what the
/// engine does, and every trigger a lesson maps fires (lesson::verify). Most questions carry a
/// check; those that do not are about choices the engine cannot run (which view type would...).
#[test]
fn every_lesson_answer_is_checked_by_the_engine() {
    let ls = lessons();
    let mut checked = 0;
    for l in &ls {
        lesson::verify(l).unwrap_or_else(|e| panic!("www/lessons/{}.json: {e}", l.id));
        checked += l.steps.iter().filter(|s| s.question.as_ref().is_some_and(|q| q.check.is_some())).count();
    }
    let questions: usize = ls.iter().map(|l| l.steps.iter().filter(|s| s.question.is_some()).count()).sum();
    assert!(checked * 3 >= questions * 2, "only {checked} of {questions} lesson questions are checked");
}

/// A lesson whose answer is wrong, or whose trigger never fires, fails (the checks can fail).
#[test]
fn a_lesson_that_tells_an_untruth_fails_its_check() {
    let text = std::fs::read_to_string(dir("lessons").join("triggers.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    // "Has the function run yet? No": claim it ran.
    v["steps"][1]["question"]["check"] = serde_json::json!({"newInvocations": 1});
    let l = lesson::parse(&v.to_string()).unwrap();
    let e = lesson::verify(&l).unwrap_err().to_string();
    assert!(e.contains("new invocations: the lesson says 1, the engine made 0"), "{e}");
    // A rule on REMOVE in a scenario that deletes nothing never fires.
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["scenario"]["steps"][1]["CreateFunction"]["Code"] = Value::from("on REMOVE\n  notify \"#orders\" \"gone\"");
    v["steps"][3]["question"].as_object_mut().unwrap().remove("check");
    let l = lesson::parse(&v.to_string()).unwrap();
    let e = lesson::verify(&l).unwrap_err().to_string();
    assert!(
        e.contains("rule 1 of the function new-order (as its code stands at the end) never handles a record"),
        "{e}"
    );
    // A check that names no fact is refused when the file is read.
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["steps"][1]["question"]["check"] = serde_json::json!({});
    assert!(lesson::parse(&v.to_string()).unwrap_err().to_string().contains("names nothing to check"));
}

#[test]
fn partial_batch_totals() {
    // The lesson's end state: strict counted each good order once, naive counted o-1 and o-2
    // again on every retry.
    let l = lessons().into_iter().find(|l| l.id == "partial-batch").unwrap();
    let s = l.playground_session().unwrap();
    let t = s.engine().table("Totals").unwrap();
    let n = |id: &str| {
        t.items
            .values()
            .find(|i| i.get("id").map(|v| v.to_json()) == Some(serde_json::json!({"S": id})))
            .and_then(|i| i.get("n").map(|v| v.to_json()))
    };
    assert_eq!(n("strict"), Some(serde_json::json!({"N": "5"})));
    let naive: i64 = n("naive").and_then(|v| v["N"].as_str().and_then(|s| s.parse().ok())).unwrap_or(0);
    assert!(naive > 5, "naive = {naive}");
}

#[test]
fn every_bank_validates_and_has_enough_questions() {
    let bs = banks();
    let total: usize = bs.iter().map(|b| b.questions.len()).sum();
    assert!(total >= 120, "{total} questions (issue 19 asks for at least 120)");
    let text = std::fs::read_to_string(dir("quizzes").join("index.json")).expect("www/quizzes/index.json");
    let index = quiz::parse_index(&text).unwrap();
    let mut ids: Vec<&str> = index.iter().map(|e| e.id.as_str()).collect();
    ids.sort();
    let mut files: Vec<&str> = bs.iter().map(|b| b.id.as_str()).collect();
    files.sort();
    assert_eq!(ids, files);
    for e in &index {
        let b = bs.iter().find(|b| b.id == e.id).unwrap();
        assert_eq!(e.title, b.title);
        assert_eq!(e.duration, b.meta.duration, "{}: the index duration differs from the bank's", e.id);
    }
    // Every kind is represented.
    for kind in quiz::QuestionKind::ALL {
        assert!(bs.iter().flat_map(|b| &b.questions).any(|q| q.kind == kind), "no {kind} question");
    }
}

#[test]
fn every_answer_is_checked_by_the_engine() {
    for b in banks() {
        let problems = check::bank_problems(&b);
        assert!(problems.is_empty(), "{}: {problems:#?}", b.id);
    }
    // Questions whose answer the engine runs (not a plain choice) are among them.
    assert!(banks().iter().flat_map(|b| &b.questions).any(|q| q.kind != "choice"));
}

#[test]
fn a_whole_quiz_in_both_modes() {
    for b in banks() {
        let mut practice = quiz::Quiz::start(&b, quiz::Mode::Practice, 5);
        assert_eq!(practice.questions().len(), b.questions.len());
        let n = practice.questions().len();
        for i in 0..n {
            let right = practice.questions()[i].correct.clone();
            let fb = practice.answer(i, &right).unwrap().expect("practice gives feedback");
            assert!(fb.correct, "{}/{}", b.id, practice.questions()[i].id);
        }
        let s = practice.finish();
        assert_eq!((s.correct, s.total), (n, n));
        assert!(practice.summary_text().contains(&format!("Score: {n}/{n} (100%)")));

        let mut exam = quiz::Quiz::start(&b, quiz::Mode::Exam, 5);
        assert_eq!(exam.answer(0, &exam.questions()[0].correct.clone()).unwrap(), None);
        assert_eq!(exam.finish().correct, 1);
        // Same mode and seed, same questions in the same order: the deterministic
        // instantiation is what makes the instructor's copy of the summary meaningful.
        assert_eq!(quiz::Quiz::start(&b, quiz::Mode::Exam, 5).questions(), exam.questions());
    }
}

/// Issue 18, "exams that are exams": practice with an exam's seed showed that exam, answers
/// and all. Now, for every shipped bank, practice and exam with one seed differ (the exam's
/// question order, options and parameters are drawn apart), and the exam's order is drawn from
/// the seed.
#[test]
fn practice_does_not_show_the_exam_of_its_seed() {
    let shown = |q: &quiz::Quiz| -> Vec<(String, String, Vec<String>)> {
        q.questions()
            .iter()
            .map(|i| (i.id.clone(), i.prompt.clone(), i.options.iter().map(|o| o.text.clone()).collect()))
            .collect()
    };
    for b in banks() {
        let bank_order: Vec<&str> = b.questions.iter().map(|q| q.id.as_str()).collect();
        let mut orders = std::collections::BTreeSet::new();
        for seed in [0, 1, 5, 77, 4242, share::MAX_SEED] {
            let practice = quiz::Quiz::start(&b, quiz::Mode::Practice, seed);
            let exam = quiz::Quiz::start(&b, quiz::Mode::Exam, seed);
            assert_ne!(shown(&practice), shown(&exam), "{} seed {seed}", b.id);
            let ids: Vec<&str> = practice.questions().iter().map(|q| q.id.as_str()).collect();
            assert_eq!(ids, bank_order, "practice keeps the bank's order");
            let mut ids: Vec<&str> = exam.questions().iter().map(|q| q.id.as_str()).collect();
            orders.insert(ids.join(" "));
            assert_ne!(ids, bank_order, "{} seed {seed}: the exam's order is drawn", b.id);
            ids.sort();
            let mut all = bank_order.clone();
            all.sort();
            assert_eq!(ids, all, "every question once");
            // Where the bank's author asked for shuffled options (every bank but these four,
            // whose options are view types or records in stream order), the right options
            // move: the exam's answer positions are not practice's.
            if !["view-types", "filters", "retention", "batches"].contains(&b.id.as_str()) {
                let keys = |q: &quiz::Quiz| -> Vec<(String, Vec<usize>)> {
                    let mut v: Vec<_> = q.questions().iter().map(|i| (i.id.clone(), i.correct.clone())).collect();
                    v.sort();
                    v
                };
                assert_ne!(keys(&practice), keys(&exam), "{} seed {seed}: answer positions", b.id);
            }
        }
        assert!(orders.len() >= 5, "{}: {orders:?}", b.id);
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn sample_lesson() -> String {
        files("lessons").into_iter().next().map(|(_, t)| t).unwrap_or_default()
    }

    fn sample_bank() -> String {
        files("quizzes").into_iter().next().map(|(_, t)| t).unwrap_or_default()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn random_text(s in "\\PC{0,300}") {
            let _ = lesson::parse(&s);
            let _ = quiz::parse(&s);
            let _ = lesson::parse_index(&s);
            let _ = share::decode_fragment(&s);
            let _ = share::decode_fragment(&format!("#s={s}"));
            let _ = share::decode_fragment(&format!("#lesson={s}"));
        }

        #[test]
        fn random_json_shapes(s in "[\\[\\]{}\",:0-9a-zA-Z_ -]{0,200}") {
            let _ = lesson::parse(&s);
            let _ = quiz::parse(&s);
            let _ = quiz::parse_index(&s);
        }

        #[test]
        fn damaged_real_files(pos in 0usize..100_000, len in 0usize..40, junk in "\\PC{0,20}") {
            for text in [sample_lesson(), sample_bank()] {
                let mut cut = pos.min(text.len());
                while !text.is_char_boundary(cut) { cut -= 1; }
                let mut end = (cut + len).min(text.len());
                while !text.is_char_boundary(end) { end -= 1; }
                let damaged = format!("{}{}{}", &text[..cut], junk, &text[end..]);
                let _ = lesson::parse(&damaged);
                let _ = quiz::parse(&damaged);
            }
        }

        #[test]
        fn random_deflate_payloads(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            use base64::Engine as _;
            let data = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
            if let Ok(share::Target::State(p)) = share::decode_fragment(&format!("#s={data}")) {
                let _ = share::open_state(&p);
            }
            let packed = share::encode_scenario_text(&String::from_utf8_lossy(&bytes));
            if let Ok(share::Target::State(p)) = share::decode_fragment(&format!("#s={packed}")) {
                let _ = share::open_state(&p);
            }
        }

    }

    proptest! {
        // Each case instantiates every bank (replaying their scenarios): fewer cases.
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        #[test]
        fn random_answers(seed in any::<u64>(), picks in proptest::collection::vec((0usize..12, proptest::collection::vec(0usize..10, 0..4)), 0..30), exam in any::<bool>()) {
            for b in banks() {
                let mode = if exam { quiz::Mode::Exam } else { quiz::Mode::Practice };
                let mut q = quiz::Quiz::start(&b, mode, seed);
                for (i, c) in &picks {
                    let _ = q.answer(*i, c);
                }
                let s = q.finish();
                prop_assert!(s.correct <= s.answered && s.answered <= s.total);
                let _ = q.summary_text();
            }
        }
    }
}

/// The examples in docs/teaching.md are valid, and their answers check out.
/// A lab link made by another DEFLATE than ours (Python's zlib, raw, level 9: the fixture
/// `tests/fixtures/lifecycle.link`, of `tests/scenarios/lifecycle.json`) opens as that
/// scenario. The browser test `share_links_use_the_browsers_deflate` opens the same link.
#[test]
fn a_link_made_elsewhere_opens() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let link = std::fs::read_to_string(tests.join("fixtures/lifecycle.link")).unwrap();
    let text = std::fs::read_to_string(tests.join("scenarios/lifecycle.json")).unwrap();
    let (share::Target::State(packed), _) = share::decode_link(link.trim()).unwrap() else {
        panic!("not a state link")
    };
    let opened = share::open_state(&packed).unwrap();
    let direct = streamlab::Session::from_scenario_text(&text).unwrap();
    assert_eq!(opened.to_scenario_json(), direct.to_scenario_json());
    assert_eq!(opened.engine().streams_output(), direct.engine().streams_output());
}

/// What the catalogue shows and the results need: each lesson and bank declares its goals, level,
/// duration and the AWS documentation its facts come from.
fn check_meta(what: &str, level: Option<&str>, m: &streamlab::file::Meta) {
    assert!(!m.goals.is_empty(), "{what}: declare at least one goal");
    assert!(level.is_some_and(|l| streamlab::file::LEVELS.contains(&l)), "{what}: level must be basics or deeper");
    assert!(m.duration.is_some(), "{what}: declare a duration in minutes");
    assert!(!m.sources.is_empty(), "{what}: cite the AWS documentation its facts come from");
    for s in &m.sources {
        let host = s.trim_start_matches("https://").split('/').next().unwrap_or_default();
        assert!(
            ["docs.aws.amazon.com", "aws.amazon.com", "repost.aws"].contains(&host),
            "{what}: source {s} is not an AWS documentation page"
        );
    }
}

#[test]
fn every_lesson_and_bank_declares_goals_level_duration_and_sources() {
    for l in lessons() {
        check_meta(&format!("lesson {}", l.id), Some(&l.level), &l.meta);
    }
    for b in banks() {
        check_meta(&format!("bank {}", b.id), b.meta.level.as_deref(), &b.meta);
        for q in &b.questions {
            assert!(q.goal.is_some(), "{}/{}: name the goal the question checks", b.id, q.id);
        }
        // Every goal is checked by some question.
        for g in &b.meta.goals {
            assert!(
                b.questions.iter().any(|q| q.goal.as_deref() == Some(g.id.as_str())),
                "{}: no question checks the goal {}",
                b.id,
                g.id
            );
        }
    }
}

#[test]
fn every_wrong_option_is_explained() {
    let mut n = 0;
    for b in banks() {
        for q in &b.questions {
            let inst = quiz::instantiate(q, 0).unwrap();
            for (k, o) in inst.options.iter().enumerate() {
                // Ordering and matching: every item (and every match, distractors included) says why.
                let wrong = q.kind.positional() || !inst.correct.contains(&k);
                if wrong {
                    assert!(o.explanation.is_some(), "{}/{}: option {k} ({:?}) has no explanation", b.id, q.id, o.text);
                    n += 1;
                }
            }
        }
    }
    assert!(n > 250, "{n} explained options");
}

/// A record's label that names an attribute and a value, "o-1 (qty 7)", says what the record
/// holds, for every seed (a missing `{{g}}` once showed "qty g" in all six Batches questions).
#[test]
fn record_labels_agree_with_the_records() {
    let mut checked = 0;
    for b in banks() {
        for q in &b.questions {
            for seed in [0u64, 1, 2, 3, 7, 42, 1234, 99_999] {
                let inst = quiz::instantiate(q, seed).unwrap();
                for o in &inst.options {
                    let Some(image) = o.detail.as_ref().and_then(|d| d["dynamodb"].get("NewImage")) else { continue };
                    let Some(inner) = o.text.split_once('(').and_then(|(_, r)| r.split_once(')')).map(|(x, _)| x)
                    else {
                        continue;
                    };
                    let Some((attr, value)) = inner.split_once(' ') else { continue };
                    let Some(held) = image.get(attr) else { continue };
                    let held = held.get("S").or_else(|| held.get("N")).and_then(Value::as_str).unwrap_or_default();
                    assert_eq!(value, held, "{}/{} seed {seed}: label {:?}", b.id, q.id, o.text);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "{checked} labels checked");
}

#[test]
fn positional_kinds_grade_the_order_and_the_matches() {
    let bs = banks();
    for kind in [quiz::QuestionKind::Ordering, quiz::QuestionKind::Matching] {
        let (b, def) = bs
            .iter()
            .flat_map(|b| b.questions.iter().map(move |q| (b, q)))
            .find(|(_, q)| q.kind == kind)
            .unwrap_or_else(|| panic!("no {kind} question"));
        let one = quiz::Bank { questions: vec![def.clone()], ..(*b).clone() };
        let mut e = quiz::Quiz::start(&one, quiz::Mode::Exam, 3);
        let right = e.questions()[0].correct.clone();
        let n = e.questions()[0].options.len();
        if kind == quiz::QuestionKind::Ordering {
            // As shown is never the right order; a repeated item is refused.
            assert_ne!(right, (0..n).collect::<Vec<_>>());
            assert!(e.answer(0, &vec![0; n]).is_err());
            assert!(e.answer(0, &(0..n).collect::<Vec<_>>()).is_ok());
            assert_eq!(e.summary().correct, 0);
        } else {
            assert!(e.answer(0, &right[1..]).is_err(), "every item needs a match");
        }
        e.answer(0, &right).unwrap();
        assert_eq!(e.finish().correct, 1, "{kind}");
        assert!(e.goals_to_revisit().is_empty());
        let mut p = quiz::Quiz::start(&one, quiz::Mode::Practice, 3);
        let mut wrong = right.clone();
        wrong.swap(0, 1);
        assert!(!p.answer(0, &wrong).unwrap().unwrap().correct);
        let revisit = p.goals_to_revisit();
        assert_eq!(revisit.len(), 1);
        assert!(p.summary_text().contains("Goals to revisit:") && p.summary_text().contains(&revisit[0].text));
    }
    // Multiple response: exactly the number asked for.
    let (b, def) = bs
        .iter()
        .flat_map(|b| b.questions.iter().map(move |q| (b, q)))
        .find(|(_, q)| q.kind == quiz::QuestionKind::MultipleResponse)
        .unwrap();
    let one = quiz::Bank { questions: vec![def.clone()], ..(*b).clone() };
    let mut p = quiz::Quiz::start(&one, quiz::Mode::Practice, 1);
    let right = p.questions()[0].correct.clone();
    assert_eq!(p.questions()[0].choose, Some(right.len()));
    assert!(p.answer(0, &right[..1]).is_err(), "choose two means two");
    assert!(p.answer(0, &right).unwrap().unwrap().correct);
}

/// What is wrong with the "show me" links of these banks, given these lessons: a question with
/// neither a scenario nor a show, a show naming a lesson that does not exist or a step past the
/// lesson's playground (its last step + 1), a show about IAM or Kinesis that does not say the
/// lab does not simulate it.
fn show_problems(bs: &[quiz::Bank], ls: &[lesson::Lesson]) -> Vec<String> {
    let mut out = Vec::new();
    for b in bs {
        for q in &b.questions {
            let at = format!("{}/{}", b.id, q.id);
            let inst = match quiz::instantiate(q, 0) {
                Ok(i) => i,
                Err(e) => {
                    out.push(format!("{at}: {e}"));
                    continue;
                }
            };
            let Some(show) = &inst.show else {
                if inst.scenario.is_none() {
                    out.push(format!("{at}: neither a scenario nor a show"));
                }
                continue;
            };
            let Some(l) = ls.iter().find(|l| l.id == show.lesson) else {
                out.push(format!("{at}: show names the lesson \"{}\", which does not exist", show.lesson));
                continue;
            };
            let last = l.steps.len() as u32 + 1;
            if show.step.is_some_and(|n| n > last) {
                out.push(format!(
                    "{at}: show names step {} of {}, which has {} steps and its playground ({last})",
                    show.step.unwrap_or(0),
                    l.id,
                    l.steps.len()
                ));
            }
            // A step with a predict-then-reveal question shows the state before it until Reveal.
            if let Some(i) = show.step.map(|n| n as usize - 1).filter(|&i| i < l.steps.len()) {
                let asks = l.steps[i].question.is_some() && l.steps_run_before(i) != l.steps_run_at(i);
                let text_only = show.why.contains("not simulated") || show.why.contains("step's text");
                if asks && !text_only && !show.why.starts_with("After Reveal: ") {
                    out.push(format!(
                        "{at}: step {} of {} asks a question first (its lab state comes with Reveal): start the why with \"After Reveal: \"",
                        i + 1,
                        l.id
                    ));
                }
            }
            if show.fragment().is_none() {
                out.push(format!("{at}: show makes no link"));
            }
            let w = &show.why;
            let unsimulated = ["Kinesis", "IAM", "dynamodb:", "sqs:", "sns:", "logs:", "Throttl", "throttl"];
            if unsimulated.iter().any(|k| w.contains(k)) && !w.contains("not simulated") && !w.contains("step's text") {
                out.push(format!("{at}: the why speaks of something the lab does not simulate without saying so: {w}"));
            }
        }
    }
    out
}

#[test]
fn every_question_has_a_scenario_or_a_show_that_opens_a_real_lesson_step() {
    let (bs, ls) = (banks(), lessons());
    assert_eq!(show_problems(&bs, &ls), Vec::<String>::new());
    let shows = bs.iter().flat_map(|b| &b.questions).filter_map(|q| quiz::instantiate(q, 0).ok()?.show).count();
    assert!(shows >= 80, "{shows} questions have a show");
    // The check itself finds a missing lesson, a step past the playground and a question with
    // neither, in a copy of a real bank.
    let b = bs.iter().find(|b| b.id == "basics").expect("the basics bank");
    let text = std::fs::read_to_string(dir("quizzes").join("basics.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["questions"][0]["show"] = serde_json::json!({"lesson": "no-such-lesson", "step": 2, "why": "w"});
    v["questions"][1]["show"] = serde_json::json!({"lesson": "retention", "step": 8, "why": "w"});
    v["questions"][2].as_object_mut().unwrap().remove("show");
    v["questions"][3]["show"] =
        serde_json::json!({"lesson": "retention", "step": 5, "why": "Kinesis keeps records for a year here"});
    v["questions"][4]["show"] = serde_json::json!({"lesson": "retention", "step": 4, "why": "e-1 is gone"});
    let bad = quiz::parse(&v.to_string()).unwrap();
    let p = show_problems(&[bad], &ls);
    let ids: Vec<&str> = b.questions.iter().take(5).map(|q| q.id.as_str()).collect();
    assert_eq!(p.len(), 5, "{p:#?}");
    assert!(p[0].contains(ids[0]) && p[0].contains("\"no-such-lesson\", which does not exist"), "{}", p[0]);
    assert!(
        p[1].contains(ids[1]) && p[1].contains("step 8 of retention, which has 6 steps and its playground (7)"),
        "{}",
        p[1]
    );
    assert!(p[2].contains(ids[2]) && p[2].contains("neither a scenario nor a show"), "{}", p[2]);
    assert!(p[3].contains(ids[3]) && p[3].contains("does not simulate"), "{}", p[3]);
    assert!(p[4].contains(ids[4]) && p[4].contains("step 4 of retention asks a question first"), "{}", p[4]);
}

#[test]
fn a_bad_show_is_refused_with_a_message() {
    let text = std::fs::read_to_string(dir("quizzes").join("basics.json")).unwrap();
    let base: Value = serde_json::from_str(&text).unwrap();
    let refused = |show: Value| {
        let mut v = base.clone();
        v["questions"][2]["show"] = show;
        quiz::parse(&v.to_string()).expect_err("a bad show must be refused").to_string()
    };
    let e = refused(serde_json::json!({"lesson": "retries", "step": 0, "why": "w"}));
    assert!(
        e.contains("question 2 (\"poll-rate\")") && e.contains("\"step\" is 0, but steps are counted from 1"),
        "{e}"
    );
    let e = refused(serde_json::json!({"lesson": "Retries!", "step": 2, "why": "w"}));
    assert!(e.contains("\"lesson\" must be 1 to 64 characters of a-z, 0-9 and -"), "{e}");
    let e = refused(serde_json::json!({"lesson": "retries", "step": 2, "why": "w", "note": "x"}));
    assert!(e.contains("unknown field \"note\""), "{e}");
    let e = refused(serde_json::json!({"lesson": "retries", "step": "3", "why": "w"}));
    assert!(e.contains("\"step\" must be a whole number from 1"), "{e}");
    let e = refused(serde_json::json!({"lesson": "retries", "step": 3}));
    assert!(e.contains("\"why\" is missing"), "{e}");
}

#[test]
fn the_documented_show_example_parses_and_links_to_its_step() {
    let md = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/teaching.md")).unwrap();
    let section = md.split("### \"Show me in the lab\"").nth(1).expect("docs/teaching.md has the section");
    let block = section.split("```json").nth(1).and_then(|b| b.split("```").next()).expect("an example");
    let q: Value = serde_json::from_str(block).expect("the example is JSON");
    let bank = serde_json::json!({"format": 1, "id": "doc", "title": "T", "description": "d", "questions": [q]});
    let b = quiz::parse(&bank.to_string()).unwrap_or_else(|e| panic!("the documented example: {e}"));
    let show = quiz::instantiate(&b.questions[0], 0).unwrap().show.expect("a show");
    assert_eq!(show.fragment().as_deref(), Some("lesson=retention&step=5"));
    assert_eq!(show_problems(&[b], &lessons()), Vec::<String>::new());
}

/// Handouts (issue 18): every shipped lesson prints every step, its question without the
/// answer beside it, and the answers apart; every bank prints the exam of a seed, in that
/// exam's order, with one key line per question.
#[test]
fn every_lesson_and_bank_prints() {
    use streamlab::paper;
    for l in lessons() {
        let h = paper::handout(&l);
        assert_eq!(h.steps.len(), l.steps.len(), "{}", l.id);
        for (s, step) in h.steps.iter().zip(&l.steps) {
            assert_eq!((s.title.as_str(), s.text.as_str()), (step.title.as_str(), step.text.as_str()));
            if let (Some((prompt, opts)), Some(q)) = (&s.question, &step.question) {
                assert_eq!((prompt, opts.len()), (&q.prompt, q.options.len()));
                // The question's explanation is not beside it: a learner predicts first.
                assert!(!s.text.contains(&q.explanation) || q.explanation.is_empty());
            }
        }
        let asked = l.steps.iter().filter(|s| s.question.is_some()).count();
        assert_eq!(h.answers.len(), asked, "{}", l.id);
    }
    for b in banks() {
        let p = paper::paper_exam(&b, "0badc0de", 7);
        let exam = quiz::Quiz::start(&b, quiz::Mode::Exam, quiz::paper_seed(7));
        let ids: Vec<&str> = p.key.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, exam.questions().iter().map(|q| q.id.as_str()).collect::<Vec<_>>(), "{}", b.id);
        // Not the online exam of seed 7: its key, printable by anyone, would give that away.
        let online = quiz::Quiz::start(&b, quiz::Mode::Exam, 7);
        let key = |q: &quiz::Quiz| {
            q.questions()
                .iter()
                .map(|i| (i.id.clone(), i.options.iter().map(|o| o.text.clone()).collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        };
        assert_ne!(key(&exam), key(&online), "{}: the paper exam is not the online exam of its seed", b.id);
        assert_eq!(p.questions.len(), b.questions.len());
        assert_eq!(p.label, format!("Bank {} · version 0badc0de · seed 7", b.id));
    }
}

/// A lab keeps at most `MAX_STEPS` (20,000) steps: a file or link with more is refused with a
/// sentence naming both numbers, and a lab that has them refuses one more action, saying what to
/// do. (The limit is the lab's, `MAX_STEPS` in src/teach/session.rs; the refusal of an action is a
/// ValidationException like the service's own refusals.)
#[test]
fn a_lab_keeps_at_most_20000_steps() {
    use streamlab::{LoadError, Operation, Session};
    let scenario = |n: usize| format!(r#"{{"steps": [{}]}}"#, vec![r#"{"ListTables": {}}"#; n].join(","));
    let err = Session::from_scenario_text(&scenario(20_001)).map(|_| ()).unwrap_err();
    assert_eq!(err, LoadError::TooManySteps { steps: 20_001 });
    assert_eq!(err.to_string(), "this scenario has 20001 steps; the lab keeps at most 20000");
    let mut full = Session::from_scenario_text(&scenario(20_000)).unwrap();
    assert_eq!(full.steps().len(), 20_000);
    let er = full.apply(Operation::parse("ListTables").unwrap(), &serde_json::json!({})).unwrap_err();
    assert_eq!(er.kind, "ValidationException");
    assert_eq!(
        er.message,
        "This session already has 20000 steps (the lab's limit, not AWS's); export it, or start a new one"
    );
    assert_eq!(full.steps().len(), 20_000, "the refused action is not a step");
}

/// Saved data that is a StreamLab session without its scenario is refused with its own
/// sentence (the page then sets it aside rather than losing it).
#[test]
fn a_saved_session_without_a_scenario_is_refused() {
    use streamlab::{LoadError, Session};
    let err = Session::from_storage(r#"{"streamlab": 1}"#).map(|_| ()).unwrap_err();
    assert_eq!(err, LoadError::NotASession { has_version: true });
    assert_eq!(err.to_string(), "the saved session has no scenario");
}

/// A session keeps the scenario's description and its non-default simulator settings
/// (README.md: `"simulator": {"shardsPerStream", "shardRolloverSeconds", "ttlDelaySeconds"}`), so
/// saving it, exporting it or sharing it as a link gives the same lab back.
#[test]
fn a_session_keeps_the_description_and_simulator_settings() {
    use streamlab::Session;
    let text = r#"{"description": "Two shards", "simulator": {"shardsPerStream": 2, "shardRolloverSeconds": 7200, "ttlDelaySeconds": 60},
        "steps": [{"ListTables": {}}]}"#;
    let s = Session::from_scenario_text(text).unwrap();
    assert_eq!(s.description(), Some("Two shards"));
    let v = s.to_scenario_json();
    assert_eq!(v["description"], "Two shards");
    assert_eq!(
        v["simulator"],
        serde_json::json!({"shardsPerStream": 2, "shardRolloverSeconds": 7200, "ttlDelaySeconds": 60})
    );
    let back = Session::from_storage(&s.to_storage()).unwrap();
    assert_eq!(back.to_scenario_json(), v);
    // Through a link too.
    let (share::Target::State(packed), _) = share::decode_link(&share::encode_state(&s)).unwrap() else {
        panic!("not a state link")
    };
    assert_eq!(share::open_state(&packed).unwrap().to_scenario_json(), v);
}

/// A link whose data unpacks to bytes that are not UTF-8 says so; `embed=0` is the default
/// spelled out.
#[test]
fn link_data_that_is_not_text_and_embed_0() {
    let err = share::state_from_unpacked(vec![b'{', 0xff, 0xfe, b'}']).map(|_| ()).unwrap_err();
    assert_eq!(err, share::LinkError::NotText);
    assert_eq!(err.to_string(), "the link's data is not text");
    let (target, opts) = share::decode_link("#lesson=retries&embed=0").unwrap();
    assert!(matches!(target, share::Target::Lesson(ref n) if n == "retries"), "{target:?}");
    assert!(!opts.embed);
    assert!(share::decode_link("#lesson=retries&embed=1").unwrap().1.embed);
}

/// A lesson file with a mistake (docs/teaching.md describes the format) is refused when read,
/// with a sentence naming the field and, for a step, which step: what `streamlab check` prints
/// to an author.
#[test]
fn a_lesson_file_with_a_mistake_names_the_field() {
    let text = std::fs::read_to_string(dir("lessons").join("filters.json")).unwrap();
    let base: Value = serde_json::from_str(&text).unwrap();
    let steps = base["scenario"]["steps"].as_array().unwrap().len();
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Change, String)> = vec![
        (
            Box::new(|v| v["format"] = 2.into()),
            "field \"format\" is 2; this version of StreamLab reads lesson format 1".into(),
        ),
        (Box::new(|v| v["level"] = "expert".into()), "field \"level\" must be \"basics\" or \"deeper\"".into()),
        (Box::new(|v| v["scenario"] = "steps".into()), "field \"scenario\" must be a scenario object".into()),
        (Box::new(|v| v["expectedErrors"] = serde_json::json!({})), "field \"expectedErrors\" must be a list".into()),
        (
            Box::new(|v| {
                let e = serde_json::json!({"step": 0, "type": "ValidationException", "why": "to show it"});
                v["expectedErrors"] = serde_json::json!([e, e]);
            }),
            "expectedErrors item 1: scenario step 0 is listed twice".into(),
        ),
        (Box::new(|v| v["steps"] = serde_json::json!([])), "field \"steps\" must have 1 to 12 steps; it has 0".into()),
        (
            Box::new(|v| {
                v["steps"][0].as_object_mut().unwrap().remove("runUntil");
            }),
            "field \"runUntil\" is missing".into(),
        ),
        (
            Box::new(|v| v["steps"][0]["runUntil"] = 9999.into()),
            format!("field \"runUntil\" is 9999, but the scenario has only {steps} steps (0 to {})", steps - 1),
        ),
        (
            Box::new(|v| v["steps"][0]["runUntil"] = "end".into()),
            format!("field \"runUntil\" must be a scenario step index (0 to {}) or -1", steps - 1),
        ),
        (
            Box::new(|v| v["duration"] = 0.into()),
            "field \"duration\" must be a whole number of minutes, 1 to 240".into(),
        ),
        (
            Box::new(|v| {
                let goals: Vec<Value> =
                    (0..21).map(|i| serde_json::json!({"id": format!("g{i}"), "text": "a goal"})).collect();
                v["goals"] = goals.into();
            }),
            "field \"goals\" has more than 20 goals".into(),
        ),
        (
            Box::new(|v| {
                let g = serde_json::json!({"id": "same", "text": "a goal"});
                v["goals"] = serde_json::json!([g, g]);
            }),
            "goals item 1: another goal already has the id \"same\"".into(),
        ),
        (
            Box::new(|v| v["sources"] = serde_json::json!(["http://docs.aws.amazon.com/lambda/"])),
            "field \"sources\", item 0: must be an https URL".into(),
        ),
        (
            Box::new(|v| v["summary"] = "x".repeat(600 * 1024).into()),
            format!("bytes; at most {} are read", lesson::MAX_BYTES),
        ),
    ];
    assert!(lesson::parse(&base.to_string()).is_ok());
    for (change, want) in cases {
        let mut v = base.clone();
        change(&mut v);
        let er = lesson::parse(&v.to_string()).map(|_| ()).unwrap_err().to_string();
        assert!(er.contains(&want), "{er:?} should contain {want:?}");
    }
}

/// The lessons' index.json with a mistake is refused naming the entry and field, and a lesson
/// file without its format number says which it must be.
#[test]
fn a_lesson_index_with_a_mistake_names_the_entry() {
    let entry = |id: &str| serde_json::json!({"id": id, "title": "A lesson", "level": "basics", "duration": 6});
    for (index, want) in [
        (serde_json::json!({"format": 2, "lessons": []}), "field \"format\" must be 1"),
        (
            serde_json::json!({"format": 1, "lessons": [entry("a"), entry("a")]}),
            "lessons item 1: \"a\" is listed twice",
        ),
        (
            serde_json::json!({"format": 1, "lessons": [{"id": "a", "title": "A", "level": "expert"}]}),
            "lessons item 0: field \"level\" must be \"basics\" or \"deeper\"",
        ),
        (
            serde_json::json!({"format": 1, "lessons": [{"id": "a", "title": "A", "duration": 0}]}),
            "lessons item 0: field \"duration\" must be a whole number of minutes, 1 to 240",
        ),
    ] {
        let er = lesson::parse_index(&index.to_string()).map(|_| ()).unwrap_err().to_string();
        assert!(er.contains(want), "{index}: {er:?} should contain {want:?}");
    }
    let text = std::fs::read_to_string(dir("lessons").join("filters.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v.as_object_mut().unwrap().remove("format");
    let er = lesson::parse(&v.to_string()).map(|_| ()).unwrap_err().to_string();
    assert!(er.contains("field \"format\" must be 1"), "{er}");
}

/// The lab's "Deploy" on a table whose stream is off is refused with what to do, and nothing
/// is created (no function, no mapping); choosing the view type a table already has changes nothing.
#[test]
fn deploying_a_trigger_on_a_table_without_a_stream_says_to_enable_it() {
    use streamlab::{lab, EngineConfig, Operation, Session};
    let mut s = Session::new(EngineConfig::default());
    let table = serde_json::json!({"TableName": "Votes", "KeySchema": [{"AttributeName": "voter", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "voter", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"});
    s.apply(Operation::parse("CreateTable").unwrap(), &table).unwrap();
    let er = lab::deploy(&mut s, "Votes", "tally", "on INSERT\n  count votes", &serde_json::json!({})).unwrap_err();
    assert_eq!(er.kind, "InvalidParameterValueException");
    assert_eq!(
        er.message,
        "The stream of Votes is disabled: enable it (choose a view type) so the function has something to read"
    );
    assert!(s.engine().lambda().mappings.is_empty());
    // A Deploy that fails changes nothing: no function was created either, and no step kept.
    assert!(s.engine().lambda().functions.is_empty());
    assert_eq!(s.steps().len(), 1);
    assert_eq!(lab::set_view_type(&mut s, "Votes", None).unwrap(), "Nothing to change.");
}
