//! The `serde` front end: a policy inside the application's own configuration (TOML, JSON,
//! environment), checked by the same checks as a YAML file or `cors_policy!`.
//!
//! [`PolicyConfig`] deserializes from any self-describing format without stopping at the first
//! mistake: each value is read as plain data first, then by the shape its key asks for
//! (`keys::KEYS`), so that every unknown key and every value of the wrong type is reported at
//! once, together with the checks' findings. `serde` keeps no locations, so diagnostics name the
//! key and the list item instead ([`Span::Key`]).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use cors_policy::config::PolicyConfig;
//! let config: PolicyConfig = serde_json::from_str(r#"{
//!     "allow_origins": ["https://app.example.com", {"regex": "^https://pr-[0-9]+\\.preview\\.example\\.com$"}],
//!     "allow_methods": ["PUT"],
//!     "allow_credentials": true
//! }"#)?;
//! let policy = config.compile(Some("api")).map_err(|d| format!("{d:?}"))?;
//! assert!(policy.with_view(|p| p.evaluate(b"GET", &[("origin", "https://pr-7.preview.example.com")][..]).is_allowed()));
//!
//! let bad: PolicyConfig = serde_json::from_str(r#"{"allow_origins": ["*"], "allow_credentials": true, "max_agee": 600}"#)?;
//! let codes: Vec<&str> = bad.compile(None).unwrap_err().iter().map(|d| d.check.code()).collect();
//! assert_eq!(codes, ["CORS047", "CORS001"]);
//! # Ok(())
//! # }
//! ```

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::ast::{self, AllowedWarning, OriginEntry, PolicyAst, Spanned};
use crate::catalog::Check;
use crate::compiled;
use crate::diagnostic::{has_errors, Diagnostic, Span};
use crate::keys::{self, Shape, Value};

/// One policy as a configuration value: deserialize it, then [`PolicyConfig::compile`] it.
#[derive(Clone, Debug)]
pub struct PolicyConfig {
    policy: PolicyAst,
    /// What reading found: unknown keys and values of the wrong shape.
    diagnostics: Vec<Diagnostic>,
}

impl PolicyConfig {
    /// Checks the policy and compiles it, named `name` (what refusals and `tracing` events
    /// report).
    ///
    /// # Errors
    ///
    /// Every diagnostic, reading and checks together, when any of them is an error. Warnings
    /// and notes of a policy without errors are dropped; [`PolicyConfig::diagnostics`] has them.
    pub fn compile(&self, name: Option<&str>) -> Result<compiled::Policy, Vec<Diagnostic>> {
        let (policy, diagnostics) = self.check(name);
        policy.ok_or(diagnostics)
    }

    /// Every diagnostic of the policy, errors, warnings and notes, in the order found.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.check(None).1
    }

    fn check(&self, name: Option<&str>) -> (Option<compiled::Policy>, Vec<Diagnostic>) {
        let mut policy = self.policy.clone();
        policy.name = name.map(|n| Spanned::new(n.to_owned(), Span::Key { key: "", item: None }));
        let mut compilation = crate::compile(std::slice::from_ref(&policy));
        let mut diagnostics = self.diagnostics.clone();
        diagnostics.append(&mut compilation.diagnostics);
        let checked = if has_errors(&diagnostics) { None } else { compilation.policies.pop() };
        (checked, diagnostics)
    }
}

/// A configuration value as plain data, before its key's shape is applied.
enum Raw {
    Bool(bool),
    Int(i64),
    Str(String),
    Seq(Vec<Raw>),
    Map(Vec<(String, Raw)>),
    /// Anything else (a float, null, bytes), described for the message.
    Other(&'static str),
}

impl Raw {
    fn describe(&self) -> String {
        match self {
            Raw::Bool(b) => format!("`{b}`"),
            Raw::Int(n) => format!("`{n}`"),
            Raw::Str(s) => format!("the string {:?}", s.chars().take(40).collect::<String>()),
            Raw::Seq(_) => "a list".to_owned(),
            Raw::Map(_) => "a mapping".to_owned(),
            Raw::Other(what) => (*what).to_owned(),
        }
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a policy value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Other("a number out of range"), Raw::Int))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Raw, E> {
        Ok(Raw::Other("a fractional number"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Other("nothing (null)"))
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Other("nothing (null)"))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Other("bytes"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Raw>()? {
            entries.push((key, value));
        }
        Ok(Raw::Map(entries))
    }
}

impl<'de> Deserialize<'de> for PolicyConfig {
    /// # Errors
    ///
    /// Only what the format itself cannot read (invalid JSON, a value that is not a mapping).
    /// Unknown keys and values of the wrong type are diagnostics of the config, reported by
    /// [`PolicyConfig::compile`] with the checks.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Raw::Map(entries) = Raw::deserialize(deserializer)? else {
            return Err(de::Error::custom("a CORS policy is a mapping of keys such as `allow_origins`"));
        };
        let whole = Span::Key { key: "", item: None };
        let mut config = PolicyConfig { policy: PolicyAst::empty(None, whole), diagnostics: Vec::new() };
        let mut seen: Vec<&'static str> = Vec::new();
        for (name, raw) in entries {
            let Some(key) = keys::key(&name) else {
                config.diagnostics.push(ast::unknown_key(&name, whole, &keys::names()));
                continue;
            };
            let span = Span::Key { key: key.name, item: None };
            if seen.contains(&key.name) {
                config.diagnostics.push(ast::duplicate_key(key.name, span, span));
                continue;
            }
            seen.push(key.name);
            if let Some(value) = read(key.name, key.shape, raw, &mut config.diagnostics) {
                (key.set)(&mut config.policy, value);
            }
        }
        Ok(config)
    }
}

/// A value, read for the shape its key asks for; `None` (and a `CORS048`) when it has another.
fn read(key: &'static str, shape: Shape, raw: Raw, out: &mut Vec<Diagnostic>) -> Option<Value> {
    let span = Span::Key { key, item: None };
    let mut wrong = |expected: &str, raw: &Raw, item: Option<usize>| {
        out.push(
            Diagnostic::error(
                Check::InvalidSyntax,
                Span::Key { key, item },
                format!("`{key}` expects {expected}, found {}", raw.describe()),
            )
            .with_help(format!("see `cors-policy schema` for the shape of `{key}`")),
        );
    };
    match (shape, raw) {
        (Shape::Bool, Raw::Bool(b)) => Some(Value::Bool(Spanned::new(b, span))),
        (Shape::Text, Raw::Str(text)) => Some(Value::Text(Spanned::new(text, span))),
        (Shape::Integer { .. }, Raw::Int(n)) => Some(Value::Integer(Spanned::new(n, span))),
        (Shape::Names, Raw::Seq(items)) => {
            let mut names = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Raw::Str(s) => names.push(Spanned::new(s, Span::Key { key, item: Some(i) })),
                    other => wrong("a list of names", &other, Some(i)),
                }
            }
            Some(Value::Names(Spanned::new(names, span)))
        }
        (Shape::Origins, Raw::Seq(items)) => {
            let entries = items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let at = Span::Key { key, item: Some(i) };
                    let entry = match item {
                        Raw::Str(s) => OriginEntry::Literal(s),
                        Raw::Map(mut m) if m.len() == 1 && (m[0].0 == "regex" || m[0].0 == "tenants") => {
                            match m.pop() {
                                Some((k, Raw::Str(text))) if k == "regex" => OriginEntry::Regex(text),
                                Some((_, Raw::Str(name))) => OriginEntry::Tenants(name),
                                _ => {
                                    wrong(
                                        "`{\"regex\": \"...\"}` or `{\"tenants\": \"...\"}` with a string",
                                        &Raw::Other("another value"),
                                        Some(i),
                                    );
                                    OriginEntry::Unreadable
                                }
                            }
                        }
                        other => {
                            wrong(
                                "origins: strings, `{\"regex\": \"...\"}` or `{\"tenants\": \"...\"}`",
                                &other,
                                Some(i),
                            );
                            OriginEntry::Unreadable
                        }
                    };
                    Spanned::new(entry, at)
                })
                .collect();
            Some(Value::Origins(Spanned::new(entries, span)))
        }
        (Shape::Warnings, Raw::Map(entries)) => {
            let mut allowed = Vec::new();
            for (i, (code, reason)) in entries.into_iter().enumerate() {
                let at = Span::Key { key, item: Some(i) };
                match reason {
                    Raw::Str(reason) => allowed.push(Spanned::new(
                        AllowedWarning { code: Spanned::new(code, at), reason: Spanned::new(reason, at) },
                        at,
                    )),
                    other => wrong("a reason (a string) for each code", &other, Some(i)),
                }
            }
            Some(Value::Warnings(Spanned::new(allowed, span)))
        }
        (shape, raw) => {
            let expected = match shape {
                Shape::Bool => "`true` or `false`",
                Shape::Integer { .. } => "a whole number",
                Shape::Names | Shape::Origins => "a list",
                Shape::Warnings => "a mapping of warning codes to reasons",
                Shape::Text => "a string",
            };
            wrong(expected, &raw, None);
            // A misread `allow_origins` is not a missing one: no second error (CORS019).
            (shape == Shape::Origins).then(|| {
                Value::Origins(Spanned::new(vec![Spanned::new(OriginEntry::Unreadable, span)], span))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> PolicyConfig {
        serde_json::from_str(json).expect("a mapping")
    }

    #[test]
    fn every_key_reads_from_json() {
        let c = config(
            r#"{"allow_origins": ["https://a.example.com", "https://*.b.example.com:*", {"regex": "^https://(x|y)\\.c\\.example\\.com$"}],
                "allow_methods": ["PUT", "DELETE"], "allow_headers": ["content-type"], "expose_headers": ["x-id"],
                "allow_credentials": true, "max_age": 600, "allow_private_network": false, "preflight_status": 200,
                "dangerously_allow_insecure_origins": false, "dangerously_allow_public_suffix_subdomains": false,
                "allow_warnings": {"CORS006": "tenant subdomains are ours"}}"#,
        );
        let policy = c.compile(Some("app")).unwrap_or_else(|d| panic!("{d:#?}"));
        assert_eq!(policy.name.as_deref(), Some("app"));
        assert_eq!(policy.preflight_status, 200);
        assert!(policy
            .with_view(|p| p.evaluate(b"GET", &[("origin", "https://y.c.example.com")][..]).is_allowed()));
        assert!(c
            .diagnostics()
            .iter()
            .any(|d| d.check == Check::SubdomainWildcardWithCredentials && !d.is_error()));
    }

    #[test]
    fn every_mistake_at_once_with_its_key() {
        let c = config(
            r#"{"allow_origins": ["https://a.example.com/", 7, "*"], "allow_methods": "PUT", "max_age": "600", "colour": 1, "allow_credentials": true}"#,
        );
        let found: Vec<(&str, Span)> =
            c.compile(None).unwrap_err().iter().map(|d| (d.check.code(), d.span)).collect();
        let codes: Vec<&str> = found.iter().map(|(c, _)| *c).collect();
        for code in ["CORS047", "CORS048", "CORS012", "CORS001", "CORS046"] {
            assert!(codes.contains(&code), "{code} in {codes:?}");
        }
        assert!(!codes.contains(&"CORS019"), "{codes:?}");
        assert!(found
            .iter()
            .any(|(c, s)| *c == "CORS012" && matches!(s, Span::Key { key: "allow_origins", item: Some(0) })));
        assert!(found
            .iter()
            .any(|(c, s)| *c == "CORS048" && matches!(s, Span::Key { key: "allow_origins", item: Some(1) })));
        assert!(found
            .iter()
            .any(|(c, s)| *c == "CORS048" && matches!(s, Span::Key { key: "max_age", item: None })));
    }

    #[test]
    fn a_value_that_is_no_mapping_is_a_format_error() {
        assert!(serde_json::from_str::<PolicyConfig>("[1, 2]").is_err());
    }
}
