//! Polling versus streams: what the equivalent polling design (a Scan of every streamed table
//! every N seconds) would have spent, against what the stream and its triggers spent.
//!
//! Scans read the whole table: eventually consistent reads cost 0.5 read unit per 4 KB read
//! (at least one unit's half per scan), and one request per 1 MB page. A change is noticed by the
//! first scan after it. Lambda's GetRecords calls on a stream are free; the stream side costs
//! invocations, and a change is noticed when its first invocation runs.

use crate::sim::stream::Record;
use serde_json::{json, Value};
use std::rc::Rc;

pub const DEFAULT_POLL_INTERVAL_MS: u64 = 60_000;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Costs {
    /// The polling design's Scan interval (0 = the default, 60 s).
    pub polling_interval_ms: u64,
    pub scans: u64,
    pub scan_requests: u64,
    pub scan_read_units: f64,
    pub changes: u64,
    polling_delay_ms_total: u64,
    pub invocations: u64,
    pub records_delivered: u64,
    stream_delay_ms_total: u64,
}

impl Costs {
    pub fn interval_ms(&self) -> u64 {
        if self.polling_interval_ms == 0 {
            DEFAULT_POLL_INTERVAL_MS
        } else {
            self.polling_interval_ms
        }
    }

    /// A change landed in a stream at `t`: the polling design notices it at the next scan.
    pub fn change(&mut self, t: u64) {
        let i = self.interval_ms();
        self.changes += 1;
        self.polling_delay_ms_total += i - t % i;
    }

    /// Scans the polling design makes between `from` (exclusive) and `to` (inclusive) over
    /// tables of the given sizes in bytes.
    pub fn scans_between(&mut self, from: u64, to: u64, table_bytes: &[usize]) {
        let i = self.interval_ms();
        let n = (to / i).saturating_sub(from / i);
        if n == 0 {
            return;
        }
        for &bytes in table_bytes {
            self.scans += n;
            self.scan_requests += n * (bytes.div_ceil(1 << 20)).max(1) as u64;
            self.scan_read_units += n as f64 * (bytes.div_ceil(4096)).max(1) as f64 * 0.5;
        }
    }

    /// An invocation at `now`; on a first attempt its records count as delivered.
    pub fn invocation(&mut self, now: u64, first_attempt: bool, records: &[Rc<Record>]) {
        self.invocations += 1;
        if first_attempt {
            for r in records {
                self.records_delivered += 1;
                self.stream_delay_ms_total += now.saturating_sub(r.created_ms);
            }
        }
    }

    pub fn to_json(&self) -> Value {
        let avg = |total: u64, n: u64| if n == 0 { Value::Null } else { json!(total as f64 / n as f64 / 1000.0) };
        json!({
            "polling": {
                "intervalSeconds": self.interval_ms() as f64 / 1000.0,
                "scans": self.scans,
                "requests": self.scan_requests,
                "readUnits": self.scan_read_units,
                "averageDelaySeconds": avg(self.polling_delay_ms_total, self.changes),
            },
            "streams": {
                "invocations": self.invocations,
                "getRecordsCalls": "free",
                "recordsDelivered": self.records_delivered,
                "averageDelaySeconds": avg(self.stream_delay_ms_total, self.records_delivered),
            },
            "changes": self.changes,
        })
    }
}
