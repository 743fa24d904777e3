//! `streamlab check FILE...`: a lesson, a quiz bank or a menu (`index.json`) checked as the
//! teaching test checks the files StreamLab ships, so that a course author needs no Rust
//! toolchain knowledge: parsed (JSON errors with line, column and the fix for common mistakes),
//! every step's lab state built, the scenario replayed with only the failures it plans, every
//! answer the engine can run checked (lessons: their `check`s; banks: each question for
//! [`SEEDS`]), and the file listed in the `index.json` beside it.

#[cfg(not(target_arch = "wasm32"))]
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::teach::file;
use crate::teach::file::{FileError, IndexEntry};
use crate::teach::{lesson, quiz};

/// The seeds each question of a bank is instantiated and checked with (as the teaching test).
pub const SEEDS: [u64; 8] = [0, 1, 2, 3, 7, 42, 1234, 99_999];

/// The largest lesson, quiz or index file checked (4 MiB); larger ones are refused unread.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// The simulator's limit on the work of checking one file (its scenarios replayed for every
/// step, seed and answer; AWS has nothing like it): about 0.2 s in the page, twenty times what
/// the costliest shipped file takes. Past it, checking stops and says what was not checked.
pub const CHECK_WORK_BUDGET: u64 = 2_000_000;

/// Checking stopped at `what`: the file's scenarios passed [`CHECK_WORK_BUDGET`].
fn stopped(what: &str) -> String {
    format!(
        "not checked from {what} on: checking this file's scenarios took more than 2 million units of work, the simulator's limit for checking a file (not an AWS limit); make the scenarios smaller"
    )
}

/// Steps a lesson keeps to.
pub const LESSON_STEPS: std::ops::RangeInclusive<usize> = 4..=8;

/// What a file is, by its top-level members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Lesson,
    Bank,
    LessonIndex,
    BankIndex,
}

/// The entries of a lessons' index (`lessons`) or of a quiz banks' index.
fn parse_index(lessons: bool, text: &str) -> Result<Vec<IndexEntry>, FileError> {
    if lessons {
        lesson::parse_index(text)
    } else {
        quiz::parse_index(text)
    }
}

/// One file's verdict: what it is (when that could be told) and its problems, each a sentence;
/// `summary` says what was checked when there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub kind: Option<Kind>,
    pub id: Option<String>,
    pub problems: Vec<String>,
    pub summary: String,
}

/// The kind of a file's JSON: a lesson has `steps` and `scenario`, a bank `questions`, a menu
/// `lessons` or `banks`.
pub fn kind_of(v: &Value) -> Option<Kind> {
    let has = |k: &str| v.get(k).is_some();
    if has("questions") {
        Some(Kind::Bank)
    } else if has("steps") && has("scenario") {
        Some(Kind::Lesson)
    } else if has("lessons") {
        Some(Kind::LessonIndex)
    } else if has("banks") {
        Some(Kind::BankIndex)
    } else {
        None
    }
}

/// The problems of a lesson beyond what `lesson::parse` refuses: its length, each step's lab
/// state, failures of its scenario it does not plan (`expectedErrors`), and the answers the
/// engine contradicts (`lesson::verify`).
pub fn lesson_problems(l: &lesson::Lesson) -> Vec<String> {
    let mut out = Vec::new();
    if !LESSON_STEPS.contains(&l.steps.len()) {
        out.push(format!("{} steps; keep a lesson to 4-8", l.steps.len()));
    }
    let mut spent = 0u64;
    for i in 0..l.steps.len() {
        if spent > CHECK_WORK_BUDGET {
            out.push(stopped(&format!("step {}", i + 1)));
            return out;
        }
        match l.session_at(i) {
            Err(e) => out.push(format!("step {} cannot be shown: {e}", i + 1)),
            Ok(s) => spent = spent.saturating_add(s.engine().work().units()),
        }
    }
    if spent > CHECK_WORK_BUDGET {
        out.push(stopped("its whole scenario"));
        return out;
    }
    let (work, bytes) = (crate::teach::LOAD_WORK_BUDGET, crate::teach::LOAD_BYTES_BUDGET);
    match crate::scenario::replay_within(&l.scenario, work, bytes) {
        Err(e) => out.push(format!("the scenario does not replay: {e}")),
        Ok(crate::scenario::Within::Stopped { step, steps, .. }) => {
            out.push(format!(
                "the scenario does not replay within the simulator's limits: it stops at step {step} of {steps}"
            ));
        }
        Ok(crate::scenario::Within::Done(replayed, units)) => {
            spent = spent.saturating_add(units);
            for r in replayed["results"].as_array().into_iter().flatten() {
                let i = r["step"].as_u64().unwrap_or(u64::MAX) as usize;
                let planned = l.expected_errors.iter().find(|e| e.step == i);
                match (r["ok"].as_bool(), planned) {
                    (Some(true), None) => {}
                    (Some(false), Some(e)) if r["error"]["type"].as_str() == Some(e.error_type.as_str()) => {}
                    (Some(false), Some(e)) => out.push(format!(
                        "scenario step {i} fails with {}, not the planned {}",
                        r["error"]["type"].as_str().unwrap_or("?"),
                        e.error_type
                    )),
                    (Some(true), Some(e)) => {
                        out.push(format!("scenario step {i} was planned to fail with {} but succeeds", e.error_type))
                    }
                    _ => out.push(format!(
                        "scenario step {i} ({}) fails: {}: {} (list it in expectedErrors if it is meant to)",
                        r["action"].as_str().unwrap_or("?"),
                        r["error"]["type"].as_str().unwrap_or("?"),
                        r["error"]["message"].as_str().unwrap_or("")
                    )),
                }
            }
        }
    }
    match lesson::verify_metered(l, &mut spent, CHECK_WORK_BUDGET) {
        Err(lesson::Unchecked::From(what)) => out.push(stopped(&what)),
        Err(lesson::Unchecked::Wrong(e)) => out.push(e.to_string()),
        Ok(()) => {}
    }
    out
}

/// The problems of a bank beyond what `quiz::parse` refuses: each question instantiated and
/// checked by the engine for every seed of [`SEEDS`] (the first failure of each question).
pub fn bank_problems(b: &quiz::Bank) -> Vec<String> {
    let mut out = Vec::new();
    let mut spent = 0u64;
    for q in &b.questions {
        if spent > CHECK_WORK_BUDGET {
            out.push(stopped(&format!("question {}", q.id)));
            break;
        }
        for seed in SEEDS {
            let checked =
                quiz::instantiate_metered(q, seed, &mut spent).and_then(|inst| quiz::verify_metered(&inst, &mut spent));
            if let Err(e) = checked {
                out.push(format!("question {}, seed {seed}: {e}", q.id));
                break;
            }
        }
    }
    out
}

/// What an exam of the bank reports to an LMS (SCORM): passed at `mastery` percent, said as the
/// number of questions that takes, or only completed when the bank declares none.
pub fn mastery_note(b: &quiz::Bank) -> String {
    let n = b.questions.len();
    match b.mastery {
        Some(m) => {
            // The fewest right answers whose percent reaches m: ceil(n * m / 100).
            let need = (n * m as usize).div_ceil(100);
            format!("an exam passes at {m}% ({need} of {n} right)")
        }
        None => "no mastery: an LMS is told an exam is completed, not passed or failed".into(),
    }
}

/// Checks one file's text; `stem`: its file name without `.json` (a lesson's or a bank's `id`
/// must be it: the page opens `lessons/<id>.json`), or "" for a text with no file name (pasted).
pub fn check_text(stem: &str, text: &str) -> Verdict {
    let mut v = Verdict { kind: None, id: None, problems: Vec::new(), summary: String::new() };
    let json = match file::read_json(text, "the file", MAX_FILE_BYTES) {
        Ok(json) => json,
        Err(e) => {
            v.problems.push(e.to_string());
            return v;
        }
    };
    v.kind = kind_of(&json);
    let named = |id: &str, v: &mut Verdict| {
        if !stem.is_empty() && id != stem {
            v.problems.push(format!(
                "its id is \"{id}\" but the file is {stem}.json: the page opens <id>.json, so rename one"
            ));
        }
        v.id = Some(id.to_string());
    };
    match v.kind {
        None => v.problems.push(
            "not a lesson (steps and scenario), a quiz bank (questions) or an index.json (lessons or banks)".into(),
        ),
        Some(Kind::Lesson) => match lesson::parse(text) {
            Err(e) => v.problems.push(e.to_string()),
            Ok(l) => {
                named(&l.id, &mut v);
                v.problems.extend(lesson_problems(&l));
                let checked = l.steps.iter().filter(|s| s.question.as_ref().is_some_and(|q| q.check.is_some())).count();
                v.summary = format!("lesson, {} steps, {checked} answers checked by the engine", l.steps.len());
            }
        },
        Some(Kind::Bank) => match quiz::parse(text) {
            Err(e) => v.problems.push(e.to_string()),
            Ok(b) => {
                named(&b.id, &mut v);
                v.problems.extend(bank_problems(&b));
                v.summary = format!(
                    "quiz bank, {} questions, each checked for {} seeds; {}",
                    b.questions.len(),
                    SEEDS.len(),
                    mastery_note(&b)
                );
            }
        },
        Some(Kind::LessonIndex | Kind::BankIndex) => {
            let parsed = parse_index(v.kind == Some(Kind::LessonIndex), text);
            match parsed {
                Err(e) => v.problems.push(e.to_string()),
                Ok(entries) => {
                    v.summary = format!("index of {} file{}", entries.len(), if entries.len() == 1 { "" } else { "s" })
                }
            }
        }
    }
    v
}

/// Where the files checked together are, as far as the menus go: the `index.json` that lists
/// lessons or banks, and which files are there. A folder on disk (`streamlab check`) or the
/// files an author gave the page at once (the Author view, [`check_files`]).
pub trait Folder {
    /// The index listing files of `kind` (`Lesson` or `Bank`): its name as shown and its
    /// entries, or why they cannot be read; `None` when there is none to compare with.
    fn index(&self, kind: Kind) -> Option<(String, Result<Vec<IndexEntry>, String>)>;
    /// Whether the file `<id>.json` is there.
    fn has(&self, id: &str) -> bool;
    /// Where a listed file was looked for, as said in a problem: "beside it".
    fn where_listed(&self) -> &'static str;
}

/// The problems of a checked file (`v`, from [`check_text`] of `text`) with the menus of the
/// `folder` it is in: a lesson or bank its index does not list, and an index's entries whose
/// file is not there.
pub fn listing_problems(v: &Verdict, text: &str, folder: &impl Folder) -> Vec<String> {
    let mut out = Vec::new();
    match (v.kind, &v.id) {
        (Some(kind @ (Kind::Lesson | Kind::Bank)), Some(id)) => match folder.index(kind) {
            Some((name, Ok(entries))) if !entries.iter().any(|e| &e.id == id) => out.push(format!(
                "not listed in {name}: add {{\"id\": \"{id}\", \"title\": ...}} to it, or the menu will not show it"
            )),
            Some((_, Err(why))) => out.push(format!("{why}: the menu lists lessons and banks from it")),
            _ => {}
        },
        (Some(kind @ (Kind::LessonIndex | Kind::BankIndex)), _) => {
            let listed = parse_index(kind == Kind::LessonIndex, text);
            for e in listed.unwrap_or_default() {
                if !folder.has(&e.id) {
                    out.push(format!("lists \"{}\", but {}.json is not {}", e.id, e.id, folder.where_listed()));
                }
            }
        }
        _ => {}
    }
    out
}

/// Files given together (name, text), as the Author view takes them: dropped, picked or pasted;
/// and the site's own menus, compared with when no `index.json` of the kind is among them.
struct Given<'a> {
    files: &'a [(String, String)],
    verdicts: &'a [Verdict],
    site: &'a Site,
}

impl Folder for Given<'_> {
    fn index(&self, kind: Kind) -> Option<(String, Result<Vec<IndexEntry>, String>)> {
        let want = if kind == Kind::Lesson { Kind::LessonIndex } else { Kind::BankIndex };
        let parse = |text: &str| parse_index(kind == Kind::Lesson, text);
        match self.verdicts.iter().position(|v| v.kind == Some(want)) {
            Some(i) => {
                let (name, text) = &self.files[i];
                Some((name.clone(), parse(text).map_err(|e| format!("{name} is not valid: {e}"))))
            }
            None => {
                let (text, name) = if kind == Kind::Lesson {
                    (self.site.lessons.as_deref()?, "this site's lessons/index.json")
                } else {
                    (self.site.banks.as_deref()?, "this site's quizzes/index.json")
                };
                // A site whose own menu cannot be read says so in its menus, not here.
                parse(text).ok().map(|entries| (name.to_string(), Ok(entries)))
            }
        }
    }

    fn has(&self, id: &str) -> bool {
        self.files.iter().zip(self.verdicts).any(|((name, _), v)| stem_of(name) == id || v.id.as_deref() == Some(id))
    }

    fn where_listed(&self) -> &'static str {
        "among the files given"
    }
}

/// The site's own menus (the text of `lessons/index.json` and `quizzes/index.json`), when
/// known: the Author view compares an author's files with them when no `index.json` of the kind
/// is given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    pub lessons: Option<String>,
    pub banks: Option<String>,
}

/// A file name without its folders and its `.json`.
pub fn stem_of(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".json").unwrap_or(base)
}

/// Checks files given together (name, text; a pasted text has no name: ""), each as
/// [`check_text`] does, and against the menus: a lesson or bank not listed in the `index.json`
/// of its kind among the files (or, with none given, in the `site`'s), and, with several files,
/// an index's entry whose file is not among them, are named. One verdict per file, in order.
pub fn check_files(files: &[(String, String)], site: &Site) -> Vec<Verdict> {
    let checked: Vec<Verdict> = files.iter().map(|(name, text)| check_file(name, text)).collect();
    with_listing(files, checked, site)
}

/// One file of [`check_files`] on its own (the costly part: its answers run by the engine).
pub fn check_file(name: &str, text: &str) -> Verdict {
    check_text(stem_of(name), text)
}

/// [`check_files`] for files already checked one by one ([`check_file`], in the same order):
/// only their comparison with the menus is done again (a file added to a set, an index
/// replaced, the site's menus loaded).
pub fn with_listing(files: &[(String, String)], mut checked: Vec<Verdict>, site: &Site) -> Vec<Verdict> {
    let listing: Vec<Vec<String>> = {
        let given = Given { files, verdicts: &checked, site };
        files
            .iter()
            .zip(&checked)
            .map(|((_, text), v)| {
                // An index alone lists files that were not given: nothing to say of them.
                let alone = files.len() == 1 && matches!(v.kind, Some(Kind::LessonIndex | Kind::BankIndex));
                if alone {
                    Vec::new()
                } else {
                    listing_problems(v, text, &given)
                }
            })
            .collect()
    };
    for (v, more) in checked.iter_mut().zip(listing) {
        v.problems.extend(more);
    }
    checked
}

#[cfg(not(target_arch = "wasm32"))]
/// A folder on disk, for `streamlab check`.
struct Dir<'a>(&'a Path);

#[cfg(not(target_arch = "wasm32"))]
impl Folder for Dir<'_> {
    fn index(&self, kind: Kind) -> Option<(String, Result<Vec<IndexEntry>, String>)> {
        Some((self.0.join("index.json").display().to_string(), index_in(self.0, kind)))
    }

    fn has(&self, id: &str) -> bool {
        self.0.join(format!("{id}.json")).is_file()
    }

    fn where_listed(&self) -> &'static str {
        "beside it"
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// The entries of the `index.json` in `dir` and how they read, or why there is none to use.
fn index_in(dir: &Path, kind: Kind) -> Result<Vec<IndexEntry>, String> {
    let path = dir.join("index.json");
    let text = std::fs::read_to_string(&path).map_err(|_| format!("there is no readable {}", path.display()))?;
    let parsed = parse_index(kind == Kind::Lesson, &text);
    parsed.map_err(|e: FileError| format!("{} is not valid: {e}", path.display()))
}

#[cfg(not(target_arch = "wasm32"))]
/// The `.json` files a command-line argument names: the file, or every `.json` of a folder.
fn expand(arg: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !arg.is_dir() {
        return Ok(vec![arg.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(arg)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(not(target_arch = "wasm32"))]
/// Checks every file (or folder of files) named: one line per file, "ok" or "FAIL" with each
/// problem under it, and the index's view of the folder: a lesson or bank missing from the
/// `index.json` beside it is named, and so is an entry whose file does not exist. Returns the
/// report and whether everything passed.
pub fn check_paths(args: &[PathBuf]) -> (String, bool) {
    let mut report = String::new();
    let mut ok = true;
    for arg in args {
        let files = match expand(arg) {
            Ok(f) => f,
            Err(e) => {
                report.push_str(&format!("FAIL {}: cannot be read: {e}\n", arg.display()));
                ok = false;
                continue;
            }
        };
        for path in files {
            let shown = path.display().to_string();
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let text = match std::fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(_) => {
                        report.push_str(&format!("FAIL {shown}: not UTF-8 text\n"));
                        ok = false;
                        continue;
                    }
                },
                Err(e) => {
                    report.push_str(&format!("FAIL {shown}: cannot be read: {e}\n"));
                    ok = false;
                    continue;
                }
            };
            let mut v = check_text(&stem, &text);
            let dir = path.parent().unwrap_or(Path::new("."));
            let more = listing_problems(&v, &text, &Dir(dir));
            v.problems.extend(more);
            if v.problems.is_empty() {
                report.push_str(&format!("ok   {shown} ({})\n", v.summary));
            } else {
                ok = false;
                report.push_str(&format!("FAIL {shown}\n"));
                for p in &v.problems {
                    report.push_str(&format!("     - {p}\n"));
                }
            }
        }
    }
    (report, ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANK: &str = include_str!("../../www/quizzes/basics.json");
    const LESSON: &str = include_str!("../../www/lessons/view-types.json");

    fn given(files: &[(&str, &str)]) -> Vec<Verdict> {
        let files: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        check_files(&files, &Site::default())
    }

    #[test]
    fn a_pasted_json_mistake_is_placed_with_its_fix() {
        let v = given(&[("", "{\n \"id\": \"broken\",\n \"steps\": [],\n}\n")]);
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].problems,
            ["not valid JSON at line 4, column 1: trailing comma; remove the comma before the closing bracket: JSON allows none after the last member"]
        );
    }

    #[test]
    fn a_pasted_file_has_no_name_to_match_and_a_good_one_passes() {
        let v = given(&[("", LESSON)]);
        assert_eq!(v[0].problems, Vec::<String>::new());
        assert_eq!(v[0].kind, Some(Kind::Lesson));
        assert!(v[0].summary.starts_with("lesson, 6 steps"), "{}", v[0].summary);
        // A named file must carry its name as its id.
        let v = given(&[("other.json", LESSON)]);
        assert!(
            v[0].problems[0].contains("its id is \"view-types\" but the file is other.json"),
            "{:?}",
            v[0].problems
        );
    }

    #[test]
    fn files_given_together_are_compared_with_their_index() {
        let index = r#"{"format": 1, "banks": [{"id": "gone", "title": "Gone"}]}"#;
        let v = given(&[("basics.json", BANK), ("index.json", index)]);
        assert_eq!(
            v[0].problems,
            ["not listed in index.json: add {\"id\": \"basics\", \"title\": ...} to it, or the menu will not show it"]
        );
        assert_eq!(v[1].kind, Some(Kind::BankIndex));
        assert_eq!(v[1].problems, ["lists \"gone\", but gone.json is not among the files given"]);
        // Listed and present: both pass. A lesson index says nothing of banks.
        let index = r#"{"format": 1, "banks": [{"id": "basics", "title": "Basics"}]}"#;
        let lessons = r#"{"format": 1, "lessons": []}"#;
        let v = given(&[("quizzes/basics.json", BANK), ("quizzes/index.json", index), ("index.json", lessons)]);
        assert!(v.iter().all(|v| v.problems.is_empty()), "{v:?}");
        // Alone, a file is not compared with anything.
        assert!(given(&[("basics.json", BANK)])[0].problems.is_empty());
    }

    #[test]
    fn an_unreadable_index_is_said_once_per_file_it_should_list() {
        let v = given(&[("basics.json", BANK), ("index.json", r#"{"format": 2, "banks": []}"#)]);
        assert_eq!(v[1].problems, ["field \"format\" must be 1"]);
        assert_eq!(
            v[0].problems,
            ["index.json is not valid: field \"format\" must be 1: the menu lists lessons and banks from it"]
        );
    }

    #[test]
    fn with_no_index_given_the_sites_own_is_compared() {
        let site = Site {
            lessons: Some(include_str!("../../www/lessons/index.json").into()),
            banks: Some(include_str!("../../www/quizzes/index.json").into()),
        };
        let check = |files: &[(&str, &str)]| {
            let files: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
            check_files(&files, &site)
        };
        // Shipped files are listed.
        assert!(check(&[("basics.json", BANK), ("view-types.json", LESSON)]).iter().all(|v| v.problems.is_empty()));
        // A new lesson is not, yet.
        let mine = LESSON.replacen("\"id\": \"view-types\"", "\"id\": \"mine\"", 1);
        assert_eq!(
            check(&[("mine.json", &mine)])[0].problems,
            ["not listed in this site's lessons/index.json: add {\"id\": \"mine\", \"title\": ...} to it, or the menu will not show it"]
        );
        // An index given is compared with instead; the site's lesson index says nothing of banks.
        let index = r#"{"format": 1, "lessons": [{"id": "mine", "title": "Mine"}]}"#;
        assert!(check(&[("mine.json", &mine), ("index.json", index)]).iter().all(|v| v.problems.is_empty()));
        // An unreadable site menu is not the author's problem.
        let site = Site { lessons: Some("not json".into()), banks: None };
        let files = vec![("mine.json".to_string(), mine.clone())];
        assert!(check_files(&files, &site)[0].problems.is_empty());
    }

    #[test]
    fn checked_files_are_compared_again_without_being_checked_again() {
        let files: Vec<(String, String)> =
            vec![("basics.json".into(), BANK.into()), ("index.json".into(), r#"{"format": 1, "banks": []}"#.into())];
        let checked: Vec<Verdict> = files.iter().map(|(n, t)| check_file(n, t)).collect();
        assert!(checked.iter().all(|v| v.problems.is_empty()), "alone, each file passes");
        let listed = with_listing(&files, checked, &Site::default());
        assert_eq!(listed, check_files(&files, &Site::default()));
        assert_eq!(listed[0].problems.len(), 1, "{listed:?}");
    }

    #[test]
    fn stems() {
        assert_eq!(stem_of("a/b/basics.json"), "basics");
        assert_eq!(stem_of("C:\\x\\y.json"), "y");
        assert_eq!(stem_of("notes.txt"), "notes.txt");
        assert_eq!(stem_of(""), "");
    }
}
