//! What the Lambda side shows: invocations, notifications, aggregates and on-failure records as
//! `streamlab replay` prints them, and where a record is on its way through a mapping.

use super::*;
use crate::lang::rules::Groups;
use crate::sim::engine::Engine;
use crate::sim::stream::Record;
use serde_json::{json, Value};

impl Engine {
    pub fn invocations_output(&self) -> Vec<Value> {
        self.invocations_json().collect()
    }

    /// The invocations as `streamlab replay` prints them, each made into JSON as it is asked
    /// for (so writing them holds one at a time).
    pub fn invocations_json(&self) -> impl Iterator<Item = Value> + '_ {
        self.lambda.invocations.iter().map(|i| invocation_json(i, &self.cfg.region))
    }

    pub fn notifications_output(&self) -> Vec<Value> {
        self.notifications_json().collect()
    }

    /// The notifications as `streamlab replay` prints them, each made into JSON as it is asked
    /// for (so writing them holds one at a time).
    pub fn notifications_json(&self) -> impl Iterator<Item = Value> + '_ {
        self.lambda.notifications.iter().map(
            |n| json!({"Time": n.time_ms as f64 / 1000.0, "Channel": n.channel, "Message": n.message, "FunctionName": n.function}),
        )
    }

    /// Every aggregate the functions maintain, merged by name.
    pub fn aggregates_output(&self) -> Value {
        Value::Object(
            self.aggregates().into_iter().map(|(name, groups)| (name.to_string(), groups.to_json())).collect(),
        )
    }

    /// Every aggregate the functions maintain, merged by name (a later function's aggregate of
    /// the same name in the place of the first), in the order of [`Engine::aggregates_output`],
    /// its groups not made into JSON.
    pub fn aggregates(&self) -> Vec<(&str, Groups<'_>)> {
        let mut out: Vec<(&str, Groups<'_>)> = Vec::new();
        for (name, groups) in self.lambda.functions.values().flat_map(|f| f.aggregates.each()) {
            match out.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = groups,
                None => out.push((name, groups)),
            }
        }
        out
    }

    pub fn failures_output(&self) -> Vec<Value> {
        self.failures_json().collect()
    }

    /// The on-failure records as `streamlab replay` prints them, each made into JSON as it is
    /// asked for.
    pub fn failures_json(&self) -> impl Iterator<Item = Value> + '_ {
        self.lambda.failures.iter().map(|f| f.to_json(&self.cfg.region))
    }

    /// Whether any mapping publishes its event-count metrics (`MetricsConfig`).
    pub fn has_event_count_metrics(&self) -> bool {
        self.lambda.mappings.iter().any(|m| m.cfg.event_count_metrics)
    }

    /// Every mapping's metrics, a row per mapping and minute with activity, oldest first within a
    /// mapping, as `streamlab replay` prints them: the event counts for a mapping that publishes
    /// them (`MetricsConfig` EventCount), and `IteratorAge` (Maximum and Average, ms) for every
    /// mapping, in minutes with an invocation.
    pub fn metrics_output(&self) -> Vec<Value> {
        let mut rows = Vec::new();
        for mp in &self.lambda.mappings {
            for (minute, mm) in &mp.metrics {
                let mut row = json!({"UUID": mp.uuid, "FunctionName": mp.function, "Time": minute / 1000});
                if mp.cfg.event_count_metrics {
                    row["PolledEventCount"] = json!(mm.polled);
                    row["FilteredOutEventCount"] = json!(mm.filtered_out);
                    row["InvokedEventCount"] = json!(mm.invoked);
                    row["FailedInvokeEventCount"] = json!(mm.failed_invoke);
                    row["DroppedEventCount"] = json!(mm.dropped);
                    row["OnFailureDestinationDeliveredEventCount"] = json!(mm.on_failure_delivered);
                } else if mm.iterator_age_samples == 0 {
                    continue;
                }
                if mm.iterator_age_samples > 0 {
                    row["IteratorAge"] = json!({
                        "Maximum": mm.iterator_age_max_ms,
                        "Average": mm.iterator_age_sum_ms as f64 / mm.iterator_age_samples as f64,
                    });
                }
                rows.push(row);
            }
        }
        rows
    }

    /// Why each record a mapping's filters rejected was rejected, as `streamlab replay
    /// --explain-filters` prints them.
    pub fn filtered_output(&self) -> Vec<Value> {
        self.lambda
            .filtered
            .iter()
            .flat_map(|f| f.records.iter().map(move |r| (f, r)))
            .map(|(f, r)| {
                json!({
                    "Time": f.time_ms as f64 / 1000.0,
                    "FunctionName": f.function,
                    "UUID": f.uuid,
                    "ShardId": f.shard_id,
                    "SequenceNumber": r.seq.to_string(),
                    "Why": self.why(f, r),
                })
            })
            .collect()
    }

    /// Why `r` was filtered out: one sentence per filter of the criteria that rejected it.
    fn why(&self, f: &FilteredRecords, r: &Record) -> Vec<String> {
        let arn = self.streams.get(f.stream).map(|s| s.arn.as_str());
        f.filters.explain(&r.to_json(&self.cfg.region, arn))
    }

    /// Why the record with sequence number `seq` was filtered out, by each mapping that
    /// filtered it out (while that is still kept): the function's name and the sentences.
    pub fn why_filtered(&self, seq: u128) -> Vec<(&str, Vec<String>)> {
        self.lambda
            .filtered
            .iter()
            .flat_map(|f| f.records.iter().filter(|r| r.seq == seq).map(move |r| (f.function.as_str(), self.why(f, r))))
            .collect()
    }

    /// Every pause of the simulator's loop guard, as `streamlab replay` prints them.
    pub fn loop_guard_output(&self) -> Vec<Value> {
        self.lambda
            .guard_pauses
            .iter()
            .map(|p| {
                json!({
                    "Time": p.time_ms as f64 / 1000.0,
                    "FunctionName": p.function,
                    "UUID": p.uuid,
                    "ShardId": p.shard_id,
                    "Invocation": p.chain,
                    "Limit": p.limit,
                    "Note": "paused by StreamLab's loop guard; on AWS this loop through DynamoDB would not be stopped",
                })
            })
            .collect()
    }

    pub fn lambda(&self) -> &Lambda {
        &self.lambda
    }

    /// Where record `seq` of shard `shard_id` is on its way through mapping `m`.
    pub fn record_stage(&self, m: usize, shard_id: &str, seq: u128) -> Option<Stage> {
        let mp = self.lambda.mappings.get(m)?;
        let stream = self.streams.get(mp.stream)?;
        let cursor = mp.cursors.iter().find(|c| c.shard_id == shard_id)?;
        let rec = stream.shard(shard_id)?.record(seq)?;
        let hash_key = stream.key_schema.get(0).and_then(|k| k["AttributeName"].as_str()).unwrap_or("");
        let vs = cursor.vshards.get(vshard_of(rec, hash_key, mp.cfg.parallelization))?;
        if let Some(stage) = outcome_key(seq).and_then(|k| mp.outcomes.get(&k).copied()).and_then(Stage::from_code) {
            return Some(stage);
        }
        for (i, b) in vs.queue.iter().enumerate() {
            if b.records.iter().any(|r| r.seq == seq) {
                return Some(match (i, b.attempts) {
                    (0, _) if vs.paused => Stage::LoopPaused,
                    (0, 0) => Stage::Waiting,
                    (0, a) => Stage::Retrying { attempt: a },
                    _ => Stage::Blocked,
                });
            }
        }
        if seq < vs.position {
            return Some(Stage::Done);
        }
        let blocked = vs.paused || vs.queue.front().is_some_and(|b| b.attempts > 0);
        Some(if blocked { Stage::Blocked } else { Stage::InShard })
    }
}

/// An invocation as `streamlab replay` prints it, its event in `region`.
pub fn invocation_json(i: &Invocation, region: &str) -> Value {
    let mut v = json!({
        "FunctionName": i.function,
        "UUID": i.uuid,
        "ShardId": i.shard_id,
        "Time": i.time_ms as f64 / 1000.0,
        "Attempt": i.attempt,
        "Event": i.event(region),
    });
    match &i.outcome {
        Outcome::Success => v["Outcome"] = json!("Success"),
        Outcome::Error(e) => {
            v["Outcome"] = json!("Error");
            v["Error"] = json!(e);
        }
        Outcome::PartialFailure(ids) => {
            v["Outcome"] = json!("PartialFailure");
            v["BatchItemFailures"] = Value::Array(ids.iter().map(|s| json!({ "itemIdentifier": s })).collect());
        }
    }
    v
}
