//! Running a program on one stream record: conditions, templates, table writes and the
//! incremental aggregates.

use super::ast::*;
use super::{Aggregates, Effect, Program, RecordView};
use crate::model::Number;
use crate::model::{AttributeValue, Item};
use std::collections::BTreeMap;

/// What an expression can see. `side` is the image a bare name reads inside an aggregate.
struct Scope<'r, 'a> {
    rec: &'r RecordView<'a>,
    side: Option<&'a Item>,
}

fn resolve<'i>(item: Option<&'i Item>, segs: &[Seg]) -> Option<&'i AttributeValue> {
    let item = item?;
    let (first, rest) = segs.split_first()?;
    let Seg::Field(name) = first else { return None };
    let mut v = item.get(name)?;
    for seg in rest {
        v = match (seg, v) {
            (Seg::Field(f), AttributeValue::M(m)) => m.get(f)?,
            (Seg::Index(i), AttributeValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

fn read<'a>(path: &Path, s: &Scope<'_, 'a>) -> Option<&'a AttributeValue> {
    let item = match path.root {
        Root::New => s.rec.new_image,
        Root::Old => s.rec.old_image,
        Root::Keys => Some(s.rec.keys),
        Root::Side => s.side,
    };
    resolve(item, &path.segs)
}

fn truthy(v: &Option<AttributeValue>) -> bool {
    matches!(v, Some(AttributeValue::Bool(true)))
}

fn boolean(b: bool) -> Option<AttributeValue> {
    Some(AttributeValue::Bool(b))
}

/// Evaluates an expression; `None` is an absent value (a missing attribute or image).
fn eval(e: &Expr, s: &Scope) -> Option<AttributeValue> {
    match e {
        Expr::Lit(v) => Some(v.clone()),
        Expr::Path(p) => read(p, s).cloned(),
        Expr::Ttl => boolean(s.rec.ttl),
        Expr::Event => Some(AttributeValue::S(s.rec.event_name.to_string())),
        Expr::Not(a) => boolean(!truthy(&eval(a, s))),
        Expr::And(all) => boolean(all.iter().all(|a| truthy(&eval(a, s)))),
        Expr::Or(all) => boolean(all.iter().any(|a| truthy(&eval(a, s)))),
        Expr::Cmp(op, a, b) => {
            // Every comparison with an absent value is false, `!=` included.
            let (Some(a), Some(b)) = (eval(a, s), eval(b, s)) else { return boolean(false) };
            boolean(op.holds(&a, &b))
        }
        Expr::BeginsWith(a, b) => boolean(match (eval(a, s), eval(b, s)) {
            (Some(AttributeValue::S(x)), Some(AttributeValue::S(y))) => x.starts_with(&y),
            (Some(AttributeValue::B(x)), Some(AttributeValue::B(y))) => x.starts_with(&y),
            _ => false,
        }),
        Expr::Contains(a, b) => boolean(match (eval(a, s), eval(b, s)) {
            (Some(AttributeValue::S(x)), Some(AttributeValue::S(y))) => x.contains(&y),
            (Some(AttributeValue::SS(x)), Some(AttributeValue::S(y))) => x.contains(&y),
            (Some(AttributeValue::NS(x)), Some(AttributeValue::N(y))) => x.contains(&y),
            (Some(AttributeValue::BS(x)), Some(AttributeValue::B(y))) => x.contains(&y),
            (Some(AttributeValue::L(x)), Some(y)) => x.contains(&y),
            _ => false,
        }),
        Expr::Exists(a) => boolean(eval(a, s).is_some()),
        Expr::Changed(p) => {
            let (Some(old), Some(new)) = (s.rec.old_image, s.rec.new_image) else { return boolean(false) };
            boolean(resolve(Some(old), &p.segs) != resolve(Some(new), &p.segs))
        }
    }
}

/// How a value reads inside a message or a group name.
pub(crate) fn render(v: &AttributeValue) -> String {
    match v {
        AttributeValue::S(s) => s.clone(),
        AttributeValue::N(n) => n.to_string(),
        AttributeValue::Bool(b) => b.to_string(),
        AttributeValue::Null => "null".into(),
        other => other.to_json().to_string(),
    }
}

fn fill(t: &Template, s: &Scope) -> String {
    let mut out = String::new();
    for part in &t.parts {
        match part {
            Part::Text(x) => out.push_str(x),
            Part::Expr(e, src) => match eval(e, s) {
                Some(v) => out.push_str(&render(&v)),
                None => {
                    out.push_str("<missing ");
                    out.push_str(src);
                    out.push('>');
                }
            },
        }
    }
    out
}

/// Attributes whose value is absent are left out, never invented.
/// (`extend` inserts one by one, as `collect` would have built it: a repeated name keeps its
/// last value; it saves core's stable sort, which `collect` into a map instantiates.)
fn build(fields: &[(String, Expr)], s: &Scope) -> Item {
    let mut item = Item::new();
    item.extend(fields.iter().filter_map(|(k, e)| eval(e, s).map(|v| (k.clone(), v))));
    item
}

fn pairs(fields: &[(String, Expr)], s: &Scope) -> Vec<(String, AttributeValue)> {
    fields.iter().filter_map(|(k, e)| eval(e, s).map(|v| (k.clone(), v))).collect()
}

/// One group's running state.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Acc {
    /// Contributions in minus contributions out.
    pub count: i64,
    pub sum: Option<Number>,
    /// Value -> multiplicity, for min and max (so a removal can uncover the next one).
    pub values: BTreeMap<Number, i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AggState {
    pub name: String,
    pub kind: AggKind,
    pub groups: BTreeMap<String, Acc>,
}

impl crate::support::named::Named for AggState {
    fn name(&self) -> &str {
        &self.name
    }
}

/// One side's contribution to one aggregate group.
struct Delta {
    agg: String,
    kind: AggKind,
    group: String,
    sign: i64,
    value: Option<Number>,
}

pub(crate) fn run(
    p: &Program,
    rec: &RecordView,
    aggs: &mut Aggregates,
    fired: &mut Vec<u64>,
) -> Result<Vec<Effect>, Failure> {
    fired.resize(p.rules.len(), 0);
    for (name, kind) in &p.aggregates {
        match aggs.map.get(name) {
            Some(st) if st.kind == *kind => {}
            _ => aggs.map.insert(AggState { name: name.clone(), kind: *kind, groups: BTreeMap::new() }),
        }
    }
    let scope = Scope { rec, side: None };
    let mut effects = Vec::new();
    let mut deltas = Vec::new();
    for (i, rule) in p.rules.iter().enumerate() {
        if !rule.events.matches(rec.event_name, rec.ttl) {
            continue;
        }
        if let Some(w) = &rule.when {
            if !truthy(&eval(w, &scope)) {
                continue;
            }
        }
        fired[i] += 1;
        for action in &rule.actions {
            match action {
                Action::Aggregate { name, kind, value, group, filter, .. } => {
                    let mut sides = Vec::new();
                    if matches!(rec.event_name, "MODIFY" | "REMOVE") {
                        sides.push((-1, rec.old_image));
                    }
                    if matches!(rec.event_name, "INSERT" | "MODIFY") {
                        sides.push((1, rec.new_image));
                    }
                    for (sign, image) in sides {
                        let side = Scope { rec, side: image };
                        if let Some(f) = filter {
                            if !truthy(&eval(f, &side)) {
                                continue;
                            }
                        }
                        let group = match group {
                            None => "*".to_string(),
                            Some(g) => match eval(g, &side) {
                                Some(v) => render(&v),
                                None => continue,
                            },
                        };
                        let value = match value {
                            None => None,
                            Some(v) => match eval(v, &side) {
                                Some(AttributeValue::N(n)) => Some(n),
                                _ => continue,
                            },
                        };
                        deltas.push(Delta { agg: name.clone(), kind: *kind, group, sign, value });
                    }
                }
                Action::Notify { channel, message } => {
                    effects.push(Effect::Notify { channel: fill(channel, &scope), message: fill(message, &scope) })
                }
                Action::Put { table, item } => {
                    effects.push(Effect::Put { table: table.clone(), item: build(item, &scope) })
                }
                Action::Update { table, key, add, set } => effects.push(Effect::Update {
                    table: table.clone(),
                    key: build(key, &scope),
                    add: pairs(add, &scope),
                    set: pairs(set, &scope),
                }),
                Action::Delete { table, key } => {
                    effects.push(Effect::Delete { table: table.clone(), key: build(key, &scope) })
                }
                Action::Fail { reason, report } => {
                    return Err(Failure { reason: fill(reason, &scope), report: report.clone() })
                }
            }
        }
    }
    apply(aggs, deltas).map_err(|reason| Failure { reason, report: Report::Default })?;
    Ok(effects)
}

/// Applies every delta of one record, or none of them if a sum overflows.
fn apply(aggs: &mut Aggregates, deltas: Vec<Delta>) -> Result<(), String> {
    // (aggregate, group, accumulator), sorted by aggregate and group, found by bisection.
    let mut staged: Vec<(String, String, Acc)> = Vec::new();
    for d in deltas {
        let i = match staged.binary_search_by(|(a, g, _)| (a.as_str(), g.as_str()).cmp(&(&d.agg, &d.group))) {
            Ok(i) => i,
            Err(i) => {
                let acc = aggs.map.get(&d.agg).and_then(|st| st.groups.get(&d.group)).cloned().unwrap_or_default();
                // `i` is in 0..=len: the insert cannot fail.
                staged.insert(i, (d.agg.clone(), d.group.clone(), acc));
                i
            }
        };
        let Some((_, _, acc)) = staged.get_mut(i) else { continue };
        acc.count = acc.count.saturating_add(d.sign);
        let Some(v) = d.value else { continue };
        match d.kind {
            AggKind::Count => {}
            AggKind::Sum | AggKind::Avg => {
                let cur = acc.sum.take().unwrap_or_else(Number::zero);
                let next = if d.sign > 0 { cur.add(&v) } else { cur.sub(&v) };
                match next {
                    Ok(n) => acc.sum = Some(n),
                    Err(e) => return Err(format!("{} {}: {}", d.kind.as_str(), d.agg, e.message)),
                }
            }
            AggKind::Min | AggKind::Max => {
                let m = acc.values.entry(v.clone()).or_insert(0);
                *m = m.saturating_add(d.sign);
                if *m == 0 {
                    acc.values.remove(&v);
                }
            }
        }
    }
    for (agg, group, acc) in staged {
        let Some(st) = aggs.map.get_mut(&agg) else { continue };
        if acc.count == 0 {
            st.groups.remove(&group);
        } else {
            st.groups.insert(group, acc);
        }
    }
    Ok(())
}

fn number_json(n: &Number) -> serde_json::Value {
    if let Some(i) = n.to_i64() {
        return serde_json::Value::from(i);
    }
    serde_json::Number::from_f64(n.to_f64()).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

pub(crate) fn acc_json(kind: AggKind, acc: &Acc) -> serde_json::Value {
    use serde_json::Value;
    match kind {
        AggKind::Count => Value::from(acc.count),
        AggKind::Sum => number_json(&acc.sum.clone().unwrap_or_else(Number::zero)),
        AggKind::Avg => {
            let sum = acc.sum.clone().unwrap_or_else(Number::zero);
            let avg = sum.to_f64() / acc.count as f64;
            // Rounded to 15 significant digits, so 10/3 shows as 3.33333333333333.
            Number::from_f64(avg).map_or(Value::Null, |n| number_json(&n))
        }
        // Only values with a positive multiplicity are really present.
        AggKind::Min => acc.values.iter().find(|(_, m)| **m > 0).map_or(Value::Null, |(v, _)| number_json(v)),
        AggKind::Max => acc.values.iter().rev().find(|(_, m)| **m > 0).map_or(Value::Null, |(v, _)| number_json(v)),
    }
}
