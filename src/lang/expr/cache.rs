//! A cache of compiled expressions, so a request that repeats the expressions of an earlier
//! one (the usual case: an application sends the same UpdateExpression with new values) is
//! not parsed again.
//!
//! Placeholders are resolved while parsing, so a compiled expression holds the request's
//! values. An entry is therefore a *template*: the expressions compiled for the request that
//! filled it, each value replaced by a hole, with the placeholder that fills each hole. A
//! later request hits the entry when its expression texts and `ExpressionAttributeNames`
//! are the same and its `ExpressionAttributeValues` have the same placeholders (in the same
//! order) and types; its own values then fill the holes. The holes are found when the entry
//! is made, by equality with the request's values: an entry is only made when those are
//! pairwise different, so the match is exact.
//!
//! A hit is checked on the request's JSON as given, before the names and values are parsed
//! for compiling: it needs the same names and placeholders as a successful compile, and
//! values that parse (anything else is compiled afresh, which gives the error).
//!
//! What is cached gives the same result as compiling: only successful compiles are cached;
//! validation that depends on a value's type is the same for every hit (types are part of
//! the match); expressions whose validation looks at a value's content (`attribute_type`,
//! `BETWEEN` bounds) and key conditions are never cached.

use super::ast::{Action, Condition, Expressions, KeyOp, Operand, Sources};
use crate::model::{AttributeValue, Item};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;

/// Entries kept at most (the cache is emptied when full).
const CAPACITY: usize = 64;

struct Entry {
    texts: [Option<String>; 4],
    /// `ExpressionAttributeNames` in the order given.
    names: Option<Vec<(String, String)>>,
    /// `ExpressionAttributeValues`' placeholders and types, in the order given.
    values: Option<Vec<(String, &'static str)>>,
    /// For each hole of the template (in [`each_value`] order), the index in `values` of the
    /// value that fills it, and whether it is that value's last hole (it is moved there).
    holes: Vec<(usize, bool)>,
    /// The compiled expressions, every value a hole (`NULL`).
    template: Expressions,
}

thread_local! {
    /// (key, entry), each key once. A vector, not a hash map: scanning at most `CAPACITY`
    /// keys is as quick as hashing one, and spares the page a hash table's code.
    static CACHE: RefCell<Vec<(u64, Rc<Entry>)>> = const { RefCell::new(Vec::new()) };
}

fn texts<'a>(src: &Sources<'a>) -> [Option<&'a str>; 4] {
    [src.update, src.condition, src.filter, src.projection]
}

fn members(v: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    v.and_then(Value::as_object).into_iter().flatten()
}

/// The type member of an AttributeValue as given (its first member that is set).
fn type_tag(v: &Value) -> Option<&str> {
    v.as_object()?.iter().find(|(_, v)| !v.is_null()).map(|(k, _)| k.as_str())
}

/// The entry's key: a hash (FNV-like, eight bytes at a step: deterministic, and cheap for
/// these short strings; a collision only costs a miss, as an entry is compared in full).
fn key(src: &Sources) -> u64 {
    fn step(h: u64, word: u64) -> u64 {
        (h ^ word).wrapping_mul(0x0100_0000_01b3).rotate_left(29)
    }
    fn text(mut h: u64, s: Option<&str>) -> u64 {
        let Some(s) = s else { return step(h, u64::MAX) };
        let mut chunks = s.as_bytes().chunks_exact(8);
        for c in &mut chunks {
            h = step(h, u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let last = chunks.remainder().iter().rev().fold(0u64, |w, b| (w << 8) | u64::from(*b));
        step(h, last ^ ((s.len() as u64) << 56))
    }
    let mut h = 0xcbf2_9ce4_8422_2325;
    for t in texts(src) {
        h = text(h, t);
    }
    for (k, v) in members(src.names) {
        h = text(text(h, Some(k)), v.as_str());
    }
    for (k, v) in members(src.values) {
        h = text(text(h, Some(k)), type_tag(v));
    }
    h
}

/// Whether expressions like these may be cached at all.
fn cacheable(src: &Sources) -> bool {
    let mentions =
        |s: &str, word: &str| s.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word.as_bytes()));
    let content_checked = |s: &str| mentions(s, "attribute_type") || mentions(s, "between");
    src.key_condition.is_none() && !texts(src).into_iter().flatten().any(content_checked)
}

/// Calls `f` on every value held by the expressions, in a fixed order; stops at the first
/// `false` and returns it.
fn each_value(e: &mut Expressions, f: &mut dyn FnMut(&mut AttributeValue) -> bool) -> bool {
    fn operand(o: &mut Operand, f: &mut dyn FnMut(&mut AttributeValue) -> bool) -> bool {
        match o {
            Operand::Path(_) => true,
            Operand::Value(v) => f(v),
            Operand::Call(_, args) => args.iter_mut().all(|a| operand(a, f)),
            Operand::Arith(a, _, b) => operand(a, f) && operand(b, f),
        }
    }
    fn condition(c: &mut Condition, f: &mut dyn FnMut(&mut AttributeValue) -> bool) -> bool {
        match c {
            Condition::Cmp(_, a, b) => operand(a, f) && operand(b, f),
            Condition::Between(a, b, d) => operand(a, f) && operand(b, f) && operand(d, f),
            Condition::In(a, list) => operand(a, f) && list.iter_mut().all(|o| operand(o, f)),
            Condition::Func(_, args) => args.iter_mut().all(|o| operand(o, f)),
            Condition::And(a, b) | Condition::Or(a, b) => condition(a, f) && condition(b, f),
            Condition::Not(a) => condition(a, f),
        }
    }
    let update_ok = e.update.as_mut().is_none_or(|u| {
        u.actions.iter_mut().all(|a| match a {
            Action::Set(_, o) => operand(o, f),
            Action::Remove(_) => true,
            Action::Add(_, v) | Action::Delete(_, v) => f(v),
        })
    });
    let keys_ok = e.key_condition.as_mut().is_none_or(|k| {
        k.parts.iter_mut().all(|(_, op)| match op {
            KeyOp::Eq(v) | KeyOp::Lt(v) | KeyOp::Le(v) | KeyOp::Gt(v) | KeyOp::Ge(v) | KeyOp::BeginsWith(v) => f(v),
            KeyOp::Between(a, b) => f(a) && f(b),
        })
    });
    update_ok
        && keys_ok
        && e.condition.as_mut().is_none_or(|c| condition(c, f))
        && e.filter.as_mut().is_none_or(|c| condition(c, f))
}

/// The compiled expressions of an earlier request with the same texts, names, placeholders
/// and value types, holding this request's values.
pub(super) fn get(src: &Sources) -> Option<Expressions> {
    // Only cacheable texts are ever stored, so equal texts need no check of their own.
    if src.key_condition.is_some() {
        return None;
    }
    let k = key(src);
    let entry = CACHE.with(|c| c.borrow().iter().find(|(ck, _)| *ck == k).map(|(_, e)| e.clone()))?;
    if !entry.texts.iter().map(Option::as_deref).eq(texts(src)) {
        return None;
    }
    let same_names = match (src.names, &entry.names) {
        (None, None) => true,
        (Some(Value::Object(m)), Some(e)) => {
            m.len() == e.len() && m.iter().zip(e).all(|((k, v), (ek, ev))| k == ek && v.as_str() == Some(ev.as_str()))
        }
        _ => false,
    };
    if !same_names {
        return None;
    }
    let mut given: Vec<AttributeValue> = match (src.values, &entry.values) {
        (None, None) => Vec::new(),
        (Some(Value::Object(m)), Some(e)) if m.len() == e.len() => {
            let mut out = Vec::with_capacity(m.len());
            for ((k, v), (ek, et)) in m.iter().zip(e) {
                if k != ek {
                    return None;
                }
                let v = AttributeValue::from_json(v).ok()?;
                if v.type_name() != *et {
                    return None;
                }
                out.push(v);
            }
            out
        }
        _ => return None,
    };
    // Over the substitutions' limit: compiled afresh, which refuses it.
    let total = super::compile::substitution_bytes(
        entry.names.iter().flatten().map(|(k, v)| (k.as_str(), v.as_str())),
        src.values
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .zip(given.iter().map(AttributeValue::size_bytes)),
    );
    if total > super::compile::MAX_SUBSTITUTION_BYTES {
        return None;
    }
    let mut out = entry.template.clone();
    let mut holes = entry.holes.iter();
    let filled =
        each_value(&mut out, &mut |v| match holes.next().and_then(|&(i, last)| Some((given.get_mut(i)?, last))) {
            Some((g, last)) => {
                *v = if last { std::mem::replace(g, AttributeValue::Null) } else { g.clone() };
                true
            }
            None => false,
        });
    #[cfg(test)]
    if filled {
        HITS.with(|h| h.set(h.get() + 1));
    }
    filled.then_some(out)
}

/// Keeps a successful compile as a template, when it can serve as one. `values` are the
/// request's `ExpressionAttributeValues`, parsed.
pub(super) fn put(src: &Sources, values: Option<&Item>, compiled: &Expressions) {
    if !cacheable(src) {
        return;
    }
    let given: Vec<(&String, &AttributeValue)> =
        members(src.values).filter_map(|(k, _)| Some((k, values?.get(k)?))).collect();
    if given.len() != members(src.values).count() {
        return;
    }
    let distinct = given.iter().enumerate().all(|(i, a)| given[i + 1..].iter().all(|b| a.1 != b.1));
    let mut template = compiled.clone();
    let mut holes = Vec::new();
    let all_found = each_value(&mut template, &mut |v| match given.iter().position(|(_, g)| *g == v) {
        Some(i) => {
            holes.push(i);
            *v = AttributeValue::Null;
            true
        }
        None => false,
    });
    if !distinct || !all_found {
        return;
    }
    let holes = (0..holes.len()).map(|h| (holes[h], !holes[h + 1..].contains(&holes[h]))).collect();
    let names = src
        .names
        .map(|_| members(src.names).map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect());
    let values = src.values.map(|_| given.iter().map(|(k, v)| ((*k).clone(), v.type_name())).collect());
    let entry = Entry { texts: texts(src).map(|t| t.map(str::to_string)), names, values, holes, template };
    let k = key(src);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CAPACITY {
            c.clear();
        }
        let entry = Rc::new(entry);
        match c.iter_mut().find(|(ck, _)| *ck == k) {
            Some(slot) => slot.1 = entry,
            None => c.push((k, entry)),
        }
    });
}

#[cfg(test)]
thread_local! {
    /// Hits so far (tests check that they exercise the cache).
    pub(super) static HITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use super::super::ast::Sources;
    use super::super::compile::{compile, compile_fresh, parse_names, parse_values};
    use super::HITS;
    use crate::support::rng::Rng;
    use serde_json::{json, Value};

    fn value(r: &mut Rng, ty: &str) -> Value {
        let n = r.below(5);
        match ty {
            "S" => json!({"S": format!("s{}", r.below(4))}),
            "N" => json!({"N": format!("{}", r.below(7) as i64 - 3)}),
            "B" => {
                let b = ["AA==", "AQ==", "Ag=="][r.below(3) as usize];
                json!({ "B": b })
            }
            "BOOL" => json!({"BOOL": r.below(2) == 0}),
            "NULL" => json!({"NULL": true}),
            "L" => json!({"L": (0..n).map(|i| json!({"N": i.to_string()})).collect::<Vec<_>>()}),
            "M" => json!({"M": {"k": {"S": format!("m{n}")}}}),
            "SS" => json!({"SS": (0..=n).map(|i| format!("e{i}")).collect::<Vec<_>>()}),
            _ => json!({"NS": (0..=n).map(|i| i.to_string()).collect::<Vec<_>>()}),
        }
    }

    /// For many expression shapes and random values (the types drawn from two per placeholder,
    /// so that types repeat and the cache is hit, and some combinations are errors), compiling
    /// through the cache gives exactly what compiling afresh gives.
    #[test]
    fn a_cached_compile_is_the_compile() {
        // (update, condition, filter, projection, names, placeholders and their two types)
        type Case = (
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            Value,
            &'static [(&'static str, [&'static str; 2])],
        );
        let cases: Vec<Case> = vec![
            (
                Some("SET qty = qty + :d, #s = :s, version = :v ADD tags :t"),
                Some("attribute_exists(pk)"),
                None,
                None,
                json!({"#s": "status"}),
                &[(":d", ["N", "S"]), (":s", ["S", "N"]), (":v", ["N", "N"]), (":t", ["SS", "NS"])],
            ),
            (
                Some("SET a = if_not_exists(a, :z), l = list_append(l, :l) REMOVE r[1], q DELETE s :s"),
                Some("size(a) < :n AND NOT contains(l, :c)"),
                None,
                None,
                Value::Null,
                &[(":z", ["N", "M"]), (":l", ["L", "S"]), (":s", ["SS", "NS"]), (":n", ["N", "S"]), (":c", ["N", "S"])],
            ),
            (
                None,
                Some("#a IN (:x, :y, :z) OR begins_with(#b, :p) OR (:x = :y AND attribute_not_exists(#b))"),
                None,
                None,
                json!({"#a": "a", "#b": "b"}),
                &[(":x", ["S", "N"]), (":y", ["S", "BOOL"]), (":z", ["NULL", "B"]), (":p", ["S", "B"])],
            ),
            (
                None,
                None,
                Some("c > :c AND d <> :d"),
                Some("c, d, #e.f[2]"),
                json!({"#e": "e"}),
                &[(":c", ["N", "S"]), (":d", ["M", "L"])],
            ),
            (
                Some("SET a = :a - :b, b = :b"),
                None,
                None,
                None,
                Value::Null,
                &[(":a", ["N", "S"]), (":b", ["N", "SS"])],
            ),
            (
                Some("ADD n :n SET m.k = :m"),
                Some("m.k <> :m"),
                None,
                None,
                Value::Null,
                &[(":n", ["N", "NS"]), (":m", ["S", "M"])],
            ),
        ];
        let mut r = Rng::new(11);
        let hits_before = HITS.with(|h| h.get());
        for (update, condition, filter, projection, names, placeholders) in &cases {
            for _ in 0..60 {
                let mut values = serde_json::Map::new();
                for (p, types) in placeholders.iter() {
                    let ty = types[r.below(2) as usize];
                    values.insert(p.to_string(), value(&mut r, ty));
                }
                let values = Value::Object(values);
                let src = Sources {
                    update: *update,
                    condition: *condition,
                    key_condition: None,
                    filter: *filter,
                    projection: *projection,
                    names: Some(names).filter(|n| !n.is_null()),
                    values: Some(&values),
                };
                let cached = compile(&src);
                let fresh = match (parse_names(src.names), parse_values(src.values)) {
                    (Ok(n), Ok(v)) => compile_fresh(&src, n, v.as_ref()),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                };
                assert_eq!(format!("{cached:?}"), format!("{fresh:?}"), "{src:?}");
            }
        }
        let hits = HITS.with(|h| h.get()) - hits_before;
        assert!(hits > 100, "the cache was hit {hits} times");
    }

    /// Validation that reads a value's content (not only its type) is redone for every request.
    #[test]
    fn content_checked_expressions_are_compiled_every_time() {
        let run = |cond: &str, values: Value| {
            let src = Sources { condition: Some(cond), values: Some(&values), ..Default::default() };
            compile(&src).map(|_| ()).map_err(|e| e.message)
        };
        for _ in 0..2 {
            assert!(run("attribute_type(a, :t)", json!({":t": {"S": "N"}})).is_ok());
            let bad = run("attribute_type(a, :t)", json!({":t": {"S": "X"}}));
            assert!(bad.as_ref().is_err_and(|m| m.contains("Invalid attribute type name found; type: X")), "{bad:?}");
            assert!(run("a BETWEEN :lo AND :hi", json!({":lo": {"N": "1"}, ":hi": {"N": "2"}})).is_ok());
            let bad = run("a between :lo AND :hi", json!({":lo": {"N": "3"}, ":hi": {"N": "2"}}));
            assert!(bad.as_ref().is_err_and(|m| m.contains("requires upper bound to be greater")), "{bad:?}");
        }
    }
}
