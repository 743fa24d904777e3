//! "Export to AWS": the lab as the SAM application `streamlab export` writes, shown file by file
//! (each handler beside the rules it came from) and downloaded as one archive. The files come
//! from `crate::export`, the same code as the command line's.

use crate::export::{self, ExportFile, Runtime};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// The lab as a scenario file.
    pub scenario: Callback<(), serde_json::Value>,
}

/// The nav entry: a button that opens the export view under the page header.
#[component]
pub fn ExportToAws(props: &ExportProps) -> Html {
    let open = use_state(|| false);
    let runtime = use_state(|| Runtime::Python);
    let files = use_state(|| None::<Result<Vec<ExportFile>, String>>);
    let note = use_state(String::new);
    let make = {
        let (scenario, files) = (props.scenario.clone(), files.clone());
        move |rt: Runtime| {
            let text = scenario.emit(()).to_string();
            files.set(Some(export::export(&text, rt).map_err(|e| e.to_string())));
        }
    };
    let toggle = {
        let (open, make, runtime) = (open.clone(), make.clone(), runtime.clone());
        Callback::from(move |_: MouseEvent| {
            if !*open {
                make(*runtime);
            }
            open.set(!*open);
        })
    };
    let pick = |rt: Runtime| {
        let (runtime, make) = (runtime.clone(), make.clone());
        Callback::from(move |_: Event| {
            runtime.set(rt);
            make(rt);
        })
    };
    let download = {
        let (files, note, runtime) = (files.clone(), note.clone(), runtime.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(Ok(list)) = files.as_ref() else { return };
            let name = match *runtime {
                Runtime::Python => "streamlab-sam-python",
                Runtime::Node => "streamlab-sam-nodejs",
            };
            let bytes = export::tar(name, list);
            note.set(match crate::web::dom::download_bytes(&format!("{name}.tar"), &bytes, "application/x-tar") {
                Ok(()) => {
                    format!("Downloaded {name}.tar: unpack it with `tar xf {name}.tar`, then read its README.md.")
                }
                Err(e) => format!("The download failed: {e}"),
            });
        })
    };
    let button = html! {
        <button type="button" class="export-button" aria-expanded={if *open { "true" } else { "false" }} onclick={toggle}>
            { "Export to AWS" }
        </button>
    };
    if !*open {
        return button;
    }
    let body = match files.as_ref() {
        None => html! {},
        Some(Err(e)) => html! { <p class="error-message">{ e.clone() }</p> },
        Some(Ok(list)) => html! {
            { for list.iter().filter(|f| !f.path.ends_with("package.json")).map(file_view) }
        },
    };
    html! {
        <>
            { button }
            <section class="export-view" aria-label="Export to AWS">
                <p>
                    { "This lab as an AWS SAM application: deploy it with " }<code>{ "sam deploy --guided" }</code>
                    { ". The README says what AWS does differently from the simulator." }
                </p>
                <fieldset>
                    <legend>{ "Handlers in" }</legend>
                    <label><input type="radio" name="export-runtime" checked={*runtime == Runtime::Python} onchange={pick(Runtime::Python)} />{ " Python 3.13 (boto3)" }</label>
                    <label><input type="radio" name="export-runtime" checked={*runtime == Runtime::Node} onchange={pick(Runtime::Node)} />{ " Node.js 22 (AWS SDK v3)" }</label>
                </fieldset>
                <button type="button" onclick={download}>{ "Download as one archive (.tar)" }</button>
                <p class="status" role="status">{ (*note).clone() }</p>
                { body }
            </section>
        </>
    }
}

/// One file; a handler beside the rules it came from.
fn file_view(f: &ExportFile) -> Html {
    html! {
        <section class="export-file">
            <h3>{ f.path.clone() }</h3>
            <div class="export-side">
                { for f.rules.clone().map(|r| html! {
                    <figure>
                        <figcaption>{ "The rules in the lab" }</figcaption>
                        <pre><code>{ r }</code></pre>
                    </figure>
                }) }
                <figure>
                    <figcaption>{ "The exported file" }</figcaption>
                    <pre><code>{ f.text.clone() }</code></pre>
                </figure>
            </div>
        </section>
    }
}
