//! Translating rule programs into handler code: the expressions, templates and actions of a
//! program as calls to the small runtime each handler carries (`python.rs`, `node.rs`).
//!
//! Both languages share the same shape: every value is kept in DynamoDB's JSON encoding
//! (`{"N": "5"}`), exactly as the stream record carries it, so numbers stay exact and the
//! absent value (`None` / `null`) is never confused with a stored NULL.

use crate::lang::rules::ast::{Action, Events, Expr, Part, Path, Report, Root, Rule, Seg, Template};
use crate::lang::rules::Program;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    Python,
    Node,
}

/// A JSON value as a literal of the language.
pub(crate) fn literal(v: &Value, lang: Lang) -> String {
    match v {
        Value::Null => if lang == Lang::Python { "None" } else { "null" }.into(),
        Value::Bool(b) => match (lang, b) {
            (Lang::Python, true) => "True".into(),
            (Lang::Python, false) => "False".into(),
            (Lang::Node, b) => b.to_string(),
        },
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(a) => format!("[{}]", a.iter().map(|x| literal(x, lang)).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter().map(|(k, x)| format!("{}: {}", string(k), literal(x, lang))).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// A string literal: JSON's escapes are valid in both Python and JavaScript. U+2028 and U+2029
/// are escaped too (JavaScript before ES2019 refused them raw; escaping is harmless).
pub(crate) fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default().replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}

/// A path's segments as a list literal: `"a", 0, "b"` (the same in both languages).
fn segs_code(p: &Path) -> String {
    let segs: Vec<String> = p
        .segs
        .iter()
        .map(|s| match s {
            Seg::Field(f) => string(f),
            Seg::Index(i) => i.to_string(),
        })
        .collect();
    segs.join(", ")
}

fn path_code(p: &Path) -> String {
    let item = match p.root {
        Root::New => "r.new",
        Root::Old => "r.old",
        Root::Keys => "r.keys",
        Root::Side => "side",
    };
    format!("get({item}, [{}])", segs_code(p))
}

/// The language's operator for an `and` (`e` is `Expr::And`) or an `or`.
fn logic_op(e: &Expr, py: bool) -> &'static str {
    match (matches!(e, Expr::And(_)), py) {
        (true, true) => " and ",
        (true, false) => " && ",
        (false, true) => " or ",
        (false, false) => " || ",
    }
}

/// An expression: its value in DynamoDB JSON, or the absent value.
pub(crate) fn expr(e: &Expr, lang: Lang) -> String {
    let py = lang == Lang::Python;
    match e {
        Expr::Lit(v) => literal(&v.to_json(), lang),
        Expr::Path(p) => path_code(p),
        Expr::Ttl => "boolean(r.ttl)".into(),
        Expr::Event => "{\"S\": r.event_name}".into(),
        Expr::Not(a) => format!("boolean({}truthy({}))", if py { "not " } else { "!" }, expr(a, lang)),
        Expr::And(all) | Expr::Or(all) => {
            let op = logic_op(e, py);
            let parts: Vec<String> = all.iter().map(|a| format!("truthy({})", expr(a, lang))).collect();
            format!("boolean({})", parts.join(op))
        }
        Expr::Cmp(op, a, b) => format!("compare({}, {}, {})", string(op.symbol()), expr(a, lang), expr(b, lang)),
        Expr::BeginsWith(a, b) => format!("begins_with({}, {})", expr(a, lang), expr(b, lang)),
        Expr::Contains(a, b) => format!("contains({}, {})", expr(a, lang), expr(b, lang)),
        Expr::Exists(a) => format!("boolean({} {})", expr(a, lang), if py { "is not None" } else { "!== null" }),
        Expr::Changed(p) => format!("changed(r, [{}])", segs_code(p)),
    }
}

/// A condition, as a boolean of the language: `and`, `or` and `not` as the language's own, the
/// rest through `truthy` (true only for a true boolean; an absent value is not true).
pub(crate) fn condition(e: &Expr, lang: Lang) -> String {
    let py = lang == Lang::Python;
    match e {
        Expr::And(all) | Expr::Or(all) => {
            let op = logic_op(e, py);
            let parts: Vec<String> = all.iter().map(|a| condition(a, lang)).collect();
            format!("({})", parts.join(op))
        }
        Expr::Not(a) if py => format!("(not {})", condition(a, lang)),
        Expr::Not(a) => format!("!{}", condition(a, lang)),
        Expr::Exists(a) if py => format!("({} is not None)", expr(a, lang)),
        Expr::Exists(a) => format!("({} !== null)", expr(a, lang)),
        Expr::Ttl => "r.ttl".into(),
        other => format!("truthy({})", expr(other, lang)),
    }
}

/// A message template: a list of text pieces and `[value, "source"]` pairs for `fill`; a
/// template without placeholders is its text.
pub(crate) fn template(t: &Template, lang: Lang) -> String {
    if let Some(text) = constant(t) {
        return string(&text);
    }
    let parts: Vec<String> = t
        .parts
        .iter()
        .map(|p| match p {
            Part::Text(s) => string(s),
            Part::Expr(e, src) => format!("[{}, {}]", expr(e, lang), string(src)),
        })
        .collect();
    format!("fill([{}])", parts.join(", "))
}

/// A template without placeholders: its text.
pub(crate) fn constant(t: &Template) -> Option<String> {
    let mut out = String::new();
    for p in &t.parts {
        match p {
            Part::Text(s) => out.push_str(s),
            Part::Expr(..) => return None,
        }
    }
    Some(out)
}

fn fields(list: &[(String, Expr)], lang: Lang) -> String {
    let parts: Vec<String> = list.iter().map(|(k, e)| format!("[{}, {}]", string(k), expr(e, lang))).collect();
    format!("[{}]", parts.join(", "))
}

fn events_code(ev: &Events, lang: Lang) -> String {
    let b = |x: bool| literal(&Value::Bool(x), lang);
    format!("r.handled_by({}, {}, {}, {})", b(ev.insert), b(ev.modify), b(ev.remove), b(ev.ttl))
}

fn report_code(r: &Report, lang: Lang) -> String {
    match r {
        Report::Default => string("default"),
        Report::Sequence => string("sequence"),
        Report::EventId => string("eventID"),
        Report::Null => string("null"),
        Report::Swallow => string("swallow"),
        Report::Text(t) => literal(&serde_json::json!({ "text": t }), lang),
    }
}

/// The source text of each rule, when the program's `on` lines can be matched one to one with
/// its rules (they always can for programs the lab accepted; otherwise comments are left out).
pub(crate) fn rule_sources(src: &str, rule_count: usize) -> Option<Vec<Vec<String>>> {
    let mut chunks: Vec<Vec<String>> = Vec::new();
    for line in src.lines() {
        let t = line.trim_start();
        let first = t.split(|c: char| c.is_whitespace()).next().unwrap_or("");
        if first.eq_ignore_ascii_case("on") {
            chunks.push(vec![line.trim_end().to_string()]);
        } else if let Some(last) = chunks.last_mut() {
            if !t.is_empty() && !t.starts_with("--") && !t.starts_with("//") {
                last.push(line.trim_end().to_string());
            }
        }
    }
    (chunks.len() == rule_count).then_some(chunks)
}

/// The body of `run_rules`: one block per rule, each under a comment quoting the rule.
/// `indent` is the indentation of the block's statements.
pub(crate) fn rules_body(p: &Program, src: &str, lang: Lang, indent: &str) -> String {
    let py = lang == Lang::Python;
    let sources = rule_sources(src, p.rule_count());
    let comment = if py { "#" } else { "//" };
    let mut out = String::new();
    for (i, rule) in p.rules().iter().enumerate() {
        let Rule { events, when, actions } = rule;
        if let Some(lines) = sources.as_ref().and_then(|s| s.get(i)) {
            out.push_str(&format!("{indent}{comment} Rule {}:\n", i + 1));
            for l in lines {
                out.push_str(&format!("{indent}{comment}   {l}\n"));
            }
        } else {
            out.push_str(&format!("{indent}{comment} Rule {}\n", i + 1));
        }
        let mut cond = events_code(events, lang);
        if let Some(w) = when {
            cond.push_str(if py { " and " } else { " && " });
            cond.push_str(&condition(w, lang));
        }
        let inner = format!("{indent}{}", if py { "    " } else { "  " });
        if py {
            out.push_str(&format!("{indent}if {cond}:\n"));
        } else {
            out.push_str(&format!("{indent}if ({cond}) {{\n"));
        }
        for a in actions {
            out.push_str(&action(a, lang, &inner));
        }
        if !py {
            out.push_str(&format!("{indent}}}\n"));
        }
    }
    out
}

fn action(a: &Action, lang: Lang, indent: &str) -> String {
    let py = lang == Lang::Python;
    let end = if py { "" } else { ";" };
    let side_fn = |e: &Option<Expr>| match e {
        None => literal(&Value::Null, lang),
        Some(e) if py => format!("lambda side: {}", expr(e, lang)),
        Some(e) => format!("(side) => {}", expr(e, lang)),
    };
    match a {
        Action::Aggregate { name, kind, value, group, filter, .. } => format!(
            "{indent}plan.aggregate(r, {}, {}, {}, {}, {}){end}\n",
            string(name),
            string(kind.as_str()),
            side_fn(value),
            side_fn(group),
            side_fn(filter)
        ),
        Action::Notify { channel, message } => {
            format!("{indent}plan.notify({}, {}){end}\n", template(channel, lang), template(message, lang))
        }
        Action::Put { table, item } => format!("{indent}plan.put({}, {}){end}\n", string(table), fields(item, lang)),
        Action::Update { table, key, add, set } => format!(
            "{indent}plan.update({}, {}, {}, {}){end}\n",
            string(table),
            fields(key, lang),
            fields(add, lang),
            fields(set, lang)
        ),
        Action::Delete { table, key } => {
            format!("{indent}plan.delete({}, {}){end}\n", string(table), fields(key, lang))
        }
        Action::Fail { reason, report } => {
            let raise = if py { "raise" } else { "throw new" };
            format!("{indent}{raise} RuleFailed({}, {}){end}\n", template(reason, lang), report_code(report, lang))
        }
    }
}

/// Every constant notification channel the program uses, and whether some channel is computed
/// from the record (a placeholder in the channel).
pub(crate) fn channels(p: &Program) -> (Vec<String>, bool) {
    let mut names = Vec::new();
    let mut dynamic = false;
    for r in p.rules() {
        for a in &r.actions {
            if let Action::Notify { channel, .. } = a {
                match constant(channel) {
                    Some(c) if !names.contains(&c) => names.push(c),
                    Some(_) => {}
                    None => dynamic = true,
                }
            }
        }
    }
    (names, dynamic)
}

/// The tables the program writes, by action: (table, put, update, delete).
pub(crate) fn written_tables(p: &Program) -> Vec<(String, bool, bool, bool)> {
    let mut out: Vec<(String, bool, bool, bool)> = Vec::new();
    for r in p.rules() {
        for a in &r.actions {
            let (t, which) = match a {
                Action::Put { table, .. } => (table, 0),
                Action::Update { table, .. } => (table, 1),
                Action::Delete { table, .. } => (table, 2),
                _ => continue,
            };
            let i = match out.iter().position(|(n, ..)| n == t) {
                Some(i) => i,
                None => {
                    out.push((t.clone(), false, false, false));
                    out.len() - 1
                }
            };
            match which {
                0 => out[i].1 = true,
                1 => out[i].2 = true,
                _ => out[i].3 = true,
            }
        }
    }
    out
}
