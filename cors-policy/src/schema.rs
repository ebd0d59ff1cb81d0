//! The JSON Schema of the YAML policy format, for editor completion and validation
//! (`# yaml-language-server: $schema=...`). `cors-policy schema` prints it; the checked-in
//! `cors-policy.schema.json` is tested to be identical.

use crate::ast::POLICY_KEYS;

/// What each key holds, for the schema's descriptions, in [`POLICY_KEYS`] order.
const PROPERTIES: &[(&str, &str)] = &[
    (
        r#"{"type":"array","minItems":1,"items":{"oneOf":[{"type":"string","description":"An exact serialized origin (https://app.example.com), * alone, or a pattern: https://*.example.com (subdomains), http://localhost:* (any port)."},{"type":"object","properties":{"regex":{"type":"string","description":"A full-match regular expression over the serialized origin."}},"required":["regex"],"additionalProperties":false}]}}"#,
        "The origins allowed to read responses. Required.",
    ),
    (r#"{"type":"array","items":{"type":"string"}}"#, "Methods a preflight may ask for, or [\"*\"]."),
    (
        r#"{"type":"array","items":{"type":"string"}}"#,
        "Request headers a preflight may ask for, or [\"*\"] (which never covers authorization).",
    ),
    (
        r#"{"type":"array","items":{"type":"string"}}"#,
        "Response headers scripts may read, or [\"*\"] (without credentials only).",
    ),
    (r#"{"type":"boolean","default":false}"#, "Send Access-Control-Allow-Credentials: true."),
    (r#"{"type":"integer","minimum":0,"maximum":86400}"#, "Access-Control-Max-Age in seconds."),
    (r#"{"type":"boolean","default":false}"#, "Answer Private Network Access preflights."),
    (r#"{"type":"integer","minimum":200,"maximum":299,"default":204}"#, "Status of a successful preflight."),
    (r#"{"type":"boolean","default":false}"#, "Accept plain-http origins together with credentials."),
    (r#"{"type":"boolean","default":false}"#, "Accept *. patterns on public suffixes such as github.io."),
    (
        r#"{"type":"object","propertyNames":{"pattern":"^CORS[0-9]{3}$"},"additionalProperties":{"type":"string","minLength":1}}"#,
        "Warnings to allow, by code, each with the reason it does not apply (CORS006: subdomains are ours). They are still listed as notes by cors-policy check.",
    ),
];

/// The schema, as pretty-printed JSON ending in a newline.
pub fn json_schema() -> String {
    let properties: Vec<String> = POLICY_KEYS
        .iter()
        .zip(PROPERTIES)
        .map(|(key, (schema, description))| {
            let schema = schema.strip_suffix('}').unwrap_or(schema);
            format!("        \"{key}\": {schema},\"description\":\"{}\"}}", description.replace('"', "\\\""))
        })
        .collect();
    format!(
        "{{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"$id\": \"https://cors-policy.invalid/cors-policy.schema.json\",\n  \"title\": \"cors-policy policy file\",\n  \"description\": \"A CORS policy checked and compiled by cors-policy, or several named policies under `policies`.\",\n  \"oneOf\": [\n    {{ \"$ref\": \"#/$defs/policy\" }},\n    {{\n      \"type\": \"object\",\n      \"properties\": {{ \"policies\": {{ \"type\": \"object\", \"minProperties\": 1, \"additionalProperties\": {{ \"$ref\": \"#/$defs/policy\" }} }} }},\n      \"required\": [\"policies\"],\n      \"additionalProperties\": false\n    }}\n  ],\n  \"$defs\": {{\n    \"policy\": {{\n      \"type\": \"object\",\n      \"required\": [\"allow_origins\"],\n      \"additionalProperties\": false,\n      \"properties\": {{\n{}\n      }}\n    }}\n  }}\n}}\n",
        properties.join(",\n")
    )
}
