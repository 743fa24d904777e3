//! DynamoDB Streams: streams, shards with lineage, records in the exact GetRecords shape.

use crate::model::{json_str, Image, ImageBytes};
use crate::model::{AttributeValue, Item};
use crate::model::{EventName, ViewType};
use serde_json::{json, Map, Value};
use std::collections::VecDeque;
use std::rc::Rc;

/// The change a record describes: the key and the item before and after, as compact
/// [`Image`]s, with their DynamoDB sizes in bytes.
#[derive(Clone, Debug)]
pub struct Change {
    pub keys: Image,
    pub old: Option<Image>,
    pub new: Option<Image>,
    /// Item sizes (DynamoDB's measure) of the key, the old item and the new item.
    pub sizes: [usize; 3],
}

/// One stream record. It keeps the item before and after the change whatever the view type
/// (compact images, the new one shared with the record of the next change of that item), so
/// the lab can show the same change under every view type; its JSON and its `*_image`
/// accessors carry only what its view type carries.
#[derive(Debug)]
pub struct Record {
    /// The eventID's 128 random bits (shown as 32 hex digits).
    pub event_id: u128,
    pub event_name: EventName,
    /// Exact simulated time of the write, in epoch milliseconds.
    pub created_ms: u64,
    pub change: Change,
    pub seq: u128,
    pub view_type: ViewType,
    /// A TTL deletion, made by the DynamoDB service.
    pub ttl: bool,
    /// How many trigger invocations led to this write (0 for a learner's own write); used to
    /// stop recursive trigger loops.
    pub chain: u32,
}

impl Record {
    /// Builds a record for a change; the caller has already decided the change is real.
    pub fn new(event_id: u128, created_ms: u64, change: Change, view_type: ViewType, seq: u128, ttl: bool) -> Record {
        let event_name = match (&change.old, &change.new) {
            (None, _) => EventName::Insert,
            (Some(_), Some(_)) => EventName::Modify,
            (Some(_), None) => EventName::Remove,
        };
        Record { event_id, event_name, created_ms, change, seq, view_type, ttl, chain: 0 }
    }

    /// The same change as a stream of another view type would have recorded it.
    pub fn as_view(&self, view: ViewType) -> Record {
        let mut r = Record::new(self.event_id, self.created_ms, self.change.clone(), view, self.seq, self.ttl);
        r.chain = self.chain;
        r
    }

    /// The key attributes of the changed item.
    pub fn keys(&self) -> Item {
        self.change.keys.decode()
    }

    /// One key attribute, without decoding the others.
    pub fn key_attr(&self, name: &str) -> Option<AttributeValue> {
        self.change.keys.get(name)
    }

    fn new_carried(&self) -> Option<&Image> {
        self.change.new.as_ref().filter(|_| self.view_type.has_new())
    }

    fn old_carried(&self) -> Option<&Image> {
        self.change.old.as_ref().filter(|_| self.view_type.has_old())
    }

    /// Whether the record carries a NewImage / an OldImage (event and view type allowing).
    pub fn has_new_image(&self) -> bool {
        self.new_carried().is_some()
    }
    pub fn has_old_image(&self) -> bool {
        self.old_carried().is_some()
    }

    /// The NewImage / OldImage the record carries, decoded.
    pub fn new_image(&self) -> Option<Item> {
        self.new_carried().map(Image::decode)
    }
    pub fn old_image(&self) -> Option<Item> {
        self.old_carried().map(Image::decode)
    }

    /// `SizeBytes`: the key plus the images the view type carries.
    pub fn size_bytes(&self) -> usize {
        let [keys, old, new] = self.change.sizes;
        keys + if self.has_new_image() { new } else { 0 } + if self.has_old_image() { old } else { 0 }
    }

    /// Why each absent image is absent: the event (nothing before an INSERT, nothing after a
    /// REMOVE) or the view type. Empty when both images are there.
    pub fn absent_images_explained(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.has_old_image() {
            notes.push(match self.event_name {
                EventName::Insert => "No old image: there was no item before an INSERT.".to_string(),
                _ => format!("No old image: the view type {} does not carry old images.", self.view_type.as_str()),
            });
        }
        if !self.has_new_image() {
            notes.push(match self.event_name {
                EventName::Remove => "No new image: there is no item after a REMOVE.".to_string(),
                _ => format!("No new image: the view type {} does not carry new images.", self.view_type.as_str()),
            });
        }
        notes
    }

    pub fn approximate_creation_secs(&self) -> u64 {
        self.created_ms / 1000
    }

    /// The record as GetRecords returns it (`lambda_arn` = None), or as Lambda delivers it
    /// (`eventSourceARN` added and `ApproximateCreationDateTime` a float).
    pub fn to_json(&self, region: &str, lambda_arn: Option<&str>) -> Value {
        let mut out = Vec::with_capacity(512);
        self.write_json(region, lambda_arn, &mut out);
        // Read back as text (always UTF-8 here): one JSON reader in the page, not two.
        std::str::from_utf8(&out).ok().and_then(|text| serde_json::from_str(text).ok()).unwrap_or(Value::Null)
    }

    /// Writes [`Record::to_json`] as compact JSON text, straight from the images (the one
    /// definition of a record's shape; `to_json` reads it back).
    pub fn write_json(&self, region: &str, lambda_arn: Option<&str>, out: &mut Vec<u8>) {
        self.json().write(region, lambda_arn, out)
    }

    /// What `write_json` writes, the images borrowed as bytes.
    pub fn json(&self) -> RecordJson<'_> {
        RecordJson {
            event_id: self.event_id,
            event_name: self.event_name,
            secs: self.approximate_creation_secs(),
            ttl: self.ttl,
            keys: self.change.keys.bytes(),
            new: self.new_carried().map(Image::bytes),
            old: self.old_carried().map(Image::bytes),
            seq: self.seq,
            size: self.size_bytes(),
            view_type: self.view_type,
        }
    }
}

/// A record as `Record::write_json` writes it, its images borrowed as bytes: plain data, which
/// a thread other than the engine's may read (`streamlab replay` writes records on two).
#[derive(Clone, Copy)]
pub struct RecordJson<'a> {
    event_id: u128,
    event_name: EventName,
    secs: u64,
    ttl: bool,
    keys: ImageBytes<'a>,
    new: Option<ImageBytes<'a>>,
    old: Option<ImageBytes<'a>>,
    seq: u128,
    size: usize,
    view_type: ViewType,
}

/// An eventID as 32 lowercase hex digits (written by hand: core's u128 formatting would add
/// to the page).
pub fn event_id_hex(id: u128) -> String {
    (0..32).rev().map(|k| b"0123456789abcdef"[(id >> (4 * k)) as usize & 15] as char).collect()
}

impl RecordJson<'_> {
    /// `Record::write_json`.
    pub fn write(&self, region: &str, lambda_arn: Option<&str>, out: &mut Vec<u8>) {
        let secs = self.secs;
        // Numbers written by hand and by serde_json's itoa, not `write!` (most of the cost of
        // the record's fixed members).
        out.extend_from_slice(b"{\"eventID\":\"");
        out.extend(event_id_hex(self.event_id).bytes());
        out.extend_from_slice(b"\",\"eventName\":\"");
        out.extend_from_slice(self.event_name.as_str().as_bytes());
        out.push(b'"');
        out.extend_from_slice(b",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":");
        json_str(out, region);
        if self.ttl {
            out.extend_from_slice(
                b",\"userIdentity\":{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}",
            );
        }
        out.extend_from_slice(b",\"dynamodb\":{\"ApproximateCreationDateTime\":");
        let _ = if lambda_arn.is_some() {
            serde_json::to_writer(&mut *out, &(secs as f64))
        } else {
            serde_json::to_writer(&mut *out, &secs)
        };
        out.extend_from_slice(b",\"Keys\":");
        self.keys.write_json(out);
        if let Some(n) = self.new {
            out.extend_from_slice(b",\"NewImage\":");
            n.write_json(out);
        }
        if let Some(o) = self.old {
            out.extend_from_slice(b",\"OldImage\":");
            o.write_json(out);
        }
        out.extend_from_slice(b",\"SequenceNumber\":\"");
        let _ = serde_json::to_writer(&mut *out, &self.seq);
        out.extend_from_slice(b"\",\"SizeBytes\":");
        let _ = serde_json::to_writer(&mut *out, &self.size);
        out.extend_from_slice(b",\"StreamViewType\":\"");
        out.extend_from_slice(self.view_type.as_str().as_bytes());
        out.extend_from_slice(b"\"}");
        if let Some(arn) = lambda_arn {
            out.extend_from_slice(b",\"eventSourceARN\":");
            json_str(out, arn);
        }
        out.push(b'}');
    }
}

#[derive(Debug)]
pub struct Shard {
    pub id: String,
    pub parent: Option<String>,
    /// The parent's `start_seq`. Shards are kept in creation order, which is the order of their
    /// `start_seq`, so a shard (and a poller's cursor on it) is found by that number.
    pub parent_seq: Option<u128>,
    pub start_seq: u128,
    pub end_seq: Option<u128>,
    pub created_ms: u64,
    pub closed_ms: Option<u64>,
    /// Retained records, oldest first.
    pub records: VecDeque<Rc<Record>>,
    /// Highest sequence number trimmed away (0 if none).
    pub trimmed_through: u128,
}

impl Shard {
    pub fn is_open(&self) -> bool {
        self.end_seq.is_none()
    }

    pub fn last_seq(&self) -> Option<u128> {
        self.records.back().map(|r| r.seq)
    }

    /// Index of the first retained record whose sequence number is at least `seq`.
    pub fn position_of(&self, seq: u128) -> usize {
        self.records.partition_point(|r| r.seq < seq)
    }

    /// The retained record numbered `seq` (found by bisection: records are in order).
    pub fn record(&self, seq: u128) -> Option<&Rc<Record>> {
        self.records.get(self.position_of(seq)).filter(|r| r.seq == seq)
    }

    pub fn to_json(&self) -> Value {
        let mut range = Map::new();
        range.insert("StartingSequenceNumber".into(), json!(self.start_seq.to_string()));
        if let Some(e) = self.end_seq {
            range.insert("EndingSequenceNumber".into(), json!(e.to_string()));
        }
        let mut m = Map::new();
        m.insert("ShardId".into(), json!(self.id));
        if let Some(p) = &self.parent {
            m.insert("ParentShardId".into(), json!(p));
        }
        m.insert("SequenceNumberRange".into(), Value::Object(range));
        Value::Object(m)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamStatus {
    Enabled,
    Disabled,
}

#[derive(Debug)]
pub struct Stream {
    pub arn: String,
    pub label: String,
    pub table_name: String,
    pub view_type: ViewType,
    pub status: StreamStatus,
    pub key_schema: Value,
    pub created_ms: u64,
    pub disabled_ms: Option<u64>,
    /// Shards in creation order (parents before children).
    pub shards: Vec<Shard>,
    /// Slot → index in `shards` of the open shard serving that slot of the key space.
    pub open_slots: Vec<usize>,
    /// Bumped whenever shards are added or removed, so a mapping only looks for new shards
    /// when there may be some.
    pub shards_changed: u64,
}

impl Stream {
    /// The shard whose `start_seq` is `seq` (shards are in that order).
    pub fn shard_at(&self, seq: u128) -> Option<&Shard> {
        self.shards.binary_search_by_key(&seq, |s| s.start_seq).ok().map(|i| &self.shards[i])
    }

    pub fn shard(&self, id: &str) -> Option<&Shard> {
        self.shard_index(id).map(|i| &self.shards[i])
    }

    /// Shards are kept in creation order and a shard's id starts with its creation time
    /// (`shardId-<20-digit ms>-…`), so the shards made at that time are found by bisection.
    pub fn shard_index(&self, id: &str) -> Option<usize> {
        let Some(t) = id.get(..28) else { return self.shards.iter().position(|s| s.id == id) };
        let from = self.shards.partition_point(|s| s.id.get(..28).is_some_and(|x| x < t));
        let mut same_time = self.shards[from..].iter().take_while(|s| s.id.get(..28) == Some(t));
        same_time.position(|s| s.id == id).map(|i| from + i)
    }

    /// Every retained record, parent shards before their children, each shard in order.
    pub fn records_in_order(&self) -> impl Iterator<Item = &Rc<Record>> {
        self.lineage_order().into_iter().flat_map(move |i| self.shards[i].records.iter())
    }

    /// Shard indexes ordered so that every parent comes before its children.
    pub fn lineage_order(&self) -> Vec<usize> {
        // Shards are created after their parents, so creation order already is a lineage order.
        (0..self.shards.len()).collect()
    }

    pub fn status_str(&self) -> &'static str {
        match self.status {
            StreamStatus::Enabled => "ENABLED",
            StreamStatus::Disabled => "DISABLED",
        }
    }

    /// The stream in the shape `streamlab replay` prints under `streams`.
    pub fn to_output_json(&self, region: &str) -> Value {
        json!({
            "TableName": self.table_name,
            "StreamArn": self.arn,
            "StreamLabel": self.label,
            "StreamViewType": self.view_type.as_str(),
            "Records": self.records_in_order().map(|r| r.to_json(region, None)).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(v: &str) -> Image {
        Image::encode(&Item::from([("k".to_string(), AttributeValue::S(v.into()))]))
    }

    #[test]
    fn absent_images_say_whether_the_event_or_the_view_type_is_why() {
        let rec = |old: Option<Image>, new: Option<Image>, view| {
            Record::new(0, 0, Change { keys: item("a"), old, new, sizes: [2, 2, 2] }, view, 1, false)
        };
        // §1.3: an INSERT has no old image whatever the view type; OLD_IMAGE carries no new one.
        let insert = rec(None, Some(item("a")), ViewType::OldImage);
        assert_eq!(
            insert.absent_images_explained(),
            [
                "No old image: there was no item before an INSERT.",
                "No new image: the view type OLD_IMAGE does not carry new images."
            ]
        );
        let remove = rec(Some(item("a")), None, ViewType::NewImage);
        assert_eq!(
            remove.absent_images_explained(),
            [
                "No old image: the view type NEW_IMAGE does not carry old images.",
                "No new image: there is no item after a REMOVE."
            ]
        );
        assert!(rec(Some(item("a")), Some(item("b")), ViewType::NewAndOldImages).absent_images_explained().is_empty());
    }

    #[test]
    fn a_shard_finds_a_retained_record_by_its_number() {
        let rec = |seq| {
            Rc::new(Record::new(
                seq,
                0,
                Change { keys: item("a"), old: None, new: None, sizes: [2, 0, 0] },
                ViewType::KeysOnly,
                seq,
                false,
            ))
        };
        let shard = Shard {
            id: "shardId-1".into(),
            parent: None,
            parent_seq: None,
            start_seq: 10,
            end_seq: None,
            created_ms: 0,
            closed_ms: None,
            records: [10, 20, 30].into_iter().map(rec).collect(),
            trimmed_through: 0,
        };
        assert_eq!(shard.record(20).map(|r| r.seq), Some(20));
        assert_eq!(shard.record(10).map(|r| r.seq), Some(10));
        assert_eq!(shard.record(30).map(|r| r.seq), Some(30));
        for missing in [5, 25, 40] {
            assert!(shard.record(missing).is_none(), "{missing}");
        }
    }

    #[test]
    fn record_text_has_the_spec_shape_in_order() {
        // §1.1–§1.3: eventID, eventName, eventVersion, eventSource, awsRegion, userIdentity (TTL
        // deletes only), dynamodb {ApproximateCreationDateTime, Keys, NewImage, OldImage,
        // SequenceNumber, SizeBytes, StreamViewType}; Lambda adds eventSourceARN and a float time.
        let change = Change { keys: item("a"), old: Some(item("b")), new: None, sizes: [2, 2, 0] };
        let mut rec = Record::new(
            0xe2fd9c34eff2d779b297b26f5fef4206,
            1_767_225_600_250,
            change,
            ViewType::NewAndOldImages,
            300000000000000499659,
            true,
        );
        rec.chain = 0;
        let old = r#"{"k":{"S":"b"}}"#;
        let keys = r#"{"k":{"S":"a"}}"#;
        let expected = format!(
            "{{\"eventID\":\"e2fd9c34eff2d779b297b26f5fef4206\",\"eventName\":\"REMOVE\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"eu-west-3\",\"userIdentity\":{{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}},\"dynamodb\":{{\"ApproximateCreationDateTime\":1767225600,\"Keys\":{keys},\"OldImage\":{old},\"SequenceNumber\":\"300000000000000499659\",\"SizeBytes\":4,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}}}"
        );
        let mut text = Vec::new();
        rec.write_json("eu-west-3", None, &mut text);
        assert_eq!(String::from_utf8(text).ok(), Some(expected.clone()));
        assert_eq!(serde_json::to_string(&rec.to_json("eu-west-3", None)).ok(), Some(expected));
        let lambda = rec.to_json("eu-west-3", Some("arn:s"));
        assert_eq!(lambda["dynamodb"]["ApproximateCreationDateTime"].as_f64(), Some(1_767_225_600.0));
        assert!(lambda["dynamodb"]["ApproximateCreationDateTime"].is_f64(), "a float in Lambda events");
        assert_eq!(lambda["eventSourceARN"], "arn:s");
    }
}
