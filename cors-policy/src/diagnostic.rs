//! Diagnostics: what is wrong, where the user wrote it, and how to fix it.

use crate::catalog::{Check, Severity};

/// Where a diagnostic points.
#[derive(Clone, Copy, Debug)]
pub enum Span {
    /// A byte range of a policy file, with the 1-based line and column of its first byte.
    File {
        /// Byte offset of the first byte.
        start: usize,
        /// Byte offset one past the last byte.
        end: usize,
        /// 1-based line of `start`.
        line: u32,
        /// 1-based column of `start`, counted in characters.
        column: u32,
    },
    /// Tokens of a `cors_policy!` invocation.
    #[cfg(feature = "codegen")]
    Tokens(crate::tokens::TokenSpan),
    /// A value read through `serde`, which keeps no location: the key, and the list item.
    Key {
        /// The policy key (from `keys::KEYS`), or `""` for the policy as a whole.
        key: &'static str,
        /// The index of the item in the key's list, if the diagnostic is about one.
        item: Option<usize>,
    },
}

impl Span {
    /// A span covering `start..end` of `text`, with line and column computed from the text.
    pub fn in_text(text: &str, start: usize, end: usize) -> Span {
        let start = start.min(text.len());
        let before = text.get(..start).unwrap_or("");
        let line = before.matches('\n').count() as u32 + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) as u32 + 1;
        Span::File { start, end: end.max(start), line, column }
    }

    /// Line and column (both 1-based) for a file span, `None` for tokens and keys.
    pub fn line_column(&self) -> Option<(u32, u32)> {
        match *self {
            Span::File { line, column, .. } => Some((line, column)),
            _ => None,
        }
    }

    /// The file range `start..end`, for a file span.
    pub fn range(&self) -> Option<std::ops::Range<usize>> {
        match *self {
            Span::File { start, end, .. } => Some(start..end),
            _ => None,
        }
    }
}

/// One finding of the compiler.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Which check of the catalog produced it.
    pub check: Check,
    /// Error, warning or info.
    pub severity: Severity,
    /// What is wrong and why, in one or two sentences.
    pub message: String,
    /// How to fix it, if there is something to say.
    pub help: Option<String>,
    /// Where the user wrote the offending value.
    pub span: Span,
}

impl Diagnostic {
    /// A new diagnostic with no help line.
    pub fn new(check: Check, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { check, severity, message: message.into(), help: None, span }
    }

    /// An error.
    pub fn error(check: Check, span: Span, message: impl Into<String>) -> Self {
        Self::new(check, Severity::Error, span, message)
    }

    /// A warning.
    pub fn warning(check: Check, span: Span, message: impl Into<String>) -> Self {
        Self::new(check, Severity::Warning, span, message)
    }

    /// An informational note.
    pub fn info(check: Check, span: Span, message: impl Into<String>) -> Self {
        Self::new(check, Severity::Info, span, message)
    }

    /// Adds the `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `true` for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `true` if any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
