//! Triggers that write to tables whose streams feed other triggers, and the recursive loop
//! detection that stops a chain (real AWS, documented).

use crate::common::lambda::*;
use crate::common::*;
use serde_json::json;

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

#[test]
fn recursive_loop_is_stopped_after_16_invocations() {
    // Real AWS (documented): Lambda recursive loop detection stops a chain after about 16
    // invocations; here exactly 16 and nothing beyond.
    let mut e = engine();
    table(&mut e, "Loop", "NEW_IMAGE");
    function(&mut e, "again", "on INSERT, MODIFY update Loop key { pk: keys.pk } add n 1");
    mapping(&mut e, "Loop", "again", json!({}));
    put(&mut e, "Loop", "x", 0);
    advance(&mut e, 600.0);
    assert_eq!(invs(&e).len(), 16);
    assert!(invs(&e).iter().all(|i| outcome(i) == "Success"));
    let item = ok(&mut e, "GetItem", json!({"TableName": "Loop", "Key": {"pk": {"S": "x"}}}));
    assert_eq!(item["Item"]["n"], json!({"N": "16"}));
    advance(&mut e, 3600.0);
    assert_eq!(invs(&e).len(), 16, "nothing is invoked beyond the 16th");
    assert!(e.failures_output().is_empty());
}
