//! The Node.js 22 handler of one function (AWS SDK for JavaScript v3, ES module).

use super::app::Function;
use super::code::{self, Lang};
use super::names::FunctionNames;

const RUNTIME: &str = include_str!("node_runtime.mjs");

pub(crate) fn handler(f: &Function, n: &FunctionNames) -> String {
    let lang = Lang::Node;
    let mut out = String::new();
    out.push_str(&format!(
        "// Lambda handler for the StreamLab function {}, exported by `streamlab export`.\n//\n\
         // It does what these trigger rules did in the lab, record by record:\n//\n",
        code::string(&f.name)
    ));
    if f.code.trim().is_empty() {
        out.push_str("//   (no rules: the function succeeds and does nothing)\n");
    }
    for l in f.code.lines() {
        out.push_str(format!("//   {l}").trim_end());
        out.push('\n');
    }
    out.push_str(
        "//\n// The rules are translated one by one in runRules() below; the helpers after it implement the\n\
         // rule language's meaning (absent values, comparisons, aggregates) on DynamoDB's JSON form of\n\
         // the record's images, so that numbers stay exact.\n\n",
    );
    out.push_str(
        "import {\n  DeleteItemCommand,\n  DynamoDBClient,\n  PutItemCommand,\n  UpdateItemCommand,\n} from \"@aws-sdk/client-dynamodb\";\nimport { PublishCommand, SNSClient } from \"@aws-sdk/client-sns\";\n\n",
    );
    out.push_str(&format!("const FUNCTION_NAME = {};\n\n", code::string(&f.name)));
    out.push_str("// The lab's table names -> the deployed tables' names (environment set by template.yaml).\nconst TABLES = {\n");
    for (t, e) in &n.tables {
        out.push_str(&format!("  {}: process.env[{}],\n", code::string(t), code::string(e)));
    }
    out.push_str("};\n\n// Notification channels -> SNS topic ARNs.\nconst TOPICS = {\n");
    for c in &n.channels {
        out.push_str(&format!("  {}: process.env[{}],\n", code::string(&c.channel), code::string(&c.env)));
    }
    out.push_str("};\n\n// The aggregates the rules maintain: [name, kind].\nconst AGGREGATES = [\n");
    for (a, k) in &n.aggregates {
        out.push_str(&format!("  [{}, {}],\n", code::string(a), code::string(k.as_str())));
    }
    out.push_str("];\n\n");
    out.push_str(
        "/** Runs every rule on one record `r`, collecting what to do in `plan`; a `fail` throws\n * RuleFailed before anything is done. */\nfunction runRules(r, plan) {\n",
    );
    out.push_str(&code::rules_body(&f.program, &f.code, lang, "  "));
    out.push_str("}\n\n");
    out.push_str(RUNTIME);
    out
}

/// The function's package.json: an ES module; the SDK comes with the Lambda runtime.
pub(crate) fn package_json(f: &Function) -> String {
    let name: String =
        f.name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!(
        "{{\n  \"name\": {},\n  \"private\": true,\n  \"type\": \"module\",\n  \"description\": \"StreamLab export: the handler of the function {}. The AWS SDK for JavaScript v3 is provided by the nodejs22.x runtime.\"\n}}\n",
        code::string(&format!("streamlab-{name}")),
        code::string(&f.name).trim_matches('"')
    )
}
