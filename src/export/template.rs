//! `template.yaml`: the AWS SAM template. Strings are written in YAML's double-quoted form,
//! whose escapes are JSON's, so any name or pattern is written exactly.

use super::app::{App, Billing};
use super::code::string as q;
use super::names::{pascal, Names, Unique};
use super::Runtime;
use serde_json::Value;

fn arn_kind(arn: &str) -> Option<(&'static str, String)> {
    let parts: Vec<&str> = arn.split(':').collect();
    let service = parts.get(2)?;
    let name = parts.last()?.to_string();
    match *service {
        "sqs" => Some(("sqs", name)),
        "sns" => Some(("sns", name)),
        "s3" => Some(("s3", name)),
        _ => None,
    }
}

/// An on-failure destination the template creates: (ARN in the lab, logical ID, kind).
pub(crate) struct Destination {
    pub arn: String,
    pub logical: String,
    pub kind: &'static str,
}

pub(crate) fn destinations(app: &App) -> Vec<Destination> {
    let mut ids = Unique::default();
    let mut out: Vec<Destination> = Vec::new();
    for m in &app.mappings {
        let Some(arn) = m.config.pointer("/DestinationConfig/OnFailure/Destination").and_then(Value::as_str) else {
            continue;
        };
        if out.iter().any(|d| d.arn == arn) {
            continue;
        }
        if let Some((kind, name)) = arn_kind(arn) {
            let suffix = match kind {
                "sqs" => "Queue",
                "sns" => "FailureTopic",
                _ => "Bucket",
            };
            out.push(Destination {
                arn: arn.to_string(),
                logical: ids.take(format!("OnFailure{}{suffix}", pascal(&name))),
                kind,
            });
        }
    }
    out
}

fn destination_ref(d: &Destination) -> String {
    match d.kind {
        "sns" => format!("!Ref {}", d.logical),
        _ => format!("!GetAtt {}.Arn", d.logical),
    }
}

pub(crate) fn template(app: &App, names: &Names, runtime: Runtime) -> String {
    let mut y = String::new();
    let desc = app.description.clone().unwrap_or_else(|| "A StreamLab lab".into());
    y.push_str("# Exported from StreamLab by `streamlab export`. Deploy with `sam deploy --guided`;\n");
    y.push_str("# README.md says what each part is, and what works differently from the lab.\n");
    y.push_str("AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\n");
    y.push_str(&format!("Description: {}\n\nResources:\n", q(&format!("StreamLab export: {desc}"))));

    // Tables.
    for (t, (_, logical)) in app.tables.iter().zip(&names.tables) {
        y.push_str(&format!(
            "  # The lab's table {}.\n  {logical}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n",
            q(&t.name)
        ));
        y.push_str("      AttributeDefinitions:\n");
        for (a, ty) in &t.key_types {
            y.push_str(&format!("        - AttributeName: {}\n          AttributeType: {ty}\n", q(a)));
        }
        y.push_str("      KeySchema:\n");
        for (a, k) in &t.key_schema {
            y.push_str(&format!("        - AttributeName: {}\n          KeyType: {k}\n", q(a)));
        }
        match t.billing {
            Billing::PayPerRequest => y.push_str("      BillingMode: PAY_PER_REQUEST\n"),
            Billing::Provisioned(r, w) => y.push_str(&format!(
                "      BillingMode: PROVISIONED\n      ProvisionedThroughput:\n        ReadCapacityUnits: {r}\n        WriteCapacityUnits: {w}\n"
            )),
        }
        if let Some(v) = &t.stream {
            y.push_str(&format!("      StreamSpecification:\n        StreamViewType: {v}\n"));
        }
        if let Some(a) = &t.ttl {
            y.push_str(&format!(
                "      TimeToLiveSpecification:\n        AttributeName: {}\n        Enabled: true\n",
                q(a)
            ));
        }
    }
    if names.any_aggregates {
        y.push_str(
            "  # The aggregates of the rules (count, sum, min, max, avg): one item per aggregate and group,\n  # updated with atomic ADDs. With a tumbling window, one item per aggregate and closed window.\n  AggregatesTable:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n        - AttributeName: group\n          AttributeType: S\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n        - AttributeName: group\n          KeyType: RANGE\n      BillingMode: PAY_PER_REQUEST\n",
        );
    }
    if names.any_values_table {
        y.push_str(
            "  # min and max remember every value of a group, with how many times it is in.\n  AggregateValuesTable:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n        - AttributeName: value\n          AttributeType: N\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n        - AttributeName: value\n          KeyType: RANGE\n      BillingMode: PAY_PER_REQUEST\n",
        );
    }

    // Topics.
    for c in &names.channels {
        y.push_str(&format!(
            "  # Notifications of the channel {}.\n  {}:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: {}\n",
            q(&c.channel),
            c.logical,
            q(&display_name(&c.channel))
        ));
    }
    if names.any_dynamic_channel {
        y.push_str("  # Channels computed from the record: the channel is the message attribute \"channel\".\n  OtherChannelsTopic:\n    Type: AWS::SNS::Topic\n");
    }
    let dests = destinations(app);
    for d in &dests {
        let ty = match d.kind {
            "sqs" => "AWS::SQS::Queue",
            "sns" => "AWS::SNS::Topic",
            _ => "AWS::S3::Bucket",
        };
        y.push_str(&format!(
            "  # On-failure destination (the lab's {}).\n  {}:\n    Type: {ty}\n",
            q(&d.arn),
            d.logical
        ));
        if d.kind == "sqs" {
            y.push_str("    Properties:\n      MessageRetentionPeriod: 1209600\n");
        }
    }

    // Functions, their roles, log groups and mappings.
    for (f, n) in app.functions.iter().zip(&names.functions) {
        let role = format!("{}Role", n.logical.trim_end_matches("Function"));
        let logs = format!("{}LogGroup", n.logical.trim_end_matches("Function"));
        let fname = format!("!Sub \"${{AWS::StackName}}-{}\"", f.name);
        y.push_str(&format!(
            "  # The lab's function {}.\n  {}:\n    Type: AWS::Serverless::Function\n    Properties:\n",
            q(&f.name),
            n.logical
        ));
        y.push_str(&format!("      FunctionName: {fname}\n"));
        y.push_str(&format!("      CodeUri: functions/{}/\n", n.dir));
        match runtime {
            Runtime::Python => y.push_str("      Runtime: python3.13\n      Handler: app.handler\n"),
            Runtime::Node => y.push_str("      Runtime: nodejs22.x\n      Handler: index.handler\n"),
        }
        y.push_str(&format!("      Timeout: 30\n      MemorySize: 128\n      Role: !GetAtt {role}.Arn\n"));
        let mut env: Vec<(String, String)> = Vec::new();
        for (t, e) in &n.tables {
            if let Some((_, logical)) = names.tables.iter().find(|(name, _)| name == t) {
                env.push((e.clone(), format!("!Ref {logical}")));
            }
        }
        for c in &n.channels {
            env.push((c.env.clone(), format!("!Ref {}", c.logical)));
        }
        if n.dynamic_channel {
            env.push(("TOPIC_OTHER_CHANNELS".into(), "!Ref OtherChannelsTopic".into()));
        }
        if !n.aggregates.is_empty() {
            env.push(("AGGREGATES_TABLE".into(), "!Ref AggregatesTable".into()));
        }
        if n.needs_values_table {
            env.push(("AGGREGATE_VALUES_TABLE".into(), "!Ref AggregateValuesTable".into()));
        }
        env.push(("REPORT_BATCH_ITEM_FAILURES".into(), q(if n.report_failures { "true" } else { "false" })));
        y.push_str("      Environment:\n        Variables:\n");
        for (k, v) in &env {
            y.push_str(&format!("          {k}: {v}\n"));
        }
        y.push_str(&format!(
            "  {logs}:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub \"/aws/lambda/${{AWS::StackName}}-{}\"\n      RetentionInDays: 7\n",
            f.name
        ));
        // The execution role: only what this function's mappings and rules need.
        y.push_str(&format!(
            "  # What {} may do: read its streams, write its logs, and the writes and publishes its rules make.\n  {role}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: least-privilege\n          PolicyDocument:\n            Version: \"2012-10-17\"\n            Statement:\n",
            q(&f.name)
        ));
        y.push_str(&format!(
            "              - Effect: Allow\n                Action:\n                  - logs:CreateLogStream\n                  - logs:PutLogEvents\n                Resource: !GetAtt {logs}.Arn\n"
        ));
        let maps: Vec<_> = app.mappings_of(&f.name).collect();
        let stream_tables: Vec<&str> = {
            let mut v: Vec<&str> = Vec::new();
            for m in &maps {
                if !v.contains(&m.table.as_str()) {
                    v.push(&m.table);
                }
            }
            v
        };
        if !stream_tables.is_empty() {
            y.push_str("              - Effect: Allow\n                Action:\n                  - dynamodb:DescribeStream\n                  - dynamodb:GetRecords\n                  - dynamodb:GetShardIterator\n                  - dynamodb:ListStreams\n                Resource:\n");
            for t in &stream_tables {
                if let Some((_, logical)) = names.tables.iter().find(|(name, _)| name == t) {
                    y.push_str(&format!("                  - !GetAtt {logical}.StreamArn\n"));
                }
            }
        }
        let writes = super::code::written_tables(&f.program);
        for (t, put, update, delete) in &writes {
            let Some((_, logical)) = names.tables.iter().find(|(name, _)| name == t) else { continue };
            let mut actions = Vec::new();
            if *put {
                actions.push("dynamodb:PutItem");
            }
            if *update {
                actions.push("dynamodb:UpdateItem");
            }
            if *delete {
                actions.push("dynamodb:DeleteItem");
            }
            y.push_str("              - Effect: Allow\n                Action:\n");
            for a in actions {
                y.push_str(&format!("                  - {a}\n"));
            }
            y.push_str(&format!("                Resource: !GetAtt {logical}.Arn\n"));
        }
        if !n.aggregates.is_empty() {
            let actions =
                if n.windowed { vec!["dynamodb:PutItem"] } else { vec!["dynamodb:UpdateItem", "dynamodb:DeleteItem"] };
            y.push_str("              - Effect: Allow\n                Action:\n");
            for a in actions {
                y.push_str(&format!("                  - {a}\n"));
            }
            y.push_str("                Resource: !GetAtt AggregatesTable.Arn\n");
            y.push_str(&format!(
                "                Condition:\n                  ForAllValues:StringLike:\n                    dynamodb:LeadingKeys:\n                      - {}\n",
                q(&format!("{}/*", f.name))
            ));
        }
        if n.needs_values_table {
            y.push_str("              - Effect: Allow\n                Action:\n                  - dynamodb:UpdateItem\n                  - dynamodb:DeleteItem\n                Resource: !GetAtt AggregateValuesTable.Arn\n");
            y.push_str(&format!(
                "                Condition:\n                  ForAllValues:StringLike:\n                    dynamodb:LeadingKeys:\n                      - {}\n",
                q(&format!("{}/*", f.name))
            ));
        }
        let mut topics: Vec<String> = n.channels.iter().map(|c| format!("!Ref {}", c.logical)).collect();
        if n.dynamic_channel {
            topics.push("!Ref OtherChannelsTopic".into());
        }
        if !topics.is_empty() {
            y.push_str(
                "              - Effect: Allow\n                Action: sns:Publish\n                Resource:\n",
            );
            for t in topics {
                y.push_str(&format!("                  - {t}\n"));
            }
        }
        let mut fdests: Vec<&Destination> = Vec::new();
        for m in &maps {
            if let Some(arn) = m.config.pointer("/DestinationConfig/OnFailure/Destination").and_then(Value::as_str) {
                if let Some(d) = dests.iter().find(|d| d.arn == arn) {
                    if !fdests.iter().any(|x| x.arn == d.arn) {
                        fdests.push(d);
                    }
                }
            }
        }
        for d in fdests {
            match d.kind {
                "sqs" => y.push_str(&format!(
                    "              - Effect: Allow\n                Action: sqs:SendMessage\n                Resource: !GetAtt {}.Arn\n",
                    d.logical
                )),
                "sns" => y.push_str(&format!(
                    "              - Effect: Allow\n                Action: sns:Publish\n                Resource: !Ref {}\n",
                    d.logical
                )),
                _ => y.push_str(&format!(
                    "              - Effect: Allow\n                Action:\n                  - s3:PutObject\n                  - s3:ListBucket\n                Resource:\n                  - !GetAtt {0}.Arn\n                  - !Sub \"${{{0}.Arn}}/*\"\n",
                    d.logical
                )),
            }
        }

        // The event source mappings, with every setting the lab had.
        for m in maps {
            let Some((_, table_logical)) = names.tables.iter().find(|(name, _)| *name == m.table) else { continue };
            let logical = format!("{}{}Mapping", n.logical.trim_end_matches("Function"), pascal(&m.table));
            let c = &m.config;
            y.push_str(&format!(
                "  # {} reads the stream of {}.\n  {logical}:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      FunctionName: !Ref {}\n      EventSourceArn: !GetAtt {table_logical}.StreamArn\n",
                q(&f.name),
                q(&m.table),
                n.logical
            ));
            let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_string);
            let i = |k: &str| c.get(k).and_then(Value::as_i64);
            let b = |k: &str| c.get(k).and_then(Value::as_bool);
            if let Some(p) = s("StartingPosition") {
                y.push_str(&format!("      StartingPosition: {p}\n"));
            }
            if let Some(t) = c.get("StartingPositionTimestamp").and_then(Value::as_f64) {
                y.push_str(&format!("      StartingPositionTimestamp: {t}\n"));
            }
            for k in [
                "BatchSize",
                "MaximumBatchingWindowInSeconds",
                "ParallelizationFactor",
                "MaximumRetryAttempts",
                "MaximumRecordAgeInSeconds",
            ] {
                if let Some(v) = i(k) {
                    y.push_str(&format!("      {k}: {v}\n"));
                }
            }
            if let Some(v) = b("BisectBatchOnFunctionError") {
                y.push_str(&format!("      BisectBatchOnFunctionError: {v}\n"));
            }
            if let Some(v) = i("TumblingWindowInSeconds").filter(|v| *v > 0) {
                y.push_str(&format!("      TumblingWindowInSeconds: {v}\n"));
            }
            let types: Vec<String> = c
                .get("FunctionResponseTypes")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default();
            if !types.is_empty() {
                y.push_str("      FunctionResponseTypes:\n");
                for t in types {
                    y.push_str(&format!("        - {t}\n"));
                }
            }
            if let Some(filters) = c.pointer("/FilterCriteria/Filters").and_then(Value::as_array) {
                if !filters.is_empty() {
                    y.push_str("      FilterCriteria:\n        Filters:\n");
                    for fl in filters {
                        let p = fl.get("Pattern").and_then(Value::as_str).unwrap_or("{}");
                        y.push_str(&format!("          - Pattern: {}\n", q(p)));
                    }
                }
            }
            if let Some(arn) = c.pointer("/DestinationConfig/OnFailure/Destination").and_then(Value::as_str) {
                if let Some(d) = dests.iter().find(|d| d.arn == arn) {
                    y.push_str(&format!(
                        "      DestinationConfig:\n        OnFailure:\n          Destination: {}\n",
                        destination_ref(d)
                    ));
                }
            }
            if c.pointer("/MetricsConfig/Metrics").is_some() {
                y.push_str("      MetricsConfig:\n        Metrics:\n          - EventCount\n");
            }
            if let Some(e) = b("Enabled") {
                y.push_str(&format!("      Enabled: {e}\n"));
            }
        }
    }

    if !names.channels.is_empty() || names.any_dynamic_channel || !dests.is_empty() {
        y.push_str("\nOutputs:\n");
        for c in &names.channels {
            y.push_str(&format!(
                "  {}Arn:\n    Description: {}\n    Value: !Ref {}\n",
                c.logical,
                q(&format!("SNS topic of the channel {}", c.channel)),
                c.logical
            ));
        }
        if names.any_dynamic_channel {
            y.push_str("  OtherChannelsTopicArn:\n    Description: \"SNS topic of the channels computed from records\"\n    Value: !Ref OtherChannelsTopic\n");
        }
        for d in &dests {
            let v = if d.kind == "sqs" { format!("!Ref {}", d.logical) } else { destination_ref(d) };
            y.push_str(&format!("  {}:\n    Description: \"On-failure destination\"\n    Value: {v}\n", d.logical));
        }
    }
    y
}

/// An SNS display name: at most 100 characters.
fn display_name(channel: &str) -> String {
    channel.chars().take(100).collect()
}
