//! CreateTable, DescribeTable, UpdateTable, DeleteTable, ListTables, UpdateTimeToLive.

use crate::model::ViewType;
use crate::model::{AwsError, Result};
use crate::model::{KeyAttr, KeySchema, KeyType};
use crate::sim::engine::api::req;
use crate::sim::engine::Engine;
use crate::sim::table::{BillingMode, Table};
use serde_json::{json, Map, Value};

/// A parsed `StreamSpecification`: Some(view type) to enable, None to disable.
fn stream_spec(spec: &Value) -> Result<Option<ViewType>> {
    let enabled =
        req::boolean(spec, "StreamEnabled")?.ok_or_else(|| req::missing("streamSpecification.streamEnabled"))?;
    let view = match req::string(spec, "StreamViewType")? {
        None => None,
        Some(v) => Some(ViewType::parse(v).ok_or_else(|| {
            req::constraint(
                v,
                "streamSpecification.streamViewType",
                "Member must satisfy enum value set: [NEW_AND_OLD_IMAGES, NEW_IMAGE, OLD_IMAGE, KEYS_ONLY]",
            )
        })?),
    };
    match (enabled, view) {
        (true, Some(v)) => Ok(Some(v)),
        (true, None) => Err(AwsError::invalid_values("You must specify a StreamViewType when enabling a stream")),
        (false, Some(_)) => {
            Err(AwsError::invalid_values("You cannot modify the StreamViewType when disabling a stream"))
        }
        (false, None) => Ok(None),
    }
}

/// A key attribute's name: 1 to 255 characters (the API model's `KeySchemaElement` and
/// `AttributeDefinition`; docs/aws-behaviour.md §6.1). A long name is clipped in the message.
fn key_name_length(name: &str, field: &str) -> Result<()> {
    let n = name.chars().count();
    if (1..=255).contains(&n) {
        return Ok(());
    }
    let shown: String = name.chars().take(64).collect();
    let shown = if n > 64 { format!("{shown}…") } else { shown };
    let bound = if n == 0 { "greater than or equal to 1" } else { "less than or equal to 255" };
    Err(req::constraint(shown, field, &format!("Member must have length {bound}")))
}

fn key_schema(req: &Value, defs: &[(String, KeyType)]) -> Result<KeySchema> {
    let ks = req::array(req, "KeySchema")?.ok_or_else(|| req::missing("keySchema"))?;
    if ks.is_empty() || ks.len() > 2 {
        return Err(req::constraint(
            "[..]",
            "keySchema",
            "Member must have length less than or equal to 2, Member must have length greater than or equal to 1",
        ));
    }
    let mut elems = Vec::new();
    for e in ks {
        let name = req::required_string(e, "AttributeName")?;
        key_name_length(name, "keySchema.member.attributeName")?;
        let kt = req::required_string(e, "KeyType")?;
        if kt != "HASH" && kt != "RANGE" {
            return Err(req::constraint(
                kt,
                "keySchema.member.keyType",
                "Member must satisfy enum value set: [HASH, RANGE]",
            ));
        }
        elems.push((name.to_string(), kt));
    }
    if elems[0].1 != "HASH" || elems.get(1).is_some_and(|e| e.1 != "RANGE") {
        return Err(AwsError::validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type"));
    }
    if elems.len() == 2 && elems[0].0 == elems[1].0 {
        return Err(AwsError::validation(
            "Both the Hash Key and the Range Key element in the KeySchema have the same name",
        ));
    }
    let attr = |name: &str| -> Result<KeyAttr> {
        let ty = defs.iter().find(|(n, _)| n == name).map(|(_, t)| *t).ok_or_else(|| {
            let keys: Vec<&str> = elems.iter().map(|e| e.0.as_str()).collect();
            let dnames: Vec<&str> = defs.iter().map(|d| d.0.as_str()).collect();
            AwsError::invalid_values(format!(
                "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
                keys.join(", "),
                dnames.join(", ")
            ))
        })?;
        Ok(KeyAttr { name: name.to_string(), ty })
    };
    Ok(KeySchema { hash: attr(&elems[0].0)?, range: elems.get(1).map(|e| attr(&e.0)).transpose()? })
}

/// Key attribute names used by secondary index definitions.
fn index_key_names(req: &Value) -> Vec<String> {
    ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"]
        .iter()
        .filter_map(|k| req.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|ix| ix.get("KeySchema").and_then(Value::as_array))
        .flatten()
        .filter_map(|e| e.get("AttributeName").and_then(Value::as_str).map(str::to_string))
        .collect()
}

impl Engine {
    fn table_ref(&self, name: &str) -> Result<&Table> {
        self.tables
            .get(name)
            .ok_or_else(|| AwsError::not_found(format!("Requested resource not found: Table: {name} not found")))
    }

    pub(in crate::sim::engine) fn describe_json(&self, t: &Table, status: &str) -> Value {
        let mut m = Map::new();
        let defs: Vec<Value> = t
            .attribute_definitions
            .iter()
            .map(|(n, ty)| json!({"AttributeName": n, "AttributeType": ty.as_str()}))
            .collect();
        m.insert("AttributeDefinitions".into(), Value::Array(defs));
        m.insert("TableName".into(), json!(t.name));
        m.insert("KeySchema".into(), t.schema.to_json());
        m.insert("TableStatus".into(), json!(status));
        m.insert("CreationDateTime".into(), json!(t.created_ms as f64 / 1000.0));
        let (r, w) = t.provisioned.unwrap_or((0, 0));
        m.insert(
            "ProvisionedThroughput".into(),
            json!({"NumberOfDecreasesToday": 0, "ReadCapacityUnits": r, "WriteCapacityUnits": w}),
        );
        m.insert("TableSizeBytes".into(), json!(t.size_bytes()));
        m.insert("ItemCount".into(), json!(t.items.len()));
        m.insert("TableArn".into(), json!(t.arn));
        m.insert("TableId".into(), json!(t.id));
        m.insert("BillingModeSummary".into(), json!({"BillingMode": t.billing_mode.as_str()}));
        for (k, v) in &t.indexes {
            m.insert(k.clone(), v.clone());
        }
        if let Some(si) = t.stream {
            let s = &self.streams[si];
            m.insert(
                "StreamSpecification".into(),
                json!({"StreamEnabled": true, "StreamViewType": s.view_type.as_str()}),
            );
        }
        if let Some(si) = t.latest_stream {
            let s = &self.streams[si];
            m.insert("LatestStreamLabel".into(), json!(s.label));
            m.insert("LatestStreamArn".into(), json!(s.arn));
        }
        m.insert("DeletionProtectionEnabled".into(), json!(false));
        Value::Object(m)
    }

    pub(in crate::sim::engine) fn create_table(&mut self, r: &Value) -> Result<Value> {
        let name = req::table_name(r, "TableName")?.to_string();
        let defs_raw = req::array(r, "AttributeDefinitions")?.ok_or_else(|| req::missing("attributeDefinitions"))?;
        let mut defs = Vec::new();
        for d in defs_raw {
            let n = req::required_string(d, "AttributeName")?;
            key_name_length(n, "attributeDefinitions.member.attributeName")?;
            let t = req::required_string(d, "AttributeType")?;
            let Some(ty) = KeyType::parse(t) else {
                return Err(req::constraint(
                    t,
                    "attributeDefinitions.member.attributeType",
                    "Member must satisfy enum value set: [B, N, S]",
                ));
            };
            if defs.iter().any(|(x, _): &(String, KeyType)| x == n) {
                return Err(AwsError::invalid_values(format!("Duplicate AttributeName in AttributeDefinitions: {n}")));
            }
            defs.push((n.to_string(), ty));
        }
        let schema = key_schema(r, &defs)?;
        let mut used: Vec<String> = index_key_names(r);
        used.push(schema.hash.name.clone());
        used.extend(schema.range.iter().map(|k| k.name.clone()));
        if defs.iter().any(|(n, _)| !used.contains(n)) {
            return Err(AwsError::invalid_values(
                "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
            ));
        }
        let billing_text = req::string(r, "BillingMode")?.unwrap_or("PROVISIONED");
        let pt = req::object(r, "ProvisionedThroughput")?;
        let Some(billing) = BillingMode::parse(billing_text) else {
            return Err(req::constraint(
                billing_text,
                "billingMode",
                "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
            ));
        };
        let provisioned = match (billing, pt) {
            (BillingMode::PayPerRequest, None) => None,
            (BillingMode::PayPerRequest, Some(_)) => return Err(AwsError::invalid_values(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            )),
            (BillingMode::Provisioned, Some(p)) => Some(capacity(p)?),
            (BillingMode::Provisioned, None) => {
                return Err(AwsError::validation("No provisioned throughput specified for the table"))
            }
        };
        let stream = match req::object(r, "StreamSpecification")? {
            Some(spec) => stream_spec(spec)?,
            None => None,
        };
        if self.tables.contains_key(&name) {
            return Err(AwsError::in_use(format!("Table already exists: {name}")));
        }
        let mut indexes = Map::new();
        for k in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
            if let Some(v) = req::array(r, k)? {
                indexes.insert(k.to_string(), Value::Array(v.clone()));
            }
        }
        let id = self.rng.uuid();
        let table = Table {
            arn: format!("arn:aws:dynamodb:{}:{}:table/{}", self.cfg.region, self.cfg.account_id, name),
            name: name.clone(),
            id,
            schema,
            attribute_definitions: defs,
            billing_mode: billing,
            provisioned,
            created_ms: self.now_ms(),
            items: Default::default(),
            images: Default::default(),
            bytes: 0,
            stream: None,
            latest_stream: None,
            ttl_attribute: None,
            indexes,
        };
        self.tables.insert(table);
        if let Some(view) = stream {
            self.enable_stream(&name, view);
        }
        let t = self.table_ref(&name)?;
        Ok(json!({"TableDescription": self.describe_json(t, "CREATING")}))
    }

    pub(in crate::sim::engine) fn describe_table(&mut self, r: &Value) -> Result<Value> {
        let name = req::table_name(r, "TableName")?;
        let t = self.table_ref(name)?;
        Ok(json!({"Table": self.describe_json(t, "ACTIVE")}))
    }

    pub(in crate::sim::engine) fn list_tables(&mut self, r: &Value) -> Result<Value> {
        let start = req::string(r, "ExclusiveStartTableName")?;
        let limit = req::integer(r, "Limit")?.unwrap_or(100);
        if !(1..=100).contains(&limit) {
            return Err(req::constraint(limit, "limit", "Member must have value between 1 and 100"));
        }
        let names: Vec<&String> =
            self.tables.values().map(|t| &t.name).filter(|n| start.is_none_or(|s| n.as_str() > s)).collect();
        let page: Vec<&String> = names.iter().take(limit as usize).copied().collect();
        let mut out = json!({"TableNames": page});
        if names.len() > page.len() {
            out["LastEvaluatedTableName"] = json!(page.last());
        }
        Ok(out)
    }

    pub(in crate::sim::engine) fn update_table(&mut self, r: &Value) -> Result<Value> {
        let name = req::table_name(r, "TableName")?.to_string();
        let spec = req::object(r, "StreamSpecification")?.map(stream_spec).transpose()?;
        let billing = req::string(r, "BillingMode")?;
        let pt = req::object(r, "ProvisionedThroughput")?;
        if spec.is_none() && billing.is_none() && pt.is_none() && req::get(r, "GlobalSecondaryIndexUpdates").is_none() {
            return Err(AwsError::validation(
                "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
            ));
        }
        let current = self.table_ref(&name)?.stream;
        match (spec, current) {
            (Some(Some(_)), Some(_)) => {
                return Err(AwsError::validation(format!("Table already has an enabled stream: TableName: {name}")))
            }
            (Some(None), None) => {
                return Err(AwsError::validation(format!("Table has no stream to disable: TableName: {name}")))
            }
            _ => {}
        }
        let billing = match billing {
            None => None,
            Some(b) => Some(BillingMode::parse(b).ok_or_else(|| {
                req::constraint(b, "billingMode", "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")
            })?),
        };
        let provisioned = pt.map(capacity).transpose()?;
        match (spec, current) {
            (Some(Some(view)), None) => self.enable_stream(&name, view),
            (Some(None), Some(si)) => self.disable_stream(si),
            _ => {}
        }
        if let Some(t) = self.tables.get_mut(&name) {
            if let Some(b) = billing {
                t.billing_mode = b;
                if b == BillingMode::PayPerRequest {
                    t.provisioned = None;
                }
            }
            if provisioned.is_some() {
                t.provisioned = provisioned;
            }
        }
        let t = self.table_ref(&name)?;
        Ok(json!({"TableDescription": self.describe_json(t, "UPDATING")}))
    }

    pub(in crate::sim::engine) fn delete_table(&mut self, r: &Value) -> Result<Value> {
        let name = req::table_name(r, "TableName")?.to_string();
        let t = self.table_ref(&name)?;
        let desc = self.describe_json(t, "DELETING");
        if let Some(si) = t.stream {
            self.disable_stream(si);
        }
        self.tables.remove(&name);
        Ok(json!({"TableDescription": desc}))
    }

    pub(in crate::sim::engine) fn update_time_to_live(&mut self, r: &Value) -> Result<Value> {
        let name = req::table_name(r, "TableName")?.to_string();
        let spec = req::object(r, "TimeToLiveSpecification")?.ok_or_else(|| req::missing("timeToLiveSpecification"))?;
        let enabled = req::boolean(spec, "Enabled")?.ok_or_else(|| req::missing("timeToLiveSpecification.enabled"))?;
        let attr = req::required_string(spec, "AttributeName")?;
        if attr.is_empty() || attr.len() > 255 {
            return Err(req::constraint(
                attr,
                "timeToLiveSpecification.attributeName",
                "Member must have length between 1 and 255",
            ));
        }
        let current = self.table_ref(&name)?.ttl_attribute.clone();
        match (enabled, current.as_deref()) {
            (true, Some(a)) if a == attr => return Err(AwsError::validation("TimeToLive is already enabled")),
            (true, Some(a)) => {
                return Err(AwsError::validation(format!(
                    "TimeToLive is active on a different AttributeName: current AttributeName is {a}"
                )))
            }
            (false, None) => return Err(AwsError::validation("TimeToLive is already disabled")),
            _ => {}
        }
        if let Some(t) = self.tables.get_mut(&name) {
            t.ttl_attribute = enabled.then(|| attr.to_string());
        }
        self.index_ttl(&name);
        Ok(json!({"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attr}}))
    }

    pub(in crate::sim::engine) fn describe_time_to_live(&mut self, r: &Value) -> Result<Value> {
        let name = req::table_name(r, "TableName")?;
        let t = self.table_ref(name)?;
        Ok(match &t.ttl_attribute {
            Some(a) => json!({"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": a}}),
            None => json!({"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}),
        })
    }
}

/// A `ProvisionedThroughput` of CreateTable or UpdateTable: both members present, each at least
/// 1 (API_ProvisionedThroughput: "Minimum value of 1"), each failing member named as AWS names
/// it (both, when both fail: "2 validation errors detected").
fn capacity(p: &Value) -> Result<(i64, i64)> {
    let (read, write) = ("provisionedThroughput.readCapacityUnits", "provisionedThroughput.writeCapacityUnits");
    let rc = req::integer(p, "ReadCapacityUnits")?.ok_or_else(|| req::missing(read))?;
    let wc = req::integer(p, "WriteCapacityUnits")?.ok_or_else(|| req::missing(write))?;
    let below = |v: i64, field: &str| {
        (v < 1).then(|| req::violation(v, field, "Member must have value greater than or equal to 1"))
    };
    let violations: Vec<String> = [below(rc, read), below(wc, write)].into_iter().flatten().collect();
    match violations.is_empty() {
        true => Ok((rc, wc)),
        false => Err(AwsError::violations(&violations)),
    }
}
