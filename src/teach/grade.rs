//! Verifiable exam results without an LMS: a short result code the exam ends with (the bank,
//! its version, the seed, the learner's name or ID, every answer and a checksum), and
//! `streamlab grade FILE`, which grades each code again with the engine and prints CSV.
//!
//! What a code proves: that its answers, seed and name are the ones the page wrote, against a
//! typo or a casual edit (the checksum fails). What it cannot: the checksum's key is in this
//! open-source program, so a determined student can compute a code for any answers; and
//! nothing says who typed the name. Use an LMS (SCORM) where that matters.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::support::hash::fnv1a;
use crate::teach::quiz::{Bank, Mode, Quiz};

/// What every code starts with (the format's version). SL2: the answers are to the questions
/// in the order the exam showed them, drawn from the seed (`quiz::exam_order`); SL1 codes,
/// made before exams were shuffled, are refused as such ([`CodeError::Earlier`]).
pub const PREFIX: &str = "SL2";
/// The prefix of the codes made before exams drew their own order.
const EARLIER: &str = "SL1";
/// Longest learner name or ID kept in a code.
pub const MAX_LEARNER_CHARS: usize = 60;
/// The checksum's key: public, so the checksum stops typos and edits, not forgery.
const KEY: &[u8] = b"streamlab result code v2";

/// A bank's version: 8 hex digits of a hash of its file's text, so a code is graded only
/// against the bank the learner answered.
pub fn bank_version(text: &str) -> String {
    format!("{:08x}", fnv1a(text.as_bytes()) as u32)
}

fn checksum(payload: &str) -> String {
    let mut bytes = KEY.to_vec();
    bytes.extend_from_slice(payload.as_bytes());
    format!("{:08x}", fnv1a(&bytes) as u32)
}

/// The code of a finished (or unfinished) exam `q` of the bank of version `version`, for
/// `learner` (trimmed, at most [`MAX_LEARNER_CHARS`] characters).
pub fn result_code(q: &Quiz, version: &str, learner: &str) -> String {
    let learner: String = learner.trim().chars().take(MAX_LEARNER_CHARS).collect();
    let answers: Vec<String> = (0..q.questions().len())
        .map(|i| match q.answer_of(i) {
            Some(a) => a.iter().map(usize::to_string).collect::<Vec<_>>().join("."),
            None => "-".into(),
        })
        .collect();
    let payload = format!("{}~{version}~{}~{}~{learner}", q.bank_id, q.seed, answers.join(","));
    format!("{PREFIX}.{}.{}", URL_SAFE_NO_PAD.encode(payload.as_bytes()), checksum(&payload))
}

/// A code read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    pub bank: String,
    pub version: String,
    pub seed: u64,
    pub learner: String,
    /// Each question's answer (option indexes), or None when unanswered.
    pub answers: Vec<Option<Vec<usize>>>,
}

/// Why a line is not a code that can be graded. Its `Display` is the CSV's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeError {
    NotACode,
    /// The checksum does not match: a typo, a line cut short, or an edit.
    Checksum,
    /// The checksum matches but the content cannot be read (another format).
    Unreadable,
    /// A code of an earlier StreamLab (SL1), whose exams showed the questions in the bank's
    /// order: its answers would be put to the wrong questions, so it is not graded.
    Earlier,
}

impl std::fmt::Display for CodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CodeError::NotACode => "invalid: not a StreamLab result code",
            CodeError::Checksum => "invalid: the checksum does not match (mistyped, cut short or edited)",
            CodeError::Unreadable => "invalid: the code cannot be read",
            CodeError::Earlier => {
                "not graded: an SL1 code, made by an earlier StreamLab whose exams kept the bank's question order; grade it with that version"
            }
        })
    }
}

/// Reads a code (surrounding spaces ignored).
pub fn read_code(line: &str) -> Result<Code, CodeError> {
    let mut parts = line.trim().split('.');
    let (Some(prefix), Some(data), Some(sum), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(CodeError::NotACode);
    };
    match prefix {
        PREFIX => {}
        EARLIER => return Err(CodeError::Earlier),
        _ => return Err(CodeError::NotACode),
    }
    let payload =
        URL_SAFE_NO_PAD.decode(data).ok().and_then(|b| String::from_utf8(b).ok()).ok_or(CodeError::Checksum)?;
    if checksum(&payload) != sum {
        return Err(CodeError::Checksum);
    }
    let f: Vec<&str> = payload.splitn(5, '~').collect();
    let [bank, version, seed, answers, learner] = f[..] else { return Err(CodeError::Unreadable) };
    let seed = seed.parse().map_err(|_| CodeError::Unreadable)?;
    let answers = answers
        .split(',')
        .filter(|a| !a.is_empty())
        .map(|a| match a {
            "-" => Ok(None),
            a => a
                .split('.')
                .map(|i| i.parse::<usize>().map_err(|_| CodeError::Unreadable))
                .collect::<Result<_, _>>()
                .map(Some),
        })
        .collect::<Result<_, _>>()?;
    Ok(Code { bank: bank.into(), version: version.into(), seed, learner: learner.into(), answers })
}

/// One graded code: each question right (true) or wrong or unanswered (false, with whether it
/// was answered).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graded {
    pub correct: usize,
    pub total: usize,
    /// Per question of the bank, in the bank file's order (each learner's exam showed them in
    /// an order of its own, so a column of the CSV is one question for every learner):
    /// Some(right) when answered, None when not.
    pub questions: Vec<Option<bool>>,
}

/// Grades `code` against `bank` (of version `version`) with the engine, as the exam did:
/// the questions from the seed, each answer given again. Err: why it is not graded.
pub fn grade(code: &Code, bank: &Bank, version: &str) -> Result<Graded, String> {
    if code.version != version {
        return Err(format!(
            "not graded: answered on version {} of the bank, which is now {version}; grade it with that version's file",
            code.version
        ));
    }
    let mut quiz = Quiz::start(bank, Mode::Exam, code.seed);
    if code.answers.len() != quiz.questions().len() {
        return Err("invalid: the code's answers do not fit the bank's questions".into());
    }
    for (i, a) in code.answers.iter().enumerate() {
        if let Some(a) = a {
            quiz.answer(i, a).map_err(|e| format!("invalid: question {}: {e}", i + 1))?;
        }
    }
    let s = quiz.finish();
    let of =
        |id: &str| s.results.iter().find(|r| r.id == id).and_then(|r| r.chosen.as_ref().map(|_| r.feedback.correct));
    Ok(Graded { correct: s.correct, total: s.total, questions: bank.questions.iter().map(|d| of(&d.id)).collect() })
}

/// Grades every code of `text` (one a line; blank lines skipped) and writes CSV: line, learner,
/// bank, seed, status, correct, total, then q1, q2, … (the bank's questions in its file's order)
/// as right, wrong or unanswered. `bank`
/// finds a bank and its version by id. Returns the CSV and whether every code was graded.
#[cfg(not(target_arch = "wasm32"))]
pub fn grade_all(text: &str, bank: &dyn Fn(&str) -> Option<(Bank, String)>) -> (String, bool) {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut all = true;
    let mut widest = 0;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut row = vec![(n + 1).to_string()];
        let graded = read_code(line).map_err(|e| e.to_string()).and_then(|code| {
            row.extend([code.learner.clone(), code.bank.clone(), code.seed.to_string()]);
            let (b, version) = bank(&code.bank)
                .ok_or_else(|| format!("not graded: no bank \"{}\" among the banks given", code.bank))?;
            grade(&code, &b, &version)
        });
        match graded {
            Ok(g) => {
                row.extend(["graded".into(), g.correct.to_string(), g.total.to_string()]);
                widest = widest.max(g.questions.len());
                row.extend(g.questions.iter().map(|q| {
                    match q {
                        Some(true) => "right",
                        Some(false) => "wrong",
                        None => "unanswered",
                    }
                    .to_string()
                }));
            }
            Err(why) => {
                all = false;
                row.resize(4, String::new());
                row.extend([why, String::new(), String::new()]);
            }
        }
        rows.push(row);
    }
    let mut header: Vec<String> =
        ["line", "learner", "bank", "seed", "status", "correct", "total"].iter().map(|s| s.to_string()).collect();
    header.extend((1..=widest).map(|i| format!("q{i}")));
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let written = std::iter::once(&header).chain(&rows).try_for_each(|r| w.write_record(r));
    let bytes = written.ok().and_then(|()| w.into_inner().ok()).unwrap_or_default();
    (String::from_utf8(bytes).unwrap_or_default(), all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teach::quiz::parse;

    fn bank_text() -> String {
        serde_json::json!({"format": 1, "id": "t", "title": "T", "description": "d", "questions": [
            {"id": "a", "kind": "choice", "prompt": "How long are records kept?", "explanation": "24 h.",
             "options": [{"text": "24 hours"}, {"text": "7 days"}], "answer": 0},
            {"id": "b", "kind": "choice", "prompt": "Who polls the stream?", "explanation": "Lambda does.",
             "options": [{"text": "The table"}, {"text": "Lambda"}], "answer": 1},
            {"id": "c", "kind": "choice", "prompt": "Is delivery at least once?", "explanation": "Yes.",
             "options": [{"text": "Yes"}, {"text": "No"}], "answer": 0}
        ]})
        .to_string()
    }

    #[test]
    fn a_code_round_trips_and_grades_as_the_exam_did() {
        let text = bank_text();
        let b = parse(&text).unwrap();
        let version = bank_version(&text);
        let mut q = Quiz::start(&b, Mode::Exam, 42);
        // The first question shown answered right, the second wrong, the third not at all.
        let right = q.questions()[0].correct.clone();
        q.answer(0, &right).unwrap();
        let wrong = 1 - q.questions()[1].correct[0];
        q.answer(1, &[wrong]).unwrap();
        let code = result_code(&q, &version, "  Ana Díaz, 2B  ");
        assert!(code.starts_with("SL2.") && code.len() < 120, "{code}");
        let read = read_code(&format!("  {code}\n")).unwrap();
        assert_eq!((read.bank.as_str(), read.seed, read.learner.as_str()), ("t", 42, "Ana Díaz, 2B"));
        assert_eq!(read.answers, vec![Some(right), Some(vec![wrong]), None]);
        let g = grade(&read, &b, &version).unwrap();
        assert_eq!((g.correct, g.total), (1, 3));
        // Reported per question of the bank, whatever order this exam showed them in.
        let shown: Vec<&str> = q.questions().iter().map(|i| i.id.as_str()).collect();
        let verdict = |id: &str| match shown.iter().position(|s| *s == id) {
            Some(0) => Some(true),
            Some(1) => Some(false),
            _ => None,
        };
        assert_eq!(g.questions, vec![verdict("a"), verdict("b"), verdict("c")]);
    }

    /// A code made before exams drew their question order (SL1, written here as that version
    /// wrote it) would put its answers to other questions: refused as such, not mis-graded.
    #[test]
    fn a_code_of_the_earlier_format_is_refused() {
        let old = "SL1.dH4xYjJjM2Q0ZX40Mn4wLDEsLX5BbmE.64f0b745";
        assert_eq!(read_code(old), Err(CodeError::Earlier));
        assert!(CodeError::Earlier.to_string().starts_with("not graded: an SL1 code"));
        // Relabelled SL2 by hand, its checksum (of the other key) fails.
        assert_eq!(read_code(&old.replacen("SL1", "SL2", 1)), Err(CodeError::Checksum));
    }

    #[test]
    fn a_mistyped_or_edited_code_is_refused_not_scored() {
        let text = bank_text();
        let b = parse(&text).unwrap();
        let mut q = Quiz::start(&b, Mode::Exam, 1);
        q.answer(0, &[1]).unwrap();
        let code = result_code(&q, &bank_version(&text), "Ben");
        // One character changed anywhere: the checksum fails.
        for i in [5, code.len() / 2, code.len() - 1] {
            let mut c: Vec<char> = code.chars().collect();
            c[i] = if c[i] == 'A' { 'B' } else { 'A' };
            let edited: String = c.into_iter().collect();
            assert_eq!(read_code(&edited), Err(CodeError::Checksum), "{edited}");
        }
        assert_eq!(read_code("hello"), Err(CodeError::NotACode));
        assert_eq!(read_code(&code[..code.len() - 3]), Err(CodeError::Checksum));
        // Another version of the bank: not graded against the current one.
        let read = read_code(&code).unwrap();
        assert!(grade(&read, &b, "00000000").unwrap_err().starts_with("not graded: answered on version"));
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn grade_all_writes_one_csv_row_per_code() {
        let text = bank_text();
        let b = parse(&text).unwrap();
        let version = bank_version(&text);
        let mut q = Quiz::start(&b, Mode::Exam, 3);
        for i in 0..3 {
            let right = q.questions()[i].correct.clone();
            q.answer(i, &right).unwrap();
        }
        let good = result_code(&q, &version, "Ana \"the best\", 2B");
        let input = format!("{good}\n\n{}X\nnot a code\n", &good[..good.len() - 1]);
        let (csv, all) = grade_all(&input, &|id| (id == "t").then(|| (b.clone(), version.clone())));
        assert!(!all);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "line,learner,bank,seed,status,correct,total,q1,q2,q3");
        assert_eq!(lines[1], "1,\"Ana \"\"the best\"\", 2B\",t,3,graded,3,3,right,right,right");
        assert!(
            lines[2].starts_with("3,,,,\"invalid: the checksum does not match (mistyped, cut short or edited)\""),
            "{}",
            lines[2]
        );
        assert!(lines[3].starts_with("4,,,,invalid: not a StreamLab result code"), "{}", lines[3]);
        assert_eq!(lines.len(), 4);
        // A wrong answer is "wrong" in its question's column, an unanswered one "unanswered".
        let mut q = Quiz::start(&b, Mode::Exam, 3);
        let wrong = 1 - q.questions()[0].correct[0];
        q.answer(0, &[wrong]).unwrap();
        let first = b.questions.iter().position(|d| d.id == q.questions()[0].id).unwrap();
        let (csv, all) = grade_all(&result_code(&q, &version, "Cy"), &|_| Some((b.clone(), version.clone())));
        assert!(all, "graded, if not well");
        let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
        assert_eq!(&row[..7], ["1", "Cy", "t", "3", "graded", "0", "3"]);
        for (i, cell) in row[7..].iter().enumerate() {
            assert_eq!(*cell, if i == first { "wrong" } else { "unanswered" }, "{row:?}");
        }
    }

    /// A code whose checksum matches what it carries, but whose content is not what this
    /// version writes (made by hand, or by another program): "cannot be read", or answers that
    /// do not fit the bank, never a score.
    #[test]
    fn a_code_that_checks_out_but_does_not_read_is_not_scored() {
        let text = bank_text();
        let b = parse(&text).unwrap();
        let version = bank_version(&text);
        let make = |payload: &str| format!("{PREFIX}.{}.{}", URL_SAFE_NO_PAD.encode(payload), checksum(payload));
        assert_eq!(read_code(&make(&format!("t~{version}~seven~0,1,-~Ana"))), Err(CodeError::Unreadable));
        assert_eq!(read_code(&make(&format!("t~{version}~7~0,x,-~Ana"))), Err(CodeError::Unreadable));
        assert_eq!(read_code(&make("t~only three")), Err(CodeError::Unreadable));
        assert_eq!(CodeError::Unreadable.to_string(), "invalid: the code cannot be read");
        let four = read_code(&make(&format!("t~{version}~7~0,1,0,1~Ana"))).unwrap();
        assert_eq!(
            grade(&four, &b, &version).unwrap_err(),
            "invalid: the code's answers do not fit the bank's questions"
        );
        assert_eq!(read_code("XY9.abc.0123abcd"), Err(CodeError::NotACode));
    }
}
