//! Evaluation: conditions against an item, updates applied to an item, projections.

use super::ast::*;
use crate::model::{attr, attr_mut, AttributeValue, AwsError, Item, Result};
use std::borrow::Cow;
use std::cmp::Ordering;

fn missing_attribute() -> AwsError {
    AwsError::validation("The provided expression refers to an attribute that does not exist in the item")
}

fn bad_operand_type() -> AwsError {
    AwsError::validation("An operand in the update expression has an incorrect data type")
}

fn invalid_path() -> AwsError {
    AwsError::validation("The document path provided in the update expression is invalid for update")
}

/// The value at `path`, if every step exists and has the right type.
pub fn get<'a>(item: &'a Item, path: &Path) -> Option<&'a AttributeValue> {
    let mut elems = path.0.iter();
    let mut cur = match elems.next()? {
        PathElem::Attr(a) => attr(item, a)?,
        PathElem::Index(_) => return None,
    };
    for e in elems {
        cur = match (e, cur) {
            (PathElem::Attr(a), AttributeValue::M(m)) => attr(m, a)?,
            (PathElem::Index(i), AttributeValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Ordering for `<`, `<=`, `>`, `>=`, BETWEEN (see [`AttributeValue::ordering`]).
pub fn compare(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    a.ordering(b)
}

fn size(v: &AttributeValue) -> Option<usize> {
    Some(match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::B(b) => b.len(),
        AttributeValue::SS(s) => s.len(),
        AttributeValue::NS(s) => s.len(),
        AttributeValue::BS(s) => s.len(),
        AttributeValue::L(l) => l.len(),
        AttributeValue::M(m) => m.len(),
        _ => return None,
    })
}

/// An operand's value in a condition; `None` when a path is missing or `size` does not apply.
fn operand<'a>(op: &'a Operand, item: &'a Item) -> Option<Cow<'a, AttributeValue>> {
    match op {
        Operand::Path(p) => get(item, p).map(Cow::Borrowed),
        Operand::Value(v) => Some(Cow::Borrowed(v)),
        Operand::Call(name, args) => match (&**name, args.as_slice()) {
            ("size", [a]) => {
                let n = size(operand(a, item)?.as_ref())?;
                Some(Cow::Owned(AttributeValue::N(crate::model::Number::from_i64(n as i64))))
            }
            _ => None,
        },
        Operand::Arith(..) => None,
    }
}

fn contains(haystack: &AttributeValue, needle: &AttributeValue) -> bool {
    use AttributeValue as V;
    match (haystack, needle) {
        (V::S(h), V::S(n)) => h.contains(n.as_str()),
        (V::B(h), V::B(n)) => n.is_empty() || h.windows(n.len()).any(|w| w == n.as_slice()),
        (V::SS(h), V::S(n)) => h.binary_search(n).is_ok(),
        (V::NS(h), V::N(n)) => h.binary_search(n).is_ok(),
        (V::BS(h), V::B(n)) => h.binary_search(n).is_ok(),
        (V::L(h), n) => h.contains(n),
        _ => false,
    }
}

impl Condition {
    /// Evaluates against the current item (`None` = no item, like DynamoDB's empty item).
    ///
    /// A comparison with a missing operand is false, except `<>`, which is true (DynamoDB
    /// treats "absent" as "not equal"); values of different types are never ordered.
    pub fn eval(&self, item: Option<&Item>) -> Result<bool> {
        let empty = Item::new();
        Ok(self.test(item.unwrap_or(&empty)))
    }

    fn test(&self, item: &Item) -> bool {
        let val = |o| operand(o, item);
        match self {
            Condition::Cmp(op, a, b) => match (val(a), val(b)) {
                (Some(x), Some(y)) => op.holds(&x, &y),
                // An absent operand is "not equal" to anything, and not ordered.
                _ => *op == CmpOp::Ne,
            },
            Condition::Between(x, lo, hi) => match (val(x), val(lo), val(hi)) {
                (Some(x), Some(lo), Some(hi)) => {
                    matches!(compare(&x, &lo), Some(Ordering::Greater | Ordering::Equal))
                        && matches!(compare(&x, &hi), Some(Ordering::Less | Ordering::Equal))
                }
                _ => false,
            },
            Condition::In(x, list) => match val(x) {
                Some(x) => list.iter().any(|o| val(o).is_some_and(|v| v == x)),
                None => false,
            },
            Condition::Func(name, args) => match (&**name, args.as_slice()) {
                ("attribute_exists", [Operand::Path(p)]) => get(item, p).is_some(),
                ("attribute_not_exists", [Operand::Path(p)]) => get(item, p).is_none(),
                ("attribute_type", [Operand::Path(p), t]) => match (get(item, p), val(t)) {
                    (Some(v), Some(t)) => t.as_str() == Some(v.type_name()),
                    _ => false,
                },
                ("begins_with", [a, b]) => match (val(a).as_deref(), val(b).as_deref()) {
                    (Some(AttributeValue::S(a)), Some(AttributeValue::S(b))) => a.starts_with(b.as_str()),
                    (Some(AttributeValue::B(a)), Some(AttributeValue::B(b))) => a.starts_with(b),
                    _ => false,
                },
                ("contains", [a, b]) => match (val(a), val(b)) {
                    (Some(a), Some(b)) => contains(&a, &b),
                    _ => false,
                },
                _ => false,
            },
            Condition::And(..) | Condition::Or(..) => {
                // Chains are left-deep; walk the spine instead of recursing down it.
                let is_and = matches!(self, Condition::And(..));
                let mut parts = Vec::new();
                let mut cur = self;
                while let (Condition::And(a, b), true) | (Condition::Or(a, b), false) = (cur, is_and) {
                    parts.push(&**b);
                    cur = a;
                }
                parts.push(cur);
                parts.reverse();
                if is_and {
                    parts.iter().all(|c| c.test(item))
                } else {
                    parts.iter().any(|c| c.test(item))
                }
            }
            Condition::Not(a) => !a.test(item),
        }
    }
}

/// The value of a SET right-hand side, evaluated against the item before the update.
fn update_operand(op: &Operand, item: &Item) -> Result<AttributeValue> {
    match op {
        Operand::Path(p) => get(item, p).cloned().ok_or_else(missing_attribute),
        Operand::Value(v) => Ok(v.clone()),
        Operand::Call(name, args) => match (&**name, args.as_slice()) {
            ("if_not_exists", [Operand::Path(p), default]) => match get(item, p) {
                Some(v) => Ok(v.clone()),
                None => update_operand(default, item),
            },
            ("list_append", [a, b]) => match (update_operand(a, item)?, update_operand(b, item)?) {
                (AttributeValue::L(mut a), AttributeValue::L(b)) => {
                    a.extend(b);
                    Ok(AttributeValue::L(a))
                }
                _ => Err(bad_operand_type()),
            },
            _ => Err(bad_operand_type()),
        },
        Operand::Arith(a, op, b) => match (update_operand(a, item)?, update_operand(b, item)?) {
            (AttributeValue::N(x), AttributeValue::N(y)) => {
                Ok(AttributeValue::N(if *op == ArithOp::Plus { x.add(&y)? } else { x.sub(&y)? }))
            }
            _ => Err(bad_operand_type()),
        },
    }
}

/// Where the last element of a path lives: a key in a map (or the item), or a list position.
enum Slot<'a> {
    Key(&'a mut Item, &'a str),
    Idx(&'a mut Vec<AttributeValue>, usize),
}

impl Slot<'_> {
    fn get(&self) -> Option<&AttributeValue> {
        match self {
            Slot::Key(m, k) => attr(m, k),
            Slot::Idx(l, i) => l.get(*i),
        }
    }

    /// Stores a value; a list position past the end appends. Returns the value replaced.
    fn put(self, v: AttributeValue) -> Option<AttributeValue> {
        match self {
            // An attribute that is there keeps its name (no new string for it).
            Slot::Key(m, k) => match attr_mut(m, k) {
                Some(e) => Some(std::mem::replace(e, v)),
                None => {
                    m.insert(k.to_string(), v);
                    None
                }
            },
            Slot::Idx(l, i) => match l.get_mut(i) {
                Some(e) => Some(std::mem::replace(e, v)),
                None => {
                    l.push(v);
                    None
                }
            },
        }
    }

    /// Stores `f` of the value there now (found once), as `put` does.
    fn update(
        self,
        f: impl FnOnce(Option<&AttributeValue>) -> Result<AttributeValue>,
    ) -> Result<Option<AttributeValue>> {
        match self {
            Slot::Key(m, k) => match attr_mut(m, k) {
                Some(e) => {
                    let v = f(Some(e))?;
                    Ok(Some(std::mem::replace(e, v)))
                }
                None => {
                    m.insert(k.to_string(), f(None)?);
                    Ok(None)
                }
            },
            s @ Slot::Idx(..) => {
                let v = f(s.get())?;
                Ok(s.put(v))
            }
        }
    }

    fn remove(self) -> Option<AttributeValue> {
        match self {
            Slot::Key(m, k) => m.remove(k),
            Slot::Idx(l, i) => (i < l.len()).then(|| l.remove(i)),
        }
    }

    /// Takes back a `put` that added a value (rather than replacing one).
    fn unput(self) {
        match self {
            Slot::Key(m, k) => {
                m.remove(k);
            }
            Slot::Idx(l, _) => {
                l.pop();
            }
        }
    }

    /// Takes back a `remove`.
    fn unremove(self, v: AttributeValue) {
        match self {
            Slot::Key(m, k) => {
                m.insert(k.to_string(), v);
            }
            Slot::Idx(l, i) => l.insert(i.min(l.len()), v),
        }
    }
}

/// The changes an update made to an item in place ([`Update::apply_in_place`]), each with
/// what it replaced or removed, so that they can be taken back.
pub struct Undo<'a>(Vec<(&'a Path, Undone)>);

enum Undone {
    /// A value was stored: the one it replaced, if any.
    Put(Option<AttributeValue>),
    Removed(AttributeValue),
}

impl Undo<'_> {
    /// Takes back every change, the last first, leaving the item as it was before.
    pub fn undo(self, item: &mut Item) {
        for (p, change) in self.0.into_iter().rev() {
            // Each slot is found again in the state just after its change, so it exists.
            let Some(s) = slot(item, p) else { continue };
            match change {
                Undone::Put(Some(v)) => {
                    s.put(v);
                }
                Undone::Put(None) => s.unput(),
                Undone::Removed(v) => s.unremove(v),
            }
        }
    }
}

/// The slot for `path`, if its parent exists and is a map (for a name) or a list (for an index).
fn slot<'a>(item: &'a mut Item, path: &'a Path) -> Option<Slot<'a>> {
    let (last, init) = path.0.split_last()?;
    let Some((first, rest)) = init.split_first() else {
        return match last {
            PathElem::Attr(a) => Some(Slot::Key(item, a)),
            PathElem::Index(_) => None,
        };
    };
    let PathElem::Attr(first) = first else { return None };
    let mut cur = attr_mut(item, first)?;
    for e in rest {
        cur = match (e, cur) {
            (PathElem::Attr(a), AttributeValue::M(m)) => attr_mut(m, a)?,
            (PathElem::Index(i), AttributeValue::L(l)) => l.get_mut(*i)?,
            _ => return None,
        };
    }
    match (last, cur) {
        (PathElem::Attr(a), AttributeValue::M(m)) => Some(Slot::Key(m, a)),
        (PathElem::Index(i), AttributeValue::L(l)) => Some(Slot::Idx(l, *i)),
        _ => None,
    }
}

fn sorted_union<T: Ord + Clone>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out: Vec<T> = a.iter().chain(b).cloned().collect();
    crate::support::sort::sort(&mut out);
    out.dedup();
    out
}

fn minus<T: Ord + Clone>(a: &[T], b: &[T]) -> Vec<T> {
    a.iter().filter(|x| b.binary_search(x).is_err()).cloned().collect()
}

/// ADD: numbers are summed (a missing attribute counts as 0), sets are united.
fn add(current: Option<&AttributeValue>, v: &AttributeValue) -> Result<AttributeValue> {
    use AttributeValue as V;
    Ok(match (current, v) {
        (None, V::N(_) | V::SS(_) | V::NS(_) | V::BS(_)) => v.clone(),
        (Some(V::N(a)), V::N(b)) => V::N(a.add(b)?),
        (Some(V::SS(a)), V::SS(b)) => V::SS(sorted_union(a, b)),
        (Some(V::NS(a)), V::NS(b)) => V::NS(sorted_union(a, b)),
        (Some(V::BS(a)), V::BS(b)) => V::BS(sorted_union(a, b)),
        _ => return Err(bad_operand_type()),
    })
}

/// DELETE: removes members from a set; `None` when the set becomes empty.
fn delete(current: &AttributeValue, v: &AttributeValue) -> Result<Option<AttributeValue>> {
    use AttributeValue as V;
    let out = match (current, v) {
        (V::SS(a), V::SS(b)) => V::SS(minus(a, b)),
        (V::NS(a), V::NS(b)) => V::NS(minus(a, b)),
        (V::BS(a), V::BS(b)) => V::BS(minus(a, b)),
        _ => return Err(bad_operand_type()),
    };
    Ok(if size(&out) == Some(0) { None } else { Some(out) })
}

impl Update {
    /// Applies the update to `item` (the current item, or just the key attributes for a new
    /// item) and returns the new item. All SET right-hand sides are evaluated against the item
    /// before the update; REMOVEs of list elements use the original indexes.
    pub fn apply(&self, item: Item) -> Result<Item> {
        let set_values = self.set_values(&item)?;
        let mut out = item;
        self.run(set_values, &mut out, &mut Vec::new())?;
        Ok(out)
    }

    /// Applies the update to `item` where it is, as [`Update::apply`] would; on an error the
    /// item is left as it was. The returned [`Undo`] takes the update back.
    pub fn apply_in_place(&self, item: &mut Item) -> Result<Undo<'_>> {
        let set_values = self.set_values(item)?;
        let mut undo = Undo(Vec::with_capacity(self.actions.len()));
        match self.run(set_values, item, &mut undo.0) {
            Ok(()) => Ok(undo),
            Err(e) => {
                undo.undo(item);
                Err(e)
            }
        }
    }

    /// Every SET value, computed from the item as it is before any action changes it.
    fn set_values(&self, item: &Item) -> Result<Vec<AttributeValue>> {
        let mut set_values = Vec::with_capacity(self.actions.len());
        for a in &self.actions {
            if let Action::Set(_, op) = a {
                set_values.push(update_operand(op, item)?);
            }
        }
        Ok(set_values)
    }

    /// Runs the actions on `out` with the SET values computed beforehand, noting each change.
    fn run<'a>(
        &'a self,
        set_values: Vec<AttributeValue>,
        out: &mut Item,
        done: &mut Vec<(&'a Path, Undone)>,
    ) -> Result<()> {
        let mut set_values = set_values.into_iter();
        let mut removes: Vec<&Path> = Vec::new();
        for a in &self.actions {
            match a {
                Action::Set(p, _) => {
                    let v = set_values.next().ok_or_else(bad_operand_type)?;
                    let old = slot(out, p).ok_or_else(invalid_path)?.put(v);
                    done.push((p, Undone::Put(old)));
                }
                Action::Remove(p) => removes.push(p),
                Action::Add(p, v) => {
                    let s = slot(out, p).ok_or_else(invalid_path)?;
                    done.push((p, Undone::Put(s.update(|current| add(current, v))?)));
                }
                Action::Delete(p, v) => {
                    let s = slot(out, p).ok_or_else(invalid_path)?;
                    let Some(current) = s.get() else { continue };
                    match delete(current, v)? {
                        Some(new) => done.push((p, Undone::Put(s.put(new)))),
                        None => done.extend(s.remove().map(|old| (p, Undone::Removed(old)))),
                    }
                }
            }
        }
        // Highest list indexes first, so removing one element does not shift the others.
        // (Equal paths are equal values: an unstable sort gives the same order.)
        crate::support::sort::heapsort_by(&mut removes, |a, b| a > b);
        for p in removes {
            match slot(out, p) {
                Some(s) => done.extend(s.remove().map(|old| (p, Undone::Removed(old)))),
                None if p.0.len() == 1 => {}
                None => return Err(invalid_path()),
            }
        }
        Ok(())
    }
}

/// Projects an item onto paths (ProjectionExpression, UPDATED_* return values). Nested paths
/// keep the structure: `a.b` gives `{a: {M: {b: ..}}}`, `l[1]` gives `{l: {L: [element 1]}}`
/// (several indexes of one list keep their order). Paths that do not resolve are left out.
pub fn project(item: &Item, paths: &[Path]) -> Item {
    let mut out = Item::new();
    for (first, rests) in group(paths.iter().map(|p| &*p.0), true) {
        if let PathElem::Attr(name) = first {
            if let Some(v) = item.get(name).and_then(|v| project_value(v, &rests)) {
                out.insert(name.clone(), v);
            }
        }
    }
    out
}

/// The paths whose first step is an attribute name (`names`) or else a list index, grouped by
/// that step in its order, each with the rest of its steps. One type serves names and indexes
/// (the order of `PathElem` is the order of the names, or of the indexes), for the size of the
/// wasm; a vector kept sorted, as the paths are few (`MAX_EXPRESSION_SIZE`).
fn group<'a>(paths: impl Iterator<Item = &'a [PathElem]>, names: bool) -> Vec<(&'a PathElem, Vec<&'a [PathElem]>)> {
    let mut groups: Vec<(&PathElem, Vec<&[PathElem]>)> = Vec::new();
    for p in paths {
        if let Some((first, rest)) = p.split_first() {
            if matches!(first, PathElem::Attr(_)) == names {
                match groups.binary_search_by(|(k, _)| (*k).cmp(first)) {
                    Ok(i) => {
                        if let Some((_, rests)) = groups.get_mut(i) {
                            rests.push(rest);
                        }
                    }
                    // `i` is in 0..=len: the insert cannot fail.
                    Err(i) => groups.insert(i, (first, vec![rest])),
                }
            }
        }
    }
    groups
}

fn project_value(v: &AttributeValue, rests: &[&[PathElem]]) -> Option<AttributeValue> {
    if rests.iter().any(|r| r.is_empty()) {
        return Some(v.clone());
    }
    match v {
        AttributeValue::M(m) => {
            // Inserted one by one (the keys come sorted and unique): `collect` into a map
            // would instantiate core's stable sort for it.
            let mut out = Item::new();
            out.extend(group(rests.iter().copied(), true).into_iter().filter_map(|(first, rs)| match first {
                PathElem::Attr(k) => Some((k.clone(), project_value(m.get(k)?, &rs)?)),
                PathElem::Index(_) => None,
            }));
            (!out.is_empty()).then_some(AttributeValue::M(out))
        }
        AttributeValue::L(l) => {
            let out: Vec<AttributeValue> = group(rests.iter().copied(), false)
                .into_iter()
                .filter_map(|(first, rs)| match first {
                    PathElem::Index(i) => project_value(l.get(*i)?, &rs),
                    PathElem::Attr(_) => None,
                })
                .collect();
            (!out.is_empty()).then_some(AttributeValue::L(out))
        }
        _ => None,
    }
}
