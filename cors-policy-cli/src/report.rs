//! The CLI's view of a diagnostic, and its rustc-style rendering with `annotate-snippets`.
//!
//! Every text that comes from the user (messages quote policy values, file names) goes through
//! [`escape_controls`] before it reaches a terminal or a CI log, so a value holding a newline
//! cannot start a line of its own (such as a GitHub Actions `::error::` workflow command) and an
//! escape sequence cannot drive the terminal.

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use cors_policy::{Check, Diagnostic, Severity, Span};
use std::borrow::Cow;

/// One finding about one file.
pub struct Finding {
    /// Error, warning or info.
    pub severity: Severity,
    /// The stable code, `CORS014`.
    pub code: &'static str,
    /// What is wrong and why.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Where, if the finding points into the file.
    pub location: Option<Location>,
}

/// A place in a policy file.
#[derive(Clone, Copy)]
pub struct Location {
    /// Byte range in the file.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column of `start`, in characters.
    pub column: u32,
}

impl From<&Diagnostic> for Finding {
    fn from(diagnostic: &Diagnostic) -> Self {
        let location = match diagnostic.span {
            Span::File { start, end, line, column } => Some(Location { start, end, line, column }),
            _ => None,
        };
        Finding {
            severity: diagnostic.severity,
            code: diagnostic.check.code(),
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            location,
        }
    }
}

impl Finding {
    /// CORS052: the file `name` cannot be read.
    pub fn unreadable(name: &str, error: &std::io::Error) -> Self {
        Finding {
            severity: Severity::Error,
            code: Check::UnreadableFile.code(),
            message: format!("cannot read policy file `{name}`: {error}"),
            help: None,
            location: None,
        }
    }

    /// `true` for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `true` for warnings.
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }
}

/// `s` with every control character but tab (C0, DEL, C1) and every bidirectional-override
/// character written as a Rust escape (`\n`, `\u{1b}`, `\u{202e}`).
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    fn needs_escape(c: char) -> bool {
        (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A finding as rustc prints a diagnostic, styled (the output stream strips the styles when it
/// is not coloured):
///
/// ```text
/// error[CORS014]: `:443` is the default port of https; browsers never send it, so this never matches
///  --> cors.yaml:3:5
///   |
/// 3 |   - https://app.example.com:443
///   |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
///   |
///   = help: browsers never send the default port: write `https://app.example.com`
/// ```
///
/// `file` is the name to print and `text` the file's contents, for the source line.
pub fn render(finding: &Finding, file: &str, text: &str) -> String {
    let level = match finding.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        _ => Level::INFO,
    };
    let file = escape_controls(file);
    let title = level.primary_title(escape_controls(&finding.message)).id(finding.code);
    let mut group: Group<'_> = match finding.location {
        Some(location) => {
            let (source, span) = source_line(text, location);
            title.element(
                Snippet::source(source)
                    .line_start(location.line as usize)
                    .path(file)
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        None => title.element(Origin::path(file)),
    };
    if let Some(help) = &finding.help {
        group = group.element(Level::HELP.message(escape_controls(help)));
    }
    Renderer::styled().render(&[group])
}

/// The line of `text` that `location` starts on, and the byte range in it to underline: the
/// location's first line, at least one character. Characters that `annotate-snippets` does not
/// replace by visible ones itself (C1 controls) become U+FFFD, so columns stay true.
fn source_line(text: &str, location: Location) -> (String, std::ops::Range<usize>) {
    let raw = text.split('\n').nth(location.line as usize - 1).unwrap_or("");
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    let line: String =
        raw.chars().map(|c| if ('\u{80}'..='\u{9f}').contains(&c) { '\u{fffd}' } else { c }).collect();
    let chars = line.chars().count();
    let first = (location.column as usize).saturating_sub(1).min(chars);
    let underlined = text
        .get(location.start..location.end.max(location.start))
        .map_or(1, |s| s.split('\n').next().unwrap_or("").chars().count())
        .clamp(1, (chars - first).max(1));
    let byte = |char_index: usize| line.char_indices().nth(char_index).map_or(line.len(), |(i, _)| i);
    let span = byte(first)..byte(first + underlined);
    (line, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_overrides_but_not_tabs() {
        assert_eq!(escape_controls("a\tb"), "a\tb");
        assert_eq!(
            escape_controls("x\n::error::y\r\u{1b}[31m\u{85}\u{202e}"),
            r"x\n::error::y\r\u{1b}[31m\u{85}\u{202e}"
        );
        assert!(matches!(escape_controls("plain `text` é"), Cow::Borrowed(_)));
    }

    #[test]
    fn underlines_within_the_first_line() {
        let text = "a: 1\nkey: \"two\nlines\"\n";
        let location = Location { start: 10, end: 20, line: 2, column: 6 };
        let (line, span) = source_line(text, location);
        assert_eq!(line, "key: \"two");
        assert_eq!(&line[span], "\"two");
        // Past the end of the line: an empty range at its end.
        let (line, span) = source_line("ab\n", Location { start: 5, end: 5, line: 1, column: 9 });
        assert_eq!((line.as_str(), span), ("ab", 2..2));
    }
}
