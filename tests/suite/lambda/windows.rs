//! Tumbling windows (§4.9): window events, state, the final invocation, the state limit.

use crate::common::lambda::*;
use crate::common::*;
use serde_json::{json, Value};

#[test]
fn tumbling_window_events_and_final_invoke() {
    // §4.9: window/state/shardId/eventSourceARN/isFinalInvokeForWindow/isWindowTerminatedEarly at
    // the top level; windows aligned to multiples of the duration; state starts as {} and is
    // passed to the next invocation of the same window; a final invoke at window end.
    let mut e = engine();
    let arn = table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT count n");
    mapping(&mut e, "Tbl", "f", json!({"TumblingWindowInSeconds": 60}));
    advance(&mut e, 10.0);
    put(&mut e, "Tbl", "a", 1); // T0+10
    advance(&mut e, 5.0);
    put(&mut e, "Tbl", "b", 1); // T0+15
    advance(&mut e, 60.0); // to T0+75, past the window end at T0+60
    let all = invs(&e);
    assert_eq!(all.len(), 3, "{all:?}");
    let shard = all[0]["ShardId"].clone();
    for inv in &all {
        let ev = &inv["Event"];
        assert_eq!(
            keys(ev),
            set(&[
                "Records",
                "window",
                "state",
                "shardId",
                "eventSourceARN",
                "isFinalInvokeForWindow",
                "isWindowTerminatedEarly"
            ])
        );
        assert_eq!(ev["window"], json!({"start": "2026-01-01T00:00:00Z", "end": "2026-01-01T00:01:00Z"}));
        assert_eq!(ev["shardId"], shard);
        assert_eq!(ev["eventSourceARN"], json!(arn));
        assert_eq!(ev["isWindowTerminatedEarly"], false);
        assert!(ev["state"].is_object());
    }
    assert_eq!(pks(&all[0]), ["a"]);
    assert_eq!(all[0]["Event"]["state"], json!({}));
    assert_eq!(all[0]["Event"]["isFinalInvokeForWindow"], false);
    assert_eq!(pks(&all[1]), ["b"]);
    assert_ne!(all[1]["Event"]["state"], json!({}), "the state from the first invocation is passed on");
    assert_eq!(all[1]["Event"]["isFinalInvokeForWindow"], false);
    // Final invoke: at the window end, records may be empty, the accumulated state.
    assert_eq!(all[2]["Event"]["isFinalInvokeForWindow"], true);
    assert_eq!(all[2]["Event"]["Records"], json!([]));
    assert_eq!(all[2]["Event"]["state"], json!({"n": {"*": 2}}), "the rule language's aggregates are the window state");
    let t = time(&all[2]);
    assert!((T0 + 60.0..=T0 + 60.5).contains(&t), "final invoke at {t}");
    assert_eq!(outcome(&all[2]), "Success");
    // A record in the next window starts with fresh state.
    put(&mut e, "Tbl", "c", 1);
    advance(&mut e, 1.0);
    let all = invs(&e);
    assert_eq!(all.len(), 4);
    assert_eq!(all[3]["Event"]["window"], json!({"start": "2026-01-01T00:01:00Z", "end": "2026-01-01T00:02:00Z"}));
    assert_eq!(all[3]["Event"]["state"], json!({}));
    assert_eq!(pks(&all[3]), ["c"]);
}

#[test]
fn no_tumbling_fields_without_windows() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT count n");
    mapping(&mut e, "Tbl", "f", json!({"TumblingWindowInSeconds": 0}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 120.0);
    let all = invs(&e);
    assert_eq!(all.len(), 1, "no final invoke without windows");
    assert_eq!(keys(&all[0]["Event"]), set(&["Records"]));
}

#[test]
fn window_state_over_1_mb_ends_the_window_early() {
    // §4.9: state limit 1 MB per shard; exceeding it ends the window early → final invoke with
    // isWindowTerminatedEarly: true. Each of these keys adds ~2 005 bytes to the count's state,
    // so 500 keys stay under 1 MB and 600 are over it.
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "on INSERT count n by pk");
    mapping(&mut e, "Tbl", "f", json!({"TumblingWindowInSeconds": 60, "BatchSize": 100}));
    for i in 0..650 {
        let pk = format!("{i:04}{}", "x".repeat(1996));
        ok(&mut e, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": pk}}}));
    }
    advance(&mut e, 120.0);
    let all = invs(&e);
    let shape: Vec<(usize, bool, bool, usize)> = all
        .iter()
        .map(|i| {
            let ev = &i["Event"];
            let groups = ev["state"].get("n").and_then(Value::as_object).map_or(0, |g| g.len());
            (
                records(i).len(),
                ev["isFinalInvokeForWindow"].as_bool().unwrap(),
                ev["isWindowTerminatedEarly"].as_bool().unwrap(),
                groups,
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (100, false, false, 0),
            (100, false, false, 100),
            (100, false, false, 200),
            (100, false, false, 300),
            (100, false, false, 400),
            (100, false, false, 500),
            (0, true, true, 600),
            (50, false, false, 0),
            (0, true, false, 50),
        ]
    );
    assert!(all.iter().all(|i| outcome(i) == "Success"));
    assert_eq!(all[8]["Event"]["window"], all[0]["Event"]["window"]);
}
