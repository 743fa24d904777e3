//! Writing `streamlab replay` output: one result, record, invocation, notification or
//! on-failure record per line, in the order of `scenario-format.md`.

use crate::sim::Engine;
use crate::sim::RecordJson;
use serde_json::{json, Value};
use std::io::{self, Write};

/// Writes `value` as compact JSON on one line (the output puts one result, record,
/// invocation, ... per line: readable, diffable, and small for long scenarios).
pub(crate) fn write_line(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::other)
}

/// Writes `"key": [ elems ]` inside the top-level object, one element per line.
pub(super) fn write_array<I: Iterator<Item = Value>>(
    out: &mut dyn Write,
    key: &str,
    elems: I,
    last: bool,
) -> io::Result<()> {
    write!(out, "  \"{key}\": [")?;
    let mut first = true;
    for e in elems {
        out.write_all(if first { b"\n    " } else { b",\n    " })?;
        write_line(out, &e)?;
        first = false;
    }
    if !first {
        out.write_all(b"\n  ")?;
    }
    writeln!(out, "]{}", if last { "" } else { "," })
}

/// The result entry of one step.
pub fn step_result(i: usize, action: &str, r: &crate::model::Result<Value>) -> Value {
    match r {
        Ok(resp) => json!({"step": i, "action": action, "ok": true, "response": resp}),
        Err(e) => json!({"step": i, "action": action, "ok": false, "error": e.to_json()}),
    }
}

/// The start of step `i`'s result entry, as `write_line` writes `step_result`: `{"step":i,`.
pub(super) fn write_step(line: &mut Vec<u8>, i: usize) {
    line.extend_from_slice(b"{\"step\":");
    let _ = serde_json::to_writer(&mut *line, &i);
    line.push(b',');
}

/// The rest of a step's result entry, from `"action"` on.
pub(super) fn write_outcome(line: &mut Vec<u8>, action: &str, r: &crate::model::Result<Value>) {
    line.extend_from_slice(b"\"action\":");
    let _ = serde_json::to_writer(&mut *line, action);
    let _ = match r {
        Ok(resp) => {
            line.extend_from_slice(b",\"ok\":true,\"response\":");
            serde_json::to_writer(&mut *line, resp)
        }
        Err(e) => {
            line.extend_from_slice(b",\"ok\":false,\"error\":");
            serde_json::to_writer(&mut *line, &e.to_json())
        }
    };
    line.push(b'}');
}

/// Everything after `results`: streams, invocations, notifications, aggregates, failures, and,
/// only when the simulator's loop guard paused a chain, `loopGuard`.
pub(super) fn write_tail(engine: Engine, out: &mut dyn Write) -> io::Result<Engine> {
    let region = engine.cfg.region.clone();
    write!(out, "  \"streams\": [")?;
    for (i, st) in engine.streams().iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        // The stream's members as `Stream::to_output_json` gives them, its records written one
        // per line straight from their images.
        let head = json!({
            "TableName": st.table_name,
            "StreamArn": st.arn,
            "StreamLabel": st.label,
            "StreamViewType": st.view_type.as_str(),
        });
        let head_text = serde_json::to_string(&head).map_err(io::Error::other)?;
        out.write_all(head_text.trim_end_matches('}').as_bytes())?;
        out.write_all(b",\"Records\":[")?;
        let any = write_records(out, &region, st.records_in_order().map(|r| r.json()))?;
        out.write_all(if any { b"\n    ]}" } else { b"]}" })?;
    }
    writeln!(out, "{}],", if engine.streams().is_empty() { "" } else { "\n  " })?;
    write_array(out, "invocations", engine.invocations_json(), false)?;
    write_array(out, "notifications", engine.notifications_json(), false)?;
    write!(out, "  \"aggregates\": ")?;
    write_line(out, &engine.aggregates_output())?;
    writeln!(out, ",")?;
    // Members beyond the six of `scenario-format.md` appear only when asked for or when they
    // carry something: `metrics` when a mapping publishes its metrics (`MetricsConfig`, opt-in
    // on AWS too), `filtered` with `"simulator": {"explainFilters": true}`, `loopGuard` when
    // the guard acted.
    let mut extra: Vec<(&str, Vec<Value>)> = Vec::new();
    if engine.has_event_count_metrics() {
        extra.push(("metrics", engine.metrics_output()));
    }
    if engine.cfg.explain_filters {
        extra.push(("filtered", engine.filtered_output()));
    }
    let pauses = engine.loop_guard_output();
    if !pauses.is_empty() {
        extra.push(("loopGuard", pauses));
    }
    write_array(out, "failures", engine.failures_json(), extra.is_empty())?;
    let n = extra.len();
    for (i, (key, values)) in extra.into_iter().enumerate() {
        write_array(out, key, values.into_iter(), i + 1 == n)?;
    }
    out.write_all(b"}\n")?;
    out.flush()?;
    Ok(engine)
}

/// Writes a stream's records, one per line. Returns whether there was any.
pub(super) fn write_records<'a>(
    out: &mut dyn Write,
    region: &str,
    records: impl Iterator<Item = RecordJson<'a>>,
) -> io::Result<bool> {
    let format = |chunk: &[RecordJson], first: bool, text: &mut Vec<u8>| {
        for (i, r) in chunk.iter().enumerate() {
            text.extend_from_slice(if first && i == 0 { b"\n      " } else { b",\n      " });
            r.write(region, None, text);
        }
    };
    // The web app has no threads (and no code for them: a smaller download).
    if cfg!(target_arch = "wasm32") {
        let (mut any, mut line) = (false, Vec::with_capacity(4096));
        for r in records {
            line.clear();
            format(&[r], !any, &mut line);
            out.write_all(&line)?;
            any = true;
        }
        return Ok(any);
    }
    write_records_on_two_threads(out, records, &format)
}

/// Writes a chunk of records (the flag: is it the first chunk) into a buffer.
pub(super) type RecordsFormat<'f> = dyn Fn(&[RecordJson], bool, &mut Vec<u8>) + Sync + 'f;

/// `write_records` on two threads: chunks of records in turn on a helper thread and on this
/// one, written in order (all on this one if the helper cannot be made).
pub(super) fn write_records_on_two_threads<'a>(
    out: &mut dyn Write,
    records: impl Iterator<Item = RecordJson<'a>>,
    format: &RecordsFormat,
) -> io::Result<bool> {
    const CHUNK: usize = 1024;
    // A chunk, a buffer for its text (reused: sized once, here), and whether it comes first.
    type Job<'a> = (Vec<RecordJson<'a>>, Vec<u8>, bool);
    let job = || (Vec::with_capacity(CHUNK), Vec::with_capacity(CHUNK << 10), false);
    let mut records = records.peekable();
    let any = records.peek().is_some();
    std::thread::scope(|scope| {
        let (to_helper, helper_rx) = std::sync::mpsc::sync_channel::<Job>(1);
        let (helper_tx, from_helper) = std::sync::mpsc::sync_channel::<Job>(1);
        // If it cannot be made, its receiver is dropped and its chunks are formatted here.
        let helper = std::thread::Builder::new().spawn_scoped(scope, move || {
            for (chunk, mut text, first) in helper_rx {
                format(&chunk, first, &mut text);
                if helper_tx.send((chunk, text, first)).is_err() {
                    break;
                }
            }
        });
        let result = (|| -> io::Result<()> {
            let (mut theirs, mut mine) = (job(), job());
            theirs.2 = true;
            loop {
                theirs.0.clear();
                theirs.1.clear();
                theirs.0.extend(records.by_ref().take(CHUNK));
                if theirs.0.is_empty() {
                    return Ok(());
                }
                let sent = to_helper.send(theirs);
                mine.0.clear();
                mine.1.clear();
                mine.0.extend(records.by_ref().take(CHUNK));
                format(&mine.0, false, &mut mine.1);
                theirs = match sent {
                    Ok(()) => from_helper.recv().map_err(|_| io::Error::other("the record writer stopped"))?,
                    Err(std::sync::mpsc::SendError(mut job)) => {
                        format(&job.0, job.2, &mut job.1);
                        job
                    }
                };
                out.write_all(&theirs.1)?;
                out.write_all(&mine.1)?;
                theirs.2 = false;
            }
        })();
        drop(to_helper);
        if let Ok(h) = helper {
            let _ = h.join();
        }
        result
    })?;
    Ok(any)
}
