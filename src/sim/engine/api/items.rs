//! PutItem, UpdateItem, DeleteItem, GetItem, Query, Scan, BatchWriteItem, TransactWriteItems.
//!
//! Every write goes through one path: `prepare` validates the request against the table,
//! `evaluate` checks its condition and computes the new item against the current state, and
//! `Engine::commit` stores it and appends the stream record. A failing request writes nothing.
//! One shortcut: an UpdateItem of an item whose stream image was kept changes the stored item
//! in place and takes the change back if it fails (`update_in_place`), then commits as usual.

use crate::lang::expr::{self, Condition, Expressions, KeyOp, Sources, Update, MAX_ATTRIBUTE_NAME_BYTES};
use crate::model::Image;
use crate::model::{item_from_json, item_size, item_to_json, AttributeValue, Item, MAX_ITEM_SIZE};
use crate::model::{AwsError, ErrorKind, Result};
use crate::model::{KeyVal, PrimaryKey};
use crate::sim::engine::api::req;
use crate::sim::engine::{ttl_due_at, Engine};
use crate::sim::stream::Change;
use crate::sim::table::{key_hash, Kept, Table};
use crate::support::hash::fnv1a;
use serde_json::{json, Map, Value};
use std::collections::btree_map::Entry;
use std::rc::Rc;

/// An item's attribute names: at least one character, at most 64 KB (docs/aws-behaviour.md
/// §6.1, DynamoDB's naming rules). AWS documents the rule, not the message: the wording is
/// StreamLab's (and never repeats a long name).
fn check_attribute_names(item: &Item) -> Result<()> {
    for name in item.keys() {
        if name.is_empty() {
            return Err(AwsError::invalid_values(
                "An attribute name is empty; attribute names are at least one character long",
            ));
        }
        if name.len() > MAX_ATTRIBUTE_NAME_BYTES {
            return Err(AwsError::invalid_values(format!(
                "An attribute name is {} bytes long; attribute names are at most {MAX_ATTRIBUTE_NAME_BYTES} bytes (64 KB)",
                name.len()
            )));
        }
    }
    Ok(())
}

const MAX_READ_BYTES: usize = 1 << 20;
/// The most a transaction's items may total (TransactWriteItems: 4 MB).
const MAX_TRANSACTION_BYTES: usize = 4 << 20;

enum Kind {
    /// The item, its size, and its stream image if made already (see `prepare_put_decoded`).
    Put(Item, usize, Option<Image>),
    Update(Option<Update>),
    Delete,
    Check,
}

/// A validated write, not yet evaluated against the table's current state.
struct Prepared<'r> {
    /// The table's name, as the request gives it.
    table: &'r str,
    key: PrimaryKey,
    kind: Kind,
    condition: Option<Condition>,
    /// `ReturnValuesOnConditionCheckFailure: ALL_OLD`
    old_on_failure: bool,
}

/// The outcome of evaluating a prepared write: the item before and after.
struct Evaluated {
    old: Option<Rc<Item>>,
    /// The new item and its size.
    new: Option<(Item, usize)>,
}

fn compile(r: &Value, fields: &[&str]) -> Result<Expressions> {
    let pick = |f: &str| -> Result<Option<&str>> {
        if fields.contains(&f) {
            req::string(r, f)
        } else {
            Ok(None)
        }
    };
    expr::compile(&Sources {
        condition: pick("ConditionExpression")?,
        update: pick("UpdateExpression")?,
        key_condition: pick("KeyConditionExpression")?,
        filter: pick("FilterExpression")?,
        projection: pick("ProjectionExpression")?,
        names: req::get(r, "ExpressionAttributeNames"),
        values: req::get(r, "ExpressionAttributeValues"),
    })
}

fn return_values<'a>(r: &'a Value, allowed: &[&str], message: &str) -> Result<&'a str> {
    let rv = req::string(r, "ReturnValues")?.unwrap_or("NONE");
    if allowed.contains(&rv) {
        Ok(rv)
    } else if allowed.len() == 2 {
        Err(AwsError::validation(message))
    } else {
        Err(req::constraint(rv, "returnValues", message))
    }
}

fn old_on_failure(r: &Value) -> Result<bool> {
    match req::string(r, "ReturnValuesOnConditionCheckFailure")? {
        None | Some("NONE") => Ok(false),
        Some("ALL_OLD") => Ok(true),
        Some(other) => Err(req::constraint(
            other,
            "returnValuesOnConditionCheckFailure",
            "Member must satisfy enum value set: [ALL_OLD, NONE]",
        )),
    }
}

fn key_member(r: &Value) -> Result<Item> {
    item_from_json(req::object(r, "Key")?.ok_or_else(|| req::missing("key"))?)
}

/// The write's condition, against the item stored now.
fn check_condition(p: &Prepared<'_>, old: Option<&Item>) -> Result<()> {
    match &p.condition {
        Some(c) if !c.eval(old)? => {
            let e = AwsError::condition_failed();
            Err(match (p.old_on_failure, old) {
                (true, Some(o)) => e.with("Item", item_to_json(o)),
                _ => e,
            })
        }
        _ => Ok(()),
    }
}

fn attributes(item: Option<&Item>) -> Value {
    match item {
        Some(i) if !i.is_empty() => json!({"Attributes": item_to_json(i)}),
        _ => json!({}),
    }
}

impl Engine {
    fn live_table(&self, name: &str) -> Result<&Table> {
        self.tables.get(name).ok_or_else(|| AwsError::not_found("Requested resource not found"))
    }

    fn prepare_put<'r>(&self, r: &'r Value) -> Result<Prepared<'r>> {
        self.prepare_put_in(req::table_name(r, "TableName")?, r, true)
    }

    /// A put into the table `name` (checked), its other members read from `r`.
    /// `conditional`: `r` may have a condition; a batch's requests have none (their
    /// ConditionExpression and the like are not members of a PutRequest, and are ignored).
    fn prepare_put_in<'r>(&self, name: &'r str, r: &Value, conditional: bool) -> Result<Prepared<'r>> {
        self.prepare_put_decoded(name, r, None, false, conditional)
    }

    /// `prepare_put_in`, with `decoded` (if given) as `item_from_json` of `r`'s `Item`, which
    /// is then only checked to be an object. `imaged`: the put is committed at once, so if
    /// the table has a stream, the item's stream image is made now, with its size.
    /// `conditional` as in `prepare_put_in`.
    fn prepare_put_decoded<'r>(
        &self,
        name: &'r str,
        r: &Value,
        decoded: Option<Result<Item>>,
        imaged: bool,
        conditional: bool,
    ) -> Result<Prepared<'r>> {
        let json = req::object(r, "Item")?.ok_or_else(|| req::missing("item"))?;
        let item = match decoded {
            Some(item) => item?,
            None => item_from_json(json)?,
        };
        check_attribute_names(&item)?;
        let ex = if conditional { compile(r, &["ConditionExpression"])? } else { Expressions::default() };
        let t = self.live_table(name)?;
        let key = t.key_of_item(&item)?;
        let (image, size) = match t.stream.filter(|_| imaged) {
            Some(_) => {
                let (image, size) = Image::encode_sized(&item);
                (Some(image), size)
            }
            None => (None, item_size(&item)),
        };
        if size > MAX_ITEM_SIZE {
            return Err(AwsError::validation("Item size has exceeded the maximum allowed size"));
        }
        let old_on_failure = conditional && old_on_failure(r)?;
        Ok(Prepared { table: name, key, kind: Kind::Put(item, size, image), condition: ex.condition, old_on_failure })
    }

    fn prepare_keyed<'r>(&self, r: &'r Value, fields: &[&str]) -> Result<(Prepared<'r>, Expressions)> {
        self.prepare_keyed_in(req::table_name(r, "TableName")?, r, fields)
    }

    /// `fields`: the expressions `r` may have; none (a batch's DeleteRequest) means it has no
    /// expressions and no condition at all, and any such members are ignored.
    fn prepare_keyed_in<'r>(&self, name: &'r str, r: &Value, fields: &[&str]) -> Result<(Prepared<'r>, Expressions)> {
        let key_item = key_member(r)?;
        let conditional = !fields.is_empty();
        let mut ex = if conditional { compile(r, fields)? } else { Expressions::default() };
        let t = self.live_table(name)?;
        let key = t.key_from_request(&key_item)?;
        let old_on_failure = conditional && old_on_failure(r)?;
        let p = Prepared { table: name, key, kind: Kind::Check, condition: ex.condition.take(), old_on_failure };
        Ok((p, ex))
    }

    fn prepare_update<'r>(&self, r: &'r Value) -> Result<Prepared<'r>> {
        let (mut p, mut ex) = self.prepare_keyed(r, &["ConditionExpression", "UpdateExpression"])?;
        let t = self.live_table(p.table)?;
        if let Some(u) = &ex.update {
            if let Some(k) = u.target_tops().find(|a| t.schema.is_key(a)) {
                return Err(AwsError::invalid_values(format!(
                    "Cannot update attribute {k}. This attribute is part of the key"
                )));
            }
        }
        p.kind = Kind::Update(ex.update.take());
        Ok(p)
    }

    fn prepare_delete<'r>(&self, r: &'r Value) -> Result<Prepared<'r>> {
        self.prepare_delete_in(req::table_name(r, "TableName")?, r, true)
    }

    /// `conditional` as in `prepare_put_in`.
    fn prepare_delete_in<'r>(&self, name: &'r str, r: &Value, conditional: bool) -> Result<Prepared<'r>> {
        let fields: &[&str] = if conditional { &["ConditionExpression"] } else { &[] };
        let (mut p, _) = self.prepare_keyed_in(name, r, fields)?;
        p.kind = Kind::Delete;
        Ok(p)
    }

    fn prepare_check<'r>(&self, r: &'r Value) -> Result<Prepared<'r>> {
        if req::string(r, "ConditionExpression")?.is_none() {
            return Err(req::missing("conditionExpression"));
        }
        Ok(self.prepare_keyed(r, &["ConditionExpression"])?.0)
    }

    /// Checks the condition against the current item and computes the new one.
    fn evaluate(&self, p: &mut Prepared<'_>) -> Result<Evaluated> {
        let t = self.live_table(p.table)?;
        let old = t.items.get(&p.key).cloned();
        check_condition(p, old.as_deref())?;
        let new = match &mut p.kind {
            // The request's item moves into the table (a prepared write is evaluated once).
            Kind::Put(item, size, _) => Some((std::mem::take(item), *size)),
            Kind::Delete => None,
            // Not committed: the item and its size are not needed.
            Kind::Check => None,
            Kind::Update(u) => {
                let base = old.as_deref().cloned().unwrap_or_else(|| t.key_item(&p.key));
                let new = match u {
                    Some(u) => u.apply(base)?,
                    None => base,
                };
                let size = item_size(&new);
                if size > MAX_ITEM_SIZE {
                    return Err(AwsError::validation("Item size to update has exceeded the maximum allowed size"));
                }
                Some((new, size))
            }
        };
        Ok(Evaluated { old, new })
    }

    fn apply(&mut self, p: Prepared<'_>, e: Evaluated) {
        if !matches!(p.kind, Kind::Check) {
            self.commit(p.table, p.key, e.old, e.new.map(|(n, size)| (Rc::new(n), size)), false);
        }
    }

    /// PutItem; `decoded` as in `prepare_put_decoded`.
    pub(in crate::sim::engine) fn put_item(&mut self, r: &Value, decoded: Option<Result<Item>>) -> Result<Value> {
        let rv = return_values(r, &["NONE", "ALL_OLD"], "ReturnValues can only be ALL_OLD or NONE")?;
        let mut p = self.prepare_put_decoded(req::table_name(r, "TableName")?, r, decoded, true, true)?;
        let Kind::Put(item, size, image) = &mut p.kind else {
            return Err(AwsError::new(ErrorKind::InternalServerError, "Not a put"));
        };
        // The request's item moves into the table.
        let (new, size, image) = (Rc::new(std::mem::take(item)), *size, image.take());
        let t = self.tables.get_mut(p.table).ok_or_else(|| AwsError::not_found("Requested resource not found"))?;
        // The item's place is found once: the condition is checked against what is there,
        // and the new item stored in it (`commit_stored` does the rest).
        let old = match t.items.entry(p.key.clone()) {
            Entry::Occupied(mut e) => {
                check_condition(&p, Some(e.get()))?;
                Some(e.insert(new.clone()))
            }
            Entry::Vacant(e) => {
                check_condition(&p, None)?;
                e.insert(new.clone());
                None
            }
        };
        let out = if rv == "ALL_OLD" { attributes(old.as_deref()) } else { json!({}) };
        self.commit_stored(p.table, p.key, old, Some((new, size)), false, true, image);
        Ok(out)
    }

    pub(in crate::sim::engine) fn delete_item(&mut self, r: &Value) -> Result<Value> {
        let rv = return_values(r, &["NONE", "ALL_OLD"], "ReturnValues can only be ALL_OLD or NONE")?;
        let mut p = self.prepare_delete(r)?;
        let e = self.evaluate(&mut p)?;
        let out = if rv == "ALL_OLD" { attributes(e.old.as_deref()) } else { json!({}) };
        self.apply(p, e);
        Ok(out)
    }

    pub(in crate::sim::engine) fn update_item(&mut self, r: &Value) -> Result<Value> {
        let rv = return_values(
            r,
            &["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"],
            "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
        )?;
        let mut p = self.prepare_update(r)?;
        if let Some(out) = self.update_in_place(&p, rv)? {
            return Ok(out);
        }
        let e = self.evaluate(&mut p)?;
        // The paths the update wrote, for UPDATED_OLD / UPDATED_NEW only.
        let targets = || match &p.kind {
            Kind::Update(Some(u)) => u.target_paths(),
            _ => Vec::new(),
        };
        let out = match rv {
            "ALL_OLD" => attributes(e.old.as_deref()),
            "ALL_NEW" => attributes(e.new.as_ref().map(|(n, _)| n)),
            "UPDATED_OLD" => attributes(e.old.as_deref().map(|o| expr::project(o, &targets())).as_ref()),
            "UPDATED_NEW" => attributes(e.new.as_ref().map(|(n, _)| expr::project(n, &targets())).as_ref()),
            _ => json!({}),
        };
        self.apply(p, e);
        Ok(out)
    }

    /// UpdateItem of an item whose stream image the table kept (see `Table::images`), when
    /// the response needs nothing of the old item: the update is applied to the stored item
    /// itself, not to a copy that then replaces it, and taken back if it fails; the kept
    /// image is the record's OldImage. `None` (nothing done) when that does not apply.
    fn update_in_place(&mut self, p: &Prepared<'_>, rv: &str) -> Result<Option<Value>> {
        let (Kind::Update(Some(u)), "NONE" | "ALL_NEW" | "UPDATED_NEW") = (&p.kind, rv) else { return Ok(None) };
        let (now_ms, delay_ms) = (self.now_ms(), self.cfg.ttl_delay_ms);
        let t = self.tables.get_mut(p.table).ok_or_else(|| AwsError::not_found("Requested resource not found"))?;
        let Some(si) = t.stream else { return Ok(None) };
        let route = fnv1a(&p.key.0.hash_bytes());
        let Some(kept) = t.images.get_mut(key_hash(route, &p.key), &p.key) else { return Ok(None) };
        let Some(slot) = t.items.get_mut(&p.key) else { return Ok(None) };
        check_condition(p, Some(slot))?;
        // Copied first only if something else shares it (a view of the table).
        let item = Rc::make_mut(slot);
        let undo = u.apply_in_place(item)?;
        // The new image (needed unless the size is too large) and the size, in one walk.
        let (image, size) = Image::encode_sized(item);
        // Counted as `Engine::commit` counts it (`Work::bytes`), changed or not.
        self.work.bytes = self.work.bytes.saturating_add(size as u64);
        if size > MAX_ITEM_SIZE {
            undo.undo(item);
            return Err(AwsError::validation("Item size to update has exceeded the maximum allowed size"));
        }
        let out = match rv {
            "ALL_NEW" => attributes(Some(item)),
            "UPDATED_NEW" => attributes(Some(&expr::project(item, &u.target_paths()))),
            _ => json!({}),
        };
        // What `Engine::commit` does for an update in place, with the kept entry found above:
        // a record if the item changed (images are canonical: equal exactly when the items
        // are), whose OldImage is the kept image; the new image is kept in its place.
        if image == kept.image {
            return Ok(Some(out));
        }
        let keys = kept.keys.clone();
        let old = std::mem::replace(kept, Kept { image: image.clone(), size, keys: keys.clone() });
        t.bytes = (t.bytes + size).saturating_sub(old.size);
        let due = t.ttl_attribute.as_deref().and_then(|a| ttl_due_at(item, a, now_ms, delay_ms));
        let change = Change { sizes: [keys.1, old.size, size], keys: keys.0, old: Some(old.image), new: Some(image) };
        if let Some(due) = due {
            self.ttl_queue.insert((due, p.table.to_string(), p.key.clone()));
        }
        self.append_record(si, route, change, false);
        Ok(Some(out))
    }

    pub(in crate::sim::engine) fn get_item(&mut self, r: &Value) -> Result<Value> {
        let name = req::table_name(r, "TableName")?;
        let key_item = key_member(r)?;
        let ex = compile(r, &["ProjectionExpression"])?;
        let t = self.live_table(name)?;
        let key = t.key_from_request(&key_item)?;
        Ok(match t.items.get(&key) {
            Some(item) => json!({"Item": item_to_json(&project(item, &ex))}),
            None => json!({}),
        })
    }

    pub(in crate::sim::engine) fn batch_write_item(&mut self, r: &Value) -> Result<Value> {
        let items = req::object(r, "RequestItems")?.ok_or_else(|| req::missing("requestItems"))?;
        let empty = serde_json::Map::new();
        let map = items.as_object().unwrap_or(&empty);
        let total: usize = map.values().map(|v| v.as_array().map_or(0, Vec::len)).sum();
        if total == 0 || total > 25 {
            return Err(req::constraint(
                "{..}",
                "requestItems",
                "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
            ));
        }
        let mut prepared: Vec<Prepared> = Vec::new();
        for (table, reqs) in map {
            let reqs = reqs.as_array().ok_or_else(|| AwsError::serialization("Expected a list of write requests"))?;
            for w in reqs {
                let put = req::object(w, "PutRequest")?;
                let del = req::object(w, "DeleteRequest")?;
                // Each request is read in place, with the map's key as its table (no copy of
                // the request with a TableName member added).
                let p = match (put, del) {
                    (Some(p), None) => self.prepare_put_in(req::valid_table_name(table, "TableName")?, p, false)?,
                    (None, Some(d)) => self.prepare_delete_in(req::valid_table_name(table, "TableName")?, d, false)?,
                    _ => {
                        return Err(AwsError::validation(
                            "Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest",
                        ))
                    }
                };
                if prepared.iter().any(|q| q.table == p.table && q.key == p.key) {
                    return Err(AwsError::validation("Provided list of item keys contains duplicates"));
                }
                prepared.push(p);
            }
        }
        for mut p in prepared {
            let e = self.evaluate(&mut p)?;
            self.apply(p, e);
        }
        Ok(json!({"UnprocessedItems": {}}))
    }

    pub(in crate::sim::engine) fn transact_write_items(&mut self, r: &Value) -> Result<Value> {
        let actions = req::array(r, "TransactItems")?.ok_or_else(|| req::missing("transactItems"))?;
        if actions.is_empty() || actions.len() > 100 {
            return Err(req::constraint(
                "[..]",
                "transactItems",
                "Member must have length less than or equal to 100, Member must have length greater than or equal to 1",
            ));
        }
        let mut prepared: Vec<Prepared> = Vec::new();
        for a in actions {
            let obj = a.as_object().ok_or_else(|| AwsError::serialization("Expected a TransactWriteItem structure"))?;
            let set: Vec<(&String, &Value)> = obj.iter().filter(|(_, v)| !v.is_null()).collect();
            let [(kind, body)] = set.as_slice() else {
                return Err(AwsError::validation("TransactItems can only contain one of Check, Put, Update or Delete"));
            };
            let p = match kind.as_str() {
                "Put" => self.prepare_put(body)?,
                "Update" => self.prepare_update(body)?,
                "Delete" => self.prepare_delete(body)?,
                "ConditionCheck" => self.prepare_check(body)?,
                _ => {
                    return Err(AwsError::validation(
                        "TransactItems can only contain one of Check, Put, Update or Delete",
                    ))
                }
            };
            if prepared.iter().any(|q| q.table == p.table && q.key == p.key) {
                return Err(AwsError::validation("Transaction request cannot include multiple operations on one item"));
            }
            prepared.push(p);
        }
        let results: Vec<Result<Evaluated>> = prepared.iter_mut().map(|p| self.evaluate(p)).collect();
        if results.iter().any(|r| r.is_err()) {
            let reasons: Vec<Value> = results
                .iter()
                .map(|r| match r {
                    Ok(_) => json!({"Code": "None"}),
                    Err(e) if e.kind == "ConditionalCheckFailedException" => {
                        let mut m = Map::new();
                        m.insert("Code".into(), json!("ConditionalCheckFailed"));
                        m.insert("Message".into(), json!(e.message));
                        if let Some(item) = e.extra.get("Item") {
                            m.insert("Item".into(), item.clone());
                        }
                        Value::Object(m)
                    }
                    Err(e) => json!({"Code": "ValidationError", "Message": e.message}),
                })
                .collect();
            let codes: Vec<&str> = reasons.iter().map(|r| r["Code"].as_str().unwrap_or("None")).collect();
            return Err(AwsError::new(
                ErrorKind::TransactionCanceled,
                format!(
                    "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
                    codes.join(", ")
                ),
            )
            .with("CancellationReasons", Value::Array(reasons)));
        }
        // The items written may total at most 4 MB (spec §6.8).
        let total: usize = results.iter().flatten().filter_map(|e| e.new.as_ref().map(|(_, size)| *size)).sum();
        if total > MAX_TRANSACTION_BYTES {
            return Err(AwsError::validation(format!(
                "Transaction request size has exceeded the maximum allowed size: the items total {total} bytes, more than 4 MB ({MAX_TRANSACTION_BYTES} bytes)"
            )));
        }
        for (p, e) in prepared.into_iter().zip(results) {
            if let Ok(e) = e {
                self.apply(p, e);
            }
        }
        Ok(json!({}))
    }

    pub(in crate::sim::engine) fn query(&mut self, r: &Value) -> Result<Value> {
        let name = req::table_name(r, "TableName")?;
        let ex = compile(r, &["KeyConditionExpression", "FilterExpression", "ProjectionExpression"])?;
        let kc = ex.key_condition.as_ref().ok_or_else(|| {
            AwsError::validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            )
        })?;
        let read = ReadOptions::parse(r)?;
        let t = self.live_table(name)?;
        check_index(r)?;
        let (hash, sort) = key_condition(t, kc)?;
        if let Some(k) = ex.filter.as_ref().and_then(|f| f.top_level_names().into_iter().find(|n| t.schema.is_key(n))) {
            return Err(AwsError::validation(format!(
                "Filter Expression can only contain non-primary key attributes: Primary key attribute: {k}"
            )));
        }
        let start = read.start_key(t)?;
        let mut items: Vec<(&PrimaryKey, &Rc<Item>)> = t
            .items
            .range((hash.clone(), None)..)
            .take_while(|(k, _)| k.0 == hash)
            .filter(|(k, _)| sort.matches(k.1.as_ref()))
            .collect();
        if !read.forward {
            items.reverse();
        }
        if let Some(s) = &start {
            if s.0 != hash {
                return Err(AwsError::validation(
                    "The provided starting key is invalid: The provided key element does not match the schema",
                ));
            }
            let pos = items.iter().position(|(k, _)| k == &s).map_or_else(
                || items.iter().position(|(k, _)| if read.forward { *k > s } else { *k < s }).unwrap_or(items.len()),
                |p| p + 1,
            );
            items.drain(..pos);
        }
        Ok(read.respond(t, items, &ex))
    }

    pub(in crate::sim::engine) fn scan(&mut self, r: &Value) -> Result<Value> {
        let name = req::table_name(r, "TableName")?;
        let ex = compile(r, &["FilterExpression", "ProjectionExpression"])?;
        let read = ReadOptions::parse(r)?;
        let segment = req::integer(r, "Segment")?;
        let total = req::integer(r, "TotalSegments")?;
        let segments = match (segment, total) {
            (None, None) => None,
            (Some(s), Some(n)) if (1..=1_000_000).contains(&n) && (0..n).contains(&s) => Some((s as u64, n as u64)),
            (Some(_), Some(_)) => {
                return Err(AwsError::validation(
                    "The Segment parameter is out of range for the TotalSegments parameter",
                ))
            }
            _ => {
                return Err(AwsError::validation("The TotalSegments and Segment parameters must be specified together"))
            }
        };
        let t = self.live_table(name)?;
        check_index(r)?;
        let start = read.start_key(t)?;
        let items: Vec<(&PrimaryKey, &Rc<Item>)> = t
            .items
            .iter()
            .filter(|(k, _)| start.as_ref().is_none_or(|s| *k > s))
            .filter(|(k, _)| segments.is_none_or(|(s, n)| crate::support::hash::fnv1a(&k.0.hash_bytes()) % n == s))
            .collect();
        Ok(read.respond(t, items, &ex))
    }
}

fn project(item: &Item, ex: &Expressions) -> Item {
    match &ex.projection {
        Some(paths) => expr::project(item, paths),
        None => item.clone(),
    }
}

fn check_index(r: &Value) -> Result<()> {
    match req::string(r, "IndexName")? {
        None => Ok(()),
        Some(ix) => Err(AwsError::validation(format!(
            "The table does not have the specified index: {ix} (StreamLab does not simulate secondary indexes)"
        ))),
    }
}

/// Limit, order, start key and Select of a Query or Scan.
struct ReadOptions {
    limit: Option<usize>,
    forward: bool,
    count_only: bool,
    start: Option<Item>,
}

impl ReadOptions {
    fn parse(r: &Value) -> Result<ReadOptions> {
        let limit = match req::integer(r, "Limit")? {
            Some(l) if l < 1 => {
                return Err(req::constraint(l, "limit", "Member must have value greater than or equal to 1"))
            }
            l => l.map(|l| l as usize),
        };
        let count_only = match req::string(r, "Select")? {
            None | Some("ALL_ATTRIBUTES") | Some("SPECIFIC_ATTRIBUTES") | Some("ALL_PROJECTED_ATTRIBUTES") => false,
            Some("COUNT") => true,
            Some(other) => {
                return Err(req::constraint(
                    other,
                    "select",
                    "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]",
                ))
            }
        };
        let start = req::object(r, "ExclusiveStartKey")?.map(item_from_json).transpose()?;
        Ok(ReadOptions { limit, forward: req::boolean(r, "ScanIndexForward")?.unwrap_or(true), count_only, start })
    }

    fn start_key(&self, t: &Table) -> Result<Option<PrimaryKey>> {
        self.start
            .as_ref()
            .map(|s| {
                t.key_from_request(s).map_err(|_| {
                    AwsError::validation(
                        "The provided starting key is invalid: The provided key element does not match the schema",
                    )
                })
            })
            .transpose()
    }

    /// Reads items in order until Limit or 1 MB, filters and projects them.
    fn respond(&self, t: &Table, items: Vec<(&PrimaryKey, &Rc<Item>)>, ex: &Expressions) -> Value {
        let mut out = Vec::new();
        let mut scanned = 0usize;
        let mut bytes = 0usize;
        let mut last: Option<&PrimaryKey> = None;
        let mut stopped = false;
        for (k, item) in &items {
            if self.limit.is_some_and(|l| scanned >= l) || bytes >= MAX_READ_BYTES {
                stopped = true;
                break;
            }
            scanned += 1;
            bytes += item_size(item);
            last = Some(k);
            let keep = match &ex.filter {
                Some(f) => f.eval(Some(item)).unwrap_or(false),
                None => true,
            };
            if keep {
                out.push(item_to_json(&project(item, ex)));
            }
        }
        let stopped = stopped || (self.limit.is_some_and(|l| scanned >= l) && scanned > 0) || bytes >= MAX_READ_BYTES;
        let mut resp = Map::new();
        if !self.count_only {
            resp.insert("Items".into(), Value::Array(out.clone()));
        }
        resp.insert("Count".into(), json!(out.len()));
        resp.insert("ScannedCount".into(), json!(scanned));
        if let (true, Some(k)) = (stopped, last) {
            resp.insert("LastEvaluatedKey".into(), item_to_json(&t.key_item(k)));
        }
        Value::Object(resp)
    }
}

/// The sort-key part of a key condition.
enum SortCond {
    Any,
    Op(KeyOp),
}

impl SortCond {
    fn matches(&self, v: Option<&KeyVal>) -> bool {
        let SortCond::Op(op) = self else { return true };
        let Some(v) = v else { return false };
        let kv = |a: &AttributeValue| KeyVal::from_attr(a);
        match op {
            KeyOp::Eq(a) => kv(a).is_some_and(|a| *v == a),
            KeyOp::Lt(a) => kv(a).is_some_and(|a| *v < a),
            KeyOp::Le(a) => kv(a).is_some_and(|a| *v <= a),
            KeyOp::Gt(a) => kv(a).is_some_and(|a| *v > a),
            KeyOp::Ge(a) => kv(a).is_some_and(|a| *v >= a),
            KeyOp::Between(a, b) => kv(a).zip(kv(b)).is_some_and(|(a, b)| a <= *v && *v <= b),
            KeyOp::BeginsWith(p) => match (v, p) {
                (KeyVal::S(s), AttributeValue::S(p)) => s.starts_with(p.as_str()),
                (KeyVal::B(s), AttributeValue::B(p)) => s.starts_with(p),
                _ => false,
            },
        }
    }
}

fn op_values(op: &KeyOp) -> Vec<&AttributeValue> {
    match op {
        KeyOp::Eq(a) | KeyOp::Lt(a) | KeyOp::Le(a) | KeyOp::Gt(a) | KeyOp::Ge(a) | KeyOp::BeginsWith(a) => vec![a],
        KeyOp::Between(a, b) => vec![a, b],
    }
}

/// Resolves a key condition against the table's key schema.
fn key_condition(t: &Table, kc: &expr::KeyCondition) -> Result<(KeyVal, SortCond)> {
    let missed = |name: &str| AwsError::validation(format!("Query condition missed key schema element: {name}"));
    let mut hash = None;
    let mut sort = SortCond::Any;
    for (name, op) in &kc.parts {
        let attr = if *name == t.schema.hash.name {
            &t.schema.hash
        } else if let Some(r) = t.schema.range.as_ref().filter(|r| r.name == *name) {
            r
        } else {
            return Err(missed(t.schema.range.as_ref().map_or(&t.schema.hash.name, |r| &r.name)));
        };
        for v in op_values(op) {
            if v.type_name() != attr.ty.as_str() {
                return Err(AwsError::invalid_values("Condition parameter type does not match schema type"));
            }
        }
        if *name == t.schema.hash.name {
            match op {
                KeyOp::Eq(v) => hash = KeyVal::from_attr(v),
                _ => return Err(AwsError::validation("Query key condition not supported")),
            }
        } else {
            if matches!(op, KeyOp::BeginsWith(_)) && attr.ty.as_str() == "N" {
                return Err(AwsError::validation(
                    "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                ));
            }
            sort = SortCond::Op(op.clone());
        }
    }
    let hash = hash.ok_or_else(|| missed(&t.schema.hash.name))?;
    Ok((hash, sort))
}
