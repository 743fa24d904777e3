//! Tables: key schema, primary keys, item storage.

use crate::model::Item;
use crate::model::{check_key_sizes, key_len, key_value, KeyAttr, KeySchema, KeyType, KeyVal, PrimaryKey};
use crate::model::{AwsError, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::rc::Rc;

/// How a table's reads and writes are paid for (`BillingMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BillingMode {
    Provisioned,
    PayPerRequest,
}

impl BillingMode {
    pub fn parse(s: &str) -> Option<BillingMode> {
        match s {
            "PROVISIONED" => Some(BillingMode::Provisioned),
            "PAY_PER_REQUEST" => Some(BillingMode::PayPerRequest),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            BillingMode::Provisioned => "PROVISIONED",
            BillingMode::PayPerRequest => "PAY_PER_REQUEST",
        }
    }
}

pub struct Table {
    pub name: String,
    pub arn: String,
    pub id: String,
    pub schema: KeySchema,
    pub attribute_definitions: Vec<(String, KeyType)>,
    pub billing_mode: BillingMode,
    /// Read and write capacity units, when set (DescribeTable shows 0 and 0 otherwise).
    pub provisioned: Option<(i64, i64)>,
    pub created_ms: u64,
    pub items: BTreeMap<PrimaryKey, Rc<Item>>,
    /// The stream image of each item written while the table had a stream, so the record of
    /// the item's next change shares it as its OldImage instead of encoding the item again.
    /// An entry exists only while it matches the item in `items` (see `Engine::commit`); it
    /// also keeps that item's size, and the image of its key ([`Table::key_image`]), which
    /// every record of the key shares. A B-tree, not a hash map: a hash map finds a key with
    /// fewer comparisons, but rehashes every entry at once when it grows, which took a whole
    /// frame (~36 ms) in the page's bursts at about 115,000 items. Ordered by a hash of the key
    /// ([`key_hash`]), so that a search compares integers, not the keys' strings.
    pub(crate) images: Images,
    /// Total size of the items, kept up to date on every write.
    pub bytes: usize,
    /// Index into the engine's streams of the enabled stream, if any.
    pub stream: Option<usize>,
    /// Index of the latest stream ever enabled on this table.
    pub latest_stream: Option<usize>,
    pub ttl_attribute: Option<String>,
    /// Secondary index definitions as given, echoed by DescribeTable.
    pub indexes: serde_json::Map<String, Value>,
}

impl crate::support::named::Named for Table {
    fn name(&self) -> &str {
        &self.name
    }
}

/// What a table keeps of an item for its stream records (see `Table::images`).
pub(crate) struct Kept {
    pub image: crate::model::Image,
    pub size: usize,
    pub keys: (crate::model::Image, usize),
}

/// The images kept for the keys of a table (`Table::images`): a B-tree of [`key_hash`]es,
/// each with the key (or keys, should two share a hash) it was made from.
#[derive(Default)]
pub(crate) struct Images(BTreeMap<u64, Bucket>);

enum Bucket {
    One(PrimaryKey, Kept),
    Many(Vec<(PrimaryKey, Kept)>),
}

impl Images {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entry of `key`, whose [`key_hash`] is `hash`.
    pub fn get_mut(&mut self, hash: u64, key: &PrimaryKey) -> Option<&mut Kept> {
        match self.0.get_mut(&hash)? {
            Bucket::One(k, kept) => (k == key).then_some(kept),
            Bucket::Many(v) => v.iter_mut().find(|(k, _)| k == key).map(|(_, kept)| kept),
        }
    }

    /// Keeps `kept` for `key` (hashed `hash`); returns what was kept for it before.
    pub fn insert(&mut self, hash: u64, key: PrimaryKey, kept: Kept) -> Option<Kept> {
        use std::collections::btree_map::Entry;
        match self.0.entry(hash) {
            Entry::Vacant(e) => {
                e.insert(Bucket::One(key, kept));
                None
            }
            Entry::Occupied(mut e) => match e.get_mut() {
                Bucket::One(k, old) if *k == key => Some(std::mem::replace(old, kept)),
                Bucket::Many(v) => match v.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, old)) => Some(std::mem::replace(old, kept)),
                    None => {
                        v.push((key, kept));
                        None
                    }
                },
                one => {
                    // A second key with this hash.
                    if let Bucket::One(k, old) = std::mem::replace(one, Bucket::Many(Vec::new())) {
                        *one = Bucket::Many(vec![(k, old), (key, kept)]);
                    }
                    None
                }
            },
        }
    }

    /// Forgets what was kept for `key` (hashed `hash`), and returns it.
    pub fn remove(&mut self, hash: u64, key: &PrimaryKey) -> Option<Kept> {
        use std::collections::btree_map::Entry;
        let Entry::Occupied(mut e) = self.0.entry(hash) else { return None };
        match e.get_mut() {
            Bucket::One(k, _) if k == key => match e.remove() {
                Bucket::One(_, kept) => Some(kept),
                Bucket::Many(_) => None,
            },
            Bucket::One(..) => None,
            Bucket::Many(v) => {
                let i = v.iter().position(|(k, _)| k == key)?;
                let (_, kept) = v.swap_remove(i);
                if v.is_empty() {
                    e.remove();
                }
                Some(kept)
            }
        }
    }
}

/// The hash `Table::images` orders keys by: `route` (FNV-1a of the partition key's bytes, as
/// stream records are routed to shards) mixed with FNV-1a of the sort key's, if any.
pub(crate) fn key_hash(route: u64, key: &PrimaryKey) -> u64 {
    match &key.1 {
        None => route,
        Some(r) => (route ^ crate::support::hash::fnv1a(&r.hash_bytes())).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    }
}

impl Table {
    /// The primary key of an item being written (PutItem), with PutItem's errors.
    pub fn key_of_item(&self, item: &Item) -> Result<PrimaryKey> {
        self.primary_key(|attr| {
            let v = crate::model::attr(item, &attr.name)
                .ok_or_else(|| AwsError::invalid_values(format!("Missing the key {} in the item", attr.name)))?;
            key_value(attr, v, true)
        })
    }

    /// The primary key named by a request's `Key` (Get/Update/Delete): exactly the key attributes.
    pub fn key_from_request(&self, key: &Item) -> Result<PrimaryKey> {
        let mismatch = || AwsError::validation("The provided key element does not match the schema");
        if key.len() != 1 + usize::from(self.schema.range.is_some()) {
            return Err(mismatch());
        }
        self.primary_key(|attr| key_value(attr, key.get(&attr.name).ok_or_else(mismatch)?, false))
    }

    fn primary_key(&self, get: impl Fn(&KeyAttr) -> Result<KeyVal>) -> Result<PrimaryKey> {
        let hash = get(&self.schema.hash)?;
        let range = self.schema.range.as_ref().map(&get).transpose()?;
        check_key_sizes(&hash, range.as_ref())?;
        Ok((hash, range))
    }

    /// The key attributes as an item (a stream record's `Keys`, a `LastEvaluatedKey`).
    pub fn key_item(&self, key: &PrimaryKey) -> Item {
        let mut m = Item::new();
        m.insert(self.schema.hash.name.clone(), key.0.to_attr());
        if let (Some(r), Some(v)) = (&self.schema.range, &key.1) {
            m.insert(r.name.clone(), v.to_attr());
        }
        m
    }

    /// The stream image of [`Table::key_item`] and its size, made without building the item.
    pub(crate) fn key_image(&self, key: &PrimaryKey) -> (crate::model::Image, usize) {
        let hash = (self.schema.hash.name.as_str(), &key.0);
        let range = self.schema.range.as_ref().zip(key.1.as_ref()).map(|(r, v)| (r.name.as_str(), v));
        let pair;
        let parts: &[(&str, &KeyVal)] = match range {
            None => std::slice::from_ref(&hash),
            Some(r) if r.0 > hash.0 => {
                pair = [hash, r];
                &pair
            }
            Some(r) if r.0 < hash.0 => {
                pair = [r, hash];
                &pair
            }
            // One name for both (never accepted by CreateTable): the item has one attribute.
            Some(_) => {
                let keys = self.key_item(key);
                return (crate::model::Image::encode(&keys), crate::model::item_size(&keys));
            }
        };
        let size = parts.iter().map(|(name, v)| name.len() + key_len(v)).sum();
        (crate::model::Image::encode_key(parts), size)
    }

    pub fn size_bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Image;

    fn kept(n: usize) -> Kept {
        let empty = Image::encode(&Item::new());
        Kept { image: empty.clone(), size: n, keys: (empty, n) }
    }

    /// Keys that share a hash keep their own images.
    #[test]
    fn images_of_keys_with_one_hash_are_kept_apart() {
        let key = |s: &str| (KeyVal::S(s.into()), None);
        let mut m = Images::default();
        assert!(m.insert(7, key("a"), kept(1)).is_none());
        assert!(m.insert(7, key("b"), kept(2)).is_none());
        assert!(m.insert(7, key("c"), kept(3)).is_none());
        assert!(m.insert(8, key("d"), kept(4)).is_none());
        assert_eq!(m.insert(7, key("b"), kept(20)).map(|k| k.size), Some(2));
        assert_eq!(m.get_mut(7, &key("a")).map(|k| k.size), Some(1));
        assert_eq!(m.get_mut(7, &key("b")).map(|k| k.size), Some(20));
        assert!(m.get_mut(7, &key("d")).is_none());
        assert!(m.get_mut(9, &key("a")).is_none());
        assert_eq!(m.remove(7, &key("a")).map(|k| k.size), Some(1));
        assert!(m.remove(7, &key("a")).is_none());
        assert_eq!(m.remove(7, &key("c")).map(|k| k.size), Some(3));
        assert_eq!(m.remove(7, &key("b")).map(|k| k.size), Some(20));
        assert!(m.remove(8, &key("a")).is_none());
        assert_eq!(m.get_mut(8, &key("d")).map(|k| k.size), Some(4));
        assert_eq!(m.remove(8, &key("d")).map(|k| k.size), Some(4));
        assert!(m.is_empty());
        // One key alone under its hash, replaced and removed.
        assert!(m.insert(1, key("x"), kept(5)).is_none());
        assert_eq!(m.insert(1, key("x"), kept(6)).map(|k| k.size), Some(5));
        assert!(m.remove(1, &key("y")).is_none());
        assert_eq!(m.remove(1, &key("x")).map(|k| k.size), Some(6));
        assert!(m.is_empty());
    }
}
