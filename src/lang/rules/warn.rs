//! Warnings for image reads a stream's view type (or a rule's own events) can never satisfy.

use super::ast::*;
use super::{Diagnostic, Program};
use crate::model::ViewType;

/// Every path and `changed` an expression reads.
fn walk<'e>(e: &'e Expr, paths: &mut Vec<&'e Path>, changed: &mut Vec<&'e Path>) {
    match e {
        Expr::Lit(_) | Expr::Ttl | Expr::Event => {}
        Expr::Path(p) => paths.push(p),
        Expr::Changed(p) => changed.push(p),
        Expr::Not(a) | Expr::Exists(a) => walk(a, paths, changed),
        Expr::And(all) | Expr::Or(all) => all.iter().for_each(|a| walk(a, paths, changed)),
        Expr::Cmp(_, a, b) | Expr::BeginsWith(a, b) | Expr::Contains(a, b) => {
            walk(a, paths, changed);
            walk(b, paths, changed);
        }
    }
}

fn walk_template<'e>(t: &'e Template, paths: &mut Vec<&'e Path>, changed: &mut Vec<&'e Path>) {
    for part in &t.parts {
        if let Part::Expr(e, _) = part {
            walk(e, paths, changed);
        }
    }
}

fn a_view(view: ViewType) -> String {
    let name = view.as_str();
    let article = if name.starts_with('O') { "an" } else { "a" };
    format!("{article} {name} stream")
}

fn noun(kind: AggKind) -> &'static str {
    match kind {
        AggKind::Count => "tally",
        AggKind::Sum => "total",
        AggKind::Min => "minimum",
        AggKind::Max => "maximum",
        AggKind::Avg => "average",
    }
}

fn join(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn at(pos: Pos, message: String) -> Diagnostic {
    Diagnostic { line: pos.line, column: pos.col, message }
}

pub(crate) fn warnings(p: &Program, view: ViewType) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in &p.rules {
        let ev = rule.events;
        let mut paths = Vec::new();
        let mut changed = Vec::new();
        if let Some(w) = &rule.when {
            walk(w, &mut paths, &mut changed);
        }
        for action in &rule.actions {
            match action {
                Action::Aggregate { name, kind, value, group, filter, .. } => {
                    let mut side = Vec::new();
                    for e in [value, group, filter].into_iter().flatten() {
                        let mut all = Vec::new();
                        walk(e, &mut all, &mut changed);
                        for path in all {
                            if path.root == Root::Side {
                                side.push(path);
                            } else {
                                paths.push(path);
                            }
                        }
                    }
                    aggregate_warning(&mut out, view, ev, name, *kind, side);
                }
                Action::Notify { channel, message } => {
                    walk_template(channel, &mut paths, &mut changed);
                    walk_template(message, &mut paths, &mut changed);
                }
                Action::Fail { reason, .. } => walk_template(reason, &mut paths, &mut changed),
                Action::Put { item, .. } => item.iter().for_each(|(_, e)| walk(e, &mut paths, &mut changed)),
                Action::Delete { key, .. } => key.iter().for_each(|(_, e)| walk(e, &mut paths, &mut changed)),
                Action::Update { key, add, set, .. } => {
                    for (_, e) in key.iter().chain(add).chain(set) {
                        walk(e, &mut paths, &mut changed);
                    }
                }
            }
        }
        for path in paths {
            let text = path.text();
            let message = match path.root {
                Root::New if !ev.sees_new() => Some(format!(
                    "reads {text}, but this rule handles only {}, which never carries a new image: {text} is always absent here",
                    ev.names()
                )),
                Root::Old if !ev.sees_old() => Some(format!(
                    "reads {text}, but this rule handles only {}, which never carries an old image: {text} is always absent here",
                    ev.names()
                )),
                Root::New | Root::Old if view == ViewType::KeysOnly => Some(format!(
                    "reads {text}, but a KEYS_ONLY stream carries no images at all (only keys.*): {text} is always absent"
                )),
                Root::New if !view.has_new() => {
                    Some(format!("reads {text}, but {} carries no new image: {text} is always absent", a_view(view)))
                }
                Root::Old if !view.has_old() => {
                    Some(format!("reads {text}, but {} carries no old image: {text} is always absent", a_view(view)))
                }
                _ => None,
            };
            if let Some(m) = message {
                out.push(at(path.pos, m));
            }
        }
        for path in changed {
            let text = format!("changed({})", path.attr_text());
            let message = if !ev.modify {
                Some(format!(
                    "{text} can only be true on MODIFY, but this rule handles only {}: it is always false here",
                    ev.names()
                ))
            } else if view == ViewType::KeysOnly {
                Some(format!("{text} compares the old and new images, but a KEYS_ONLY stream carries no images at all: it is always false"))
            } else if !view.has_old() {
                Some(format!(
                    "{text} compares the old and new images, but {} carries no old image: it is always false",
                    a_view(view)
                ))
            } else if !view.has_new() {
                Some(format!(
                    "{text} compares the old and new images, but {} carries no new image: it is always false",
                    a_view(view)
                ))
            } else {
                None
            };
            if let Some(m) = message {
                out.push(at(path.pos, m));
            }
        }
    }
    crate::support::sort::stable_sort_by_key(&mut out, |d| (d.line, d.column));
    out.dedup();
    out
}

fn aggregate_warning(
    out: &mut Vec<Diagnostic>,
    view: ViewType,
    ev: Events,
    name: &str,
    kind: AggKind,
    mut side: Vec<&Path>,
) {
    if side.is_empty() {
        // A plain `count n` needs only the event name: it is right under every view type.
        return;
    }
    crate::support::sort::stable_sort_by_key(&mut side, |p| (p.pos.line, p.pos.col));
    let pos = side[0].pos;
    let mut attrs: Vec<String> = Vec::new();
    for p in &side {
        let t = p.attr_text();
        if !attrs.contains(&t) {
            attrs.push(t);
        }
    }
    let with = |prefix: &str| join(&attrs.iter().map(|a| format!("{prefix}{a}")).collect::<Vec<_>>());
    let this = format!("`{} {name}`", kind.as_str());
    let missing_old = ev.sees_old() && !view.has_old();
    let missing_new = ev.sees_new() && !view.has_new();
    let n = noun(kind);
    if view == ViewType::KeysOnly {
        if missing_old || missing_new {
            out.push(at(
                pos,
                format!("{this} reads {}, but a KEYS_ONLY stream carries no images at all: this {n} never changes (only keys.* can be read)", join(&attrs)),
            ));
        }
        return;
    }
    if missing_old {
        let consequence = match kind {
            AggKind::Count => format!("this {n} cannot go down"),
            AggKind::Sum => format!("old amounts are never subtracted from this {n}"),
            _ => format!("old values are never taken out of this {n}"),
        };
        out.push(at(
            pos,
            format!(
                "{this} reads {} to take the old version out, but {} carries no old image: on {} {consequence}",
                with("old."),
                a_view(view),
                ev.old_side_names()
            ),
        ));
    }
    if missing_new {
        let consequence = match kind {
            AggKind::Count => format!("this {n} cannot go up"),
            AggKind::Sum => format!("new amounts are never added to this {n}"),
            _ => format!("new values are never added to this {n}"),
        };
        out.push(at(
            pos,
            format!(
                "{this} reads {} to add the new version, but {} carries no new image: on {} {consequence}",
                with("new."),
                a_view(view),
                ev.new_side_names()
            ),
        ));
    }
}
