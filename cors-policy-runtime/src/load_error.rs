//! [`LoadError`]: why a policy loaded at run time was refused.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use cors_policy::Diagnostic;

/// A policy that failed its checks when it was loaded or reloaded: every error at once, with
/// its location (`file:line:col` for a YAML file, the key and item for a `serde` value).
///
/// `Display` prints each error as `cors-policy check` does, one per line:
/// `cors.yaml:3:5: [CORS014] ... (help: ...)`.
#[derive(Clone, Debug)]
pub struct LoadError {
    source: String,
    diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    pub(crate) fn new(source: impl Into<String>, diagnostics: Vec<Diagnostic>) -> Self {
        LoadError { source: source.into(), diagnostics }
    }

    /// What was loaded: the file's path, or `config` for a `serde` value.
    pub fn source_name(&self) -> &str {
        &self.source
    }

    /// Every diagnostic: the errors, and the warnings found with them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The diagnostics that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.errors().count();
        write!(f, "{} refused: {errors} error{}", self.source, if errors == 1 { "" } else { "s" })?;
        for diagnostic in self.errors() {
            write!(f, "\n{}", cors_policy::render::render_line(diagnostic, &self.source))?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}
