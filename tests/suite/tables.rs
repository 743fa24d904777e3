//! Tables: the errors of CreateTable, UpdateTable, ListTables and UpdateTimeToLive that a learner
//! meets by writing a bad request (a scenario step, a lesson's lab), and the members a table
//! description echoes; and a request's shape (an unknown action, a member of the wrong JSON type).
//! Streams on tables are in `streams::lifecycle`, keys in `items::keys`.
//!
//! Expected messages are AWS's, from the DynamoDB API reference (CreateTable, UpdateTable,
//! ListTables, UpdateTimeToLive: the members' constraints, which AWS words as
//! `1 validation error detected: Value '<v>' at '<member>' failed to satisfy constraint: <c>`)
//! and from DynamoDB's answers as recorded by emulators tested against it (dynalite, moto).
//! Where a message is the simulator's own wording (docs/aws-behaviour.md says so), only the
//! error type and the subject are checked.

use crate::common::streams::create;
use crate::common::{assert_err, engine, ok};
use serde_json::{json, Value};
use streamlab::Engine;

/// A CreateTable request for "Tbl" keyed by pk (S), with `extra` members added or replaced.
fn table(extra: Value) -> Value {
    let mut r = json!({
        "TableName": "Tbl",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    });
    for (k, v) in extra.as_object().unwrap() {
        r[k] = v.clone();
    }
    r
}

/// CreateTable must fail with ValidationException and `message`; no table is made.
#[track_caller]
fn refused(e: &mut Engine, req: Value, message: &str) {
    let er = assert_err(e, "CreateTable", req, "ValidationException");
    assert_eq!(er.message, message);
    assert!(e.table("Tbl").is_none(), "no table after a refused CreateTable");
}

const P: &str = "One or more parameter values were invalid: ";

#[test]
fn create_table_stream_specification_needs_a_view_type_to_enable() {
    // API_StreamSpecification: StreamViewType is required when StreamEnabled is true; AWS answers
    // "You must specify a StreamViewType when enabling a stream" (as moto and other emulators
    // record it).
    let mut e = engine();
    refused(
        &mut e,
        table(json!({"StreamSpecification": {"StreamEnabled": true}})),
        &format!("{P}You must specify a StreamViewType when enabling a stream"),
    );
    // StreamEnabled itself is required (API_StreamSpecification: "Required: Yes").
    refused(
        &mut e,
        table(json!({"StreamSpecification": {"StreamViewType": "NEW_IMAGE"}})),
        "1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null",
    );
    // A view type with StreamEnabled false: a ValidationException (the wording is the simulator's).
    let er = assert_err(
        &mut e,
        "CreateTable",
        table(json!({"StreamSpecification": {"StreamEnabled": false, "StreamViewType": "NEW_IMAGE"}})),
        "ValidationException",
    );
    assert!(er.message.contains("StreamViewType"), "{}", er.message);
    // StreamEnabled false without a view type is a table without a stream.
    let d = ok(&mut e, "CreateTable", table(json!({"StreamSpecification": {"StreamEnabled": false}})));
    assert!(d["TableDescription"].get("LatestStreamArn").is_none(), "{d}");
    assert_eq!(ok(&mut e, "ListStreams", json!({}))["Streams"], json!([]));
}

#[test]
fn create_table_key_schema_errors() {
    let mut e = engine();
    // KeySchemaElement.KeyType: enum HASH | RANGE.
    refused(
        &mut e,
        table(json!({"KeySchema": [{"AttributeName": "pk", "KeyType": "PRIMARY"}]})),
        "1 validation error detected: Value 'PRIMARY' at 'keySchema.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
    );
    // KeySchema is required.
    let mut r = table(json!({}));
    r.as_object_mut().unwrap().remove("KeySchema");
    refused(
        &mut e,
        r,
        "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
    );
    // The same attribute as partition and sort key: AWS's message is "Both the Hash Key and the
    // Range Key element in the KeySchema have the same name" (dynalite, recorded from DynamoDB;
    // see the ignored test below for the prefix the simulator adds).
    let er = assert_err(
        &mut e,
        "CreateTable",
        table(
            json!({"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "pk", "KeyType": "RANGE"}]}),
        ),
        "ValidationException",
    );
    assert!(
        er.message.ends_with("Both the Hash Key and the Range Key element in the KeySchema have the same name"),
        "{}",
        er.message
    );
    assert!(e.table("Tbl").is_none());
}

#[test]
fn create_table_key_schema_messages_as_dynamodb_words_them() {
    let mut e = engine();
    refused(
        &mut e,
        table(
            json!({"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "pk", "KeyType": "RANGE"}]}),
        ),
        "Both the Hash Key and the Range Key element in the KeySchema have the same name",
    );
    refused(
        &mut e,
        table(json!({"KeySchema": [{"AttributeName": "pk", "KeyType": "RANGE"}]})),
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
    );
}

#[test]
fn create_table_attribute_definitions_errors() {
    let mut e = engine();
    // Every definition must be a key attribute (of the table or an index).
    refused(
        &mut e,
        table(json!({"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "status", "AttributeType": "S"}]})),
        &format!("{P}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"),
    );
    // The same name twice (the simulator's wording for DynamoDB's refusal).
    let er = assert_err(
        &mut e,
        "CreateTable",
        table(
            json!({"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "pk", "AttributeType": "N"}]}),
        ),
        "ValidationException",
    );
    assert!(er.message.starts_with(P) && er.message.contains("pk"), "{}", er.message);
    // AttributeDefinitions is required.
    let mut r = table(json!({}));
    r.as_object_mut().unwrap().remove("AttributeDefinitions");
    refused(
        &mut e,
        r,
        "1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null",
    );
    // A member of the wrong JSON type is refused before validation (SerializationException).
    assert_err(&mut e, "CreateTable", table(json!({"AttributeDefinitions": "pk"})), "SerializationException");
}

#[test]
fn create_table_billing_mode_and_provisioned_throughput() {
    let mut e = engine();
    // BillingMode: enum PROVISIONED | PAY_PER_REQUEST.
    refused(
        &mut e,
        table(json!({"BillingMode": "FREE"})),
        "1 validation error detected: Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
    );
    // On demand takes no capacity.
    refused(
        &mut e,
        table(json!({"ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}})),
        &format!(
            "{P}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
        ),
    );
    // PROVISIONED (also the default) needs ProvisionedThroughput.
    refused(&mut e, table(json!({"BillingMode": "PROVISIONED"})), "No provisioned throughput specified for the table");
    refused(&mut e, table(json!({"BillingMode": null})), "No provisioned throughput specified for the table");
    // ...with both units (API_ProvisionedThroughput: both "Required: Yes")...
    refused(
        &mut e,
        table(json!({"BillingMode": "PROVISIONED", "ProvisionedThroughput": {"WriteCapacityUnits": 5}})),
        "1 validation error detected: Value null at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must not be null",
    );
    refused(
        &mut e,
        table(json!({"BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 5}})),
        "1 validation error detected: Value null at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must not be null",
    );
    // ...each at least 1 (API_ProvisionedThroughput: "Valid Range: Minimum value of 1").
    let er = assert_err(
        &mut e,
        "CreateTable",
        table(
            json!({"BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 5}}),
        ),
        "ValidationException",
    );
    assert!(
        er.message.starts_with("1 validation error detected: Value '0' at 'provisionedThroughput")
            && er.message.ends_with("failed to satisfy constraint: Member must have value greater than or equal to 1"),
        "{}",
        er.message
    );
    // A provisioned table reports its capacity.
    let d = ok(
        &mut e,
        "CreateTable",
        table(
            json!({"BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}}),
        ),
    );
    let pt = &d["TableDescription"]["ProvisionedThroughput"];
    assert_eq!((pt["ReadCapacityUnits"].as_i64(), pt["WriteCapacityUnits"].as_i64()), (Some(3), Some(4)), "{d}");
    assert_eq!(d["TableDescription"]["BillingModeSummary"]["BillingMode"], "PROVISIONED");
}

#[test]
fn create_table_capacity_below_one_names_the_member() {
    // AWS validates each member: `Value '0' at 'provisionedThroughput.writeCapacityUnits'`.
    let mut e = engine();
    refused(
        &mut e,
        table(json!({"BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 0}})),
        "1 validation error detected: Value '0' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    // Both below 1: AWS reports every violation, counted, joined by "; ".
    refused(
        &mut e,
        table(json!({"BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": -1}})),
        "2 validation errors detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '-1' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
}

#[test]
fn create_table_twice_is_resource_in_use() {
    // API_CreateTable: ResourceInUseException when the table already exists.
    let mut e = engine();
    ok(&mut e, "CreateTable", table(json!({})));
    let er = assert_err(&mut e, "CreateTable", table(json!({})), "ResourceInUseException");
    assert_eq!(er.message, "Table already exists: Tbl");
}

#[test]
fn secondary_indexes_are_accepted_and_echoed() {
    // §6.2 Simulator: secondary indexes are accepted and echoed, not simulated. An index key
    // counts as a used attribute definition.
    let mut e = engine();
    let gsi = json!([{"IndexName": "byStatus", "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                      "Projection": {"ProjectionType": "ALL"}}]);
    let d = ok(
        &mut e,
        "CreateTable",
        table(
            json!({"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "status", "AttributeType": "S"}],
                     "GlobalSecondaryIndexes": gsi}),
        ),
    );
    assert_eq!(d["TableDescription"]["GlobalSecondaryIndexes"], gsi);
    let d = ok(&mut e, "DescribeTable", json!({"TableName": "Tbl"}));
    assert_eq!(d["Table"]["GlobalSecondaryIndexes"], gsi);
    // A Query on the index is refused (not simulated).
    let er = assert_err(
        &mut e,
        "Query",
        json!({"TableName": "Tbl", "IndexName": "byStatus", "KeyConditionExpression": "#s = :s",
               "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "open"}}}),
        "ValidationException",
    );
    assert!(er.message.contains("byStatus"), "{}", er.message);
}

#[test]
fn list_tables_pages_with_limit() {
    // API_ListTables: names in order, at most Limit (1 to 100) per page; LastEvaluatedTableName
    // when more remain, to pass as ExclusiveStartTableName.
    let mut e = engine();
    for name in ["Ccc", "Aaa", "Bbb"] {
        create(&mut e, name, None);
    }
    let p1 = ok(&mut e, "ListTables", json!({"Limit": 2}));
    assert_eq!(p1, json!({"TableNames": ["Aaa", "Bbb"], "LastEvaluatedTableName": "Bbb"}));
    let p2 = ok(&mut e, "ListTables", json!({"Limit": 2, "ExclusiveStartTableName": "Bbb"}));
    assert_eq!(p2, json!({"TableNames": ["Ccc"]}));
    for limit in [0, 101] {
        let er = assert_err(&mut e, "ListTables", json!({ "Limit": limit }), "ValidationException");
        assert!(
            er.message.starts_with(&format!(
                "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value"
            )),
            "{}",
            er.message
        );
    }
}

#[test]
fn update_table_needs_something_to_change() {
    // API_UpdateTable: a request with only TableName changes nothing and is refused.
    let mut e = engine();
    create(&mut e, "Orders", None);
    let er = assert_err(&mut e, "UpdateTable", json!({"TableName": "Orders"}), "ValidationException");
    assert!(er.message.starts_with("At least one of ProvisionedThroughput, BillingMode"), "{}", er.message);
    // An unknown table.
    let er = assert_err(
        &mut e,
        "UpdateTable",
        json!({"TableName": "Nope", "BillingMode": "PAY_PER_REQUEST"}),
        "ResourceNotFoundException",
    );
    assert!(er.message.starts_with("Requested resource not found"), "{}", er.message);
}

#[test]
fn update_table_billing_mode_and_capacity() {
    let mut e = engine();
    create(&mut e, "Orders", None);
    refused_update(
        &mut e,
        json!({"TableName": "Orders", "BillingMode": "FREE"}),
        "1 validation error detected: Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
    );
    refused_update(
        &mut e,
        json!({"TableName": "Orders", "BillingMode": "PROVISIONED", "ProvisionedThroughput": {"WriteCapacityUnits": 2}}),
        "1 validation error detected: Value null at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must not be null",
    );
    refused_update(
        &mut e,
        json!({"TableName": "Orders", "BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 2}}),
        "1 validation error detected: Value null at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must not be null",
    );
    // To provisioned capacity, and back to on demand (which has no capacity).
    let d = ok(
        &mut e,
        "UpdateTable",
        json!({"TableName": "Orders", "BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}}),
    );
    assert_eq!(d["TableDescription"]["BillingModeSummary"]["BillingMode"], "PROVISIONED");
    assert_eq!(d["TableDescription"]["TableStatus"], "UPDATING");
    let pt = &d["TableDescription"]["ProvisionedThroughput"];
    assert_eq!((pt["ReadCapacityUnits"].as_i64(), pt["WriteCapacityUnits"].as_i64()), (Some(2), Some(3)), "{d}");
    let d = ok(&mut e, "UpdateTable", json!({"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST"}));
    assert_eq!(d["TableDescription"]["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");
    let pt = &d["TableDescription"]["ProvisionedThroughput"];
    assert_eq!((pt["ReadCapacityUnits"].as_i64(), pt["WriteCapacityUnits"].as_i64()), (Some(0), Some(0)), "{d}");
}

/// UpdateTable must fail with ValidationException and `message`.
#[track_caller]
fn refused_update(e: &mut Engine, req: Value, message: &str) {
    let er = assert_err(e, "UpdateTable", req, "ValidationException");
    assert_eq!(er.message, message);
}

#[test]
fn update_table_capacity_below_one_is_refused() {
    // API_ProvisionedThroughput: ReadCapacityUnits and WriteCapacityUnits "Minimum value of 1".
    let mut e = engine();
    create(&mut e, "Orders", None);
    refused_update(
        &mut e,
        json!({"TableName": "Orders", "BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 1}}),
        "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
}

#[test]
fn update_time_to_live_attribute_name_length() {
    // API_TimeToLiveSpecification: AttributeName "Length Constraints: Minimum length of 1.
    // Maximum length of 255."
    let mut e = engine();
    create(&mut e, "Sessions", None);
    for name in [String::new(), "x".repeat(256)] {
        let er = assert_err(
            &mut e,
            "UpdateTimeToLive",
            json!({"TableName": "Sessions", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": name}}),
            "ValidationException",
        );
        assert_eq!(
            er.message,
            format!("1 validation error detected: Value '{name}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length between 1 and 255")
        );
    }
    let at255 = "x".repeat(255);
    let r = ok(
        &mut e,
        "UpdateTimeToLive",
        json!({"TableName": "Sessions", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": at255}}),
    );
    assert_eq!(r["TimeToLiveSpecification"]["AttributeName"], json!(at255));
    // Both members of the specification are required.
    let er = assert_err(
        &mut e,
        "UpdateTimeToLive",
        json!({"TableName": "Sessions", "TimeToLiveSpecification": {"AttributeName": "exp"}}),
        "ValidationException",
    );
    assert_eq!(er.message, "1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null");
    let er = assert_err(&mut e, "UpdateTimeToLive", json!({"TableName": "Sessions"}), "ValidationException");
    assert_eq!(er.message, "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
}

#[test]
fn an_unknown_action_and_a_member_of_the_wrong_json_type() {
    // An action the service does not have: UnknownOperationException (DynamoDB's error type
    // for an unknown X-Amz-Target; scenario-format.md lists the actions a scenario may use).
    let mut e = engine();
    let er = assert_err(&mut e, "DescribeTables", json!({}), "UnknownOperationException");
    assert!(er.message.contains("DescribeTables"), "{}", er.message);
    // A member whose JSON type is wrong fails before validation, as a SerializationException
    // (AWS's error for a body it cannot read into the request's shape).
    create(&mut e, "Orders", None);
    for spec in [json!({"StreamEnabled": "yes", "StreamViewType": "NEW_IMAGE"}), json!("NEW_IMAGE")] {
        assert_err(
            &mut e,
            "UpdateTable",
            json!({"TableName": "Orders", "StreamSpecification": spec}),
            "SerializationException",
        );
    }
    assert_err(&mut e, "ListTables", json!({"Limit": "10"}), "SerializationException");
    assert_err(&mut e, "ListTables", json!({"Limit": 2.5}), "SerializationException");
}
