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

/// Large messages: a rule that puts each new item's 70 KB attribute into its notification,
/// over 300 writes (21 MB of messages). The lab keeps the newest within 16 MiB of messages (the
/// simulator's limit, so a page cannot run out of memory however few notifications there
/// are) and counts the others; a message repeating a 300 KB attribute 20 times (6 MB) is kept
/// clipped to its first 65,536 characters, saying how long it was. `streamlab replay` keeps
/// them all, whole.
#[test]
fn notifications_in_the_lab_are_bounded_in_bytes_too() {
    use streamlab::{NOTIFICATION_BYTES, NOTIFICATION_CHARS};
    fn run(limit: Option<usize>, code: &str, writes: usize, blob: usize) -> Engine {
        let mut e = Engine::new(EngineConfig { history_limit: limit, ..Default::default() });
        let call = |e: &mut Engine, a: &str, r: Value| e.call(a, &r).unwrap_or_else(|err| panic!("{a}: {err:?}"));
        call(
            &mut e,
            "CreateTable",
            json!({"TableName": "Big", "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
        );
        call(&mut e, "CreateFunction", json!({"FunctionName": "f", "Code": code}));
        call(
            &mut e,
            "CreateEventSourceMapping",
            json!({"TableName": "Big", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON", "BatchSize": 10}),
        );
        let blob = "b".repeat(blob);
        for i in 0..writes {
            call(
                &mut e,
                "PutItem",
                json!({"TableName": "Big", "Item": {"k": {"S": format!("k{i:03}")}, "blob": {"S": blob}}}),
            );
        }
        call(&mut e, "AdvanceClock", json!({"Seconds": 600}));
        e
    }
    let each = "on INSERT\n  notify \"#big\" \"{keys.k} {new.blob}\"\n";
    let lab = run(EngineConfig::default().history_limit, each, 300, 70_000);
    let l = lab.lambda();
    let bytes: usize = l.notifications.iter().map(|n| n.message.len()).sum();
    assert!(bytes <= NOTIFICATION_BYTES, "{bytes} bytes kept");
    assert!(bytes > NOTIFICATION_BYTES - 200_000, "as many as fit: {bytes} bytes kept");
    assert!(l.dropped.notifications > 0, "some were dropped for their bytes, far under the count limit");
    assert_eq!(l.notifications.len() as u64 + l.dropped.notifications, 300, "every notification is kept or counted");
    assert!(l.notifications.last().is_some_and(|n| n.message.starts_with("k299 ")), "the newest are kept");
    let replay = run(None, each, 300, 70_000);
    assert_eq!(replay.lambda().notifications.len(), 300);
    assert!(replay.lambda().notifications.iter().all(|n| n.message.len() > 70_000));

    let twenty = format!("on INSERT\n  notify \"#huge\" \"{}\"\n", "{new.blob}".repeat(20));
    let lab = run(EngineConfig::default().history_limit, &twenty, 1, 300_000);
    let kept = &lab.lambda().notifications[0].message;
    assert!(kept.chars().count() < NOTIFICATION_CHARS + 40, "{} characters kept", kept.chars().count());
    assert!(kept.ends_with("(6000000 characters)"), "{}", &kept[kept.len() - 40..]);
    assert_eq!(run(None, &twenty, 1, 300_000).lambda().notifications[0].message.len(), 6_000_000);
}
