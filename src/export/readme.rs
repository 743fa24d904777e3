//! The exported application's README: deploying, watching, deleting, and every way in which
//! AWS will not behave exactly as the lab did.

use super::app::App;
use super::names::Names;
use super::Runtime;

pub(crate) fn readme(app: &App, names: &Names, runtime: Runtime) -> String {
    let mut r = String::new();
    let desc = app.description.clone().unwrap_or_else(|| "A StreamLab lab".into());
    r.push_str(&format!("# {desc}\n\nExported from StreamLab by `streamlab export` as an AWS SAM application:\n\n"));
    r.push_str("- `template.yaml`: the tables (key schema, billing mode, TTL, stream), the functions, one\n  execution role per function with only the permissions its mappings and rules need, the event\n  source mappings with every setting of the lab, and an SNS topic per notification channel.\n");
    match runtime {
        Runtime::Python => r.push_str("- `functions/<name>/app.py`: one handler per function (Python 3.13, boto3), with the rules it\n  implements quoted at the top and above each block of code.\n"),
        Runtime::Node => r.push_str("- `functions/<name>/index.mjs`: one handler per function (Node.js 22, AWS SDK for\n  JavaScript v3, which the Lambda runtime provides), with the rules it implements quoted at the\n  top and above each block of code.\n"),
    }
    r.push_str("\n## What is in it\n\n");
    for t in &app.tables {
        r.push_str(&format!(
            "- Table `{}`: key {}{}{}.\n",
            t.name,
            t.key_schema.iter().map(|(a, k)| format!("`{a}` ({k})")).collect::<Vec<_>>().join(", "),
            t.stream.as_ref().map(|v| format!(", stream {v}")).unwrap_or_default(),
            t.ttl.as_ref().map(|a| format!(", TTL on `{a}`")).unwrap_or_default()
        ));
    }
    for (f, n) in app.functions.iter().zip(&names.functions) {
        let maps: Vec<String> = app.mappings_of(&f.name).map(|m| format!("`{}`", m.table)).collect();
        r.push_str(&format!(
            "- Function `{}`{}.\n",
            f.name,
            if maps.is_empty() {
                " (no event source mapping: it is deployed but never invoked)".to_string()
            } else {
                format!(", triggered by the stream of {}", maps.join(", "))
            }
        ));
        let _ = n;
    }
    for c in &names.channels {
        r.push_str(&format!("- SNS topic for the channel `{}` (output `{}Arn`).\n", c.channel, c.logical));
    }
    r.push_str("\n## Deploy\n\nWith the AWS SAM CLI and credentials for an account:\n\n```sh\nsam build\nsam deploy --guided     # answer the questions; the stack name prefixes the function names\n```\n\n");
    r.push_str(&format!("The lab ran in `{}`; `sam deploy --guided` asks for the region to deploy to.\n", app.region));
    r.push_str(
        "Each function is named `<stack name>-<function name>`: Lambda allows 64 characters, so keep\nthe stack name short.\n\n",
    );
    r.push_str("## Watch it work\n\n");
    r.push_str("Write to a table and follow the function's log:\n\n```sh\n");
    if let Some(t) = app.tables.iter().find(|t| t.stream.is_some()) {
        r.push_str("aws cloudformation describe-stack-resources --stack-name STACK   # the tables' physical names\n");
        let key: Vec<String> = t
            .key_schema
            .iter()
            .map(|(a, _)| {
                let ty = t.key_types.iter().find(|(x, _)| x == a).map(|(_, ty)| ty.as_str()).unwrap_or("S");
                let v = if ty == "N" { "1" } else { "example" };
                format!("\"{a}\": {{\"{ty}\": \"{v}\"}}")
            })
            .collect();
        r.push_str(&format!(
            "aws dynamodb put-item --table-name PHYSICAL_NAME_OF_{} --item '{{{}}}'\n",
            t.name,
            key.join(", ")
        ));
    }
    match names.functions.first() {
        Some(f) => r.push_str(&format!("sam logs --stack-name STACK --name {} --tail\n", f.logical)),
        None => r.push_str("sam logs --stack-name STACK --tail\n"),
    }
    r.push_str("```\n\n");
    if !names.channels.is_empty() || names.any_dynamic_channel {
        r.push_str("Notifications go to SNS topics (the stack's outputs): subscribe an e-mail address or an SQS\nqueue to see them, for example\n`aws sns subscribe --topic-arn ARN --protocol email --notification-endpoint you@example.com`.\nEvery message carries its channel in the message attribute `channel`.\n\n");
    }
    if names.any_aggregates {
        r.push_str("Aggregates are items of the table `AggregatesTable`: `id` is `<function>/<aggregate>`,\n`group` the group (`*` when there is no `by`), with `count` and `sum` (avg is sum / count; min\nand max are the smallest and largest `value` of `AggregateValuesTable` under\n`<function>/<aggregate>/<group>` whose `n` is above 0). Under a tumbling window the state\nlives in Lambda, and each closed window's result is one item, `group` = `window <start>`.\n\n");
    }
    r.push_str(
        "## Delete it\n\n```sh\nsam delete --stack-name STACK\n```\n\nThis deletes the tables and their items too.\n\n",
    );

    r.push_str("## Where AWS differs from the lab\n\n");
    r.push_str("Things the simulator did that this application cannot do the same way on AWS:\n\n");
    match app.loop_guard {
        Some(n) => r.push_str(&format!(
            "- **The loop guard.** The simulator paused a chain of triggers after {} invocations\n  (its own guard, so that a browser tab never runs away). AWS has no such guard for loops\n  through DynamoDB: Lambda's recursive loop detection covers SQS, SNS and S3 only. A function\n  whose writes trigger itself again runs, and bills, until you change its code or disable its\n  mapping (or set its reserved concurrency to 0).\n",
            n
        )),
        None => r.push_str("- **No loop guard.** The scenario had the simulator's loop guard off; AWS has none either for\n  loops through DynamoDB: a function whose writes trigger itself again runs, and bills, until\n  you change its code or disable its mapping.\n"),
    }
    r.push_str("- **Time.** The lab's clock was simulated: Lambda polled 4 times a second, retries backed off\n  1, 2, 4 ... 60 s, shards rolled over every 4 hours and TTL deleted expired items 10 minutes\n  after their time. On AWS these are AWS's own (TTL: usually within a few days).\n");
    r.push_str("- **Notifications** are SNS publishes, one topic per channel; the lab only listed them.\n  The order of messages across topics is not kept by SNS.\n");
    r.push_str("- **Aggregates** are kept in DynamoDB with one atomic update per group and record; the lab\n  kept them in memory. Each record's rules run first and nothing is written if one fails, as\n  in the lab; but the writes of one record are separate calls, so a record whose second write\n  fails (for example a table that does not exist) keeps its first, as in the lab, and Lambda\n  runs it again on retry (at least once, as in the lab).\n");
    r.push_str("- **Tumbling windows**: the handler keeps counts, exact sums and the values of min/max in the\n  state Lambda passes between invocations (its size counts toward Lambda's 1 MB), and saves\n  each closed window's result to `AggregatesTable`.\n");
    for n in &names.functions {
        if n.mixed_report {
            r.push_str(&format!("- Function `{}` has mappings with and without ReportBatchItemFailures; its handler reports\n  failed records by sequence number (as the mappings with it on expect), which the others ignore.\n", n.function));
        }
        for t in &n.missing_tables {
            r.push_str(&format!(
                "- Function `{}` writes to the table `{t}`, which the lab did not define: the writes fail\n  there, as they did in the lab.\n",
                n.function
            ));
        }
    }
    for d in &app.dropped {
        r.push_str(&format!("- Not exported: {d}.\n"));
    }
    for s in &app.simulator_settings {
        r.push_str(&format!("- The scenario set the simulator's {s}; AWS decides this itself.\n"));
    }
    r.push_str("- On-failure destinations are created in the stack (an SQS queue, SNS topic or S3 bucket),\n  not the ARNs the lab named.\n");
    r
}
