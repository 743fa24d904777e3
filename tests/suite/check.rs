//! `streamlab check FILE|DIR...` (issue 18, "authoring without Rust"): a course author's lesson
//! and quiz files checked as the teaching test checks the shipped ones, with JSON errors at a
//! line and column with the fix, engine-contradicted answers named, and the index.json beside
//! the files compared with them.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::common::cli::{run, write_temp};
use streamlab::{grade, quiz};

fn www(kind: &str, file: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("www").join(kind).join(file)).unwrap()
}

/// A folder holding `files` (name, text).
fn folder(files: &[(&str, String)]) -> PathBuf {
    let first = write_temp(files[0].0, &files[0].1);
    let dir = first.parent().unwrap().to_path_buf();
    for (name, text) in &files[1..] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

fn check(args: &[&Path]) -> (i32, String) {
    let mut a: Vec<&OsStr> = vec![OsStr::new("check")];
    a.extend(args.iter().map(|p| p.as_os_str()));
    let (code, out, err) = run(&a);
    assert_eq!(err, "", "nothing on standard error");
    (code, out)
}

#[test]
fn the_shipped_files_pass_and_say_what_was_checked() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let (code, out) = check(&[&root.join("lessons"), &root.join("quizzes")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok   ") && !out.contains("FAIL"), "{out}");
    assert!(out.contains("view-types.json (lesson, 6 steps, "), "{out}");
    assert!(out.contains("basics.json (quiz bank, "), "{out}");
    // basics has 8 questions and "mastery": 80: 6.4 questions, so 7 right pass.
    assert!(out.contains("; an exam passes at 80% (7 of 8 right))"), "{out}");
}

#[test]
fn a_json_mistake_is_placed_and_its_fix_said() {
    // A comma after the last member, on line 3.
    let dir = folder(&[
        ("index.json", www("lessons", "index.json")),
        ("broken.json", "{\n \"id\": \"broken\",\n \"title\": \"x\",\n}\n".into()),
    ]);
    let (code, out) = check(&[&dir.join("broken.json")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL ") && out.contains("broken.json"), "{out}");
    assert!(
        out.contains("not valid JSON at line 4, column 1: trailing comma; remove the comma before the closing bracket"),
        "{out}"
    );
    let (_, out) = check(&[&write_temp("quotes.json", "{'id': 'x'}")]);
    assert!(out.contains("line 1, column 2") && out.contains("double quotes"), "{out}");
    let (_, out) = check(&[&write_temp("comment.json", "{\n  // a comment\n  \"id\": \"x\"\n}")]);
    assert!(out.contains("line 2, column 3") && out.contains("JSON has no comments"), "{out}");
}

#[test]
fn an_answer_the_engine_contradicts_is_named() {
    // The retries lesson says p-2's batch is invoked 3 times (first attempt and two retries);
    // an author who wrote 4 is told the engine does otherwise, and where.
    let mut lesson: serde_json::Value = serde_json::from_str(&www("lessons", "retries.json")).unwrap();
    let count = &mut lesson["steps"][2]["question"]["check"]["invocationsWith"]["count"];
    assert_eq!(*count, serde_json::json!(3), "the lesson as shipped");
    *count = serde_json::json!(4);
    let dir = folder(&[("index.json", www("lessons", "index.json")), ("retries.json", lesson.to_string())]);
    let (code, out) = check(&[&dir.join("retries.json")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL ") && out.contains("- step 2 (\""), "{out}");
    // As shipped, the same folder passes.
    std::fs::write(dir.join("retries.json"), www("lessons", "retries.json")).unwrap();
    let (code, out) = check(&[&dir.join("retries.json")]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_index_and_the_files_are_compared() {
    // A bank not in the index, an index entry without its file, an id that is not the file name.
    let bank = www("quizzes", "basics.json");
    let dir = folder(&[
        ("index.json", "{\"format\": 1, \"banks\": [{\"id\": \"basics\", \"title\": \"Basics\"}, {\"id\": \"gone\", \"title\": \"Gone\"}]}".into()),
        ("basics.json", bank.clone()),
        ("extra.json", bank.replacen("\"id\": \"basics\"", "\"id\": \"extra\"", 1)),
        ("renamed.json", bank.clone()),
    ]);
    let (code, out) = check(&[&dir]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("basics.json (quiz bank"), "the listed bank passes: {out}");
    assert!(
        out.contains("extra.json") && out.contains("not listed in ") && out.contains("add {\"id\": \"extra\""),
        "{out}"
    );
    assert!(out.contains("lists \"gone\", but gone.json is not beside it"), "{out}");
    assert!(out.contains("its id is \"basics\" but the file is renamed.json"), "{out}");
}

#[test]
fn usage_and_unreadable_paths() {
    let (code, _, err) = run(&[OsStr::new("check")]);
    assert_eq!(code, 2);
    assert!(err.contains("streamlab check FILE|DIR..."), "{err}");
    let (code, out) = check(&[Path::new("/nonexistent/lesson.json")]);
    assert_eq!(code, 1);
    assert!(out.contains("FAIL /nonexistent/lesson.json: cannot be read"), "{out}");
}

/// `streamlab grade FILE` (issue 18): codes collected by any form, graded again by the engine
/// against the shipped banks; a mistyped code is reported, not scored, and the exit status
/// says so.
#[test]
fn grade_regrades_result_codes_and_reports_bad_ones() {
    let text = www("quizzes", "basics.json");
    let bank = quiz::parse(&text).unwrap();
    let mut exam = quiz::Quiz::start(&bank, quiz::Mode::Exam, 77);
    let n = exam.questions().len();
    for i in 0..n - 1 {
        let right = exam.questions()[i].correct.clone();
        exam.answer(i, &right).unwrap();
    }
    exam.finish();
    let code = grade::result_code(&exam, &grade::bank_version(&text), "Ana, 2B");
    let banks = Path::new(env!("CARGO_MANIFEST_DIR")).join("www").join("quizzes");
    let codes = write_temp("codes.txt", &format!("{code}\n{}\n", code.replace("SL2.", "SL2.x")));
    let (status, out, _) = run(&[OsStr::new("grade"), codes.as_os_str(), OsStr::new("--banks"), banks.as_os_str()]);
    assert_eq!(status, 1, "one code is bad: {out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("line,learner,bank,seed,status,correct,total,q1,"), "{out}");
    let want = format!("1,\"Ana, 2B\",basics,77,graded,{},{n},", n - 1);
    assert!(lines[1].starts_with(&want), "{out}");
    // The columns are the bank's questions in its file's order: the one left unanswered is
    // where the bank has it, not where this exam showed it (last).
    let last = &exam.questions()[n - 1].id;
    let column = bank.questions.iter().position(|q| &q.id == last).unwrap();
    let cells: Vec<&str> = lines[1].rsplitn(n + 1, ',').collect::<Vec<_>>().into_iter().rev().skip(1).collect();
    let want: Vec<&str> = (0..n).map(|k| if k == column { "unanswered" } else { "right" }).collect();
    assert_eq!(cells, want, "{out}");
    assert_ne!(column, n - 1, "seed 77 shows the bank's last question elsewhere, so the order is tested");
    assert!(lines[2].starts_with("2,,,,\"invalid: "), "{out}");
    // Only good codes: exit 0.
    let good = write_temp("good.txt", &format!("{code}\n"));
    let (status, _, _) = run(&[OsStr::new("grade"), good.as_os_str(), OsStr::new("--banks"), banks.as_os_str()]);
    assert_eq!(status, 0);
}
