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
use serde_json::{json, Map, Value};
use std::cmp::Ordering;
use std::ops::Range;
use std::rc::Rc;

/// A message shown next to the control that caused it: a success line or an AWS-style error.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    Ok(String),
    Error { kind: String, message: String },
}

impl Note {
    pub fn aws(e: AwsError) -> Note {
        Note::Error { kind: e.kind.as_str().into(), message: e.message }
    }
    pub fn error(kind: &str, message: impl Into<String>) -> Note {
        Note::Error { kind: kind.into(), message: message.into() }
    }
    pub fn is_error(&self) -> bool {
        matches!(self, Note::Error { .. })
    }
}

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
    // The table had a stream before this one; mappings left on its disabled streams (they stay
    // there, as on AWS).
    let renewed = old_arn.is_none() && s.engine().table(table).is_some_and(|t| t.latest_stream.is_some());
    let left = renewed && {
        let e = s.engine();
        e.lambda().mappings.iter().any(|m| e.streams()[m.stream].table_name == table)
    };
    if current.is_some() {
        s.apply(Operation::UpdateTable, &json!({"TableName": table, "StreamSpecification": {"StreamEnabled": false}}))?;
    }
    let Some(view) = view else {
        return Ok(format!(
            "Stream of {table} disabled: new writes are not recorded; its records stay readable for 24 hours. Choose a view type to enable a new stream (with a new ARN)."
        ));
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
        None if renewed => format!(
            "Stream enabled with view type {}: a new stream, with a new ARN.{}",
            view.as_str(),
            if left { " Mappings of the old stream stay on it: Deploy attaches a function to this one." } else { "" }
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
    // Checked before anything is created: a Deploy that fails changes nothing.
    let Some(si) = s.engine().table(table).and_then(|t| t.stream) else {
        return Err(AwsError::invalid_parameter(format!(
            "The stream of {table} is disabled: enable it (choose a view type) so the function has something to read"
        )));
    };
    let exists = s.engine().lambda().functions.contains_key(function);
    if exists {
        s.apply(Operation::UpdateFunctionCode, &json!({"FunctionName": function, "Code": code}))?;
    } else {
        s.apply(Operation::CreateFunction, &json!({"FunctionName": function, "Code": code}))?;
    }
    let has_mapping = s.engine().lambda().mappings.iter().any(|m| m.function == function && m.stream == si);
    let mut req = params.clone();
    if !req.is_object() {
        req = json!({});
    }
    req["FunctionName"] = json!(function);
    req["TableName"] = json!(table);
    // The lab charts its mappings' metrics: opt in as a learner would on AWS.
    if req.get("MetricsConfig").is_none() {
        req["MetricsConfig"] = json!({"Metrics": ["EventCount"]});
    }
    if has_mapping {
        s.apply(Operation::UpdateEventSourceMapping, &req)?;
    } else {
        req["StartingPosition"] = json!(req.get("StartingPosition").and_then(Value::as_str).unwrap_or("TRIM_HORIZON"));
        s.apply(Operation::CreateEventSourceMapping, &req)?;
    }
    Ok(warnings)
}

/// The table a session's lab shows first: [`DEFAULT_TABLE`] when there is one, else the first.
pub fn first_table(s: &Session) -> String {
    let e = s.engine();
    if e.table(DEFAULT_TABLE).is_some() {
        return DEFAULT_TABLE.into();
    }
    e.tables().next().map(|t| t.name.clone()).unwrap_or_else(|| DEFAULT_TABLE.into())
}

/// `table` when the session has it, else [`first_table`] (after a Step back or a DeleteTable).
pub fn table_or_first(s: &Session, table: &str) -> String {
    match s.engine().table(table) {
        Some(_) => table.to_string(),
        None => first_table(s),
    }
}

/// The item the editor starts with.
pub const EXAMPLE_ITEM: &str = r#"{
  "voter": {"S": "ana"},
  "choice": {"S": "streams"}
}"#;

/// A write from the item editor. Texts are what the learner typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriteForm {
    pub item: String,
    pub update_expression: String,
    pub condition_expression: String,
    pub names: String,
    pub values: String,
}

impl WriteForm {
    /// What the editor starts with: the example item, and an update expression to try.
    pub fn example() -> WriteForm {
        WriteForm {
            item: EXAMPLE_ITEM.to_string(),
            update_expression: "SET choice = :c".into(),
            values: r#"{":c": {"S": "lambda"}}"#.into(),
            ..Default::default()
        }
    }
}

/// The item editor's three writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOp {
    Put,
    Update,
    Delete,
}

impl WriteOp {
    pub fn operation(self) -> Operation {
        match self {
            WriteOp::Put => Operation::PutItem,
            WriteOp::Update => Operation::UpdateItem,
            WriteOp::Delete => Operation::DeleteItem,
        }
    }
}

/// The request for a write from the editor's texts. JSON that does not parse is refused here
/// (nothing is sent); everything else is the engine's to judge.
pub fn write_request(s: &Session, table: &str, op: WriteOp, form: &WriteForm) -> std::result::Result<Value, Note> {
    let item: Value = serde_json::from_str(&form.item)
        .map_err(|e| Note::error("Not valid JSON", format!("The item was not sent: {e}.")))?;
    let parse_map = |text: &str, what: &str| -> std::result::Result<Option<Value>, Note> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        serde_json::from_str(text)
            .map(Some)
            .map_err(|e| Note::error("Not valid JSON", format!("{what} is not valid JSON: {e}. Nothing was sent.")))
    };
    let mut req = Map::new();
    req.insert("TableName".into(), json!(table));
    match op {
        WriteOp::Put => {
            req.insert("Item".into(), item);
        }
        WriteOp::Update | WriteOp::Delete => {
            req.insert("Key".into(), key_of(s, table, item));
        }
    }
    let condition = form.condition_expression.trim();
    if !condition.is_empty() {
        req.insert("ConditionExpression".into(), json!(condition));
    }
    let update = form.update_expression.trim();
    if op == WriteOp::Update && !update.is_empty() {
        req.insert("UpdateExpression".into(), json!(update));
    }
    let uses_expressions = !condition.is_empty() || op == WriteOp::Update;
    if uses_expressions {
        if let Some(v) = parse_map(&form.names, "ExpressionAttributeNames")? {
            req.insert("ExpressionAttributeNames".into(), v);
        }
        if let Some(v) = parse_map(&form.values, "ExpressionAttributeValues")? {
            req.insert("ExpressionAttributeValues".into(), v);
        }
    }
    Ok(Value::Object(req))
}

/// The key attributes of an item (by the table's key schema); anything else unchanged, so the
/// engine reports what is wrong with it.
fn key_of(s: &Session, table: &str, item: Value) -> Value {
    let Some(t) = s.engine().table(table) else { return item };
    match item {
        Value::Object(fields) => {
            let mut names = vec![t.schema.hash.name.clone()];
            if let Some(r) = &t.schema.range {
                names.push(r.name.clone());
            }
            if !names.iter().all(|n| fields.contains_key(n)) {
                return Value::Object(fields);
            }
            Value::Object(fields.into_iter().filter(|(k, _)| names.contains(k)).collect())
        }
        other => other,
    }
}

/// A write from the item editor, and what it did. Ok: the session changed (the note says how
/// many stream records the write made); Err: nothing was written, and why.
pub fn write(s: &mut Session, table: &str, op: WriteOp, form: &WriteForm) -> std::result::Result<Note, Note> {
    let request = write_request(s, table, op, form)?;
    let before = census(s);
    let action = op.operation();
    s.apply(action, &request).map_err(Note::aws)?;
    let written = census(s).written.saturating_sub(before.written);
    Ok(Note::Ok(match (op, written) {
        (WriteOp::Delete, 0) => {
            "DeleteItem succeeded. No item had that key, so no stream record was written.".to_string()
        }
        (_, 0) => format!("{action} succeeded. Nothing changed, so no stream record was written."),
        (_, 1) => format!("{action} succeeded and wrote 1 stream record."),
        (_, n) => format!("{action} succeeded and wrote {n} stream records."),
    }))
}

/// The view type switch: `value` as the select gives it. Err: not a view type (nothing was
/// sent); Ok: the note about the switch (an AWS error when it failed).
pub fn choose_view_type(s: &mut Session, table: &str, value: &str) -> std::result::Result<Note, Note> {
    let Some(view) = ViewType::parse(value) else {
        return Err(Note::error("ValidationException", format!("Unknown view type {value}")));
    };
    Ok(match set_view_type(s, table, Some(view)) {
        Ok(note) => Note::Ok(note),
        Err(e) => Note::aws(e),
    })
}

/// `function` when the lab has a function of that name, else the first (as [`first_function`]).
pub fn function_or_first(s: &Session, function: &str) -> String {
    match s.engine().lambda().functions.contains_key(function) {
        true => function.to_string(),
        false => first_function(s),
    }
}

/// The function the triggers panel shows first: [`DEFAULT_FUNCTION`] when it exists, else the
/// first deployed one by name (a lesson's), else [`DEFAULT_FUNCTION`] (created by Deploy).
pub fn first_function(s: &Session) -> String {
    let functions = &s.engine().lambda().functions;
    if functions.contains_key(DEFAULT_FUNCTION) {
        return DEFAULT_FUNCTION.into();
    }
    functions.values().next().map(|f| f.name.clone()).unwrap_or_else(|| DEFAULT_FUNCTION.into())
}

/// The table whose stream `function` reads: the table of its mapping on a table's current
/// stream, else of any of its mappings on a table that still exists; `fallback` (the table on
/// show) when it has none.
pub fn function_table(s: &Session, function: &str, fallback: &str) -> String {
    let e = s.engine();
    // (A deleted table's stream is not one to deploy onto.)
    let tables = e.lambda().mappings.iter().filter(|m| m.function == function).filter_map(|m| {
        let name = &e.streams()[m.stream].table_name;
        e.table(name).map(|t| (t.stream == Some(m.stream), name))
    });
    let mut best: Option<(bool, &String)> = None;
    for t in tables {
        if best.is_none_or(|b| t.0 && !b.0) {
            best = Some(t);
        }
    }
    best.map(|(_, name)| name.clone()).unwrap_or_else(|| fallback.to_string())
}

/// "Deploy" from the triggers panel: [`deploy`] of `function` onto the stream of the table it
/// reads ([`function_table`]; `table`, the table on show, for a new one), and the note under the
/// button.
pub fn deploy_rules(s: &mut Session, table: &str, function: &str, code: &str, params: &Value) -> Note {
    let table = function_table(s, function, table);
    match deploy(s, &table, function, code, params) {
        Ok(w) if w.is_empty() => Note::Ok(format!(
            "Deployed {function} on the stream of {table}. Lambda polls the stream as the clock runs: press Play, Step or Advance clock."
        )),
        Ok(w) => Note::Ok(format!("Deployed {function}, with {} warning{}: see above.", w.len(), plural(w.len()))),
        Err(e) => Note::aws(e),
    }
}

/// "Disable stream": UpdateTable with `StreamEnabled: false` on `table` (its mappings stay on
/// the old stream, which stays readable for 24 hours, as on AWS). Ok: what changed; Err: the
/// table does not exist.
pub fn disable_stream(s: &mut Session, table: &str) -> std::result::Result<Note, Note> {
    if s.engine().table(table).is_none() {
        return Err(Note::aws(AwsError::not_found(format!("Requested resource not found: Table: {table} not found"))));
    }
    if view_type(s, table).is_none() {
        return Ok(Note::Ok("The stream is already disabled: nothing to change.".into()));
    }
    set_view_type(s, table, None).map(Note::Ok).map_err(Note::aws)
}

/// The "Create table" form: a name, the key schema, and the stream.
#[derive(Clone, Debug, PartialEq)]
pub struct TableForm {
    pub name: String,
    pub hash: String,
    /// "S", "N" or "B".
    pub hash_type: String,
    /// Empty: no sort key.
    pub range: String,
    pub range_type: String,
    pub stream: bool,
    pub view: String,
}

impl Default for TableForm {
    fn default() -> Self {
        TableForm {
            name: String::new(),
            hash: "id".into(),
            hash_type: "S".into(),
            range: String::new(),
            range_type: "S".into(),
            stream: true,
            view: ViewType::NewAndOldImages.as_str().into(),
        }
    }
}

impl TableForm {
    /// The CreateTable request, on demand billing, as a learner would send it.
    pub fn request(&self) -> Value {
        let mut keys = vec![json!({"AttributeName": self.hash.trim(), "KeyType": "HASH"})];
        let mut defs = vec![json!({"AttributeName": self.hash.trim(), "AttributeType": self.hash_type})];
        if !self.range.trim().is_empty() {
            keys.push(json!({"AttributeName": self.range.trim(), "KeyType": "RANGE"}));
            defs.push(json!({"AttributeName": self.range.trim(), "AttributeType": self.range_type}));
        }
        let mut req = json!({
            "TableName": self.name.trim(),
            "KeySchema": keys,
            "AttributeDefinitions": defs,
            "BillingMode": "PAY_PER_REQUEST",
        });
        if self.stream {
            req["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": self.view});
        }
        req
    }
}

/// "Create table": CreateTable with the form's key schema and stream. Ok: the note; Err: the
/// AWS error (a name AWS refuses, a table that exists, a bad key type), nothing created.
pub fn create_table(s: &mut Session, form: &TableForm) -> std::result::Result<Note, Note> {
    s.apply(Operation::CreateTable, &form.request()).map_err(Note::aws)?;
    let name = form.name.trim();
    Ok(Note::Ok(match form.stream {
        true => format!("CreateTable succeeded: {name}, its stream on with view type {}.", form.view),
        false => format!("CreateTable succeeded: {name}, with no stream: its writes are never streamed."),
    }))
}

/// "Delete table": DeleteTable. Its stream is disabled, and stays readable for 24 hours, as on
/// AWS. Ok: the note; Err: the AWS error.
pub fn delete_table(s: &mut Session, table: &str) -> std::result::Result<Note, Note> {
    let had_stream = view_type(s, table).is_some();
    s.apply(Operation::DeleteTable, &json!({ "TableName": table })).map_err(Note::aws)?;
    Ok(Note::Ok(match had_stream {
        true => format!("DeleteTable succeeded: {table} and its items are gone; its stream is disabled, and its records stay readable for 24 hours."),
        false => format!("DeleteTable succeeded: {table} and its items are gone."),
    }))
}

/// "Enable TTL" on `table` with attribute `attr`, and the note about it.
pub fn enable_ttl(s: &mut Session, table: &str, attr: &str) -> Note {
    let attr = attr.trim();
    let request = json!({"TableName": table, "TimeToLiveSpecification": {"Enabled": true, "AttributeName": attr}});
    match s.apply(Operation::UpdateTimeToLive, &request) {
        Ok(_) => Note::Ok(format!(
            "Time to live is on: an item whose {attr} (epoch seconds) has passed is deleted by the TTL service, a few minutes later, with a REMOVE record."
        )),
        Err(e) => Note::aws(e),
    }
}

/// "Let it run" or "Turn the guard off": sets the simulator's loop guard (a `SetLoopGuard`
/// step, so the lab's scenario replays the same), and the note saying what it means.
pub fn set_loop_guard(s: &mut Session, limit: Option<u32>) -> Note {
    match s.apply(Operation::SetLoopGuard, &json!({ "Invocations": limit })) {
        Ok(_) => Note::Ok(match limit {
            Some(n) => format!(
                "StreamLab's loop guard now pauses a chain before invocation {}. On AWS nothing would pause it.",
                thousands(u64::from(n) + 1)
            ),
            None => "StreamLab's loop guard is off: the loop runs as it would on AWS, until you change the code, the table or the mapping.".into(),
        }),
        Err(e) => Note::aws(e),
    }
}

/// 12345 → "12,345".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One tick of the playing clock: `secs` simulated seconds.
pub fn tick(s: &mut Session, secs: f64) -> std::result::Result<(), Note> {
    s.apply(Operation::AdvanceClock, &json!({ "Seconds": secs })).map(|_| ()).map_err(Note::aws)
}

/// "Step back": undoes the learner's last action (a write, a burst, one press of Step or
/// Advance clock, a run of Play; a step at a time before the page was loaded), never the first
/// step, the lab's table. None when there is nothing to undo.
pub fn step_back(s: &mut Session) -> Option<Note> {
    s.step_back(1).then(|| Note::Ok("Undid the last action (the session was replayed without it).".into()))
}

/// A scenario imported from `source` ("mine.json", "the shared link", a lesson step): the
/// session, and the note that says so. Err: the note saying why it was not imported.
pub fn import(text: &str, source: &str) -> std::result::Result<(Session, String), Note> {
    match Session::from_scenario_text(text) {
        Ok(session) => {
            let steps = session.steps().len();
            let mut note = format!("Imported {source}: {} step{} replayed", thousands(steps as u64), plural(steps));
            match failed_steps(&session) {
                Some(failed) => note.push_str(&format!("; {failed}")),
                None => note.push('.'),
            }
            Ok((session, note))
        }
        Err(why) => Err(Note::error("Import failed", format!("{source} was not imported: {why}."))),
    }
}

/// The steps of the scenario `s` was loaded from that failed, each with its error as
/// `streamlab replay` reports it (the first few), as a sentence; None when none failed.
pub fn failed_steps(s: &Session) -> Option<String> {
    const LISTED: usize = 5;
    let failed = s.failed_steps();
    let n = failed.len();
    if n == 0 {
        return None;
    }
    let listed: Vec<String> =
        failed.iter().take(LISTED).map(|(i, action, e)| format!("step {i} ({action}): {e}")).collect();
    let more = if n > LISTED { format!("; and {} more", thousands((n - LISTED) as u64)) } else { String::new() };
    Some(format!("{} step{} failed and changed nothing: {}{more}.", thousands(n as u64), plural(n), listed.join("; ")))
}

/// "Restore previous lab": the lab kept in the browser (`saved`, its stored form), or why not.
pub fn restore(saved: Option<&str>) -> std::result::Result<Session, Note> {
    restore_kept(saved, "previous lab")
}

/// "Back to my lab": the learner's own lab kept in the browser, or why not.
pub fn restore_own(saved: Option<&str>) -> std::result::Result<Session, Note> {
    restore_kept(saved, "own lab")
}

fn restore_kept(saved: Option<&str>, what: &str) -> std::result::Result<Session, Note> {
    match saved.map(Session::from_storage) {
        Some(Ok(session)) => Ok(session),
        Some(Err(why)) => Err(Note::error("Restore failed", format!("The {what} could not be read: {why}."))),
        None => Err(Note::error("Restore failed", format!("There is no {what} in this browser."))),
    }
}

/// The note after "Back to my lab".
pub const BACK_TO_OWN: &str = "Back to your own lab.";
/// Added to the note when a lesson's, link's or import's lab is replaced while the learner's
/// own lab is kept.
pub const OWN_STILL_KEPT: &str = " Your own lab is still kept: Files › Back to my lab.";

/// The file "Export scenario" downloads, and the note after it.
pub const EXPORT_FILE: &str = "streamlab-scenario.json";
pub const EXPORTED: &str = "Exported streamlab-scenario.json: replay it with `streamlab replay`, or import it here.";

/// The note after "Restore previous lab".
pub const RESTORED: &str = "Restored the previous lab.";
/// The note after "Start over".
pub const STARTED_OVER: &str = "Started a new lab.";

/// The note after the lab was replaced: `note` (what replaced it), then what became of the
/// replaced lab.
pub fn replaced_note(note: &str, kept: Previous) -> String {
    format!("{note}{}", kept.sentence())
}

/// The banner when the saved session cannot be read back: `why`, and the storage key it was
/// set aside under.
pub fn not_restored(why: &str, set_aside_key: &str) -> String {
    format!(
        "Your saved session could not be restored ({why}). It was set aside under the key \"{set_aside_key}\" in this browser's storage, and a new lab was started."
    )
}

/// The banner when the saved session cannot be read back and the browser has no room to set
/// it aside either: it stays where it is, and the page does not save over it until the learner
/// downloads it or discards it.
pub fn not_restored_nor_set_aside(why: &str, storage_error: &str) -> String {
    format!(
        "Your saved session could not be restored ({why}), and this browser had no room to set it aside ({storage_error}). It is still in this browser's storage, and this page will not save over it until you download it or discard it."
    )
}

/// The file a saved session that could not be read is downloaded as.
pub const UNREADABLE_FILE: &str = "streamlab-unreadable-session.txt";

/// The banner when the browser refuses to save the lab (`why`: its error, such as
/// QuotaExceededError).
pub fn not_saved(why: &str) -> String {
    format!(
        "This browser refused to save your lab ({why}): changes from now on are only in this tab. Export it (Files › Export scenario) to keep it. The page tries again after every change and says so when it saves again."
    )
}

/// The banner when saving works again after [`not_saved`].
pub const SAVED_AGAIN: &str = "Your lab is saved in this browser again.";

/// The file the replaced lab is downloaded as when the browser has no room to keep it.
pub const PREVIOUS_FILE: &str = "streamlab-previous-lab.json";

/// The note when the lab could neither be kept in the browser nor downloaded: it is not
/// replaced.
pub fn not_replaced() -> Note {
    Note::error(
        "Not replaced",
        "Your lab was not replaced: this browser could neither keep it nor download it. Export it (Export scenario) first, then try again.",
    )
}

/// What became of the lab that an import, a lesson, a shared link, "Start over" or "Restore
/// previous lab" replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Previous {
    /// It held nothing but the starter table, or nothing the learner changed since a lesson, a
    /// link or an import loaded it (that can load it again).
    Nothing,
    /// The learner's own lab (not a lesson's, a link's or an import's), kept on its own: Files ›
    /// Back to my lab brings it back, however many lessons and links are opened after it.
    KeptOwn,
    /// Over 2 MB, more than the browser keeps, so it was downloaded as [`PREVIOUS_FILE`].
    TooBig,
    Kept,
    /// The browser had no room to keep it, so it was downloaded as [`PREVIOUS_FILE`].
    Downloaded,
    /// The browser refused to keep it and to download it: the lab is not replaced.
    NotKept,
}

impl Previous {
    /// The sentence added to the note ("" when there is nothing to say).
    pub fn sentence(self) -> &'static str {
        match self {
            Previous::Kept => " Your previous lab was kept: Files › Restore previous lab brings it back.",
            Previous::KeptOwn => " Your own lab was kept: Files › Back to my lab brings it back.",
            Previous::TooBig => {
                " Your previous lab was over 2 MB, too big to keep in this browser, so it was downloaded as streamlab-previous-lab.json: import it to bring it back."
            }
            Previous::Downloaded => {
                " This browser had no room to keep your previous lab, so it was downloaded as streamlab-previous-lab.json: import it to bring it back."
            }
            Previous::Nothing | Previous::NotKept => "",
        }
    }
}

/// The stored form of a lab about to be replaced, to keep; or why it is not kept.
pub fn previous_to_keep(s: &Session) -> std::result::Result<String, Previous> {
    if s.steps().len() <= 1 {
        return Err(Previous::Nothing);
    }
    if !s.fits_storage() {
        return Err(Previous::TooBig);
    }
    Ok(s.to_storage())
}

/// The longest clock advance the engine takes, in seconds (one leap year).
pub const MAX_ADVANCE_SECONDS: u64 = crate::sim::MAX_ADVANCE_MS / 1000;

/// Largest slice of simulated time one step of a long advance takes (so TTL deletions are
/// counted before a 24-hour trim hides them, and the page can draw between steps).
const SLICE_MS: u64 = 3_600_000;
/// Generated votes written per BatchWriteItem (DynamoDB's maximum).
pub const BURST_BATCH: u32 = 25;

/// Long work done a step at a time, so the page can draw between steps: a clock advance (an
/// hour per step) or a burst of generated votes (one BatchWriteItem per step).
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    Advance {
        left_ms: u64,
        total_ms: u64,
        changes: ClockChanges,
    },
    /// Generated votes (or items, [`generated_word`]) `base + next .. base + end`.
    Burst {
        next: u32,
        end: u32,
        failed: u32,
        base: u32,
        what: &'static str,
    },
}

impl Job {
    /// "Advance clock" by `secs` seconds; Err: the note saying which numbers it takes.
    pub fn advance(secs: f64) -> std::result::Result<Job, Note> {
        // The clock counts milliseconds: less than one would advance it by nothing.
        if !secs.is_finite() || secs < 0.001 || secs > MAX_ADVANCE_SECONDS as f64 {
            return Err(Note::error(
                "ValidationException",
                format!("Seconds must be a number from 0.001 to one year ({MAX_ADVANCE_SECONDS})."),
            ));
        }
        let ms = (secs * 1000.0).round() as u64;
        Ok(Job::Advance { left_ms: ms, total_ms: ms, changes: ClockChanges::default() })
    }

    /// "Write N votes" into `table`: new voters each time (numbered after the table's items), so
    /// every burst makes new records.
    pub fn burst(s: &Session, table: &str, n: u32) -> Job {
        let base = s.engine().table(table).map_or(0, |t| t.items.len() as u32);
        Job::Burst { next: 0, end: n, failed: 0, base, what: generated_word(s, table) }
    }

    pub fn is_burst(&self) -> bool {
        matches!(self, Job::Burst { .. })
    }

    /// A burst that has not written anything yet.
    pub fn is_fresh_burst(&self) -> bool {
        matches!(self, Job::Burst { next: 0, .. })
    }

    /// Does the next step (a burst writes into `table`, the table the lab shows). Returns the
    /// job left to do, and the note when it ended: about the clock for an advance, about the
    /// writes for a burst.
    pub fn step(self, s: &mut Session, table: &str) -> (Option<Job>, Option<Note>) {
        match self {
            Job::Advance { left_ms, total_ms, mut changes } => {
                let slice = left_ms.min(SLICE_MS);
                let before = census(s);
                if let Err(e) = s.apply(Operation::AdvanceClock, &json!({"Seconds": slice as f64 / 1000.0})) {
                    return (None, Some(Note::aws(e)));
                }
                changes.add(&clock_changes(&before, s));
                if left_ms > slice {
                    return (Some(Job::Advance { left_ms: left_ms - slice, total_ms, changes }), None);
                }
                let mut lines = vec![format!("Advanced the clock by {}.", duration(total_ms))];
                lines.extend(changes.sentences());
                if lines.len() == 1 {
                    lines.push("Nothing else happened.".into());
                }
                (None, Some(Note::Ok(lines.join(" "))))
            }
            Job::Burst { mut next, end, mut failed, base, what } => {
                let chunk = (end - next).min(BURST_BATCH);
                let request = burst_request(s, table, base, next..next + chunk);
                if s.apply_owned(Operation::BatchWriteItem, request).is_err() {
                    failed += chunk;
                }
                next += chunk;
                if next < end {
                    return (Some(Job::Burst { next, end, failed, base, what }), None);
                }
                let n = end - failed;
                (
                    None,
                    Some(if failed == 0 {
                        Note::Ok(format!("Wrote {} generated {what}, 25 per BatchWriteItem.", thousands(n.into())))
                    } else {
                        Note::error(
                            "ValidationException",
                            format!(
                                "Wrote {} generated {what}; {} could not be written.",
                                thousands(n.into()),
                                thousands(failed.into())
                            ),
                        )
                    }),
                )
            }
        }
    }

    /// The note when the learner cancels the job: what was done stays (Step back undoes it).
    pub fn cancelled(&self) -> Note {
        Note::Ok(match self {
            Job::Advance { left_ms, total_ms, .. } => format!(
                "Cancelled: the clock advanced {} of {}. Step back undoes that part.",
                duration(total_ms - left_ms),
                duration(*total_ms)
            ),
            Job::Burst { next, end, what, .. } => format!(
                "Cancelled: wrote {} of {} generated {what}. Step back undoes them.",
                thousands((*next).into()),
                thousands((*end).into())
            ),
        })
    }

    /// What the job has done so far, for a progress line.
    pub fn progress(&self) -> String {
        match self {
            Job::Advance { left_ms, total_ms, .. } => {
                format!("Advancing the clock: {} of {} done…", duration(total_ms - left_ms), duration(*total_ms))
            }
            Job::Burst { next, end, what, .. } => {
                format!("Writing {what}: {} of {}…", thousands((*next).into()), thousands((*end).into()))
            }
        }
    }
}

/// What the write generator makes for `table`: "votes" for the lab's Votes table (key
/// `voter`), else "items".
pub fn generated_word(s: &Session, table: &str) -> &'static str {
    match s.engine().table(table) {
        Some(t) if t.schema.hash.name != "voter" || t.schema.range.is_some() => "items",
        _ => "votes",
    }
}

/// A generated key value `id` of type `ty` for the attribute `name`: a number, or a string
/// "voter-000042" for a `voter` key and "item-000042" (or "sk-000042" for a sort key) for
/// another, or bytes.
fn generated_key(name: &str, ty: crate::model::KeyType, id: u32, range: bool) -> Value {
    match ty {
        crate::model::KeyType::N => json!({"N": id.to_string()}),
        crate::model::KeyType::B => {
            json!({"B": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, id.to_be_bytes())})
        }
        crate::model::KeyType::S if name == "voter" => json!({"S": format!("voter-{id:06}")}),
        crate::model::KeyType::S if range => json!({"S": format!("sk-{id:06}")}),
        crate::model::KeyType::S => json!({"S": format!("item-{id:06}")}),
    }
}

/// The BatchWriteItem of generated votes `base + i` for each `i` of `ids`, for `table`'s key
/// schema (its partition key and its sort key, [`generated_key`]); each vote's `choice` is one
/// of five drinks.
pub fn burst_request(s: &Session, table: &str, base: u32, ids: Range<u32>) -> Value {
    let schema = s.engine().table(table).map(|t| t.schema.clone());
    let puts: Vec<Value> = ids
        .map(|i| {
            let choice = ["tea", "coffee", "juice", "water", "streams"][(i as usize * 7 + i as usize / 5) % 5];
            let id = base + i;
            let mut item = Map::new();
            match &schema {
                Some(k) => {
                    item.insert(k.hash.name.clone(), generated_key(&k.hash.name, k.hash.ty, id, false));
                    if let Some(r) = &k.range {
                        item.insert(r.name.clone(), generated_key(&r.name, r.ty, id, true));
                    }
                }
                None => {
                    item.insert("voter".into(), json!({"S": format!("voter-{id:06}")}));
                }
            }
            item.insert("choice".into(), json!({ "S": choice }));
            json!({"PutRequest": {"Item": item}})
        })
        .collect();
    json!({"RequestItems": {table: puts}})
}

/// What the item editor starts with for `table`: the Votes example; for another table, its
/// first item, or else an item of its key attributes, and an update expression to try.
pub fn example_form(s: &Session, table: &str) -> WriteForm {
    let Some(t) = s.engine().table(table).filter(|t| t.schema.hash.name != "voter" || t.schema.range.is_some()) else {
        return WriteForm::example();
    };
    let item = match t.items.values().next() {
        Some(first) => item_to_json(first),
        None => {
            let mut item = Map::new();
            item.insert(t.schema.hash.name.clone(), generated_key(&t.schema.hash.name, t.schema.hash.ty, 1, false));
            if let Some(r) = &t.schema.range {
                item.insert(r.name.clone(), generated_key(&r.name, r.ty, 1, true));
            }
            Value::Object(item)
        }
    };
    // One attribute a line, as the Votes example is written.
    let lines: Vec<String> = match &item {
        Value::Object(m) => m.iter().map(|(k, v)| format!("  {}: {v}", Value::from(k.as_str()))).collect(),
        _ => Vec::new(),
    };
    WriteForm {
        item: format!("{{\n{}\n}}", lines.join(",\n")),
        update_expression: "SET note = :n".into(),
        values: r#"{":n": {"S": "changed"}}"#.into(),
        ..Default::default()
    }
}

/// "90 s", "25 hours", "1.5 s", "2 minutes".
pub fn duration(ms: u64) -> String {
    if ms.is_multiple_of(3_600_000) && ms > 0 {
        let h = ms / 3_600_000;
        return format!("{h} hour{}", if h == 1 { "" } else { "s" });
    }
    if ms.is_multiple_of(60_000) && ms > 0 {
        let m = ms / 60_000;
        return format!("{m} minute{}", if m == 1 { "" } else { "s" });
    }
    match ms % 1000 {
        0 => format!("{} s", ms / 1000),
        rest => {
            let fraction = format!("{rest:03}");
            format!("{}.{} s", ms / 1000, fraction.trim_end_matches('0'))
        }
    }
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
pub(crate) mod tests {
    use super::*;

    /// Puts a vote in the starter table (the view tests use it too).
    pub(crate) fn put(s: &mut Session, voter: &str, choice: &str) {
        s.apply(
            Operation::PutItem,
            &json!({"TableName": "Votes", "Item": {"voter": {"S": voter}, "choice": {"S": choice}}}),
        )
        .unwrap();
    }

    fn editor(item: &str) -> WriteForm {
        WriteForm { item: item.into(), ..WriteForm::example() }
    }

    #[test]
    fn each_write_says_how_many_stream_records_it_made() {
        let mut s = starter_session();
        let ana = editor(r#"{"voter": {"S": "ana"}, "choice": {"S": "tea"}}"#);
        assert_eq!(
            write(&mut s, "Votes", WriteOp::Put, &ana),
            Ok(Note::Ok("PutItem succeeded and wrote 1 stream record.".into()))
        );
        assert_eq!(
            write(&mut s, "Votes", WriteOp::Put, &ana),
            Ok(Note::Ok("PutItem succeeded. Nothing changed, so no stream record was written.".into()))
        );
        // Update and Delete send the key only: the other attributes of the editor's item stay out.
        assert_eq!(
            write(&mut s, "Votes", WriteOp::Update, &ana),
            Ok(Note::Ok("UpdateItem succeeded and wrote 1 stream record.".into()))
        );
        assert_eq!(
            write(&mut s, "Votes", WriteOp::Delete, &ana),
            Ok(Note::Ok("DeleteItem succeeded and wrote 1 stream record.".into()))
        );
        assert_eq!(
            write(&mut s, "Votes", WriteOp::Delete, &ana),
            Ok(Note::Ok("DeleteItem succeeded. No item had that key, so no stream record was written.".into()))
        );
        let steps = s.steps().len();
        let Err(Note::Error { kind, .. }) = write(&mut s, "Votes", WriteOp::Put, &editor(r#"{"voter": {"S": ""}}"#))
        else {
            panic!("an empty key is refused")
        };
        assert_eq!(kind, "ValidationException");
        let Err(Note::Error { kind, message }) = write(&mut s, "Votes", WriteOp::Put, &editor("{ not json")) else {
            panic!("bad JSON is not sent")
        };
        assert_eq!((kind.as_str(), message.starts_with("The item was not sent: ")), ("Not valid JSON", true));
        assert_eq!(s.steps().len(), steps, "nothing refused was recorded");
    }

    #[test]
    fn the_write_request_carries_only_the_expressions_in_use() {
        let s = starter_session();
        let form = WriteForm { condition_expression: " attribute_exists(voter) ".into(), ..editor(EXAMPLE_ITEM) };
        let put = write_request(&s, "Votes", WriteOp::Put, &form).unwrap();
        assert_eq!(put["ConditionExpression"], json!("attribute_exists(voter)"));
        assert!(put.get("UpdateExpression").is_none(), "a put has no update expression");
        assert_eq!(put["Item"]["choice"], json!({"S": "streams"}));
        let update = write_request(&s, "Votes", WriteOp::Update, &form).unwrap();
        assert_eq!(update["Key"], json!({"voter": {"S": "ana"}}));
        assert_eq!(update["UpdateExpression"], json!("SET choice = :c"));
        assert_eq!(update["ExpressionAttributeValues"], json!({":c": {"S": "lambda"}}));
        let plain = write_request(&s, "Votes", WriteOp::Put, &editor(EXAMPLE_ITEM)).unwrap();
        assert!(plain.get("ExpressionAttributeValues").is_none(), "no expression: no values sent");
        let keyless = write_request(&s, "Votes", WriteOp::Delete, &editor(r#"{"choice": {"S": "x"}}"#)).unwrap();
        assert_eq!(keyless["Key"], json!({"choice": {"S": "x"}}), "left for the engine to refuse");
        let bad = WriteForm { values: "{".into(), ..editor(EXAMPLE_ITEM) };
        let Err(Note::Error { message, .. }) = write_request(&s, "Votes", WriteOp::Update, &bad) else { panic!() };
        assert!(message.starts_with("ExpressionAttributeValues is not valid JSON: "), "{message}");
    }

    #[test]
    fn notes_of_the_view_type_switch_deploy_ttl_and_step_back() {
        let mut s = starter_session();
        assert_eq!(step_back(&mut s), None, "the starter table is not undone");
        assert_eq!(
            choose_view_type(&mut s, "Votes", "SOME_IMAGES"),
            Err(Note::error("ValidationException", "Unknown view type SOME_IMAGES"))
        );
        let Ok(Note::Ok(note)) = choose_view_type(&mut s, "Votes", "NEW_IMAGE") else { panic!() };
        assert!(note.contains("a new NEW_IMAGE stream enabled"), "{note}");
        assert_eq!(
            deploy_rules(&mut s, "Votes", DEFAULT_FUNCTION, "on INSERT\n  count n", &json!({})),
            Note::Ok(
                "Deployed trigger on the stream of Votes. Lambda polls the stream as the clock runs: press Play, Step or Advance clock.".into()
            )
        );
        assert_eq!(
            deploy_rules(&mut s, "Votes", DEFAULT_FUNCTION, "on MODIFY\n  count votes by choice", &json!({})),
            Note::Ok("Deployed trigger, with 1 warning: see above.".into())
        );
        assert!(deploy_rules(&mut s, "Votes", DEFAULT_FUNCTION, "on INSERT\n  count", &json!({})).is_error());
        let Note::Ok(ttl) = enable_ttl(&mut s, "Votes", " expires ") else { panic!() };
        assert!(ttl.starts_with("Time to live is on: an item whose expires (epoch seconds)"), "{ttl}");
        assert_eq!(
            step_back(&mut s),
            Some(Note::Ok("Undid the last action (the session was replayed without it).".into()))
        );
        assert!(tick(&mut s, 0.5).is_ok());
        assert!(tick(&mut s, -1.0).unwrap_err().is_error());
    }

    /// Issue 21: an import whose steps fail said "2 steps replayed" and nothing about the
    /// three that failed. Each failed step is named with its error, as `streamlab replay` does.
    #[test]
    fn an_import_names_each_failed_step_and_its_error() {
        let scenario = json!({"steps": [
            {"CreateTable": {"TableName": "Tab", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}},
            {"PutItem": {"TableName": "Tab", "Item": {"other": {"S": "x"}}}},
            {"PutItem": {"TableName": "Tab", "Item": {"id": {"S": "a"}}}},
            {"DeleteItem": {"TableName": "Nope", "Key": {"id": {"S": "a"}}}},
            {"UpdateItem": {"TableName": "Tab", "Key": {"id": {"S": "a"}}, "UpdateExpression": "SET"}}
        ]});
        let (session, note) = import(&scenario.to_string(), "mine.json").unwrap();
        assert_eq!(session.steps().len(), 2, "{note}");
        assert!(note.starts_with("Imported mine.json: 2 steps replayed; 3 steps failed and changed nothing: step 2 (PutItem): ValidationException: "), "{note}");
        assert!(note.contains("; step 4 (DeleteItem): ResourceNotFoundException: "), "{note}");
        assert!(note.contains("; step 5 (UpdateItem): ValidationException: "), "{note}");
        // Many failures: the first five, then how many more.
        let mut steps = vec![scenario["steps"][0].clone()];
        steps.extend((0..8).map(|_| scenario["steps"][1].clone()));
        let (_, note) = import(&json!({ "steps": steps }).to_string(), "many.json").unwrap();
        assert!(note.contains("8 steps failed") && note.ends_with("; and 3 more."), "{note}");
        assert_eq!(note.matches("(PutItem)").count(), 5, "{note}");
    }

    #[test]
    fn imports_and_the_previous_lab() {
        let mut s = starter_session();
        assert_eq!(previous_to_keep(&s), Err(Previous::Nothing));
        put(&mut s, "ana", "tea");
        let kept = previous_to_keep(&s).unwrap();
        assert_eq!(Session::from_storage(&kept).unwrap().steps().len(), 2);
        let (imported, note) = import(&s.to_scenario_json().to_string(), "mine.json").unwrap();
        assert_eq!(imported.steps().len(), 2);
        assert_eq!(replaced_note(&note, Previous::Kept),
            "Imported mine.json: 2 steps replayed. Your previous lab was kept: Files › Restore previous lab brings it back.");
        let Err(Note::Error { kind, message }) = import("{ not a scenario", "the pasted scenario") else { panic!() };
        assert_eq!(kind, "Import failed");
        assert!(message.starts_with("the pasted scenario was not imported: "), "{message}");
        assert_eq!(restore(Some(&kept)).unwrap().steps().len(), 2);
        assert_eq!(
            restore(None).err().unwrap(),
            Note::error("Restore failed", "There is no previous lab in this browser.")
        );
        assert!(
            matches!(restore(Some("{")), Err(Note::Error { message, .. }) if message.starts_with("The previous lab could not be read: "))
        );
        assert_eq!(replaced_note(RESTORED, Previous::Nothing), "Restored the previous lab.");
        assert_eq!(
            replaced_note(STARTED_OVER, Previous::TooBig),
            "Started a new lab. Your previous lab was over 2 MB, too big to keep in this browser, so it was downloaded as streamlab-previous-lab.json: import it to bring it back."
        );
        assert!(
            Previous::Downloaded.sentence().contains(PREVIOUS_FILE)
                && Previous::TooBig.sentence().contains(PREVIOUS_FILE)
        );
        assert!(not_restored("it is old", "k")
            .starts_with("Your saved session could not be restored (it is old). It was set aside under the key \"k\""));
        assert_eq!(first_table(&s), "Votes");
        assert_eq!(first_table(&import(r#"{"steps": []}"#, "x").unwrap().0), "Votes", "no table yet: the default name");
    }

    #[test]
    fn a_burst_writes_new_voters_25_at_a_time() {
        let mut s = starter_session();
        put(&mut s, "ana", "tea");
        let mut job = Some(Job::burst(&s, "Votes", 60));
        assert!(job.as_ref().unwrap().is_fresh_burst());
        let mut progress = Vec::new();
        let mut note = None;
        while let Some(j) = job.take() {
            progress.push(j.progress());
            (job, note) = j.step(&mut s, "Votes");
        }
        assert_eq!(progress, ["Writing votes: 0 of 60…", "Writing votes: 25 of 60…", "Writing votes: 50 of 60…"]);
        assert_eq!(note, Some(Note::Ok("Wrote 60 generated votes, 25 per BatchWriteItem.".into())));
        assert_eq!(s.engine().table("Votes").unwrap().items.len(), 61);
        // Numbered after the items already there: a second burst makes new voters again.
        let Job::Burst { base, .. } = Job::burst(&s, "Votes", 10) else { panic!() };
        assert_eq!(base, 61);
        let request = burst_request(&s, "Votes", 61, 0..2);
        let puts = request["RequestItems"]["Votes"].as_array().unwrap();
        assert_eq!(puts[0]["PutRequest"]["Item"], json!({"voter": {"S": "voter-000061"}, "choice": {"S": "tea"}}));
        assert_eq!(puts[1]["PutRequest"]["Item"]["choice"], json!({"S": "juice"}));
    }

    #[test]
    fn a_burst_follows_the_key_schema_and_says_when_it_cannot() {
        let mut s = Session::new(EngineConfig::default());
        for (name, key, ty) in [("Nums", "id", "N"), ("Strs", "sku", "S")] {
            s.apply(Operation::CreateTable, &json!({"TableName": name, "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": key, "AttributeType": ty}], "BillingMode": "PAY_PER_REQUEST"})).unwrap();
        }
        s.apply(Operation::CreateTable, &json!({"TableName": "Pairs", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"})).unwrap();
        assert_eq!(
            burst_request(&s, "Nums", 0, 7..8)["RequestItems"]["Nums"][0]["PutRequest"]["Item"]["id"],
            json!({"N": "7"})
        );
        assert_eq!(
            burst_request(&s, "Strs", 0, 7..8)["RequestItems"]["Strs"][0]["PutRequest"]["Item"]["sku"],
            json!({"S": "item-000007"})
        );
        // A sort key gets a generated value too, so every generated item is written.
        let (job, note) = Job::burst(&s, "Pairs", 30).step(&mut s, "Pairs");
        let (job, note2) = job.unwrap().step(&mut s, "Pairs");
        assert!(job.is_none() && note.is_none());
        assert_eq!(note2, Some(Note::Ok("Wrote 30 generated items, 25 per BatchWriteItem.".into())));
        assert_eq!(s.engine().table("Pairs").unwrap().items.len(), 30);
        assert_eq!(
            burst_request(&s, "Pairs", 0, 7..8)["RequestItems"]["Pairs"][0]["PutRequest"]["Item"]["sk"],
            json!({"S": "sk-000007"})
        );
    }

    /// A cancelled burst or advance says what was done (and stays done); counts are written with
    /// thousands separators.
    #[test]
    fn a_cancelled_job_says_what_it_did() {
        let mut s = starter_session();
        let mut job = Job::burst(&s, "Votes", 10_000);
        for _ in 0..50 {
            job = job.step(&mut s, "Votes").0.unwrap();
        }
        assert_eq!(job.progress(), "Writing votes: 1,250 of 10,000…");
        assert_eq!(
            job.cancelled(),
            Note::Ok("Cancelled: wrote 1,250 of 10,000 generated votes. Step back undoes them.".into())
        );
        assert_eq!(s.engine().table("Votes").unwrap().items.len(), 1_250);
        let session = std::rc::Rc::new(std::cell::RefCell::new(s));
        assert_eq!(crate::teach::view::StreamRecords::new(&session, "Votes", 0).label(), "1,250 records");
        let mut s = starter_session();
        let job = Job::advance(3.0 * 3600.0).unwrap().step(&mut s, "Votes").0.unwrap();
        assert_eq!(
            job.cancelled(),
            Note::Ok("Cancelled: the clock advanced 1 hour of 3 hours. Step back undoes that part.".into())
        );
    }

    /// Issue 21: on a lesson's table (key `id`) the editor held the Votes item, so "Put item"
    /// failed with "Missing the key id". The editor starts from the selected table's keys.
    #[test]
    fn the_editor_starts_with_an_item_of_the_tables_key_schema() {
        let mut s = starter_session();
        assert_eq!(example_form(&s, "Votes"), WriteForm::example());
        s.apply(Operation::CreateTable, &json!({"TableName": "Pairs", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}], "BillingMode": "PAY_PER_REQUEST"})).unwrap();
        let form = example_form(&s, "Pairs");
        assert_eq!(form.item, "{\n  \"pk\": {\"S\":\"item-000001\"},\n  \"sk\": {\"N\":\"1\"}\n}");
        let item: Value = serde_json::from_str(&form.item).unwrap();
        assert_eq!(item, json!({"pk": {"S": "item-000001"}, "sk": {"N": "1"}}));
        assert!(write(&mut s, "Pairs", WriteOp::Put, &form).is_ok(), "the example puts");
        assert!(write(&mut s, "Pairs", WriteOp::Update, &form).is_ok(), "and updates");
        // With items, the first one (the lesson's own data shape).
        s.apply(
            Operation::PutItem,
            &json!({"TableName": "Pairs", "Item": {"pk": {"S": "a"}, "sk": {"N": "0"}, "qty": {"N": "3"}}}),
        )
        .unwrap();
        let item: Value = serde_json::from_str(&example_form(&s, "Pairs").item).unwrap();
        assert_eq!(item["qty"], json!({"N": "3"}));
        assert_eq!(generated_word(&s, "Pairs"), "items");
        assert_eq!(generated_word(&s, "Votes"), "votes");
    }

    #[test]
    fn a_long_advance_goes_an_hour_a_step_and_tells_what_happened() {
        let mut s = starter_session();
        for bad in [0.0, 0.0004, -1.0, f64::NAN, f64::INFINITY, MAX_ADVANCE_SECONDS as f64 + 1.0] {
            assert_eq!(
                Job::advance(bad),
                Err(Note::error("ValidationException", "Seconds must be a number from 0.001 to one year (31622400)."))
            );
        }
        let mut job = Some(Job::advance(90_000.0).unwrap());
        assert!(!job.as_ref().unwrap().is_burst());
        let (mut steps, mut note, mut second) = (0, None, String::new());
        while let Some(j) = job.take() {
            (job, note) = j.step(&mut s, "Votes");
            steps += 1;
            if steps == 1 {
                second = job.as_ref().unwrap().progress();
            }
        }
        assert_eq!(steps, 25);
        assert_eq!(second, "Advancing the clock: 1 hour of 25 hours done…");
        assert_eq!(note, Some(Note::Ok("Advanced the clock by 25 hours. 6 new shards opened: shards roll over about every 4 hours, each child pointing to its parent.".into())));
        let (job, note) = Job::advance(1.5).unwrap().step(&mut s, "Votes");
        assert!(job.is_none());
        assert_eq!(note, Some(Note::Ok("Advanced the clock by 1.5 s. Nothing else happened.".into())));
        // The limit is the engine's.
        assert!(s.apply(Operation::AdvanceClock, &json!({"Seconds": MAX_ADVANCE_SECONDS})).is_ok());
        assert!(s.apply(Operation::AdvanceClock, &json!({"Seconds": MAX_ADVANCE_SECONDS + 1})).is_err());
    }

    #[test]
    fn durations_read_as_a_person_would_say_them() {
        assert_eq!(duration(3_600_000), "1 hour");
        assert_eq!(duration(90_000_000), "25 hours");
        assert_eq!(duration(120_000), "2 minutes");
        assert_eq!(duration(90_000), "90 s");
        assert_eq!(duration(1_500), "1.5 s");
        assert_eq!(duration(1), "0.001 s");
        assert_eq!(duration(0), "0 s");
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
    fn aggregates_of_two_functions_are_merged_by_name_as_replay_prints_them() {
        let mut s = starter_session();
        let a = "on INSERT\n  count votes by choice\non INSERT\n  count voters by voter";
        deploy(&mut s, "Votes", "a", a, &json!({})).unwrap();
        deploy(&mut s, "Votes", "b", "on INSERT\n  count votes by voter", &json!({})).unwrap();
        put(&mut s, "ana", "tea");
        put(&mut s, "ben", "tea");
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 1})).unwrap();
        let e = s.engine();
        // The later function's "votes" in the place of the first's.
        let want = json!({"voters": {"ana": 1, "ben": 1}, "votes": {"ana": 1, "ben": 1}});
        assert_eq!(e.aggregates_output(), want);
        assert_eq!(e.aggregates_output().to_string(), want.to_string(), "the same order");
        let names: Vec<(&str, usize)> = e.aggregates().iter().map(|(n, g)| (*n, g.len())).collect();
        assert_eq!(names, [("voters", 2), ("votes", 2)]);
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

    #[test]
    fn the_stream_is_disabled_and_enabled_again_with_a_new_arn() {
        let mut s = starter_session();
        let arn =
            |s: &Session| s.engine().table("Votes").and_then(|t| t.stream).map(|i| s.engine().streams()[i].arn.clone());
        let first = arn(&s).unwrap();
        let Ok(Note::Ok(note)) = disable_stream(&mut s, "Votes") else { panic!() };
        assert!(note.starts_with("Stream of Votes disabled: new writes are not recorded"), "{note}");
        assert_eq!(view_type(&s, "Votes"), None);
        // A write now makes no record.
        put(&mut s, "ana", "tea");
        assert_eq!(census(&s).written, 0);
        assert_eq!(
            disable_stream(&mut s, "Votes"),
            Ok(Note::Ok("The stream is already disabled: nothing to change.".into()))
        );
        assert!(disable_stream(&mut s, "Nope").unwrap_err().is_error());
        let Ok(Note::Ok(note)) = choose_view_type(&mut s, "Votes", "KEYS_ONLY") else { panic!() };
        assert!(note.starts_with("Stream enabled with view type KEYS_ONLY: a new stream, with a new ARN."), "{note}");
        assert_eq!(view_type(&s, "Votes"), Some(ViewType::KeysOnly));
        assert_ne!(arn(&s).unwrap(), first);
        // A function's mapping stays on the disabled stream; Deploy attaches it to the new one.
        deploy(&mut s, "Votes", DEFAULT_FUNCTION, "on INSERT\n  count n", &json!({})).unwrap();
        disable_stream(&mut s, "Votes").unwrap();
        let Ok(Note::Ok(note)) = choose_view_type(&mut s, "Votes", "NEW_IMAGE") else { panic!() };
        assert!(
            note.ends_with("Mappings of the old stream stay on it: Deploy attaches a function to this one."),
            "{note}"
        );
        let on_current = |s: &Session| {
            let current = s.engine().table("Votes").and_then(|t| t.stream);
            s.engine().lambda().mappings.iter().filter(|m| Some(m.stream) == current).count()
        };
        assert_eq!(on_current(&s), 0);
        deploy_rules(&mut s, "Votes", DEFAULT_FUNCTION, "on INSERT\n  count n", &json!({}));
        assert_eq!(on_current(&s), 1);
    }

    #[test]
    fn tables_are_created_with_their_key_schema_and_deleted() {
        let mut s = starter_session();
        let form = TableForm {
            name: " Orders ".into(),
            hash: "pk".into(),
            hash_type: "S".into(),
            range: "sk".into(),
            range_type: "N".into(),
            stream: false,
            view: "NEW_IMAGE".into(),
        };
        assert_eq!(
            create_table(&mut s, &form),
            Ok(Note::Ok("CreateTable succeeded: Orders, with no stream: its writes are never streamed.".into()))
        );
        let t = s.engine().table("Orders").unwrap();
        assert_eq!((t.schema.hash.name.as_str(), t.schema.range.as_ref().map(|r| r.name.as_str())), ("pk", Some("sk")));
        assert_eq!(view_type(&s, "Orders"), None);
        // The same name again, or a name AWS refuses: the engine's error, nothing created.
        assert!(create_table(&mut s, &form).unwrap_err().is_error());
        let Err(Note::Error { kind, .. }) =
            create_table(&mut s, &TableForm { name: "a b".into(), ..TableForm::default() })
        else {
            panic!()
        };
        assert_eq!(kind, "ValidationException");
        assert!(create_table(&mut s, &TableForm { name: "Audit".into(), hash: String::new(), ..TableForm::default() })
            .is_err());
        let Ok(Note::Ok(note)) = create_table(&mut s, &TableForm { name: "Audit".into(), ..TableForm::default() })
        else {
            panic!()
        };
        assert_eq!(note, "CreateTable succeeded: Audit, its stream on with view type NEW_AND_OLD_IMAGES.");
        assert_eq!(view_type(&s, "Audit"), Some(ViewType::NewAndOldImages));
        let Ok(Note::Ok(note)) = delete_table(&mut s, "Audit") else { panic!() };
        assert!(note.contains("its stream is disabled, and its records stay readable for 24 hours"), "{note}");
        assert!(s.engine().table("Audit").is_none());
        assert!(delete_table(&mut s, "Audit").unwrap_err().is_error());
        assert_eq!(table_or_first(&s, "Audit"), "Votes");
        assert_eq!(table_or_first(&s, "Orders"), "Orders");
    }

    #[test]
    fn deploy_goes_to_the_chosen_function_on_the_table_it_reads() {
        let mut s = starter_session();
        assert_eq!(first_function(&s), DEFAULT_FUNCTION);
        create_table(&mut s, &TableForm { name: "Orders".into(), ..TableForm::default() }).unwrap();
        deploy(&mut s, "Orders", "audit", "on INSERT\n  count orders", &json!({})).unwrap();
        assert_eq!(first_function(&s), "audit");
        assert_eq!(function_table(&s, "audit", "Votes"), "Orders");
        assert_eq!(function_table(&s, "new-one", "Votes"), "Votes");
        // Deployed from the Votes table's page, it still goes to Orders' stream.
        let note = deploy_rules(&mut s, "Votes", "audit", "on INSERT, MODIFY\n  count orders", &json!({}));
        assert!(matches!(&note, Note::Ok(n) if n.starts_with("Deployed audit on the stream of Orders.")), "{note:?}");
        let e = s.engine();
        assert_eq!(e.lambda().functions.get("audit").unwrap().code, "on INSERT, MODIFY\n  count orders");
        assert_eq!(e.lambda().mappings.len(), 1, "the mapping was updated, not doubled");
        delete_table(&mut s, "Orders").unwrap();
        assert_eq!(function_table(&s, "audit", "Votes"), "Votes", "not a deleted table");
    }
}
