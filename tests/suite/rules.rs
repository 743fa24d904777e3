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

#[test]
fn rule_mistakes_a_learner_makes_are_placed_and_explained() {
    // The rule language is StreamLab's own (README.md "Writing a trigger: the rule language"): its errors are the
    // simulator's sentences, each with the line and column of the mistake, refused by
    // CreateFunction as InvalidParameterValueException (a parameter Lambda would not take).
    let mut e = engine();
    for (i, (code, place, says)) in [
        ("on INSERT\n  sum total of a of b", "line 2, column 18", "`of` given twice"),
        ("on INSERT\n  count votes by a by b", "line 2, column 20", "`by` given twice"),
        ("on INSERT\n  count votes where a = 1 where b = 2", "line 2, column 27", "`where` given twice"),
        ("on INSERT\n  new.a = 1", "line 2, column 3", "expected an action (count, sum, min, max, avg, notify, put, update, delete or fail), found the keyword `new`"),
        ("on INSERT when new.a = 1 = 2\n  count votes", "line 1, column 26", "a comparison takes one value on each side; join conditions with `and` / `or`"),
        ("on INSERT\n  update Totals set n = 1", "line 2, column 17", "expected `key` and the key in braces"),
        ("on MODIFY when changed(new.status)\n  count votes", "line 1, column 24", "changed takes a bare attribute name, like changed(status)"),
        ("on INSERT when new.a[x] = 1\n  count votes", "line 1, column 22", "expected a list index like [0] or a name like [\"my attr\"], found `x`"),
        ("on INSERT\n  notify \"#ops\" \"a\\qb\"", "line 2, column 19", "unknown escape"),
        ("on INSERT\n  count votes by", "line 2, column 17", "expected a value or a condition, found end of input"),
        ("on INSERT\n  notify \"#ops\" \"got {}\"", "line 2, column 22", "empty `{}`: put a value inside, like {new.qty}"),
        ("on INSERT\n  notify \"#ops\" \"{new.a new.b}\"", "line 2, column 25", "expected `}` to end the placeholder"),
        ("on INSERT when new = 1\n  count votes", "line 1, column 20", "expected `.` and an attribute after `new` (like new.qty)"),
    ]
    .into_iter()
    .enumerate()
    {
        let er = assert_err(
            &mut e,
            "CreateFunction",
            json!({"FunctionName": format!("f{i}"), "Code": code}),
            "InvalidParameterValueException",
        );
        assert!(er.message.starts_with(&format!("{place}: ")), "{code:?}: {}", er.message);
        assert!(er.message.contains(says), "{code:?}: {}", er.message);
    }
}
