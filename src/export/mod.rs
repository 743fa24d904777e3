//! `streamlab export`: a scenario as a deployable AWS SAM application (template, one handler
//! per function in Python or Node.js, README).
mod app;
mod archive;
mod code;
mod file;
mod names;
mod node;
mod python;
mod readme;
mod template;

use crate::scenario::ScenarioError;

pub use archive::tar;
pub use file::ExportFile;

/// The language of the exported handlers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// Python 3.13 with boto3.
    Python,
    /// Node.js 22 with the AWS SDK for JavaScript v3.
    Node,
}

impl Runtime {
    /// `python` or `nodejs`, as the command line names them.
    pub fn parse(s: &str) -> Option<Runtime> {
        match s {
            "python" => Some(Runtime::Python),
            "nodejs" | "node" => Some(Runtime::Node),
            _ => None,
        }
    }
}

/// Exports a scenario (the text of a scenario file): what its configuration steps left
/// deployed at its end. Errors are those of `scenario::parse`.
pub fn export(scenario_text: &str, runtime: Runtime) -> Result<Vec<ExportFile>, ScenarioError> {
    let scenario = crate::scenario::parse(scenario_text)?;
    let app = app::from_scenario(&scenario);
    let names = names::names(&app);
    let mut files = vec![
        ExportFile { path: "template.yaml".into(), text: template::template(&app, &names, runtime), rules: None },
        ExportFile { path: "README.md".into(), text: readme::readme(&app, &names, runtime), rules: None },
    ];
    for (f, n) in app.functions.iter().zip(&names.functions) {
        let rules = Some(f.code.clone());
        match runtime {
            Runtime::Python => files.push(ExportFile {
                path: format!("functions/{}/app.py", n.dir),
                text: python::handler(f, n),
                rules,
            }),
            Runtime::Node => {
                files.push(ExportFile {
                    path: format!("functions/{}/index.mjs", n.dir),
                    text: node::handler(f, n),
                    rules,
                });
                files.push(ExportFile {
                    path: format!("functions/{}/package.json", n.dir),
                    text: node::package_json(f),
                    rules: None,
                });
            }
        }
    }
    Ok(files)
}
