//! Handouts (issue 18): a quiz bank as a paper exam with its answer key, and a lesson as a
//! handout of all its steps. This module says what goes on the paper; the page lays it out
//! (`src/web/teach/print.rs`) and the print stylesheet (`www/print.css`) prints it without the
//! lab around it.
//!
//! A paper exam is the exam a learner would take with the same seed
//! ([`Quiz::start`]`(bank, Mode::Exam, seed)`): the same questions, numbers, option and
//! question orders, so a class can sit it on paper and an instructor can mark it against the
//! key, which names the bank, its version and the seed.

use crate::teach::file::Meta;
use crate::teach::lesson::Lesson;
use crate::teach::quiz::{readable_json, Bank, Instance, Mode, QuestionKind, Quiz};

/// Width of the JSON shown on paper (records, scenarios), in characters.
const PAPER_JSON_WIDTH: usize = 72;

/// A bank printed as an exam.
#[derive(Clone, Debug, PartialEq)]
pub struct PaperExam {
    /// The bank's title.
    pub title: String,
    /// "Bank view-types · version 1a2b3c4d · seed 7": on the exam and on its key.
    pub label: String,
    pub questions: Vec<PaperQuestion>,
    /// One line per question, in the exam's order.
    pub key: Vec<KeyLine>,
}

/// One question on paper.
#[derive(Clone, Debug, PartialEq)]
pub struct PaperQuestion {
    /// Counted from 1, in the exam's order.
    pub number: usize,
    pub prompt: String,
    /// How to answer on paper: "Tick one box.", "Write the letters in order, first to last.", ...
    pub instruction: String,
    /// The filter of a filter question (one line of JSON).
    pub filter: Option<String>,
    /// The scenario the question is about, laid out to be read.
    pub scenario: Option<String>,
    /// The options, each with its letter and a box to tick; for an ordering question the items
    /// to order; for a matching question the matches to choose from.
    pub options: Vec<PaperOption>,
    /// A matching question's items, each with a blank for a letter.
    pub items: Vec<String>,
    /// An ordering question: how many blanks to write the letters in.
    pub blanks: usize,
    /// Whether the options get a box to tick (not for ordering and matching: letters are
    /// written in blanks).
    pub boxes: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PaperOption {
    /// "A", "B", ...
    pub letter: String,
    pub text: String,
    /// A record, aggregates or notifications shown with the option, laid out to be read.
    pub detail: Option<String>,
}

/// The answer of one question, for the key.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyLine {
    pub number: usize,
    /// The question's id in the bank (to find it in the bank file).
    pub id: String,
    /// "B (NEW_IMAGE)", "A, C", "none", "C, A, B" (an order), "1 → B; 2 → A" (matches).
    pub answer: String,
    pub explanation: String,
}

/// The letter of option `k`: A to H (a question has at most 8 options).
pub fn letter(k: usize) -> String {
    char::from_u32('A' as u32 + k as u32).map(String::from).unwrap_or_else(|| (k + 1).to_string())
}

/// "Bank view-types · version 1a2b3c4d · seed 7".
pub fn exam_label(bank_id: &str, version: &str, seed: u64) -> String {
    format!("Bank {bank_id} · version {version} · seed {seed}")
}

/// The paper exam of `bank` (of version `version`) for `seed`, with its key.
pub fn paper_exam(bank: &Bank, version: &str, seed: u64) -> PaperExam {
    let quiz = Quiz::start(bank, Mode::Exam, crate::teach::quiz::paper_seed(seed));
    let questions = quiz.questions().iter().enumerate().map(|(i, q)| paper_question(i + 1, q)).collect();
    let key = quiz
        .questions()
        .iter()
        .enumerate()
        .map(|(i, q)| KeyLine {
            number: i + 1,
            id: q.id.clone(),
            answer: key_answer(q),
            explanation: q.explanation.clone(),
        })
        .collect();
    PaperExam { title: bank.title.clone(), label: exam_label(&bank.id, version, seed), questions, key }
}

fn paper_question(number: usize, q: &Instance) -> PaperQuestion {
    let instruction = match q.kind {
        QuestionKind::Ordering => "Write the letters in order, first to last.".to_string(),
        QuestionKind::Matching => "Write the letter of its match after each item.".to_string(),
        _ => match q.choose {
            Some(n) => format!("Tick {n} boxes."),
            None if q.multi => "Tick every one that applies (none is a valid answer).".to_string(),
            None => "Tick one box.".to_string(),
        },
    };
    PaperQuestion {
        number,
        prompt: q.prompt.clone(),
        instruction,
        filter: q.filter.as_ref().map(|f| f.to_string()),
        scenario: q.scenario.as_ref().map(|s| readable_json(s, PAPER_JSON_WIDTH)),
        options: q
            .options
            .iter()
            .enumerate()
            .map(|(k, o)| PaperOption {
                letter: letter(k),
                text: o.text.clone(),
                detail: o.detail.as_ref().map(|d| readable_json(d, PAPER_JSON_WIDTH)),
            })
            .collect(),
        items: q.items.clone(),
        blanks: if q.kind == QuestionKind::Ordering { q.options.len() } else { 0 },
        boxes: !q.kind.positional(),
    }
}

fn key_answer(q: &Instance) -> String {
    let text = |k: usize| q.options.get(k).map_or(String::new(), |o| o.text.clone());
    match q.kind {
        QuestionKind::Ordering => q.correct.iter().map(|&k| letter(k)).collect::<Vec<_>>().join(", "),
        QuestionKind::Matching => q
            .correct
            .iter()
            .enumerate()
            .map(|(i, &k)| format!("{} → {}", i + 1, letter(k)))
            .collect::<Vec<_>>()
            .join("; "),
        _ if q.correct.is_empty() => "none".to_string(),
        _ if q.correct.len() == 1 => format!("{} ({})", letter(q.correct[0]), text(q.correct[0])),
        _ => q.correct.iter().map(|&k| letter(k)).collect::<Vec<_>>().join(", "),
    }
}

/// A lesson printed as a handout: every step, its question without the answer, then the
/// answers on a page of their own.
#[derive(Clone, Debug, PartialEq)]
pub struct Handout {
    pub title: String,
    pub summary: String,
    /// "Level basics · 10 minutes".
    pub about: String,
    pub goals: Vec<String>,
    pub steps: Vec<HandoutStep>,
    /// The playground's text and ideas.
    pub playground: String,
    pub ideas: Vec<String>,
    /// The answers of the steps' questions: (step number, answer, explanation).
    pub answers: Vec<(usize, String, String)>,
    /// AWS documentation pages the lesson rests on (URLs, printed as text).
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HandoutStep {
    /// Counted from 1.
    pub number: usize,
    pub title: String,
    pub text: String,
    pub watch: Vec<String>,
    /// The step's predict-then-reveal question: its prompt and lettered options.
    pub question: Option<(String, Vec<PaperOption>)>,
}

/// The handout of `lesson`.
pub fn handout(lesson: &Lesson) -> Handout {
    let steps: Vec<HandoutStep> = lesson
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| HandoutStep {
            number: i + 1,
            title: s.title.clone(),
            text: s.text.clone(),
            watch: s.watch.clone(),
            question: s.question.as_ref().map(|q| {
                let options = q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(k, t)| PaperOption { letter: letter(k), text: t.clone(), detail: None })
                    .collect();
                (q.prompt.clone(), options)
            }),
        })
        .collect();
    let answers = lesson
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let q = s.question.as_ref()?;
            let text = q.options.get(q.answer).cloned().unwrap_or_default();
            Some((i + 1, format!("{} ({text})", letter(q.answer)), q.explanation.clone()))
        })
        .collect();
    Handout {
        title: lesson.title.clone(),
        summary: lesson.summary.clone(),
        about: about(&lesson.level, &lesson.meta),
        goals: lesson.meta.goals.iter().map(|g| g.text.clone()).collect(),
        steps,
        playground: lesson.playground.text.clone(),
        ideas: lesson.playground.ideas.clone(),
        answers,
        sources: lesson.meta.sources.clone(),
    }
}

fn about(level: &str, meta: &Meta) -> String {
    let mut parts = vec![format!("Level {level}")];
    parts.extend(meta.duration.map(|d| format!("{d} minutes")));
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teach::quiz::parse;
    use serde_json::json;

    fn bank() -> Bank {
        parse(
            &json!({"format": 1, "id": "t", "title": "T", "description": "d", "questions": [
                {"id": "c1", "kind": "choice", "prompt": "How long are records kept?", "explanation": "24 h.",
                 "shuffle": true,
                 "options": [{"text": "24 hours"}, {"text": "7 days"}, {"text": "1 hour"}], "answer": 0},
                {"id": "m1", "kind": "multiple-response", "prompt": "Which two?", "explanation": "A and C.",
                 "shuffle": true,
                 "options": [{"text": "a"}, {"text": "b"}, {"text": "c"}, {"text": "d"}], "answer": [0, 2]},
                {"id": "o1", "kind": "ordering", "prompt": "In order.", "explanation": "1, 2, 3.",
                 "items": [{"text": "one"}, {"text": "two"}, {"text": "three"}]},
                {"id": "p1", "kind": "matching", "prompt": "Match.", "explanation": "x-1, y-2.",
                 "pairs": [{"item": "x", "match": "1"}, {"item": "y", "match": "2"}], "extra": [{"text": "3"}]}
            ]})
            .to_string(),
        )
        .unwrap()
    }

    /// The paper is the exam of its paper seed (never an online exam's): its order, its
    /// options; the key marks what the engine grades right.
    #[test]
    fn a_paper_exam_is_the_exam_of_its_paper_seed_and_its_key_is_the_engines() {
        let b = bank();
        for seed in [1, 7, 99] {
            let p = paper_exam(&b, "0badc0de", seed);
            let exam = Quiz::start(&b, Mode::Exam, crate::teach::quiz::paper_seed(seed));
            assert_eq!(p.label, format!("Bank t · version 0badc0de · seed {seed}"));
            assert_eq!(p.questions.len(), 4);
            for (n, (pq, q)) in p.questions.iter().zip(exam.questions()).enumerate() {
                assert_eq!((pq.number, pq.prompt.as_str()), (n + 1, q.prompt.as_str()));
                let texts: Vec<&str> = pq.options.iter().map(|o| o.text.as_str()).collect();
                assert_eq!(texts, q.options.iter().map(|o| o.text.as_str()).collect::<Vec<_>>());
                assert_eq!(p.key[n].id, q.id);
            }
            // Reading the key's letters back as answers scores every question right.
            let mut graded = Quiz::start(&b, Mode::Exam, crate::teach::quiz::paper_seed(seed));
            for (i, line) in p.key.iter().enumerate() {
                let letters: Vec<usize> = line
                    .answer
                    .split([',', ';', ' ', '(', '→'])
                    .filter(|t| t.len() == 1 && t.chars().all(|c| c.is_ascii_uppercase()))
                    .map(|t| (t.as_bytes()[0] - b'A') as usize)
                    .collect();
                graded.answer(i, &letters).unwrap();
            }
            assert_eq!(graded.finish().correct, 4, "seed {seed}: {:?}", p.key);
        }
        let p = paper_exam(&b, "0badc0de", 7);
        let by_id = |id: &str| p.questions[p.key.iter().position(|k| k.id == id).unwrap()].clone();
        assert_eq!(by_id("c1").instruction, "Tick one box.");
        assert_eq!(by_id("m1").instruction, "Tick 2 boxes.");
        assert_eq!((by_id("o1").blanks, by_id("o1").boxes), (3, false));
        assert_eq!(by_id("p1").items, ["x", "y"]);
        let c1 = p.key.iter().find(|k| k.id == "c1").unwrap();
        assert!(c1.answer.ends_with("(24 hours)"), "{}", c1.answer);
        // Another seed, another paper (the order of four questions, or the options).
        assert_ne!(paper_exam(&b, "0badc0de", 8), p);
    }

    #[test]
    fn letters() {
        assert_eq!((letter(0), letter(7)), ("A".to_string(), "H".to_string()));
    }
}
