//! The policy keys, declared once: name, the shape of the value, JSON Schema and description,
//! and where the value goes in the [`PolicyAst`].
//!
//! Both front ends (`yaml`, `tokens`) read a key's value by its [`Shape`] and store it with its
//! [`Key::set`]; the JSON Schema (`schema`) and the did-you-mean of unknown keys come from this
//! table too. Adding a key with an existing shape touches three places: a field of
//! [`PolicyAst`], a row here, and the check in `valid` that reads it.

use crate::ast::{AllowedWarning, OriginEntry, PolicyAst, Spanned, SpannedList};
use crate::catalog::Check;

/// What a key's value looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A list of origin entries: strings, or `regex` entries.
    Origins,
    /// A list of names (methods, header names).
    Names,
    /// `true` or `false`.
    Bool,
    /// A whole number; a malformed one is reported as `check`, with `example` in the help.
    Integer {
        /// The code of a malformed value.
        check: Check,
        /// A good value, for the help.
        example: &'static str,
    },
    /// Warning codes, each with the reason it is allowed.
    Warnings,
    /// One string.
    Text,
}

/// A value read by a front end, in the shape its key asked for.
#[derive(Debug)]
pub enum Value {
    /// [`Shape::Origins`].
    Origins(SpannedList<OriginEntry>),
    /// [`Shape::Names`].
    Names(SpannedList<String>),
    /// [`Shape::Bool`].
    Bool(Spanned<bool>),
    /// [`Shape::Integer`].
    Integer(Spanned<i64>),
    /// [`Shape::Warnings`].
    Warnings(SpannedList<AllowedWarning>),
    /// [`Shape::Text`].
    Text(Spanned<String>),
}

/// One policy key.
pub struct Key {
    /// The key as written.
    pub name: &'static str,
    /// The shape of its value.
    pub shape: Shape,
    /// Its JSON Schema, without the description.
    pub schema: &'static str,
    /// One sentence for the schema's description (editor hover text).
    pub doc: &'static str,
    /// Stores a value of the key's shape (a value of another shape is ignored: front ends
    /// read by [`Key::shape`]).
    pub set: fn(&mut PolicyAst, Value),
}

/// The setter of a key whose value is `Value::$variant`, stored in `PolicyAst::$field`.
macro_rules! setter {
    ($variant:ident, $field:ident) => {
        |policy, value| {
            if let Value::$variant(value) = value {
                policy.$field = Some(value);
            }
        }
    };
}

/// Every key of a policy, in the order of the schema and of the did-you-mean list.
pub const KEYS: &[Key] = &[
    Key {
        name: "allow_origins",
        shape: Shape::Origins,
        schema: r#"{"type":"array","minItems":1,"items":{"oneOf":[{"type":"string","description":"An exact serialized origin (https://app.example.com), * alone, or a pattern: https://*.example.com (subdomains), http://localhost:* (any port)."},{"type":"object","properties":{"regex":{"type":"string","description":"A full-match regular expression over the serialized origin."}},"required":["regex"],"additionalProperties":false},{"type":"object","properties":{"tenants":{"type":"string","pattern":"^[a-z][a-z0-9_-]*$","description":"A set of exact origins the application fills at run time (cors_policy_runtime::TenantOrigins); each insert is checked like a literal origin."}},"required":["tenants"],"additionalProperties":false}]}}"#,
        doc: "The origins allowed to read responses. Required.",
        set: setter!(Origins, allow_origins),
    },
    Key {
        name: "allow_methods",
        shape: Shape::Names,
        schema: r#"{"type":"array","items":{"type":"string"}}"#,
        doc: "Methods a preflight may ask for, or [\"*\"].",
        set: setter!(Names, allow_methods),
    },
    Key {
        name: "allow_headers",
        shape: Shape::Names,
        schema: r#"{"type":"array","items":{"type":"string"}}"#,
        doc: "Request headers a preflight may ask for, or [\"*\"] (which never covers authorization).",
        set: setter!(Names, allow_headers),
    },
    Key {
        name: "expose_headers",
        shape: Shape::Names,
        schema: r#"{"type":"array","items":{"type":"string"}}"#,
        doc: "Response headers scripts may read, or [\"*\"] (without credentials only).",
        set: setter!(Names, expose_headers),
    },
    Key {
        name: "allow_credentials",
        shape: Shape::Bool,
        schema: r#"{"type":"boolean","default":false}"#,
        doc: "Send Access-Control-Allow-Credentials: true.",
        set: setter!(Bool, allow_credentials),
    },
    Key {
        name: "max_age",
        shape: Shape::Integer { check: Check::InvalidMaxAge, example: "600" },
        schema: r#"{"type":"integer","minimum":0,"maximum":86400}"#,
        doc: "Access-Control-Max-Age in seconds.",
        set: setter!(Integer, max_age),
    },
    Key {
        name: "allow_private_network",
        shape: Shape::Bool,
        schema: r#"{"type":"boolean","default":false}"#,
        doc: "Answer Private Network Access preflights.",
        set: setter!(Bool, allow_private_network),
    },
    Key {
        name: "preflight_status",
        shape: Shape::Integer { check: Check::InvalidSyntax, example: "204" },
        schema: r#"{"type":"integer","minimum":200,"maximum":299,"default":204}"#,
        doc: "Status of a successful preflight.",
        set: setter!(Integer, preflight_status),
    },
    Key {
        name: "dangerously_allow_insecure_origins",
        shape: Shape::Bool,
        schema: r#"{"type":"boolean","default":false}"#,
        doc: "Accept plain-http origins together with credentials.",
        set: setter!(Bool, dangerously_allow_insecure_origins),
    },
    Key {
        name: "dangerously_allow_public_suffix_subdomains",
        shape: Shape::Bool,
        schema: r#"{"type":"boolean","default":false}"#,
        doc: "Accept *. patterns on public suffixes such as github.io.",
        set: setter!(Bool, dangerously_allow_public_suffix_subdomains),
    },
    Key {
        name: "allow_warnings",
        shape: Shape::Warnings,
        schema: r#"{"type":"object","propertyNames":{"pattern":"^CORS[0-9]{3}$"},"additionalProperties":{"type":"string","minLength":1}}"#,
        doc: "Warnings to allow, by code, each with the reason it does not apply (CORS006: subdomains are ours). They are still listed as notes by cors-policy check.",
        set: setter!(Warnings, allow_warnings),
    },
    Key {
        name: "protect_writes",
        shape: Shape::Bool,
        schema: r#"{"type":"boolean","default":false}"#,
        doc: "Refuse cross-origin unsafe requests (form POSTs, no-cors fetches) from untrusted origins before the handler runs, from Fetch Metadata.",
        set: setter!(Bool, protect_writes),
    },
    Key {
        name: "write_origins",
        shape: Shape::Origins,
        schema: r#"{"type":"array","items":{"oneOf":[{"type":"string"},{"type":"object","properties":{"regex":{"type":"string"}},"required":["regex"],"additionalProperties":false}]}}"#,
        doc: "Origins trusted to write cross-origin under protect_writes, besides allow_origins.",
        set: setter!(Origins, write_origins),
    },
    Key {
        name: "write_exempt_paths",
        shape: Shape::Names,
        schema: r#"{"type":"array","items":{"type":"string","pattern":"^/"}}"#,
        doc: "Paths protect_writes does not check (webhooks, SSO callbacks): exact, or a prefix written /prefix/*.",
        set: setter!(Names, write_exempt_paths),
    },
    Key {
        name: "public_host",
        shape: Shape::Text,
        schema: r#"{"type":"string"}"#,
        doc: "The host[:port] browsers see, for protect_writes behind a proxy that rewrites Host.",
        set: setter!(Text, public_host),
    },
];

/// The key named `name`.
pub fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The names of every key, for did-you-mean.
pub fn names() -> Vec<&'static str> {
    KEYS.iter().map(|k| k.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;

    /// Every setter stores into its own field, and only for its own shape.
    #[test]
    fn each_key_sets_its_field() {
        let span = Span::File { start: 0, end: 0, line: 1, column: 1 };
        for key in KEYS {
            let value = match key.shape {
                Shape::Origins => Value::Origins(Spanned::new(vec![], span)),
                Shape::Names => Value::Names(Spanned::new(vec![], span)),
                Shape::Bool => Value::Bool(Spanned::new(true, span)),
                Shape::Integer { .. } => Value::Integer(Spanned::new(7, span)),
                Shape::Warnings => Value::Warnings(Spanned::new(vec![], span)),
                Shape::Text => Value::Text(Spanned::new(String::new(), span)),
            };
            let mut policy = PolicyAst::empty(None, span);
            (key.set)(&mut policy, value);
            let set = format!("{policy:?}");
            let empty = format!("{:?}", PolicyAst::empty(None, span));
            assert_ne!(set, empty, "{} stores nothing", key.name);
            assert_eq!(set.matches("Some(").count(), 1, "{} stores more than its field: {set}", key.name);
        }
    }
}
