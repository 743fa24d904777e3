//! The lab: what the browser page asks of the engine, in one place, so the UI holds no
//! simulation logic. Everything a learner does goes through the session as AWS actions (so the
//! session exports as a scenario that `streamlab replay` reproduces).

use crate::lang::rules;
use crate::model::ViewType;
use crate::model::{item_to_json, AttributeValue, Item};
use crate::model::{AwsError, Result};
use crate::sim::EngineConfig;
use crate::sim::Operation;
use crate::sim::Stage;
use crate::sim::{Record, StreamStatus};
use crate::teach::session::Session;
use serde_json::{json, Value};
use std::cmp::Ordering;
use std::rc::Rc;

/// The table a new lab starts with.
pub const DEFAULT_TABLE: &str = "Votes";
/// The function that "Deploy" writes the trigger rules into.
pub const DEFAULT_FUNCTION: &str = "trigger";

/// The lab a learner starts with: a `Votes` table keyed by `voter`, its stream on
/// NEW_AND_OLD_IMAGES, and no trigger yet.
pub fn starter_session() -> Session {
    let mut s = Session::new(EngineConfig::default());
    let _ = s.apply(
        Operation::CreateTable,
        &json!({
            "TableName": DEFAULT_TABLE,
            "KeySchema": [{"AttributeName": "voter", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "voter", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        }),
    );
    s
}

/// The view type of a table's enabled stream, if any.
pub fn view_type(s: &Session, table: &str) -> Option<ViewType> {
    let e = s.engine();
    let si = e.table(table)?.stream?;
    Some(e.streams()[si].view_type)
}

/// Switches a table's stream to `view` (None disables it). AWS cannot change a view type in
/// place, so this disables the stream and enables a new one, with a new ARN, exactly as a
/// learner would have to; mappings of the old stream are moved to the new one. Returns a line
/// explaining what happened.
pub fn set_view_type(s: &mut Session, table: &str, view: Option<ViewType>) -> Result<String> {
    let current = view_type(s, table);
    if current == view {
        return Ok("Nothing to change.".into());
    }
    let old_arn = s.engine().table(table).and_then(|t| t.stream).map(|si| s.engine().streams()[si].arn.clone());
    if current.is_some() {
        s.apply(Operation::UpdateTable, &json!({"TableName": table, "StreamSpecification": {"StreamEnabled": false}}))?;
    }
    let Some(view) = view else {
        return Ok(format!("Stream of {table} disabled: its records stay readable for 24 hours."));
    };
    s.apply(
        Operation::UpdateTable,
        &json!({"TableName": table, "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view.as_str()}}),
    )?;
    // Re-attach the functions that read the old stream, from the new stream's start.
    let functions: Vec<String> = match &old_arn {
        Some(arn) => {
            let e = s.engine();
            e.lambda()
                .mappings
                .iter()
                .filter(|m| &e.streams()[m.stream].arn == arn)
                .map(|m| m.function.clone())
                .collect()
        }
        None => Vec::new(),
    };
    for f in &functions {
        let params = mapping_params(s, f, table).unwrap_or_else(|| json!({}));
        s.apply(Operation::DeleteEventSourceMapping, &json!({"FunctionName": f, "EventSourceArn": old_arn}))?;
        let mut req = params;
        req["FunctionName"] = json!(f);
        req["TableName"] = json!(table);
        req["StartingPosition"] = json!("TRIM_HORIZON");
        s.apply(Operation::CreateEventSourceMapping, &req)?;
    }
    Ok(match current {
        Some(_) => format!(
            "A view type cannot be changed in place: the old stream was disabled and a new {} stream enabled, with a new ARN.",
            view.as_str()
        ),
        None => format!("Stream enabled with view type {}.", view.as_str()),
    })
}

/// The settings of the mapping of `function` on `table`'s latest stream, as request members.
fn mapping_params(s: &Session, function: &str, table: &str) -> Option<Value> {
    let e = s.engine();
    let si = e.table(table)?.latest_stream?;
    let m = e.lambda().mappings.iter().find(|m| m.function == function && m.stream == si)?;
    Some(m.cfg.to_request())
}

/// Checks rules as the learner types: a syntax error (rendered with line, column and caret), or
/// the warnings for the table's current view type.
pub fn check_rules(s: &Session, table: &str, code: &str) -> std::result::Result<Vec<String>, String> {
    let program = rules::parse(code).map_err(|d| d.render(code))?;
    let view = view_type(s, table).unwrap_or(ViewType::NewAndOldImages);
    Ok(program.warnings(view).iter().map(|d| d.render(code)).collect())
}

/// "Deploy": writes the rules into the function (creating it the first time) and makes sure a
/// mapping with `params` reads the table's stream. Returns the view-type warnings.
pub fn deploy(s: &mut Session, table: &str, function: &str, code: &str, params: &Value) -> Result<Vec<String>> {
    let warnings = check_rules(s, table, code).map_err(AwsError::invalid_parameter)?;
    let exists = s.engine().lambda().functions.contains_key(function);
    if exists {
        s.apply(Operation::UpdateFunctionCode, &json!({"FunctionName": function, "Code": code}))?;
    } else {
        s.apply(Operation::CreateFunction, &json!({"FunctionName": function, "Code": code}))?;
    }
    let Some(si) = s.engine().table(table).and_then(|t| t.stream) else {
        return Err(AwsError::invalid_parameter(format!(
            "The stream of {table} is disabled: enable it (choose a view type) so the function has something to read"
        )));
    };
    let has_mapping = s.engine().lambda().mappings.iter().any(|m| m.function == function && m.stream == si);
    let mut req = params.clone();
    if !req.is_object() {
        req = json!({});
    }
    req["FunctionName"] = json!(function);
    req["TableName"] = json!(table);
    if has_mapping {
        s.apply(Operation::UpdateEventSourceMapping, &req)?;
    } else {
        req["StartingPosition"] = json!(req.get("StartingPosition").and_then(Value::as_str).unwrap_or("TRIM_HORIZON"));
        s.apply(Operation::CreateEventSourceMapping, &req)?;
    }
    Ok(warnings)
}

/// The same change as each of the four view types would record it (GetRecords shape).
pub fn compare_views(record: &Record, region: &str) -> Vec<(ViewType, Value)> {
    ViewType::ALL.iter().map(|v| (*v, record.as_view(*v).to_json(region, None))).collect()
}

#[derive(Clone, Debug, PartialEq)]
pub enum DiffKind {
    Added,
    Changed,
    Removed,
    Same,
}

/// One attribute of an old-to-new comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct DiffEntry {
    pub name: String,
    pub kind: DiffKind,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// Attribute-by-attribute difference between two images (either may be absent).
pub fn diff(old: Option<&Item>, new: Option<&Item>) -> Vec<DiffEntry> {
    let empty = Item::new();
    let (o, n) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    // Both items' names come sorted: merged, they give every name once, in order.
    let (mut olds, mut news) = (o.iter().peekable(), n.iter().peekable());
    let mut out = Vec::new();
    loop {
        let order = match (olds.peek(), news.peek()) {
            (Some((x, _)), Some((y, _))) => x.cmp(y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        let next: Option<(&String, Option<&AttributeValue>, Option<&AttributeValue>)> = match order {
            Ordering::Less => olds.next().map(|(k, a)| (k, Some(a), None)),
            Ordering::Greater => news.next().map(|(k, b)| (k, None, Some(b))),
            Ordering::Equal => olds.next().zip(news.next()).map(|((k, a), (_, b))| (k, Some(a), Some(b))),
        };
        let Some((name, a, b)) = next else { break };
        let kind = match (a, b) {
            (None, Some(_)) => DiffKind::Added,
            (Some(_), None) => DiffKind::Removed,
            (Some(x), Some(y)) if x != y => DiffKind::Changed,
            _ => DiffKind::Same,
        };
        out.push(DiffEntry { name: name.clone(), kind, old: a.map(|v| v.to_json()), new: b.map(|v| v.to_json()) });
    }
    out
}

/// A record on its way through the architecture: item change → stream → trigger → action.
#[derive(Clone, Debug)]
pub struct Token {
    pub table: String,
    pub shard_id: String,
    pub record: Rc<Record>,
    /// One stage per mapping reading the stream (function name and stage); empty when no
    /// trigger reads it.
    pub stages: Vec<(String, Stage)>,
}

/// The newest `limit` records of every enabled stream, with where each one is.
pub fn tokens(s: &Session, limit: usize) -> Vec<Token> {
    let e = s.engine();
    let mut out = Vec::new();
    for (si, st) in e.streams().iter().enumerate() {
        if st.status != StreamStatus::Enabled {
            continue;
        }
        for sh in &st.shards {
            for r in sh.records.iter().rev().take(limit) {
                let stages = e
                    .lambda()
                    .mappings
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.stream == si)
                    .filter_map(|(mi, m)| e.record_stage(mi, &sh.id, r.seq).map(|stage| (m.function.clone(), stage)))
                    .collect();
                out.push(Token { table: st.table_name.clone(), shard_id: sh.id.clone(), record: r.clone(), stages });
            }
        }
    }
    // Sequence numbers are unique, so an unstable sort gives the same order: newest first.
    crate::support::sort::heapsort_by(&mut out, |a, b| {
        (a.record.created_ms, a.record.seq) > (b.record.created_ms, b.record.seq)
    });
    out.truncate(limit);
    out
}

/// Items of a table as JSON (a Scan without its paging), in key order.
pub fn items(s: &Session, table: &str) -> Vec<Value> {
    s.engine().table(table).map(|t| t.items.values().map(|i| item_to_json(i)).collect()).unwrap_or_default()
}

/// Counts taken before a clock advance, so the page can say what the advance did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Census {
    pub now_ms: u64,
    /// Records still held by every stream (24-hour trimming removes the older ones).
    pub retained: usize,
    /// Records ever written to any stream.
    pub written: u64,
    pub shards: usize,
    pub items: usize,
}

pub fn census(s: &Session) -> Census {
    let e = s.engine();
    Census {
        now_ms: e.now_ms(),
        retained: e.streams().iter().flat_map(|st| st.shards.iter()).map(|sh| sh.records.len()).sum(),
        written: e.costs().changes,
        shards: e.streams().iter().map(|st| st.shards.len()).sum(),
        items: e.tables().map(|t| t.items.len()).sum(),
    }
}

/// What a clock advance did. Counted per advance, so advance long spans in slices (an hour at a
/// time) to count TTL deletions whose records a 24-hour trim would otherwise hide.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClockChanges {
    pub ttl_deletions: usize,
    pub trimmed: usize,
    pub new_shards: usize,
    pub invocations: usize,
}

impl ClockChanges {
    pub fn add(&mut self, other: &ClockChanges) {
        self.ttl_deletions += other.ttl_deletions;
        self.trimmed += other.trimmed;
        self.new_shards += other.new_shards;
        self.invocations += other.invocations;
    }

    /// In sentences; empty when nothing but time passed.
    pub fn sentences(&self) -> Vec<String> {
        let mut out = Vec::new();
        let n = self.ttl_deletions;
        if n > 0 {
            out.push(format!("TTL deleted {n} expired item{} (REMOVE records made by the TTL service).", plural(n)));
        }
        let n = self.trimmed;
        if n > 0 {
            out.push(format!(
                "{n} record{} older than 24 hours {} trimmed from the stream.",
                plural(n),
                if n == 1 { "was" } else { "were" }
            ));
        }
        let n = self.new_shards;
        if n > 0 {
            out.push(format!(
                "{n} new shard{} opened: shards roll over about every 4 hours, each child pointing to its parent.",
                plural(n)
            ));
        }
        let n = self.invocations;
        if n > 0 {
            out.push(format!("The trigger was invoked {n} time{}.", plural(n)));
        }
        out
    }
}

/// What happened since `before` was taken.
pub fn clock_changes(before: &Census, s: &Session) -> ClockChanges {
    let e = s.engine();
    let after = census(s);
    let new = after.written.saturating_sub(before.written) as usize;
    ClockChanges {
        ttl_deletions: e
            .streams()
            .iter()
            .flat_map(|st| st.shards.iter())
            .flat_map(|sh| sh.records.iter().rev().take_while(|r| r.created_ms > before.now_ms))
            .filter(|r| r.ttl)
            .count(),
        trimmed: (before.retained + new).saturating_sub(after.retained),
        new_shards: after.shards.saturating_sub(before.shards),
        invocations: e.lambda().invocations.iter().rev().take_while(|i| i.time_ms > before.now_ms).count(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(s: &mut Session, voter: &str, choice: &str) {
        s.apply(
            Operation::PutItem,
            &json!({"TableName": "Votes", "Item": {"voter": {"S": voter}, "choice": {"S": choice}}}),
        )
        .unwrap();
    }

    #[test]
    fn switching_the_view_type_makes_a_new_stream_and_moves_the_trigger() {
        let mut s = starter_session();
        deploy(&mut s, "Votes", "trigger", "on INSERT\n  count votes by choice", &json!({})).unwrap();
        let first = s.engine().table("Votes").unwrap().stream.unwrap();
        let note = set_view_type(&mut s, "Votes", Some(ViewType::NewImage)).unwrap();
        assert!(note.contains("cannot be changed in place"), "{note}");
        let second = s.engine().table("Votes").unwrap().stream.unwrap();
        assert_ne!(first, second);
        assert_ne!(s.engine().streams()[first].arn, s.engine().streams()[second].arn);
        let maps = &s.engine().lambda().mappings;
        assert_eq!(maps.len(), 1);
        assert_eq!(maps[0].stream, second);
        // The whole thing replays from the exported scenario.
        let replayed = Session::from_scenario_text(&s.to_scenario_json().to_string()).unwrap();
        assert_eq!(replayed.engine().streams_output(), s.engine().streams_output());
    }

    #[test]
    fn deploy_counts_votes_and_warns_about_missing_images() {
        let mut s = starter_session();
        let code = "on INSERT, MODIFY, REMOVE\n  count votes by choice";
        assert!(check_rules(&s, "Votes", code).unwrap().is_empty(), "NEW_AND_OLD_IMAGES carries both");
        deploy(&mut s, "Votes", "trigger", code, &json!({"BatchSize": 10})).unwrap();
        put(&mut s, "ana", "tea");
        put(&mut s, "ben", "tea");
        put(&mut s, "ana", "coffee");
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 1})).unwrap();
        assert_eq!(s.engine().aggregates_output(), json!({"votes": {"coffee": 1, "tea": 1}}));
        set_view_type(&mut s, "Votes", Some(ViewType::NewImage)).unwrap();
        let w = check_rules(&s, "Votes", code).unwrap();
        assert!(w.iter().any(|w| w.contains("NEW_IMAGE")), "{w:?}");
        let err = check_rules(&s, "Votes", "on INSERT\n  count").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn tokens_show_where_records_are() {
        let mut s = starter_session();
        deploy(
            &mut s,
            "Votes",
            "trigger",
            "on INSERT when new.choice = \"tea\"\n  fail \"no tea\"",
            &json!({"MaximumRetryAttempts": 1}),
        )
        .unwrap();
        put(&mut s, "ana", "coffee");
        let t = tokens(&s, 10);
        assert_eq!(t[0].stages, vec![("trigger".to_string(), Stage::InShard)]);
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 1})).unwrap();
        assert_eq!(tokens(&s, 10)[0].stages[0].1, Stage::Done);
        put(&mut s, "ben", "tea");
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 0.5})).unwrap();
        assert!(matches!(tokens(&s, 10)[0].stages[0].1, Stage::Retrying { attempt: 1 }));
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 10})).unwrap();
        assert_eq!(tokens(&s, 10)[0].stages[0].1, Stage::Discarded);
    }

    #[test]
    fn every_view_type_comparison_and_diff() {
        let mut s = starter_session();
        put(&mut s, "ana", "tea");
        s.apply(Operation::UpdateItem,
            &json!({"TableName": "Votes", "Key": {"voter": {"S": "ana"}}, "UpdateExpression": "SET choice = :c, n = :n REMOVE x",
                "ExpressionAttributeValues": {":c": {"S": "coffee"}, ":n": {"N": "1"}}}),
        )
        .unwrap();
        let st = &s.engine().streams()[0];
        let modify = st.shards[0].records.back().unwrap();
        let views = compare_views(modify, "us-east-1");
        assert_eq!(views.len(), 4);
        assert!(views[0].1["dynamodb"].get("NewImage").is_none(), "KEYS_ONLY");
        assert!(views[3].1["dynamodb"].get("OldImage").is_some(), "NEW_AND_OLD_IMAGES");
        let d = diff(modify.old_image().as_ref(), modify.new_image().as_ref());
        let kinds: Vec<(&str, &DiffKind)> = d.iter().map(|e| (e.name.as_str(), &e.kind)).collect();
        assert_eq!(kinds, vec![("choice", &DiffKind::Changed), ("n", &DiffKind::Added), ("voter", &DiffKind::Same)]);
    }

    #[test]
    fn diff_gives_every_name_once_in_order() {
        let item = |pairs: &[(&str, &str)]| -> Item {
            pairs.iter().map(|(k, v)| (k.to_string(), AttributeValue::S(v.to_string()))).collect()
        };
        let (old, new) =
            (item(&[("b", "1"), ("c", "1"), ("e", "1")]), item(&[("a", "1"), ("c", "2"), ("e", "1"), ("f", "1")]));
        let d = diff(Some(&old), Some(&new));
        let kinds: Vec<(&str, &DiffKind)> = d.iter().map(|e| (e.name.as_str(), &e.kind)).collect();
        use DiffKind::*;
        assert_eq!(kinds, vec![("a", &Added), ("b", &Removed), ("c", &Changed), ("e", &Same), ("f", &Added)]);
        assert_eq!(d[2].old, Some(json!({"S": "1"})));
        assert_eq!(d[2].new, Some(json!({"S": "2"})));
        let names = |d: Vec<DiffEntry>| d.into_iter().map(|e| (e.name, e.kind)).collect::<Vec<_>>();
        assert_eq!(names(diff(None, Some(&old))), vec![("b".into(), Added), ("c".into(), Added), ("e".into(), Added)]);
        assert_eq!(
            names(diff(Some(&old), None)),
            vec![("b".into(), Removed), ("c".into(), Removed), ("e".into(), Removed)]
        );
        assert!(diff(None, None).is_empty());
    }

    #[test]
    fn clock_report_tells_ttl_trimming_and_rollover() {
        let mut s = starter_session();
        s.apply(
            Operation::UpdateTimeToLive,
            &json!({"TableName": "Votes", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
        )
        .unwrap();
        put(&mut s, "ana", "tea");
        let now = s.engine().now_ms() / 1000;
        s.apply(
            Operation::PutItem,
            &json!({"TableName": "Votes", "Item": {"voter": {"S": "ben"}, "exp": {"N": (now + 60).to_string()}}}),
        )
        .unwrap();
        let mut total = ClockChanges::default();
        for _ in 0..25 {
            let before = census(&s);
            s.apply(Operation::AdvanceClock, &json!({"Seconds": 3600})).unwrap();
            total.add(&clock_changes(&before, &s));
        }
        assert_eq!(s.steps().last().unwrap().body, json!({"Seconds": 90000.0}), "one merged step");
        let report = total.sentences().join(" ");
        assert!(report.contains("TTL deleted 1 expired item"), "{report}");
        assert!(report.contains("trimmed"), "{report}");
        assert!(report.contains("new shard"), "{report}");
    }
}
