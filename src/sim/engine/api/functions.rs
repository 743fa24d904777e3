//! The Lambda API: CreateFunction, UpdateFunctionCode, and the event source mapping calls
//! (Create, Update, Delete, GetEventSourceMapping), with Lambda's validation of every setting.

use crate::lang::filter::FilterCriteria;
use crate::lang::rules::{self, Aggregates};
use crate::model::{AwsError, ErrorKind, Result};
use crate::sim::engine::api::req;
use crate::sim::engine::lambda::*;
use crate::sim::engine::Engine;
use crate::support::text::clip;
use crate::support::time;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

fn int_param(r: &Value, name: &str, min: i64, max: i64) -> Result<Option<i64>> {
    let field = req::camel(name);
    match req::integer(r, name)? {
        None => Ok(None),
        Some(v) if v < min => {
            Err(req::constraint(v, &field, &format!("Member must have value greater than or equal to {min}")))
        }
        Some(v) if v > max => {
            Err(req::constraint(v, &field, &format!("Member must have value less than or equal to {max}")))
        }
        Some(v) => Ok(Some(v)),
    }
}

fn function_name_valid(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The function name part of the forms Lambda takes: a name, an ARN
/// (`arn:aws:lambda:r:a:function:name[:qualifier]`), a partial ARN (`a:function:name`), or a
/// name with a qualifier (`name:alias`). Names never contain `:`.
fn bare_function_name(s: &str) -> &str {
    let parts: Vec<&str> = s.split(':').collect();
    match parts.iter().position(|p| *p == "function") {
        Some(i) if i + 1 < parts.len() => parts[i + 1],
        Some(_) => s,
        None if parts.len() == 2 => parts[0],
        None => s,
    }
}

impl MappingConfig {
    /// The settings as Create/UpdateEventSourceMapping request members (defaults included).
    pub fn to_request(&self) -> Value {
        let mut v = json!({
            "BatchSize": self.batch_size,
            "MaximumBatchingWindowInSeconds": self.window_s,
            "ParallelizationFactor": self.parallelization,
            "MaximumRetryAttempts": self.max_retry,
            "MaximumRecordAgeInSeconds": self.max_age_s,
            "BisectBatchOnFunctionError": self.bisect,
            "TumblingWindowInSeconds": self.tumbling_s,
            "FunctionResponseTypes": if self.report_failures { json!(["ReportBatchItemFailures"]) } else { json!([]) },
            "Enabled": self.enabled,
        });
        if !self.filters.is_empty() {
            v["FilterCriteria"] = self.filters.to_json();
        }
        if let Some(d) = &self.on_failure {
            v["DestinationConfig"] = json!({"OnFailure": {"Destination": d}});
        }
        if self.event_count_metrics {
            v["MetricsConfig"] = json!({"Metrics": ["EventCount"]});
        }
        v
    }

    fn defaults() -> MappingConfig {
        MappingConfig {
            batch_size: 100,
            window_s: 0,
            parallelization: 1,
            max_retry: -1,
            max_age_s: -1,
            bisect: false,
            report_failures: false,
            tumbling_s: 0,
            filters: Rc::default(),
            on_failure: None,
            enabled: true,
            event_count_metrics: false,
        }
    }

    /// Applies the parameters present in a Create/UpdateEventSourceMapping request.
    fn apply(&mut self, r: &Value) -> Result<()> {
        if let Some(v) = int_param(r, "BatchSize", 1, 10_000)? {
            self.batch_size = v as u32;
        }
        if let Some(v) = int_param(r, "MaximumBatchingWindowInSeconds", 0, 300)? {
            self.window_s = v as u32;
        }
        if let Some(v) = int_param(r, "ParallelizationFactor", 1, 10)? {
            self.parallelization = v as u32;
        }
        if let Some(v) = int_param(r, "MaximumRetryAttempts", -1, 10_000)? {
            self.max_retry = v;
        }
        if let Some(v) = int_param(r, "MaximumRecordAgeInSeconds", -1, 604_800)? {
            if (0..60).contains(&v) {
                return Err(AwsError::invalid_parameter(
                    "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)",
                ));
            }
            self.max_age_s = v;
        }
        if let Some(v) = req::boolean(r, "BisectBatchOnFunctionError")? {
            self.bisect = v;
        }
        if let Some(list) = req::array(r, "FunctionResponseTypes")? {
            if list.len() > 1 {
                return Err(req::constraint(
                    "[..]",
                    "functionResponseTypes",
                    "Member must have length less than or equal to 1",
                ));
            }
            self.report_failures = false;
            for t in list {
                match t.as_str() {
                    Some("ReportBatchItemFailures") => self.report_failures = true,
                    other => {
                        return Err(req::constraint(
                            other.unwrap_or("null"),
                            "functionResponseTypes",
                            "Member must satisfy enum value set: [ReportBatchItemFailures]",
                        ))
                    }
                }
            }
        }
        if let Some(v) = int_param(r, "TumblingWindowInSeconds", 0, 900)? {
            self.tumbling_s = v as u32;
        }
        if let Some(f) = req::object(r, "FilterCriteria")? {
            self.filters = Rc::new(FilterCriteria::parse(f)?);
        }
        if let Some(d) = req::object(r, "DestinationConfig")? {
            if req::get(d, "OnSuccess").is_some() {
                return Err(AwsError::invalid_parameter(
                    "Unsupported DestinationConfig parameter for given event source mapping type.",
                ));
            }
            self.on_failure = match req::object(d, "OnFailure")? {
                Some(of) => match req::string(of, "Destination")? {
                    Some(dest) if dest.starts_with("arn:aws:sqs:") || dest.starts_with("arn:aws:sns:") || dest.starts_with("arn:aws:s3:::") => {
                        Some(dest.to_string())
                    }
                    Some(dest) => {
                        return Err(AwsError::invalid_parameter(format!(
                            "The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination={dest})) is invalid: the destination must be an SQS queue, SNS topic or S3 bucket ARN."
                        )))
                    }
                    None => None,
                },
                None => None,
            };
        }
        if let Some(e) = req::boolean(r, "Enabled")? {
            self.enabled = e;
        }
        if let Some(mc) = req::object(r, "MetricsConfig")? {
            let list = req::array(mc, "Metrics")?.map(Vec::as_slice).unwrap_or_default();
            if list.len() > 3 {
                return Err(req::constraint(
                    "[..]",
                    "metricsConfig.metrics",
                    "Member must have length less than or equal to 3",
                ));
            }
            let mut event_count = false;
            for m in list {
                match m.as_str() {
                    Some("EventCount") => event_count = true,
                    // Valid in the API model, for Kafka sources only. What AWS answers for a
                    // DynamoDB mapping is undocumented: refused here, in words of our own.
                    Some(kafka @ ("ErrorCount" | "KafkaMetrics")) => {
                        return Err(AwsError::invalid_parameter(format!(
                            "{kafka} metrics are for Amazon MSK and self-managed Apache Kafka event sources; a DynamoDB stream mapping takes EventCount"
                        )))
                    }
                    other => {
                        return Err(req::constraint(
                            other.unwrap_or("null"),
                            "metricsConfig.metrics",
                            "Member must satisfy enum value set: [EventCount, ErrorCount, KafkaMetrics]",
                        ))
                    }
                }
            }
            self.event_count_metrics = event_count;
        }
        Ok(())
    }
}

impl Engine {
    pub(in crate::sim::engine) fn function_arn(&self, name: &str) -> String {
        format!("arn:aws:lambda:{}:{}:function:{}", self.cfg.region, self.cfg.account_id, name)
    }

    pub(in crate::sim::engine) fn create_function(&mut self, r: &Value) -> Result<Value> {
        let name = req::required_string(r, "FunctionName")?;
        if !function_name_valid(name) {
            return Err(req::constraint(
                name,
                "functionName",
                "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ and have length between 1 and 64",
            ));
        }
        let code =
            match req::get(r, "Code") {
                None => "",
                Some(Value::String(s)) => s.as_str(),
                Some(_) => return Err(AwsError::invalid_parameter(
                    "StreamLab functions are written in the trigger rule language: Code must be the rules' source text",
                )),
            };
        if self.lambda.functions.contains_key(name) {
            return Err(AwsError::new(ErrorKind::ResourceConflict, format!("Function already exist: {name}")));
        }
        let program = rules::parse(code).map_err(|d| AwsError::invalid_parameter(d.render(code)))?;
        let f = Function {
            name: name.to_string(),
            arn: self.function_arn(name),
            code: code.to_string(),
            program,
            aggregates: Aggregates::default(),
            last_modified_ms: self.now_ms(),
            fired: Vec::new(),
        };
        let out = self.function_json(&f);
        self.lambda.functions.insert(f);
        Ok(out)
    }

    /// Replaces a function's code (the UI's "Deploy"); aggregates start afresh.
    pub(in crate::sim::engine) fn update_function_code(&mut self, r: &Value) -> Result<Value> {
        let name = bare_function_name(req::required_string(r, "FunctionName")?).to_string();
        let code = req::string(r, "Code")?.unwrap_or("");
        let program = rules::parse(code).map_err(|d| AwsError::invalid_parameter(d.render(code)))?;
        let now = self.now_ms();
        let missing = AwsError::not_found(format!("Function not found: {}", self.function_arn(&name)));
        let Some(f) = self.lambda.functions.get_mut(&name) else { return Err(missing) };
        f.code = code.to_string();
        f.program = program;
        f.aggregates = Aggregates::default();
        f.last_modified_ms = now;
        f.fired = Vec::new();
        let Some(f) = self.lambda.functions.get(&name) else { return Err(missing) };
        Ok(self.function_json(f))
    }

    fn function_json(&self, f: &Function) -> Value {
        json!({
            "FunctionName": f.name,
            "FunctionArn": f.arn,
            "Runtime": "streamlab-rules",
            "Handler": "rules",
            "CodeSize": f.code.len(),
            "LastModified": time::iso_millis(f.last_modified_ms),
            "State": "Active",
        })
    }

    /// The stream a mapping request names: `EventSourceArn`, or the latest stream of `TableName`.
    fn mapping_stream(&self, r: &Value) -> Result<usize> {
        if let Some(arn) = req::string(r, "EventSourceArn")? {
            return self
                .streams
                .iter()
                .position(|s| s.arn == arn)
                .ok_or_else(|| AwsError::invalid_parameter(format!("Stream not found: {}", clip(arn, 256))));
        }
        let table = req::string(r, "TableName")?.ok_or_else(|| req::missing("eventSourceArn"))?;
        self.tables.get(table).and_then(|t| t.latest_stream).ok_or_else(|| {
            AwsError::invalid_parameter(format!("Stream not found: table {} has no stream", clip(table, 256)))
        })
    }

    pub(in crate::sim::engine) fn create_event_source_mapping(&mut self, r: &Value) -> Result<Value> {
        let function = bare_function_name(req::required_string(r, "FunctionName")?).to_string();
        let start = match req::string(r, "StartingPosition")? {
            None => {
                return Err(AwsError::invalid_parameter(
                    "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
                ))
            }
            Some("TRIM_HORIZON") => Some(StartingPosition::TrimHorizon),
            Some("LATEST") => Some(StartingPosition::Latest),
            // In Lambda's API model, but not for a DynamoDB stream: refused below, once the
            // stream's ARN is known (it is in the message).
            Some("AT_TIMESTAMP") => None,
            Some(other) => {
                return Err(req::constraint(other, "startingPosition", "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]"))
            }
        };
        let mut cfg = MappingConfig::defaults();
        cfg.apply(r)?;
        let si = self.mapping_stream(r)?;
        let arn = self.streams[si].arn.clone();
        let Some(start) = start else {
            return Err(AwsError::invalid_parameter(format!("Unsupported starting position for arn type: {arn}")));
        };
        if !self.lambda.functions.contains_key(&function) {
            return Err(AwsError::invalid_parameter("Function does not exist"));
        }
        if let Some(m) = self.lambda.mappings.iter().find(|m| m.stream == si && m.function == function) {
            return Err(AwsError::new(ErrorKind::ResourceConflict,
                format!(
                    "The event source arn (\" {arn} \") and function (\" {function} \") provided mapping already exists. Please update or delete the existing mapping with UUID {}",
                    m.uuid
                ),
            ));
        }
        let uuid = self.rng.uuid();
        let now = self.now_ms();
        let stream = &self.streams[si];
        // Shards that exist now start at the trim horizon or just after their newest record.
        let cursors = stream
            .shards
            .iter()
            .map(|sh| {
                let pos = if start == StartingPosition::Latest {
                    sh.last_seq().map_or(sh.trimmed_through + 1, |s| s + 1)
                } else {
                    sh.trimmed_through + 1
                };
                new_cursor(sh, pos, cfg.parallelization, Some(next_poll(now)))
            })
            .collect();
        self.lambda.mappings.push(Mapping {
            uuid,
            function,
            stream: si,
            starting_position: start,
            cfg,
            last_modified_ms: now,
            last_result: LastResult::NoRecordsProcessed,
            cursors,
            outcomes: BTreeMap::new(),
            metrics: Vec::new(),
            synced: None,
        });
        let m = self.lambda.mappings.len() - 1;
        self.lambda.mappings[m].refresh_waiting();
        Ok(self.mapping_json(m, "Creating"))
    }

    fn find_mapping(&self, r: &Value) -> Result<usize> {
        let not_found = || AwsError::not_found("The resource you requested does not exist.");
        if let Some(uuid) = req::string(r, "UUID")? {
            return self.lambda.mappings.iter().position(|m| m.uuid == uuid).ok_or_else(not_found);
        }
        let function =
            bare_function_name(req::string(r, "FunctionName")?.ok_or_else(|| req::missing("uUID"))?).to_string();
        let si = self.mapping_stream(r).map_err(|_| not_found())?;
        self.lambda.mappings.iter().position(|m| m.stream == si && m.function == function).ok_or_else(not_found)
    }

    pub(in crate::sim::engine) fn update_event_source_mapping(&mut self, r: &Value) -> Result<Value> {
        let m = self.find_mapping(r)?;
        let mut cfg = self.lambda.mappings[m].cfg.clone();
        // FunctionName and TableName may identify the mapping here (without a UUID); apply the rest.
        cfg.apply(r)?;
        // With a UUID, FunctionName points the mapping at that function, as in Lambda.
        let retarget = match (req::string(r, "UUID")?, req::string(r, "FunctionName")?) {
            (Some(_), Some(f)) => {
                Some(bare_function_name(f).to_string()).filter(|f| *f != self.lambda.mappings[m].function)
            }
            _ => None,
        };
        if let Some(function) = &retarget {
            if !self.lambda.functions.contains_key(function) {
                return Err(AwsError::invalid_parameter("Function does not exist"));
            }
            let si = self.lambda.mappings[m].stream;
            if let Some(other) = self.lambda.mappings.iter().find(|o| o.stream == si && &o.function == function) {
                return Err(AwsError::new(ErrorKind::ResourceConflict,
                    format!(
                        "The event source arn (\" {} \") and function (\" {function} \") provided mapping already exists. Please update or delete the existing mapping with UUID {}",
                        self.streams[si].arn, other.uuid
                    ),
                ));
            }
        }
        if cfg.parallelization != self.lambda.mappings[m].cfg.parallelization {
            let p = cfg.parallelization;
            for c in &mut self.lambda.mappings[m].cursors {
                resize_vshards(c, p);
            }
            self.lambda.mappings[m].refresh_waiting();
        }
        let now = self.now_ms();
        let mapping = &mut self.lambda.mappings[m];
        // §4.1 lifecycle: Enabled=false → Disabling, Enabled=true → Enabling, other updates → Updating.
        let state = match (mapping.cfg.enabled, cfg.enabled) {
            (true, false) => "Disabling",
            (false, true) => "Enabling",
            _ => "Updating",
        };
        mapping.cfg = cfg;
        if let Some(function) = retarget {
            mapping.function = function;
        }
        mapping.last_modified_ms = now;
        for v in mapping.cursors.iter_mut().flat_map(|c| c.vshards.iter_mut()) {
            v.next_wake = Some(next_poll(now));
        }
        Ok(self.mapping_json(m, state))
    }

    pub(in crate::sim::engine) fn delete_event_source_mapping(&mut self, r: &Value) -> Result<Value> {
        let m = self.find_mapping(r)?;
        let out = self.mapping_json(m, "Deleting");
        self.lambda.mappings.remove(m);
        Ok(out)
    }

    pub(in crate::sim::engine) fn get_event_source_mapping(&mut self, r: &Value) -> Result<Value> {
        let m = self.find_mapping(r)?;
        let state = if self.lambda.mappings[m].cfg.enabled { "Enabled" } else { "Disabled" };
        Ok(self.mapping_json(m, state))
    }

    fn mapping_json(&self, m: usize, state: &str) -> Value {
        let mp = &self.lambda.mappings[m];
        let mut v = json!({
            "UUID": mp.uuid,
            "EventSourceMappingArn": format!("arn:aws:lambda:{}:{}:event-source-mapping:{}", self.cfg.region, self.cfg.account_id, mp.uuid),
            "EventSourceArn": self.streams[mp.stream].arn,
            "FunctionArn": self.function_arn(&mp.function),
            "StartingPosition": mp.starting_position.as_str(),
        });
        if let (Value::Object(out), Value::Object(params)) = (&mut v, mp.cfg.to_request()) {
            out.extend(params.into_iter().filter(|(k, _)| k != "Enabled"));
        }
        if mp.cfg.on_failure.is_none() {
            v["DestinationConfig"] = json!({"OnFailure": {}});
        }
        v["LastModified"] = json!(mp.last_modified_ms as f64 / 1000.0);
        v["LastProcessingResult"] = json!(mp.last_result.as_str());
        v["State"] = json!(state);
        v["StateTransitionReason"] = json!("User action");
        v
    }

    // ---- polling ----------------------------------------------------------------------------
}
