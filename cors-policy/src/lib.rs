//! The cors-policy compiler.
//!
//! It reads a CORS policy from YAML (`yaml`), from `cors_policy!` tokens (`tokens`) or from a
//! `serde` configuration value (`config`), runs every check of the [`catalog`] on it
//! ([`valid`]), and turns what passes into one [`compiled::Policy`]: the runtime's tables, which
//! it lends to the runtime's own evaluation and emits as Rust code. Every problem is a
//! [`Diagnostic`] with the location of the value the user wrote.
//!
//! # Features
//!
//! * `codegen` (default): Rust code for `cors_policy!` and `build.rs` (syn, quote, proc-macro2).
//! * `yaml` (default, implied by `codegen`): policy files in YAML.
//! * `serde`: policies inside the application's own configuration (`config::PolicyConfig`).
//!   With `default-features = false, features = ["serde"]` the compiler builds no proc macro,
//!   for servers that load policies at run time.
//!
//! ```
//! let compilation = cors_policy::compile_yaml("allow_origins: ['*']\nallow_credentials: true\n");
//! let error = &compilation.diagnostics[0];
//! assert_eq!(error.check.code(), "CORS001");
//! assert_eq!(error.span.line_column(), Some((1, 17)));
//! assert!(compilation.policies.is_empty());
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ast;
#[cfg(feature = "codegen")]
pub mod build;
pub mod catalog;
pub mod compiled;
#[cfg(feature = "serde")]
pub mod config;
pub mod diagnostic;
#[cfg(feature = "yaml")]
pub mod docs;
pub mod keys;
pub mod origin;
pub mod psl;
pub mod regex;
pub mod render;
pub mod schema;
pub mod tables;
#[cfg(feature = "codegen")]
pub mod tokens;
pub mod trust;
pub mod valid;
#[cfg(feature = "yaml")]
pub mod yaml;

pub use catalog::{Check, Severity};
pub use diagnostic::{Diagnostic, Span};

use ast::PolicyAst;

/// The outcome of compiling one source: the policies without errors, and every diagnostic.
#[derive(Debug, Default)]
pub struct Compilation {
    /// The tables of every policy that has no error. A source that cannot be read as a whole
    /// (a YAML error) yields none.
    pub policies: Vec<compiled::Policy>,
    /// Every diagnostic; for a file, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    /// `true` if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        diagnostic::has_errors(&self.diagnostics)
    }

    /// Checks and compiles the policies of a parsed YAML file.
    #[cfg(feature = "yaml")]
    pub fn from_parsed(parsed: yaml::ParsedFile) -> Self {
        let mut compilation = compile(&parsed.policies);
        // A policy with a reading error (a wrong type, an unknown key) was read incompletely:
        // it gets no tables. An error outside every policy (a syntax error) poisons them all.
        let mut poisoned: Vec<Option<&str>> = Vec::new();
        for error in parsed.diagnostics.iter().filter(|d| d.is_error()) {
            let Span::File { start: at, .. } = error.span else { continue };
            let owner = parsed
                .policies
                .iter()
                .find(|p| matches!(p.span, Span::File { start, end, .. } if start <= at && at < end));
            match owner {
                Some(policy) => poisoned.push(policy.name.as_ref().map(|n| n.value.as_str())),
                None => {
                    compilation.policies.clear();
                    break;
                }
            }
        }
        compilation.policies.retain(|t| !poisoned.contains(&t.name.as_deref()));
        let mut diagnostics = parsed.diagnostics;
        diagnostics.append(&mut compilation.diagnostics);
        // Stable: diagnostics at one place keep the order in which the checks found them.
        diagnostics.sort_by_key(|d| d.span.range().map_or(0, |r| r.start));
        compilation.diagnostics = diagnostics;
        compilation
    }

    /// The policy named `name`, or the only policy when `name` is `None`.
    pub fn policy(&self, name: Option<&str>) -> Option<&compiled::Policy> {
        match name {
            Some(name) => self.policies.iter().find(|t| t.name.as_deref() == Some(name)),
            None if self.policies.len() == 1 => self.policies.first(),
            None => None,
        }
    }
}

/// Checks policies and builds the tables of those without errors.
pub fn compile(policies: &[PolicyAst]) -> Compilation {
    let mut compilation = Compilation::default();
    check_names(policies, &mut compilation.diagnostics);
    for policy in policies {
        let (checked, mut diagnostics) = valid::check(policy);
        compilation.diagnostics.append(&mut diagnostics);
        if let Some(checked) = checked {
            compilation.policies.push(checked);
        }
    }
    compilation
}

/// `CORS053`: every policy name becomes one `pub static` ([`static_name`]), so it must
/// start with a letter, hold only ASCII letters, digits, `-` and `_`, and differ from every other
/// name once converted (`app-api` and `app_api`, or `app` and `APP`, would be one static).
fn check_names(policies: &[PolicyAst], out: &mut Vec<Diagnostic>) {
    let mut seen: std::collections::HashMap<String, &ast::Spanned<String>> = std::collections::HashMap::new();
    for name in policies.iter().filter_map(|p| p.name.as_ref()) {
        let text = name.value.as_str();
        let valid = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            out.push(
                Diagnostic::error(
                    Check::InvalidPolicyName,
                    name.span,
                    format!("the policy name `{}` cannot become the name of a Rust `static`", text.escape_debug()),
                )
                .with_help("start with a letter and use only letters, digits, `-` and `_`, e.g. `app` or `public-api`"),
            );
            continue;
        }
        let ident = static_name(text);
        match seen.get(&ident) {
            Some(first) => {
                let at = first
                    .span
                    .line_column()
                    .map_or(String::new(), |(l, c)| format!(" (line {l}, column {c})"));
                out.push(
                    Diagnostic::error(
                        Check::InvalidPolicyName,
                        name.span,
                        format!(
                            "the policy names `{}`{at} and `{text}` both become `pub static {ident}`",
                            first.value
                        ),
                    )
                    .with_help("rename one of them"),
                );
            }
            None => {
                seen.insert(ident, name);
            }
        }
    }
}

/// The `pub static` a policy name becomes: `app-api` becomes `APP_API`. Names are checked
/// (`CORS053`) to make one valid, distinct identifier each.
pub fn static_name(name: &str) -> String {
    let mut out: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Reads a policy file, but never more than one byte past the YAML size limit, so that a huge
/// file (or a path to `/dev/zero`) is refused by [`yaml::parse_bytes`] after bounded work.
#[cfg(feature = "yaml")]
pub fn read_policy_file(path: impl AsRef<std::path::Path>) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let limit = yaml::Limits::default().max_bytes as u64 + 1;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Parses, checks and compiles a YAML policy file.
#[cfg(feature = "yaml")]
pub fn compile_yaml(text: &str) -> Compilation {
    Compilation::from_parsed(yaml::parse(text))
}
