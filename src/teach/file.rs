//! Reading lesson and quiz files (`docs/teaching.md`): typed access to their fields with
//! messages that name the field, the menus (`index.json`), and [`FileError`], why a file
//! cannot be used.

use serde_json::{Map, Value};
use std::fmt;

/// Largest menu (`index.json`) read.
pub const MAX_INDEX_BYTES: usize = 512 * 1024;
/// The menus' format version.
pub const INDEX_FORMAT: u64 = 1;

/// Why a lesson file, a quiz bank or a menu cannot be used. Its `Display` is the message an
/// author sees (the page, `cargo test`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// Larger than StreamLab reads: which file ("the lesson file", "the bank", "the index"),
    /// its size and the limit, in bytes.
    TooLarge { what: &'static str, bytes: usize, max: usize },
    /// Not JSON: where serde_json stopped reading (1-based), what it expected, and the fix
    /// when the mistake is a common one.
    Json { line: usize, column: usize, message: String },
    /// JSON, but not a valid file: where (the field, the step, the question) and what is wrong.
    Invalid(String),
    /// A valid file whose answer the engine contradicts: running it does something else.
    Contradicted(String),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::TooLarge { what, bytes, max } => write!(f, "{what} is {bytes} bytes; at most {max} are read"),
            FileError::Json { line, column, message } => {
                write!(f, "not valid JSON at line {line}, column {column}: {message}")
            }
            FileError::Invalid(m) | FileError::Contradicted(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for FileError {}

impl From<String> for FileError {
    fn from(message: String) -> Self {
        FileError::Invalid(message)
    }
}

impl From<&str> for FileError {
    fn from(message: &str) -> Self {
        FileError::Invalid(message.to_string())
    }
}

/// The JSON of a file, refused when larger than `max` bytes or not JSON.
pub fn read_json(text: &str, what: &'static str, max: usize) -> Result<Value, FileError> {
    if text.len() > max {
        return Err(FileError::TooLarge { what, bytes: text.len(), max });
    }
    serde_json::from_str(text).map_err(|e| json_error(text, &e))
}

/// serde_json's error as a [`FileError::Json`]: its message without the position (given
/// apart), and the fix for the mistakes authors make most (a comma before `}` or `]`, single
/// quotes, a comment, a missing comma between members).
fn json_error(text: &str, e: &serde_json::Error) -> FileError {
    let full = e.to_string();
    let what = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m).to_string();
    let at = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
    let here: String = at.chars().skip(e.column().saturating_sub(1)).take(2).collect();
    let fix = if what.starts_with("trailing comma") {
        Some("remove the comma before the closing bracket: JSON allows none after the last member")
    } else if here.starts_with('\'') || (what.starts_with("key must be a string") && here.starts_with('\'')) {
        Some("JSON strings and names take double quotes (\"), not single quotes")
    } else if here.starts_with("//") || here.starts_with("/*") {
        Some("JSON has no comments: remove it (a lesson's text fields can say what a comment would)")
    } else if what.starts_with("key must be a string") {
        Some("a member's name must be in double quotes, like \"title\"")
    } else if what.starts_with("expected `,` or `}`") || what.starts_with("expected `,` or `]`") {
        Some("a comma is missing between two members (or a quote is not closed on the line before)")
    } else {
        None
    };
    let message = match fix {
        Some(fix) => format!("{what}; {fix}"),
        None => what,
    };
    FileError::Json { line: e.line(), column: e.column(), message }
}

/// One entry of an index file (`www/lessons/index.json` or `www/quizzes/index.json`): a static
/// site cannot list a folder, so the page reads the index to show the menu.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexEntry {
    pub id: String,
    pub title: String,
    /// "basics" or "deeper", when the index says.
    pub level: Option<String>,
    /// Minutes, when the index says (the file's own `duration`).
    pub duration: Option<u32>,
}

pub(crate) fn parse_index_of(text: &str, key: &str, allowed: &[&str]) -> Result<Vec<IndexEntry>, FileError> {
    let v = read_json(text, "the index", MAX_INDEX_BYTES)?;
    let top = object(&v, "an index")?;
    only(top, &["format", key], "")?;
    if top.get("format").and_then(Value::as_u64) != Some(INDEX_FORMAT) {
        return Err(format!("field \"format\" must be {INDEX_FORMAT}").into());
    }
    let list = top.get(key).and_then(Value::as_array).ok_or_else(|| format!("field \"{key}\" must be a list"))?;
    let mut out: Vec<IndexEntry> = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let at = format!("{key} item {i}: ");
        let o = object(e, &format!("{key} item {i}"))?;
        only(o, allowed, &at)?;
        let id = name(o, "id", &at)?;
        if out.iter().any(|x| x.id == id) {
            return Err(format!("{at}\"{id}\" is listed twice").into());
        }
        let level = match o.get("level") {
            None => None,
            Some(Value::String(l)) if l == "basics" || l == "deeper" => Some(l.clone()),
            Some(_) => return Err(format!("{at}field \"level\" must be \"basics\" or \"deeper\"").into()),
        };
        let duration = match o.get("duration") {
            None => None,
            Some(v) => match v.as_u64() {
                Some(n @ 1..=240) => Some(n as u32),
                _ => return Err(format!("{at}field \"duration\" must be a whole number of minutes, 1 to 240").into()),
            },
        };
        out.push(IndexEntry { id, title: string(o, "title", &at)?, level, duration });
    }
    Ok(out)
}

// ---- fields, with messages that say where -----------------------------------------------------

pub fn object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object().ok_or_else(|| format!("{what} must be a JSON object"))
}

pub fn only(obj: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), String> {
    for k in obj.keys() {
        if !allowed.contains(&k.as_str()) {
            let k: String = k.chars().take(40).collect();
            return Err(format!("{at}unknown field \"{k}\" (expected one of: {})", allowed.join(", ")));
        }
    }
    Ok(())
}

pub fn string(obj: &Map<String, Value>, key: &str, at: &str) -> Result<String, String> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(format!("{at}field \"{key}\" must not be empty")),
        Some(_) => Err(format!("{at}field \"{key}\" must be a string")),
        None => Err(format!("{at}field \"{key}\" is missing")),
    }
}

pub fn opt_string(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => string(obj, key, at).map(Some),
    }
}

pub fn strings(obj: &Map<String, Value>, key: &str, at: &str, required: bool) -> Result<Vec<String>, String> {
    let v = match obj.get(key) {
        None | Some(Value::Null) if !required => return Ok(Vec::new()),
        None => return Err(format!("{at}field \"{key}\" is missing")),
        Some(v) => v,
    };
    let a = v.as_array().ok_or_else(|| format!("{at}field \"{key}\" must be a list of strings"))?;
    if required && a.is_empty() {
        return Err(format!("{at}field \"{key}\" must not be empty"));
    }
    a.iter()
        .enumerate()
        .map(|(i, s)| match s.as_str() {
            Some(t) if !t.trim().is_empty() => Ok(t.to_string()),
            _ => Err(format!("{at}field \"{key}\", item {i}: must be a non-empty string")),
        })
        .collect()
}

pub fn index(obj: &Map<String, Value>, key: &str, at: &str, len: usize) -> Result<usize, String> {
    match obj.get(key) {
        None => Err(format!("{at}field \"{key}\" is missing")),
        Some(v) => match v.as_u64() {
            Some(n) if (n as usize) < len && n < u32::MAX as u64 => Ok(n as usize),
            Some(n) => Err(format!("{at}field \"{key}\" is {n}, but there are only {len} options (counted from 0)")),
            None => Err(format!("{at}field \"{key}\" must be a whole number counted from 0")),
        },
    }
}

/// 1–64 characters of `[a-z0-9-]`.
pub fn name(obj: &Map<String, Value>, key: &str, at: &str) -> Result<String, String> {
    let s = string(obj, key, at)?;
    if crate::teach::share::valid_name(&s) {
        Ok(s)
    } else {
        Err(format!(
            "{at}field \"{key}\" must be 1 to 64 characters of a-z, 0-9 and - (it names a file and appears in links)"
        ))
    }
}

// ---- learning metadata (lessons and banks) ----------------------------------------------------

/// A learning goal a lesson or a bank declares; a question names the one it checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goal {
    /// 1–64 characters of `[a-z0-9-]`, unique in the file.
    pub id: String,
    /// What the learner can do once the goal is met ("Choose a stream view type for a need").
    pub text: String,
}

/// What a lesson or a bank declares about itself for the catalogue: goals, level, duration and
/// the AWS documentation its facts come from. Every member is optional in the parser (old files
/// stay readable); `cargo test --test suite teaching` requires them of the shipped files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub goals: Vec<Goal>,
    /// `"basics"` or `"deeper"` (banks; a lesson's level is its own required field).
    pub level: Option<String>,
    /// Minutes a learner needs, 1 to 240.
    pub duration: Option<u32>,
    /// AWS documentation pages (https URLs) the facts come from.
    pub sources: Vec<String>,
}

pub const LEVELS: &[&str] = &["basics", "deeper"];
pub const META_FIELDS: &[&str] = &["goals", "duration", "sources"];

/// Reads `goals`, `duration` and `sources` (and `level` when `with_level`) of a file's top
/// object.
pub fn meta(top: &Map<String, Value>, with_level: bool) -> Result<Meta, String> {
    let mut m = Meta::default();
    if with_level {
        if let Some(l) = opt_string(top, "level", "")? {
            if !LEVELS.contains(&l.as_str()) {
                return Err(format!("field \"level\" must be one of: {}", LEVELS.join(", ")));
            }
            m.level = Some(l);
        }
    }
    match top.get("duration") {
        None | Some(Value::Null) => {}
        Some(v) => match v.as_u64() {
            Some(n @ 1..=240) => m.duration = Some(n as u32),
            _ => return Err("field \"duration\" must be a whole number of minutes, 1 to 240".into()),
        },
    }
    if let Some(g) = top.get("goals").filter(|g| !g.is_null()) {
        let list = g.as_array().ok_or("field \"goals\" must be a list of {\"id\", \"text\"}")?;
        if list.len() > 20 {
            return Err("field \"goals\" has more than 20 goals".into());
        }
        for (i, g) in list.iter().enumerate() {
            let at = format!("goals item {i}: ");
            let o = object(g, &format!("goals item {i}"))?;
            only(o, &["id", "text"], &at)?;
            let id = name(o, "id", &at)?;
            if m.goals.iter().any(|x| x.id == id) {
                return Err(format!("{at}another goal already has the id \"{id}\""));
            }
            m.goals.push(Goal { id, text: string(o, "text", &at)? });
        }
    }
    m.sources = strings(top, "sources", "", false)?;
    for (i, s) in m.sources.iter().enumerate() {
        if !s.starts_with("https://") || s.len() > 500 || s.chars().any(char::is_whitespace) {
            return Err(format!("field \"sources\", item {i}: must be an https URL"));
        }
    }
    Ok(m)
}
