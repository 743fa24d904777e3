//! Recursive-descent parser for every expression kind.
//!
//! Syntax errors abort at once. Semantic problems (reserved words, undefined placeholders,
//! unknown or misused functions, operand types, overlapping paths) are collected while parsing
//! and the most important one is reported afterwards, in DynamoDB's order of precedence.

use super::ast::*;
use super::eval;
use super::lexer::{tokenize, Tok, Token};
use super::reserved::is_reserved;
use crate::model::{b64_encode, AttributeValue, AwsError, Item, Result};
use std::cmp::Ordering;
use std::fmt;

/// Deepest nesting of parentheses, NOT and function arguments accepted.
pub const MAX_DEPTH: usize = 100;
/// Most operands on the right of IN.
const MAX_IN_OPERANDS: usize = 100;
const ATTRIBUTE_TYPES: [&str; 10] = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Condition,
    Update,
    KeyCondition,
    Filter,
    Projection,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Condition => "ConditionExpression",
            Kind::Update => "UpdateExpression",
            Kind::KeyCondition => "KeyConditionExpression",
            Kind::Filter => "FilterExpression",
            Kind::Projection => "ProjectionExpression",
        }
    }

    fn is_keyword(self, word: &str) -> bool {
        let set: &[&str] = match self {
            Kind::Update => &["SET", "REMOVE", "ADD", "DELETE"],
            Kind::Projection => &[],
            _ => &["AND", "OR", "NOT", "BETWEEN", "IN"],
        };
        set.iter().any(|k| k.eq_ignore_ascii_case(word))
    }

    /// Number of operands of a function usable in this kind of expression.
    fn arity(self, name: &str) -> Option<usize> {
        match (self, name) {
            (Kind::Update, "if_not_exists" | "list_append") => Some(2),
            (Kind::Update | Kind::Projection, _) => None,
            (_, "attribute_exists" | "attribute_not_exists" | "size") => Some(1),
            (_, "attribute_type" | "begins_with" | "contains") => Some(2),
            _ => None,
        }
    }
}

/// Functions that are conditions themselves (as opposed to `size`, which yields an operand).
fn is_condition_function(name: &str) -> bool {
    matches!(name, "attribute_exists" | "attribute_not_exists" | "attribute_type" | "begins_with" | "contains")
}

/// Semantic problems, in the order DynamoDB reports them when several are present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Parens,
    UnknownFunction,
    Misused,
    Reserved,
    Section,
    Name,
    Value,
    Overlap,
    Conflict,
    Operands,
    Distinct,
    Type,
}

/// State shared by all the expressions of one request.
pub struct Ctx<'a> {
    names: Option<&'a Names>,
    values: Option<&'a Item>,
    /// The placeholders used, sorted and unique (see [`mark_used`]).
    pub used_names: Vec<String>,
    pub used_values: Vec<String>,
}

/// Adds `placeholder` to `used` (sorted and unique), unless it is there already. The
/// expressions are short (`MAX_EXPRESSION_SIZE`), so are these lists.
pub fn mark_used(used: &mut Vec<String>, placeholder: &str) {
    if let Err(i) = used.binary_search_by(|u| u.as_str().cmp(placeholder)) {
        // `i` is in 0..=len: the insert cannot fail.
        used.insert(i, placeholder.to_string());
    }
}

impl<'a> Ctx<'a> {
    pub fn new(names: Option<&'a Names>, values: Option<&'a Item>) -> Self {
        Ctx { names, values, used_names: Vec::new(), used_values: Vec::new() }
    }

    pub fn condition(&mut self, src: &str, kind: Kind) -> Result<Condition> {
        let mut p = Parser::new(self, src, kind)?;
        let t = p.or(0)?;
        let c = p.as_condition(t)?;
        p.finish(c)
    }

    pub fn update(&mut self, src: &str) -> Result<Update> {
        let mut p = Parser::new(self, src, Kind::Update)?;
        let u = p.update()?;
        p.finish(u)
    }

    pub fn projection(&mut self, src: &str) -> Result<Vec<Path>> {
        let mut p = Parser::new(self, src, Kind::Projection)?;
        let mut paths = Vec::new();
        loop {
            let path = p.path()?;
            p.target(&path);
            paths.push(path);
            if !p.eat_punct(",") {
                break;
            }
        }
        p.finish(paths)
    }

    pub fn key_condition(&mut self, src: &str) -> Result<KeyCondition> {
        key_condition(self.condition(src, Kind::KeyCondition)?)
    }
}

/// One condition or one bare operand, as produced below the level of AND/OR; `paren` records
/// whether it was wrapped in parentheses (to detect redundant ones).
enum Term {
    Cond(Condition, bool),
    Op(Operand, bool),
}

impl Term {
    fn paren(&self) -> bool {
        match self {
            Term::Cond(_, p) | Term::Op(_, p) => *p,
        }
    }
    fn wrapped(self) -> Term {
        match self {
            Term::Cond(c, _) => Term::Cond(c, true),
            Term::Op(o, _) => Term::Op(o, true),
        }
    }
}

struct Parser<'p, 'a> {
    ctx: &'p mut Ctx<'a>,
    src: &'p str,
    toks: Vec<Token>,
    pos: usize,
    kind: Kind,
    issues: Vec<(Rank, String)>,
    targets: Vec<Path>,
}

impl<'p, 'a> Parser<'p, 'a> {
    fn new(ctx: &'p mut Ctx<'a>, src: &'p str, kind: Kind) -> Result<Self> {
        let p = Parser { ctx, src, toks: tokenize(src), pos: 0, kind, issues: Vec::new(), targets: Vec::new() };
        if src.len() > MAX_EXPRESSION_SIZE {
            return Err(p.error("Expression size has exceeded the maximum allowed size"));
        }
        if src.trim().is_empty() {
            return Err(p.error("The expression can not be empty;"));
        }
        Ok(p)
    }

    fn error(&self, msg: impl fmt::Display) -> AwsError {
        AwsError::validation(format!("Invalid {}: {msg}", self.kind.label()))
    }

    /// Requires the end of input, then reports the most important semantic problem, if any.
    fn finish<T>(self, value: T) -> Result<T> {
        if self.peek().kind != Tok::Eof {
            return Err(self.syntax());
        }
        match self.issues.iter().min_by_key(|(rank, _)| *rank) {
            Some((_, msg)) => Err(self.error(msg)),
            None => Ok(value),
        }
    }

    fn issue(&mut self, rank: Rank, msg: String) {
        self.issues.push((rank, msg));
    }

    // ---- tokens ----

    fn peek(&self) -> Token {
        self.peek_at(self.pos)
    }

    fn peek_at(&self, i: usize) -> Token {
        let eof = Token { kind: Tok::Eof, start: self.src.len(), end: self.src.len() };
        self.toks.get(i).copied().unwrap_or(eof)
    }

    fn text(&self, t: Token) -> &'p str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        if t.kind != Tok::Eof {
            self.pos += 1;
        }
        t
    }

    fn is_punct(&self, p: &str) -> bool {
        let t = self.peek();
        t.kind == Tok::Punct && self.text(t) == p
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        let yes = self.is_punct(p);
        if yes {
            self.bump();
        }
        yes
    }

    fn expect_punct(&mut self, p: &str) -> Result<()> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(self.syntax())
        }
    }

    fn is_kw(&self, kw: &str) -> bool {
        let t = self.peek();
        t.kind == Tok::Ident && self.text(t).eq_ignore_ascii_case(kw)
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.is_kw(kw);
        if yes {
            self.bump();
        }
        yes
    }

    /// `Syntax error; token: "<tok>", near: "<previous token .. next token>"` at the current token.
    fn syntax(&self) -> AwsError {
        let t = self.peek();
        let (token, from, to) = if t.kind == Tok::Eof {
            let from = self.pos.saturating_sub(2);
            ("<EOF>".to_string(), self.peek_at(from).start, t.end)
        } else {
            let next = self.peek_at(self.pos + 1);
            (self.text(t).to_string(), self.peek_at(self.pos.saturating_sub(1)).start, next.end.max(t.end))
        };
        let near = self.src.get(from..to).unwrap_or("").trim();
        self.error(format!("Syntax error; token: \"{token}\", near: \"{near}\""))
    }

    fn check_depth(&self, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("The expression is nested too deeply; maximum depth: {MAX_DEPTH}")));
        }
        Ok(())
    }

    // ---- placeholders and paths ----

    fn name(&mut self, placeholder: &str) -> String {
        match self.ctx.names.and_then(|n| n.get(placeholder)?.as_str()) {
            Some(name) => {
                mark_used(&mut self.ctx.used_names, placeholder);
                name.to_string()
            }
            None => {
                self.issue(
                    Rank::Name,
                    format!("An expression attribute name used in the document path is not defined; attribute name: {placeholder}"),
                );
                String::new()
            }
        }
    }

    fn value(&mut self, placeholder: &str) -> AttributeValue {
        match self.ctx.values.and_then(|v| v.get(placeholder)) {
            Some(v) => {
                mark_used(&mut self.ctx.used_values, placeholder);
                v.clone()
            }
            None => {
                self.issue(
                    Rank::Value,
                    format!("An expression attribute value used in expression is not defined; attribute value: {placeholder}"),
                );
                AttributeValue::Null
            }
        }
    }

    /// One attribute name of a path: an identifier (not a keyword, not reserved) or `#name`.
    fn path_name(&mut self) -> Result<String> {
        let t = self.peek();
        let text = self.text(t);
        match t.kind {
            Tok::Ident if !self.kind.is_keyword(text) => {
                if is_reserved(text) {
                    self.issue(
                        Rank::Reserved,
                        format!("Attribute name is a reserved keyword; reserved keyword: {text}"),
                    );
                }
                self.bump();
                Ok(text.to_string())
            }
            Tok::Name => {
                self.bump();
                Ok(self.name(text))
            }
            _ => Err(self.syntax()),
        }
    }

    /// `name ( . name | [ digits ] )*`
    fn path(&mut self) -> Result<Path> {
        let mut elems = vec![PathElem::Attr(self.path_name()?)];
        loop {
            if self.eat_punct(".") {
                elems.push(PathElem::Attr(self.path_name()?));
            } else if self.eat_punct("[") {
                let t = self.peek();
                let index = match t.kind {
                    Tok::Num => self.text(t).parse::<usize>().map_err(|_| self.syntax())?,
                    _ => return Err(self.syntax()),
                };
                self.bump();
                self.expect_punct("]")?;
                elems.push(PathElem::Index(index));
            } else {
                return Ok(Path(elems.into()));
            }
        }
    }

    /// Records a path an update writes (or a projection reads) and checks it against the others.
    fn target(&mut self, path: &Path) {
        for i in 0..self.targets.len() {
            let Some(other) = self.targets.get(i).cloned() else { break };
            let mut diverged = false;
            for (a, b) in other.0.iter().zip(path.0.iter()) {
                match (a, b) {
                    (PathElem::Attr(x), PathElem::Attr(y)) if x == y => continue,
                    (PathElem::Index(x), PathElem::Index(y)) if x == y => continue,
                    (PathElem::Attr(_), PathElem::Attr(_)) | (PathElem::Index(_), PathElem::Index(_)) => {}
                    _ => self.issue(
                        Rank::Conflict,
                        format!("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {other}, path two: {path}"),
                    ),
                }
                diverged = true;
                break;
            }
            if !diverged {
                self.issue(
                    Rank::Overlap,
                    format!("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {other}, path two: {path}"),
                );
            }
        }
        self.targets.push(path.clone());
    }

    // ---- operands ----

    /// An operand, possibly in parentheses; the flag tells whether it was parenthesized.
    fn operand_parens(&mut self, depth: usize) -> Result<(Operand, bool)> {
        self.check_depth(depth)?;
        if self.eat_punct("(") {
            let (op, wrapped) = self.operand_parens(depth + 1)?;
            if wrapped {
                self.issue(Rank::Parens, "The expression has redundant parentheses;".into());
            }
            self.expect_punct(")")?;
            return Ok((op, true));
        }
        Ok((self.operand(depth)?, false))
    }

    /// A path, a `:value` or a function call.
    fn operand(&mut self, depth: usize) -> Result<Operand> {
        let t = self.peek();
        let text = self.text(t);
        match t.kind {
            Tok::Value => {
                self.bump();
                Ok(Operand::Value(self.value(text)))
            }
            Tok::Ident
                if !self.kind.is_keyword(text) && {
                    let n = self.peek_at(self.pos + 1);
                    n.kind == Tok::Punct && self.text(n) == "("
                } =>
            {
                self.check_depth(depth + 1)?;
                self.bump();
                self.bump();
                let mut args = Vec::new();
                loop {
                    args.push(self.operand_parens(depth + 1)?.0);
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                self.expect_punct(")")?;
                Ok(self.call(text, args))
            }
            _ => Ok(Operand::Path(self.path()?)),
        }
    }

    /// Validates a function call (name, operand count, operand kinds and types).
    fn call(&mut self, name: &str, args: Vec<Operand>) -> Operand {
        let Some(arity) = self.kind.arity(name) else {
            self.issue(Rank::UnknownFunction, format!("Invalid function name; function: {name}"));
            return Operand::Call(std::rc::Rc::from(name), args);
        };
        if self.kind != Kind::Update {
            args.iter().for_each(|a| self.operand_use(a));
        }
        if args.len() != arity {
            self.issue(
                Rank::Operands,
                format!("Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}", args.len()),
            );
            return Operand::Call(std::rc::Rc::from(name), args);
        }
        if self.kind != Kind::Update {
            if let [a, b] = args.as_slice() {
                self.distinct(name, a, b);
            }
        }
        let bad_type = |me: &mut Self, t: &str| {
            me.issue(
                Rank::Type,
                format!(
                    "Incorrect operand type for operator or function; operator or function: {name}, operand type: {t}"
                ),
            )
        };
        match (name, args.as_slice()) {
            ("attribute_exists" | "attribute_not_exists" | "if_not_exists", [first, ..])
                if !matches!(first, Operand::Path(_)) =>
            {
                self.issue(
                    Rank::Type,
                    format!("Operator or function requires a document path; operator or function: {name}"),
                );
            }
            ("begins_with", _) => {
                if let Some(t) = args.iter().filter_map(static_type).find(|t| *t != "S" && *t != "B") {
                    bad_type(self, t);
                }
            }
            ("size", [a]) => {
                if let Some(t) = static_type(a).filter(|t| matches!(*t, "N" | "BOOL" | "NULL")) {
                    bad_type(self, t);
                }
            }
            ("list_append", _) => {
                if let Some(t) = args.iter().filter_map(immediate_type).find(|t| *t != "L") {
                    bad_type(self, t);
                }
            }
            ("attribute_type", [_, t]) => match (static_type(t), t) {
                (Some("S"), Operand::Value(AttributeValue::S(s))) => {
                    if !ATTRIBUTE_TYPES.contains(&s.as_str()) {
                        self.issue(
                            Rank::Type,
                            format!("Invalid attribute type name found; type: {s}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}"),
                        );
                    }
                }
                (Some("S"), _) => {}
                (t, _) => bad_type(self, t.unwrap_or("{NS,SS,L,BS,N,M,B,BOOL,NULL,S}")),
            },
            _ => {}
        }
        Operand::Call(std::rc::Rc::from(name), args)
    }

    /// In condition expressions, only `size` may be used where an operand is expected.
    fn operand_use(&mut self, op: &Operand) {
        if let Operand::Call(name, _) = op {
            if is_condition_function(name) {
                self.issue(
                    Rank::Misused,
                    format!("The function is not allowed to be used this way in an expression; function: {name}"),
                );
            }
        }
    }

    fn distinct(&mut self, operator: &str, a: &Operand, b: &Operand) {
        if let (Operand::Path(x), Operand::Path(y)) = (a, b) {
            if x == y {
                self.issue(
                    Rank::Distinct,
                    format!("The first operand must be distinct from the remaining operands for this operator or function; operator: {operator}, first operand: {x}"),
                );
            }
        }
    }

    // ---- conditions ----

    /// `cond (AND|OR cond)*` with NOT prefixes, OR binding loosest. Iterative, so that only
    /// parentheses and function arguments recurse.
    fn or(&mut self, depth: usize) -> Result<Term> {
        let mut ors: Vec<Condition> = Vec::new();
        let mut ands: Vec<Condition> = Vec::new();
        loop {
            let mut nots = 0;
            while self.eat_kw("NOT") {
                nots += 1;
                self.check_depth(depth + nots)?;
            }
            let mut term = self.comparison(depth + nots)?;
            if nots > 0 {
                let mut c = self.as_condition(term)?;
                for _ in 0..nots {
                    c = Condition::Not(Box::new(c));
                }
                term = Term::Cond(c, false);
            }
            let (and, or) = (self.is_kw("AND"), self.is_kw("OR"));
            if !and && !or && ands.is_empty() && ors.is_empty() {
                return Ok(term);
            }
            ands.push(self.as_condition(term)?);
            if and {
                self.bump();
                continue;
            }
            ors.push(fold(std::mem::take(&mut ands), Condition::And));
            if or {
                self.bump();
                continue;
            }
            return Ok(Term::Cond(fold(ors, Condition::Or), false));
        }
    }

    fn comparison(&mut self, depth: usize) -> Result<Term> {
        let term = self.atom(depth)?;
        self.comparison_rest(term, depth)
    }

    /// What may follow an operand: a comparator, BETWEEN or IN (or nothing).
    fn comparison_rest(&mut self, term: Term, depth: usize) -> Result<Term> {
        let Term::Op(lhs, paren) = term else { return Ok(term) };
        let t = self.peek();
        let cmp = match (t.kind, self.text(t)) {
            (Tok::Punct, "=") => Some(CmpOp::Eq),
            (Tok::Punct, "<>") => Some(CmpOp::Ne),
            (Tok::Punct, "<") => Some(CmpOp::Lt),
            (Tok::Punct, "<=") => Some(CmpOp::Le),
            (Tok::Punct, ">") => Some(CmpOp::Gt),
            (Tok::Punct, ">=") => Some(CmpOp::Ge),
            _ => None,
        };
        let cond = if let Some(op) = cmp {
            self.bump();
            let rhs = self.operand_parens(depth + 1)?.0;
            self.operand_use(&lhs);
            self.operand_use(&rhs);
            self.distinct(op.symbol(), &lhs, &rhs);
            Condition::Cmp(op, lhs, rhs)
        } else if self.eat_kw("BETWEEN") {
            let lo = self.operand_parens(depth + 1)?.0;
            if !self.eat_kw("AND") {
                return Err(self.syntax());
            }
            let hi = self.operand_parens(depth + 1)?.0;
            [&lhs, &lo, &hi].into_iter().for_each(|o| self.operand_use(o));
            self.between_bounds(&lo, &hi);
            Condition::Between(lhs, lo, hi)
        } else if self.eat_kw("IN") {
            self.expect_punct("(")?;
            let mut list = Vec::new();
            loop {
                list.push(self.operand_parens(depth + 1)?.0);
                if !self.eat_punct(",") {
                    break;
                }
            }
            self.expect_punct(")")?;
            self.operand_use(&lhs);
            list.iter().for_each(|o| self.operand_use(o));
            if list.len() > MAX_IN_OPERANDS {
                self.issue(
                    Rank::Operands,
                    format!("The IN operator is provided with too many operands; number of operands: {}", list.len()),
                );
            }
            Condition::In(lhs, list)
        } else {
            return Ok(Term::Op(lhs, paren));
        };
        Ok(Term::Cond(cond, false))
    }

    fn between_bounds(&mut self, lo: &Operand, hi: &Operand) {
        let (Operand::Value(x), Operand::Value(y)) = (lo, hi) else { return };
        let bounds = format!(
            "lower bound operand: AttributeValue: {}, upper bound operand: AttributeValue: {}",
            brief(x),
            brief(y)
        );
        if x.type_name() != y.type_name() {
            self.issue(
                Rank::Type,
                format!("The BETWEEN operator requires same data type for lower and upper bounds; {bounds}"),
            );
        } else if eval::compare(x, y) == Some(Ordering::Greater) {
            self.issue(
                Rank::Type,
                format!(
                    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; {bounds}"
                ),
            );
        }
    }

    /// A parenthesized condition or a bare operand.
    fn atom(&mut self, depth: usize) -> Result<Term> {
        if self.eat_punct("(") {
            self.check_depth(depth + 1)?;
            let inner = self.or(depth + 1)?;
            self.expect_punct(")")?;
            if inner.paren() {
                self.issue(Rank::Parens, "The expression has redundant parentheses;".into());
            }
            return Ok(inner.wrapped());
        }
        Ok(Term::Op(self.operand(depth)?, false))
    }

    /// A term used as a condition: a condition, or a call of a condition function.
    fn as_condition(&mut self, term: Term) -> Result<Condition> {
        match term {
            Term::Cond(c, _) => Ok(c),
            Term::Op(Operand::Call(name, args), _) => {
                if &*name == "size" {
                    self.issue(
                        Rank::Misused,
                        format!("The function is not allowed to be used this way in an expression; function: {name}"),
                    );
                }
                Ok(Condition::Func(name, args))
            }
            Term::Op(..) => Err(self.syntax()),
        }
    }

    // ---- updates ----

    fn update(&mut self) -> Result<Update> {
        let mut actions = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        loop {
            let t = self.peek();
            let section = self.text(t).to_ascii_uppercase();
            if t.kind != Tok::Ident || !self.kind.is_keyword(&section) {
                return Err(self.syntax());
            }
            self.bump();
            if seen.contains(&section) {
                self.issue(
                    Rank::Section,
                    format!("The \"{section}\" section can only be used once in an update expression;"),
                );
            }
            loop {
                let path = self.path()?;
                self.target(&path);
                actions.push(match section.as_str() {
                    "SET" => {
                        self.expect_punct("=")?;
                        Action::Set(path, self.set_value(1)?)
                    }
                    "REMOVE" => Action::Remove(path),
                    op => {
                        let t = self.peek();
                        if t.kind != Tok::Value {
                            return Err(self.syntax());
                        }
                        self.bump();
                        let v = self.value(self.text(t));
                        let ok = match v {
                            AttributeValue::SS(_) | AttributeValue::NS(_) | AttributeValue::BS(_) => true,
                            AttributeValue::N(_) => op == "ADD",
                            _ => false,
                        };
                        if !ok {
                            let t = match v.type_name() {
                                "S" => "STRING",
                                "N" => "NUMBER",
                                "B" => "BINARY",
                                "BOOL" => "BOOLEAN",
                                "L" => "LIST",
                                "M" => "MAP",
                                other => other,
                            };
                            self.issue(Rank::Type, format!("Incorrect operand type for operator or function; operator: {op}, operand type: {t}"));
                        }
                        if op == "ADD" {
                            Action::Add(path, v)
                        } else {
                            Action::Delete(path, v)
                        }
                    }
                });
                if !self.eat_punct(",") {
                    break;
                }
            }
            seen.push(section);
            if self.peek().kind == Tok::Eof {
                return Ok(Update { actions });
            }
        }
    }

    /// The right-hand side of a SET action: `operand`, `operand + operand`, `operand - operand`,
    /// any of them in parentheses.
    fn set_value(&mut self, depth: usize) -> Result<Operand> {
        self.check_depth(depth)?;
        let lhs = if self.eat_punct("(") {
            let v = self.set_value(depth + 1)?;
            self.expect_punct(")")?;
            v
        } else {
            self.operand(depth)?
        };
        let op = if self.is_punct("+") {
            ArithOp::Plus
        } else if self.is_punct("-") {
            ArithOp::Minus
        } else {
            return Ok(lhs);
        };
        if matches!(lhs, Operand::Arith(..)) {
            return Err(self.syntax());
        }
        self.bump();
        let rhs = self.operand_parens(depth + 1)?.0;
        let symbol = if op == ArithOp::Plus { "+" } else { "-" };
        if let Some(t) = [&lhs, &rhs].into_iter().filter_map(immediate_type).find(|t| *t != "N") {
            self.issue(Rank::Type, format!("Incorrect operand type for operator or function; operator or function: {symbol}, operand type: {t}"));
        }
        Ok(Operand::Arith(Box::new(lhs), op, Box::new(rhs)))
    }
}

/// Left-associative fold of a non-empty list with a binary constructor.
fn fold(list: Vec<Condition>, join: fn(Box<Condition>, Box<Condition>) -> Condition) -> Condition {
    let mut it = list.into_iter();
    let first = it.next().unwrap_or(Condition::Func(std::rc::Rc::from(""), Vec::new()));
    it.fold(first, |acc, c| join(Box::new(acc), Box::new(c)))
}

/// The type of an expression attribute value operand.
fn immediate_type(op: &Operand) -> Option<&'static str> {
    match op {
        Operand::Value(v) => Some(v.type_name()),
        _ => None,
    }
}

/// The type an operand is known to have before evaluation, if any.
fn static_type(op: &Operand) -> Option<&'static str> {
    match op {
        Operand::Value(v) => Some(v.type_name()),
        Operand::Arith(..) => Some("N"),
        Operand::Call(name, args) => match &**name {
            "size" => Some("N"),
            "list_append" => Some("L"),
            "if_not_exists" => args.get(1).and_then(static_type),
            n if is_condition_function(n) => Some("BOOL"),
            _ => None,
        },
        Operand::Path(_) => None,
    }
}

/// `{N:5}`-style rendering of a value in error messages.
fn brief(v: &AttributeValue) -> String {
    let inner = match v {
        AttributeValue::S(s) => s.clone(),
        AttributeValue::N(n) => n.to_string(),
        AttributeValue::B(b) => b64_encode(b),
        other => other.to_json().as_object().and_then(|m| m.values().next()).map(|x| x.to_string()).unwrap_or_default(),
    };
    format!("{{{}:{inner}}}", v.type_name())
}

/// Turns a parsed condition into key conditions: `=`, `<`, `<=`, `>`, `>=`, BETWEEN or
/// begins_with on a top-level attribute against values, at most two joined by AND.
fn key_condition(cond: Condition) -> Result<KeyCondition> {
    let unsupported = || AwsError::validation("Query key condition not supported");
    let mut parts: Vec<(String, KeyOp)> = Vec::new();
    let mut stack = vec![cond];
    let mut conds = Vec::new();
    while let Some(c) = stack.pop() {
        match c {
            Condition::And(a, b) => {
                stack.push(*b);
                stack.push(*a);
            }
            other => conds.push(other),
        }
    }
    let key_name = |p: &Path| -> Result<String> {
        match &p.0[..] {
            [PathElem::Attr(a)] => Ok(a.clone()),
            _ => Err(AwsError::validation("KeyConditionExpressions cannot have conditions on nested attributes")),
        }
    };
    for c in conds {
        let part = match c {
            Condition::Or(..) => {
                return Err(AwsError::validation("Invalid operator used in KeyConditionExpression: OR"))
            }
            Condition::Not(_) => {
                return Err(AwsError::validation("Invalid operator used in KeyConditionExpression: NOT"))
            }
            Condition::In(..) => {
                return Err(AwsError::validation("Invalid operator used in KeyConditionExpression: IN"))
            }
            Condition::Cmp(CmpOp::Ne, ..) => {
                return Err(AwsError::validation("Invalid operator used in KeyConditionExpression: <>"))
            }
            Condition::Cmp(op, a, b) => {
                let (p, v, op) = match (a, b) {
                    (Operand::Path(p), Operand::Value(v)) => (p, v, op),
                    (Operand::Value(v), Operand::Path(p)) => {
                        let flipped = match op {
                            CmpOp::Lt => CmpOp::Gt,
                            CmpOp::Le => CmpOp::Ge,
                            CmpOp::Gt => CmpOp::Lt,
                            CmpOp::Ge => CmpOp::Le,
                            o => o,
                        };
                        (p, v, flipped)
                    }
                    _ => return Err(unsupported()),
                };
                let key_op = match op {
                    CmpOp::Eq => KeyOp::Eq(v),
                    CmpOp::Lt => KeyOp::Lt(v),
                    CmpOp::Le => KeyOp::Le(v),
                    CmpOp::Gt => KeyOp::Gt(v),
                    CmpOp::Ge | CmpOp::Ne => KeyOp::Ge(v),
                };
                (key_name(&p)?, key_op)
            }
            Condition::Between(Operand::Path(p), Operand::Value(lo), Operand::Value(hi)) => {
                (key_name(&p)?, KeyOp::Between(lo, hi))
            }
            Condition::Func(name, args) => match (&*name, <[Operand; 2]>::try_from(args)) {
                ("begins_with", Ok([Operand::Path(p), Operand::Value(v)])) => (key_name(&p)?, KeyOp::BeginsWith(v)),
                ("begins_with", _) => return Err(unsupported()),
                _ => {
                    return Err(AwsError::validation(format!(
                        "Invalid operator used in KeyConditionExpression: {name}"
                    )))
                }
            },
            _ => return Err(unsupported()),
        };
        if parts.len() == 2 || parts.iter().any(|(n, _)| *n == part.0) {
            return Err(AwsError::validation("KeyConditionExpressions must only contain one condition per key"));
        }
        parts.push(part);
    }
    Ok(KeyCondition { parts })
}
