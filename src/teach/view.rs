//! What the page shows, as plain data: each panel of the browser app renders one of these view
//! structs (strings, numbers, and the shared records the record dialog opens), built here from
//! the learner's session. The page itself reads nothing of the engine: the sentences, counts and
//! choices of what to show live here, where native tests check what the learner would see.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{json, Map, Value};

use crate::lang::rules;

use crate::model::{item_to_json, AttributeValue, Item, ViewType};
use crate::sim::{Record, Stage, HISTORY_LIMIT};
use crate::support::time;
pub use crate::teach::lab::Note;
use crate::teach::lab::{self, DiffKind};
use crate::teach::quiz::{Mode, Summary};
use crate::teach::session::{Session, MAX_INPUT_BYTES};

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// "ana" for {"voter": {"S": "ana"}}; several key values joined by " / ".
pub fn key_text(keys: &Item) -> String {
    keys.values()
        .map(|v| match v {
            AttributeValue::S(s) => s.clone(),
            other => other.to_json().to_string(),
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// A value in a cell: a string or number as itself, anything else as DynamoDB JSON.
fn cell_text(v: &Value) -> String {
    match v.as_object().and_then(|o| o.iter().next()) {
        Some((t, Value::String(s))) if t == "S" || t == "N" => s.clone(),
        Some((_, v)) => v.to_string(),
        None => v.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The clock bar and the Files panel

/// The clock bar: simulated time, the session's length, whether Step back can undo anything.
#[derive(Clone, Debug, PartialEq)]
pub struct ClockView {
    pub time: String,
    pub steps: String,
    pub can_step_back: bool,
}

pub fn clock(s: &Session) -> ClockView {
    let steps = s.steps().len();
    ClockView {
        time: time::iso_seconds(s.engine().now_ms()),
        steps: format!("{steps} step{} in this session", plural(steps)),
        can_step_back: steps > 1,
    }
}

/// The Files panel's line about saving: whether the lab is still saved in the browser.
#[derive(Clone, Debug, PartialEq)]
pub struct FilesView {
    pub saved: bool,
    pub hint: String,
}

/// `save_error`: why the browser refused the last save, if it did.
pub fn files(s: &Session, save_error: Option<&str>) -> FilesView {
    let saved = s.fits_storage() && save_error.is_none();
    let hint = if let Some(why) = save_error.filter(|_| s.fits_storage()) {
        crate::teach::lab::not_saved(why)
    } else if saved {
        "Your session is saved in this browser after every change. Export it as a scenario file to keep it or share it."
            .to_string()
    } else {
        format!(
            "This lab is now over {} MB, more than this browser keeps: it is no longer saved here (a reload brings back the lab as it was last saved). Export it as a scenario file to keep it.",
            MAX_INPUT_BYTES / (1024 * 1024)
        )
    };
    FilesView { saved, hint }
}

// ---------------------------------------------------------------------------------------------
// The table panel

/// Items the grid shows at most.
pub const GRID_ROWS: usize = 50;
/// Attribute columns the grid shows at most.
const GRID_COLUMNS: usize = 6;

/// The table panel: which tables there are, the chosen one's key, its first items, its TTL.
#[derive(Clone, Debug, PartialEq)]
pub struct TableView {
    pub name: String,
    /// Every table, when there are several to choose from; else empty.
    pub tables: Vec<String>,
    pub key_names: Vec<String>,
    /// The first [`GRID_ROWS`] items, in key order.
    pub items: Vec<Rc<Item>>,
    /// The table has no item (the grid says so).
    pub empty: bool,
    /// "Showing the first 50 of 120 items.", under the grid, when there are more.
    pub more: Option<String>,
    pub ttl_attribute: Option<String>,
    pub now_s: u64,
    /// What the item editor starts with for this table (its key schema).
    pub example: lab::WriteForm,
    /// What the write generator makes: "votes" or "items".
    pub generated: &'static str,
}

pub fn table(s: &Session, name: &str) -> TableView {
    let e = s.engine();
    let mut tables: Vec<String> = e.tables().map(|t| t.name.clone()).collect();
    if tables.len() < 2 {
        tables.clear();
    }
    let (key_names, items, total, ttl_attribute) = match e.table(name) {
        Some(t) => {
            let mut keys = vec![t.schema.hash.name.clone()];
            keys.extend(t.schema.range.as_ref().map(|r| r.name.clone()));
            (keys, t.items.values().take(GRID_ROWS).cloned().collect(), t.items.len(), t.ttl_attribute.clone())
        }
        None => (Vec::new(), Vec::new(), 0, None),
    };
    TableView {
        name: name.to_string(),
        tables,
        key_names,
        items,
        empty: total == 0,
        more: (total > GRID_ROWS)
            .then(|| format!("Showing the first {GRID_ROWS} of {} items.", lab::thousands(total as u64))),
        ttl_attribute,
        now_s: e.now_ms() / 1000,
        example: lab::example_form(s, name),
        generated: lab::generated_word(s, name),
    }
}

impl TableView {
    /// The key attributes' names: "voter", "pk, sk".
    pub fn keys(&self) -> String {
        self.key_names.join(", ")
    }

    /// After the table's name when there is no table to choose: " · key voter".
    pub fn key_line(&self) -> String {
        format!(" · key {}", self.keys())
    }

    /// The summary of the TTL settings.
    pub fn ttl_summary(&self) -> String {
        match &self.ttl_attribute {
            Some(a) => format!("Time to live: on, attribute {a}"),
            None => "Time to live: off".to_string(),
        }
    }

    /// What TTL does, with an item to try; `typed`: the attribute in the TTL field.
    pub fn ttl_hint(&self, typed: &str) -> String {
        let now_s = self.now_s;
        format!(
            "Simulated now is {now_s} in epoch seconds. An item whose TTL attribute (a number of epoch seconds) is in the past is deleted by the TTL service within minutes; its REMOVE record says so. Try \"+1 h\" after putting one with {}: {{\"N\": \"{}\"}}.",
            self.ttl_attribute.as_deref().unwrap_or(typed),
            now_s + 60
        )
    }
}

/// The item grid: key columns first, then other attributes (at most six columns).
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub columns: Vec<String>,
    pub rows: Vec<GridRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GridRow {
    pub cells: Vec<String>,
    /// The Edit button's label: "Edit ana".
    pub edit_label: String,
    /// The item as the editor takes it (pretty DynamoDB JSON).
    pub json: String,
}

pub fn grid(items: &[Rc<Item>], key_names: &[String]) -> Grid {
    let items: Vec<Value> = items.iter().map(|i| item_to_json(i)).collect();
    let mut columns = key_names.to_vec();
    for item in &items {
        for k in item.as_object().into_iter().flat_map(|o| o.keys()) {
            if columns.len() < GRID_COLUMNS && !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let rows = items
        .iter()
        .map(|item| GridRow {
            cells: columns.iter().map(|c| item.get(c).map(cell_text).unwrap_or_default()).collect(),
            edit_label: format!(
                "Edit {}",
                key_names.iter().map(|k| cell_text(&item[k])).collect::<Vec<_>>().join(" / ")
            ),
            json: format!("{item:#}"),
        })
        .collect();
    Grid { columns, rows }
}

/// The types the editor's form mode offers.
pub const ATTRIBUTE_TYPES: [&str; 10] = ["S", "N", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "B"];

/// One attribute row of the item editor's form mode.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AttrRow {
    pub name: String,
    pub ty: String,
    pub value: String,
}

/// The rows of an item's DynamoDB JSON, or why the form cannot show it.
pub fn rows_from_json(text: &str) -> Result<Vec<AttrRow>, String> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("The JSON has an error ({e}): fix it in JSON mode first."))?;
    let Value::Object(m) = v else { return Err("The item must be a JSON object: fix it in JSON mode first.".into()) };
    Ok(m.into_iter()
        .map(|(name, av)| {
            let (ty, value) = match (&av, av.as_object().and_then(|o| o.iter().next())) {
                (Value::Object(o), Some((t, v))) if o.len() == 1 => {
                    let value = match (t.as_str(), v) {
                        ("S" | "N" | "B", Value::String(s)) => s.clone(),
                        ("BOOL", Value::Bool(b)) => b.to_string(),
                        ("NULL", _) => String::new(),
                        (_, v) => v.to_string(),
                    };
                    (t.clone(), value)
                }
                _ => ("M".into(), av.to_string()),
            };
            AttrRow { name, ty, value }
        })
        .collect())
}

/// The item's DynamoDB JSON from the form's rows.
pub fn rows_to_json(rows: &[AttrRow]) -> String {
    let mut m = Map::new();
    for r in rows {
        let v = match r.ty.as_str() {
            "S" | "N" | "B" => json!(r.value),
            // Anything but true or false goes as typed, for the engine to refuse with its message.
            "BOOL" => match r.value.trim() {
                "true" => json!(true),
                "false" => json!(false),
                _ => json!(r.value),
            },
            "NULL" => json!(true),
            _ => serde_json::from_str(&r.value).unwrap_or_else(|_| json!(r.value)),
        };
        m.insert(r.name.clone(), json!({ r.ty.clone(): v }));
    }
    format!("{:#}", Value::Object(m))
}

// ---------------------------------------------------------------------------------------------
// The stream panel

/// The stream panel: the table's current stream (else its latest one), its shards and the
/// newest change under every view type.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamView {
    /// "ENABLED", "DISABLED", …, or "NONE".
    pub status: &'static str,
    /// The view type of the enabled stream.
    pub view_type: Option<ViewType>,
    pub describe: &'static str,
    /// Empty when the table never had a stream.
    pub arn: String,
    pub shards_title: String,
    pub shards: Vec<ShardLine>,
    /// About the table's older, disabled streams.
    pub older: Option<String>,
    pub newest: Option<Compare>,
}

/// A shard in lineage order: its id, its parent, then " · open · 3 records · opened …".
#[derive(Clone, Debug, PartialEq)]
pub struct ShardLine {
    pub id: String,
    pub parent: Option<String>,
    pub text: String,
}

/// The newest change as each view type would have recorded it.
#[derive(Clone, Debug, PartialEq)]
pub struct Compare {
    pub title: String,
    pub cards: Vec<CompareCard>,
}

/// One view type's card: Keys, NewImage and OldImage in short form, or None when absent.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareCard {
    pub view: &'static str,
    pub parts: [(&'static str, Option<String>); 3],
}

/// The four view types, in the order the switch offers them.
pub fn view_types() -> [&'static str; 4] {
    ViewType::ALL.map(ViewType::as_str)
}

/// The stream a panel shows: the table's current stream, else its latest one.
fn shown_stream(s: &Session, table: &str) -> Option<usize> {
    let t = s.engine().table(table)?;
    t.stream.or(t.latest_stream)
}

pub fn stream(s: &Session, table: &str) -> StreamView {
    let e = s.engine();
    let view_type = lab::view_type(s, table);
    let describe =
        view_type.map(|v| v.describe()).unwrap_or("The stream is disabled: choose a view type to enable one.");
    let Some(st) = shown_stream(s, table).map(|i| &e.streams()[i]) else {
        return StreamView {
            status: "NONE",
            view_type,
            describe,
            arn: String::new(),
            shards_title: String::new(),
            shards: Vec::new(),
            older: None,
            newest: None,
        };
    };
    let shards: Vec<ShardLine> = st
        .lineage_order()
        .into_iter()
        .map(|i| {
            let sh = &st.shards[i];
            let n = sh.records.len();
            ShardLine {
                id: sh.id.clone(),
                parent: sh.parent.clone(),
                text: format!(
                    " · {} · {} record{} · opened {}",
                    if sh.is_open() { "open" } else { "closed" },
                    lab::thousands(n as u64),
                    plural(n),
                    time::iso_seconds(sh.created_ms)
                ),
            }
        })
        .collect();
    let newest = st.shards.iter().filter_map(|sh| sh.records.back()).max_by_key(|r| (r.created_ms, r.seq));
    let older = e.streams().iter().filter(|o| o.table_name == table && o.arn != st.arn).count();
    StreamView {
        status: st.status_str(),
        view_type,
        describe,
        arn: st.arn.clone(),
        shards_title: format!("Shards ({}) and their lineage", shards.len()),
        shards,
        older: (older > 0).then(|| {
            let one = older == 1;
            format!(
                "{older} older stream{} of this table {} disabled: {} records stay readable for 24 hours, but new changes only go to the stream above.",
                plural(older),
                if one { "is" } else { "are" },
                if one { "its" } else { "their" }
            )
        }),
        newest: newest.map(|r| compare(r, &e.cfg.region)),
    }
}

fn compare(record: &Record, region: &str) -> Compare {
    let cards = lab::compare_views(record, region)
        .iter()
        .map(|(v, json)| {
            let d = &json["dynamodb"];
            let part = |name: &'static str| (name, d.get(name).map(image_text));
            CompareCard { view: v.as_str(), parts: [part("Keys"), part("NewImage"), part("OldImage")] }
        })
        .collect();
    Compare {
        title: format!(
            "The newest change ({} {}) under every view type",
            record.event_name.as_str(),
            key_text(&record.keys())
        ),
        cards,
    }
}

/// An image in short form: `choice: tea, voter: ana` (other types as DynamoDB JSON).
fn image_text(img: &Value) -> String {
    img.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let shown = match v.as_object().and_then(|o| o.iter().next()) {
                        Some((t, Value::String(s))) if t == "S" || t == "N" => s.clone(),
                        _ => v.to_string(),
                    };
                    format!("{k}: {shown}")
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|| img.to_string())
}

/// The records of the stream a panel shows, read a window at a time (a stream may retain
/// 100,000). Equal while the session has not changed.
#[derive(Clone)]
pub struct StreamRecords {
    session: Rc<RefCell<Session>>,
    stream: Option<usize>,
    /// How many records the stream holds.
    pub len: usize,
    /// What the list says when it is empty: why there are no records.
    pub empty: &'static str,
    /// The session's version when this was made.
    stamp: u64,
}

impl PartialEq for StreamRecords {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session)
            && (self.stream, self.len, self.stamp) == (other.stream, other.len, other.stamp)
    }
}

/// A record's row in the list.
#[derive(Clone, Debug)]
pub struct RecordRow {
    pub record: Rc<Record>,
    pub event: &'static str,
    /// The keys as one-line DynamoDB JSON.
    pub keys: String,
    pub seq: String,
    /// "new image ✓" or "no new image", then the same for the old image; true when there.
    pub images: [(bool, String); 2],
    pub ttl: bool,
}

impl StreamRecords {
    /// The records of `table`'s shown stream in `session`, whose version is `stamp`.
    pub fn new(session: &Rc<RefCell<Session>>, table: &str, stamp: u64) -> StreamRecords {
        let s = session.borrow();
        let stream = shown_stream(&s, table);
        let st = stream.map(|i| &s.engine().streams()[i]);
        let len = st.map_or(0, |st| st.shards.iter().map(|sh| sh.records.len()).sum());
        let items = s.engine().table(table).is_some_and(|t| !t.items.is_empty());
        let empty = match st {
            None => "This table has no stream, so its writes make no records: choose a view type above to enable one.",
            Some(st) if st.status_str() != "ENABLED" => {
                "This stream is disabled: writes make no records now. Choose a view type above to enable a new stream."
            }
            Some(st) if st.shards.iter().any(|sh| sh.trimmed_through > 0) => {
                "No records left: each was trimmed once it was older than 24 hours (DynamoDB Streams keeps a \
                 record 24 hours). Put an item to write a new one."
            }
            Some(_) if items => {
                "No records yet: the items in the table were written before this stream was enabled. Put an item to \
                 write one."
            }
            Some(_) => "No records yet. Put an item to write one.",
        };
        StreamRecords { session: session.clone(), stream, len, empty, stamp }
    }

    /// "1 record", "12 records".
    pub fn label(&self) -> String {
        format!("{} record{}", lab::thousands(self.len as u64), plural(self.len))
    }

    /// Records `first .. first + n`, oldest first, in lineage order of their shards.
    pub fn rows(&self, first: usize, n: usize) -> Vec<RecordRow> {
        let s = self.session.borrow();
        let Some(st) = self.stream.and_then(|i| s.engine().streams().get(i)) else { return Vec::new() };
        // Whole shards before the window are stepped over by their lengths, so drawing the
        // newest rows of 100,000 does not walk them all.
        let mut skip = first;
        let mut shards = st.lineage_order().into_iter().map(|i| &st.shards[i].records).peekable();
        while let Some(r) = shards.next_if(|r| skip >= r.len()) {
            skip -= r.len();
        }
        shards.flat_map(|r| r.iter()).skip(skip).take(n).map(record_row).collect()
    }
}

fn record_row(r: &Rc<Record>) -> RecordRow {
    let image = |name: &str, has: bool| (has, if has { format!("{name} ✓") } else { format!("no {name}") });
    RecordRow {
        record: r.clone(),
        event: r.event_name.as_str(),
        keys: item_to_json(&r.keys()).to_string(),
        seq: r.seq.to_string(),
        images: [image("new image", r.has_new_image()), image("old image", r.has_old_image())],
        ttl: r.ttl,
    }
}

// ---------------------------------------------------------------------------------------------
// The detail dialog

/// Something opened for reading in the detail dialog.
#[derive(Clone, Debug)]
pub enum Detail {
    Record(Rc<Record>),
    Json {
        title: String,
        value: Rc<Value>,
        copy_label: String,
    },
    /// A Lambda event, made into JSON when the dialog opens.
    Invocation(Rc<crate::sim::Invocation>),
    /// An on-failure record with an S3 object's payload, made into JSON when the dialog opens.
    Failure {
        title: String,
        failure: Rc<crate::sim::FailureRecord>,
    },
}

impl PartialEq for Detail {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Detail::Record(a), Detail::Record(b)) => Rc::ptr_eq(a, b),
            (Detail::Json { value: a, .. }, Detail::Json { value: b, .. }) => Rc::ptr_eq(a, b),
            // The same invocation (the timeline makes a new one each time it is drawn).
            // The same record (each has its own requestId).
            (Detail::Failure { title: a, failure: fa }, Detail::Failure { title: b, failure: fb }) => {
                a == b && fa.record == fb.record
            }
            (Detail::Invocation(a), Detail::Invocation(b)) => {
                (&a.uuid, &a.shard_id, a.time_ms, a.attempt) == (&b.uuid, &b.shard_id, b.time_ms, b.attempt)
                    && Rc::ptr_eq(&a.records, &b.records)
            }
            _ => false,
        }
    }
}

/// The dialog: a title, the exact JSON (what Copy copies) and, for a record, its explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct DetailView {
    pub title: String,
    pub copy_label: String,
    pub json: String,
    pub record: Option<RecordDetail>,
}

/// A record explained: why an image is missing, old to new attribute by attribute, and the
/// same change under every view type.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordDetail {
    pub missing: Option<String>,
    /// Why the mappings' filters skipped this record, one sentence per filter.
    pub filtered: Vec<String>,
    pub diff: Vec<DiffRow>,
    pub views: Vec<(&'static str, String)>,
}

/// One attribute of the old-to-new table: its change ("added", …) and both values ("—" when
/// absent).
#[derive(Clone, Debug, PartialEq)]
pub struct DiffRow {
    pub name: String,
    pub change: &'static str,
    pub old: String,
    pub new: String,
}

pub fn detail(s: &Session, d: &Detail) -> DetailView {
    match d {
        Detail::Failure { title, failure } => DetailView {
            title: title.clone(),
            copy_label: "Copy JSON".into(),
            json: format!("{:#}", failure.to_json(&s.config().region)),
            record: None,
        },
        Detail::Invocation(inv) => DetailView {
            title: format!("Lambda event (attempt {})", inv.attempt),
            copy_label: "Copy Lambda event".into(),
            json: format!("{:#}", inv.event(&s.config().region)),
            record: None,
        },
        Detail::Json { title, value, copy_label } => DetailView {
            title: title.clone(),
            copy_label: copy_label.clone(),
            json: format!("{value:#}"),
            record: None,
        },
        Detail::Record(r) => {
            let region = &s.engine().cfg.region;
            let cell = |v: &Option<Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "—".into());
            let diff = lab::diff(r.old_image().as_ref(), r.new_image().as_ref())
                .iter()
                .map(|e| DiffRow {
                    name: e.name.clone(),
                    change: match e.kind {
                        DiffKind::Added => "added",
                        DiffKind::Changed => "changed",
                        DiffKind::Removed => "removed",
                        DiffKind::Same => "same",
                    },
                    old: cell(&e.old),
                    new: cell(&e.new),
                })
                .collect();
            let notes = r.absent_images_explained();
            let view = r.view_type;
            DetailView {
                title: format!("{} {} · SequenceNumber {}", r.event_name.as_str(), key_text(&r.keys()), r.seq),
                copy_label: "Copy record JSON".into(),
                json: format!("{:#}", r.to_json(region, None)),
                record: Some(RecordDetail {
                    missing: (!notes.is_empty()).then(|| {
                        format!("{} This record's view type, {}: {}", notes.join(" "), view.as_str(), view.describe())
                    }),
                    filtered: s
                        .engine()
                        .why_filtered(r.seq)
                        .into_iter()
                        .flat_map(|(function, why)| why.into_iter().map(move |w| format!("{function}: {w}")))
                        .collect(),
                    diff,
                    views: lab::compare_views(r, region)
                        .iter()
                        .map(|(v, json)| (v.as_str(), format!("{:#}", json["dynamodb"])))
                        .collect(),
                }),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Loops of triggers, and the simulator's loop guard

/// A loop of triggers fed by their own writes: what it has done, what it would cost on AWS,
/// and whether StreamLab's guard (not AWS's) holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoopView {
    /// "412 invocations in the loop so far, 411 writes (411 write request units)."
    pub done: String,
    /// What AWS would do, and what it would cost an hour at this pace.
    pub on_aws: String,
    /// The guard's pause, in words; None while it runs.
    pub paused: Option<String>,
    /// The guard's limit now (None: off), for "let it run".
    pub limit: Option<u32>,
}

/// The fixes that work on AWS (docs/aws-behaviour.md §4.10).
pub const LOOP_FIXES: [&str; 5] = [
    "a condition that ends it: write only when something changes (a write that changes nothing makes no record)",
    "write to a different table from the one that invokes the function",
    "an event filter that skips the function's own writes (mark them, for example with a source attribute, and filter it out with anything-but)",
    "as a kill switch, set the function's reserved concurrency to 0 (the console's Throttle button)",
    "or disable the event source mapping",
];

/// Dollars to the cent, or "less than a cent".
fn dollars(v: f64) -> String {
    if v < 0.005 {
        return "less than a cent".into();
    }
    let cents = (v * 100.0).round() as u64;
    format!("${}.{:02}", lab::thousands(cents / 100), cents % 100)
}

pub fn loop_view(s: &Session) -> Option<LoopView> {
    use crate::sim::loop_prices as p;
    let e = s.engine();
    let l = e.lambda().loops;
    if l.invocations == 0 {
        return None;
    }
    let paused = e.lambda().guard_pauses.last().filter(|_| {
        e.lambda().mappings.iter().flat_map(|m| m.cursors.iter()).flat_map(|c| c.vshards.iter()).any(|v| v.paused)
    });
    let per_hour = p::per_hour(l.invocations, l.write_units, l.last_ms - l.first_ms);
    let cost = match per_hour {
        Some(usd) => format!(
            " At this pace it would cost about {} an hour, {} a day ({} us-east-1 list prices: Lambda requests, and {} ms per invocation at 128 MB, which is StreamLab's assumption; on-demand write request units).",
            dollars(usd),
            dollars(usd * 24.0),
            p::PRICES_DATE,
            p::ASSUMED_DURATION_MS
        ),
        None => String::new(),
    };
    Some(LoopView {
        done: format!(
            "{} invocation{} in the loop so far, {} write{} ({} write request unit{}).",
            lab::thousands(l.invocations),
            plural(l.invocations as usize),
            lab::thousands(l.writes),
            plural(l.writes as usize),
            lab::thousands(l.write_units),
            plural(l.write_units as usize)
        ),
        on_aws: format!(
            "On AWS this loop would not stop: Lambda's recursive loop detection does not cover loops through DynamoDB, so it runs, and bills, until someone changes the code or the mapping.{cost}"
        ),
        paused: paused.map(|g| {
            format!(
                "StreamLab's own loop guard paused it before invocation {} of the chain (its limit is {}). This guard is the simulator's, so your tab never runs away; AWS has none.",
                lab::thousands(u64::from(g.chain)),
                lab::thousands(u64::from(g.limit))
            )
        }),
        limit: e.cfg.loop_guard,
    })
}

// ---------------------------------------------------------------------------------------------
// Event source mapping metrics

/// Minutes drawn in a metrics chart (the newest).
pub const METRIC_MINUTES: usize = 30;

/// A mapping's metrics over its last minutes with activity, for a small chart per metric.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricsView {
    /// "tally on Votes".
    pub title: String,
    /// One chart per metric: its name, the latest value in words, and a bar per minute (its
    /// height from 0 to 20, relative to the chart's largest value).
    pub charts: Vec<MetricChart>,
    /// Shown when the mapping does not publish event counts (AWS: opt-in).
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MetricChart {
    pub name: &'static str,
    pub total: String,
    pub bars: Vec<u8>,
}

pub fn metrics(s: &Session) -> Vec<MetricsView> {
    let e = s.engine();
    let streams = e.streams();
    e.lambda()
        .mappings
        .iter()
        .filter(|m| !m.metrics.is_empty())
        .map(|m| {
            let minutes = &m.metrics[m.metrics.len().saturating_sub(METRIC_MINUTES)..];
            let chart = |name: &'static str, unit: &str, get: &dyn Fn(&crate::sim::MinuteMetrics) -> u64| {
                let values: Vec<u64> = minutes.iter().map(|(_, mm)| get(mm)).collect();
                let max = values.iter().copied().max().unwrap_or(0).max(1);
                let latest = values.last().copied().unwrap_or(0);
                let unit = if latest == 1 && unit == "records" { "record" } else { unit };
                MetricChart {
                    name,
                    total: format!("{} {unit} in the last minute with activity", lab::thousands(latest)),
                    bars: values.iter().map(|v| (v * 20).div_ceil(max) as u8).collect(),
                }
            };
            let mut charts = Vec::new();
            if m.cfg.event_count_metrics {
                charts.push(chart("PolledEventCount", "records", &|mm| mm.polled));
                charts.push(chart("FilteredOutEventCount", "records", &|mm| mm.filtered_out));
                charts.push(chart("InvokedEventCount", "records", &|mm| mm.invoked));
                charts.push(chart("FailedInvokeEventCount", "records", &|mm| mm.failed_invoke));
                charts.push(chart("DroppedEventCount", "records", &|mm| mm.dropped));
                charts.push(chart("OnFailureDestinationDeliveredEventCount", "records", &|mm| mm.on_failure_delivered));
            }
            charts.push(chart("IteratorAge (maximum)", "ms", &|mm| mm.iterator_age_max_ms));
            let table = streams.get(m.stream).map(|st| st.table_name.as_str()).unwrap_or("?");
            MetricsView {
                title: format!("{} on {table}", m.function),
                charts,
                note: (!m.cfg.event_count_metrics).then(|| {
                    "On AWS the event counts are opt-in (MetricsConfig with EventCount); IteratorAge is always published.".to_string()
                }),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The flow diagram

/// Tokens drawn at most (the newest ones).
const FLOW_TOKENS: usize = 40;
/// Tokens drawn per box before "+N older".
const PER_BOX: usize = 8;

/// The boxes of the flow diagram a token can be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Shard,
    Window,
    Retry,
    Blocked,
    Done,
    Filtered,
    OnFailure,
}

fn place(stage: Option<Stage>) -> Place {
    match stage {
        None | Some(Stage::InShard) => Place::Shard,
        Some(Stage::Waiting) => Place::Window,
        Some(Stage::Retrying { .. }) => Place::Retry,
        Some(Stage::Blocked) | Some(Stage::LoopPaused) => Place::Blocked,
        Some(Stage::Done) => Place::Done,
        Some(Stage::Filtered) => Place::Filtered,
        Some(Stage::Discarded) => Place::OnFailure,
    }
}

/// The flow diagram: the table, the trigger, and every recent record where it is now.
#[derive(Clone, Debug)]
pub struct FlowView {
    /// "Table Votes".
    pub table: String,
    /// "3 items. Put, update or delete one below."
    pub items: String,
    /// "3. Lambda trigger (trigger)".
    pub trigger: String,
    /// Oldest first: one token per record and trigger reading it (one with no stage when none
    /// does).
    tokens: Vec<FlowToken>,
}

/// A record drawn as a token.
#[derive(Clone, Debug)]
pub struct FlowToken {
    pub place: Place,
    pub record: Rc<Record>,
    pub event: &'static str,
    pub key: String,
    /// The tooltip: "INSERT ana: done. Open the record."
    pub title: String,
    /// For screen readers: ", done".
    pub spoken: String,
    /// A short visible word where a box holds records in different states ("retry 2").
    pub short: Option<String>,
}

/// The tokens of a box (the newest [`PER_BOX`]), and "+N older" when there are more.
pub struct TokenBox<'a> {
    pub tokens: &'a [&'a FlowToken],
    pub more: Option<String>,
}

pub fn flow(s: &Session, table: &str) -> FlowView {
    let e = s.engine();
    let items = e.table(table).map(|t| t.items.len()).unwrap_or(0);
    let function = e.lambda().mappings.first().map(|m| m.function.clone());
    let mut tokens = Vec::new();
    for t in lab::tokens(s, FLOW_TOKENS).iter().rev() {
        let stages: Vec<Option<Stage>> =
            if t.stages.is_empty() { vec![None] } else { t.stages.iter().map(|(_, st)| Some(*st)).collect() };
        for stage in stages {
            let event = t.record.event_name.as_str();
            let key = key_text(&t.record.keys());
            let label = match stage {
                Some(Stage::Retrying { attempt }) => format!("being retried (attempt {attempt} failed)"),
                Some(s) => s.label().to_string(),
                None => "in shard, no trigger reads it".to_string(),
            };
            let short = match stage {
                Some(Stage::Retrying { attempt }) => Some(format!("retry {attempt}")),
                Some(Stage::Blocked) => Some("blocked".to_string()),
                Some(Stage::LoopPaused) => Some("loop guard".to_string()),
                None => Some("no trigger".to_string()),
                _ => None,
            };
            tokens.push(FlowToken {
                place: place(stage),
                record: t.record.clone(),
                event,
                title: format!("{event} {key}: {label}. Open the record."),
                spoken: format!(", {label}"),
                key,
                short,
            });
        }
    }
    FlowView {
        table: format!("Table {table}"),
        items: format!("{} item{}. Put, update or delete one below.", lab::thousands(items as u64), plural(items)),
        trigger: format!("3. Lambda trigger ({})", function.as_deref().unwrap_or("no trigger yet")),
        tokens,
    }
}

impl FlowView {
    /// Every token in one of `places`, oldest first.
    pub fn tokens_in(&self, places: &[Place]) -> Vec<&FlowToken> {
        self.tokens.iter().filter(|t| places.contains(&t.place)).collect()
    }
}

/// The newest [`PER_BOX`] of a box's tokens, and how many older ones are not drawn.
pub fn token_box<'a>(tokens: &'a [&'a FlowToken]) -> TokenBox<'a> {
    let more = tokens.len().saturating_sub(PER_BOX);
    TokenBox { tokens: &tokens[more..], more: (more > 0).then(|| format!("+{more} older")) }
}

// ---------------------------------------------------------------------------------------------
// The triggers panel

pub const EXAMPLE_RULES: &str = "-- count votes per choice\non INSERT, MODIFY, REMOVE\n  count votes by choice\n";

/// The example buttons above the rule editor.
pub const RULE_EXAMPLES: [(&str, &str); 3] = [
    ("Count votes", EXAMPLE_RULES),
    ("Notify on a changed vote", "on MODIFY when changed(choice)\n  notify \"#votes\" \"{keys.voter} changed from {old.choice} to {new.choice}\"\n"),
    ("Fail on tea", "on INSERT, MODIFY when new.choice = \"tea\"\n  fail \"no tea for {keys.voter}\"\n"),
];

/// The rules of `function`; the first example when it is not deployed yet.
pub fn trigger_code(s: &Session, function: &str) -> String {
    s.engine().lambda().functions.get(function).map(|f| f.code.clone()).unwrap_or_else(|| EXAMPLE_RULES.to_string())
}

/// Whether `function` has a mapping on the current stream of `table`, the one Deploy updates
/// (its StartingPosition is then fixed).
pub fn has_mapping(s: &Session, function: &str, table: &str) -> bool {
    let e = s.engine();
    let current = e.table(table).and_then(|t| t.stream);
    current.is_some() && e.lambda().mappings.iter().any(|m| m.function == function && Some(m.stream) == current)
}

/// The triggers panel's function choice: every deployed function, the one chosen, and what it
/// reads.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionsView {
    /// Every function by name; the chosen one and the lab's own (`trigger`) too when they are not
    /// deployed yet.
    pub names: Vec<String>,
    pub chosen: String,
    /// The table whose stream Deploy attaches it to.
    pub table: String,
    /// "Reads the stream of Orders (mapping enabled, BatchSize 5)." or "Not deployed yet: …".
    pub reads: String,
}

/// The function choice, for `chosen` (its table: [`lab::function_table`], `table` for a new
/// function).
pub fn functions(s: &Session, chosen: &str, table: &str) -> FunctionsView {
    let e = s.engine();
    let l = e.lambda();
    let mut names: Vec<String> = l.functions.values().map(|f| f.name.clone()).collect();
    // The chosen one, and the lab's own (to deploy a new function onto the table on show).
    // (`functions` is in name order: each goes in its place, with no sort in the wasm.)
    for name in [chosen, lab::DEFAULT_FUNCTION] {
        if let Err(i) = names.binary_search_by(|n| n.as_str().cmp(name)) {
            names.insert(i, name.to_string());
        }
    }
    let table = lab::function_table(s, chosen, table);
    let mappings: Vec<String> = l
        .mappings
        .iter()
        .filter(|m| m.function == chosen)
        .map(|m| {
            let st = &e.streams()[m.stream];
            let current = e.table(&st.table_name).and_then(|t| t.stream) == Some(m.stream);
            format!(
                "the {}stream of {} (mapping {}, BatchSize {})",
                if current { "" } else { "old, disabled " },
                st.table_name,
                if m.cfg.enabled { "enabled" } else { "disabled" },
                m.cfg.batch_size
            )
        })
        .collect();
    let reads = match (l.functions.contains_key(chosen), mappings.is_empty()) {
        (false, _) => format!("Not deployed yet: Deploy creates {chosen} and a mapping on the stream of {table}."),
        (true, true) => format!("No event source mapping: Deploy adds one on the stream of {table}."),
        (true, false) => format!("Reads {}.", mappings.join("; ")),
    };
    FunctionsView { names, chosen: chosen.to_string(), table, reads }
}

/// The mapping's request members, as the settings form holds them (texts, as typed).
#[derive(Clone, Debug, PartialEq)]
pub struct MappingForm {
    pub batch_size: String,
    pub window: String,
    pub starting: String,
    pub parallel: String,
    pub retries: String,
    pub max_age: String,
    pub bisect: bool,
    pub report: bool,
    pub tumbling: String,
    pub filters: String,
    pub on_failure: String,
    pub enabled: bool,
}

impl Default for MappingForm {
    fn default() -> Self {
        MappingForm {
            batch_size: "100".into(),
            window: "0".into(),
            starting: "TRIM_HORIZON".into(),
            parallel: "1".into(),
            retries: "-1".into(),
            max_age: "-1".into(),
            bisect: false,
            report: false,
            tumbling: "0".into(),
            filters: String::new(),
            on_failure: String::new(),
            enabled: true,
        }
    }
}

/// A number when the text is one; else the text itself (the API reports what is wrong).
fn num(text: &str) -> Value {
    match text.trim().parse::<i64>() {
        Ok(n) => json!(n),
        Err(_) => json!(text.trim()),
    }
}

impl MappingForm {
    /// The settings of `function`'s mapping on `table`'s current stream (else of any of its
    /// mappings); the defaults when it has none.
    pub fn from_session(s: &Session, function: &str, table: &str) -> MappingForm {
        let e = s.engine();
        let current = e.table(table).and_then(|t| t.stream);
        let mine = || e.lambda().mappings.iter().filter(|m| m.function == function);
        let Some(m) = mine().find(|m| Some(m.stream) == current).or_else(|| mine().next()) else {
            return MappingForm::default();
        };
        let c = &m.cfg;
        let filters = c.filters.to_json()["Filters"]
            .as_array()
            .map(|fs| fs.iter().filter_map(|f| f["Pattern"].as_str()).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default();
        MappingForm {
            batch_size: c.batch_size.to_string(),
            window: c.window_s.to_string(),
            starting: m.starting_position.as_str().to_string(),
            parallel: c.parallelization.to_string(),
            retries: c.max_retry.to_string(),
            max_age: c.max_age_s.to_string(),
            bisect: c.bisect,
            report: c.report_failures,
            tumbling: c.tumbling_s.to_string(),
            filters,
            on_failure: c.on_failure.clone().unwrap_or_default(),
            enabled: c.enabled,
        }
    }

    /// The CreateEventSourceMapping / UpdateEventSourceMapping request members. An existing
    /// mapping's StartingPosition is left out: it is fixed when a mapping is created.
    pub fn params(&self, has_mapping: bool) -> Value {
        let patterns: Vec<Value> =
            self.filters.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| json!({"Pattern": l})).collect();
        let mut params = json!({
            "BatchSize": num(&self.batch_size),
            "MaximumBatchingWindowInSeconds": num(&self.window),
            "StartingPosition": self.starting,
            "ParallelizationFactor": num(&self.parallel),
            "MaximumRetryAttempts": num(&self.retries),
            "MaximumRecordAgeInSeconds": num(&self.max_age),
            "BisectBatchOnFunctionError": self.bisect,
            "FunctionResponseTypes": if self.report { json!(["ReportBatchItemFailures"]) } else { json!([]) },
            "TumblingWindowInSeconds": num(&self.tumbling),
            "FilterCriteria": {"Filters": patterns},
            "DestinationConfig": if self.on_failure.trim().is_empty() { json!({"OnFailure": {}}) }
                else { json!({"OnFailure": {"Destination": self.on_failure.trim()}}) },
            "Enabled": self.enabled,
        });
        if has_mapping {
            params.as_object_mut().map(|m| m.remove("StartingPosition"));
        }
        params
    }
}

/// What the rule editor says under the rules as the learner types.
#[derive(Clone, Debug, PartialEq)]
pub struct RulesCheck {
    /// A syntax error, with line, column and caret.
    pub error: Option<String>,
    /// "Warning: …", one per read the view type cannot satisfy.
    pub warnings: Vec<String>,
    /// "No problems under NEW_AND_OLD_IMAGES." when there is nothing else to say.
    pub ok: Option<String>,
}

/// Checks `code` for a stream of view type `view` (None: the stream is disabled; the rules are
/// then checked as for NEW_AND_OLD_IMAGES).
pub fn check_rules(view: Option<ViewType>, code: &str) -> RulesCheck {
    let program = match rules::parse(code) {
        Ok(p) => p,
        Err(d) => return RulesCheck { error: Some(d.render(code)), warnings: Vec::new(), ok: None },
    };
    let warnings: Vec<String> = program
        .warnings(view.unwrap_or(ViewType::NewAndOldImages))
        .iter()
        .map(|d| format!("Warning: {}", d.render(code)))
        .collect();
    let ok = warnings
        .is_empty()
        .then(|| format!("No problems under {}.", view.map(|v| v.as_str()).unwrap_or("this stream")));
    RulesCheck { error: None, warnings, ok }
}

/// "The 12 oldest are not kept: …", when the lab's history dropped some.
fn dropped_note(dropped: u64) -> Option<String> {
    (dropped > 0).then(|| format!("The {dropped} oldest are not kept: the lab keeps the newest {HISTORY_LIMIT}."))
}

/// "2026-01-02 12:00:01.250" of a simulated time: with its date, since a lab runs for days.
pub fn clock_text(ms: u64) -> String {
    time::label(ms).get(..23).unwrap_or_default().replacen('T', " ", 1)
}

/// The invocation timeline, newest first (at most 40 lines), and the on-failure queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    pub lines: Vec<TimelineLine>,
    pub failures: FailureQueue,
}

/// The on-failure queue: "On-failure queue (3)", the newest records (at most 50), and a note
/// when the lab's history dropped older ones.
#[derive(Clone, Debug, PartialEq)]
pub struct FailureQueue {
    pub title: String,
    /// No on-failure record was ever written.
    pub empty: bool,
    pub dropped: Option<String>,
    pub lines: Vec<FailureLine>,
}

/// A line of the timeline: its time, its class ("tl ok", "tl bad", …) and what happened.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineLine {
    pub time: String,
    /// The function that ran (or whose mapping logged the line); empty when not known.
    pub function: String,
    pub class: &'static str,
    /// A log entry's kind in bold ("Bisected"); None for an invocation.
    pub what: Option<&'static str>,
    pub text: String,
    /// An invocation's Lambda event, to open.
    pub event: Option<Detail>,
}

/// An on-failure record: a line, and the record to open.
#[derive(Clone, Debug, PartialEq)]
pub struct FailureLine {
    pub text: String,
    pub record: Detail,
}

/// "Invocation, batch of 3 records, attempt 1: succeeded".
pub fn invocation_text(records: usize, attempt: u32, outcome: &str) -> String {
    format!("Invocation, batch of {records} record{}, attempt {attempt}: {outcome}", plural(records))
}

/// Two lists of lines, each newest first, merged newest first (at most `limit`). At the same
/// time, a line of `b` (what an invocation caused: a retry, a discard) is the newer one.
pub fn merge_newest<T>(a: Vec<(u64, T)>, b: Vec<(u64, T)>, limit: usize) -> Vec<T> {
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    let mut out = Vec::new();
    while out.len() < limit {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.0 > y.0,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        out.extend(if take_a { a.next() } else { b.next() }.map(|(_, t)| t));
    }
    out
}

/// The on-failure queue.
pub fn on_failure_queue(s: &Session) -> FailureQueue {
    let l = s.engine().lambda();
    let lines = l
        .failures
        .iter()
        .enumerate()
        .rev()
        .take(50)
        .map(|(i, failure)| {
            let f = &failure.record;
            let info = &f["DDBStreamBatchInfo"];
            let text = format!(
                "{} · {} record{} · {}",
                f["requestContext"]["condition"].as_str().unwrap_or("failure"),
                info["batchSize"],
                if info["batchSize"] == json!(1) { "" } else { "s" },
                f["timestamp"].as_str().unwrap_or_default()
            );
            let title = format!("On-failure record {}", i + 1);
            // An S3 object's payload (the batch's records) is made when the dialog opens.
            let record = match failure.payload {
                Some(_) => Detail::Failure { title, failure: Rc::new(failure.clone()) },
                None => Detail::Json { title, value: Rc::new(f.clone()), copy_label: "Copy JSON".into() },
            };
            FailureLine { text, record }
        })
        .collect();
    let total = l.failures.len() as u64 + l.dropped.failures;
    FailureQueue {
        title: format!("On-failure queue ({total})"),
        empty: total == 0,
        dropped: dropped_note(l.dropped.failures),
        lines,
    }
}

/// The timeline of the trigger's invocations and of what happened to records.
pub fn timeline(s: &Session) -> Timeline {
    use crate::sim::{LogKind, Outcome};
    let l = s.engine().lambda();
    let invocations = l
        .invocations
        .iter()
        .rev()
        .take(30)
        .map(|inv| {
            let n = inv.records.len();
            let (class, outcome) = match &inv.outcome {
                Outcome::Success => ("tl ok", "succeeded".to_string()),
                Outcome::Error(m) => ("tl bad", format!("failed: {m}")),
                Outcome::PartialFailure(ids) => {
                    ("tl warn", format!("reported {} failed record{}", ids.len(), plural(ids.len())))
                }
            };
            let event = Detail::Invocation(Rc::new(inv.clone()));
            let line = TimelineLine {
                time: clock_text(inv.time_ms),
                function: inv.function.clone(),
                class,
                what: None,
                text: invocation_text(n, inv.attempt, &outcome),
                event: Some(event),
            };
            (inv.time_ms, line)
        })
        .collect();
    let logs = l
        .log
        .iter()
        .rev()
        .take(30)
        .map(|entry| {
            let (class, what) = match entry.kind {
                LogKind::Filtered => ("tl skip", "Skipped (filtered)"),
                LogKind::Waiting => ("tl info", "Batch window"),
                LogKind::Retrying => ("tl warn", "Retrying, shard blocked"),
                LogKind::Bisected => ("tl warn", "Bisected"),
                LogKind::Discarded => ("tl bad", "Sent to on-failure"),
                LogKind::LoopGuard => ("tl bad", "Paused by the simulator's loop guard"),
                LogKind::Lost => ("tl bad", "Lost"),
                LogKind::Expired => ("tl bad", "Expired"),
            };
            let function = l.mappings.iter().find(|m| m.uuid == entry.uuid).map(|m| m.function.clone());
            let line = TimelineLine {
                time: clock_text(entry.time_ms),
                function: function.unwrap_or_default(),
                class,
                what: Some(what),
                text: format!(": {}", entry.message),
                event: None,
            };
            (entry.time_ms, line)
        })
        .collect();
    Timeline { lines: merge_newest(invocations, logs, 40), failures: on_failure_queue(s) }
}

// ---------------------------------------------------------------------------------------------
// The results panel

/// Notifications shown at most (the newest).
const FEED: usize = 100;
/// Groups shown per aggregate.
const MAX_GROUPS: usize = 100;

/// Aggregates, notifications, and what polling would have cost.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultsView {
    pub aggregates: Vec<AggregateView>,
    /// "Notifications (3)".
    pub notifications_title: String,
    pub notifications_dropped: Option<String>,
    /// The newest notifications, oldest first.
    pub feed: Vec<FeedLine>,
    pub costs: Costs,
    /// Under a tumbling window, what the aggregates are (None without one).
    pub window_note: Option<String>,
}

/// What aggregates hold when a mapping has a tumbling window (README, rule language).
pub const WINDOW_NOTE: &str = "With a tumbling window, the aggregates are the window's state: each window starts empty, and Lambda drops the state after the window's final invocation. Shown here: the last closed window's. Each window's final state is the state of its final invocation (isFinalInvokeForWindow) in the timeline.";

/// One aggregate as a table: its largest groups (at most 100), each with a bar.
#[derive(Clone, Debug, PartialEq)]
pub struct AggregateView {
    pub name: String,
    pub rows: Vec<AggregateRow>,
    /// "and 1,900 smaller groups, not shown (Export has them all)".
    pub hidden: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AggregateRow {
    /// The group; the empty string is a group of its own, shown as `""`.
    pub group: String,
    pub value: String,
    /// The bar's class: "bar w0" to "bar w20", its length relative to the largest value.
    pub bar: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FeedLine {
    pub channel: String,
    pub time: String,
    pub message: String,
}

/// Polling versus streams, cell by cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Costs {
    /// "Polling (Scan every 60 s)".
    pub polling: String,
    pub polling_requests: String,
    pub stream_requests: String,
    pub read_units: String,
    pub polling_delay: String,
    pub stream_delay: String,
    pub changes: String,
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str().and_then(crate::support::float::parse_f64))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn results(s: &Session) -> ResultsView {
    let e = s.engine();
    let aggregates = e.aggregates().into_iter().map(|(name, groups)| aggregate(name, groups.len(), groups.iter()));
    let notes = &e.lambda().notifications;
    let dropped = e.lambda().dropped.notifications;
    let feed = notes
        .iter()
        .rev()
        .take(FEED)
        .rev()
        .map(|n| FeedLine { channel: n.channel.clone(), time: clock_text(n.time_ms), message: n.message.clone() })
        .collect();
    ResultsView {
        aggregates: aggregates.collect(),
        notifications_title: format!("Notifications ({})", notes.len() as u64 + dropped),
        notifications_dropped: dropped_note(dropped).map(|n| {
            format!(
                "{} (and at most {} MB of messages, the simulator's limit).",
                n.trim_end_matches('.'),
                crate::sim::NOTIFICATION_BYTES >> 20
            )
        }),
        feed,
        costs: costs(&e.costs().to_json()),
        window_note: e.lambda().mappings.iter().any(|m| m.cfg.tumbling_s > 0).then(|| WINDOW_NOTE.to_string()),
    }
}

/// An aggregate's table: `len` groups, each with its value, in the aggregate's order.
fn aggregate<'a>(name: &str, len: usize, groups: impl Iterator<Item = (&'a str, Value)>) -> AggregateView {
    // Keep the page light whatever the rule groups by: the largest groups only, by absolute
    // value, equal ones in the aggregate's order, picked as the groups are read (every render
    // of a lab with 100,000 groups reads them all). The shared small sort, not core's (about
    // 1.2 KB of gzip); the bits of a non-negative float order as its value.
    let hidden = len.saturating_sub(MAX_GROUPS);
    let rows: Vec<(&str, Value)> = if hidden > 0 {
        crate::support::sort::least_by_key(groups, MAX_GROUPS, |(_, v)| {
            std::cmp::Reverse(number(v).filter(|n| !n.is_nan()).map_or(0, |n| n.abs().to_bits()))
        })
    } else {
        groups.collect()
    };
    let max = rows.iter().filter_map(|(_, v)| number(v)).fold(0.0f64, |a, b| a.max(b.abs()));
    let rows = rows
        .into_iter()
        .map(|(group, v)| {
            let step = number(&v).filter(|_| max > 0.0).map(|n| ((n.abs() / max) * 20.0).round() as u32).unwrap_or(0);
            AggregateRow {
                group: if group.is_empty() { "\"\"".to_string() } else { group.to_string() },
                value: value_text(&v),
                bar: format!("bar w{step}"),
            }
        })
        .collect();
    AggregateView {
        name: name.to_string(),
        rows,
        hidden: (hidden > 0)
            .then(|| format!("and {} smaller groups, not shown (Export has them all)", lab::thousands(hidden as u64))),
    }
}

fn costs(costs: &Value) -> Costs {
    // "1 scan", "2 scans", "12,000 scans".
    let n = |v: &Value, word: &str| {
        let count = v.as_u64().map_or_else(|| v.to_string(), lab::thousands);
        format!("{count} {word}{}", if v.as_u64() == Some(1) { "" } else { "s" })
    };
    let p = &costs["polling"];
    let st = &costs["streams"];
    // Tenths of a second, formatted as integers (keeps float formatting out of the wasm).
    let secs = |v: &Value| {
        v.as_f64()
            .map(|s| {
                let tenths = (s * 10.0).round() as i64;
                format!("{}.{} s", tenths / 10, (tenths % 10).abs())
            })
            .unwrap_or_else(|| "—".into())
    };
    Costs {
        polling: format!("Polling (Scan every {} s)", p["intervalSeconds"]),
        polling_requests: format!("{}, {}", n(&p["scans"], "scan"), n(&p["requests"], "request")),
        stream_requests: format!("{} (GetRecords is free)", n(&st["invocations"], "invocation")),
        read_units: value_text(&p["readUnits"]),
        polling_delay: secs(&p["averageDelaySeconds"]),
        stream_delay: secs(&st["averageDelaySeconds"]),
        changes: format!(
            "{}, {} delivered to the trigger",
            n(&costs["changes"], "change"),
            n(&st["recordsDelivered"], "record")
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The quiz runner (grading is `crate::teach::quiz::Quiz`'s)

/// "12 questions."
pub fn question_count(n: usize) -> String {
    format!("{n} question{}.", plural(n))
}

/// After the seed on a quiz's start page: whose seed it is.
pub fn seed_note(from_link: bool) -> &'static str {
    if from_link {
        " (from the link: everyone opening it gets the same questions)"
    } else {
        " (yours: a reload keeps the same questions)"
    }
}

/// The line above a question: "Exam mode · question 2 of 5 · 1 answered · seed 42".
pub fn quiz_progress(mode: Mode, i: usize, total: usize, answered: usize, seed: u64) -> String {
    let mode = if mode == Mode::Practice { "Practice" } else { "Exam" };
    format!("{mode} mode · question {} of {total} · {answered} answered · seed {seed}", i + 1)
}

/// The answer button: "Check answer" in practice; in an exam "Save answer", or "Save new
/// answer" once one is saved.
pub fn answer_label(mode: Mode, saved: bool) -> &'static str {
    match mode {
        Mode::Practice => "Check answer",
        Mode::Exam if saved => "Save new answer",
        Mode::Exam => "Save answer",
    }
}

/// The button that ends a quiz.
pub fn finish_label(mode: Mode, answered: usize, total: usize) -> String {
    match mode {
        Mode::Exam => format!("Finish exam ({answered} of {total} answered)"),
        Mode::Practice => "See my score".to_string(),
    }
}

/// The submit step of an exam: how many questions are answered, and, when some are not, that
/// the list under it leads back to them.
pub fn submit_review(answered: usize, total: usize) -> String {
    if answered >= total {
        if total == 1 {
            "The question is answered.".to_string()
        } else {
            format!("All {total} questions are answered.")
        }
    } else {
        let left = total - answered;
        format!(
            "{answered} of {total} questions answered. {} not answered yet (an unanswered question counts as wrong):",
            if left == 1 { "This one is".to_string() } else { format!("These {left} are") }
        )
    }
}

/// The button that submits an exam from its submit step.
pub fn submit_label(unanswered: usize) -> String {
    match unanswered {
        0 => "Submit exam".to_string(),
        n => format!("Submit with {n} unanswered"),
    }
}

/// The note after an answer is saved in an exam.
pub const ANSWER_SAVED: &str = "Answer saved. You can change it until you finish.";

/// The options chosen after the learner picks option `k` (a multi-choice question toggles it,
/// a single-choice one takes it alone).
pub fn toggle(chosen: &[usize], k: usize, multi: bool) -> Vec<usize> {
    if !multi {
        return vec![k];
    }
    let mut next = chosen.to_vec();
    match next.iter().position(|&x| x == k) {
        Some(p) => {
            next.remove(p);
        }
        None => {
            next.push(k);
            crate::teach::quiz::sort_indexes(&mut next);
        }
    }
    next
}

/// The mark after an option once the answer is shown, and the option's class.
pub fn option_mark(right: bool, picked: bool, multi: bool) -> (&'static str, &'static str) {
    let mark = match (right, picked) {
        (true, true) => " ✓ right, your choice",
        (true, false) if multi => " ✓ should be chosen",
        (true, false) => " ✓ the answer",
        (false, true) => " ✗ your choice",
        (false, false) => "",
    };
    (
        mark,
        if right {
            "q-option is-right"
        } else if picked {
            "q-option is-wrong"
        } else {
            "q-option"
        },
    )
}

/// The verdict on an answer: its class and its first word.
pub fn verdict(correct: bool, unanswered: bool) -> (&'static str, &'static str) {
    let class = if correct && !unanswered { "verdict is-right" } else { "verdict is-wrong" };
    (
        class,
        if unanswered {
            "Not answered."
        } else if correct {
            "Right."
        } else {
            "Not quite."
        },
    )
}

/// A question of the results list: its class and its verdict ("2. wrong").
pub fn result_line(n: usize, chosen: bool, correct: bool) -> (&'static str, String) {
    let verdict = match (chosen, correct) {
        (false, _) => "not answered",
        (true, true) => "right",
        (true, false) => "wrong",
    };
    (if correct && chosen { "result is-right" } else { "result is-wrong" }, format!("{}. {verdict}", n + 1))
}

/// The score at the top of the results.
pub fn score_line(s: &Summary, mode: Mode, seed: u64) -> String {
    let pct = (s.correct * 100).checked_div(s.total).unwrap_or(0);
    format!(
        "Score: {} of {} ({pct}%), {} answered · {} mode · seed {seed}",
        s.correct,
        s.total,
        s.answered,
        mode.as_str()
    )
}

/// A message with its first letter capitalised. `Quiz::answer`'s messages start with an ASCII
/// letter; ASCII-only on purpose: Unicode case mapping would put core's uppercase tables (about
/// 12 KB) into the wasm for this one call.
pub fn capitalised(mut e: String) -> String {
    if let Some(first) = e.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Operation;
    use crate::teach::lab::starter_session;
    use crate::teach::lab::tests::put;

    fn advance(s: &mut Session, seconds: f64) {
        s.apply(Operation::AdvanceClock, &json!({ "Seconds": seconds })).unwrap();
    }

    #[test]
    fn the_clock_bar_says_the_time_and_counts_steps() {
        let mut s = starter_session();
        let c = clock(&s);
        assert_eq!(c.time, "2026-01-01T00:00:00Z");
        assert_eq!(c.steps, "1 step in this session");
        assert!(!c.can_step_back, "the starter table is not undone");
        put(&mut s, "ana", "tea");
        let c = clock(&s);
        assert_eq!(c.steps, "2 steps in this session");
        assert!(c.can_step_back);
    }

    #[test]
    fn the_files_panel_says_whether_the_lab_is_saved() {
        let f = files(&starter_session(), None);
        assert!(f.saved);
        assert!(f.hint.starts_with("Your session is saved in this browser"), "{}", f.hint);
        // The browser refused the last save (its storage is full): not saved, and why.
        let f = files(&starter_session(), Some("QuotaExceededError"));
        assert!(!f.saved);
        assert!(
            f.hint.contains("refused to save your lab (QuotaExceededError)") && f.hint.contains("Export"),
            "{}",
            f.hint
        );
    }

    #[test]
    fn the_table_panel_shows_the_key_the_first_items_and_ttl() {
        let mut s = starter_session();
        let t = table(&s, "Votes");
        assert!(t.tables.is_empty(), "one table: nothing to choose");
        assert_eq!(t.keys(), "voter");
        assert!(t.empty);
        assert_eq!(t.ttl_summary(), "Time to live: off");
        assert!(
            t.ttl_hint("expires").contains("putting one with expires: {\"N\": \"1767225660\"}"),
            "{}",
            t.ttl_hint("")
        );
        for i in 0..(GRID_ROWS + 2) {
            put(&mut s, &format!("v{i:03}"), "tea");
        }
        let t = table(&s, "Votes");
        assert_eq!(t.items.len(), GRID_ROWS);
        assert!(!t.empty);
        assert_eq!(t.more.as_deref(), Some("Showing the first 50 of 52 items."));
        s.apply(
            Operation::CreateTable,
            &json!({"TableName": "Other", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}),
        )
        .unwrap();
        s.apply(
            Operation::UpdateTimeToLive,
            &json!({"TableName": "Votes", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
        )
        .unwrap();
        let t = table(&s, "Votes");
        assert_eq!(t.tables, ["Other", "Votes"]);
        assert_eq!(t.ttl_summary(), "Time to live: on, attribute exp");
        assert!(t.ttl_hint("typed").contains("with exp:"), "the table's attribute, not the typed one");
    }

    #[test]
    fn the_grid_puts_keys_first_and_shows_at_most_six_columns() {
        let mut s = starter_session();
        s.apply(
            Operation::PutItem,
            &json!({"TableName": "Votes", "Item": {"a": {"N": "1"}, "b": {"BOOL": true}, "c": {"S": "x"},
                "d": {"S": "x"}, "e": {"S": "x"}, "f": {"S": "x"}, "voter": {"S": "ana"}}}),
        )
        .unwrap();
        let t = table(&s, "Votes");
        let g = grid(&t.items, &t.key_names);
        assert_eq!(g.columns, ["voter", "a", "b", "c", "d", "e"]);
        assert_eq!(g.rows[0].cells, ["ana", "1", "true", "x", "x", "x"]);
        assert_eq!(g.rows[0].edit_label, "Edit ana");
        assert!(g.rows[0].json.starts_with("{\n"), "pretty JSON for the editor");
    }

    #[test]
    fn form_rows_round_trip_and_refuse_what_they_cannot_show() {
        let rows = rows_from_json(r#"{"voter": {"S": "ana"}, "n": {"N": "3"}, "ok": {"BOOL": true}, "x": {"NULL": true}, "tags": {"SS": ["a"]}}"#).unwrap();
        let shown: Vec<(&str, &str, &str)> =
            rows.iter().map(|r| (r.name.as_str(), r.ty.as_str(), r.value.as_str())).collect();
        assert_eq!(
            shown,
            [
                ("voter", "S", "ana"),
                ("n", "N", "3"),
                ("ok", "BOOL", "true"),
                ("x", "NULL", ""),
                ("tags", "SS", r#"["a"]"#)
            ]
        );
        let back: Value = serde_json::from_str(&rows_to_json(&rows)).unwrap();
        assert_eq!(back["tags"], json!({"SS": ["a"]}));
        assert_eq!(back["x"], json!({"NULL": true}));
        // A BOOL that is neither true nor false goes as typed, for the engine to refuse.
        let odd = rows_to_json(&[AttrRow { name: "b".into(), ty: "BOOL".into(), value: "yes".into() }]);
        assert_eq!(serde_json::from_str::<Value>(&odd).unwrap(), json!({"b": {"BOOL": "yes"}}));
        assert!(rows_from_json("{ not json").unwrap_err().starts_with("The JSON has an error"));
        assert_eq!(rows_from_json("[1]").unwrap_err(), "The item must be a JSON object: fix it in JSON mode first.");
    }

    #[test]
    fn the_stream_panel_describes_the_stream_its_shards_and_the_newest_change() {
        let mut s = starter_session();
        let v = stream(&s, "Votes");
        assert_eq!(v.status, "ENABLED");
        assert_eq!(v.view_type, Some(ViewType::NewAndOldImages));
        assert!(v.arn.starts_with("arn:aws:dynamodb:us-east-1:"), "{}", v.arn);
        assert_eq!(v.shards_title, "Shards (1) and their lineage");
        assert!(
            v.shards[0].text.starts_with(" · open · 0 records · opened 2026-01-01T00:00:00Z"),
            "{}",
            v.shards[0].text
        );
        assert!(v.newest.is_none());
        assert!(v.older.is_none());
        put(&mut s, "ana", "tea");
        put(&mut s, "ana", "coffee");
        let v = stream(&s, "Votes");
        assert!(v.shards[0].text.contains(" · 2 records · "), "{}", v.shards[0].text);
        let newest = v.newest.unwrap();
        assert_eq!(newest.title, "The newest change (MODIFY ana) under every view type");
        assert_eq!(newest.cards.len(), 4);
        assert_eq!(newest.cards[0].view, "KEYS_ONLY");
        assert_eq!(newest.cards[0].parts[0], ("Keys", Some("voter: ana".to_string())));
        assert_eq!(newest.cards[0].parts[1], ("NewImage", None));
        assert_eq!(newest.cards[3].parts[2], ("OldImage", Some("choice: tea, voter: ana".to_string())));

        lab::set_view_type(&mut s, "Votes", Some(ViewType::KeysOnly)).unwrap();
        let v = stream(&s, "Votes");
        assert_eq!(v.older.as_deref(), Some("1 older stream of this table is disabled: its records stay readable for 24 hours, but new changes only go to the stream above."));
        lab::set_view_type(&mut s, "Votes", None).unwrap();
        let v = stream(&s, "Votes");
        assert_eq!(v.status, "DISABLED");
        assert_eq!(v.view_type, None);
        assert_eq!(v.describe, "The stream is disabled: choose a view type to enable one.");
        assert!(
            v.older.unwrap().starts_with("1 older stream of this table is disabled"),
            "the shown one is the latest"
        );
        assert_eq!(stream(&s, "Nope").status, "NONE");
    }

    #[test]
    fn the_record_list_reads_a_window_and_labels_each_record() {
        let mut s = starter_session();
        for v in ["a", "b", "c"] {
            put(&mut s, v, "tea");
        }
        s.apply(Operation::DeleteItem, &json!({"TableName": "Votes", "Key": {"voter": {"S": "a"}}})).unwrap();
        let session = Rc::new(RefCell::new(s));
        let records = StreamRecords::new(&session, "Votes", 7);
        assert_eq!(records.len, 4);
        assert_eq!(records.label(), "4 records");
        let rows = records.rows(2, 10);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].event, rows[0].keys.as_str()), ("INSERT", r#"{"voter":{"S":"c"}}"#));
        assert_eq!(rows[0].images, [(true, "new image ✓".to_string()), (false, "no old image".to_string())]);
        assert_eq!(rows[1].event, "REMOVE");
        assert_eq!(rows[1].images, [(false, "no new image".to_string()), (true, "old image ✓".to_string())]);
        assert!(records == StreamRecords::new(&session, "Votes", 7));
        assert!(records != StreamRecords::new(&session, "Votes", 8), "a new version of the session");
        let empty = StreamRecords::new(&session, "Nope", 7);
        assert_eq!((empty.len, empty.label(), empty.rows(0, 5).len()), (0, "0 records".to_string(), 0));
        let one = Rc::new(RefCell::new(starter_session()));
        put(&mut one.borrow_mut(), "z", "tea");
        assert_eq!(StreamRecords::new(&one, "Votes", 0).label(), "1 record");
    }

    /// Issue 21: after 24 hours the list said "No records yet. Put an item to write one." while
    /// the table held thousands of items. The empty list says why it is empty.
    #[test]
    fn an_empty_record_list_says_why() {
        let empty = |s: &Rc<RefCell<Session>>| StreamRecords::new(s, "Votes", 0).empty;
        let s = Rc::new(RefCell::new(starter_session()));
        assert_eq!(empty(&s), "No records yet. Put an item to write one.");
        put(&mut s.borrow_mut(), "ana", "tea");
        s.borrow_mut().apply(Operation::AdvanceClock, &json!({"Seconds": 25 * 3600})).unwrap();
        assert!(empty(&s).starts_with("No records left: each was trimmed once it was older than 24 hours"));
        lab::set_view_type(&mut s.borrow_mut(), "Votes", None).unwrap();
        assert!(empty(&s).starts_with("This stream is disabled: writes make no records now."));
        lab::set_view_type(&mut s.borrow_mut(), "Votes", Some(ViewType::NewImage)).unwrap();
        assert!(empty(&s).starts_with("No records yet: the items in the table were written before this stream"));
        let bare = Rc::new(RefCell::new(Session::new(crate::sim::EngineConfig::default())));
        bare.borrow_mut()
            .apply(
                Operation::CreateTable,
                &json!({"TableName": "Votes", "KeySchema": [{"AttributeName": "voter", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "voter", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}),
            )
            .unwrap();
        assert!(empty(&bare).starts_with("This table has no stream"));
    }

    #[test]
    fn the_record_dialog_explains_a_record() {
        let mut s = starter_session();
        put(&mut s, "ana", "tea");
        let r = s.engine().streams()[0].shards[0].records[0].clone();
        let d = detail(&s, &Detail::Record(r));
        assert!(d.title.starts_with("INSERT ana · SequenceNumber "), "{}", d.title);
        assert_eq!(d.copy_label, "Copy record JSON");
        assert!(d.json.contains("\"eventName\": \"INSERT\""), "{}", d.json);
        let rec = d.record.unwrap();
        assert!(rec.missing.unwrap().starts_with("No old image: there was no item before an INSERT"));
        assert_eq!(
            rec.diff[0],
            DiffRow { name: "choice".into(), change: "added", old: "—".into(), new: r#"{"S":"tea"}"#.into() }
        );
        assert_eq!(rec.views.iter().map(|(v, _)| *v).collect::<Vec<_>>(), view_types());
        let event = Rc::new(json!({"Records": []}));
        let d = detail(&s, &Detail::Json { title: "T".into(), value: event, copy_label: "Copy".into() });
        assert_eq!((d.title.as_str(), d.json.as_str(), d.record), ("T", "{\n  \"Records\": []\n}", None));
    }

    #[test]
    fn the_flow_puts_each_record_where_it_is() {
        let mut s = starter_session();
        put(&mut s, "ana", "tea");
        let f = flow(&s, "Votes");
        assert_eq!(f.table, "Table Votes");
        assert_eq!(f.items, "1 item. Put, update or delete one below.");
        assert_eq!(f.trigger, "3. Lambda trigger (no trigger yet)");
        let shard = f.tokens_in(&[Place::Shard]);
        assert_eq!(shard.len(), 1);
        assert_eq!(shard[0].title, "INSERT ana: in shard, no trigger reads it. Open the record.");
        assert_eq!(shard[0].short.as_deref(), Some("no trigger"));

        lab::deploy(&mut s, "Votes", "trigger", "on INSERT when new.choice = \"tea\"\n  fail \"no\"", &json!({}))
            .unwrap();
        advance(&mut s, 0.5);
        put(&mut s, "ben", "coffee");
        advance(&mut s, 0.1);
        let f = flow(&s, "Votes");
        assert_eq!(f.trigger, "3. Lambda trigger (trigger)");
        let retry = f.tokens_in(&[Place::Retry, Place::Blocked]);
        assert_eq!(retry.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(), ["ana", "ben"]);
        assert_eq!(retry[0].short.as_deref(), Some("retry 1"));
        assert_eq!(retry[0].spoken, ", being retried (attempt 1 failed)");
        assert_eq!(retry[1].short.as_deref(), Some("blocked"));

        let many: Vec<&FlowToken> = std::iter::repeat_n(retry[0], 11).collect();
        let b = token_box(&many);
        assert_eq!((b.tokens.len(), b.more.as_deref()), (8, Some("+3 older")));
        assert_eq!(token_box(&many[..2]).more, None);
    }

    #[test]
    fn the_rule_editor_says_what_is_wrong_as_the_learner_types() {
        let code = "on INSERT, MODIFY, REMOVE\n  count votes by choice";
        let ok = check_rules(Some(ViewType::NewAndOldImages), code);
        assert_eq!(ok.ok.as_deref(), Some("No problems under NEW_AND_OLD_IMAGES."));
        assert_eq!(check_rules(None, code).ok.as_deref(), Some("No problems under this stream."));
        let warned = check_rules(Some(ViewType::NewImage), code);
        assert!(warned.ok.is_none());
        assert!(warned.warnings[0].starts_with("Warning: line 2"), "{:?}", warned.warnings);
        let bad = check_rules(Some(ViewType::NewImage), "on INSERT\n  count");
        assert!(bad.error.unwrap().contains("line 2"));
        assert!(bad.warnings.is_empty() && bad.ok.is_none());
    }

    #[test]
    fn the_mapping_form_reads_the_mapping_and_leaves_a_fixed_starting_position_out() {
        let mut s = starter_session();
        assert_eq!(MappingForm::from_session(&s, "trigger", "Votes"), MappingForm::default());
        assert!(!has_mapping(&s, "trigger", "Votes"));
        assert_eq!(trigger_code(&s, "trigger"), EXAMPLE_RULES);
        let form = MappingForm {
            batch_size: "10".into(),
            filters: "{\"eventName\": [\"INSERT\"]}\n\n".into(),
            on_failure: " arn:aws:sqs:us-east-1:123456789012:dlq ".into(),
            retries: "two".into(),
            ..MappingForm::default()
        };
        let params = form.params(false);
        assert_eq!(params["BatchSize"], json!(10));
        assert_eq!(params["MaximumRetryAttempts"], json!("two"), "left for the API to refuse");
        assert_eq!(params["StartingPosition"], json!("TRIM_HORIZON"));
        assert_eq!(params["FilterCriteria"]["Filters"].as_array().unwrap().len(), 1);
        assert!(form.params(true).get("StartingPosition").is_none());
        let form = MappingForm { retries: "1".into(), ..form };
        lab::deploy(&mut s, "Votes", lab::DEFAULT_FUNCTION, "on INSERT\n  count n", &form.params(false)).unwrap();
        assert!(has_mapping(&s, "trigger", "Votes"));
        assert_eq!(trigger_code(&s, "trigger"), "on INSERT\n  count n");
        let read = MappingForm::from_session(&s, "trigger", "Votes");
        assert_eq!((read.batch_size.as_str(), read.retries.as_str()), ("10", "1"));
        assert_eq!(read.filters, "{\"eventName\": [\"INSERT\"]}");
        assert_eq!(read.on_failure, "arn:aws:sqs:us-east-1:123456789012:dlq");
    }

    #[test]
    fn the_timeline_is_newest_first_and_puts_what_an_invocation_caused_above_it() {
        assert_eq!(invocation_text(1, 2, "succeeded"), "Invocation, batch of 1 record, attempt 2: succeeded");
        assert_eq!(invocation_text(3, 1, "failed: no"), "Invocation, batch of 3 records, attempt 1: failed: no");
        let merged = merge_newest(vec![(5, "inv5"), (3, "inv3")], vec![(5, "log5"), (4, "log4"), (1, "log1")], 4);
        assert_eq!(merged, ["log5", "inv5", "log4", "inv3"]);
        assert_eq!(merge_newest::<u8>(Vec::new(), Vec::new(), 4), Vec::<u8>::new());
        assert_eq!(clock_text(1_767_225_601_250), "2026-01-01 00:00:01.250");
        // Issue 21: after a day, the timeline said "00:00:01.250" with no day.
        assert_eq!(clock_text(1_767_225_601_250 + 86_400_000), "2026-01-02 00:00:01.250");
    }

    #[test]
    fn the_triggers_panel_shows_every_function_and_what_it_reads() {
        let mut s = starter_session();
        let f = functions(&s, "trigger", "Votes");
        assert_eq!(f.names, ["trigger"]);
        assert_eq!(f.reads, "Not deployed yet: Deploy creates trigger and a mapping on the stream of Votes.");
        s.apply(Operation::CreateFunction, &json!({"FunctionName": "tally", "Code": "on INSERT\n  count votes"}))
            .unwrap();
        let f = functions(&s, "tally", "Votes");
        assert_eq!(f.names, ["tally", "trigger"]);
        assert_eq!(f.reads, "No event source mapping: Deploy adds one on the stream of Votes.");
        s.apply(
            Operation::CreateEventSourceMapping,
            &json!({"FunctionName": "tally", "TableName": "Votes", "StartingPosition": "TRIM_HORIZON", "BatchSize": 5}),
        )
        .unwrap();
        let f = functions(&s, "tally", "Other");
        assert_eq!(f.table, "Votes");
        assert_eq!(f.reads, "Reads the stream of Votes (mapping enabled, BatchSize 5).");
        assert_eq!(trigger_code(&s, "tally"), "on INSERT\n  count votes");
        assert_eq!(MappingForm::from_session(&s, "tally", "Votes").batch_size, "5");
        assert!(has_mapping(&s, "tally", "Votes"));
        // The timeline names the function that ran.
        put(&mut s, "ana", "tea");
        advance(&mut s, 1.0);
        let t = timeline(&s);
        assert_eq!(t.lines[0].function, "tally");
        assert!(t.lines[0].text.starts_with("Invocation, batch of 1 record"), "{}", t.lines[0].text);
        // Disabled, the stream keeps its mapping, shown as an old stream's.
        lab::disable_stream(&mut s, "Votes").unwrap();
        assert!(!has_mapping(&s, "tally", "Votes"));
        assert_eq!(
            functions(&s, "tally", "Votes").reads,
            "Reads the old, disabled stream of Votes (mapping enabled, BatchSize 5)."
        );
    }

    #[test]
    fn the_on_failure_queue_counts_and_opens_its_records() {
        let mut s = starter_session();
        lab::deploy(
            &mut s,
            "Votes",
            "trigger",
            "on INSERT\n  fail \"no\"",
            &json!({"MaximumRetryAttempts": 0, "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:dlq"}}}),
        )
        .unwrap();
        let q = on_failure_queue(&s);
        assert_eq!((q.title.as_str(), q.empty), ("On-failure queue (0)", true));
        put(&mut s, "ana", "tea");
        advance(&mut s, 5.0);
        let q = on_failure_queue(&s);
        assert_eq!((q.title.as_str(), q.empty, q.dropped), ("On-failure queue (1)", false, None));
        assert!(q.lines[0].text.contains(" · 1 record · "), "{}", q.lines[0].text);
        let Detail::Json { title, value, .. } = &q.lines[0].record else { panic!() };
        assert_eq!(title, "On-failure record 1");
        assert!(value.get("DDBStreamBatchInfo").is_some());
        // An S3 destination's object carries the batch (§4.6), made when the dialog opens.
        let mut s3 = starter_session();
        lab::deploy(
            &mut s3,
            "Votes",
            "trigger",
            "on INSERT\n  fail \"no\"",
            &json!({"MaximumRetryAttempts": 0, "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:s3:::failed-batches"}}}),
        )
        .unwrap();
        put(&mut s3, "ana", "tea");
        advance(&mut s3, 5.0);
        let q = on_failure_queue(&s3);
        let d = detail(&s3, &q.lines[0].record);
        assert_eq!(d.title, "On-failure record 1");
        let v: Value = serde_json::from_str(&d.json).unwrap();
        assert_eq!(v["payload"]["Records"][0]["dynamodb"]["Keys"], json!({"voter": {"S": "ana"}}), "{v:#}");
        assert!(v.get("DDBStreamBatchInfo").is_some());
        assert_eq!(dropped_note(3).as_deref(), Some("The 3 oldest are not kept: the lab keeps the newest 10000."));
        // Notifications are also bounded in bytes, and say so.
        let mut s = starter_session();
        let blob = "b".repeat(60_000);
        s.apply(
            Operation::CreateFunction,
            &json!({"FunctionName": "f", "Code": "on INSERT\n  notify \"#big\" \"{new.blob}\""}),
        )
        .unwrap();
        s.apply(
            Operation::CreateEventSourceMapping,
            &json!({"FunctionName": "f", "TableName": "Votes", "StartingPosition": "TRIM_HORIZON"}),
        )
        .unwrap();
        for i in 0..300 {
            s.apply(
                Operation::PutItem,
                &json!({"TableName": "Votes", "Item": {"voter": {"S": format!("v{i}")}, "blob": {"S": blob}}}),
            )
            .unwrap();
        }
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 60})).unwrap();
        let r = results(&s);
        assert_eq!(r.notifications_title, "Notifications (300)");
        let note = r.notifications_dropped.expect("some not kept");
        assert!(
            note.ends_with("the lab keeps the newest 10000 (and at most 16 MB of messages, the simulator's limit)."),
            "{note}"
        );
    }

    #[test]
    fn results_show_aggregates_notifications_and_costs() {
        let mut s = starter_session();
        let r = results(&s);
        assert!(r.aggregates.is_empty() && r.feed.is_empty());
        assert_eq!(r.notifications_title, "Notifications (0)");
        assert_eq!(r.costs.polling, "Polling (Scan every 60.0 s)");
        assert_eq!(r.costs.stream_delay, "—");
        lab::deploy(
            &mut s,
            "Votes",
            "trigger",
            "on INSERT\n  count votes by choice\n  notify \"#votes\" \"{keys.voter} voted\"",
            &json!({}),
        )
        .unwrap();
        put(&mut s, "ana", "tea");
        put(&mut s, "ben", "tea");
        put(&mut s, "cy", "");
        advance(&mut s, 1.0);
        let r = results(&s);
        let votes = &r.aggregates[0];
        assert_eq!(votes.name, "votes");
        let rows: Vec<(&str, &str, &str)> =
            votes.rows.iter().map(|g| (g.group.as_str(), g.value.as_str(), g.bar.as_str())).collect();
        assert_eq!(rows, [("\"\"", "1", "bar w10"), ("tea", "2", "bar w20")]);
        assert_eq!(votes.hidden, None);
        assert_eq!(r.notifications_title, "Notifications (3)");
        assert_eq!(
            r.feed[0],
            FeedLine { channel: "#votes".into(), time: "2026-01-01 00:00:00.250".into(), message: "ana voted".into() }
        );
        assert_eq!(r.costs.stream_requests, "1 invocation (GetRecords is free)");
        assert_eq!(r.costs.changes, "3 changes, 3 records delivered to the trigger");
    }

    #[test]
    fn an_aggregate_over_many_groups_shows_the_largest_hundred() {
        // 150 groups: g0..g149 valued 0..149, then g149's value again under "tie" (it comes
        // after g149, so it is shown after it), and -200 under "neg" (the largest by size).
        let names: Vec<String> = (0..150).map(|i| format!("g{i}")).collect();
        let mut groups: Vec<(&str, Value)> = names.iter().zip(0..).map(|(g, i)| (g.as_str(), json!(i))).collect();
        groups.push(("tie", json!(149)));
        groups.push(("neg", json!(-200)));
        let a = aggregate("big", groups.len(), groups.into_iter());
        assert_eq!(a.rows.len(), 100);
        let shown: Vec<&str> = a.rows.iter().take(4).map(|r| r.group.as_str()).collect();
        assert_eq!(shown, ["neg", "g149", "tie", "g148"]);
        assert_eq!((a.rows[0].value.as_str(), a.rows[0].bar.as_str()), ("-200", "bar w20"));
        assert_eq!(a.rows[99].group, "g52");
        assert_eq!(a.hidden.as_deref(), Some("and 52 smaller groups, not shown (Export has them all)"));
        let many: Vec<(String, Value)> = (0..2000).map(|i| (format!("g{i}"), json!(i))).collect();
        let many = aggregate("many", many.len(), many.iter().map(|(g, v)| (g.as_str(), v.clone())));
        assert_eq!(many.hidden.as_deref(), Some("and 1,900 smaller groups, not shown (Export has them all)"));
        let one = aggregate("one", 1, [("*", json!(4))].into_iter());
        assert_eq!((one.rows[0].group.as_str(), one.hidden), ("*", None));
    }

    #[test]
    fn the_quiz_runner_says_where_the_learner_is_and_how_they_did() {
        assert_eq!(question_count(1), "1 question.");
        assert_eq!(question_count(5), "5 questions.");
        assert!(seed_note(true).contains("from the link"));
        assert_eq!(quiz_progress(Mode::Exam, 1, 5, 1, 42), "Exam mode · question 2 of 5 · 1 answered · seed 42");
        assert_eq!(answer_label(Mode::Practice, true), "Check answer");
        assert_eq!(answer_label(Mode::Exam, false), "Save answer");
        assert_eq!(answer_label(Mode::Exam, true), "Save new answer");
        assert_eq!(finish_label(Mode::Exam, 2, 5), "Finish exam (2 of 5 answered)");
        assert_eq!(finish_label(Mode::Practice, 5, 5), "See my score");
        assert_eq!(submit_review(5, 5), "All 5 questions are answered.");
        assert_eq!(submit_review(1, 1), "The question is answered.");
        assert_eq!(
            submit_review(3, 5),
            "3 of 5 questions answered. These 2 are not answered yet (an unanswered question counts as wrong):"
        );
        assert!(submit_review(4, 5).contains(" This one is not answered yet"));
        assert_eq!(submit_label(0), "Submit exam");
        assert_eq!(submit_label(2), "Submit with 2 unanswered");
        assert_eq!(toggle(&[2], 0, true), [0, 2]);
        assert_eq!(toggle(&[0, 2], 2, true), [0]);
        assert_eq!(toggle(&[0, 2], 1, false), [1]);
        assert_eq!(option_mark(true, true, false), (" ✓ right, your choice", "q-option is-right"));
        assert_eq!(option_mark(true, false, true), (" ✓ should be chosen", "q-option is-right"));
        assert_eq!(option_mark(true, false, false), (" ✓ the answer", "q-option is-right"));
        assert_eq!(option_mark(false, true, false), (" ✗ your choice", "q-option is-wrong"));
        assert_eq!(option_mark(false, false, false), ("", "q-option"));
        assert_eq!(verdict(true, false), ("verdict is-right", "Right."));
        assert_eq!(verdict(false, false), ("verdict is-wrong", "Not quite."));
        assert_eq!(verdict(true, true), ("verdict is-wrong", "Not answered."));
        assert_eq!(result_line(0, true, true), ("result is-right", "1. right".to_string()));
        assert_eq!(result_line(1, false, true), ("result is-wrong", "2. not answered".to_string()));
        let s = Summary { total: 3, answered: 2, correct: 1, results: Vec::new() };
        assert_eq!(score_line(&s, Mode::Exam, 7), "Score: 1 of 3 (33%), 2 answered · exam mode · seed 7");
        let none = Summary { total: 0, answered: 0, correct: 0, results: Vec::new() };
        assert!(score_line(&none, Mode::Practice, 7).starts_with("Score: 0 of 0 (0%)"));
        assert_eq!(capitalised("question 2 takes exactly one option".into()), "Question 2 takes exactly one option");
        assert_eq!(capitalised(String::new()), "");
    }

    /// A trigger that counts in the table that invokes it: every write makes a record that
    /// invokes it again.
    fn looping(s: &mut Session) {
        lab::deploy(
            s,
            "Votes",
            lab::DEFAULT_FUNCTION,
            "on INSERT, MODIFY\n  update Votes key { voter: keys.voter } add n 1",
            &json!({}),
        )
        .unwrap();
        put(s, "ana", "tea");
    }

    #[test]
    fn a_loop_says_what_it_costs_that_aws_would_not_stop_it_and_whose_guard_pauses_it() {
        let mut s = starter_session();
        assert_eq!(loop_view(&s), None, "no loop, no box");
        looping(&mut s);
        advance(&mut s, 10.0);
        let l = loop_view(&s).expect("a loop");
        // 40 invocations in 10 s (one per 250 ms slot); the first is the learner's write's.
        assert_eq!(l.done, "39 invocations in the loop so far, 39 writes (39 write request units).");
        assert!(l.on_aws.contains("On AWS this loop would not stop"), "{}", l.on_aws);
        // 4 invocations and 4 write units a second: 14,400 an hour each, at $0.20 + 100 ms × $0.0000000021
        // per million... : 14,400 × (0.0000002 + 0.00000021) + 14,400 × 0.000000625 = $0.0149 an hour.
        assert!(l.on_aws.contains("about $0.01 an hour, $0.36 a day"), "{}", l.on_aws);
        assert!(l.on_aws.contains("December 2026 us-east-1 list prices"), "{}", l.on_aws);
        assert_eq!(l.paused, None);
        advance(&mut s, 300.0);
        let l = loop_view(&s).unwrap();
        let p = l.paused.expect("the guard paused it");
        assert!(p.contains("before invocation 1,001 of the chain (its limit is 1,000)"), "{p}");
        assert!(p.contains("AWS has none"), "{p}");
        assert_eq!(l.limit, Some(1_000));
        // "Let it run 1,000 more": a SetLoopGuard step, and the loop goes on.
        let note = lab::set_loop_guard(&mut s, Some(2_000));
        assert_eq!(
            note,
            Note::Ok(
                "StreamLab's loop guard now pauses a chain before invocation 2,001. On AWS nothing would pause it."
                    .into()
            )
        );
        assert_eq!(s.steps().last().unwrap().action, Operation::SetLoopGuard);
        advance(&mut s, 10.0);
        assert_eq!(loop_view(&s).unwrap().paused, None, "running again");
        match lab::set_loop_guard(&mut s, None) {
            Note::Ok(text) => assert!(text.contains("runs as it would on AWS"), "{text}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn metrics_chart_each_metric_by_minute() {
        let mut s = starter_session();
        lab::deploy(&mut s, "Votes", lab::DEFAULT_FUNCTION, "on INSERT\n  count votes by choice", &json!({})).unwrap();
        assert!(metrics(&s).is_empty(), "nothing polled yet");
        put(&mut s, "ana", "tea");
        put(&mut s, "ben", "tea");
        advance(&mut s, 61.0);
        put(&mut s, "cy", "coffee");
        advance(&mut s, 1.0);
        let m = metrics(&s);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].title, format!("{} on Votes", lab::DEFAULT_FUNCTION));
        assert_eq!(m[0].note, None, "the lab opts in to the event counts");
        let invoked = m[0].charts.iter().find(|c| c.name == "InvokedEventCount").unwrap();
        // Minute 0: 2 records; minute 1: 1 record. Bars are 0-20, relative to the largest.
        assert_eq!(invoked.bars, [20, 10]);
        assert_eq!(invoked.total, "1 record in the last minute with activity");
        let age = m[0].charts.iter().find(|c| c.name == "IteratorAge (maximum)").unwrap();
        assert_eq!(age.bars, [20, 20], "250 ms both minutes");
    }

    #[test]
    fn the_record_dialog_says_why_a_filter_skipped_a_record() {
        let mut s = starter_session();
        let filters = json!({"Filters": [{"Pattern": "{\"eventName\": [\"INSERT\"]}"}]});
        lab::deploy(
            &mut s,
            "Votes",
            lab::DEFAULT_FUNCTION,
            "on INSERT\n  count votes",
            &json!({"FilterCriteria": filters}),
        )
        .unwrap();
        put(&mut s, "ana", "tea");
        put(&mut s, "ana", "coffee");
        advance(&mut s, 1.0);
        let records: Vec<Rc<Record>> = s.engine().streams()[0].records_in_order().cloned().collect();
        let why = |r: &Rc<Record>| match detail(&s, &Detail::Record(r.clone())).record {
            Some(d) => d.filtered,
            None => vec![],
        };
        assert!(why(&records[0]).is_empty(), "the INSERT was delivered");
        assert_eq!(
            why(&records[1]),
            [format!("{}: Filter 1: eventName is \"MODIFY\"; the pattern wants \"INSERT\"", lab::DEFAULT_FUNCTION)]
        );
    }

    #[test]
    fn under_a_tumbling_window_results_say_the_aggregates_are_the_last_closed_window() {
        let mut s = starter_session();
        lab::deploy(&mut s, "Votes", lab::DEFAULT_FUNCTION, "on INSERT\n  count votes", &json!({})).unwrap();
        assert_eq!(results(&s).window_note, None);
        lab::deploy(
            &mut s,
            "Votes",
            lab::DEFAULT_FUNCTION,
            "on INSERT\n  count votes",
            &json!({"TumblingWindowInSeconds": 60}),
        )
        .unwrap();
        assert_eq!(results(&s).window_note.as_deref(), Some(WINDOW_NOTE));
    }
}
