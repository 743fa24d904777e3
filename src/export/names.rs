//! Names in the exported application: CloudFormation logical IDs, environment variables, and
//! which table, topic and setting each function's handler needs.

use super::app::App;
use super::code;
use crate::lang::rules::AggKind;

/// `#ops` -> `Ops`, `notify-room` -> `NotifyRoom`, `2024 totals` -> `X2024Totals`.
pub(crate) fn pascal(s: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if up {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            up = false;
        } else {
            up = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'X');
    }
    out
}

/// `#ops` -> `OPS`, `notify-room` -> `NOTIFY_ROOM`.
pub(crate) fn env(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let t = out.trim_end_matches('_').to_string();
    if t.is_empty() {
        "X".into()
    } else {
        t
    }
}

/// Hands out names that are unique among those already given.
#[derive(Default)]
pub(crate) struct Unique {
    used: Vec<String>,
}

impl Unique {
    pub fn take(&mut self, want: String) -> String {
        let mut name = want.clone();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{want}{n}");
            n += 1;
        }
        self.used.push(name.clone());
        name
    }
}

/// One notification channel: its topic's logical ID and environment variable.
#[derive(Clone, Debug)]
pub(crate) struct Channel {
    pub channel: String,
    pub logical: String,
    pub env: String,
}

/// What one function's handler is given.
#[derive(Clone, Debug)]
pub(crate) struct FunctionNames {
    pub function: String,
    pub logical: String,
    pub dir: String,
    /// (lab table name, env var) for the tables its rules write that exist in the app.
    pub tables: Vec<(String, String)>,
    /// Tables its rules write that the scenario does not define.
    pub missing_tables: Vec<String>,
    pub channels: Vec<Channel>,
    pub dynamic_channel: bool,
    pub aggregates: Vec<(String, AggKind)>,
    pub windowed: bool,
    pub needs_values_table: bool,
    pub report_failures: bool,
    /// Mappings disagree on ReportBatchItemFailures (the handler follows "on").
    pub mixed_report: bool,
}

pub(crate) struct Names {
    pub tables: Vec<(String, String)>,
    pub channels: Vec<Channel>,
    pub functions: Vec<FunctionNames>,
    pub any_dynamic_channel: bool,
    pub any_aggregates: bool,
    pub any_values_table: bool,
}

pub(crate) fn names(app: &App) -> Names {
    let mut ids = Unique::default();
    for reserved in ["AggregatesTable", "AggregateValuesTable", "OtherChannelsTopic"] {
        ids.take(reserved.into());
    }
    let tables: Vec<(String, String)> =
        app.tables.iter().map(|t| (t.name.clone(), ids.take(format!("{}Table", pascal(&t.name))))).collect();
    let mut channels: Vec<Channel> = Vec::new();
    let mut envs = Unique::default();
    envs.take("TOPIC_OTHER_CHANNELS".into());
    for f in &app.functions {
        for c in code::channels(&f.program).0 {
            if !channels.iter().any(|x| x.channel == c) {
                let logical = ids.take(format!("{}Topic", pascal(&c)));
                let env = envs.take(format!("TOPIC_{}", env(&c)));
                channels.push(Channel { channel: c, logical, env });
            }
        }
    }
    let mut functions = Vec::new();
    let mut dirs = Unique::default();
    for f in &app.functions {
        let logical = ids.take(format!("{}Function", pascal(&f.name)));
        let (chs, dynamic_channel) = code::channels(&f.program);
        let mut tenv = Unique::default();
        let mut ftables = Vec::new();
        let mut missing = Vec::new();
        for (t, ..) in code::written_tables(&f.program) {
            if app.table(&t).is_some() {
                ftables.push((t.clone(), tenv.take(format!("TABLE_{}", env(&t)))));
            } else {
                missing.push(t);
            }
        }
        let maps: Vec<_> = app.mappings_of(&f.name).collect();
        let reports: Vec<bool> = maps
            .iter()
            .map(|m| {
                m.config
                    .get("FunctionResponseTypes")
                    .and_then(|v| v.as_array())
                    .is_some_and(|a| a.iter().any(|x| x == "ReportBatchItemFailures"))
            })
            .collect();
        let windowed =
            maps.iter().any(|m| m.config.get("TumblingWindowInSeconds").and_then(|v| v.as_u64()).unwrap_or(0) > 0);
        let aggregates = f.program.aggregate_kinds();
        functions.push(FunctionNames {
            function: f.name.clone(),
            logical,
            dir: dirs.take(f.name.clone()),
            tables: ftables,
            missing_tables: missing,
            channels: channels.iter().filter(|c| chs.contains(&c.channel)).cloned().collect(),
            dynamic_channel,
            needs_values_table: !windowed && aggregates.iter().any(|(_, k)| matches!(k, AggKind::Min | AggKind::Max)),
            aggregates,
            windowed,
            report_failures: reports.iter().any(|r| *r),
            mixed_report: reports.iter().any(|r| *r) && reports.iter().any(|r| !*r),
        });
    }
    Names {
        any_dynamic_channel: functions.iter().any(|f| f.dynamic_channel),
        any_aggregates: functions.iter().any(|f| !f.aggregates.is_empty()),
        any_values_table: functions.iter().any(|f| f.needs_values_table),
        tables,
        channels,
        functions,
    }
}
