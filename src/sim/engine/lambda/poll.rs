//! Polling, batching, invoking, retrying: how a mapping moves records from its shards into its
//! function on the simulated clock (spec §4).

use super::*;
use crate::lang::rules::{Aggregates, Effect, Failure, RecordView, Report};
use crate::model::item_to_json;
use crate::sim::engine::{Engine, RETENTION_MS};
use crate::sim::stream::Record;
use crate::support::time;
use serde_json::{json, Map, Value};
use std::rc::Rc;

/// How an invocation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failed {
    /// The function threw (or could not run).
    Thrown,
    /// A partial batch response; the checkpoint is this record.
    Partial(u128),
    /// A partial batch response Lambda cannot use: the whole batch failed.
    BadResponse,
}

impl Engine {
    /// Sets the simulator's loop guard (`None`: off) and wakes the pollers it paused: those
    /// still past the new limit are paused again, with a new entry in the log.
    pub fn set_loop_guard(&mut self, limit: Option<u32>) {
        self.cfg.loop_guard = limit;
        let wake = next_poll(self.now_ms());
        for v in self.lambda.mappings.iter_mut().flat_map(|m| m.cursors.iter_mut()).flat_map(|c| c.vshards.iter_mut()) {
            if v.paused {
                v.paused = false;
                v.next_wake = Some(wake);
            }
        }
    }

    /// Runs every poller due at the current time.
    pub(in crate::sim::engine) fn run_lambda(&mut self) {
        let now = self.now_ms();
        for m in 0..self.lambda.mappings.len() {
            if !self.lambda.mappings.get(m).is_some_and(|mp| mp.cfg.enabled) {
                continue;
            }
            self.sync_cursors(m);
            // Shards whose cursor finished in this pass: their children (later in the list) are
            // read in the same pass.
            let mut just_finished: Vec<u128> = Vec::new();
            let mut c = 0;
            while c < self.lambda.mappings.get(m).map_or(0, |mp| mp.cursors.len()) {
                let cur = &mut self.lambda.mappings[m].cursors[c];
                if cur.waiting && cur.parent_seq.is_some_and(|p| just_finished.contains(&p)) {
                    cur.waiting = false;
                }
                if cursor_active(cur) {
                    let nv = self.lambda.mappings[m].cursors[c].vshards.len();
                    for v in 0..nv {
                        let due = self
                            .lambda
                            .mappings
                            .get(m)
                            .and_then(|mp| mp.cursors.get(c))
                            .and_then(|cur| cur.vshards.get(v))
                            .is_some_and(|vs| {
                                vs.next_wake.is_some_and(|w| w <= now)
                                    || (vs.queue.is_empty() && vs.window.as_ref().is_some_and(|w| w.end_ms <= now))
                            });
                        if due {
                            let was_finished = self.lambda.mappings[m].cursors[c].is_finished();
                            self.poll(Lane { mapping: m, cursor: c, vshard: v });
                            // It has just finished its shard: its children may be read now.
                            let cur = &self.lambda.mappings[m].cursors[c];
                            if !was_finished && cur.is_finished() {
                                just_finished.push(cur.start_seq);
                            }
                        }
                    }
                }
                c += 1;
            }
            if !just_finished.is_empty() {
                self.lambda.mappings[m].refresh_waiting();
            }
        }
    }

    /// Adds a cursor for every shard of the stream the mapping has not seen yet.
    /// Drops the cursors of shards the stream no longer has, once they have nothing left to do
    /// (their records are gone), so that a long run does not pile them up. Only when the stream's
    /// shards have changed since the last time.
    fn sync_cursors(&mut self, m: usize) {
        let now = self.now_ms();
        let stream = &self.streams[self.lambda.mappings[m].stream];
        if self.lambda.mappings[m].synced == Some(stream.shards_changed) {
            return;
        }
        let mp = &mut self.lambda.mappings[m];
        mp.synced = Some(stream.shards_changed);
        // Cursors and shards are both in `start_seq` order: one walk over the two matches them.
        let mut shards = stream.shards.iter().peekable();
        let mut state = Vec::with_capacity(mp.cursors.len());
        for c in &mp.cursors {
            while shards.next_if(|sh| sh.start_seq < c.start_seq).is_some() {}
            let shard = shards.peek().filter(|sh| sh.start_seq == c.start_seq);
            state.push(shard.map(|sh| sh.is_open()));
        }
        let mut state = state.into_iter();
        mp.cursors.retain_mut(|c| {
            let open = state.next().flatten();
            // A shard that closed or went away while its pollers slept: wake them, so that they
            // see its end, finish, and hand over to the child shard (an idle stream would
            // otherwise keep one sleeping cursor per roll-over for ever).
            if open != Some(true) {
                for v in c.vshards.iter_mut().filter(|v| !v.finished && !v.paused && v.next_wake.is_none()) {
                    v.next_wake = Some(next_poll(now));
                }
            }
            open.is_some() || c.vshards.iter().any(|v| !v.finished || !v.queue.is_empty())
        });
        // Shards made after the newest one the mapping knows.
        let newest = mp.cursors.last().map(|c| c.start_seq);
        let from = newest.map_or(0, |n| stream.shards.partition_point(|sh| sh.start_seq <= n));
        let (par, wake) = (mp.cfg.parallelization, Some(next_poll(now)));
        mp.cursors.extend(stream.shards[from..].iter().map(|sh| new_cursor(sh, sh.trimmed_through + 1, par, wake)));
        mp.refresh_waiting();
    }

    fn poll(&mut self, at: Lane) {
        let Lane { mapping: m, cursor: c, vshard: v } = at;
        let now = self.now_ms();
        let (si, shard_seq, shard_id, cfg) = {
            let mp = &self.lambda.mappings[m];
            let cur = &mp.cursors[c];
            (mp.stream, cur.start_seq, cur.shard_id.clone(), mp.cfg.clone())
        };
        let region = self.cfg.region.clone();
        let arn = self.streams[si].arn.clone();
        let hash_key =
            self.streams[si].key_schema.get(0).and_then(|k| k["AttributeName"].as_str()).unwrap_or("").to_string();
        let Some(shard) = self.streams[si].shard_at(shard_seq) else {
            // The shard was trimmed away: nothing left to read. Batches still held (a retry was
            // due) are made of its records, all past the retention: discarded and reported as
            // `process` does for records reaching it, never dropped unnoticed.
            while let Some(first) = self.lambda.mappings[m].cursors[c].vshards[v].queue.front() {
                let age = now.saturating_sub(first.records.first().map_or(now, |r| r.created_ms));
                let by_max_age = cfg.max_age_s >= 0 && age > cfg.max_age_s as u64 * 1000;
                self.discard(at, "RecordAgeExceeded", by_max_age);
            }
            let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
            vs.finished = true;
            vs.next_wake = None;
            return;
        };
        let shard_closed = !shard.is_open();
        let shard_last = shard.last_seq();
        let uuid = self.lambda.mappings[m].uuid.clone();
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        vs.next_wake = None;
        if vs.paused {
            return;
        }
        if let Some(t) = vs.queue.front().and_then(|b| b.retry_at) {
            if t > now {
                vs.next_wake = Some(t);
                return;
            }
        }
        // Gather records into a batch that has not been invoked yet.
        let mut filtered = Vec::new();
        let mut explained = Vec::new();
        // Records of this poller read from the shard by this poll, when it read the shard.
        let mut read = None;
        let mut lost = false;
        let mut unseen = false;
        if vs.queue.front().is_none_or(|b| b.attempts == 0) {
            if vs.scan_pos <= shard.trimmed_through {
                lost = true;
                vs.scan_pos = shard.trimmed_through + 1;
            }
            if vs.queue.is_empty() {
                vs.queue.push_back(Batch::new());
            }
            let Some(batch) = vs.queue.front_mut() else { return };
            let held = batch.records.len();
            let mut payload: usize =
                batch.records.iter().map(|r| r.to_json(&region, Some(&arn)).to_string().len()).sum();
            let window_of =
                |r: &Record| if cfg.tumbling_s > 0 { (r.created_ms / 1000) / u64::from(cfg.tumbling_s) } else { 0 };
            for rec in shard.records.range(shard.position_of(vs.scan_pos)..) {
                if rec.created_ms >= now {
                    // Written at this very instant: the next poll sees it.
                    unseen = true;
                    break;
                }
                if vshard_of(rec, &hash_key, cfg.parallelization) != v {
                    vs.scan_pos = rec.seq + 1;
                    continue;
                }
                if batch.records.len() >= cfg.batch_size as usize {
                    break;
                }
                if batch.records.first().is_some_and(|f| window_of(f) != window_of(rec)) {
                    break;
                }
                let as_delivered = rec.to_json(&region, Some(&arn));
                if !cfg.filters.matches(&as_delivered) {
                    explained.push(rec.clone());
                    filtered.push(rec.seq);
                    vs.scan_pos = rec.seq + 1;
                    continue;
                }
                let size = as_delivered.to_string().len();
                if !batch.records.is_empty() && payload + size > PAYLOAD_LIMIT {
                    break;
                }
                payload += size;
                batch.records.push(rec.clone());
                vs.scan_pos = rec.seq + 1;
            }
            read = Some((batch.records.len() - held + explained.len()) as u64);
            if batch.records.is_empty() {
                vs.queue.pop_front();
            }
        }
        let more_in_shard = shard_last.is_some_and(|l| vs.scan_pos <= l);
        if unseen {
            vs.next_wake = Some(next_poll(now));
        }
        if vs.queue.is_empty() {
            vs.position = vs.scan_pos;
            vs.window_start = None;
            if shard_closed && !more_in_shard && vs.window.is_none() {
                vs.finished = true;
            }
        }
        let batch_full = vs.queue.front().is_some_and(|b| b.records.len() >= cfg.batch_size as usize);
        let waiting_window =
            vs.queue.front().is_some_and(|b| b.attempts == 0) && cfg.window_s > 0 && !batch_full && !more_in_shard;
        let window_deadline = if waiting_window {
            let ws = *vs.window_start.get_or_insert(now);
            let end = ws + u64::from(cfg.window_s) * 1000;
            (now < end).then_some(end)
        } else {
            None
        };
        if let Some(end) = window_deadline {
            vs.next_wake = Some(end);
        }
        let window_due = vs.window.as_ref().is_some_and(|w| w.end_ms <= now)
            && vs.queue.front().is_none_or(|b| {
                b.records.first().is_none_or(|r| r.created_ms >= vs.window.as_ref().map_or(0, |w| w.end_ms))
            });
        let front = vs.queue.front().cloned();
        if let Some(n) = read {
            let filtered_out = explained.len() as u64;
            let mm = self.metrics_now(m);
            mm.polled += n;
            mm.filtered_out += filtered_out;
        }
        if !explained.is_empty() {
            let f = FilteredRecords {
                time_ms: now,
                uuid: uuid.clone(),
                function: self.lambda.mappings[m].function.clone(),
                shard_id: shard_id.clone(),
                stream: si,
                filters: cfg.filters.clone(),
                records: explained,
            };
            let limit = self.cfg.history_limit;
            keep(&mut self.lambda.filtered, f, limit, &mut self.lambda.dropped.filtered);
        }
        if !filtered.is_empty() {
            self.log(
                now,
                &uuid,
                &shard_id,
                LogKind::Filtered,
                filtered,
                "filtered out: no filter pattern matched; skipped for good".into(),
            );
        }
        if lost {
            self.log(
                now,
                &uuid,
                &shard_id,
                LogKind::Expired,
                vec![],
                "records were trimmed from the stream before they were read".into(),
            );
        }
        if window_due {
            self.final_window_invoke(at, false);
            return;
        }
        let Some(batch) = front else { return };
        if window_deadline.is_some() {
            return;
        }
        self.process(at, batch);
    }

    /// Checks the age and chain of the front batch, then invokes the function with it.
    fn process(&mut self, at: Lane, batch: Batch) {
        let Lane { mapping: m, cursor: c, vshard: v } = at;
        let now = self.now_ms();
        let cfg = self.lambda.mappings[m].cfg.clone();
        let too_old = |r: &Rc<Record>| {
            let age = now.saturating_sub(r.created_ms);
            (cfg.max_age_s >= 0 && age > cfg.max_age_s as u64 * 1000) || age >= RETENTION_MS
        };
        let expired = batch.records.iter().take_while(|r| too_old(r)).count();
        if expired > 0 {
            // Records older than MaximumRecordAgeInSeconds are discarded; the rest go on.
            let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
            if let Some(front) = vs.queue.front_mut() {
                if expired < front.records.len() {
                    let rest = Batch { records: front.records.split_off(expired), ..front.clone() };
                    vs.queue.insert(1, rest);
                }
            }
            // Past MaximumRecordAgeInSeconds, or (with no maximum) at the stream's retention:
            // Lambda's DroppedEventCount counts the first and not the second.
            let by_max_age = cfg.max_age_s >= 0
                && batch
                    .records
                    .first()
                    .is_some_and(|r| now.saturating_sub(r.created_ms) > cfg.max_age_s as u64 * 1000);
            self.discard(at, "RecordAgeExceeded", by_max_age);
            return;
        }
        let chain = batch.records.iter().map(|r| r.chain).max().unwrap_or(0) + 1;
        if let Some(limit) = self.cfg.loop_guard.filter(|&limit| chain > limit) {
            self.pause_for_loop_guard(at, &batch, chain, limit);
            return;
        }
        let outcome = self.invoke(at, &batch, chain, None);
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        let Some(front) = vs.queue.front_mut() else { return };
        front.attempts = batch.attempts + 1;
        match outcome {
            Outcome::Success => {
                vs.queue.pop_front();
                // §4.9: a window state over 1 MB ends the window early.
                let too_big =
                    vs.window.as_ref().is_some_and(|w| w.state.to_json().to_string().len() > WINDOW_STATE_LIMIT);
                self.lambda.mappings[m].last_result = LastResult::Ok;
                self.after_batch(at);
                if too_big {
                    self.final_window_invoke(at, true);
                }
            }
            Outcome::Error(msg) => self.failed(at, msg, Failed::Thrown),
            // docs/aws-behaviour.md §4.5: the lowest reported sequence number is the checkpoint;
            // an empty or null identifier, or one that is not a record of the batch, makes the
            // whole batch a failure; no identifier at all is a success.
            Outcome::PartialFailure(ids) if ids.is_empty() => {
                vs.queue.pop_front();
                self.lambda.mappings[m].last_result = LastResult::Ok;
                self.after_batch(at);
            }
            Outcome::PartialFailure(ids) => {
                let in_batch = |id: &Option<String>| {
                    id.as_deref()
                        .and_then(|s| s.parse::<u128>().ok())
                        .filter(|n| batch.records.iter().any(|r| r.seq == *n))
                };
                let seqs: Option<Vec<u128>> = ids.iter().map(in_batch).collect();
                match seqs.and_then(|s| s.into_iter().min()) {
                    Some(first) => self.failed(
                        at,
                        format!("partial batch failure at sequence number {first}"),
                        Failed::Partial(first),
                    ),
                    None => {
                        let bad = ids.iter().find(|id| in_batch(id).is_none()).cloned().flatten();
                        let what = match bad.as_deref() {
                            None => "a null itemIdentifier".to_string(),
                            Some("") => "an empty itemIdentifier".to_string(),
                            Some(s) => format!(
                                "the itemIdentifier \"{s}\", which is not the sequence number of a record of the batch"
                            ),
                        };
                        let msg = format!(
                            "the partial batch response has {what}: Lambda treats the whole batch as a failure"
                        );
                        self.failed(at, msg, Failed::BadResponse)
                    }
                }
            }
        }
    }

    /// The simulator's loop guard holds the front batch back: the shard waits, nothing is lost,
    /// until the limit is raised or the guard turned off ([`Engine::set_loop_guard`]).
    fn pause_for_loop_guard(&mut self, at: Lane, batch: &Batch, chain: u32, limit: u32) {
        let Lane { mapping: m, cursor: c, vshard: v } = at;
        let now = self.now_ms();
        let mp = &self.lambda.mappings[m];
        let (uuid, shard, function) = (mp.uuid.clone(), mp.cursors[c].shard_id.clone(), mp.function.clone());
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        vs.paused = true;
        vs.next_wake = None;
        let seqs = batch.records.iter().map(|r| r.seq).collect();
        self.log(
            now,
            &uuid,
            &shard,
            LogKind::LoopGuard,
            seqs,
            format!(
                "Paused by the simulator's loop guard: this batch would be invocation {chain} of a chain of \
                 triggers fed by their own writes (the guard's limit is {limit}). This is StreamLab's guard, not \
                 AWS's: Lambda's recursive loop detection does not cover loops through DynamoDB, so on AWS this \
                 loop would go on running, and billing, until someone changed the code or the mapping."
            ),
        );
        let pause = GuardPause { time_ms: now, function, uuid, shard_id: shard, chain, limit };
        self.lambda.guard_pauses.push(pause);
    }

    /// A batch failed: drop what a partial response says is done, then bisect, retry or discard.
    fn failed(&mut self, at: Lane, error: String, kind: Failed) {
        let Lane { mapping: m, cursor: c, vshard: v } = at;
        let now = self.now_ms();
        let cfg = self.lambda.mappings[m].cfg.clone();
        let (uuid, shard) = (self.lambda.mappings[m].uuid.clone(), self.lambda.mappings[m].cursors[c].shard_id.clone());
        self.lambda.mappings[m].last_result = LastResult::FunctionCallFailed;
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        let Some(b) = vs.queue.front_mut() else { return };
        b.last_error = Some(error);
        b.function_error = kind == Failed::Thrown;
        let first = b.records.first().map_or(0, |r| r.seq);
        if let Failed::Partial(from) = kind {
            b.records.retain(|r| r.seq >= from);
        }
        let seqs: Vec<u128> = b.records.iter().map(|r| r.seq).collect();
        if cfg.bisect && matches!(kind, Failed::Partial(from) if from > first) {
            // Bisect with a partial response: split at the returned sequence number and retry
            // only the remainder, without using a retry.
            b.retry_at = Some(next_poll(now));
            vs.next_wake = Some(next_poll(now));
            self.log(now, &uuid, &shard, LogKind::Bisected, seqs, "partial batch response: the batch is split at the reported record; the remainder is retried (no retry used)".into());
        } else if cfg.bisect && b.records.len() > 1 {
            let second = Batch { records: b.records.split_off(b.records.len() / 2), ..b.clone() };
            b.retry_at = Some(next_poll(now));
            vs.queue.insert(1, second);
            vs.next_wake = Some(next_poll(now));
            self.log(
                now,
                &uuid,
                &shard,
                LogKind::Bisected,
                seqs,
                "function error: batch split in two halves, retried separately (no retry used)".into(),
            );
        } else if cfg.max_retry >= 0 && i64::from(b.retries) >= cfg.max_retry {
            self.discard(at, "RetryAttemptsExhausted", true);
        } else {
            b.retries += 1;
            let delay = (BACKOFF_BASE_MS << (b.retries - 1).min(16)).min(BACKOFF_CAP_MS);
            b.retry_at = Some(now + delay);
            vs.next_wake = Some(now + delay);
            // A response Lambda cannot use is not a thrown error: say what was wrong with it.
            let why = if kind == Failed::BadResponse { b.last_error.clone().map(|e| e + "; ") } else { None };
            let msg = format!(
                "{}retry {} in {} s; the shard is blocked until this batch succeeds or is discarded",
                why.unwrap_or_default(),
                b.retries,
                delay / 1000
            );
            self.log(now, &uuid, &shard, LogKind::Retrying, seqs, msg);
        }
    }

    /// Gives up on the front batch: the checkpoint moves past it, and the on-failure
    /// destination (if any) receives a record describing it (§4.6).
    /// `dropped`: whether records discarded with no destination count in DroppedEventCount
    /// (not those lost to the stream's retention).
    fn discard(&mut self, at: Lane, condition: &str, dropped: bool) {
        let Lane { mapping: m, cursor: c, vshard: v } = at;
        let now = self.now_ms();
        let mp = &self.lambda.mappings[m];
        let stream_arn = self.streams[mp.stream].arn.clone();
        let function_arn = self.function_arn(&mp.function);
        let (uuid, shard, dest) = (mp.uuid.clone(), mp.cursors[c].shard_id.clone(), mp.cfg.on_failure.clone());
        let Some(b) = self.lambda.mappings[m].cursors[c].vshards[v].queue.pop_front() else { return };
        let (Some(first), Some(last)) = (b.records.first(), b.records.last()) else {
            self.after_batch(at);
            return;
        };
        let seqs = b.records.iter().map(|r| r.seq).collect();
        let request_id = self.rng.uuid();
        let record = json!({
            "requestContext": {
                "requestId": request_id,
                "functionArn": function_arn,
                "condition": condition,
                "approximateInvokeCount": b.attempts,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": if b.function_error { json!("Unhandled") } else { Value::Null },
            },
            "version": "1.0",
            "timestamp": time::iso_millis(now),
            "DDBStreamBatchInfo": {
                "shardId": shard,
                "startSequenceNumber": first.seq.to_string(),
                "endSequenceNumber": last.seq.to_string(),
                "approximateArrivalOfFirstRecord": time::iso_seconds(first.created_ms),
                "approximateArrivalOfLastRecord": time::iso_seconds(last.created_ms),
                "batchSize": b.records.len(),
                "streamArn": stream_arn,
            }
        });
        let msg = match &dest {
            Some(d) => format!("{condition}: batch discarded and described to the on-failure destination {d}"),
            None => {
                format!("{condition}: batch discarded (no on-failure destination is configured, so nothing keeps it)")
            }
        };
        let n = b.records.len() as u64;
        let mm = self.metrics_now(m);
        if dest.is_some() {
            mm.on_failure_delivered += n;
        } else if dropped {
            mm.dropped += n;
        }
        if let Some(d) = dest {
            // §4.6: an S3 destination's object also holds the invocation payload.
            let payload =
                d.starts_with("arn:aws:s3:::").then(|| (b.records.as_slice().into(), stream_arn.as_str().into()));
            let rec = FailureRecord { record, payload };
            let limit = self.cfg.history_limit;
            keep(&mut self.lambda.failures, rec, limit, &mut self.lambda.dropped.failures);
        }
        self.log(now, &uuid, &shard, LogKind::Discarded, seqs, msg);
        self.after_batch(at);
    }

    /// After a batch is done with: advance the checkpoint when nothing is queued, poll again soon.
    fn after_batch(&mut self, at: Lane) {
        let Lane { mapping: m, cursor: c, vshard: v } = at;
        let now = self.now_ms();
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        if vs.queue.is_empty() {
            vs.position = vs.scan_pos;
            vs.window_start = None;
        }
        vs.next_wake = Some(next_poll(now));
    }

    /// The last invocation of a window: at its end, or `early` when its state outgrew 1 MB.
    fn final_window_invoke(&mut self, at: Lane, early: bool) {
        let Lane { mapping: m, cursor: c, vshard: v } = at;
        let empty = Batch::new();
        self.invoke(at, &empty, 1, Some(early));
        let name = self.lambda.mappings[m].function.clone();
        let now = self.now_ms();
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        let done = vs.window.take();
        vs.next_wake = Some(next_poll(now));
        if let (Some(w), Some(f)) = (done, self.lambda.functions.get_mut(&name)) {
            // With tumbling windows the published aggregates are those of the last closed window.
            f.aggregates = w.state;
        }
    }

    /// Invokes the mapping's function with `batch` and applies its effects.
    /// `final_window`: for a window's final invoke, whether it was terminated early.
    fn invoke(&mut self, at: Lane, batch: &Batch, chain: u32, final_window: Option<bool>) -> Outcome {
        let Lane { mapping: m, cursor: c, vshard: v } = at;
        let now = self.now_ms();
        let (si, name, uuid, shard_id, cfg) = {
            let mp = &self.lambda.mappings[m];
            (mp.stream, mp.function.clone(), mp.uuid.clone(), mp.cursors[c].shard_id.clone(), mp.cfg.clone())
        };
        let arn: Rc<str> = self.streams[si].arn.as_str().into();
        self.work.records += batch.records.len() as u64;
        // Tumbling windows: the event carries the window and the state so far.
        let tumbling = cfg.tumbling_s > 0;
        let mut window_event = None;
        if tumbling {
            let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
            if vs.window.is_none() {
                if let Some(first) = batch.records.first() {
                    let len = u64::from(cfg.tumbling_s) * 1000;
                    let start = first.created_ms / 1000 * 1000 / len * len;
                    vs.window = Some(Window { start_ms: start, end_ms: start + len, state: Aggregates::default() });
                }
            }
            let window = vs.window.as_ref().map(|w| (w.start_ms, w.end_ms, w.state.to_json()));
            window_event = Some(Box::new(WindowEvent { window, final_window }));
        }
        // Run the function's rules record by record, as a handler would.
        let mut outcome = Outcome::Success;
        let mut invoke_failed = false;
        // Records the handler gave up on while the batch still succeeds, and why.
        let mut lost: Vec<(Vec<u128>, String)> = Vec::new();
        if final_window.is_none() && self.lambda.in_loop(chain) {
            let l = &mut self.lambda.loops;
            if l.invocations == 0 {
                l.first_ms = now;
            }
            l.invocations += 1;
            l.last_ms = now;
            l.longest_chain = l.longest_chain.max(chain);
        }
        let saved_chain = self.write_chain;
        self.write_chain = chain;
        for rec in &batch.records {
            let seq = rec.seq.to_string();
            let (keys, new_image, old_image) = (rec.keys(), rec.new_image(), rec.old_image());
            let view = RecordView {
                event_name: rec.event_name.as_str(),
                ttl: rec.ttl,
                keys: &keys,
                new_image: new_image.as_ref(),
                old_image: old_image.as_ref(),
                sequence_number: &seq,
            };
            let result = {
                let Some(f) = self.lambda.functions.get_mut(&name) else {
                    outcome = Outcome::Error("Function not found".into());
                    invoke_failed = true;
                    break;
                };
                let window_state = if tumbling {
                    self.lambda.mappings[m].cursors[c].vshards[v].window.as_mut().map(|w| &mut w.state)
                } else {
                    None
                };
                match window_state {
                    Some(state) => f.program.run_counting(&view, state, &mut f.fired),
                    None => f.program.run_counting(&view, &mut f.aggregates, &mut f.fired),
                }
            };
            let failure = match result {
                Ok(effects) => {
                    self.apply_effects(&name, effects).err().map(|reason| Failure { reason, report: Report::Default })
                }
                Err(f) => Some(f),
            };
            let Some(Failure { reason, report }) = failure else { continue };
            let reported = match report {
                // The handler catches its own error and goes on: Lambda sees nothing wrong.
                Report::Swallow => {
                    lost.push((vec![rec.seq], format!("the handler swallowed the error \"{reason}\" and went on")));
                    continue;
                }
                Report::Default if cfg.report_failures => Some(seq.clone()),
                Report::Default => {
                    outcome = Outcome::Error(reason);
                    break;
                }
                Report::Sequence => Some(seq.clone()),
                Report::EventId => Some(crate::sim::stream::event_id_hex(rec.event_id)),
                Report::Null => None,
                Report::Text(t) => Some(t),
            };
            if cfg.report_failures {
                outcome = Outcome::PartialFailure(vec![reported]);
            } else {
                // A partial batch response with ReportBatchItemFailures off is ignored: the
                // batch counts as a success, and this record and those after it are lost.
                let rest: Vec<u128> = batch.records.iter().filter(|r| r.seq >= rec.seq).map(|r| r.seq).collect();
                lost.push((
                    rest,
                    format!("the handler returned a partial batch response for \"{reason}\", but ReportBatchItemFailures is off, so Lambda ignored it and counted the batch a success"),
                ));
            }
            break;
        }
        self.write_chain = saved_chain;
        if outcome == Outcome::Success {
            for (seqs, why) in lost {
                let n = seqs.len();
                let message = format!(
                    "{why}: {} lost (Lambda will not retry {}; nothing reaches an on-failure destination)",
                    if n == 1 { "the record is".to_string() } else { format!("{n} records are") },
                    if n == 1 { "it" } else { "them" }
                );
                self.log(now, &uuid, &shard_id, LogKind::Lost, seqs, message);
            }
        }
        if let (None, Some(last)) = (final_window, batch.records.last()) {
            let n = batch.records.len() as u64;
            let age = now.saturating_sub(last.created_ms);
            let failed = invoke_failed || matches!(&outcome, Outcome::PartialFailure(ids) if !ids.is_empty());
            let mm = self.metrics_now(m);
            mm.invoked += n;
            if failed {
                mm.failed_invoke += n;
            }
            mm.iterator_age_max_ms = mm.iterator_age_max_ms.max(age);
            mm.iterator_age_sum_ms += age;
            mm.iterator_age_samples += 1;
        }
        self.costs.invocation(now, batch.attempts == 0, &batch.records);
        let invocation = Invocation {
            function: name,
            uuid,
            shard_id,
            time_ms: now,
            attempt: batch.attempts + 1,
            records: batch.records.as_slice().into(),
            arn,
            window: window_event,
            outcome: outcome.clone(),
        };
        let limit = self.cfg.history_limit;
        keep(&mut self.lambda.invocations, invocation, limit, &mut self.lambda.dropped.invocations);
        outcome
    }

    /// Applies a rule's effects: notifications are recorded; writes go through the normal API,
    /// so they make stream records of their own (and may trigger further functions).
    fn apply_effects(&mut self, function: &str, effects: Vec<Effect>) -> std::result::Result<(), String> {
        for e in effects {
            let r = match e {
                Effect::Notify { channel, message } => {
                    let n = Notification { time_ms: self.now_ms(), channel, message, function: function.to_string() };
                    self.lambda.keep_notification(n, self.cfg.history_limit);
                    Ok(Value::Null)
                }
                Effect::Put { table, item } => {
                    self.call("PutItem", &json!({"TableName": table, "Item": item_to_json(&item)}))
                }
                Effect::Delete { table, key } => {
                    self.call("DeleteItem", &json!({"TableName": table, "Key": item_to_json(&key)}))
                }
                Effect::Update { table, key, add, set } => {
                    let mut names = Map::new();
                    let mut values = Map::new();
                    let mut sets = Vec::new();
                    let mut adds = Vec::new();
                    for (i, (attr, val)) in set.iter().enumerate() {
                        names.insert(format!("#s{i}"), json!(attr));
                        values.insert(format!(":s{i}"), val.to_json());
                        sets.push(format!("#s{i} = :s{i}"));
                    }
                    for (i, (attr, val)) in add.iter().enumerate() {
                        names.insert(format!("#a{i}"), json!(attr));
                        values.insert(format!(":a{i}"), val.to_json());
                        adds.push(format!("#a{i} :a{i}"));
                    }
                    let mut expr = String::new();
                    if !sets.is_empty() {
                        expr.push_str(&format!("SET {}", sets.join(", ")));
                    }
                    if !adds.is_empty() {
                        expr.push_str(&format!(" ADD {}", adds.join(", ")));
                    }
                    let mut r = json!({"TableName": table, "Key": item_to_json(&key)});
                    if !expr.trim().is_empty() {
                        r["UpdateExpression"] = json!(expr.trim());
                        r["ExpressionAttributeNames"] = Value::Object(names);
                        r["ExpressionAttributeValues"] = Value::Object(values);
                    }
                    self.call("UpdateItem", &r)
                }
            };
            r.map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// The current minute's metrics of mapping `m`. With a history limit, only that many minutes
    /// are kept (the oldest let go).
    fn metrics_now(&mut self, m: usize) -> &mut MinuteMetrics {
        let minute = self.now_ms() / 60_000 * 60_000;
        let limit = self.cfg.history_limit;
        let metrics = &mut self.lambda.mappings[m].metrics;
        // Time only moves forward: the current minute is the last one, or a new one.
        if metrics.last().is_none_or(|(t, _)| *t != minute) {
            if let Some(limit) = limit {
                let over = (metrics.len() + 1).saturating_sub(limit.max(1));
                metrics.drain(..over.min(metrics.len()));
            }
            metrics.push((minute, MinuteMetrics::default()));
        }
        let last = metrics.len() - 1;
        &mut metrics[last].1
    }

    fn log(&mut self, now: u64, uuid: &str, shard: &str, kind: LogKind, seqs: Vec<u128>, message: String) {
        const MAX_LOG: usize = 10_000;
        const MAX_OUTCOMES: usize = 100_000;
        let stage = match kind {
            LogKind::Filtered => Some(Stage::Filtered),
            LogKind::Discarded => Some(Stage::Discarded),
            _ => None,
        };
        if let (Some(stage), Some(m)) = (stage, self.lambda.mappings.iter_mut().find(|m| m.uuid == uuid)) {
            for &q in &seqs {
                if let Some(n) = outcome_key(q) {
                    m.outcomes.insert(n, stage.code());
                }
            }
            while m.outcomes.len() > MAX_OUTCOMES {
                m.outcomes.pop_first();
            }
        }
        let entry =
            LogEntry { time_ms: now, uuid: uuid.into(), shard_id: shard.into(), kind, sequence_numbers: seqs, message };
        keep(&mut self.lambda.log, entry, Some(MAX_LOG), &mut self.lambda.dropped.log);
    }
}
