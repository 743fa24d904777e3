//! SCORM 1.2: the package's manifest (`imsmanifest.xml`, one SCO per lesson and per quiz bank)
//! and what the page reports to an LMS, as plain data. The page's `web::scorm` only talks to the
//! LMS's API object: it hands this module the quiz or lesson state and sets the `cmi` values it
//! gets back. Clock-free: the session time is formatted from milliseconds the page measures.
//!
//! The data model is SCORM 1.2's Run-Time Environment (RTE 3.4): `cmi.core.lesson_status`,
//! `cmi.core.score.raw/min/max`, `cmi.core.exit`, `cmi.core.session_time` (CMITimespan),
//! `cmi.suspend_data` (CMIString4096) and `cmi.interactions.n.*` with the 1.2 vocabularies.
//!
//! Choices of the simulator's own (SCORM leaves them to the content):
//! - a lesson is `completed` once its last step is shown, `incomplete` before;
//! - the page sets `incomplete` as soon as a SCO starts, so that a SCO opened and left is not
//!   marked `completed` by the LMS at LMSFinish (as SCORM 1.2 lets an LMS do with a status the
//!   content never set);
//! - a quiz in practice mode is `completed` when finished if no mastery score is in force
//!   (with one, only an exam can pass it: practice stays `incomplete`), and reports no
//!   score (its answers come with feedback); an exam reports its score, and is `passed` or
//!   `failed` against the mastery score (the LMS's `cmi.student_data.mastery_score` if it gives
//!   one, else the bank's `mastery`), or `completed` when there is none;
//! - the raw score is the percent of questions right, rounded down to two decimals, so that
//!   it reaches a mastery score exactly when the unrounded percent does;
//! - a status never goes down in a session ([`next_status`]): practice after a passed exam
//!   leaves it passed, and a failed retake leaves a pass (a fail after a fail, or a pass after
//!   a fail, is set);
//! - an interaction is written once its answer is final: a practice answer when it is given,
//!   every exam answer when the exam ends (an unanswered question as `wrong`, with no response).

use crate::teach::quiz::{Bank, Instance, Mode, QuestionKind, Quiz};

/// Longest `cmi.suspend_data` an LMS must keep (CMIString4096).
pub const MAX_SUSPEND: usize = 4096;

/// What one SCO of the package opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sco {
    Lesson(String),
    Quiz(String),
}

impl Sco {
    /// `lesson` or `quiz`: the key of its link.
    pub fn key(&self) -> &'static str {
        match self {
            Sco::Lesson(_) => "lesson",
            Sco::Quiz(_) => "quiz",
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Sco::Lesson(id) | Sco::Quiz(id) => id,
        }
    }

    /// The SCO's launch path in the package: `index.html?embed=1&lesson=<id>`. A query, not a
    /// fragment: an LMS launches a resource's `href` as given, query included, and the page
    /// turns it into its own `#lesson=<id>` fragment ([`launch_of`]). `embed=1`: the page's
    /// header (menus of other lessons and quizzes, share, export) is hidden, as in an iframe
    /// of a course page, so the SCO stays on its own lesson or quiz.
    pub fn launch(&self) -> String {
        format!("index.html?embed=1&{}={}", self.key(), self.id())
    }

    /// The page fragment that opens it: `lesson=<id>`.
    pub fn fragment(&self) -> String {
        format!("{}={}", self.key(), self.id())
    }
}

/// The SCO a page's query string (`location.search`, with or without `?`) launches, if any:
/// `?lesson=<id>` or `?quiz=<id>`, among any other parameters an LMS adds. A name a link may
/// not carry is ignored.
pub fn launch_of(search: &str) -> Option<Sco> {
    let q = search.strip_prefix('?').unwrap_or(search);
    q.split('&').find_map(|part| match part.split_once('=') {
        Some(("lesson", id)) if crate::teach::share::valid_name(id) => Some(Sco::Lesson(id.to_string())),
        Some(("quiz", id)) if crate::teach::share::valid_name(id) => Some(Sco::Quiz(id.to_string())),
        _ => None,
    })
}

// ---- the manifest ---------------------------------------------------------------------------

/// One SCO of the manifest: what it opens, its title in the LMS, and for a quiz bank the
/// mastery score it declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestItem {
    pub sco: Sco,
    pub title: String,
    pub mastery: Option<u32>,
}

/// Escapes text for an XML attribute value or element content.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all (controls other than tab and newlines).
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `imsmanifest.xml` of a SCORM 1.2 package (IMS Content Packaging 1.1.2 with ADL's `adlcp`
/// extensions): one organization whose items are the SCOs, in the order given, each a
/// resource of `adlcp:scormtype="sco"` launching [`Sco::launch`] and depending on one asset
/// resource that lists `files` (every file of the site, paths relative to the package root).
/// An error for an empty list of SCOs or a file path that is absolute or climbs out.
pub fn manifest(title: &str, items: &[ManifestItem], files: &[String]) -> Result<String, String> {
    if items.is_empty() {
        return Err("no lesson or quiz bank to package".into());
    }
    if let Some(bad) = files.iter().find(|f| f.is_empty() || f.starts_with('/') || f.split('/').any(|s| s == "..")) {
        return Err(format!("file path \"{bad}\" is not relative to the package root"));
    }
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(
        "<manifest identifier=\"streamlab-scorm12\" version=\"1.0\"\n  \
         xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"\n  \
         xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\">\n",
    );
    x.push_str("  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n  </metadata>\n");
    x.push_str("  <organizations default=\"streamlab\">\n    <organization identifier=\"streamlab\">\n");
    x.push_str(&format!("      <title>{}</title>\n", xml_escape(title)));
    for it in items {
        // Ids are [a-z0-9-] (checked by the index parsers); the prefix makes them valid XML
        // ids (which cannot start with a digit) and tells a lesson from a bank of the same id.
        let id = format!("{}-{}", it.sco.key(), it.sco.id());
        let kind = if matches!(it.sco, Sco::Lesson(_)) { "Lesson" } else { "Quiz" };
        x.push_str(&format!(
            "      <item identifier=\"item-{}\" identifierref=\"res-{}\" isvisible=\"true\">\n",
            xml_escape(&id),
            xml_escape(&id)
        ));
        x.push_str(&format!("        <title>{kind}: {}</title>\n", xml_escape(&it.title)));
        if let Some(m) = it.mastery {
            x.push_str(&format!("        <adlcp:masteryscore>{m}</adlcp:masteryscore>\n"));
        }
        x.push_str("      </item>\n");
    }
    x.push_str("    </organization>\n  </organizations>\n  <resources>\n");
    for it in items {
        let id = format!("{}-{}", it.sco.key(), it.sco.id());
        x.push_str(&format!(
            "    <resource identifier=\"res-{}\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"{}\">\n",
            xml_escape(&id),
            xml_escape(&it.sco.launch())
        ));
        x.push_str(
            "      <file href=\"index.html\"/>\n      <dependency identifierref=\"res-site\"/>\n    </resource>\n",
        );
    }
    x.push_str("    <resource identifier=\"res-site\" type=\"webcontent\" adlcp:scormtype=\"asset\">\n");
    for f in files {
        x.push_str(&format!("      <file href=\"{}\"/>\n", xml_escape(f)));
    }
    x.push_str("    </resource>\n  </resources>\n</manifest>\n");
    Ok(x)
}

// ---- what is reported -----------------------------------------------------------------------

/// `cmi.core.session_time` for `ms` milliseconds: CMITimespan, `HHHH:MM:SS.SS` (hours of 2 to
/// 4 digits: written with 4, up to 9999:59:59.99; seconds with two decimals). A negative or
/// non-finite time (a clock that jumped) is zero.
pub fn session_time(ms: f64) -> String {
    let cs_max = ((9999.0 * 60.0 + 59.0) * 60.0 + 59.0) * 100.0 + 99.0;
    let cs = if ms.is_finite() && ms > 0.0 { (ms / 10.0).floor().min(cs_max) as u64 } else { 0 };
    let (h, m, s, c) = (cs / 360_000, cs / 6_000 % 60, cs / 100 % 60, cs % 100);
    format!("{h:04}:{m:02}:{s:02}.{c:02}")
}

/// The SCORM 1.2 interaction type (`cmi.interactions.n.type`, RTE 3.4.2.7.2) of a question
/// kind: an ordering question is `sequencing`, a matching one `matching`, every other kind
/// (one option or a set of options) `choice`.
pub fn interaction_type(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Ordering => "sequencing",
        QuestionKind::Matching => "matching",
        _ => "choice",
    }
}

/// The option at index `i` as a 1.2 response character: `a`, `b`, ... (a bank has at most 8
/// options, well within `a`–`z`).
fn letter(i: usize) -> char {
    char::from(b'a' + (i % 26) as u8)
}

/// An answer in the SCORM 1.2 response format of its interaction type (RTE 3.4.2.7.5): for
/// `choice` the options chosen as letters separated by commas (`a,c`; none: empty), for
/// `sequencing` the options in the learner's order (`c,a,b`), for `matching` each item (from
/// 1) with its option, `1.b,2.a`.
pub fn response(q: &Instance, ix: &[usize]) -> String {
    let parts: Vec<String> = match q.kind {
        QuestionKind::Matching => {
            ix.iter().enumerate().map(|(item, &o)| format!("{}.{}", item + 1, letter(o))).collect()
        }
        _ => ix.iter().map(|&o| letter(o).to_string()).collect(),
    };
    parts.join(",")
}

/// One interaction to write: its values, keys relative to `cmi.interactions.n.`.
pub type Interaction = Vec<(&'static str, String)>;

/// The interactions of `q` whose answer is final, by question index: a practice answer once
/// given, every question once the quiz is finished. Result `correct` or `wrong`.
pub fn interactions(q: &Quiz) -> Vec<(usize, Interaction)> {
    let s = q.summary();
    q.questions()
        .iter()
        .zip(&s.results)
        .enumerate()
        .filter(|(_, (_, r))| q.is_finished() || (q.mode == Mode::Practice && r.chosen.is_some()))
        .map(|(i, (inst, r))| {
            let right = r.chosen.is_some() && r.feedback.correct;
            let mut values = vec![
                ("id", inst.id.clone()),
                ("type", interaction_type(inst.kind).to_string()),
                ("student_response", r.chosen.as_deref().map(|a| response(inst, a)).unwrap_or_default()),
                ("result", if right { "correct" } else { "wrong" }.to_string()),
                ("weighting", "1".to_string()),
                ("correct_responses.0.pattern", response(inst, &inst.correct)),
            ];
            // The bank's goal the question tests (a file name's characters: a CMIIdentifier),
            // so an LMS's report can group the answers by goal.
            if let Some(goal) = &inst.goal {
                values.push(("objectives.0.id", goal.clone()));
            }
            (i, values)
        })
        .collect()
}

/// The questions of `q` whose interaction is final now (see [`interactions`]).
pub fn final_questions(q: &Quiz) -> Vec<usize> {
    interactions(q).into_iter().map(|(i, _)| i).collect()
}

/// How far a status is along: a new status replaces the old one only if it is at least as far
/// ([`next_status`]).
fn rank(status: &str) -> u8 {
    match status {
        "incomplete" => 1,
        "completed" => 2,
        "failed" => 3,
        "passed" => 4,
        _ => 0,
    }
}

/// The `cmi.core.lesson_status` to set when the page's state says `new` and the LMS has
/// `prior`: `new`, unless that would take it back (incomplete after completed, completed
/// after passed or failed, failed after passed). A later exam's pass replaces a fail; a
/// pass stays (StreamLab's choice: a retake cannot lose a pass).
pub fn next_status<'a>(prior: &str, new: &'a str) -> Option<&'a str> {
    (rank(new) >= rank(prior) && prior != new).then_some(new)
}

/// A percent rounded down to two decimals, as CMIDecimal: `66.66`, `80`, `100`.
fn percent(right: usize, total: usize) -> String {
    let hundredths = (right as u128 * 10_000).checked_div(total as u128).unwrap_or(0);
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// The mastery score in force: the LMS's `cmi.student_data.mastery_score` when it gives a
/// number from 0 to 100 (SCORM says the LMS's value is the one to judge by), else the bank's.
pub fn mastery_in_force(lms: &str, bank: Option<u32>) -> Option<f64> {
    let lms = lms.trim().parse::<f64>().ok().filter(|m| m.is_finite() && (0.0..=100.0).contains(m));
    lms.or(bank.map(f64::from))
}

/// What the page reports of a quiz: `cmi.core.*` values and `cmi.suspend_data`, in the order
/// to set them (interactions apart: [`interactions`]), and whether the learner is done (then
/// `cmi.core.exit` is empty, else `suspend`).
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub values: Vec<(&'static str, String)>,
    pub done: bool,
}

/// The report of quiz `q` showing question `at`, judged against `mastery` (from
/// [`mastery_in_force`]). None when its suspend data would not fit (impossible for a bank
/// the parser accepted: see the tests).
pub fn quiz_report(q: &Quiz, at: usize, mastery: Option<f64>) -> Option<Report> {
    let s = q.summary();
    let mut values = Vec::new();
    let status = match (q.mode, q.is_finished()) {
        (_, false) => "incomplete",
        // Practice completes a bank only when no mastery score is in force: with one, only an
        // exam can pass it (StreamLab's choice; practice shows the answers as it goes).
        (Mode::Practice, true) if mastery.is_some() => "incomplete",
        (Mode::Practice, true) => "completed",
        (Mode::Exam, true) => {
            values.push(("cmi.core.score.min", "0".to_string()));
            values.push(("cmi.core.score.max", "100".to_string()));
            values.push(("cmi.core.score.raw", percent(s.correct, s.total)));
            match mastery {
                // right / total >= m / 100, without rounding.
                Some(m) if (s.correct as f64) * 100.0 >= m * s.total as f64 => "passed",
                Some(_) => "failed",
                None => "completed",
            }
        }
    };
    values.insert(0, ("cmi.core.lesson_status", status.to_string()));
    let data = quiz_suspend_data(q, at)?;
    values.push(("cmi.suspend_data", data));
    Some(Report { values, done: q.is_finished() })
}

/// The report of a lesson of `steps` steps showing position `pos` (0..steps: a step; steps:
/// the playground).
pub fn lesson_report(lesson: &str, pos: usize, steps: usize) -> Report {
    let done = pos.saturating_add(1) >= steps;
    Report {
        values: vec![
            ("cmi.core.lesson_status", if done { "completed" } else { "incomplete" }.to_string()),
            ("cmi.suspend_data", format!("L1|{lesson}|{pos}")),
        ],
        done,
    }
}

/// The lesson position kept in `data` ([`lesson_report`]) for lesson `lesson`, if it is that.
/// The data comes from the LMS: a position past any lesson's playground is refused.
pub fn lesson_resume(lesson: &str, data: &str) -> Option<usize> {
    let mut parts = data.split('|');
    (parts.next()? == "L1" && parts.next()? == lesson).then_some(())?;
    let pos = parts.next()?.parse::<usize>().ok().filter(|&p| p <= crate::teach::lesson::MAX_STEPS)?;
    parts.next().is_none().then_some(pos)
}

/// A quiz in progress as compact suspend data: `Q1|<bank>|<e or p>|<seed>|<at>|<0 or
/// 1>|<answers>`, each answer its option letters in order (`-`: not answered; nothing: answered
/// with no option), separated by `.`. At most 8 options a question and 200 questions keep it
/// under 2,000 characters; None if it would not fit in [`MAX_SUSPEND`].
pub fn quiz_suspend_data(q: &Quiz, at: usize) -> Option<String> {
    let answers: Vec<String> = (0..q.questions().len())
        .map(|i| match q.answer_of(i) {
            None => "-".to_string(),
            Some(a) => a.iter().map(|&o| letter(o)).collect(),
        })
        .collect();
    let mode = if q.mode == Mode::Exam { "e" } else { "p" };
    let text = format!("Q1|{}|{mode}|{}|{at}|{}|{}", q.bank_id, q.seed, u8::from(q.is_finished()), answers.join("."));
    (text.chars().count() <= MAX_SUSPEND).then_some(text)
}

/// The quiz of `bank` kept in `data` ([`quiz_suspend_data`]), answered again from the start (an
/// answer the quiz refuses now is dropped), and the question shown. None when `data` is not
/// this bank's.
pub fn quiz_resume(bank: &Bank, data: &str) -> Option<(Quiz, usize)> {
    let p: Vec<&str> = data.split('|').collect();
    let [tag, id, mode, seed, at, finished, answers] = p[..] else { return None };
    if tag != "Q1" || id != bank.id {
        return None;
    }
    let mode = match mode {
        "e" => Mode::Exam,
        "p" => Mode::Practice,
        _ => return None,
    };
    let mut quiz = Quiz::start(bank, mode, seed.parse().ok()?);
    for (i, a) in answers.split('.').enumerate().take(quiz.questions().len()) {
        if a == "-" {
            continue;
        }
        let choice: Option<Vec<usize>> =
            a.bytes().map(|b| b.is_ascii_lowercase().then(|| usize::from(b - b'a'))).collect();
        if let Some(choice) = choice {
            let _ = quiz.answer(i, &choice);
        }
    }
    if finished == "1" {
        quiz.finish();
    }
    let at = at.parse::<usize>().ok()?.min(quiz.questions().len().saturating_sub(1));
    Some((quiz, at))
}

// ---- the package (native) -------------------------------------------------------------------

#[cfg(not(target_arch = "wasm32"))]
mod package {
    use std::io::Write;
    use std::path::{Path, PathBuf};

    use super::{manifest, ManifestItem, Sco};
    use crate::teach::{lesson, quiz};

    /// Every file under `dir`, as paths relative to it with `/`, sorted.
    fn files_under(dir: &Path) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        let mut todo: Vec<PathBuf> = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            let entries = std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
            for e in entries {
                let path = e.map_err(|e| format!("cannot read {}: {e}", d.display()))?.path();
                if path.is_dir() {
                    todo.push(path);
                } else {
                    let rel = path.strip_prefix(dir).map_err(|_| format!("{} is outside", path.display()))?;
                    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
                    let parts = parts.ok_or_else(|| format!("{} is not a UTF-8 file name", rel.display()))?;
                    out.push(parts.join("/"));
                }
            }
        }
        out.sort();
        Ok(out)
    }

    fn read(dir: &Path, rel: &str) -> Result<String, String> {
        std::fs::read_to_string(dir.join(rel)).map_err(|e| format!("cannot read {}: {e}", dir.join(rel).display()))
    }

    /// The SCOs of the site in `dist`: every lesson of `lessons/index.json`, then every bank of
    /// `quizzes/index.json`, each file read for its title and (a bank's) mastery.
    pub fn items(dist: &Path) -> Result<Vec<ManifestItem>, String> {
        let mut items = Vec::new();
        let lessons = lesson::parse_index(&read(dist, "lessons/index.json")?)
            .map_err(|e| format!("{}: {e}", dist.join("lessons/index.json").display()))?;
        for e in lessons {
            let l = lesson::parse(&read(dist, &format!("lessons/{}.json", e.id))?)
                .map_err(|err| format!("lessons/{}.json: {err}", e.id))?;
            items.push(ManifestItem { sco: Sco::Lesson(e.id), title: l.title, mastery: None });
        }
        let banks = quiz::parse_index(&read(dist, "quizzes/index.json")?)
            .map_err(|e| format!("{}: {e}", dist.join("quizzes/index.json").display()))?;
        for e in banks {
            let b = quiz::parse(&read(dist, &format!("quizzes/{}.json", e.id))?)
                .map_err(|err| format!("quizzes/{}.json: {err}", e.id))?;
            items.push(ManifestItem { sco: Sco::Quiz(e.id), title: b.title, mastery: b.mastery });
        }
        Ok(items)
    }

    /// `streamlab scorm DIST --out ZIP`: the release build in `dist` (built with a relative
    /// base, `--public-url ./`) as a SCORM 1.2 package: `imsmanifest.xml` at the root, then
    /// every file of `dist`, DEFLATE-compressed. Returns a line saying what was written.
    pub fn write_package(dist: &Path, out: &Path) -> Result<String, String> {
        let index = read(dist, "index.html")?;
        // A build for the site root loads "/boot.js": inside an LMS that is the LMS's own root.
        if !index.contains("src=\"./boot.js\"") {
            return Err(format!(
                "{} was not built with a relative base: build it with `trunk build --release --offline --public-url ./` (make scorm does)",
                dist.display()
            ));
        }
        let items = items(dist)?;
        let files = files_under(dist)?;
        if files.iter().any(|f| f == "imsmanifest.xml") {
            return Err(format!("{} already has an imsmanifest.xml", dist.display()));
        }
        let xml = manifest("StreamLab: DynamoDB Streams and Lambda triggers", &items, &files)?;
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let file = std::fs::File::create(out).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let fail = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", out.display());
        zip.start_file("imsmanifest.xml", options).map_err(|e| fail(&e))?;
        zip.write_all(xml.as_bytes()).map_err(|e| fail(&e))?;
        for f in &files {
            let bytes = std::fs::read(dist.join(f)).map_err(|e| format!("cannot read {f}: {e}"))?;
            zip.start_file(f.as_str(), options).map_err(|e| fail(&e))?;
            zip.write_all(&bytes).map_err(|e| fail(&e))?;
        }
        zip.finish().map_err(|e| fail(&e))?;
        let (l, q) = items
            .iter()
            .fold((0, 0), |(l, q), i| if matches!(i.sco, Sco::Lesson(_)) { (l + 1, q) } else { (l, q + 1) });
        Ok(format!("wrote {} ({l} lessons and {q} quiz banks as SCOs, {} files)", out.display(), files.len() + 1))
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use package::{items as package_items, write_package};

// ---- a SCORM session's reports ----------------------------------------------------------------

/// Values to hand to `LMSSetValue`, in order.
pub type Sets = Vec<(String, String)>;

/// What the page has told the LMS in one SCORM session, and so what it tells it next: the
/// reporting rules apart from the API calls (`src/web/scorm.rs` makes those, with what this
/// returns, and LMSCommit after any).
#[derive(Clone, Debug)]
pub struct Reporter {
    /// What this SCO launched: reports about any other lesson or quiz are not its own.
    pub sco: Sco,
    /// `cmi.core.entry` and `cmi.suspend_data` as the LMS gave them.
    entry: String,
    suspend: String,
    /// `cmi.student_data.mastery_score` as the LMS gave it ("" when it has none).
    mastery: String,
    /// The LMS's `cmi.core.lesson_status`, as read at start or last set.
    status: String,
    /// The other values as last set (set again only when they change).
    sent: Vec<(&'static str, String)>,
    /// Interactions written so far (`cmi.interactions._count`): the next one's index.
    interactions: usize,
    /// The questions of the quiz shown whose interaction is written.
    journaled: Vec<usize>,
    /// The quiz shown next was resumed: its final answers were written in an earlier session.
    resumed: bool,
    /// The learner finished the lesson or quiz (no `suspend` on leaving).
    done: bool,
}

impl Reporter {
    /// A session of SCO `sco`, with what the LMS answered to LMSGetValue at start:
    /// `cmi.core.entry`, `cmi.suspend_data`, `cmi.student_data.mastery_score`,
    /// `cmi.core.lesson_status` and `cmi.interactions._count`.
    pub fn new(sco: Sco, entry: &str, suspend: &str, mastery: &str, status: &str, count: &str) -> Reporter {
        Reporter {
            sco,
            entry: entry.to_string(),
            suspend: suspend.to_string(),
            mastery: mastery.to_string(),
            status: status.to_string(),
            sent: Vec::new(),
            interactions: count.trim().parse().unwrap_or(0),
            journaled: Vec::new(),
            resumed: false,
            done: false,
        }
    }

    /// What to set as the session starts: `incomplete` when the LMS has no status yet, since
    /// SCORM 1.2 lets an LMS record `completed` at LMSFinish for a SCO that never set one.
    pub fn opening(&mut self) -> Sets {
        self.status_to("incomplete").into_iter().collect()
    }

    /// Resume data the LMS gave for this SCO: not on a first launch (`ab-initio`).
    fn resume_data(&self) -> Option<&str> {
        (self.entry != "ab-initio" && !self.suspend.is_empty()).then_some(self.suspend.as_str())
    }

    /// The quiz of `bank` as the LMS kept it (this SCO's quiz, resumed), and the question shown.
    pub fn quiz_resume(&mut self, bank: &Bank) -> Option<(Quiz, usize)> {
        if self.sco != Sco::Quiz(bank.id.clone()) {
            return None;
        }
        let resumed = quiz_resume(bank, self.resume_data()?)?;
        self.resumed = true;
        Some(resumed)
    }

    /// The step of lesson `name` the LMS kept (this SCO's lesson, resumed), from 0.
    pub fn lesson_resume(&self, name: &str) -> Option<usize> {
        (self.sco == Sco::Lesson(name.to_string())).then_some(())?;
        lesson_resume(name, self.resume_data()?)
    }

    /// The quiz of `bank` changed (`None`: not started, or started again), showing question
    /// `at`: its new interactions (each written once, numbered on from the LMS's count), then
    /// its report's values that changed.
    pub fn quiz_changed(&mut self, bank: &Bank, quiz: Option<&Quiz>, at: usize) -> Sets {
        let mut sets = Sets::new();
        if self.sco != Sco::Quiz(bank.id.clone()) {
            return sets;
        }
        let Some(q) = quiz else {
            self.journaled.clear();
            self.resumed = false;
            return sets;
        };
        if std::mem::take(&mut self.resumed) {
            self.journaled = final_questions(q);
        }
        for (i, values) in interactions(q) {
            if self.journaled.contains(&i) {
                continue;
            }
            let n = self.interactions;
            sets.extend(values.into_iter().map(|(key, value)| (format!("cmi.interactions.{n}.{key}"), value)));
            self.interactions = self.interactions.saturating_add(1);
            self.journaled.push(i);
        }
        let mastery = mastery_in_force(&self.mastery, bank.mastery);
        if let Some(report) = quiz_report(q, at, mastery) {
            sets.extend(self.apply(&report));
        }
        sets
    }

    /// Lesson `name` of `steps` steps shows position `pos` (`steps`: the playground).
    pub fn lesson_at(&mut self, name: &str, pos: usize, steps: usize) -> Sets {
        match self.sco == Sco::Lesson(name.to_string()) {
            true => self.apply(&lesson_report(name, pos, steps)),
            false => Sets::new(),
        }
    }

    /// What to set on leaving, `elapsed_ms` after the start: the session time and the exit
    /// (`suspend` unless the learner is done).
    pub fn closing(&self, elapsed_ms: f64) -> Sets {
        vec![
            ("cmi.core.session_time".to_string(), session_time(elapsed_ms)),
            ("cmi.core.exit".to_string(), if self.done { "" } else { "suspend" }.to_string()),
        ]
    }

    /// The status, when it may go to `new` ([`next_status`]).
    fn status_to(&mut self, new: &str) -> Option<(String, String)> {
        let s = next_status(&self.status, new)?.to_string();
        self.status = s.clone();
        Some(("cmi.core.lesson_status".to_string(), s))
    }

    /// The values of `report` that changed since last set.
    fn apply(&mut self, report: &Report) -> Sets {
        let mut sets = Sets::new();
        for (key, value) in &report.values {
            if *key == "cmi.core.lesson_status" {
                sets.extend(self.status_to(value));
                continue;
            }
            if self.sent.iter().any(|(k, v)| k == key && v == value) {
                continue;
            }
            sets.push((key.to_string(), value.clone()));
            self.sent.retain(|(k, _)| k != key);
            self.sent.push((key, value.clone()));
        }
        self.done = report.done;
        sets
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teach::quiz;
    use serde_json::json;

    fn bank(mastery: Option<u32>) -> Bank {
        let mut v = json!({"format": 1, "id": "t", "title": "T", "description": "d",
            "goals": [{"id": "retention", "text": "Say how long a stream keeps records"}], "questions": [
            {"id": "c1", "kind": "choice", "prompt": "How long are records kept?", "explanation": "24 h.",
             "options": [{"text": "24 hours"}, {"text": "7 days"}], "answer": 0, "goal": "retention"},
            {"id": "m1", "kind": "multiple-response", "prompt": "Two?", "explanation": "e",
             "options": [{"text": "a"}, {"text": "b"}, {"text": "c"}], "answer": [0, 2]},
            {"id": "o1", "kind": "ordering", "prompt": "Order", "explanation": "e",
             "items": [{"text": "first"}, {"text": "second"}, {"text": "third"}]},
            {"id": "p1", "kind": "matching", "prompt": "Match", "explanation": "e",
             "pairs": [{"item": "x", "match": "X"}, {"item": "y", "match": "Y"}]}
        ]});
        if let Some(m) = mastery {
            v["mastery"] = json!(m);
        }
        quiz::parse(&v.to_string()).unwrap()
    }

    fn get<'a>(r: &'a Report, key: &str) -> Option<&'a str> {
        r.values.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
    }

    /// Answers every question of `q` right, except those in `wrong` (answered wrong).
    fn answer_all(q: &mut Quiz, wrong: &[usize]) {
        for i in 0..q.questions().len() {
            let inst = &q.questions()[i];
            let mut a = inst.correct.clone();
            if wrong.contains(&i) {
                if inst.kind.positional() {
                    a.swap(0, 1);
                } else if inst.multi {
                    a = (0..inst.options.len()).filter(|o| !inst.correct.contains(o)).take(a.len()).collect();
                    if a.len() < inst.correct.len() {
                        a = vec![inst.correct[0], (0..inst.options.len()).find(|o| !inst.correct.contains(o)).unwrap()];
                    }
                } else {
                    a = vec![(0..inst.options.len()).find(|o| !inst.correct.contains(o)).unwrap()];
                }
            }
            q.answer(i, &a).unwrap();
        }
    }

    #[test]
    fn session_time_is_a_cmi_timespan() {
        // RTE 1.2 CMITimespan: HHHH:MM:SS.SS, hours 2-4 digits, 1-2 decimals of a second.
        assert_eq!(session_time(0.0), "0000:00:00.00");
        assert_eq!(session_time(65_250.0), "0000:01:05.25");
        assert_eq!(session_time(3_600_000.0 * 27.0 + 59_999.0), "0027:00:59.99");
        assert_eq!(session_time(-5.0), "0000:00:00.00");
        assert_eq!(session_time(f64::NAN), "0000:00:00.00");
        assert_eq!(session_time(1e15), "9999:59:59.99", "capped at the largest 4-digit-hour time");
    }

    #[test]
    fn a_launch_is_a_query_the_page_reads() {
        assert_eq!(Sco::Lesson("view-types".into()).launch(), "index.html?embed=1&lesson=view-types");
        assert_eq!(launch_of("?lesson=view-types"), Some(Sco::Lesson("view-types".into())));
        // An LMS may add its own parameters.
        assert_eq!(launch_of("?foo=1&quiz=basics&x=y"), Some(Sco::Quiz("basics".into())));
        assert_eq!(launch_of("?lesson=../x"), None);
        assert_eq!(launch_of(""), None);
        assert_eq!(launch_of("?embed=1"), None);
    }

    #[test]
    fn the_manifest_has_one_sco_per_item_and_escapes_text() {
        let items = vec![
            ManifestItem { sco: Sco::Lesson("view-types".into()), title: "Views <&> \"types\"".into(), mastery: None },
            ManifestItem { sco: Sco::Quiz("view-types".into()), title: "Quiz's".into(), mastery: Some(80) },
        ];
        let files = vec!["index.html".to_string(), "lessons/a&b.json".to_string()];
        let x = manifest("StreamLab", &items, &files).unwrap();
        assert!(x.contains("<schemaversion>1.2</schemaversion>"), "{x}");
        assert!(x.contains("<title>Lesson: Views &lt;&amp;&gt; &quot;types&quot;</title>"), "{x}");
        assert!(x.contains("<title>Quiz: Quiz&apos;s</title>"), "{x}");
        assert!(x.contains(
            "<resource identifier=\"res-quiz-view-types\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"index.html?embed=1&amp;quiz=view-types\">"
        ));
        assert!(x.contains("identifierref=\"res-lesson-view-types\""));
        assert_eq!(x.matches("adlcp:scormtype=\"sco\"").count(), 2);
        assert_eq!(x.matches("<adlcp:masteryscore>80</adlcp:masteryscore>").count(), 1);
        assert!(x.contains("<file href=\"lessons/a&amp;b.json\"/>"));
        assert!(manifest("S", &[], &files).is_err());
        assert!(manifest("S", &items, &["../x".to_string()]).is_err());
        assert!(manifest("S", &items, &["/etc/passwd".to_string()]).is_err());
        assert_eq!(xml_escape("a\u{1}b"), "a b", "no control character XML forbids");
    }

    #[test]
    fn responses_use_the_scorm_12_formats() {
        let b = bank(None);
        // Practice shows the bank's order.
        let q = Quiz::start(&b, Mode::Practice, 3);
        let [c, m, o, p] = [0, 1, 2, 3].map(|i| &q.questions()[i]);
        assert_eq!((interaction_type(c.kind), response(c, &[1])), ("choice", "b".to_string()));
        assert_eq!((interaction_type(m.kind), response(m, &[0, 2])), ("choice", "a,c".to_string()));
        assert_eq!((interaction_type(o.kind), response(o, &[2, 0, 1])), ("sequencing", "c,a,b".to_string()));
        assert_eq!((interaction_type(p.kind), response(p, &[1, 0])), ("matching", "1.b,2.a".to_string()));
        assert_eq!(response(c, &[]), "");
        for k in QuestionKind::ALL {
            assert!(["choice", "sequencing", "matching"].contains(&interaction_type(k)));
        }
    }

    #[test]
    fn an_exam_reports_its_score_and_passes_against_the_mastery() {
        let b = bank(Some(75));
        let mut q = Quiz::start(&b, Mode::Exam, 5);
        answer_all(&mut q, &[1]);
        let r = quiz_report(&q, 2, mastery_in_force("", b.mastery)).unwrap();
        assert_eq!(get(&r, "cmi.core.lesson_status"), Some("incomplete"));
        assert_eq!(get(&r, "cmi.core.score.raw"), None, "no score before the end");
        assert!(!r.done);
        assert!(final_questions(&q).is_empty(), "exam answers are not final before the end");
        q.finish();
        let r = quiz_report(&q, 2, mastery_in_force("", b.mastery)).unwrap();
        assert_eq!(get(&r, "cmi.core.lesson_status"), Some("passed"), "3 of 4 is 75%");
        assert_eq!(
            (get(&r, "cmi.core.score.raw"), get(&r, "cmi.core.score.min"), get(&r, "cmi.core.score.max")),
            (Some("75"), Some("0"), Some("100"))
        );
        assert!(r.done);
        // The LMS's mastery score wins over the bank's.
        let r = quiz_report(&q, 2, mastery_in_force("80", b.mastery)).unwrap();
        assert_eq!(get(&r, "cmi.core.lesson_status"), Some("failed"));
        // No mastery anywhere: completed, with the score.
        let r = quiz_report(&q, 2, mastery_in_force("", None)).unwrap();
        assert_eq!(get(&r, "cmi.core.lesson_status"), Some("completed"));
        assert_eq!(mastery_in_force("junk", Some(60)), Some(60.0));
        assert_eq!(mastery_in_force("150", None), None);
        // Every question is an interaction now, the wrong one wrong.
        assert_eq!(final_questions(&q), vec![0, 1, 2, 3]);
        let results: Vec<String> =
            interactions(&q).into_iter().map(|(_, v)| v.into_iter().find(|(k, _)| *k == "result").unwrap().1).collect();
        assert_eq!(results, ["correct", "wrong", "correct", "correct"]);
    }

    #[test]
    fn the_raw_score_is_rounded_down() {
        assert_eq!(percent(2, 3), "66.66");
        assert_eq!(percent(1, 3), "33.33");
        assert_eq!(percent(1, 8), "12.5");
        assert_eq!(percent(0, 5), "0");
        assert_eq!(percent(5, 5), "100");
        assert_eq!(percent(0, 0), "0");
        // 159 of 200 is 79.5%: not 80 (it would pass a mastery of 80 it does not reach).
        assert_eq!(percent(159, 200), "79.5");
    }

    #[test]
    fn practice_reports_completion_and_each_answer_once_given() {
        // With a mastery score in force, finished practice does not complete the SCO.
        let mut q = Quiz::start(&bank(Some(75)), Mode::Practice, 5);
        q.finish();
        assert_eq!(get(&quiz_report(&q, 1, Some(75.0)).unwrap(), "cmi.core.lesson_status"), Some("incomplete"));
        let b = bank(None);
        let mut q = Quiz::start(&b, Mode::Practice, 5);
        let wrong = (0..2).find(|o| !q.questions()[0].correct.contains(o)).unwrap();
        q.answer(0, &[wrong]).unwrap();
        assert_eq!(final_questions(&q), vec![0]);
        let i = interactions(&q).remove(0).1;
        assert!(i.contains(&("result", "wrong".to_string())) && i.contains(&("id", "c1".to_string())), "{i:?}");
        // The question's goal is the interaction's objective; a question with none has none.
        assert!(i.contains(&("objectives.0.id", "retention".to_string())), "{i:?}");
        q.answer(1, &[0, 1]).unwrap();
        assert!(!interactions(&q).remove(1).1.iter().any(|(k, _)| k.starts_with("objectives")));
        let r = quiz_report(&q, 1, None).unwrap();
        assert_eq!(get(&r, "cmi.core.lesson_status"), Some("incomplete"));
        q.finish();
        let r = quiz_report(&q, 1, None).unwrap();
        assert_eq!(get(&r, "cmi.core.lesson_status"), Some("completed"));
        assert_eq!(get(&r, "cmi.core.score.raw"), None, "practice reports no score");
        // Unanswered questions are journaled as wrong, with no response.
        let i = interactions(&q).remove(3).1;
        assert!(i.contains(&("student_response", String::new())) && i.contains(&("result", "wrong".into())));
    }

    #[test]
    fn a_status_never_goes_back() {
        assert_eq!(next_status("not attempted", "incomplete"), Some("incomplete"));
        assert_eq!(next_status("incomplete", "incomplete"), None, "nothing new");
        assert_eq!(next_status("incomplete", "passed"), Some("passed"));
        assert_eq!(next_status("passed", "completed"), None);
        assert_eq!(next_status("completed", "incomplete"), None);
        assert_eq!(next_status("passed", "failed"), None, "a failed retake keeps the pass");
        assert_eq!(next_status("failed", "passed"), Some("passed"), "a passed retake counts");
        assert_eq!(next_status("failed", "failed"), None);
        assert_eq!(next_status("browsed", "incomplete"), Some("incomplete"));
    }

    #[test]
    fn a_quiz_resumes_from_its_suspend_data() {
        let b = bank(None);
        let mut q = Quiz::start(&b, Mode::Exam, 42);
        // An exam shows the questions in an order of its own: where each one is.
        let at = |id: &str| q.questions().iter().position(|x| x.id == id).unwrap();
        let (m, o, c) = (at("m1"), at("o1"), at("c1"));
        let answers = |set: &[(usize, &str)]| {
            let mut a = ["-"; 4];
            for &(i, t) in set {
                a[i] = t;
            }
            a.join(".")
        };
        q.answer(m, &[0, 2]).unwrap();
        q.answer(o, &[2, 0, 1]).unwrap();
        let data = quiz_suspend_data(&q, 2).unwrap();
        assert_eq!(data, format!("Q1|t|e|42|2|0|{}", answers(&[(m, "ac"), (o, "cab")])));
        let (r, shown) = quiz_resume(&b, &data).unwrap();
        assert_eq!((r.mode, r.seed, shown, r.is_finished()), (Mode::Exam, 42, 2, false));
        assert_eq!((r.answer_of(c), r.answer_of(m), r.answer_of(o)), (None, Some(&[0, 2][..]), Some(&[2, 0, 1][..])));
        assert_eq!(r.questions(), q.questions());
        assert!(quiz_resume(&b, &data.replace("|t|", "|u|")).is_none(), "another bank's");
        assert!(quiz_resume(&b, "L1|t|3").is_none());
        assert!(quiz_resume(&b, "Q1|t|e|x|0|0|-").is_none());
        // An answer the quiz refuses (edited) is dropped.
        let edited = format!("Q1|t|e|42|9|0|{}", answers(&[(c, "z"), (m, "ac")]));
        let (r, _) = quiz_resume(&b, &edited).unwrap();
        assert_eq!((r.answer_of(c), r.answer_of(m)), (None, Some(&[0, 2][..])));
        // A finished one resumes finished.
        q.finish();
        let (r, _) = quiz_resume(&b, &quiz_suspend_data(&q, 0).unwrap()).unwrap();
        assert!(r.is_finished());
        // An empty answer (no option) stays an answer.
        assert_eq!(quiz_suspend_data(&Quiz::start(&b, Mode::Practice, 1), 0).unwrap(), "Q1|t|p|1|0|0|-.-.-.-");
    }

    #[test]
    fn a_lesson_is_completed_at_its_last_step_and_resumes_at_its_step() {
        let r = lesson_report("triggers", 2, 5);
        assert_eq!((get(&r, "cmi.core.lesson_status"), r.done), (Some("incomplete"), false));
        assert_eq!(lesson_resume("triggers", get(&r, "cmi.suspend_data").unwrap()), Some(2));
        assert_eq!(lesson_resume("retries", get(&r, "cmi.suspend_data").unwrap()), None);
        let r = lesson_report("triggers", 4, 5);
        assert_eq!((get(&r, "cmi.core.lesson_status"), r.done), (Some("completed"), true));
        assert_eq!(get(&lesson_report("triggers", 5, 5), "cmi.core.lesson_status"), Some("completed"));
        assert_eq!(lesson_resume("triggers", "L1|triggers|x"), None);
        assert_eq!(lesson_resume("triggers", "L1|triggers|1|2"), None);
        // From the LMS, so untrusted: a position past any lesson's playground is refused (it would
        // overflow the page's step arithmetic).
        assert_eq!(lesson_resume("triggers", "L1|triggers|4294967295"), None);
        assert_eq!(lesson_resume("triggers", &format!("L1|triggers|{}", usize::MAX)), None);
        assert_eq!(lesson_resume("triggers", "L1|triggers|12"), Some(12));
        assert!(lesson_report("triggers", usize::MAX, 5).done);
    }

    /// `streamlab scorm`'s packaging of a site folder: refused for a build for the site root;
    /// otherwise a zip (read back with the zip crate) holding the manifest first, then every
    /// file, the manifest naming one SCO per lesson and bank of the indexes.
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn a_site_is_packaged_with_its_manifest_first() {
        let root = std::env::temp_dir().join(format!("streamlab-scorm-test-{}", std::process::id()));
        let dist = root.join("site");
        let _ = std::fs::remove_dir_all(&root);
        let www = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
        for d in ["lessons", "quizzes"] {
            std::fs::create_dir_all(dist.join(d)).unwrap();
            for e in std::fs::read_dir(www.join(d)).unwrap() {
                let p = e.unwrap().path();
                std::fs::copy(&p, dist.join(d).join(p.file_name().unwrap())).unwrap();
            }
        }
        let out = root.join("out/pkg.zip");
        std::fs::write(dist.join("index.html"), "<script type=\"module\" src=\"/boot.js\"></script>").unwrap();
        let e = write_package(&dist, &out).unwrap_err();
        assert!(e.contains("--public-url ./"), "{e}");
        std::fs::write(dist.join("index.html"), "<script type=\"module\" src=\"./boot.js\"></script>").unwrap();
        let line = write_package(&dist, &out).unwrap();
        let lessons =
            crate::teach::lesson::parse_index(&std::fs::read_to_string(www.join("lessons/index.json")).unwrap())
                .unwrap();
        let banks = quiz::parse_index(&std::fs::read_to_string(www.join("quizzes/index.json")).unwrap()).unwrap();
        assert!(line.contains(&format!("{} lessons and {} quiz banks", lessons.len(), banks.len())), "{line}");
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        assert_eq!(zip.by_index(0).unwrap().name().unwrap(), "imsmanifest.xml");
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("imsmanifest.xml").unwrap(), &mut xml).unwrap();
        assert_eq!(xml.matches("adlcp:scormtype=\"sco\"").count(), lessons.len() + banks.len());
        assert!(xml.contains("href=\"index.html?embed=1&amp;quiz=basics\""));
        let mut bank = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("quizzes/basics.json").unwrap(), &mut bank).unwrap();
        assert_eq!(bank, std::fs::read_to_string(www.join("quizzes/basics.json")).unwrap());
        assert_eq!(
            zip.len(),
            1 + 1
                + std::fs::read_dir(www.join("lessons")).unwrap().count()
                + std::fs::read_dir(www.join("quizzes")).unwrap().count()
        );
        // A folder that already holds a manifest (packaged twice, or another package's files)
        // is refused rather than given two.
        std::fs::write(dist.join("imsmanifest.xml"), "<manifest/>").unwrap();
        let e = write_package(&dist, &out).unwrap_err();
        assert!(e.ends_with("already has an imsmanifest.xml"), "{e}");
        let _ = std::fs::remove_dir_all(&root);
    }

    /// The worst case the parser allows: 200 questions of 8 options, each answered with all 8
    /// (an ordering), the longest bank id and seed. And the largest shipped bank, fully answered.
    #[test]
    fn suspend_data_fits_in_4096_characters() {
        let items: Vec<serde_json::Value> = (0..8).map(|k| json!({"text": format!("item {k}")})).collect();
        let questions: Vec<serde_json::Value> = (0..quiz::MAX_QUESTIONS)
            .map(|i| json!({"id": format!("q{i}"), "kind": "ordering", "prompt": "p", "explanation": "e", "items": items}))
            .collect();
        let id = "b".repeat(64);
        let v = json!({"format": 1, "id": id, "title": "T", "description": "d", "questions": questions});
        let b = quiz::parse(&v.to_string()).unwrap();
        let mut q = Quiz::start(&b, Mode::Exam, crate::teach::share::MAX_SEED);
        answer_all(&mut q, &[]);
        let data = quiz_suspend_data(&q, 199).unwrap();
        assert!(data.len() <= MAX_SUSPEND, "{}", data.len());
        assert!(data.len() > 1800, "every answer is in it: {}", data.len());
        assert_eq!(quiz_resume(&b, &data).unwrap().0.summary().correct, 200);

        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/quizzes");
        let index = quiz::parse_index(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
        let banks: Vec<Bank> = index
            .iter()
            .map(|e| quiz::parse(&std::fs::read_to_string(dir.join(format!("{}.json", e.id))).unwrap()).unwrap())
            .collect();
        let largest = banks.iter().max_by_key(|b| b.questions.len()).unwrap();
        let mut q = Quiz::start(largest, Mode::Exam, crate::teach::share::MAX_SEED);
        answer_all(&mut q, &[]);
        q.finish();
        let data = quiz_suspend_data(&q, q.questions().len() - 1).unwrap();
        assert!(data.len() <= MAX_SUSPEND, "{}", data.len());
        let (r, _) = quiz_resume(largest, &data).unwrap();
        assert_eq!(r.summary().correct, largest.questions.len());
    }

    /// A SCORM session as the LMS sees it: incomplete at once when it has no status; each
    /// answer's interaction once, numbered on from the LMS's count; a value set again only when
    /// it changes; the exam's score and status at the end; nothing about another SCO; exit
    /// `suspend` until done; resume data only when the LMS resumes.
    #[test]
    fn a_reporter_tells_the_lms_each_thing_once() {
        let b = bank(Some(75));
        let keys = |sets: &Sets| sets.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        let value = |sets: &Sets, key: &str| sets.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let mut r = Reporter::new(Sco::Quiz("t".into()), "ab-initio", "Q1|t|e|5|0|0|-.-.-.-", "", "not attempted", "3");
        assert_eq!(r.opening(), vec![("cmi.core.lesson_status".to_string(), "incomplete".to_string())]);
        assert!(r.clone().opening().is_empty(), "once");
        // A first launch does not resume, even with suspend data.
        assert!(r.quiz_resume(&b).is_none());
        assert!(r.closing(1000.0).contains(&("cmi.core.exit".to_string(), "suspend".to_string())));
        let mut q = Quiz::start(&b, Mode::Exam, 5);
        // Exam answers are not final until the end: only the suspend data changes.
        q.answer(0, &q.questions()[0].correct.clone()).unwrap();
        let sets = r.quiz_changed(&b, Some(&q), 1);
        assert_eq!(keys(&sets), ["cmi.suspend_data"]);
        assert!(r.quiz_changed(&b, Some(&q), 1).is_empty(), "nothing new, nothing set");
        // Another SCO's quiz or a lesson are not this SCO's.
        assert!(r.lesson_at("triggers", 4, 5).is_empty());
        answer_all(&mut q, &[]);
        q.finish();
        let sets = r.quiz_changed(&b, Some(&q), 3);
        // Interactions numbered from the LMS's count (3), one per question, then the report.
        for n in 3..7 {
            assert!(value(&sets, &format!("cmi.interactions.{n}.id")).is_some(), "{sets:?}");
        }
        assert_eq!(value(&sets, "cmi.interactions.7.id"), None);
        assert_eq!(value(&sets, "cmi.core.lesson_status").as_deref(), Some("passed"));
        assert_eq!(value(&sets, "cmi.core.score.raw").as_deref(), Some("100"));
        assert!(r.closing(1000.0).contains(&("cmi.core.exit".to_string(), String::new())), "done");
        assert!(r.quiz_changed(&b, Some(&q), 3).is_empty());
        // A resumed session: the answers journaled before are not written again.
        let data = quiz_suspend_data(&q, 3).unwrap();
        let mut again = Reporter::new(Sco::Quiz("t".into()), "resume", &data, "", "passed", "7");
        assert!(again.opening().is_empty(), "a status is there");
        let (resumed, at) = again.quiz_resume(&b).unwrap();
        assert_eq!(at, 3);
        let sets = again.quiz_changed(&b, Some(&resumed), at);
        assert!(!keys(&sets).iter().any(|k| k.starts_with("cmi.interactions.")), "{sets:?}");
        // The LMS's mastery score (90) is the one in force: 3 of 4 right fails, and a pass
        // already recorded is kept.
        let mut strict = Reporter::new(Sco::Quiz("t".into()), "ab-initio", "", "90", "passed", "0");
        let mut q = Quiz::start(&b, Mode::Exam, 6);
        answer_all(&mut q, &[0]);
        q.finish();
        let sets = strict.quiz_changed(&b, Some(&q), 0);
        assert_eq!(value(&sets, "cmi.core.lesson_status"), None, "failed does not replace passed");
        assert_eq!(value(&sets, "cmi.core.score.raw").as_deref(), Some("75"));
        // A lesson SCO: its own steps only, completed at the last.
        let mut l = Reporter::new(Sco::Lesson("triggers".into()), "resume", "L1|triggers|2", "", "incomplete", "");
        assert_eq!(l.lesson_resume("triggers"), Some(2));
        assert_eq!(l.lesson_resume("retries"), None);
        assert!(l.quiz_changed(&b, Some(&q), 0).is_empty());
        assert_eq!(value(&l.lesson_at("triggers", 4, 5), "cmi.core.lesson_status").as_deref(), Some("completed"));
        // The LMS's count is untrusted: the largest number, or junk, does not overflow or fail.
        for count in [usize::MAX.to_string(), "-3".to_string(), "x".to_string()] {
            let mut r = Reporter::new(Sco::Quiz("t".into()), "ab-initio", "", "", "", &count);
            let mut q = Quiz::start(&b, Mode::Practice, 1);
            q.answer(0, &[0]).unwrap();
            assert!(!r.quiz_changed(&b, Some(&q), 0).is_empty(), "{count}");
        }
    }

    /// Practice is resumed as practice; a mode the page never writes is not resumed. A quiz
    /// started again (`None`, then a new quiz) has its answers written again as new
    /// interactions; a lesson's SCO resumes no quiz.
    #[test]
    fn practice_resumes_and_a_quiz_started_again_is_reported_afresh() {
        let b = bank(None);
        let (r, at) = quiz_resume(&b, "Q1|t|p|1|2|0|-.-.-.-").unwrap();
        assert_eq!((r.mode, r.seed, at), (Mode::Practice, 1, 2));
        assert!(quiz_resume(&b, "Q1|t|x|1|2|0|-.-.-.-").is_none());
        let mut lesson = Reporter::new(Sco::Lesson("triggers".into()), "resume", "Q1|t|p|1|2|0|-.-.-.-", "", "", "");
        assert!(lesson.quiz_resume(&b).is_none(), "a lesson's SCO");
        assert_eq!(Sco::Lesson("triggers".into()).fragment(), "lesson=triggers");

        let mut r = Reporter::new(Sco::Quiz("t".into()), "ab-initio", "", "", "", "0");
        let mut q = Quiz::start(&b, Mode::Practice, 1);
        q.answer(0, &[0]).unwrap();
        let first = r.quiz_changed(&b, Some(&q), 0);
        assert!(first.iter().any(|(k, _)| k == "cmi.interactions.0.id"), "{first:?}");
        assert!(r.quiz_changed(&b, None, 0).is_empty(), "started again: nothing to set yet");
        let mut q = Quiz::start(&b, Mode::Practice, 2);
        q.answer(0, &[0]).unwrap();
        let again = r.quiz_changed(&b, Some(&q), 0);
        assert!(again.iter().any(|(k, _)| k == "cmi.interactions.1.id"), "the new attempt's answer: {again:?}");
    }
}
