//! The trigger rule language: what a learner writes as the code of a Lambda function attached
//! to a DynamoDB stream.
//!
//! ```text
//! -- count votes per choice
//! on INSERT, MODIFY, REMOVE
//!   count votes by choice
//!
//! on MODIFY when new.qty < 5 and old.qty >= 5
//!   notify "#ops" "Stock of {keys.sku} dropped to {new.qty}"
//! ```
//!
//! A program is a list of rules; a rule is `on EVENTS [when CONDITION]` followed by one or
//! more actions. See `README-snippet.md` for the language as learners see it.
//!
//! Semantics, decided here once:
//! - An absent value (a missing attribute, or an image the stream's view type does not carry)
//!   is never invented: any comparison with it is false, a template shows `<missing new.qty>`,
//!   a table write leaves that attribute out.
//! - Aggregates are maintained incrementally: a record's *old side* (MODIFY, REMOVE) is
//!   subtracted, computed from the old image; its *new side* (INSERT, MODIFY) is added, computed
//!   from the new image. A bare name inside an aggregate reads the side's image. A side whose
//!   image is absent, whose group or value is absent, whose value is not a number (sum, min,
//!   max, avg) or whose `where` is not true contributes nothing: like SQL's SUM skipping NULL.
//!   So under NEW_IMAGE a tally can only go up: the honest, wrong answer the lesson is about.
//! - `run` is all-or-nothing per record: when a `fail` runs (or a sum overflows the DynamoDB
//!   number range) it returns `Err(reason)`, no effect of that record is returned and no
//!   aggregate changes. Otherwise every effect is returned in order and the aggregates move.
//! - Nothing panics: nesting is capped at 32 levels, every lookup is checked.

/// The parsed form, read by `export/` to translate a program into handler code.
pub(crate) mod ast;
mod eval;
mod lexer;
mod parser;
#[cfg(all(test, not(target_arch = "wasm32")))] // proptest and miniz_oxide are native-only
mod tests;
mod warn;

pub use ast::{AggKind, Failure, Report};

use crate::model::ViewType;
use crate::model::{AttributeValue, Item};
use std::fmt;

/// A syntax error or a warning, at a 1-based line and column (counted in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    /// `line 3, column 7: message`, then the source line and a caret under the column.
    pub fn render(&self, src: &str) -> String {
        let text = src.lines().nth(self.line.saturating_sub(1)).unwrap_or("");
        let mut caret: String =
            text.chars().take(self.column.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        let have = caret.chars().count();
        caret.extend(std::iter::repeat_n(' ', self.column.saturating_sub(1).saturating_sub(have)));
        format!("{self}\n  {text}\n  {caret}^")
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// A parsed rule program.
#[derive(Clone, Debug, Default)]
pub struct Program {
    rules: Vec<ast::Rule>,
    aggregates: Vec<(String, AggKind)>,
}

/// Parses a program. An empty source (or only comments) is a function that does nothing.
pub fn parse(src: &str) -> Result<Program, Diagnostic> {
    let parsed = parser::parse_program(src)?;
    Ok(Program { rules: parsed.rules, aggregates: parsed.aggregates })
}

/// One stream record as the function sees it (images absent when the view type lacks them).
#[derive(Clone, Copy, Debug)]
pub struct RecordView<'a> {
    /// "INSERT", "MODIFY" or "REMOVE".
    pub event_name: &'a str,
    /// A deletion made by the TTL service.
    pub ttl: bool,
    pub keys: &'a Item,
    pub new_image: Option<&'a Item>,
    pub old_image: Option<&'a Item>,
    pub sequence_number: &'a str,
}

/// Side effects a run produced, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Notify {
        channel: String,
        message: String,
    },
    Put {
        table: String,
        item: Item,
    },
    /// `add` pairs are DynamoDB `ADD` actions, `set` pairs are `SET name = value`.
    Update {
        table: String,
        key: Item,
        add: Vec<(String, AttributeValue)>,
        set: Vec<(String, AttributeValue)>,
    },
    Delete {
        table: String,
        key: Item,
    },
}

/// The aggregates' running state: name -> group -> accumulator. Deterministic (sorted by
/// name, then by group).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Aggregates {
    map: crate::support::named::ByName<eval::AggState>,
}

impl Aggregates {
    /// `{"<aggregate name>": {"<group>": <number>}}`: groups are the group value's text (a
    /// string as itself, a number in canonical form), `"*"` when not grouped; values are JSON
    /// numbers. A group whose count reaches 0 disappears; a min/max group whose values were all
    /// taken out (possible only with a view type that misses an image) shows `null`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Object(self.each().map(|(name, groups)| (name.to_string(), groups.to_json())).collect())
    }

    /// Each aggregate's name and its groups, in the order of [`Aggregates::to_json`], with no
    /// JSON made until a group is read (the page reads every group and keeps the largest).
    pub fn each(&self) -> impl Iterator<Item = (&str, Groups<'_>)> {
        self.map.values().map(|st| (st.name.as_str(), Groups(st)))
    }

    /// One group's current value, as in `to_json`; `None` if the aggregate or group is absent.
    pub fn value(&self, name: &str, group: &str) -> Option<serde_json::Value> {
        let st = self.map.get(name)?;
        st.groups.get(group).map(|acc| eval::acc_json(st.kind, acc))
    }

    /// How many contributions a group holds (inserts minus removals).
    pub fn count(&self, name: &str, group: &str) -> i64 {
        self.map.get(name).and_then(|st| st.groups.get(group)).map_or(0, |acc| acc.count)
    }

    pub fn clear(&mut self) {
        self.map.clear();
    }
}

/// One aggregate's groups (see [`Aggregates::each`]).
#[derive(Clone, Copy, Debug)]
pub struct Groups<'a>(&'a eval::AggState);

impl<'a> Groups<'a> {
    pub fn len(&self) -> usize {
        self.0.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.groups.is_empty()
    }

    /// Each group's name and value, as in [`Aggregates::to_json`].
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, serde_json::Value)> + 'a {
        let st = self.0;
        st.groups.iter().map(move |(g, acc)| (g.as_str(), eval::acc_json(st.kind, acc)))
    }

    /// `{"<group>": <value>}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Object(self.iter().map(|(g, v)| (g.to_string(), v)).collect())
    }
}

impl Program {
    /// Image reads the view type can't satisfy (and reads the rule's own events never can),
    /// sorted by position.
    pub fn warnings(&self, view: ViewType) -> Vec<Diagnostic> {
        warn::warnings(self, view)
    }

    /// Aggregate names in order of first appearance.
    pub fn aggregate_names(&self) -> Vec<String> {
        self.aggregates.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Aggregate names with their kind.
    pub fn aggregate_kinds(&self) -> Vec<(String, AggKind)> {
        self.aggregates.clone()
    }

    /// True for a program without rules: it succeeds and does nothing.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The parsed rules, in order (for `export/`, which translates them into handler code).
    pub(crate) fn rules(&self) -> &[ast::Rule] {
        &self.rules
    }

    /// Runs every matching rule, in order, on one record: updates `aggs` and returns the
    /// effects, or the [`Failure`] if a `fail` ran (or a sum overflowed), in which case neither
    /// effects nor aggregate changes of this record are kept. Registers every aggregate of the
    /// program in `aggs` (an aggregate found there with another kind is reset).
    pub fn run(&self, rec: &RecordView, aggs: &mut Aggregates) -> Result<Vec<Effect>, Failure> {
        eval::run(self, rec, aggs, &mut Vec::new())
    }

    /// [`Program::run`], counting in `fired[i]` each record rule `i` handled (its events matched
    /// and its `when` held; `fired` grows to one counter per rule).
    pub fn run_counting(
        &self,
        rec: &RecordView,
        aggs: &mut Aggregates,
        fired: &mut Vec<u64>,
    ) -> Result<Vec<Effect>, Failure> {
        eval::run(self, rec, aggs, fired)
    }
}
