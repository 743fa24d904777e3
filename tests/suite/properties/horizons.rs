//! Long horizons: what advancing the clock costs grows with what happens in the span (writes,
//! polls, retries, roll-overs, trims), not with the span's length times the shards or pollers a
//! long run could pile up. Counted in events and in the shards and pollers each event looks at
//! (`Engine::work`), never timed, so these tests cannot flake on a slow machine.

use crate::common::lambda::*;
use crate::common::*;
use serde_json::json;
use streamlab::{Engine, Work};

const DAY: f64 = 86_400.0;

/// Advances `days` days, at most 366 days per AdvanceClock (the API's limit).
fn advance_days(e: &mut Engine, days: u32) {
    let mut left = days;
    while left > 0 {
        let n = left.min(366);
        advance(e, f64::from(n) * DAY);
        left -= n;
    }
}

/// The shards and pollers looked at per event, on average.
fn per_event(w: Work) -> f64 {
    w.scanned as f64 / w.events as f64
}

/// One table, one mapping, one write, then `days` of nothing: shards keep rolling over every
/// 4 hours (the simulator's default, after what AWS is observed to do) and being trimmed 24 hours
/// after they close.
fn idle(days: u32) -> Work {
    let mut e = engine();
    table(&mut e, "Votes", "NEW_AND_OLD_IMAGES");
    function(&mut e, "f", "on INSERT\n  count votes");
    mapping(&mut e, "Votes", "f", json!({}));
    put(&mut e, "Votes", "a", 1);
    advance_days(&mut e, days);
    assert_eq!(invs(&e).len(), 1, "the one write is delivered once");
    e.work()
}

#[test]
fn an_idle_mapping_costs_the_same_per_day_for_a_day_a_year_and_two_years() {
    let (day, year, two) = (idle(1), idle(365), idle(730));
    // Each day has the same events: 6 roll-overs, the trims of the shards closed a day before,
    // and the polls that find a closed shard's end. About twice as many for two years as for one.
    let ratio = two.events as f64 / year.events as f64;
    assert!((1.95..=2.05).contains(&ratio), "events: a year {year:?}, two years {two:?}");
    assert!(year.events <= 365 * 20, "at most 20 events a day, had {year:?}");
    // And each event looks at what a day keeps (about 7 shards and their pollers), not at
    // everything a year has made: cursors of shards long gone used to pile up, one per roll-over.
    for w in [day, year, two] {
        assert!(per_event(w) < 40.0, "shards and pollers per event: {w:?}");
    }
    assert!(per_event(two) < per_event(day) * 3.0, "a day {day:?}, two years {two:?}");
}

/// Writes every hour for `days` days to a table whose function always fails: each batch is
/// retried twice, split in two (bisect), and sent to an on-failure destination.
fn failing(days: u32) -> Work {
    let mut e = engine();
    table(&mut e, "Orders", "NEW_IMAGE");
    function(&mut e, "f", FAIL_ALL);
    mapping(
        &mut e,
        "Orders",
        "f",
        json!({"MaximumRetryAttempts": 2, "BisectBatchOnFunctionError": true, "BatchSize": 10,
               "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}),
    );
    for h in 0..days * 24 {
        put(&mut e, "Orders", &format!("o{}", h % 50), i64::from(h));
        put(&mut e, "Orders", &format!("p{}", h % 50), i64::from(h));
        advance(&mut e, 3600.0);
    }
    // Every record ends up in an on-failure record (a batch of one is not split further).
    let sent: u64 =
        e.failures_output().iter().map(|f| f["DDBStreamBatchInfo"]["batchSize"].as_u64().unwrap_or(0)).sum();
    assert_eq!(sent, u64::from(days) * 48, "every record is accounted for");
    e.work()
}

#[test]
fn retries_bisection_and_roll_overs_cost_in_proportion_to_the_writes() {
    let (day, month, quarter) = (failing(1), failing(30), failing(90));
    let per_day = |w: Work, d: f64| w.events as f64 / d;
    // The same events per day of writes, whatever the span.
    assert!(per_day(quarter, 90.0) <= per_day(day, 1.0) * 1.1, "a day {day:?}, 90 days {quarter:?}");
    assert!(per_day(quarter, 90.0) >= per_day(month, 30.0) * 0.9, "30 days {month:?}, 90 days {quarter:?}");
    for w in [day, month, quarter] {
        assert!(per_event(w) < 40.0, "shards and pollers per event: {w:?}");
    }
}

/// A scenario header asking for `simulator` settings, with one step.
fn with_simulator(sim: serde_json::Value) -> String {
    json!({"simulator": sim, "steps": [{"ListTables": {}}]}).to_string()
}

#[test]
fn a_roll_over_period_below_the_simulators_minimum_is_refused_with_the_minimum() {
    // A 1-second roll-over made every event look at 86,400 shards a day; the minimum is the
    // simulator's (one hour), and the message says so and says what AWS does.
    for secs in [1, 60, 3599] {
        let sim = json!({"shardRolloverSeconds": secs});
        let err = streamlab::Session::from_scenario_text(&with_simulator(sim.clone())).err().expect("refused");
        let msg = err.to_string();
        assert!(msg.contains("shardRolloverSeconds") && msg.contains("at least 3600"), "{sim}: {msg}");
        assert!(msg.contains("simulator's limit") && msg.contains("about every 4 hours"), "{sim}: {msg}");
    }
    for sim in [json!({"shardRolloverSeconds": 3600}), json!({"shardsPerStream": 64, "shardRolloverSeconds": 3600})] {
        assert!(streamlab::Session::from_scenario_text(&with_simulator(sim.clone())).is_ok(), "{sim} is allowed");
    }
}

#[test]
fn the_shortest_roll_over_keeps_a_day_of_shards_and_no_more() {
    // Hourly roll-overs with a mapping for a year: each event looks at about a day of shards
    // (25) and their pollers, not at every shard the year made.
    let mut e = engine_with(|c| c.shard_rollover_ms = 3_600_000);
    table(&mut e, "Votes", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT\n  count votes");
    mapping(&mut e, "Votes", "f", json!({}));
    put(&mut e, "Votes", "a", 1);
    advance(&mut e, 365.0 * DAY);
    let shards: usize = e.streams().iter().map(|s| s.shards.len()).sum();
    assert!((24..=26).contains(&shards), "a day of closed shards is kept (24 h after closing): {shards}");
    let w = e.work();
    assert!(w.events <= 365 * 24 * 3, "about two events an hour: {w:?}");
    assert!(per_event(w) < 100.0, "{w:?}");
}

/// What a retained invocation costs: its event is kept as the stream's own records (shared by
/// every retry of the batch), not as a copy of their JSON, and made into the event only when
/// it is shown or written, where it is the same as the records' JSON. 300 writes to a function
/// that always fails, retried for a day: before this, every retry kept a JSON tree of its
/// records (about 3 KB per record in memory, 316 KB per invocation of 100 records).
#[test]
fn retained_invocations_share_the_stream_records_they_carry() {
    let mut e = engine();
    table(&mut e, "Orders", "NEW_AND_OLD_IMAGES");
    function(&mut e, "f", FAIL_ALL);
    mapping(&mut e, "Orders", "f", json!({"BatchSize": 100}));
    for i in 0..300 {
        put(&mut e, "Orders", &format!("o{i}"), i);
    }
    advance(&mut e, 3.0 * 3600.0);
    let stream: Vec<_> = e.streams()[0].records_in_order().cloned().collect();
    let invocations = &e.lambda().invocations;
    assert!(invocations.len() > 50, "retried: {} invocations", invocations.len());
    for inv in invocations {
        assert!(!inv.records.is_empty());
        for r in inv.records.iter() {
            assert!(stream.iter().any(|s| std::rc::Rc::ptr_eq(s, r)), "record {} is the stream's own", r.seq);
        }
        let event = inv.event(&e.cfg.region);
        let want: Vec<_> = inv.records.iter().map(|r| r.to_json(&e.cfg.region, Some(&e.streams()[0].arn))).collect();
        assert_eq!(event, json!({ "Records": want }), "the event is its records' JSON");
    }
}

/// A scenario costing more work than the page does at once: 64 shards rolling over every hour
/// for 200 days with a mapping (about 46 million units of work).
fn heavy_scenario() -> serde_json::Value {
    crate::common::shard_heavy_scenario(200 * 86_400)
}

/// A link or a file is loaded within a work budget (the simulator's, named in the message):
/// past it, loading stops at the step it had reached and nothing is replaced, instead of the
/// tab freezing. The learner's own saved lab (made in the page, a slice at a time) is not
/// held to it, and `streamlab replay` runs the same file whole.
#[test]
fn a_link_or_file_past_the_work_budget_stops_with_a_message_naming_it() {
    let text = heavy_scenario().to_string();
    let err = streamlab::Session::from_scenario_text(&text).err().expect("over the budget");
    assert!(
        matches!(err, streamlab::LoadError::TooMuchWork { step: 5, steps: 6 }),
        "stopped at the long advance: {err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("8 million units") && msg.contains("the simulator's limit"), "{msg}");
    assert!(msg.contains("step 5 of 6") && msg.contains("streamlab replay"), "{msg}");
    // In the lab, an import or a link says so and leaves the lab as it was.
    let Err(note) = streamlab::lab::import(&text, "heavy.json") else { panic!("imported") };
    assert!(note.is_error() && format!("{note:?}").contains("8 million units"), "{note:?}");
    // The learner's own lab is restored whatever it costs.
    let stored = json!({"streamlab": 1, "scenario": heavy_scenario()}).to_string();
    let s = streamlab::Session::from_storage(&stored).expect("the learner's own lab loads");
    assert_eq!(s.steps().len(), 6);
    assert!(s.engine().work().units() > streamlab::LOAD_WORK_BUDGET, "{:?}", s.engine().work());
}

/// A small file that writes a great deal: a 320 KB item (a list doubled five times) updated
/// again and again, each update's record keeping its new image. 2 MB of such updates wrote
/// 3.6 GB of items natively (6.3 GB peak memory), more than the page's 4 GB WebAssembly memory.
fn data_heavy_scenario(updates: usize) -> serde_json::Value {
    let mut steps = vec![
        json!({"CreateTable": {"TableName": "Big", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
          "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
          "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}}),
        json!({"PutItem": {"TableName": "Big", "Item": {"pk": {"S": "a"}, "n": {"N": "0"},
          "l": {"L": vec![json!({"S": "x".repeat(100)}); 100]}}}}),
    ];
    for _ in 0..5 {
        steps.push(json!({"UpdateItem": {"TableName": "Big", "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET l = list_append(l, l)"}}));
    }
    for _ in 0..updates {
        steps.push(json!({"UpdateItem": {"TableName": "Big", "Key": {"pk": {"S": "a"}},
          "UpdateExpression": "SET n = n + :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}}));
    }
    json!({"steps": steps})
}

/// The memory budget of a link or a file: past LOAD_BYTES_BUDGET of item data written, loading
/// stops with a message naming that budget (not the work budget: this file is little work), and
/// nothing is replaced. A file under it loads; the learner's own lab is not held to it.
#[test]
fn a_link_or_file_past_the_memory_budget_stops_with_a_message_naming_it() {
    // 328 KB a write: 60 updates stay under 32 MB, 400 do not.
    let small = data_heavy_scenario(60).to_string();
    let s = streamlab::Session::from_scenario_text(&small).expect("under the budget");
    assert!(
        s.engine().work().bytes < streamlab::LOAD_BYTES_BUDGET,
        "{:?} {:?}",
        s.engine().work(),
        s.failed_steps().first()
    );
    assert!(s.engine().work().units() < streamlab::LOAD_WORK_BUDGET / 100, "little work: {:?}", s.engine().work());
    assert!(s.engine().work().bytes > 60 * 320_000, "{:?} {:?}", s.engine().work(), s.failed_steps().first());

    let text = data_heavy_scenario(400).to_string();
    assert!(text.len() < 100_000, "a small file: {} bytes", text.len());
    let err = streamlab::Session::from_scenario_text(&text).err().expect("over the memory budget");
    let streamlab::LoadError::TooMuchData { step, steps } = err else { panic!("{err:?}") };
    assert_eq!(steps, 407);
    // Stopped at the first step past 32 MB: 32 MiB / ~328 KB a write is about 102 writes.
    assert!((95..=110).contains(&step), "stopped at step {step}");
    let msg = err.to_string();
    assert!(msg.contains("32 MB of items") && msg.contains("the simulator's limit"), "{msg}");
    assert!(msg.contains(&format!("step {step} of 407")) && msg.contains("streamlab replay"), "{msg}");
    let Err(note) = streamlab::lab::import(&text, "big.json") else { panic!("imported") };
    assert!(note.is_error() && format!("{note:?}").contains("32 MB of items"), "{note:?}");
    let stored = json!({"streamlab": 1, "scenario": data_heavy_scenario(400)}).to_string();
    let s = streamlab::Session::from_storage(&stored).expect("the learner's own lab loads");
    assert!(s.engine().work().bytes > streamlab::LOAD_BYTES_BUDGET);
}
