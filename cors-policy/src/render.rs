//! Rendering diagnostics the way rustc does, for `cors-policy check` and `build.rs`.

use crate::diagnostic::{Diagnostic, Span};
use std::fmt::Write as _;

/// A diagnostic as rustc would print it:
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
pub fn render(diagnostic: &Diagnostic, file: &str, text: &str) -> String {
    let mut out =
        format!("{}[{}]: {}\n", diagnostic.severity.as_str(), diagnostic.check.code(), diagnostic.message);
    if let Span::File { start, end, line, column } = diagnostic.span {
        let number = line.to_string();
        let pad = " ".repeat(number.len());
        let _ = writeln!(out, "{pad}--> {file}:{line}:{column}");
        let source = text.lines().nth(line as usize - 1).unwrap_or("");
        let width = text
            .get(start..end.max(start))
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count())
            .max(1);
        let width = width.min(source.chars().count().saturating_sub(column as usize - 1).max(1));
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{number} | {source}");
        let _ = writeln!(out, "{pad} | {}{}", " ".repeat(column as usize - 1), "^".repeat(width));
        if let Some(help) = &diagnostic.help {
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{pad} = help: {help}");
        }
    } else if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "  = help: {help}");
    }
    out
}

/// One line: `file:line:col: [CODE] message (help: ...)`, for `cargo::error=` and
/// `cargo::warning=` lines and for what a macro reports about a policy file.
///
/// The severity word is left out on purpose: cargo and rustc print their own `error:` or
/// `warning:` before the line, and `error: error[CORS012]` says it twice.
pub fn render_line(diagnostic: &Diagnostic, file: &str) -> String {
    let location = match (diagnostic.span, diagnostic.span.line_column()) {
        (_, Some((line, column))) => format!("{file}:{line}:{column}: "),
        (Span::Key { key, item }, None) => format!("{file}: {}: ", key_path(key, item)),
        _ => String::new(),
    };
    let help = diagnostic.help.as_ref().map_or(String::new(), |h| format!(" (help: {h})"));
    format!("{location}[{}] {}{help}", diagnostic.check.code(), diagnostic.message)
}

/// Where a value read through `serde` sits: `allow_origins[2]`, or `policy` for the whole.
pub fn key_path(key: &str, item: Option<usize>) -> String {
    match (key, item) {
        ("", _) => "policy".to_owned(),
        (key, Some(i)) => format!("{key}[{i}]"),
        (key, None) => key.to_owned(),
    }
}

/// What a macro reports at a token: `[CODE] message`, and the help on a line of its own.
/// Without the severity word, for the same reason as [`render_line`].
pub fn render_at_token(diagnostic: &Diagnostic) -> String {
    let help = diagnostic.help.as_ref().map_or(String::new(), |h| format!("\nhelp: {h}"));
    format!("[{}] {}{help}", diagnostic.check.code(), diagnostic.message)
}
