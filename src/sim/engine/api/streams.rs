//! The DynamoDB Streams API: ListStreams, DescribeStream, GetShardIterator, GetRecords.

use crate::model::{AwsError, ErrorKind, Result};
use crate::sim::engine::api::req;
use crate::sim::engine::{Engine, ITERATOR_TTL_MS, RETENTION_MS};
use crate::sim::stream::{Stream, StreamStatus};
use crate::support::hash::fnv1a;
use serde_json::{json, Value};

const MAX_RECORDS_BYTES: usize = 1 << 20;

/// A decoded shard iterator: where in which shard, and when it was issued.
struct Iter {
    stream: usize,
    shard: String,
    /// The next record returned is the first whose sequence number is at least this.
    position: u128,
    issued_ms: u64,
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect();
    String::from_utf8(bytes?).ok()
}

fn invalid_iterator() -> AwsError {
    AwsError::validation("Invalid ShardIterator")
}

fn trimmed() -> AwsError {
    AwsError::new(ErrorKind::TrimmedDataAccess, "The data you are trying to access has been trimmed.")
}

/// A stream ARN must look like `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`.
fn well_formed_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" || parts[2] != "dynamodb" || arn.len() < 37 || arn.len() > 1024 {
        return false;
    }
    let res: Vec<&str> = parts[5].split('/').collect();
    res.len() == 4 && res[0] == "table" && !res[1].is_empty() && res[2] == "stream" && !res[3].is_empty()
}

fn sequence_number(s: &str) -> Result<u128> {
    if s.len() < 21 || s.len() > 40 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(req::constraint(
            s,
            "sequenceNumber",
            "Member must have length between 21 and 40 and contain only digits",
        ));
    }
    s.parse().map_err(|_| req::constraint(s, "sequenceNumber", "Member must be a valid sequence number"))
}

/// A shard id member: 28 to 65 characters (API model).
fn check_shard_id(id: &str, field: &str) -> Result<()> {
    if id.len() < 28 || id.len() > 65 {
        return Err(req::constraint(id, field, "Member must have length between 28 and 65"));
    }
    Ok(())
}

impl Engine {
    fn stream_by_arn(&self, arn: &str, field: &str) -> Result<usize> {
        if !well_formed_arn(arn) {
            return Err(req::constraint(arn, field, "Member must be a valid stream ARN"));
        }
        // A disabled stream (also that of a deleted table) is deleted 24 h after disabling.
        self.streams
            .iter()
            .position(|s| s.arn == arn && self.listed(s))
            .ok_or_else(|| AwsError::not_found(format!("Requested resource not found: Stream: {arn} not found")))
    }

    /// Listed: enabled streams, and disabled ones for 24 h after disabling.
    fn listed(&self, s: &Stream) -> bool {
        s.status == StreamStatus::Enabled || s.disabled_ms.is_some_and(|d| d + RETENTION_MS > self.now_ms())
    }

    pub(in crate::sim::engine) fn list_streams(&mut self, r: &Value) -> Result<Value> {
        let table = req::string(r, "TableName")?;
        if let Some(t) = table {
            req::table_name(r, "TableName").map(|_| t)?;
        }
        let limit = req::integer(r, "Limit")?.unwrap_or(100);
        if !(1..=100).contains(&limit) {
            return Err(req::constraint(limit, "limit", "Member must have value between 1 and 100"));
        }
        let mut candidates: Vec<&Stream> =
            self.streams.iter().filter(|s| self.listed(s) && table.is_none_or(|t| s.table_name == t)).collect();
        if let Some(start) = req::string(r, "ExclusiveStartStreamArn")? {
            let si = self.stream_by_arn(start, "exclusiveStartStreamArn")?;
            let start_arn = &self.streams[si].arn;
            let pos = candidates.iter().position(|s| &s.arn == start_arn).map_or(candidates.len(), |p| p + 1);
            candidates.drain(..pos);
        }
        let page: Vec<Value> = candidates
            .iter()
            .take(limit as usize)
            .map(|s| json!({"StreamArn": s.arn, "TableName": s.table_name, "StreamLabel": s.label}))
            .collect();
        let mut out = json!({"Streams": page});
        if candidates.len() > limit as usize {
            out["LastEvaluatedStreamArn"] = json!(candidates[limit as usize - 1].arn);
        }
        Ok(out)
    }

    pub(in crate::sim::engine) fn describe_stream(&mut self, r: &Value) -> Result<Value> {
        let arn = req::required_string(r, "StreamArn")?;
        // The members' constraints are checked before the stream is looked up, as AWS does.
        let limit = req::integer(r, "Limit")?.unwrap_or(100);
        if !(1..=100).contains(&limit) {
            return Err(req::constraint(limit, "limit", "Member must have value between 1 and 100"));
        }
        let start = req::string(r, "ExclusiveStartShardId")?;
        if let Some(id) = start {
            check_shard_id(id, "exclusiveStartShardId")?;
        }
        let parent_filter = match req::object(r, "ShardFilter")? {
            Some(f) => {
                let ty = req::required_string(f, "Type")?;
                if ty != "CHILD_SHARDS" {
                    return Err(req::constraint(
                        ty,
                        "shardFilter.type",
                        "Member must satisfy enum value set: [CHILD_SHARDS]",
                    ));
                }
                let id = req::required_string(f, "ShardId")?;
                check_shard_id(id, "shardFilter.shardId")?;
                Some(id)
            }
            None => None,
        };
        let si = self.stream_by_arn(arn, "streamArn")?;
        let s = &self.streams[si];
        let mut shards: Vec<_> =
            s.shards.iter().filter(|sh| parent_filter.is_none_or(|p| sh.parent.as_deref() == Some(p))).collect();
        // Stable, as `sort_by` was: two shards with one id (a collision of their random part)
        // keep the stream's order, which is the order of their addresses in `s.shards`.
        crate::support::sort::heapsort_by(&mut shards, |a, b| {
            (&a.id, std::ptr::from_ref(*a)) < (&b.id, std::ptr::from_ref(*b))
        });
        if let Some(start) = start {
            // An ExclusiveStartShardId that is not a shard of the stream gives an empty page (§3.2).
            match shards.iter().position(|sh| sh.id == start) {
                Some(p) => drop(shards.drain(..=p)),
                None => shards.clear(),
            }
        }
        let page: Vec<Value> = shards.iter().take(limit as usize).map(|sh| sh.to_json()).collect();
        let mut desc = json!({
            "StreamArn": s.arn,
            "StreamLabel": s.label,
            "StreamStatus": s.status_str(),
            "StreamViewType": s.view_type.as_str(),
            "CreationRequestDateTime": s.created_ms as f64 / 1000.0,
            "TableName": s.table_name,
            "KeySchema": s.key_schema,
            "Shards": page,
        });
        if shards.len() > limit as usize {
            desc["LastEvaluatedShardId"] = json!(shards[limit as usize - 1].id);
        }
        Ok(json!({"StreamDescription": desc}))
    }

    fn encode_iterator(&self, it: &Iter) -> String {
        let body = format!("{}/{}/{}", it.shard, it.position, it.issued_ms);
        let check = fnv1a(format!("{}|{}", self.streams[it.stream].arn, body).as_bytes());
        format!("{}|1|{}", self.streams[it.stream].arn, hex(&format!("{body}/{check:016x}")))
    }

    fn decode_iterator(&self, s: &str) -> Result<Iter> {
        let (arn, rest) = s.rsplit_once("|1|").ok_or_else(invalid_iterator)?;
        let body = unhex(rest).ok_or_else(invalid_iterator)?;
        let (body, check) = body.rsplit_once('/').ok_or_else(invalid_iterator)?;
        if format!("{:016x}", fnv1a(format!("{arn}|{body}").as_bytes())) != check {
            return Err(invalid_iterator());
        }
        let parts: Vec<&str> = body.split('/').collect();
        let [shard, position, issued] = parts.as_slice() else { return Err(invalid_iterator()) };
        let stream = self
            .streams
            .iter()
            .position(|st| st.arn == arn && self.listed(st))
            .ok_or_else(|| AwsError::not_found(format!("Requested resource not found: Stream: {arn} not found")))?;
        Ok(Iter {
            stream,
            shard: shard.to_string(),
            position: position.parse().map_err(|_| invalid_iterator())?,
            issued_ms: issued.parse().map_err(|_| invalid_iterator())?,
        })
    }

    pub(in crate::sim::engine) fn get_shard_iterator(&mut self, r: &Value) -> Result<Value> {
        let arn = req::required_string(r, "StreamArn")?;
        let shard_id = req::required_string(r, "ShardId")?;
        let ty = req::required_string(r, "ShardIteratorType")?;
        let seq = req::string(r, "SequenceNumber")?;
        if !matches!(ty, "TRIM_HORIZON" | "LATEST" | "AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER") {
            return Err(req::constraint(
                ty,
                "shardIteratorType",
                "Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]",
            ));
        }
        check_shard_id(shard_id, "shardId")?;
        let si = self.stream_by_arn(arn, "streamArn")?;
        let shard = self.streams[si].shard(shard_id).ok_or_else(|| {
            AwsError::not_found(format!("Requested resource not found: Shard does not exist: {shard_id}"))
        })?;
        let position = match (ty, seq) {
            ("TRIM_HORIZON", None) => shard.trimmed_through + 1,
            ("LATEST", None) => shard.last_seq().map_or(shard.start_seq, |s| s + 1).max(shard.trimmed_through + 1),
            ("AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER", Some(s)) => {
                let n = sequence_number(s)?;
                if n <= shard.trimmed_through {
                    return Err(trimmed());
                }
                if ty == "AT_SEQUENCE_NUMBER" {
                    n
                } else {
                    // The largest number the simulator can hold has no successor: rejected as
                    // the larger (unparsable) ones are.
                    n.checked_add(1)
                        .ok_or_else(|| req::constraint(s, "sequenceNumber", "Member must be a valid sequence number"))?
                }
            }
            (_, None) => {
                return Err(AwsError::validation(format!("Must specify a sequence number for iterator type {ty}")))
            }
            (_, Some(_)) => {
                return Err(AwsError::validation(format!(
                    "Sequence number must not be specified for iterator type {ty}"
                )))
            }
        };
        let it = Iter { stream: si, shard: shard_id.to_string(), position, issued_ms: self.now_ms() };
        Ok(json!({"ShardIterator": self.encode_iterator(&it)}))
    }

    pub(in crate::sim::engine) fn get_records(&mut self, r: &Value) -> Result<Value> {
        let raw = req::required_string(r, "ShardIterator")?;
        if raw.is_empty() || raw.len() > 2048 {
            return Err(req::constraint("...", "shardIterator", "Member must have length between 1 and 2048"));
        }
        let limit = req::integer(r, "Limit")?.unwrap_or(1000);
        if limit < 1 {
            return Err(req::constraint(limit, "limit", "Member must have value greater than or equal to 1"));
        }
        if limit > 1000 {
            return Err(req::constraint(limit, "limit", "Member must have value less than or equal to 1000"));
        }
        let it = self.decode_iterator(raw)?;
        if it.issued_ms > self.now_ms() {
            // Not an iterator this service issued (the clock never goes back).
            return Err(invalid_iterator());
        }
        if it.issued_ms + ITERATOR_TTL_MS < self.now_ms() {
            return Err(AwsError::new(ErrorKind::ExpiredIterator,
                format!(
                    "Iterator expired. The iterator was created at time {} while right now it is {} which is further in the future than the tolerated delay of {} milliseconds.",
                    crate::support::time::iso_millis(it.issued_ms),
                    crate::support::time::iso_millis(self.now_ms()),
                    ITERATOR_TTL_MS
                ),
            ));
        }
        let stream = &self.streams[it.stream];
        let shard = stream.shard(&it.shard).ok_or_else(|| {
            AwsError::not_found(format!("Requested resource not found: Shard does not exist: {}", it.shard))
        })?;
        if it.position <= shard.trimmed_through {
            return Err(trimmed());
        }
        let mut out = Vec::new();
        let mut bytes = 0;
        let mut next = it.position;
        for rec in shard.records.range(shard.position_of(it.position)..) {
            if out.len() as i64 >= limit || (!out.is_empty() && bytes + rec.size_bytes() > MAX_RECORDS_BYTES) {
                break;
            }
            bytes += rec.size_bytes();
            out.push(rec.to_json(&self.cfg.region, None));
            next = rec.seq + 1;
        }
        let at_end = shard.last_seq().is_none_or(|last| next > last);
        let mut resp = json!({"Records": out});
        if !at_end || shard.is_open() {
            let it = Iter { position: next, issued_ms: self.now_ms(), ..it };
            resp["NextShardIterator"] = json!(self.encode_iterator(&it));
        }
        Ok(resp)
    }
}
