//! Replaying a scenario: from a parsed file (`run`, `replay`) or straight from a reader
//! (`replay_streaming`), with the same output and the same errors.

use super::format::*;
use super::output::*;
use super::reader;

use crate::sim::{Engine, EngineConfig};
use serde_json::{Map, Value};
use std::io::{self, Write};
use std::sync::atomic::Ordering::Relaxed;

/// Replays a scenario, writing the output JSON to `out` as it goes.
pub fn run(s: &Scenario, out: &mut dyn Write) -> io::Result<Engine> {
    let mut engine = Engine::new(EngineConfig { history_limit: None, ..s.config.clone() });
    out.write_all(b"{\n")?;
    let results = s.steps.iter().enumerate().map(|(i, step)| {
        let r = engine.call_op(step.action, &step.body);
        step_result(i, step.action.as_str(), &r)
    });
    // The iterator borrows the engine mutably; collecting it lazily while writing keeps memory flat.
    write_array(out, "results", results, false)?;
    write_tail(engine, out)
}

/// What [`replay_within`] made of a scenario.
#[derive(Debug)]
pub enum Within {
    /// The replay's output (as [`replay`] gives it) and the work it took (`Work::units`).
    Done(Value, u64),
    /// Given up after `step` (from 1) of `steps`, where the engine passed the work budget, or
    /// the byte budget (`data`); `units`: the work done by then.
    Stopped { step: usize, steps: usize, data: bool, units: u64 },
}

/// [`replay`] of a parsed scenario, given up once the engine passes `work` units of work or
/// `bytes` of item data (the simulator's guards, `Engine::set_work_budget`; AWS has none): for
/// the scenarios of teaching files, which the page replays as it shows them.
pub fn replay_within(s: &Scenario, work: u64, bytes: u64) -> Result<Within, ScenarioError> {
    let mut engine = Engine::new(EngineConfig { history_limit: None, ..s.config.clone() });
    engine.set_work_budget(Some(work));
    engine.set_byte_budget(Some(bytes));
    let mut results = Vec::with_capacity(s.steps.len());
    for (i, step) in s.steps.iter().enumerate() {
        let r = engine.call_op(step.action, &step.body);
        results.push(step_result(i, step.action.as_str(), &r));
        if engine.over_budget() {
            let (data, units) = (engine.over_byte_budget(), engine.work().units());
            return Ok(Within::Stopped { step: i + 1, steps: s.steps.len(), data, units });
        }
    }
    let units = engine.work().units();
    let internal = |e: &dyn std::fmt::Display| ScenarioError::Invalid(format!("internal error: {e}"));
    let mut buf = Vec::new();
    buf.extend_from_slice(b"{\n");
    write_array(&mut buf, "results", results.into_iter(), false).map_err(|e| internal(&e))?;
    write_tail(engine, &mut buf).map_err(|e| internal(&e))?;
    let out = serde_json::from_slice(&buf).map_err(|e| internal(&e))?;
    Ok(Within::Done(out, units))
}

/// Why `replay_streaming` stopped.
#[derive(Debug)]
pub enum ReplayError {
    /// Not a valid scenario: the message `parse` gives.
    Invalid(ScenarioError),
    /// Reading the file failed.
    Read(io::Error),
    /// Writing the output failed.
    Write(io::Error),
}

/// Replays a scenario read from `open()` exactly as `parse` then `run` would (same output, same
/// errors), without holding the file or its steps in memory: a reader thread reads and checks
/// each step, which this thread runs and drops. Nothing is written before the whole file is
/// known to be a scenario: the results are held (`Held`) until the reader has checked it to
/// its end, or, should they grow past `HELD_MAX`, until a first pass has. Any problem is
/// reported by `parse` itself (the file is then read whole), so the messages cannot drift apart.
pub fn replay_streaming<R: io::Read + Send>(
    open: &dyn Fn() -> io::Result<R>,
    out: &mut dyn Write,
) -> Result<Engine, ReplayError> {
    replay_pass(open, out, None)
}

/// How few batches waiting to run make the reader leave items for the running thread to decode.
const DEFER_BELOW: usize = 2;

/// How much of held results makes `replay_pass` check the file before it runs on.
const HELD_MAX: usize = 16 << 20;

/// The results of steps run before the file is known to be a scenario: each entry from
/// `"action"` on, runs of equal entries kept once (a long scenario repeats a few).
#[derive(Default)]
struct Held {
    text: Vec<u8>,
    /// Each run's end in `text` and its number of steps.
    runs: Vec<(usize, usize)>,
}

impl Held {
    fn push(&mut self, entry: &[u8]) {
        let start = self.runs.len().checked_sub(2).map_or(0, |i| self.runs[i].0);
        if let Some(last) = self.runs.last_mut() {
            if self.text.get(start..last.0) == Some(entry) {
                last.1 += 1;
                return;
            }
        }
        self.text.extend_from_slice(entry);
        self.runs.push((self.text.len(), 1));
    }

    fn size(&self) -> usize {
        self.text.len() + self.runs.len() * std::mem::size_of::<(usize, usize)>()
    }

    /// Writes the results section's start and the held entries, steps numbered from 0.
    fn write(&self, out: &mut dyn Write) -> io::Result<usize> {
        out.write_all(b"{\n  \"results\": [")?;
        let (mut i, mut start, mut line) = (0, 0, Vec::with_capacity(256));
        for &(end, n) in &self.runs {
            for _ in 0..n {
                line.clear();
                line.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
                write_step(&mut line, i);
                line.extend_from_slice(&self.text[start..end]);
                out.write_all(&line)?;
                i += 1;
            }
            start = end;
        }
        Ok(i)
    }
}

/// A top-level member of the file other than `steps`, kept for the header; false if it is not
/// a JSON value or repeats a member (a file `parse` then reports or reads otherwise).
fn member(members: &mut Map<String, Value>, key: String, text: &[u8]) -> bool {
    serde_json::from_slice(text).is_ok_and(|v| members.insert(key, v).is_none())
}

/// The configuration of a file checked whole, from the start, in one pass; `None` if it is not
/// a scenario `replay_pass` can run.
fn check<R: io::Read>(open: &dyn Fn() -> io::Result<R>) -> Result<Option<EngineConfig>, ReplayError> {
    let mut members = Map::new();
    let steps = reader::walk(
        open().map_err(ReplayError::Read)?,
        &mut |t, i| Some((reader::step(t, i)?, ())),
        &mut |key, v, _| match key {
            None => true,
            Some(k) => member(&mut members, k, v),
        },
    )
    .map_err(ReplayError::Read)?;
    Ok(if steps == Some(1) { header(&members).ok().map(|(_, config)| config) } else { None })
}

/// One pass of `replay_streaming`. `known`: the file has been checked and has this
/// configuration; otherwise it is run with the configuration of the members before its steps,
/// and run again should the members after them change it.
fn replay_pass<R: io::Read + Send>(
    open: &dyn Fn() -> io::Result<R>,
    out: &mut dyn Write,
    known: Option<EngineConfig>,
) -> Result<Engine, ReplayError> {
    let new_engine = |config: &EngineConfig| Engine::new(EngineConfig { history_limit: None, ..config.clone() });
    let mut engine = known.as_ref().map(|c| (new_engine(c), c.clone()));
    // `None` once the results are written as they come (the file is known to be a scenario).
    let mut held = if known.is_some() { None } else { Some(Held::default()) };
    if held.is_none() {
        out.write_all(b"{\n  \"results\": [").map_err(ReplayError::Write)?;
    }
    let (mut next, mut line) = (0, Vec::with_capacity(256));
    let src = open().map_err(ReplayError::Read)?;
    // Batches sent and not yet taken. While this thread is about to wait for steps, the reader
    // leaves the items it reads for this one to decode.
    let queued = std::sync::atomic::AtomicUsize::new(0);
    // The steps are read on a second thread, in batches, while this one runs them.
    let (walked, written) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<reader::Step>>(8);
        // Run batches come back to be freed where they were allocated (cheaper for mimalloc).
        let (done_tx, done_rx) = std::sync::mpsc::channel::<Vec<reader::Step>>();
        // The members before the first step, sent as it is read.
        let (head_tx, head_rx) = std::sync::mpsc::channel::<Map<String, Value>>();
        let queued = &queued;
        let reader = scope.spawn(move || {
            let (mut window, mut scratch, mut batch) = (1024, reader::Scratch::default(), Vec::with_capacity(64));
            let (mut members, mut head_tx) = (Map::new(), Some(head_tx));
            let mut read = |t: &[u8], i| {
                scratch.defer = queued.load(Relaxed) < DEFER_BELOW;
                reader::parse_step(t, i, &mut window, &mut scratch)
            };
            let walked = reader::walk(src, &mut read, &mut |key, v, step| {
                let Some(step) = step else { return key.is_some_and(|k| member(&mut members, k, v)) };
                if let Some(head) = head_tx.take() {
                    let _ = head.send(members.clone());
                }
                batch.push(step);
                if batch.len() < 64 {
                    return true;
                }
                let mut done = done_rx.try_iter().last().unwrap_or_default();
                done.clear();
                queued.fetch_add(1, Relaxed);
                tx.send(std::mem::replace(&mut batch, done)).is_ok()
            });
            queued.fetch_add(1, Relaxed);
            let _ = tx.send(batch);
            walked.map(|w| w.map(|steps| (steps, members)))
        });
        // `Some` if it stops before the end: with the configuration of the file, if checked.
        let written = (|| -> Result<Option<Option<EngineConfig>>, ReplayError> {
            for mut batch in rx {
                queued.fetch_sub(1, Relaxed);
                if engine.is_none() && !batch.is_empty() {
                    match head_rx.recv().ok().and_then(|m| header(&m).ok()) {
                        Some((_, config)) => engine = Some((new_engine(&config), config)),
                        None => return Ok(Some(None)), // not a scenario
                    }
                }
                let Some((engine, config)) = &mut engine else { continue };
                for reader::Step(action, body, item) in &mut batch {
                    line.clear();
                    if held.is_none() {
                        line.extend_from_slice(if next == 0 { b"\n    " } else { b",\n    " });
                        write_step(&mut line, next);
                    }
                    let r = match item.take() {
                        Some(item) => engine.put_item_decoded(body, item.decode()),
                        None => engine.call(action, body),
                    };
                    write_outcome(&mut line, action, &r);
                    next += 1;
                    match &mut held {
                        None => out.write_all(&line).map_err(ReplayError::Write)?,
                        Some(h) => {
                            h.push(&line);
                            if h.size() > HELD_MAX {
                                // Too much to hold: check the file first, as a whole.
                                let checked = check(open)?;
                                if checked.as_ref() != Some(config) {
                                    return Ok(Some(checked));
                                }
                                h.write(out).map_err(ReplayError::Write)?;
                                held = None;
                            }
                        }
                    }
                }
                let _ = done_tx.send(batch);
            }
            Ok(None)
        })();
        (reader.join().unwrap_or(Ok(None)), written)
    });
    let checked = match written? {
        Some(checked) => checked,
        None => match walked.map_err(ReplayError::Read)? {
            Some((1, members)) => header(&members).ok().map(|(_, config)| config),
            _ => None,
        },
    };
    let Some(config) = checked else {
        if held.is_none() {
            return Err(ReplayError::Read(io::Error::other("the file changed while it was replayed")));
        }
        // Invalid: let `parse` find and word the problem (or, should it accept the file, run it).
        let mut bytes = Vec::new();
        io::Read::read_to_end(&mut open().map_err(ReplayError::Read)?, &mut bytes).map_err(ReplayError::Read)?;
        let text = text_of(bytes).map_err(ReplayError::Invalid)?;
        let s = parse(&text).map_err(ReplayError::Invalid)?;
        return run(&s, out).map_err(ReplayError::Write);
    };
    let engine = match engine {
        Some((engine, used)) if used == config => engine,
        _ if held.is_none() => {
            return Err(ReplayError::Read(io::Error::other("the file changed while it was replayed")))
        }
        Some(_) => return replay_pass(open, out, Some(config)), // the members after the steps change how they run
        None => new_engine(&config),
    };
    if let Some(h) = &held {
        h.write(out).map_err(ReplayError::Write)?;
    }
    out.write_all(if next > 0 { b"\n  ],\n" } else { b"],\n" }).map_err(ReplayError::Write)?;
    write_tail(engine, out).map_err(ReplayError::Write)
}

/// Parses and replays a scenario text, returning the output as JSON (for tests and the UI).
/// Writing to memory cannot fail and the output is always JSON; were either ever not so, the
/// error says so as an `Invalid` scenario error rather than a panic.
pub fn replay(text: &str) -> Result<Value, ScenarioError> {
    let s = parse(text)?;
    let mut buf = Vec::new();
    run(&s, &mut buf).map_err(|e| ScenarioError::Invalid(format!("internal error: {e}")))?;
    serde_json::from_slice(&buf)
        .map_err(|e| ScenarioError::Invalid(format!("internal error: replay output is not JSON: {e}")))
}
