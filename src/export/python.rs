//! The Python 3.13 handler of one function (boto3).

use super::app::Function;
use super::code::{self, Lang};
use super::names::FunctionNames;

const RUNTIME: &str = include_str!("python_runtime.py");

fn quote_block(text: &str, prefix: &str) -> String {
    if text.trim().is_empty() {
        return format!("{prefix}(no rules: the function succeeds and does nothing)\n");
    }
    text.lines().map(|l| format!("{prefix}{l}").trim_end().to_string() + "\n").collect()
}

pub(crate) fn handler(f: &Function, n: &FunctionNames) -> String {
    let lang = Lang::Python;
    let mut out = String::new();
    out.push_str(&format!(
        "\"\"\"Lambda handler for the StreamLab function {}, exported by `streamlab export`.\n\n\
         It does what these trigger rules did in the lab, record by record:\n\n",
        code::string(&f.name)
    ));
    out.push_str(&quote_block(&f.code.replace("\"\"\"", "\\\"\\\"\\\""), "    "));
    out.push_str(
        "\nThe rules are translated one by one in run_rules() below; the helpers after it implement\n\
         the rule language's meaning (absent values, comparisons, aggregates) on DynamoDB's JSON\n\
         form of the record's images, so that numbers stay exact.\n\"\"\"\n\n",
    );
    out.push_str("import base64\nimport json\nimport logging\nimport os\nfrom decimal import Context, Decimal\n\nimport boto3\n\n");
    out.push_str(&format!("FUNCTION_NAME = {}\n\n", code::string(&f.name)));
    out.push_str(
        "# The lab's table names -> the deployed tables' names (environment set by template.yaml).\nTABLES = {\n",
    );
    for (t, e) in &n.tables {
        out.push_str(&format!("    {}: os.environ[{}],\n", code::string(t), code::string(e)));
    }
    out.push_str("}\n\n# Notification channels -> SNS topic ARNs.\nTOPICS = {\n");
    for c in &n.channels {
        out.push_str(&format!("    {}: os.environ[{}],\n", code::string(&c.channel), code::string(&c.env)));
    }
    out.push_str("}\n\n# The aggregates the rules maintain: (name, kind).\nAGGREGATES = [\n");
    for (a, k) in &n.aggregates {
        out.push_str(&format!("    ({}, {}),\n", code::string(a), code::string(k.as_str())));
    }
    out.push_str("]\n\n\n");
    out.push_str(
        "def run_rules(r, plan):\n    \"\"\"Runs every rule on one record `r`, collecting what to do in `plan`; a `fail` raises\n    RuleFailed before anything is done.\"\"\"\n",
    );
    if f.program.is_empty() {
        out.push_str("    pass\n");
    } else {
        out.push_str(&code::rules_body(&f.program, &f.code, lang, "    "));
    }
    out.push_str("\n\n");
    out.push_str(RUNTIME);
    out
}
