//! The engine: every table and stream of one simulated account and region, a simulated clock
//! and a seeded generator. `Engine::call` takes an AWS action name and its JSON request body and
//! returns the JSON response or an AWS error; nothing in here reads the real clock or panics.

pub(super) mod api;
pub(super) mod lambda;

use lambda::DEFAULT_LOOP_GUARD;

use crate::model::Image;
use crate::model::PrimaryKey;
use crate::model::ViewType;
use crate::model::{AttributeValue, Item};
use crate::sim::stream::{Change, Record, Shard, Stream, StreamStatus};
use crate::sim::table::{key_hash, Kept, Table};
use crate::support::hash::fnv1a;
use crate::support::rng::Rng;
use crate::support::time;
use serde_json::Value;
use std::collections::BTreeSet;
use std::rc::Rc;

pub const DAY_MS: u64 = 86_400_000;
pub const RETENTION_MS: u64 = DAY_MS;
pub const ITERATOR_TTL_MS: u64 = 15 * 60 * 1000;
const FIVE_YEARS_SECS: u64 = 5 * 365 * 86_400;
/// The longest single clock advance (one year), so a typo cannot freeze the page.
pub const MAX_ADVANCE_MS: u64 = 366 * DAY_MS;

/// Settings of a simulated account. `Default` gives the scenario-format defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct EngineConfig {
    pub region: String,
    pub account_id: String,
    pub seed: u64,
    /// Simulated start time, epoch milliseconds.
    pub start_ms: u64,
    /// Open shards per stream; partition keys are spread over them by hash.
    pub shards_per_stream: usize,
    /// Simulated time after which an open shard is closed and succeeded by a child.
    pub shard_rollover_ms: u64,
    /// How long after its expiry time the TTL sweeper deletes an item.
    pub ttl_delay_ms: u64,
    /// How many Lambda invocations, notifications and on-failure records are kept (the
    /// newest; the dropped ones are counted in `Lambda::dropped`). `None` keeps all, as
    /// `streamlab replay` must (its output lists every one); the lab keeps the default.
    pub history_limit: Option<usize>,
    /// The simulator's loop guard: a chain of triggers fed by their own writes is paused before
    /// an invocation that would go past this many (`None`: never). AWS has no such guard for
    /// loops through DynamoDB; the default is [`DEFAULT_LOOP_GUARD`].
    pub loop_guard: Option<u32>,
    /// Whether `streamlab replay` lists the records filters rejected, and why (`filtered`).
    pub explain_filters: bool,
}

/// The default `EngineConfig::history_limit`.
pub const HISTORY_LIMIT: usize = 10_000;

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            seed: 1,
            start_ms: 1_767_225_600_000, // 2026-01-01T00:00:00Z
            shards_per_stream: 1,
            shard_rollover_ms: 4 * 3600 * 1000,
            ttl_delay_ms: 10 * 60 * 1000,
            history_limit: Some(HISTORY_LIMIT),
            loop_guard: Some(DEFAULT_LOOP_GUARD),
            explain_filters: false,
        }
    }
}

pub struct Engine {
    pub cfg: EngineConfig,
    now_ms: u64,
    rng: Rng,
    tables: crate::support::named::ByName<Table>,
    /// Every stream ever enabled, in creation order.
    streams: Vec<Stream>,
    next_seq: u128,
    /// (due time, table, key) of items whose TTL deletion is due; re-checked when due.
    ttl_queue: BTreeSet<(u64, String, PrimaryKey)>,
    /// Chain depth given to records written now (set while a trigger's writes are applied).
    write_chain: u32,
    lambda: lambda::Lambda,
    costs: crate::sim::costs::Costs,
    work: Work,
    /// Work ([`Work::units`]) past which clock advances stop early: see [`Engine::set_work_budget`].
    budget: Option<u64>,
    /// Item bytes written ([`Work::bytes`]) past which clock advances stop early: see
    /// [`Engine::set_byte_budget`].
    byte_budget: Option<u64>,
}

/// What the engine has done so far, counted in events rather than seconds, so that how its cost
/// grows can be tested without timing anything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Calls, and moments of simulated time at which something was due (a poll, a retry, a
    /// roll-over, a trim, a TTL deletion).
    pub events: u64,
    /// Shards and Lambda pollers looked at while handling those events: what a long run's
    /// state makes each event cost.
    pub scanned: u64,
    /// Stream records written, and records handed to functions (each attempt again).
    pub records: u64,
    /// Bytes of items written (each write's new item, by DynamoDB's item-size rule, whether or
    /// not it changed anything): what copying, comparing and keeping items costs, in time and
    /// in memory (the table and its stream records keep at most this much item data). Not part
    /// of [`Work::units`]: it has a budget of its own ([`Engine::set_byte_budget`]).
    pub bytes: u64,
}

impl Work {
    /// All of it in one figure: what a work budget counts.
    pub fn units(self) -> u64 {
        self.events.saturating_add(self.scanned).saturating_add(self.records)
    }
}

impl Engine {
    pub fn new(cfg: EngineConfig) -> Engine {
        let mut cfg = cfg;
        cfg.shards_per_stream = cfg.shards_per_stream.clamp(1, 64);
        cfg.shard_rollover_ms = cfg.shard_rollover_ms.max(60_000);
        Engine {
            now_ms: cfg.start_ms,
            rng: Rng::new(cfg.seed),
            cfg,
            tables: Default::default(),
            streams: Vec::new(),
            next_seq: 100_000_000_000_000_000_000, // 21 digits
            ttl_queue: BTreeSet::new(),
            write_chain: 0,
            lambda: Default::default(),
            costs: Default::default(),
            work: Work::default(),
            budget: None,
            byte_budget: None,
        }
    }

    /// The work done so far (see [`Work`]).
    pub fn work(&self) -> Work {
        self.work
    }

    /// The simulator's guard for loading a link or a file in the page (AWS has nothing like
    /// it): once the work done passes `budget` units, a clock advance stops where it is, and
    /// [`Engine::over_budget`] says so, for the caller to give up on this engine. `None`: no
    /// limit (the default).
    pub fn set_work_budget(&mut self, budget: Option<u64>) {
        self.budget = budget;
    }

    /// The simulator's memory guard for the same loads: once the item data written
    /// ([`Work::bytes`]) passes `budget` bytes, a clock advance stops where it is, and
    /// [`Engine::over_byte_budget`] says so. `None`: no limit (the default).
    pub fn set_byte_budget(&mut self, budget: Option<u64>) {
        self.byte_budget = budget;
    }

    /// Whether the work done has passed the work budget (see [`Engine::set_work_budget`]).
    pub fn over_work_budget(&self) -> bool {
        self.budget.is_some_and(|b| self.work.units() > b)
    }

    /// Whether the item data written has passed the byte budget (see [`Engine::set_byte_budget`]).
    pub fn over_byte_budget(&self) -> bool {
        self.byte_budget.is_some_and(|b| self.work.bytes > b)
    }

    /// Whether either budget is passed.
    pub fn over_budget(&self) -> bool {
        self.over_work_budget() || self.over_byte_budget()
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.values()
    }

    pub fn streams(&self) -> &[Stream] {
        &self.streams
    }

    /// The `streams` member of `streamlab replay` output: every stream ever enabled.
    pub fn streams_output(&self) -> Value {
        Value::Array(self.streams.iter().map(|s| s.to_output_json(&self.cfg.region)).collect())
    }

    // ---- the simulated clock -------------------------------------------------------------

    /// Moves simulated time forward, running everything due in between in time order.
    pub fn advance_clock_ms(&mut self, ms: u64) {
        let target = self.now_ms.saturating_add(ms.min(MAX_ADVANCE_MS));
        // Every event moves time forward or consumes what was due; the guard only makes sure
        // that a mistake there could never freeze the page.
        let mut stalled = 0u32;
        while let Some(t) = self.next_event_ms() {
            if t > target {
                break;
            }
            stalled = if t <= self.now_ms { stalled + 1 } else { 0 };
            if stalled > 10_000 {
                break;
            }
            self.move_clock_to(t);
            self.run_due();
            self.count_event();
            if self.over_budget() {
                return;
            }
        }
        self.move_clock_to(target);
        self.run_due();
    }

    /// Counts one event, and the shards and pollers that each event's handling looks at.
    pub(in crate::sim::engine) fn count_event(&mut self) {
        let shards: usize = self.streams.iter().map(|s| s.shards.len()).sum();
        let pollers: usize =
            self.lambda.mappings.iter().flat_map(|m| m.cursors.iter()).map(|c| 1 + c.vshards.len()).sum();
        self.work.events += 1;
        self.work.scanned += (shards + pollers) as u64;
    }

    fn move_clock_to(&mut self, t: u64) {
        if t > self.now_ms {
            let sizes: Vec<usize> = self.tables.values().filter(|t| t.stream.is_some()).map(|t| t.bytes).collect();
            self.costs.scans_between(self.now_ms, t, &sizes);
            self.now_ms = t;
        }
    }

    /// What the polling design and the streams design have cost so far.
    pub fn costs(&self) -> &crate::sim::costs::Costs {
        &self.costs
    }

    pub fn set_polling_interval_ms(&mut self, ms: u64) {
        self.costs.polling_interval_ms = ms.max(1000);
    }

    /// The earliest time at which something is due, if anything ever is.
    fn next_event_ms(&self) -> Option<u64> {
        let rollover = self
            .streams
            .iter()
            .filter(|s| s.status == StreamStatus::Enabled)
            .flat_map(|s| s.open_slots.iter().map(move |i| s.shards[*i].created_ms + self.cfg.shard_rollover_ms))
            .min();
        let ttl = self.ttl_queue.iter().next().map(|(t, _, _)| *t);
        let trim = self
            .streams
            .iter()
            .flat_map(|s| s.shards.iter())
            .filter_map(|sh| match sh.records.front() {
                Some(r) => Some(r.created_ms + RETENTION_MS),
                None => sh.closed_ms.map(|c| c + RETENTION_MS),
            })
            .min();
        let lambda = self.lambda.next_event_ms();
        [rollover, ttl, trim, lambda].into_iter().flatten().min()
    }

    /// Runs everything due at the current time: TTL deletions, shard roll-over, trimming.
    fn run_due(&mut self) {
        self.run_ttl();
        self.roll_over_shards();
        self.run_lambda();
        self.trim();
    }

    fn run_ttl(&mut self) {
        while let Some(first) = self.ttl_queue.iter().next().cloned() {
            if first.0 > self.now_ms {
                break;
            }
            self.ttl_queue.remove(&first);
            let (_, table, key) = first;
            let Some(t) = self.tables.get(&table) else { continue };
            let Some(item) = t.items.get(&key) else { continue };
            let due = t.ttl_attribute.as_deref().and_then(|a| self.ttl_due(item, a));
            if due.is_some_and(|d| d <= self.now_ms) {
                let old = Some(item.clone());
                self.commit(&table, key, old, None, true);
            }
        }
    }

    /// When the TTL sweeper deletes `item`: its TTL attribute must be a top-level number of
    /// epoch seconds, and not more than five years in the past.
    fn ttl_due(&self, item: &Item, attr: &str) -> Option<u64> {
        ttl_due_at(item, attr, self.now_ms, self.cfg.ttl_delay_ms)
    }

    fn roll_over_shards(&mut self) {
        for si in 0..self.streams.len() {
            if self.streams[si].status != StreamStatus::Enabled {
                continue;
            }
            for slot in 0..self.streams[si].open_slots.len() {
                let idx = self.streams[si].open_slots[slot];
                let due = self.streams[si].shards[idx].created_ms + self.cfg.shard_rollover_ms;
                if due > self.now_ms {
                    continue;
                }
                let parent = &self.streams[si].shards[idx];
                let parent = (parent.id.clone(), parent.start_seq);
                self.close_shard(si, idx, due);
                let child = self.new_shard(Some(parent), due);
                let stream = &mut self.streams[si];
                stream.shards.push(child);
                stream.open_slots[slot] = stream.shards.len() - 1;
                stream.shards_changed += 1;
            }
        }
    }

    /// Drops records older than the 24-hour retention, and closed shards left empty after it.
    fn trim(&mut self) {
        let now = self.now_ms;
        for stream in &mut self.streams {
            for shard in &mut stream.shards {
                while shard.records.front().is_some_and(|r| r.created_ms + RETENTION_MS <= now) {
                    if let Some(r) = shard.records.pop_front() {
                        shard.trimmed_through = r.seq;
                    }
                }
            }
            let expired = |sh: &Shard| sh.records.is_empty() && sh.closed_ms.is_some_and(|c| c + RETENTION_MS <= now);
            if stream.shards.iter().any(expired) {
                let open_ids: Vec<String> = stream.open_slots.iter().map(|i| stream.shards[*i].id.clone()).collect();
                stream.shards.retain(|sh| !expired(sh));
                stream.open_slots = open_ids.iter().filter_map(|id| stream.shard_index(id)).collect();
                stream.shards_changed += 1;
            }
        }
    }

    // ---- writes and records ---------------------------------------------------------------

    /// Stores `new` (None deletes; with its size) under `key`, in place of `old` (the item
    /// stored there now), and appends a stream record if the item really changed. The caller
    /// has validated everything. (An update in place, which changes the stored item itself,
    /// makes its record in `update_in_place`.)
    fn commit(
        &mut self,
        table: &str,
        key: PrimaryKey,
        old: Option<Rc<Item>>,
        new: Option<(Rc<Item>, usize)>,
        ttl: bool,
    ) {
        self.commit_stored(table, key, old, new, ttl, false, None)
    }

    /// `commit`; `stored`: the caller has already put `new` in the table's items in place of
    /// `old` (a PutItem, which finds the item's place once), so only the rest is done;
    /// `image`: `new`'s stream image, if the caller has made it.
    #[allow(clippy::too_many_arguments)]
    fn commit_stored(
        &mut self,
        table: &str,
        key: PrimaryKey,
        old: Option<Rc<Item>>,
        new: Option<(Rc<Item>, usize)>,
        ttl: bool,
        stored: bool,
        image: Option<Image>,
    ) {
        if let Some((_, size)) = &new {
            self.work.bytes = self.work.bytes.saturating_add(*size as u64);
        }
        let Some(t) = self.tables.get_mut(table) else { return };
        // With a stream, the new item's image is made first (a change needs it), and the
        // entry kept for the old item is found once.
        let new_image =
            new.as_ref().filter(|_| t.stream.is_some()).map(|(n, _)| image.unwrap_or_else(|| Image::encode(n)));
        // The shard routing hash of the key, which also finds its kept image (neither is
        // needed by a table that never had a stream).
        let route = if t.stream.is_some() || !t.images.is_empty() { fnv1a(&key.0.hash_bytes()) } else { 0 };
        let hash = key_hash(route, &key);
        let slot = match (&old, &new_image) {
            (Some(_), Some(_)) => t.images.get_mut(hash, &key),
            _ => None,
        };
        let changed = match (&old, &new) {
            (None, None) => false,
            (Some(o), Some((n, _))) => match (&new_image, &slot) {
                // Images are canonical (names, set members and number texts in one order):
                // two are equal exactly when their items are, and bytes compare faster.
                (Some(img), Some(kept)) => *img != kept.image,
                _ => **o != **n,
            },
            _ => true,
        };
        if !changed {
            return;
        }
        let new_size = new.as_ref().map_or(0, |(_, size)| *size);
        let new = new.map(|(n, _)| n);
        // The key is copied only for a new entry (`old` is the item stored under it now).
        match new.as_ref().filter(|_| !stored) {
            Some(n) => match old.as_ref().and_then(|_| t.items.get_mut(&key)) {
                Some(slot) => *slot = n.clone(),
                None => {
                    t.items.insert(key.clone(), n.clone());
                }
            },
            None if new.is_none() && !stored => {
                t.items.remove(&key);
            }
            None => {}
        }
        // What needs the key after it moves into `images`: the TTL queue, the shard routing.
        let due = match (&t.ttl_attribute, &new) {
            (Some(attr), Some(n)) => ttl_due_at(n, attr, self.now_ms, self.cfg.ttl_delay_ms),
            _ => None,
        };
        let queued = due.map(|d| (d, table.to_string(), key.clone()));
        // The record's images: the old one is the image made when the old item was written
        // (if the table had a stream then), the new one is kept for the next change.
        let (old_kept, keys) = match &new_image {
            Some(img) => {
                let keep = |keys: &(Image, usize)| Kept { image: img.clone(), size: new_size, keys: keys.clone() };
                match slot {
                    Some(slot) => {
                        let keys = slot.keys.clone();
                        (Some(std::mem::replace(slot, keep(&keys))), Some(keys))
                    }
                    None => {
                        let keys = t.key_image(&key);
                        (t.images.insert(hash, key, keep(&keys)), Some(keys))
                    }
                }
            }
            None => {
                let kept = t.images.remove(hash, &key);
                let keys = match &kept {
                    Some(k) => Some(k.keys.clone()),
                    None => t.stream.map(|_| t.key_image(&key)),
                };
                (kept, keys)
            }
        };
        let old_size = match (&old, &old_kept) {
            (Some(_), Some(kept)) => kept.size,
            (Some(o), None) => crate::model::item_size(o),
            (None, _) => 0,
        };
        t.bytes = (t.bytes + new_size).saturating_sub(old_size);
        let change = match (t.stream, keys) {
            (Some(_), Some((keys, keys_size))) => Some(Change {
                sizes: [keys_size, old_size, new_size],
                keys,
                old: old.as_deref().map(|o| old_kept.map_or_else(|| Image::encode(o), |k| k.image)),
                new: new_image,
            }),
            _ => None,
        };
        let stream = t.stream;
        if let Some(q) = queued {
            self.ttl_queue.insert(q);
        }
        if let (Some(si), Some(change)) = (stream, change) {
            self.append_record(si, route, change, ttl);
        }
    }

    /// Appends a record of `change` to stream `si`, in the shard of `route` (the FNV-1a hash of
    /// the partition key's bytes).
    fn append_record(&mut self, si: usize, route: u64, change: Change, ttl: bool) {
        let event_id = self.rng.next_u128();
        self.next_seq += 100;
        let seq = self.next_seq;
        let now = self.now_ms;
        let stream = &mut self.streams[si];
        if stream.open_slots.is_empty() {
            return;
        }
        let slot = (route % stream.open_slots.len() as u64) as usize;
        let view = stream.view_type;
        let shard = &mut stream.shards[stream.open_slots[slot]];
        self.costs.change(now);
        // Every write of a loop through DynamoDB Streams makes a record (one that changes
        // nothing ends the loop): its cost is counted here, whichever write path made it.
        if self.lambda.in_loop(self.write_chain) {
            // On-demand write request units: 1 per KB of the larger of the item before and after.
            let [_, old, new] = change.sizes;
            self.lambda.loops.writes += 1;
            self.lambda.loops.write_units += old.max(new).div_ceil(1024).max(1) as u64;
        }
        let mut rec = Record::new(event_id, now, change, view, seq, ttl);
        rec.chain = self.write_chain;
        shard.records.push_back(Rc::new(rec));
        self.work.records += 1;
        self.lambda.wake_stream(si, now);
    }

    /// Re-queues every item of a table for TTL deletion (when TTL is enabled).
    fn index_ttl(&mut self, table: &str) {
        let Some(t) = self.tables.get(table) else { return };
        let Some(attr) = t.ttl_attribute.clone() else { return };
        let due: Vec<(u64, String, PrimaryKey)> = t
            .items
            .iter()
            .filter_map(|(k, item)| self.ttl_due(item, &attr).map(|d| (d, table.to_string(), k.clone())))
            .collect();
        self.ttl_queue.extend(due);
    }

    // ---- stream lifecycle -----------------------------------------------------------------

    fn new_shard(&mut self, parent: Option<(String, u128)>, created_ms: u64) -> Shard {
        self.next_seq += 100;
        let (parent, parent_seq) = parent.unzip();
        Shard {
            id: format!("shardId-{:020}-{:08x}", created_ms, self.rng.next_u64() as u32),
            parent,
            parent_seq,
            start_seq: self.next_seq,
            end_seq: None,
            created_ms,
            closed_ms: None,
            records: Default::default(),
            trimmed_through: 0,
        }
    }

    fn close_shard(&mut self, si: usize, idx: usize, at_ms: u64) {
        let shard = &mut self.streams[si].shards[idx];
        shard.end_seq = Some(shard.last_seq().unwrap_or(shard.start_seq));
        shard.closed_ms = Some(at_ms);
    }

    /// Enables a new stream on a table (new ARN and label, even right after a disable).
    fn enable_stream(&mut self, table: &str, view_type: ViewType) {
        let mut label_ms = self.now_ms;
        while self.streams.iter().any(|s| s.table_name == table && s.label == time::label(label_ms)) {
            label_ms += 1;
        }
        let label = time::label(label_ms);
        let arn =
            format!("arn:aws:dynamodb:{}:{}:table/{}/stream/{}", self.cfg.region, self.cfg.account_id, table, label);
        let key_schema = self.tables.get(table).map(|t| t.schema.to_json()).unwrap_or(Value::Null);
        let shards: Vec<Shard> = (0..self.cfg.shards_per_stream).map(|_| self.new_shard(None, self.now_ms)).collect();
        let open_slots = (0..shards.len()).collect();
        self.streams.push(Stream {
            arn,
            label,
            table_name: table.to_string(),
            view_type,
            status: StreamStatus::Enabled,
            key_schema,
            created_ms: label_ms,
            disabled_ms: None,
            shards,
            open_slots,
            shards_changed: 0,
        });
        let si = self.streams.len() - 1;
        if let Some(t) = self.tables.get_mut(table) {
            t.stream = Some(si);
            t.latest_stream = Some(si);
        }
    }

    /// Disables a table's stream: every open shard is closed; the data stays readable 24 h.
    fn disable_stream(&mut self, si: usize) {
        let now = self.now_ms;
        for idx in std::mem::take(&mut self.streams[si].open_slots) {
            self.close_shard(si, idx, now);
        }
        let stream = &mut self.streams[si];
        stream.status = StreamStatus::Disabled;
        stream.disabled_ms = Some(now);
        let table = stream.table_name.clone();
        if let Some(t) = self.tables.get_mut(&table) {
            if t.stream == Some(si) {
                t.stream = None;
            }
        }
    }
}

/// `Engine::ttl_due` at the time `now_ms`, with the sweeper's delay `delay_ms`.
pub(super) fn ttl_due_at(item: &Item, attr: &str, now_ms: u64, delay_ms: u64) -> Option<u64> {
    let secs = match item.get(attr)? {
        AttributeValue::N(n) => n.to_f64(),
        _ => return None,
    };
    if !(0.0..1e13).contains(&secs) {
        return None;
    }
    let secs = secs.floor() as u64;
    if secs + FIVE_YEARS_SECS < now_ms / 1000 {
        return None;
    }
    Some(secs * 1000 + delay_ms)
}
