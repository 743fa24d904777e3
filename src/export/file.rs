//! One file of an export.

/// One file of the export: its path relative to the output folder, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub path: String,
    pub text: String,
    /// For a handler: the rule source it was translated from (the lab shows them side by side).
    pub rules: Option<String>,
}
