//! What a scenario leaves deployed at its end: its tables, functions and event source mappings,
//! read from the engine's own responses to the scenario's configuration steps.

use crate::lang::rules;
use crate::scenario::Scenario;
use crate::sim::{Engine, EngineConfig, Operation};
use serde_json::Value;

/// A table as the scenario left it.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub name: String,
    /// `[(attribute, "HASH" | "RANGE")]`.
    pub key_schema: Vec<(String, String)>,
    /// The key attributes' types: `[(attribute, "S" | "N" | "B")]`.
    pub key_types: Vec<(String, String)>,
    /// `PAY_PER_REQUEST` or `PROVISIONED` with (read, write) capacity.
    pub billing: Billing,
    /// The stream's view type, when a stream is enabled.
    pub stream: Option<String>,
    /// The TTL attribute, when TTL is enabled.
    pub ttl: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Billing {
    PayPerRequest,
    Provisioned(u64, u64),
}

/// A function: its name and its rule source (parsed).
#[derive(Clone, Debug)]
pub(crate) struct Function {
    pub name: String,
    pub code: String,
    pub program: rules::Program,
}

/// An event source mapping, with every setting as Get/CreateEventSourceMapping shows it.
#[derive(Clone, Debug)]
pub(crate) struct Mapping {
    pub uuid: String,
    pub function: String,
    pub table: String,
    /// The mapping's description as the engine answers it (BatchSize, FilterCriteria, ...).
    pub config: Value,
}

/// Everything the export writes from.
#[derive(Clone, Debug, Default)]
pub(crate) struct App {
    pub description: Option<String>,
    pub region: String,
    pub tables: Vec<Table>,
    pub functions: Vec<Function>,
    pub mappings: Vec<Mapping>,
    /// Mappings left out, and why (their table or function is gone).
    pub dropped: Vec<String>,
    /// The simulator's loop guard limit (None when the scenario turned it off).
    pub loop_guard: Option<u32>,
    /// Simulator settings that differ from AWS and that the scenario set itself.
    pub simulator_settings: Vec<String>,
}

fn table_name_of_stream(arn: &str) -> Option<String> {
    let after = arn.split(":table/").nth(1)?;
    Some(after.split('/').next()?.to_string())
}

fn function_name_of_arn(arn: &str) -> String {
    arn.rsplit(":function:").next().unwrap_or(arn).split(':').next().unwrap_or(arn).to_string()
}

fn table_from_description(d: &Value, old: Option<&Table>) -> Option<Table> {
    let name = d.get("TableName")?.as_str()?.to_string();
    let pairs = |list: &Value, a: &str, b: &str| -> Vec<(String, String)> {
        list.as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|e| Some((e.get(a)?.as_str()?.to_string(), e.get(b)?.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let key_schema = pairs(d.get("KeySchema")?, "AttributeName", "KeyType");
    let all_types = pairs(d.get("AttributeDefinitions").unwrap_or(&Value::Null), "AttributeName", "AttributeType");
    let key_types =
        key_schema.iter().filter_map(|(k, _)| all_types.iter().find(|(a, _)| a == k).cloned()).collect::<Vec<_>>();
    let mode = d.pointer("/BillingModeSummary/BillingMode").and_then(Value::as_str).unwrap_or("PROVISIONED");
    let billing = if mode == "PAY_PER_REQUEST" {
        Billing::PayPerRequest
    } else {
        let cap = |k: &str| d.pointer(&format!("/ProvisionedThroughput/{k}")).and_then(Value::as_u64).unwrap_or(1);
        Billing::Provisioned(cap("ReadCapacityUnits").max(1), cap("WriteCapacityUnits").max(1))
    };
    let stream = match d.get("StreamSpecification") {
        Some(s) if s.get("StreamEnabled").and_then(Value::as_bool) == Some(true) => {
            s.get("StreamViewType").and_then(Value::as_str).map(str::to_string)
        }
        _ => None,
    };
    Some(Table { name, key_schema, key_types, billing, stream, ttl: old.and_then(|t| t.ttl.clone()) })
}

/// Runs the scenario's configuration steps (tables, TTL, functions, mappings, in order) on a
/// fresh engine and keeps what each successful one left. Item writes and clock advances are
/// not run: they change no configuration.
pub(crate) fn from_scenario(s: &Scenario) -> App {
    let mut engine = Engine::new(EngineConfig { history_limit: Some(1), ..s.config.clone() });
    let mut app = App {
        description: s.description.clone(),
        region: s.config.region.clone(),
        loop_guard: s.config.loop_guard,
        ..App::default()
    };
    let mut sources: Vec<(String, String)> = Vec::new();
    for step in &s.steps {
        let op = step.action;
        let config_step = matches!(
            op,
            Operation::CreateTable
                | Operation::UpdateTable
                | Operation::DeleteTable
                | Operation::UpdateTimeToLive
                | Operation::CreateFunction
                | Operation::UpdateFunctionCode
                | Operation::CreateEventSourceMapping
                | Operation::UpdateEventSourceMapping
                | Operation::DeleteEventSourceMapping
        );
        if !config_step {
            continue;
        }
        let Ok(resp) = engine.call_op(op, &step.body) else { continue };
        match op {
            Operation::CreateTable | Operation::UpdateTable => {
                if let Some(d) = resp.get("TableDescription") {
                    let name = d.get("TableName").and_then(Value::as_str).unwrap_or_default();
                    let i = app.tables.iter().position(|t| t.name == name);
                    if let Some(t) = table_from_description(d, i.map(|i| &app.tables[i])) {
                        match i {
                            Some(i) => app.tables[i] = t,
                            None => app.tables.push(t),
                        }
                    }
                }
            }
            Operation::DeleteTable => {
                let name = step.body.get("TableName").and_then(Value::as_str).unwrap_or_default();
                app.tables.retain(|t| t.name != name);
            }
            Operation::UpdateTimeToLive => {
                let name = step.body.get("TableName").and_then(Value::as_str).unwrap_or_default();
                let spec = step.body.get("TimeToLiveSpecification");
                let on = spec.and_then(|s| s.get("Enabled")).and_then(Value::as_bool) == Some(true);
                let attr = spec.and_then(|s| s.get("AttributeName")).and_then(Value::as_str);
                if let Some(t) = app.tables.iter_mut().find(|t| t.name == name) {
                    t.ttl = if on { attr.map(str::to_string) } else { None };
                }
            }
            Operation::CreateFunction | Operation::UpdateFunctionCode => {
                let name =
                    resp.get("FunctionName").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| {
                        function_name_of_arn(step.body["FunctionName"].as_str().unwrap_or_default())
                    });
                let code = step.body.get("Code").and_then(Value::as_str).unwrap_or_default().to_string();
                match sources.iter_mut().find(|(n, _)| *n == name) {
                    Some(e) => e.1 = code,
                    None => sources.push((name, code)),
                }
            }
            Operation::CreateEventSourceMapping | Operation::UpdateEventSourceMapping => {
                let uuid = resp.get("UUID").and_then(Value::as_str).unwrap_or_default().to_string();
                let function =
                    function_name_of_arn(resp.get("FunctionArn").and_then(Value::as_str).unwrap_or_default());
                let table =
                    table_name_of_stream(resp.get("EventSourceArn").and_then(Value::as_str).unwrap_or_default())
                        .unwrap_or_default();
                let mut config = resp.clone();
                let old = app.mappings.iter().find(|m| m.uuid == uuid);
                if let Some(old) = old {
                    if config.get("StartingPosition").is_none() {
                        if let Some(p) = old.config.get("StartingPosition") {
                            config["StartingPosition"] = p.clone();
                        }
                    }
                }
                // Enabled is a request member (the response has a State in transition instead).
                let enabled = step.body.get("Enabled").and_then(Value::as_bool).unwrap_or_else(|| {
                    old.and_then(|m| m.config.get("Enabled")).and_then(Value::as_bool).unwrap_or(true)
                });
                config["Enabled"] = Value::Bool(enabled);
                let m = Mapping { uuid: uuid.clone(), function, table, config };
                match app.mappings.iter().position(|m| m.uuid == uuid) {
                    Some(i) => app.mappings[i] = m,
                    None => app.mappings.push(m),
                }
            }
            Operation::DeleteEventSourceMapping => {
                let uuid = resp.get("UUID").and_then(Value::as_str).unwrap_or_default();
                app.mappings.retain(|m| m.uuid != uuid);
            }
            _ => {}
        }
    }
    for (name, code) in sources {
        // The engine accepted the code, so it parses; a program that does not is left empty.
        let program = rules::parse(&code).unwrap_or_default();
        app.functions.push(Function { name, code, program });
    }
    let mut kept = Vec::new();
    for m in std::mem::take(&mut app.mappings) {
        let table = app.tables.iter().find(|t| t.name == m.table);
        if table.is_none_or(|t| t.stream.is_none()) {
            app.dropped.push(format!(
                "the mapping of function {} to the stream of table {} (the table or its stream no longer exists at the end of the scenario)",
                m.function, m.table
            ));
        } else if !app.functions.iter().any(|f| f.name == m.function) {
            app.dropped.push(format!("the mapping {} (its function {} does not exist)", m.uuid, m.function));
        } else {
            kept.push(m);
        }
    }
    app.mappings = kept;
    let d = EngineConfig::default();
    let c = &s.config;
    if c.shards_per_stream != d.shards_per_stream {
        app.simulator_settings.push(format!("\"shardsPerStream\": {}", c.shards_per_stream));
    }
    app
}

impl App {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn mappings_of<'a>(&'a self, function: &'a str) -> impl Iterator<Item = &'a Mapping> {
        self.mappings.iter().filter(move |m| m.function == function)
    }
}
