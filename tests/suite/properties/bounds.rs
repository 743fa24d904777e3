//! Resource bounds: oversized input is refused with a message, and the lab's engine keeps its
//! history bounded.

use serde_json::{json, Value};
use streamlab::{Engine, EngineConfig};

#[test]
fn oversized_input_is_refused() {
    let big = format!("{{\"steps\": [{}]}}", vec!["{\"AdvanceClock\": {\"Seconds\": 1}}"; 80_000].join(","));
    assert!(big.len() > streamlab::MAX_INPUT_BYTES);
    let err = streamlab::Session::from_scenario_text(&big).err().expect("refused");
    assert!(matches!(err, streamlab::LoadError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("at most"), "{err}");
}

/// A rule that notifies on every record, run over 30,000 writes (300 invocations of 100
/// records): the lab's engine keeps only the newest notifications and counts the others,
/// while `streamlab replay`'s engine keeps every one (its output must list them all).
#[test]
fn a_rule_that_notifies_on_every_record_keeps_memory_bounded_in_the_lab() {
    fn run(limit: Option<usize>) -> Engine {
        let mut e = Engine::new(EngineConfig { history_limit: limit, ..Default::default() });
        let call = |e: &mut Engine, a: &str, r: Value| e.call(a, &r).unwrap_or_else(|err| panic!("{a}: {err:?}"));
        call(
            &mut e,
            "CreateTable",
            json!({"TableName": "Loud", "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
        );
        call(
            &mut e,
            "CreateFunction",
            json!({"FunctionName": "loud", "Code": "on INSERT\n  notify \"#all\" \"new {keys.k}\"\n"}),
        );
        call(
            &mut e,
            "CreateEventSourceMapping",
            json!({"TableName": "Loud", "FunctionName": "loud", "StartingPosition": "TRIM_HORIZON", "BatchSize": 100}),
        );
        for i in 0..30_000 {
            call(&mut e, "PutItem", json!({"TableName": "Loud", "Item": {"k": {"S": format!("k{i}")}}}));
        }
        call(&mut e, "AdvanceClock", json!({"Seconds": 600}));
        e
    }
    let lab = run(EngineConfig::default().history_limit);
    let l = lab.lambda();
    assert!(l.notifications.len() <= streamlab::HISTORY_LIMIT, "{} kept", l.notifications.len());
    assert_eq!(l.notifications.len() as u64 + l.dropped.notifications, 30_000, "every notification is kept or counted");
    assert_eq!(l.notifications.last().map(|n| n.message.as_str()), Some("new k29999"), "the newest are kept");
    assert_eq!(l.invocations.len() as u64 + l.dropped.invocations, 300);
    assert_eq!(l.dropped.invocations, 0, "300 invocations are under the limit");

    let replay = run(None);
    assert_eq!(replay.lambda().notifications.len(), 30_000);
    assert_eq!(replay.lambda().dropped, streamlab::Dropped::default());
}
