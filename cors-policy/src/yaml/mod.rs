//! The YAML front end: policy file text to [`PolicyAst`], with a located diagnostic for every
//! syntax or structure problem.
//!
//! It works in two passes. The first drives `saphyr_parser::Parser`'s event stream (iteratively,
//! so nesting costs no stack) into a small arena of nodes, each with a [`Span`]; it enforces the
//! [`Limits`] and stops at the first YAML syntax error, since the parser cannot resume after one.
//! The second maps that tree to policies and keeps going after every structure error (a bad
//! value is skipped), so that one run reports all of them.
//!
//! Aliases are expanded by sharing: `*a` refers to the node `&a` names, and counts for that
//! node's whole expanded size against [`Limits::max_nodes`], so a "billion laughs" file is
//! refused after a bounded amount of work. Spans inside aliased content point at the anchor's
//! definition. Tags (`!!str 600`) are rejected with `CORS048`: honouring them would add a second
//! way to spell every value, and ignoring them would silently give `!!str 600` a meaning it asks
//! not to have.

use std::collections::HashMap;

use saphyr_parser::ScalarStyle;

use crate::ast::{self, OriginEntry, PolicyAst, Spanned, SpannedList};
use crate::catalog::Check;
use crate::diagnostic::{Diagnostic, Span};
use crate::keys::{self, Shape, Value};
use tree::{Builder, Kind, Node};

mod tree;

/// Limits that keep a hostile file from costing unbounded time or memory.
///
/// Exceeding any of them gives one `CORS048` error and no policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes (default 1 MiB); a larger file is not parsed at all.
    pub max_bytes: usize,
    /// Deepest accepted nesting of lists and mappings (default 64).
    pub max_depth: usize,
    /// Most YAML nodes accepted, counted after alias expansion (default 100 000).
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 1 << 20, max_depth: 64, max_nodes: 100_000 }
    }
}

/// Parsed policies plus every diagnostic found (syntax and structure), all at once.
///
/// `policies` holds what could be read even when `diagnostics` has errors (bad values are left
/// out), so later checks can still run; a file with any error must not be compiled.
#[derive(Clone, Debug, Default)]
pub struct ParsedFile {
    /// The policies, in file order: one unnamed policy, or the named ones under `policies:`.
    pub policies: Vec<PolicyAst>,
    /// Syntax and structure diagnostics, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a policy file with the default [`Limits`].
///
/// The file holds either one policy mapping at top level, or `policies:` mapping names to
/// policy mappings. Never panics; every problem becomes a diagnostic in the result.
pub fn parse(text: &str) -> ParsedFile {
    parse_with_limits(text, &Limits::default())
}

/// Parses a policy file with explicit [`Limits`]; see [`parse`].
pub fn parse_with_limits(text: &str, limits: &Limits) -> ParsedFile {
    let mut diagnostics = Vec::new();
    if text.len() > limits.max_bytes {
        diagnostics.push(too_large(text.len(), limits.max_bytes));
        return ParsedFile { policies: Vec::new(), diagnostics };
    }
    let mut builder = Builder {
        text,
        ascii: text.is_ascii(),
        limits,
        cursor: (0, 0),
        nodes: Vec::new(),
        anchors: HashMap::new(),
        stack: Vec::new(),
        total: 0,
        diags: &mut diagnostics,
    };
    let root = builder.build();
    let nodes = builder.nodes;
    let mut policies = Vec::new();
    if let Ok(root) = root {
        Mapper { nodes: &nodes, diags: &mut diagnostics }.file(root, &mut policies);
    }
    ParsedFile { policies, diagnostics }
}

/// Parses a policy file given as bytes, with the default [`Limits`].
///
/// Input that is not UTF-8 gives one `CORS048` error at the line and column of the first
/// invalid byte (a leading byte-order mark is accepted, as in [`parse`]).
pub fn parse_bytes(bytes: &[u8]) -> ParsedFile {
    let limits = Limits::default();
    if bytes.len() > limits.max_bytes {
        return ParsedFile {
            policies: Vec::new(),
            diagnostics: vec![too_large(bytes.len(), limits.max_bytes)],
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_with_limits(text, &limits),
        Err(e) => {
            let at = e.valid_up_to();
            let valid = std::str::from_utf8(bytes.get(..at).unwrap_or_default()).unwrap_or_default();
            let end = at + e.error_len().unwrap_or(bytes.len() - at);
            let byte = bytes.get(at).copied().unwrap_or_default();
            let span = Span::in_text(valid, at, end);
            let diag = Diagnostic::error(
                Check::InvalidSyntax,
                span,
                format!("the file is not valid UTF-8: invalid byte 0x{byte:02X}"),
            )
            .with_help("policy files must be UTF-8; re-save the file with UTF-8 encoding");
            ParsedFile { policies: Vec::new(), diagnostics: vec![diag] }
        }
    }
}

fn too_large(len: usize, max: usize) -> Diagnostic {
    let limit = if max % (1 << 20) == 0 {
        format!("{} MiB", max >> 20)
    } else if max % 1024 == 0 {
        format!("{} KiB", max >> 10)
    } else {
        format!("{max} bytes")
    };
    let span = Span::File { start: 0, end: 0, line: 1, column: 1 };
    Diagnostic::error(
        Check::InvalidSyntax,
        span,
        format!("the file is {len} bytes long; policy files are limited to {limit}"),
    )
    .with_help("a CORS policy fits in a few kilobytes; check that this is the right file")
}

fn syntax(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Check::InvalidSyntax, span, message)
}

// Pass 2: the tree to policies, going on after every structure error.

struct Mapper<'a> {
    nodes: &'a [Node],
    diags: &'a mut Vec<Diagnostic>,
}

/// A string key, its span, and the index of its value.
type Entry<'a> = (&'a str, Span, usize);

impl<'a> Mapper<'a> {
    fn node(&self, index: usize) -> &'a Node {
        &self.nodes[index]
    }

    fn error(&mut self, check: Check, span: Span, message: String, help: Option<String>) {
        let diag = Diagnostic::error(check, span, message);
        self.diags.push(match help {
            Some(help) => diag.with_help(help),
            None => diag,
        });
    }

    fn file(&mut self, root: Option<usize>, out: &mut Vec<PolicyAst>) {
        let no_policy = |span| {
            Diagnostic::error(Check::UnknownPolicy, span, "the file defines no policy")
                .with_help("write a policy mapping, starting with `allow_origins: [https://app.example.com]`")
        };
        let Some(root) = root.filter(|&r| !is_null(self.node(r))) else {
            self.diags.push(no_policy(Span::File { start: 0, end: 0, line: 1, column: 1 }));
            return;
        };
        let node = self.node(root);
        let Kind::Map(entries) = &node.kind else {
            let message = format!("expected a policy mapping, found {}", describe(node));
            let help = "write `allow_origins: [...]` and the other keys at top level, or `policies:`";
            self.error(Check::InvalidSyntax, node.span, message, Some(help.into()));
            return;
        };
        let entries = self.entries(entries);
        if !entries.iter().any(|(key, ..)| *key == "policies") {
            let mut candidates = keys::names();
            candidates.push("policies");
            out.push(self.policy(None, node.span, &entries, &candidates));
            return;
        }
        for &(key, key_span, value) in &entries {
            if key != "policies" {
                let is_policy_key = keys::key(key).is_some() || ast::is_vary_key(key);
                let (check, message) = if is_policy_key {
                    (Check::InvalidSyntax, format!("`{key}` cannot sit next to `policies:` at top level"))
                } else {
                    (Check::UnknownKey, format!("unknown key `{key}`"))
                };
                let help = "a file with `policies:` holds nothing else at top level: move the key into \
                            a named policy";
                self.error(check, key_span, message, Some(help.into()));
                continue;
            }
            let node = self.node(value);
            match &node.kind {
                Kind::Map(named) if !named.is_empty() => {
                    for (name, name_span, policy) in self.entries(named) {
                        let policy_node = self.node(policy);
                        let name = Some(Spanned::new(name.to_owned(), name_span));
                        if let Kind::Map(body) = &policy_node.kind {
                            let body = self.entries(body);
                            out.push(self.policy(name, policy_node.span, &body, &keys::names()));
                        } else {
                            let message =
                                format!("expected a policy mapping, found {}", describe(policy_node));
                            let help = "write the policy's keys indented under its name".to_owned();
                            self.error(Check::InvalidSyntax, policy_node.span, message, Some(help));
                        }
                    }
                }
                _ if is_null(node) || matches!(&node.kind, Kind::Map(_)) => {
                    self.diags.push(no_policy(key_span))
                }
                _ => {
                    let message = format!(
                        "`policies` expects a mapping of names to policies, found {}",
                        describe(node)
                    );
                    let help = "write `policies:` then `  api:` then the policy's keys, indented further";
                    self.error(Check::InvalidSyntax, node.span, message, Some(help.into()));
                }
            }
        }
    }

    /// The entries of a mapping with a string key, reporting other keys and duplicates.
    fn entries(&mut self, entries: &[(usize, usize)]) -> Vec<Entry<'a>> {
        let mut out: Vec<Entry<'a>> = Vec::with_capacity(entries.len());
        let mut seen: HashMap<&str, Span> = HashMap::with_capacity(entries.len());
        for &(key, value) in entries {
            let node = self.node(key);
            let text = match &node.kind {
                Kind::Scalar(text, _) if !is_null(node) => text.as_str(),
                _ => {
                    let message = format!("keys must be strings, found {}", describe(node));
                    self.error(Check::InvalidSyntax, node.span, message, None);
                    continue;
                }
            };
            if let Some(first) = seen.get(text) {
                self.diags.push(ast::duplicate_key(text, node.span, *first));
                continue;
            }
            seen.insert(text, node.span);
            out.push((text, node.span, value));
        }
        out
    }

    fn policy(
        &mut self,
        name: Option<Spanned<String>>,
        span: Span,
        entries: &[Entry<'a>],
        candidates: &[&str],
    ) -> PolicyAst {
        let mut p = PolicyAst::empty(name, span);
        for &(key, key_span, value) in entries {
            if let Some(known) = keys::key(key) {
                if let Some(read) = self.read(known.name, known.shape, value) {
                    (known.set)(&mut p, read);
                }
                continue;
            }
            let mut diagnostic = ast::unknown_key(key, key_span, candidates);
            // `allow_origin:` or `policy:` (the list, misspelled): its did-you-mean is the
            // fix, and "allow_origins is missing" (CORS019) would only repeat it.
            if matches!(ast::did_you_mean(key, candidates), Some("allow_origins" | "policies")) {
                p.allow_origins.get_or_insert(Spanned::new(
                    vec![Spanned::new(OriginEntry::Unreadable, key_span)],
                    key_span,
                ));
            }
            if key == "<<" {
                diagnostic.help = Some(
                    "YAML merge keys are not supported; alias a whole value instead, such as \
                     `allow_origins: *origins`"
                        .to_owned(),
                );
            }
            self.diags.push(diagnostic);
        }
        p
    }

    /// The items of a list value; a YAML null is an empty list. Reports any other shape.
    fn list(&mut self, key: &str, index: usize) -> Option<(Span, &'a [usize])> {
        let node = self.node(index);
        match &node.kind {
            Kind::Seq(items) => Some((node.span, items)),
            _ if is_null(node) => Some((node.span, &[])),
            kind => {
                let example = match kind {
                    Kind::Scalar(text, ScalarStyle::Plain) => shorten(text),
                    _ => "...".into(),
                };
                let message = format!("expected a list for `{key}`, found {}", describe(node));
                let help = format!("write a list: `{key}: [{example}]`");
                self.error(Check::InvalidSyntax, node.span, message, Some(help));
                None
            }
        }
    }

    fn origins(&mut self, index: usize) -> Option<SpannedList<OriginEntry>> {
        // A value that is no list is one unreadable entry, not a missing list: its CORS048 says
        // what to write, and a second error (CORS019) would only repeat it.
        let Some((span, items)) = self.list("allow_origins", index) else {
            let span = self.node(index).span;
            return Some(Spanned::new(vec![Spanned::new(OriginEntry::Unreadable, span)], span));
        };
        let entries = items
            .iter()
            .map(|&item| {
                let span = self.node(item).span;
                self.origin(item).unwrap_or(Spanned::new(OriginEntry::Unreadable, span))
            })
            .collect();
        Some(Spanned::new(entries, span))
    }

    fn origin(&mut self, index: usize) -> Option<Spanned<OriginEntry>> {
        let node = self.node(index);
        let help = "write `- https://app.example.com`, `- regex: '^https://[a-z0-9-]+\\.example\\.com$'` or `- tenants: customer-domains`";
        match &node.kind {
            Kind::Scalar(text, style) if !text.is_empty() || *style != ScalarStyle::Plain => {
                let text = if is_null(node) { "null" } else { text };
                return Some(Spanned::new(OriginEntry::Literal(text.to_owned()), node.span));
            }
            Kind::Map(entries) if entries.len() > 1 && entries.iter().all(|(k, _)| self.is_regex_key(*k)) => {
                let second = self.node(entries[1].0).span;
                let message = "`regex` is given twice in one origin entry".to_owned();
                self.error(
                    Check::DuplicateKey,
                    second,
                    message,
                    Some("write one regex per list item".into()),
                );
                return None;
            }
            Kind::Map(entries) if entries.len() == 1 => {
                let key = self.node(entries[0].0);
                let value = self.node(entries[0].1);
                match (&key.kind, &value.kind) {
                    (Kind::Scalar(k, _), Kind::Scalar(regex, _)) if k == "regex" && !is_null(value) => {
                        return Some(Spanned::new(OriginEntry::Regex(regex.clone()), value.span));
                    }
                    (Kind::Scalar(k, _), Kind::Scalar(name, _)) if k == "tenants" && !is_null(value) => {
                        return Some(Spanned::new(OriginEntry::Tenants(name.clone()), value.span));
                    }
                    (Kind::Scalar(k, _), _) if k == "regex" || k == "tenants" => {
                        let message = format!("`{k}` expects a string, found {}", describe(value));
                        self.error(Check::InvalidSyntax, value.span, message, Some(help.into()));
                        return None;
                    }
                    (Kind::Scalar(k, _), _) => {
                        let help = match ast::did_you_mean(k, &["regex", "tenants"]) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => help.into(),
                        };
                        let message = format!("unknown origin entry key `{}`", shorten(k));
                        self.error(Check::InvalidSyntax, key.span, message, Some(help));
                        return None;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        let message =
            format!("an origin is a string, `regex: '...'` or `tenants: name`, found {}", describe(node));
        self.error(Check::InvalidSyntax, node.span, message, Some(help.into()));
        None
    }

    fn is_regex_key(&self, index: usize) -> bool {
        matches!(&self.node(index).kind, Kind::Scalar(k, _) if k == "regex")
    }

    fn strings(&mut self, key: &str, index: usize) -> Option<SpannedList<String>> {
        let (span, items) = self.list(key, index)?;
        let mut out = Vec::with_capacity(items.len());
        for &item in items {
            let node = self.node(item);
            match &node.kind {
                Kind::Scalar(text, style) if !text.is_empty() || *style != ScalarStyle::Plain => {
                    out.push(Spanned::new(text.clone(), node.span));
                }
                _ => {
                    let message = format!("`{key}` items are strings, found {}", describe(node));
                    let help = format!("write one name per item: `{key}: [a, b]`");
                    self.error(Check::InvalidSyntax, node.span, message, Some(help));
                }
            }
        }
        Some(Spanned::new(out, span))
    }

    /// A key's value, read for its shape.
    fn read(&mut self, key: &str, shape: Shape, index: usize) -> Option<Value> {
        match shape {
            Shape::Origins => self.origins(index).map(Value::Origins),
            Shape::Names => self.strings(key, index).map(Value::Names),
            Shape::Bool => self.boolean(key, index).map(Value::Bool),
            Shape::Integer { check, example } => self.integer(key, index, check, example).map(Value::Integer),
            Shape::Warnings => self.allowed_warnings(index).map(Value::Warnings),
            Shape::Text => self.text(key, index).map(Value::Text),
        }
    }

    fn text(&mut self, key: &str, index: usize) -> Option<Spanned<String>> {
        let node = self.node(index);
        match &node.kind {
            Kind::Scalar(text, _) if !is_null(node) => Some(Spanned::new(text.clone(), node.span)),
            _ => {
                let message = format!("expected a string for `{key}`, found {}", describe(node));
                self.error(
                    Check::InvalidSyntax,
                    node.span,
                    message,
                    Some(format!("write `{key}: shop.example.com`")),
                );
                None
            }
        }
    }

    /// `allow_warnings: { CORS006: reason, ... }`.
    fn allowed_warnings(&mut self, index: usize) -> Option<SpannedList<ast::AllowedWarning>> {
        let node = self.node(index);
        let span = node.span;
        let Kind::Map(pairs) = &node.kind else {
            let message = format!(
                "expected a mapping of warning codes to reasons for `allow_warnings`, found {}",
                describe(node)
            );
            let help = "write `allow_warnings: { CORS006: \"why it does not apply here\" }`".to_owned();
            self.error(Check::InvalidSyntax, span, message, Some(help));
            return None;
        };
        let pairs = pairs.clone();
        let mut out = Vec::new();
        for (code, code_span, value) in self.entries(&pairs) {
            let value_node = self.node(value);
            match &value_node.kind {
                Kind::Scalar(reason, _) if !is_null(value_node) => out.push(Spanned::new(
                    ast::AllowedWarning {
                        code: Spanned::new(code.to_owned(), code_span),
                        reason: Spanned::new(reason.clone(), value_node.span),
                    },
                    code_span,
                )),
                _ => {
                    let message = format!("`{code}` needs a reason: why does the warning not apply here?");
                    let help = format!("write `{code}: \"subdomains are ours, no user content\"`");
                    self.error(Check::InvalidSyntax, value_node.span, message, Some(help));
                }
            }
        }
        Some(Spanned::new(out, span))
    }

    fn boolean(&mut self, key: &str, index: usize) -> Option<Spanned<bool>> {
        let node = self.node(index);
        if let Kind::Scalar(text, ScalarStyle::Plain) = &node.kind {
            match text.as_str() {
                "true" | "True" | "TRUE" => return Some(Spanned::new(true, node.span)),
                "false" | "False" | "FALSE" => return Some(Spanned::new(false, node.span)),
                _ => {}
            }
        }
        let message = format!("expected true or false for `{key}`, found {}", describe(node));
        let help = format!("write `{key}: true` or `{key}: false`, without quotes");
        self.error(Check::InvalidSyntax, node.span, message, Some(help));
        None
    }

    fn integer(&mut self, key: &str, index: usize, check: Check, example: &str) -> Option<Spanned<i64>> {
        let node = self.node(index);
        let (message, help) = match &node.kind {
            Kind::Scalar(text, ScalarStyle::Plain) if is_decimal(text) => match text.parse() {
                Ok(n) => return Some(Spanned::new(n, node.span)),
                Err(_) => (
                    format!("`{key}` is out of range: `{}`", shorten(text)),
                    format!("write `{key}: {example}`"),
                ),
            },
            Kind::Scalar(text, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
                if is_decimal(text.trim()) =>
            {
                (
                    format!("`{key}` expects a number, found {}", describe(node)),
                    format!("remove the quotes: `{key}: {}`", text.trim()),
                )
            }
            _ => (
                format!("`{key}` expects a whole number, found {}", describe(node)),
                format!("write `{key}: {example}`"),
            ),
        };
        self.error(check, node.span, message, Some(help));
        None
    }
}

/// A YAML 1.2 core-schema null: a plain `null`, `~`, or nothing at all.
fn is_null(node: &Node) -> bool {
    matches!(&node.kind, Kind::Scalar(t, ScalarStyle::Plain) if matches!(t.as_str(), "" | "~" | "null" | "Null" | "NULL"))
}

fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// How a node reads in a message: "a list", "`yes`", "the quoted string \"600\"".
fn describe(node: &Node) -> String {
    match &node.kind {
        Kind::Seq(_) => "a list".into(),
        Kind::Map(_) => "a mapping".into(),
        _ if is_null(node) => "no value".into(),
        Kind::Scalar(text, ScalarStyle::Plain) => format!("`{}`", shorten(text)),
        Kind::Scalar(text, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) => {
            format!("the quoted string \"{}\"", shorten(text))
        }
        Kind::Scalar(..) => "a block string".into(),
    }
}

/// At most 40 characters of `text`, for messages.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (code, line, column) of every diagnostic.
    fn found(text: &str) -> Vec<(&'static str, u32, u32)> {
        parse(text).diagnostics.iter().map(|d| at(d, d.check.code())).collect()
    }

    fn at(d: &Diagnostic, code: &'static str) -> (&'static str, u32, u32) {
        let (line, col) = d.span.line_column().unwrap_or_default();
        (code, line, col)
    }

    fn one(text: &str) -> Diagnostic {
        let mut parsed = parse(text);
        assert_eq!(parsed.diagnostics.len(), 1, "{:#?}", parsed.diagnostics);
        parsed.diagnostics.remove(0)
    }

    fn strings(list: &Option<SpannedList<String>>) -> Vec<&str> {
        list.as_ref().map(|l| l.value.iter().map(|s| s.value.as_str()).collect()).unwrap_or_default()
    }

    fn text_at(text: &str, span: Span) -> &str {
        match span {
            Span::File { start, end, .. } => &text[start..end],
            _ => "",
        }
    }

    #[test]
    fn full_example() {
        let text = "allow_origins:
  - https://app.example.com
  - https://*.example.com
  - http://localhost:*
  - regex: '^https://pr-[0-9]+\\.preview\\.example\\.com$'
allow_methods: [GET, POST, PUT, DELETE]
allow_headers: [content-type, authorization]
expose_headers: [x-request-id]
allow_credentials: true
max_age: 600
allow_private_network: false
";
        let parsed = parse(text);
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let [p] = &parsed.policies[..] else { panic!("{:#?}", parsed.policies) };
        assert!(p.name.is_none());
        let origins: Vec<_> =
            p.allow_origins.as_ref().unwrap().value.iter().map(|o| o.value.clone()).collect();
        assert_eq!(
            origins,
            [
                OriginEntry::Literal("https://app.example.com".into()),
                OriginEntry::Literal("https://*.example.com".into()),
                OriginEntry::Literal("http://localhost:*".into()),
                OriginEntry::Regex("^https://pr-[0-9]+\\.preview\\.example\\.com$".into()),
            ]
        );
        let regex = &p.allow_origins.as_ref().unwrap().value[3];
        assert_eq!(regex.span.line_column(), Some((5, 12)));
        assert!(text_at(text, regex.span).starts_with("'^https"));
        assert_eq!(strings(&p.allow_methods), ["GET", "POST", "PUT", "DELETE"]);
        assert_eq!(strings(&p.allow_headers), ["content-type", "authorization"]);
        assert_eq!(strings(&p.expose_headers), ["x-request-id"]);
        assert_eq!(p.allow_methods.as_ref().unwrap().value[1].span.line_column(), Some((6, 22)));
        assert!(p.allow_credentials.as_ref().unwrap().value);
        assert_eq!(p.max_age.as_ref().unwrap().value, 600);
        assert_eq!(p.max_age.as_ref().unwrap().span.line_column(), Some((10, 10)));
        assert!(!p.allow_private_network.as_ref().unwrap().value);
        assert!(p.preflight_status.is_none() && p.dangerously_allow_insecure_origins.is_none());
        assert_eq!(p.span.line_column(), Some((1, 1)));
    }

    #[test]
    fn unknown_key_suggests() {
        let d = one("allow_methods: [GET]\nmax_age: 10\nallow_orgins: [https://a.example]\n");
        assert_eq!(at(&d, "CORS047"), ("CORS047", 3, 1));
        assert_eq!(d.check, Check::UnknownKey);
        assert_eq!(d.message, "unknown key `allow_orgins`");
        assert_eq!(d.help.as_deref(), Some("did you mean `allow_origins`?"));
        let d = one("allow_origins: [https://a.example]\ncolour: red\n");
        assert!(d.help.unwrap().contains("allow_origins, allow_methods"));
    }

    #[test]
    fn all_errors_reported() {
        let text = "allow_origins: [https://a.example]\nallow_credentials: yes\nmax_age: 10m\nvary: false\n";
        assert_eq!(found(text), [("CORS048", 2, 20), ("CORS039", 3, 10), ("CORS044", 4, 1)]);
        let d = &parse(text).diagnostics[2];
        assert!(d.message.contains("cache") && d.help.as_deref().unwrap().starts_with("remove the key"));
        // The good values are still there for later checks.
        assert_eq!(parse(text).policies[0].allow_origins.as_ref().unwrap().value.len(), 1);
    }

    #[test]
    fn named_policies_with_alias() {
        let text = "policies:
  api:
    allow_origins: &origins
      - https://app.example.com
  admin:
    allow_origins: *origins
    allow_credentials: true
";
        let parsed = parse(text);
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let names: Vec<_> = parsed.policies.iter().map(|p| p.name.as_ref().unwrap().value.as_str()).collect();
        assert_eq!(names, ["api", "admin"]);
        assert_eq!(parsed.policies[1].name.as_ref().unwrap().span.line_column(), Some((5, 3)));
        assert_eq!(parsed.policies[1].span.line_column(), Some((6, 5)));
        for p in &parsed.policies {
            let origins = &p.allow_origins.as_ref().unwrap().value;
            assert_eq!(origins[0].value, OriginEntry::Literal("https://app.example.com".into()));
        }
    }

    #[test]
    fn policies_shape_errors() {
        assert_eq!(found("policies:\n  a:\n    max_age: 1\nmax_age: 5\n"), [("CORS048", 4, 1)]);
        assert_eq!(found("policies:\nalow: 1\n"), [("CORS051", 1, 1), ("CORS047", 2, 1)]);
        assert_eq!(found("policies: {}\n"), [("CORS051", 1, 1)]);
        assert_eq!(found("policies:\n  a: 5\n"), [("CORS048", 2, 6)]);
        assert_eq!(found("policies: [a]\n"), [("CORS048", 1, 11)]);
        assert_eq!(found(""), [("CORS051", 1, 1)]);
        assert_eq!(found("# nothing\n"), [("CORS051", 1, 1)]);
        assert_eq!(found("---\n"), [("CORS051", 1, 1)]);
        assert_eq!(found("- a\n"), [("CORS048", 1, 1)]);
        assert_eq!(one("polices:\n  a: {}\n").help.as_deref(), Some("did you mean `policies`?"));
    }

    #[test]
    fn duplicate_keys() {
        let d = one("max_age: 1\nallow_origins: []\nmax_age: 2\n");
        assert_eq!(at(&d, "CORS050"), ("CORS050", 3, 1));
        assert_eq!(d.check, Check::DuplicateKey);
        assert!(d.message.contains("line 1"), "{}", d.message);
        assert_eq!(parse("max_age: 1\nmax_age: 2\n").policies[0].max_age.as_ref().unwrap().value, 1);
        assert_eq!(found("policies:\n  a: {}\n  a: {}\n"), [("CORS050", 3, 3)]);
    }

    #[test]
    fn non_string_keys() {
        assert_eq!(found("[a]: 1\nmax_age: 2\n"), [("CORS048", 1, 1)]);
        assert_eq!(found("~: 1\n"), [("CORS048", 1, 1)]);
    }

    #[test]
    fn booleans() {
        let p = &parse("allow_credentials: TRUE\ndangerously_allow_insecure_origins: False\n").policies[0];
        assert!(p.allow_credentials.as_ref().unwrap().value);
        assert!(!p.dangerously_allow_insecure_origins.as_ref().unwrap().value);
        for bad in ["\"true\"", "yes", "1", "[true]"] {
            let d = one(&format!("allow_credentials: {bad}\n"));
            assert_eq!(at(&d, "CORS048"), ("CORS048", 1, 20), "{bad}");
            assert!(d.message.starts_with("expected true or false"), "{}", d.message);
            assert!(d.help.unwrap().contains("allow_credentials: true"));
        }
    }

    #[test]
    fn integers() {
        let p = &parse("max_age: -1\npreflight_status: 200\n").policies[0];
        assert_eq!(p.max_age.as_ref().unwrap().value, -1);
        assert_eq!(p.preflight_status.as_ref().unwrap().value, 200);
        for bad in ["600.5", "\"600\"", "10m", "99999999999999999999", "[1]"] {
            let d = one(&format!("max_age: {bad}\n"));
            assert_eq!((d.check, d.span.line_column()), (Check::InvalidMaxAge, Some((1, 10))), "{bad}");
        }
        assert_eq!(one("max_age: '600'\n").help.as_deref(), Some("remove the quotes: `max_age: 600`"));
        assert_eq!(found("preflight_status: ok\n"), [("CORS048", 1, 19)]);
    }

    #[test]
    fn lists() {
        let d = one("allow_methods: GET\n");
        assert_eq!(at(&d, "CORS048"), ("CORS048", 1, 16));
        assert!(d.message.starts_with("expected a list"));
        assert_eq!(d.help.as_deref(), Some("write a list: `allow_methods: [GET]`"));
        let p = &parse("allow_methods: ['*', PATCH, 1]\nallow_headers:\n").policies[0];
        assert_eq!(strings(&p.allow_methods), ["*", "PATCH", "1"]);
        assert_eq!(strings(&p.allow_headers), Vec::<&str>::new());
        assert_eq!(found("expose_headers: [a, [b], {c: d}]\n"), [("CORS048", 1, 21), ("CORS048", 1, 26)]);
        assert_eq!(found("allow_origins: https://a.example\n"), [("CORS048", 1, 16)]);
    }

    #[test]
    fn origin_entries() {
        let text = "allow_origins:\n  - null\n  - ~\n  - 'null'\n  - [x]\n  - {regex: [x]}\n  - {regx: a}\n  - {regex: a, b: c}\n";
        let parsed = parse(text);
        let entries: Vec<_> = parsed.policies[0]
            .allow_origins
            .as_ref()
            .unwrap()
            .value
            .iter()
            .map(|e| e.value.clone())
            .collect();
        // Unreadable entries stay in the list (reported once, here), so it does not look empty.
        let null = || OriginEntry::Literal("null".into());
        assert_eq!(
            entries,
            [
                null(),
                null(),
                null(),
                OriginEntry::Unreadable,
                OriginEntry::Unreadable,
                OriginEntry::Unreadable,
                OriginEntry::Unreadable
            ]
        );
        let codes: Vec<_> = parsed.diagnostics.iter().map(|d| at(d, d.check.code())).collect();
        assert_eq!(codes, [("CORS048", 5, 5), ("CORS048", 6, 13), ("CORS048", 7, 6), ("CORS048", 8, 5)]);
        assert_eq!(parsed.diagnostics[2].help.as_deref(), Some("did you mean `regex`?"));
        let p = &parse("allow_origins:\n").policies[0];
        assert!(p.allow_origins.as_ref().unwrap().value.is_empty());
    }

    #[test]
    fn columns_count_characters() {
        let text = "allow_headers: [\"é\", [x]]\n";
        let d = one(text);
        assert_eq!(d.span.line_column(), Some((1, 22)));
        assert_eq!(text_at(text, d.span), "[x]");
        // A byte-order mark is not a column.
        let text = "\u{feff}colour: red\n";
        let d = one(text);
        assert_eq!((d.span.line_column(), text_at(text, d.span)), (Some((1, 1)), "colour"));
    }

    #[test]
    fn tabs_in_indentation() {
        let d = one("allow_origins:\n\t- https://a.example.com\n");
        assert_eq!((d.check, d.span.line_column()), (Check::InvalidSyntax, Some((2, 1))));
        assert!(
            d.message.contains("tab") && d.help.as_deref() == Some("replace the tab with spaces"),
            "{d:?}"
        );
    }

    #[test]
    fn syntax_errors() {
        let d = one("allow_origins: [a\nmax_age: 1: 2\n");
        assert_eq!(d.check, Check::InvalidSyntax);
        assert!(d.message.starts_with("invalid YAML: "), "{}", d.message);
        assert_eq!(found("a: 1\nb: c: d\n"), [("CORS048", 2, 5)]);
        assert_eq!(found("allow_origins: *nope\n"), [("CORS048", 1, 16)]);
        assert_eq!(found("allow_origins: &a [*a]\n"), [("CORS048", 1, 20)]);
        assert_eq!(found("max_age: !!str 600\n"), [("CORS048", 1, 10)]);
        assert_eq!(found("max_age: 1\n---\nmax_age: 2\n"), [("CORS048", 2, 1)]);
        assert_eq!(found("<<: {max_age: 1}\n")[0], ("CORS047", 1, 1));
    }

    #[test]
    fn too_large() {
        let limits = Limits { max_bytes: 10, ..Limits::default() };
        let parsed = parse_with_limits("max_age: 600\n", &limits);
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(at(&parsed.diagnostics[0], "CORS048"), ("CORS048", 1, 1));
        let big = "#".repeat((1 << 20) + 1);
        assert!(parse(&big).diagnostics[0].message.contains("limited to 1 MiB"));
    }

    #[test]
    fn alias_bomb() {
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let start = std::time::Instant::now();
        let parsed = parse(&text);
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(parsed.diagnostics.len(), 1);
        let d = &parsed.diagnostics[0];
        assert!(d.message.contains("100000 YAML nodes"), "{}", d.message);
        assert_eq!(at(d, "CORS048").1, 5); // in `e`, whose expansion crosses 100 000 nodes
        assert!(parsed.policies.is_empty());
    }

    #[test]
    fn deep_nesting() {
        // saphyr scans flow collections ahead of its events and refuses more than 255 open ones
        // itself; block nesting and shallower flow nesting meet our own limit.
        for (text, message) in [
            (format!("allow_origins: {}", "[".repeat(10_000)), "invalid YAML: recursion limit exceeded"),
            (format!("a: {}", "{a: ".repeat(10_000)), "64 deep"),
            (
                format!("a:\n{}", (0..200).map(|i| format!("{}- \n", " ".repeat(i))).collect::<String>()),
                "64 deep",
            ),
            ("- ".repeat(10_000), "64 deep"),
            (format!("a: {}{}", "[".repeat(100), "]".repeat(100)), "64 deep"),
        ] {
            let parsed = parse(&text);
            assert_eq!(parsed.diagnostics.len(), 1, "{:#?}", parsed.diagnostics);
            assert!(parsed.diagnostics[0].message.contains(message), "{}", parsed.diagnostics[0].message);
            assert!(parsed.policies.is_empty());
        }
        // The root mapping is level 1, so the 64th `[` is the first too many.
        assert_eq!(found(&format!("a: {}{}", "[".repeat(100), "]".repeat(100))), [("CORS048", 1, 67)]);
    }

    #[test]
    fn many_keys_stay_linear() {
        // Linear, not timed: byte offsets of non-ASCII text are found by walking forward from
        // the previous position, and each diagnostic still lands on its own key.
        let text: String = (0..20_000).map(|i| format!("k{i}é: 1\n")).collect();
        let parsed = parse(&text);
        assert_eq!(parsed.diagnostics.len(), 20_000);
        let last = &parsed.diagnostics[19_999];
        assert_eq!(last.span.line_column(), Some((20_000, 1)));
        assert_eq!(text_at(&text, last.span), "k19999é");
    }

    #[test]
    fn invalid_utf8() {
        let parsed = parse_bytes(b"max_age: 1\nallow_origins: [\"h\xc3\xa9\xff\"]\n");
        assert_eq!(parsed.diagnostics.len(), 1);
        let d = &parsed.diagnostics[0];
        assert_eq!(at(d, "CORS048"), ("CORS048", 2, 20));
        assert!(d.message.contains("0xFF"));
        assert!(parse_bytes(b"max_age: 600\n").diagnostics.is_empty());
    }
}
