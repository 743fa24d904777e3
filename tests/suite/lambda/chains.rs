//! Triggers that write to tables whose streams feed other triggers, and loops through DynamoDB:
//! AWS does not stop them (docs/aws-behaviour.md §4.10); the simulator's own loop guard pauses
//! them, and says so.

use crate::common::lambda::*;
use crate::common::*;
use serde_json::{json, Value};
use streamlab::Engine;

#[test]
fn a_trigger_writing_to_another_table_feeds_its_trigger() {
    // Rule language: "A trigger can maintain a table whose own stream feeds another trigger".
    let mut e = engine();
    table(&mut e, "Orders", "NEW_IMAGE");
    table(&mut e, "Audit", "NEW_IMAGE");
    function(&mut e, "copy", "on INSERT put Audit { pk: keys.pk, note: \"copied\" }");
    function(&mut e, "announce", "on INSERT notify \"#audit\" \"{keys.pk}: {new.note}\"");
    mapping(&mut e, "Orders", "copy", json!({}));
    mapping(&mut e, "Audit", "announce", json!({}));
    advance(&mut e, 10.0);
    put(&mut e, "Orders", "o1", 1);
    advance(&mut e, 5.0);
    let item = ok(&mut e, "GetItem", json!({"TableName": "Audit", "Key": {"pk": {"S": "o1"}}}));
    assert_eq!(item["Item"], json!({"pk": {"S": "o1"}, "note": {"S": "copied"}}));
    let n = e.notifications_output();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0]["Channel"], "#audit");
    assert_eq!(n[0]["Message"], "o1: copied");
    assert_eq!(n[0]["FunctionName"], "announce");
    assert_eq!(invs_of(&e, "copy").len(), 1);
    assert_eq!(invs_of(&e, "announce").len(), 1);
    // Poll model: the Audit write at T0+10.25 is picked up at the next slot.
    assert_eq!(time(&invs_of(&e, "copy")[0]), T0 + 10.25);
    assert_eq!(time(&invs_of(&e, "announce")[0]), T0 + 10.5);
}

#[test]
fn a_chained_trigger_sees_the_write_at_the_next_poll_slot() {
    // Simulator poll model (documented): a shard is polled at the next 250 ms slot after a write,
    // and invocations take no time. The Audit record is written at T0+0.25 (during `copy`), so
    // `announce` runs at T0+0.5 — whatever order the mappings were created in.
    for announce_first in [false, true] {
        let mut e = engine();
        table(&mut e, "Orders", "NEW_IMAGE");
        table(&mut e, "Audit", "NEW_IMAGE");
        function(&mut e, "copy", "on INSERT put Audit { pk: keys.pk }");
        function(&mut e, "announce", "on INSERT notify \"#audit\" \"{keys.pk}\"");
        if announce_first {
            mapping(&mut e, "Audit", "announce", json!({}));
            mapping(&mut e, "Orders", "copy", json!({}));
        } else {
            mapping(&mut e, "Orders", "copy", json!({}));
            mapping(&mut e, "Audit", "announce", json!({}));
        }
        put(&mut e, "Orders", "o1", 1);
        advance(&mut e, 5.0);
        assert_eq!(time(&invs_of(&e, "copy")[0]), T0 + 0.25);
        assert_eq!(time(&invs_of(&e, "announce")[0]), T0 + 0.5, "announce_first = {announce_first}");
        assert_eq!(e.notifications_output()[0]["Time"].as_f64().unwrap(), T0 + 0.5);
    }
}

/// A trigger that writes into the table whose stream invokes it: `again` updates the item it
/// was invoked for, which makes a MODIFY record, which invokes `again`, ...
fn self_loop(e: &mut Engine) {
    table(e, "Loop", "NEW_IMAGE");
    function(e, "again", "on INSERT, MODIFY update Loop key { pk: keys.pk } add n 1");
    mapping(e, "Loop", "again", json!({}));
    put(e, "Loop", "x", 0);
}

fn n_of_x(e: &mut Engine) -> Value {
    ok(e, "GetItem", json!({"TableName": "Loop", "Key": {"pk": {"S": "x"}}}))["Item"]["n"].clone()
}

#[test]
fn a_loop_through_dynamodb_is_not_stopped_by_aws() {
    // docs/aws-behaviour.md §4.10, Decisions row 12 (Lambda developer guide, "Use Lambda recursive
    // loop detection", https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html):
    // detection covers SQS, SNS and S3; "When another AWS service such as Amazon DynamoDB forms part
    // of the loop, Lambda can't currently detect and stop it." So the loop runs past AWS's 16, at
    // the pace polling allows (simulator: one invocation per 250 ms poll slot).
    let mut e = engine_with(|c| c.loop_guard = None);
    self_loop(&mut e);
    advance(&mut e, 600.0);
    // One invocation per slot from T0+0.25 s to T0+600 s.
    assert_eq!(invs(&e).len(), 2400);
    assert!(invs(&e).iter().all(|i| outcome(i) == "Success"));
    assert_eq!(n_of_x(&mut e), json!({"N": "2400"}));
    assert!(e.loop_guard_output().is_empty() && e.failures_output().is_empty());
    // What it adds up to: every invocation but the first (fed by the learner's own write) is
    // the loop's, and each writes one item of under 1 KB: one write request unit.
    let l = e.lambda().loops;
    assert_eq!((l.invocations, l.writes, l.write_units), (2399, 2399, 2399));
    assert_eq!((l.first_ms as f64 / 1000.0, l.last_ms as f64 / 1000.0), (T0 + 0.5, T0 + 600.0));
    advance(&mut e, 60.0);
    assert_eq!(invs(&e).len(), 2640, "and it goes on");
}

#[test]
fn the_simulators_loop_guard_pauses_a_loop_and_says_it_is_not_awss() {
    // The simulator's own guard (README, simulator choices): by default a chain of triggers is
    // paused before its 1,001st invocation. Nothing is lost: the held batch waits in its shard.
    let mut e = engine();
    self_loop(&mut e);
    advance(&mut e, 600.0);
    assert_eq!(invs(&e).len(), 1000);
    assert_eq!(n_of_x(&mut e), json!({"N": "1000"}));
    let pauses = e.loop_guard_output();
    assert_eq!(pauses.len(), 1, "{pauses:?}");
    assert_eq!(pauses[0]["Invocation"], 1001);
    assert_eq!(pauses[0]["Limit"], 1000);
    assert_eq!(pauses[0]["FunctionName"], "again");
    assert_eq!(time(&pauses[0]), T0 + 250.25);
    assert!(pauses[0]["Note"].as_str().unwrap().contains("on AWS this loop through DynamoDB would not be stopped"));
    assert!(e.failures_output().is_empty(), "the guard discards nothing");
    // The log says whose guard it is.
    let log = &e.lambda().log;
    let entry = log.iter().find(|l| l.message.contains("loop guard")).expect("a log entry");
    assert!(entry.message.contains("not AWS's"), "{}", entry.message);
    advance(&mut e, 3600.0);
    assert_eq!(invs(&e).len(), 1000, "paused, it stays paused");
    assert_eq!(e.loop_guard_output().len(), 1, "and is reported once");

    // Raising the limit lets it run on: 500 more, then paused again.
    ok(&mut e, "SetLoopGuard", json!({"Invocations": 1500}));
    advance(&mut e, 600.0);
    assert_eq!(invs(&e).len(), 1500);
    assert_eq!(n_of_x(&mut e), json!({"N": "1500"}));
    assert_eq!(e.loop_guard_output().len(), 2);
    // Turning it off lets it run as on AWS.
    ok(&mut e, "SetLoopGuard", json!({"Invocations": null}));
    advance(&mut e, 10.0);
    assert_eq!(invs(&e).len(), 1540);
}

#[test]
fn set_loop_guard_is_validated() {
    let mut e = engine();
    for bad in
        [json!({}), json!({"Invocations": 0}), json!({"Invocations": -3}), json!({"Invocations": 2_000_000_000u64})]
    {
        let er = err(&mut e, "SetLoopGuard", bad.clone());
        assert_eq!(er.kind, "ValidationException", "{bad}");
    }
    // A string where a number goes is a type error, as the AWS JSON protocol reports it.
    assert_eq!(err(&mut e, "SetLoopGuard", json!({"Invocations": "ten"})).kind, "SerializationException");
    assert_eq!(ok(&mut e, "SetLoopGuard", json!({"Invocations": 20})), json!({"Invocations": 20}));
}

#[test]
fn a_chain_through_other_tables_is_not_a_loop_and_runs_to_its_end() {
    // Orders → copy → Audit → announce: two invocations, under any guard of two or more.
    let mut e = engine_with(|c| c.loop_guard = Some(2));
    table(&mut e, "Orders", "NEW_IMAGE");
    table(&mut e, "Audit", "NEW_IMAGE");
    function(&mut e, "copy", "on INSERT put Audit { pk: keys.pk }");
    function(&mut e, "announce", "on INSERT notify \"#audit\" \"{keys.pk}\"");
    mapping(&mut e, "Orders", "copy", json!({}));
    mapping(&mut e, "Audit", "announce", json!({}));
    put(&mut e, "Orders", "o1", 1);
    advance(&mut e, 60.0);
    assert_eq!(invs(&e).len(), 2);
    assert!(e.loop_guard_output().is_empty());
}
