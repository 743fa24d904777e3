//! The trigger rule language (`src/lang/rules/README-snippet.md`) run by the engine: syntax errors
//! at CreateFunction, notifications, aggregates and conditions, empty code.

use crate::common::lambda::*;
use crate::common::*;
use serde_json::json;

#[test]
fn syntax_error_in_code_is_rejected_with_line_and_column() {
    // Rule language: "Syntax errors give the line and column"; the Lambda API rejects the
    // parameter with InvalidParameterValueException.
    let mut e = engine();
    let er = assert_err(
        &mut e,
        "CreateFunction",
        json!({"FunctionName": "f", "Code": "on INSERT\n  notify \"#ops\"\n"}),
        "InvalidParameterValueException",
    );
    assert!(er.message.contains("line 2, column"), "{}", er.message);
    // Nothing was created.
    table(&mut e, "Tbl", "NEW_IMAGE");
    let er = assert_err(
        &mut e,
        "CreateEventSourceMapping",
        json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON"}),
        "InvalidParameterValueException",
    );
    assert!(er.message.contains("Function does not exist"), "{}", er.message);
}

#[test]
fn rule_language_through_the_engine() {
    // Rule language: notify with {..} placeholders, aggregates, `when` conditions, `fail`
    // (all-or-nothing per record).
    let mut e = engine();
    table(&mut e, "Stock", "NEW_AND_OLD_IMAGES");
    function(
        &mut e,
        "f",
        "on MODIFY when new.v < 5 and old.v >= 5\n  notify \"#ops\" \"{keys.pk} low: {new.v} (was {old.v})\"\non INSERT, MODIFY, REMOVE\n  sum stock of v by pk\n  count items",
    );
    mapping(&mut e, "Stock", "f", json!({}));
    put(&mut e, "Stock", "a", 10);
    put(&mut e, "Stock", "b", 7);
    advance(&mut e, 1.0);
    put(&mut e, "Stock", "a", 3);
    put(&mut e, "Stock", "b", 6);
    advance(&mut e, 1.0);
    ok(&mut e, "DeleteItem", json!({"TableName": "Stock", "Key": {"pk": {"S": "b"}}}));
    advance(&mut e, 1.0);
    let n = e.notifications_output();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0]["Message"], "a low: 3 (was 10)");
    assert_eq!(n[0]["Channel"], "#ops");
    assert_eq!(n[0]["Time"].as_f64().unwrap(), T0 + 1.25);
    assert_eq!(e.aggregates_output(), json!({"stock": {"a": 3}, "items": {"*": 1}}));
}

#[test]
fn empty_code_succeeds_and_does_nothing() {
    let mut e = engine();
    table(&mut e, "Tbl", "NEW_IMAGE");
    function(&mut e, "f", "-- nothing here\n");
    mapping(&mut e, "Tbl", "f", json!({}));
    put(&mut e, "Tbl", "a", 1);
    advance(&mut e, 1.0);
    assert_eq!(invs(&e).len(), 1);
    assert_eq!(outcome(&invs(&e)[0]), "Success");
    assert!(e.notifications_output().is_empty());
    assert_eq!(e.aggregates_output(), json!({}));
}
