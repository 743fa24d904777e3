//! The parsed form of a rule program.

use crate::model::AttributeValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: usize,
    pub col: usize,
}

/// Which item a path reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Root {
    New,
    Old,
    Keys,
    /// A bare name inside an aggregate (or `changed`): read from the old image to subtract and
    /// from the new image to add.
    Side,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Seg {
    Field(String),
    Index(usize),
}

#[derive(Clone, Debug)]
pub(crate) struct Path {
    pub root: Root,
    pub segs: Vec<Seg>,
    pub pos: Pos,
}

impl Path {
    /// The path as written without its root: `qty`, `address.city`, `tags[0]`.
    pub fn attr_text(&self) -> String {
        let mut s = String::new();
        for seg in &self.segs {
            match seg {
                Seg::Field(f) => {
                    let plain =
                        !f.is_empty() && f.chars().all(|c| crate::support::platform::is_alphanumeric(c) || c == '_');
                    if plain {
                        if !s.is_empty() {
                            s.push('.');
                        }
                        s.push_str(f);
                    } else {
                        s.push_str(&format!("[{f:?}]"));
                    }
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    /// The path as written: `new.qty`, `keys.id`, `choice`.
    pub fn text(&self) -> String {
        let attr = self.attr_text();
        let sep = if attr.starts_with('[') { "" } else { "." };
        match self.root {
            Root::New => format!("new{sep}{attr}"),
            Root::Old => format!("old{sep}{attr}"),
            Root::Keys => format!("keys{sep}{attr}"),
            Root::Side => attr,
        }
    }
}

/// Comparisons mean the same in rules as in DynamoDB expressions.
pub(crate) use crate::lang::expr::CmpOp;

#[derive(Clone, Debug)]
pub(crate) enum Expr {
    Lit(AttributeValue),
    Path(Path),
    /// `ttl`: true on a deletion made by the TTL service.
    Ttl,
    /// `event`: "INSERT", "MODIFY" or "REMOVE".
    Event,
    Not(Box<Expr>),
    /// `a and b and c`, flat so a long chain does not deepen the tree.
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    BeginsWith(Box<Expr>, Box<Expr>),
    Contains(Box<Expr>, Box<Expr>),
    Exists(Box<Expr>),
    /// `changed(x)`: both images present and x differs between them. The path's root is Side.
    Changed(Path),
}

#[derive(Clone, Debug)]
pub(crate) enum Part {
    Text(String),
    /// A `{...}` placeholder and its source text, for `<missing ...>`.
    Expr(Expr, String),
}

#[derive(Clone, Debug)]
pub(crate) struct Template {
    pub parts: Vec<Part>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggKind {
    Count,
    Sum,
    Min,
    Max,
    Avg,
}

impl AggKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AggKind::Count => "count",
            AggKind::Sum => "sum",
            AggKind::Min => "min",
            AggKind::Max => "max",
            AggKind::Avg => "avg",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Action {
    Aggregate { name: String, kind: AggKind, pos: Pos, value: Option<Expr>, group: Option<Expr>, filter: Option<Expr> },
    Notify { channel: Template, message: Template },
    Put { table: String, item: Vec<(String, Expr)> },
    Update { table: String, key: Vec<(String, Expr)>, add: Vec<(String, Expr)>, set: Vec<(String, Expr)> },
    Delete { table: String, key: Vec<(String, Expr)> },
    Fail { reason: Template, report: Report },
}

/// Why a record failed: a `fail` ran (its reason, filled in, and what the handler reports), or a
/// sum overflowed (reported as a thrown error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub reason: String,
    pub report: Report,
}

/// What a handler that hits `fail` does (the rule language's model of a Lambda handler's
/// response, to show what AWS does with the responses real handlers get wrong).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Report {
    /// `fail "..."`: the handler throws; with ReportBatchItemFailures on, it reports the record
    /// correctly, by its sequence number.
    Default,
    /// `report sequence`: returns `{"batchItemFailures": [{"itemIdentifier": <SequenceNumber>}]}`.
    Sequence,
    /// `report eventID`: the common mistake of reporting the record's eventID.
    EventId,
    /// `report null`: an itemIdentifier that is null.
    Null,
    /// `report "text"`: this identifier (`""` for an empty one).
    Text(String),
    /// `swallow`: catches its own error and reports success; the record is skipped.
    Swallow,
}

/// Which records a rule handles. `ttl` alone means "REMOVE records made by the TTL service".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Events {
    pub insert: bool,
    pub modify: bool,
    pub remove: bool,
    pub ttl: bool,
}

impl Events {
    pub fn matches(&self, event_name: &str, ttl: bool) -> bool {
        match event_name {
            "INSERT" => self.insert,
            "MODIFY" => self.modify,
            "REMOVE" => self.remove || (self.ttl && ttl),
            _ => false,
        }
    }
    /// Some handled record has a new image (INSERT, MODIFY).
    pub fn sees_new(&self) -> bool {
        self.insert || self.modify
    }
    /// Some handled record has an old image (MODIFY, REMOVE).
    pub fn sees_old(&self) -> bool {
        self.modify || self.remove || self.ttl
    }
    /// The handled events among those asked for, in order; REMOVE stands for TTL deletions too.
    fn listed(&self, insert: bool, modify: bool, remove: bool) -> Vec<&'static str> {
        let mut v = Vec::new();
        if insert && self.insert {
            v.push("INSERT");
        }
        if modify && self.modify {
            v.push("MODIFY");
        }
        if remove && self.remove {
            v.push("REMOVE");
        } else if remove && self.ttl {
            v.push("TTL deletions");
        }
        v
    }
    /// The handled events with a new image, for messages: "INSERT and MODIFY".
    pub fn new_side_names(&self) -> String {
        self.listed(true, true, false).join(" and ")
    }
    /// The handled events with an old image: "MODIFY and REMOVE".
    pub fn old_side_names(&self) -> String {
        self.listed(false, true, true).join(" and ")
    }
    /// All handled events: "INSERT, MODIFY and REMOVE".
    pub fn names(&self) -> String {
        let v = self.listed(true, true, true);
        match v.len() {
            0 => String::new(),
            1 => v[0].to_string(),
            n => format!("{} and {}", v[..n - 1].join(", "), v[n - 1]),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub events: Events,
    pub when: Option<Expr>,
    pub actions: Vec<Action>,
}
