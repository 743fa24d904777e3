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

/// What a trigger loop would cost on AWS, in US dollars, at list prices for us-east-1 as of
/// [`PRICES_DATE`]: Lambda requests and duration at the smallest memory size (128 MB, x86), and
/// on-demand write request units (docs/aws-behaviour.md §4.10). The prices are AWS's list
/// prices as published on its pricing pages; the duration is the simulator's assumption.
pub mod loop_prices {
    /// When the prices below were taken.
    pub const PRICES_DATE: &str = "December 2026";
    /// Lambda, per request.
    pub const LAMBDA_REQUEST_USD: f64 = 0.20 / 1_000_000.0;
    /// Lambda duration per millisecond at 128 MB, x86.
    pub const LAMBDA_MS_128MB_USD: f64 = 0.000_000_002_1;
    /// DynamoDB on-demand, per write request unit.
    pub const WRITE_UNIT_USD: f64 = 0.625 / 1_000_000.0;
    /// The simulator's assumption: each invocation is billed this long (the rule language's
    /// functions take no simulated time; a small handler runs in tens of milliseconds).
    pub const ASSUMED_DURATION_MS: u64 = 100;

    /// Dollars per hour at the pace of `invocations` made between the first and the last,
    /// `span_ms` of simulated time apart (so `invocations - 1` intervals), with `write_units`
    /// written by them; None before there is a pace (fewer than two, or no time between).
    pub fn per_hour(invocations: u64, write_units: u64, span_ms: u64) -> Option<f64> {
        if invocations < 2 || span_ms == 0 {
            return None;
        }
        let per_hour = (invocations - 1) as f64 / (span_ms as f64 / 3_600_000.0);
        let units_each = write_units as f64 / invocations as f64;
        let each = LAMBDA_REQUEST_USD + ASSUMED_DURATION_MS as f64 * LAMBDA_MS_128MB_USD + units_each * WRITE_UNIT_USD;
        Some(per_hour * each)
    }
}
