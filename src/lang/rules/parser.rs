//! A hand-written recursive-descent parser for the trigger rule language.

use super::ast::*;
use super::lexer::{lex, Tok, Token};
use super::Diagnostic;
use crate::model::AttributeValue;
use crate::model::Number;

/// Deepest nesting of `not` and parentheses in one expression.
pub(crate) const MAX_NESTING: usize = 32;

const KEYWORDS: &[&str] = &[
    "on", "when", "and", "or", "not", "true", "false", "null", "ttl", "event", "count", "sum", "min", "max", "avg",
    "average", "of", "by", "where", "notify", "put", "update", "key", "add", "set", "delete", "fail", "new", "old",
    "keys",
];

const ACTIONS: &str = "count, sum, min, max, avg, notify, put, update, delete or fail";

pub(crate) fn is_keyword(w: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(w))
}

/// Where an expression is written, which decides what a bare name means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// A `when` condition, a template or a table write: paths say their image.
    Record,
    /// Inside an aggregate: bare names are read from each side (old to subtract, new to add).
    Aggregate,
}

pub(crate) struct Parsed {
    pub rules: Vec<Rule>,
    /// Aggregate names and kinds, in order of first appearance.
    pub aggregates: Vec<(String, AggKind)>,
}

pub(crate) fn parse_program(src: &str) -> Result<Parsed, Diagnostic> {
    let tokens = lex(src, 1, 1)?;
    let mut p = Parser { tokens, i: 0, depth: 0 };
    let mut rules = Vec::new();
    let mut aggregates: Vec<(String, AggKind, Pos)> = Vec::new();
    while !p.at_eof() {
        if !p.is_kw("on") {
            return Err(p.error_here(format!(
                "expected `on` to start a rule (like `on INSERT`), found {}",
                p.peek().tok.describe()
            )));
        }
        let rule = p.rule()?;
        for a in &rule.actions {
            if let Action::Aggregate { name, kind, pos, .. } = a {
                match aggregates.iter().find(|(n, _, _)| n == name) {
                    Some((_, k, first)) if k != kind => {
                        return Err(Diagnostic {
                            line: pos.line,
                            column: pos.col,
                            message: format!(
                                "`{name}` is already a {} (line {}): give this {} another name",
                                k.as_str(),
                                first.line,
                                kind.as_str()
                            ),
                        })
                    }
                    Some(_) => {}
                    None => aggregates.push((name.clone(), *kind, *pos)),
                }
            }
        }
        rules.push(rule);
    }
    Ok(Parsed { rules, aggregates: aggregates.into_iter().map(|(n, k, _)| (n, k)).collect() })
}

struct Parser {
    tokens: Vec<Token>,
    i: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.i.min(self.tokens.len() - 1)]
    }
    fn peek_at(&self, ahead: usize) -> &Token {
        &self.tokens[(self.i + ahead).min(self.tokens.len() - 1)]
    }
    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.i < self.tokens.len() - 1 {
            self.i += 1;
        }
        t
    }
    fn at_eof(&self) -> bool {
        self.peek().tok == Tok::Eof
    }
    fn pos(&self) -> Pos {
        let t = self.peek();
        Pos { line: t.line, col: t.col }
    }
    fn error_at(&self, t: &Token, message: String) -> Diagnostic {
        Diagnostic { line: t.line, column: t.col, message }
    }
    fn error_here(&self, message: String) -> Diagnostic {
        self.error_at(self.peek(), message)
    }
    fn is_kw(&self, kw: &str) -> bool {
        matches!(&self.peek().tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.next();
            true
        } else {
            false
        }
    }
    fn expect(&mut self, tok: Tok, what: &str) -> Result<Token, Diagnostic> {
        if self.peek().tok == tok {
            Ok(self.next())
        } else {
            Err(self.error_here(format!("expected {what}, found {}", self.peek().tok.describe())))
        }
    }
    /// A name chosen by the learner: not a keyword.
    fn name(&mut self, what: &str) -> Result<String, Diagnostic> {
        match &self.peek().tok {
            Tok::Word(w) if !is_keyword(w) => {
                let w = w.clone();
                self.next();
                Ok(w)
            }
            Tok::Word(w) => Err(self.error_here(format!("expected {what}, found the keyword `{w}`"))),
            other => Err(self.error_here(format!("expected {what}, found {}", other.describe()))),
        }
    }

    /// A table name: a word, or a string for names with `-` or `.`.
    fn table(&mut self) -> Result<String, Diagnostic> {
        if let Tok::Str(s, _) = &self.peek().tok {
            let s = s.clone();
            self.next();
            return Ok(s);
        }
        self.name("a table name")
    }

    fn rule(&mut self) -> Result<Rule, Diagnostic> {
        self.next(); // `on`
        let mut events = Events::default();
        loop {
            let t = self.next();
            match &t.tok {
                Tok::Word(w) => match w.to_ascii_uppercase().as_str() {
                    "INSERT" => events.insert = true,
                    "MODIFY" => events.modify = true,
                    "REMOVE" => events.remove = true,
                    "TTL" => events.ttl = true,
                    _ => {
                        return Err(self
                            .error_at(&t, format!("expected an event (INSERT, MODIFY, REMOVE or TTL), found `{w}`")))
                    }
                },
                other => {
                    return Err(self.error_at(
                        &t,
                        format!("expected an event (INSERT, MODIFY, REMOVE or TTL), found {}", other.describe()),
                    ))
                }
            }
            if self.peek().tok == Tok::Comma {
                self.next();
            } else {
                break;
            }
        }
        let when = if self.eat_kw("when") { Some(self.expr(Ctx::Record)?) } else { None };
        let mut actions = Vec::new();
        while !self.at_eof() && !self.is_kw("on") {
            actions.push(self.action()?);
        }
        if actions.is_empty() {
            let found = self.peek().tok.describe();
            return Err(self.error_here(format!("expected an action ({ACTIONS}), found {found}")));
        }
        Ok(Rule { events, when, actions })
    }

    fn action(&mut self) -> Result<Action, Diagnostic> {
        let t = self.peek().clone();
        let word = match &t.tok {
            Tok::Word(w) => w.to_ascii_lowercase(),
            other => {
                let msg = if self.i > 0 && matches!(other, Tok::Eq | Tok::Ne | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge) {
                    format!("expected an action ({ACTIONS}), found {}: a comparison takes one value on each side; join conditions with `and` / `or`", other.describe())
                } else {
                    format!("expected an action ({ACTIONS}), found {}", other.describe())
                };
                return Err(self.error_at(&t, msg));
            }
        };
        let kind = match word.as_str() {
            "count" => Some(AggKind::Count),
            "sum" => Some(AggKind::Sum),
            "min" => Some(AggKind::Min),
            "max" => Some(AggKind::Max),
            "avg" | "average" => Some(AggKind::Avg),
            _ => None,
        };
        if let Some(kind) = kind {
            self.next();
            let pos = self.pos();
            let name = self.name(&format!("a name for this {} (like `{} votes`)", kind.as_str(), kind.as_str()))?;
            let (mut value, mut group, mut filter) = (None, None, None);
            loop {
                let clause = self.peek().clone();
                if self.eat_kw("of") {
                    if kind == AggKind::Count {
                        return Err(self.error_at(
                            &clause,
                            "`count` counts records and takes no `of`; use `sum ... of` to add up a value".into(),
                        ));
                    }
                    if value.is_some() {
                        return Err(self.error_at(&clause, "`of` given twice".into()));
                    }
                    value = Some(self.expr(Ctx::Aggregate)?);
                } else if self.eat_kw("by") {
                    if group.is_some() {
                        return Err(self.error_at(&clause, "`by` given twice".into()));
                    }
                    group = Some(self.expr(Ctx::Aggregate)?);
                } else if self.eat_kw("where") {
                    if filter.is_some() {
                        return Err(self.error_at(&clause, "`where` given twice".into()));
                    }
                    filter = Some(self.expr(Ctx::Aggregate)?);
                } else {
                    break;
                }
            }
            if kind != AggKind::Count && value.is_none() {
                let found = self.peek().tok.describe();
                return Err(self.error_here(format!(
                    "expected `of` and the value to {} (like `{} {name} of qty`), found {found}",
                    kind.as_str(),
                    kind.as_str()
                )));
            }
            return Ok(Action::Aggregate { name, kind, pos, value, group, filter });
        }
        match word.as_str() {
            "notify" => {
                self.next();
                let channel = self.template("a channel in double quotes (like \"#ops\")")?;
                let message = self.template("a message in double quotes after the channel")?;
                Ok(Action::Notify { channel, message })
            }
            "fail" => {
                self.next();
                let reason = self.template("a reason in double quotes (like fail \"amount too large\")")?;
                let report = if self.eat_kw("swallow") {
                    Report::Swallow
                } else if self.eat_kw("report") {
                    let t = self.next();
                    match &t.tok {
                        Tok::Word(w) if w.eq_ignore_ascii_case("sequence") => Report::Sequence,
                        Tok::Word(w) if w.eq_ignore_ascii_case("eventid") => Report::EventId,
                        Tok::Word(w) if w.eq_ignore_ascii_case("null") => Report::Null,
                        Tok::Str(s, _) => Report::Text(s.clone()),
                        other => {
                            return Err(self.error_at(
                                &t,
                                format!(
                                    "expected what the handler reports after `report`: sequence, eventID, null or an identifier in double quotes; found {}",
                                    other.describe()
                                ),
                            ))
                        }
                    }
                } else {
                    Report::Default
                };
                Ok(Action::Fail { reason, report })
            }
            "put" => {
                self.next();
                let table = self.table()?;
                let item = self.record("the item in braces (like { id: keys.id })")?;
                Ok(Action::Put { table, item })
            }
            "delete" => {
                self.next();
                let table = self.table()?;
                self.eat_kw("key");
                let key = self.record("the key in braces (like key { id: keys.id })")?;
                Ok(Action::Delete { table, key })
            }
            "update" => {
                self.next();
                let table = self.table()?;
                if !self.eat_kw("key") {
                    let found = self.peek().tok.describe();
                    return Err(self.error_here(format!(
                        "expected `key` and the key in braces (like key {{ pk: new.status }}), found {found}"
                    )));
                }
                let key = self.record("the key in braces (like key { pk: new.status })")?;
                let (mut add, mut set) = (Vec::new(), Vec::new());
                loop {
                    if self.eat_kw("add") {
                        loop {
                            let attr = self.attr_name("an attribute to add to (like add n 1)")?;
                            add.push((attr, self.expr(Ctx::Record)?));
                            if self.peek().tok != Tok::Comma {
                                break;
                            }
                            self.next();
                        }
                    } else if self.eat_kw("set") {
                        loop {
                            let attr = self.attr_name("an attribute to set (like set last = new.ts)")?;
                            self.expect(Tok::Eq, "`=` after the attribute to set")?;
                            set.push((attr, self.expr(Ctx::Record)?));
                            if self.peek().tok != Tok::Comma {
                                break;
                            }
                            self.next();
                        }
                    } else {
                        break;
                    }
                }
                if add.is_empty() && set.is_empty() {
                    let found = self.peek().tok.describe();
                    return Err(self.error_here(format!(
                        "expected `add` or `set` after the key (like add n 1 set last = new.ts), found {found}"
                    )));
                }
                Ok(Action::Update { table, key, add, set })
            }
            _ if is_keyword(&word) => Err(self
                .error_at(&t, format!("expected an action ({ACTIONS}), found the keyword `{}`", self.word_text(&t)))),
            _ => Err(self.error_at(&t, format!("unknown action `{}`: the actions are {ACTIONS}", self.word_text(&t)))),
        }
    }

    fn word_text(&self, t: &Token) -> String {
        match &t.tok {
            Tok::Word(w) => w.clone(),
            other => other.describe(),
        }
    }

    /// An attribute name in a record or an update: any word or a string.
    fn attr_name(&mut self, what: &str) -> Result<String, Diagnostic> {
        let t = self.peek().clone();
        match &t.tok {
            Tok::Word(w) => {
                self.next();
                Ok(w.clone())
            }
            Tok::Str(s, _) => {
                self.next();
                Ok(s.clone())
            }
            other => Err(self.error_at(&t, format!("expected {what}, found {}", other.describe()))),
        }
    }

    /// `{ name: expr, ... }`
    fn record(&mut self, what: &str) -> Result<Vec<(String, Expr)>, Diagnostic> {
        self.expect(Tok::LBrace, what)?;
        let mut fields: Vec<(String, Expr)> = Vec::new();
        while self.peek().tok != Tok::RBrace {
            let t = self.peek().clone();
            let name = self.attr_name("an attribute name or `}`")?;
            if fields.iter().any(|(n, _)| *n == name) {
                return Err(self.error_at(&t, format!("attribute `{name}` is given twice")));
            }
            self.expect(Tok::Colon, "`:` after the attribute name")?;
            fields.push((name, self.expr(Ctx::Record)?));
            if self.peek().tok == Tok::Comma {
                self.next();
            } else if self.peek().tok != Tok::RBrace {
                let found = self.peek().tok.describe();
                return Err(self.error_here(format!("expected `,` or `}}`, found {found}")));
            }
        }
        self.next();
        Ok(fields)
    }

    /// A string literal whose `{path}` placeholders are filled in at run time.
    fn template(&mut self, what: &str) -> Result<Template, Diagnostic> {
        let t = self.peek().clone();
        let Tok::Str(s, cols) = t.tok else {
            return Err(self.error_at(&t, format!("expected {what}, found {}", t.tok.describe())));
        };
        self.next();
        let chars: Vec<char> = s.chars().collect();
        let col_of = |k: usize| cols.get(k).copied().unwrap_or(t.col);
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            if c == '{' && chars.get(k + 1) == Some(&'{') {
                text.push('{');
                k += 2;
                continue;
            }
            if c == '}' && chars.get(k + 1) == Some(&'}') {
                text.push('}');
                k += 2;
                continue;
            }
            if c != '{' {
                text.push(c);
                k += 1;
                continue;
            }
            let Some(close) = chars[k + 1..].iter().position(|&c| c == '}').map(|p| p + k + 1) else {
                return Err(Diagnostic {
                    line: t.line,
                    column: col_of(k),
                    message: "this `{` is never closed: write {new.qty} to insert a value, or {{ for a brace".into(),
                });
            };
            let inner: String = chars[k + 1..close].iter().collect();
            if inner.trim().is_empty() {
                return Err(Diagnostic {
                    line: t.line,
                    column: col_of(k),
                    message: "empty `{}`: put a value inside, like {new.qty}, or write {{ for a brace".into(),
                });
            }
            let tokens = lex(&inner, t.line, col_of(k + 1))?;
            let mut sub = Parser { tokens, i: 0, depth: 0 };
            let e = sub.expr(Ctx::Record)?;
            if !sub.at_eof() {
                let found = sub.peek().tok.describe();
                return Err(sub.error_here(format!("expected `}}` to end the placeholder, found {found}")));
            }
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Expr(e, inner.trim().to_string()));
            k = close + 1;
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template { parts })
    }

    fn expr(&mut self, ctx: Ctx) -> Result<Expr, Diagnostic> {
        let first = self.and_expr(ctx)?;
        if !self.is_kw("or") {
            return Ok(first);
        }
        let mut all = vec![first];
        while self.eat_kw("or") {
            all.push(self.and_expr(ctx)?);
        }
        Ok(Expr::Or(all))
    }

    fn and_expr(&mut self, ctx: Ctx) -> Result<Expr, Diagnostic> {
        let first = self.not_expr(ctx)?;
        if !self.is_kw("and") {
            return Ok(first);
        }
        let mut all = vec![first];
        while self.eat_kw("and") {
            all.push(self.not_expr(ctx)?);
        }
        Ok(Expr::And(all))
    }

    fn enter(&mut self) -> Result<(), Diagnostic> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error_here(format!("expression nested too deeply (more than {MAX_NESTING} levels)")));
        }
        Ok(())
    }

    fn not_expr(&mut self, ctx: Ctx) -> Result<Expr, Diagnostic> {
        if self.eat_kw("not") {
            self.enter()?;
            let inner = self.not_expr(ctx)?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.comparison(ctx)
    }

    fn comparison(&mut self, ctx: Ctx) -> Result<Expr, Diagnostic> {
        let left = self.primary(ctx)?;
        let op = match self.peek().tok {
            Tok::Eq => CmpOp::Eq,
            Tok::Ne => CmpOp::Ne,
            Tok::Lt => CmpOp::Lt,
            Tok::Le => CmpOp::Le,
            Tok::Gt => CmpOp::Gt,
            Tok::Ge => CmpOp::Ge,
            _ => return Ok(left),
        };
        self.next();
        let right = self.primary(ctx)?;
        Ok(Expr::Cmp(op, Box::new(left), Box::new(right)))
    }

    fn primary(&mut self, ctx: Ctx) -> Result<Expr, Diagnostic> {
        let t = self.peek().clone();
        match &t.tok {
            Tok::Str(s, _) => {
                self.next();
                Ok(Expr::Lit(AttributeValue::S(s.clone())))
            }
            Tok::Num(n) => {
                self.next();
                match Number::parse(n) {
                    Ok(n) => Ok(Expr::Lit(AttributeValue::N(n))),
                    Err(e) => Err(self.error_at(&t, format!("{n} is not a DynamoDB number: {}", e.message))),
                }
            }
            Tok::LParen => {
                self.next();
                self.enter()?;
                let e = self.expr(ctx)?;
                self.depth -= 1;
                self.expect(Tok::RParen, "`)`")?;
                Ok(e)
            }
            Tok::Word(w) => {
                let lower = w.to_ascii_lowercase();
                match lower.as_str() {
                    "true" => {
                        self.next();
                        Ok(Expr::Lit(AttributeValue::Bool(true)))
                    }
                    "false" => {
                        self.next();
                        Ok(Expr::Lit(AttributeValue::Bool(false)))
                    }
                    "null" => {
                        self.next();
                        Ok(Expr::Lit(AttributeValue::Null))
                    }
                    "ttl" => {
                        self.next();
                        Ok(Expr::Ttl)
                    }
                    "event" => {
                        self.next();
                        Ok(Expr::Event)
                    }
                    "new" | "old" | "keys" => {
                        let root = match lower.as_str() {
                            "new" => Root::New,
                            "old" => Root::Old,
                            _ => Root::Keys,
                        };
                        if ctx == Ctx::Aggregate && root != Root::Keys {
                            let attr = match &self.peek_at(2).tok {
                                Tok::Word(a) if self.peek_at(1).tok == Tok::Dot => a.clone(),
                                _ => "choice".into(),
                            };
                            return Err(self.error_at(&t, format!(
                                "inside an aggregate write the bare attribute name (`{attr}`, not `{lower}.{attr}`): it is read from the old image to subtract and from the new image to add"
                            )));
                        }
                        self.next();
                        let pos = Pos { line: t.line, col: t.col };
                        if !matches!(self.peek().tok, Tok::Dot | Tok::LBracket) {
                            let found = self.peek().tok.describe();
                            return Err(self.error_here(format!(
                                "expected `.` and an attribute after `{lower}` (like {lower}.qty), found {found}"
                            )));
                        }
                        let segs = self.segments(Vec::new())?;
                        Ok(Expr::Path(Path { root, segs, pos }))
                    }
                    _ if self.peek_at(1).tok == Tok::LParen && !is_keyword(w) => self.call(ctx, &t, &lower),
                    _ if is_keyword(w) => {
                        Err(self.error_at(&t, format!("expected a value or a condition, found the keyword `{w}`")))
                    }
                    _ => {
                        self.next();
                        let pos = Pos { line: t.line, col: t.col };
                        let segs = self.segments(vec![Seg::Field(w.clone())])?;
                        let path = Path { root: Root::Side, segs, pos };
                        if ctx == Ctx::Record {
                            let a = path.text();
                            return Err(self.error_at(
                                &t,
                                format!(
                                    "`{a}` alone does not say which image to read: write new.{a}, old.{a} or keys.{a}"
                                ),
                            ));
                        }
                        Ok(Expr::Path(path))
                    }
                }
            }
            other => Err(self.error_at(&t, format!("expected a value or a condition, found {}", other.describe()))),
        }
    }

    /// `.name`, `[0]`, `["odd name"]` after a path's start.
    fn segments(&mut self, mut segs: Vec<Seg>) -> Result<Vec<Seg>, Diagnostic> {
        loop {
            match self.peek().tok {
                Tok::Dot => {
                    self.next();
                    let t = self.next();
                    match &t.tok {
                        Tok::Word(w) => segs.push(Seg::Field(w.clone())),
                        other => {
                            return Err(self.error_at(
                                &t,
                                format!("expected an attribute name after `.`, found {}", other.describe()),
                            ))
                        }
                    }
                }
                Tok::LBracket => {
                    self.next();
                    let t = self.next();
                    match &t.tok {
                        Tok::Str(s, _) => segs.push(Seg::Field(s.clone())),
                        Tok::Num(n) if n.chars().all(|c| c.is_ascii_digit()) && n.len() <= 9 => {
                            segs.push(Seg::Index(n.parse().unwrap_or(0)))
                        }
                        other => {
                            return Err(self.error_at(
                                &t,
                                format!(
                                    "expected a list index like [0] or a name like [\"my attr\"], found {}",
                                    other.describe()
                                ),
                            ))
                        }
                    }
                    self.expect(Tok::RBracket, "`]`")?;
                }
                _ => return Ok(segs),
            }
        }
    }

    fn call(&mut self, ctx: Ctx, t: &Token, name: &str) -> Result<Expr, Diagnostic> {
        let arity = match name {
            "begins_with" | "contains" => 2,
            "exists" | "changed" => 1,
            _ => {
                return Err(self.error_at(
                    t,
                    format!(
                        "unknown function `{}`: the functions are begins_with, contains, exists and changed",
                        self.word_text(t)
                    ),
                ))
            }
        };
        self.next(); // name
        self.next(); // (
        self.enter()?;
        if name == "changed" {
            let at = self.peek().clone();
            let path = match &at.tok {
                Tok::Word(w) if !is_keyword(w) => {
                    self.next();
                    let segs = self.segments(vec![Seg::Field(w.clone())])?;
                    Path { root: Root::Side, segs, pos: Pos { line: at.line, col: at.col } }
                }
                _ => return Err(self.error_at(
                    &at,
                    "changed takes a bare attribute name, like changed(status): it compares old.status with new.status"
                        .into(),
                )),
            };
            self.expect(Tok::RParen, "`)` after the attribute")?;
            self.depth -= 1;
            return Ok(Expr::Changed(path));
        }
        let mut args = Vec::new();
        for k in 0..arity {
            args.push(self.expr(ctx)?);
            if k + 1 < arity {
                self.expect(Tok::Comma, &format!("`,`: {name} takes {arity} arguments"))?;
            }
        }
        self.expect(Tok::RParen, &format!("`)`: {name} takes {arity} argument{}", if arity == 1 { "" } else { "s" }))?;
        self.depth -= 1;
        let mut it = args.into_iter().map(Box::new);
        let a = it.next().unwrap_or_else(|| Box::new(Expr::Lit(AttributeValue::Null)));
        Ok(match name {
            "exists" => Expr::Exists(a),
            _ => {
                let b = it.next().unwrap_or_else(|| Box::new(Expr::Lit(AttributeValue::Null)));
                if name == "contains" {
                    Expr::Contains(a, b)
                } else {
                    Expr::BeginsWith(a, b)
                }
            }
        })
    }
}
