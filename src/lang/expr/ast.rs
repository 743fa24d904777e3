//! The expression AST: paths, operands, conditions, update actions, key conditions, and the
//! limits DynamoDB puts on them.

use crate::model::AttributeValue;
use std::fmt;

/// A request's `ExpressionAttributeNames` as given, once [`parse_names`] has validated them:
/// placeholder to attribute name, every value a non-empty string.
pub(super) type Names = serde_json::Map<String, serde_json::Value>;

/// Longest expression string DynamoDB accepts, in bytes.
pub const MAX_EXPRESSION_SIZE: usize = 4096;

/// Most operators and functions an UpdateExpression may hold (`docs/aws-behaviour.md` §6.4; the
/// DynamoDB limits page: `SET a = :val1 + :val2 + :val3` holds two).
pub const MAX_UPDATE_OPERATORS: usize = 300;

/// All the expressions of one request, parsed and resolved.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expressions {
    pub condition: Option<Condition>,
    pub update: Option<Update>,
    pub key_condition: Option<KeyCondition>,
    pub filter: Option<Condition>,
    pub projection: Option<Vec<Path>>,
}

/// The raw request fields; any may be `None`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sources<'a> {
    pub condition: Option<&'a str>,
    pub update: Option<&'a str>,
    pub key_condition: Option<&'a str>,
    pub filter: Option<&'a str>,
    pub projection: Option<&'a str>,
    /// `ExpressionAttributeNames` as given (a JSON object of string to string).
    pub names: Option<&'a serde_json::Value>,
    /// `ExpressionAttributeValues` as given (a JSON object of AttributeValues).
    pub values: Option<&'a serde_json::Value>,
}

/// One step of a document path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathElem {
    Attr(String),
    Index(usize),
}

/// A document path; the first element is always an `Attr`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path(pub std::rc::Rc<[PathElem]>);

impl Path {
    /// The top-level attribute name.
    pub fn top(&self) -> &str {
        match self.0.first() {
            Some(PathElem::Attr(a)) => a,
            _ => "",
        }
    }
}

impl fmt::Display for Path {
    /// DynamoDB's rendering in error messages: `[a, b, [0]]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match e {
                PathElem::Attr(a) => f.write_str(a)?,
                PathElem::Index(n) => write!(f, "[{n}]")?,
            }
        }
        f.write_str("]")
    }
}

/// A value-producing operand: a document path, an expression attribute value, a function call
/// (`size`, `if_not_exists`, `list_append`; validated at compile time) or, in an update's SET,
/// `operand + operand` / `operand - operand`.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Path(Path),
    Value(AttributeValue),
    Call(std::rc::Rc<str>, Vec<Operand>),
    Arith(Box<Operand>, ArithOp, Box<Operand>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Plus,
    Minus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// Whether `a op b` holds for two present values: `=` and `<>` by deep equality (sets
    /// unordered), the others by [`AttributeValue::ordering`] (never across types).
    pub fn holds(self, a: &AttributeValue, b: &AttributeValue) -> bool {
        let ord = || a.ordering(b);
        match self {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Lt => ord().is_some_and(|o| o.is_lt()),
            CmpOp::Le => ord().is_some_and(|o| o.is_le()),
            CmpOp::Gt => ord().is_some_and(|o| o.is_gt()),
            CmpOp::Ge => ord().is_some_and(|o| o.is_ge()),
        }
    }
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// A ConditionExpression / FilterExpression. `Func` holds the condition functions
/// (`attribute_exists`, `attribute_not_exists`, `attribute_type`, `begins_with`, `contains`).
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    Cmp(CmpOp, Operand, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    Func(std::rc::Rc<str>, Vec<Operand>),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
}

/// One action of an UpdateExpression.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Set(Path, Operand),
    Remove(Path),
    Add(Path, AttributeValue),
    Delete(Path, AttributeValue),
}

/// An UpdateExpression: its actions in the order written.
#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    pub actions: Vec<Action>,
}

impl Update {
    /// The top-level attribute name of each action, in order (repeats included).
    pub fn target_tops(&self) -> impl Iterator<Item = &str> {
        self.actions.iter().map(|a| match a {
            Action::Set(p, _) | Action::Remove(p) | Action::Add(p, _) | Action::Delete(p, _) => p.top(),
        })
    }

    /// The operators (`+`, `-`) and functions of the update's SET values.
    pub(super) fn operator_count(&self) -> usize {
        self.actions
            .iter()
            .map(|a| match a {
                Action::Set(_, v) => v.operator_count(),
                _ => 0,
            })
            .sum()
    }

    /// Paths written or removed, for ReturnValues UPDATED_OLD / UPDATED_NEW.
    pub fn target_paths(&self) -> Vec<Path> {
        self.actions
            .iter()
            .map(|a| match a {
                Action::Set(p, _) | Action::Remove(p) | Action::Add(p, _) | Action::Delete(p, _) => p.clone(),
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum KeyOp {
    Eq(AttributeValue),
    Lt(AttributeValue),
    Le(AttributeValue),
    Gt(AttributeValue),
    Ge(AttributeValue),
    Between(AttributeValue, AttributeValue),
    BeginsWith(AttributeValue),
}

/// A KeyConditionExpression: one or two `(attribute name, condition)` parts joined by AND, in
/// the order written. The engine checks the names against the key schema.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyCondition {
    pub parts: Vec<(String, KeyOp)>,
}

impl Operand {
    /// The `+`, `-` and function calls in the operand.
    pub(super) fn operator_count(&self) -> usize {
        match self {
            Operand::Path(_) | Operand::Value(_) => 0,
            Operand::Call(_, args) => 1 + args.iter().map(Operand::operator_count).sum::<usize>(),
            Operand::Arith(a, _, b) => 1 + a.operator_count() + b.operator_count(),
        }
    }

    fn collect_tops<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Operand::Path(p) => out.push(p.top()),
            Operand::Value(_) => {}
            Operand::Call(_, args) => args.iter().for_each(|a| a.collect_tops(out)),
            Operand::Arith(a, _, b) => {
                a.collect_tops(out);
                b.collect_tops(out);
            }
        }
    }
}

impl Condition {
    /// The top-level attribute names the condition reads, in order of appearance.
    pub fn top_level_names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            match c {
                Condition::Cmp(_, a, b) => {
                    a.collect_tops(&mut out);
                    b.collect_tops(&mut out);
                }
                Condition::Between(a, b, d) => [a, b, d].iter().for_each(|o| o.collect_tops(&mut out)),
                Condition::In(a, list) => {
                    a.collect_tops(&mut out);
                    list.iter().for_each(|o| o.collect_tops(&mut out));
                }
                Condition::Func(_, args) => args.iter().for_each(|o| o.collect_tops(&mut out)),
                Condition::And(a, b) | Condition::Or(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Condition::Not(a) => stack.push(a),
            }
        }
        out
    }
}
