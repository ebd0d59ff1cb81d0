//! The policy as the user wrote it, with a span on every value.
//!
//! Both front ends (`yaml` and `tokens`) produce these types; the checks and the code generator
//! read only these, so a rule is written once for both syntaxes.

use crate::catalog::Check;
use crate::diagnostic::{Diagnostic, Span};

/// A value and where it was written.
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// One entry of `allow_origins`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OriginEntry {
    /// A string: an exact origin, `*`, or a `*.`/`:*` pattern.
    Literal(String),
    /// `regex: '...'` in YAML, `regex("...")` in the macro: a full-match regular expression.
    Regex(String),
    /// `tenants: name` in YAML, `tenants("name")` in the macro: the exact origins of a set that
    /// the application fills at run time, each checked when it is inserted.
    Tenants(String),
    /// An entry the front end could not read and already reported; it keeps the list from
    /// looking empty to the checks.
    Unreadable,
}

/// A list value (`[a, b]`) with a span for the whole list and one per item.
pub type SpannedList<T> = Spanned<Vec<Spanned<T>>>;

/// One policy, as written.
#[derive(Clone, Debug)]
pub struct PolicyAst {
    /// The name under `policies:`; `None` for a file or invocation holding a single policy.
    pub name: Option<Spanned<String>>,
    /// The whole policy (mapping or invocation), for diagnostics about a missing key.
    pub span: Span,
    /// `allow_origins` (required, non-empty).
    pub allow_origins: Option<SpannedList<OriginEntry>>,
    /// `allow_methods`.
    pub allow_methods: Option<SpannedList<String>>,
    /// `allow_headers`.
    pub allow_headers: Option<SpannedList<String>>,
    /// `expose_headers`.
    pub expose_headers: Option<SpannedList<String>>,
    /// `allow_credentials` (default false).
    pub allow_credentials: Option<Spanned<bool>>,
    /// `max_age` in seconds; kept signed so a negative value can be reported, not lost.
    pub max_age: Option<Spanned<i64>>,
    /// `allow_private_network` (default false).
    pub allow_private_network: Option<Spanned<bool>>,
    /// `preflight_status` (default 204).
    pub preflight_status: Option<Spanned<i64>>,
    /// `dangerously_allow_insecure_origins`: accept plain-http origins with credentials.
    pub dangerously_allow_insecure_origins: Option<Spanned<bool>>,
    /// `dangerously_allow_public_suffix_subdomains`: accept `*.` patterns on public suffixes.
    pub dangerously_allow_public_suffix_subdomains: Option<Spanned<bool>>,
    /// `allow_warnings`: warning codes turned into notes, each with the reason the user gave.
    pub allow_warnings: Option<SpannedList<AllowedWarning>>,
    /// `protect_writes`: refuse cross-origin unsafe requests before the handler runs.
    pub protect_writes: Option<Spanned<bool>>,
    /// `write_origins`: origins trusted to write cross-origin, besides `allow_origins`.
    pub write_origins: Option<SpannedList<OriginEntry>>,
    /// `write_exempt_paths`: paths (or `/prefix/*`) that `protect_writes` does not check.
    pub write_exempt_paths: Option<SpannedList<String>>,
    /// `public_host`: the host and port browsers see, when a proxy rewrites `Host`.
    pub public_host: Option<Spanned<String>>,
}

/// One entry of `allow_warnings`: `CORS006: "subdomains are ours"`.
#[derive(Clone, Debug)]
pub struct AllowedWarning {
    /// The code, as written, where it was written.
    pub code: Spanned<String>,
    /// Why the warning does not apply here.
    pub reason: Spanned<String>,
}

impl PolicyAst {
    /// A policy with no keys set.
    pub fn empty(name: Option<Spanned<String>>, span: Span) -> Self {
        PolicyAst {
            name,
            span,
            allow_origins: None,
            allow_methods: None,
            allow_headers: None,
            expose_headers: None,
            allow_credentials: None,
            max_age: None,
            allow_private_network: None,
            preflight_status: None,
            dangerously_allow_insecure_origins: None,
            dangerously_allow_public_suffix_subdomains: None,
            allow_warnings: None,
            protect_writes: None,
            write_origins: None,
            write_exempt_paths: None,
            public_host: None,
        }
    }
}

/// Keys that users of other libraries write to turn `Vary: Origin` off; they get `CORS044`
/// instead of a plain unknown-key error.
pub const VARY_KEYS: &[&str] = &["vary", "disable_vary", "disable_vary_header", "vary_header"];

/// `true` for a key that asks to turn `Vary: Origin` off (any case, `-` or `_`).
pub fn is_vary_key(key: &str) -> bool {
    VARY_KEYS.contains(&key.to_ascii_lowercase().replace('-', "_").as_str())
}

/// The diagnostic for a key the language does not have, shared by both front ends: a key that
/// turns `Vary` off gets `CORS044`, any other `CORS047` with the closest of `candidates`.
pub fn unknown_key(key: &str, span: Span, candidates: &[&str]) -> Diagnostic {
    if is_vary_key(key) {
        return Diagnostic::error(
            Check::VaryDisabled,
            span,
            "`Vary: Origin` cannot be turned off: the response depends on the Origin header, so without \
             it a shared cache could serve one origin's `Access-Control-Allow-Origin` to another origin, \
             or a response without it to a CORS request (cache poisoning)",
        )
        .with_help(
            "remove the key; cors-policy adds `Vary: Origin` whenever the response depends on the Origin header",
        );
    }
    let help = match did_you_mean(key, candidates) {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => format!("the keys are {}", candidates.join(", ")),
    };
    Diagnostic::error(Check::UnknownKey, span, format!("unknown key `{key}`")).with_help(help)
}

/// `CORS050`, in the words both front ends use: `key` is given again at `span`.
pub fn duplicate_key(key: &str, span: Span, first: Span) -> Diagnostic {
    let at = first
        .line_column()
        .map_or(String::new(), |(line, column)| format!(" (first on line {line}, column {column})"));
    Diagnostic::error(Check::DuplicateKey, span, format!("`{key}` is given twice{at}"))
        .with_help("remove one of the two")
}

/// The closest known key to `word`, if one is close enough to be a plausible typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_ascii_lowercase().replace('-', "_");
    let close = candidates
        .iter()
        .map(|c| (levenshtein(&word, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c);
    // A singular for a plural (`policy` for `policies`, `allow_origin`) is farther than a typo.
    close.or_else(|| {
        let stem = word.get(..word.len().saturating_sub(1)).filter(|s| s.len() >= 4)?;
        candidates.iter().copied().find(|c| c.starts_with(stem) && c.len() <= word.len() + 3)
    })
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(did_you_mean("allow_origin", &crate::keys::names()), Some("allow_origins"));
        assert_eq!(did_you_mean("allowed-methods", &crate::keys::names()), Some("allow_methods"));
        assert_eq!(did_you_mean("maxage", &crate::keys::names()), Some("max_age"));
        assert_eq!(did_you_mean("colour", &crate::keys::names()), None);
    }
}
