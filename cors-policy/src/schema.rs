//! The JSON Schema of the YAML policy format, for editor completion and validation
//! (`# yaml-language-server: $schema=...`). `cors-policy schema` prints it; the checked-in
//! `cors-policy.schema.json` is tested to be identical.

use crate::keys::KEYS;

/// The schema, as pretty-printed JSON ending in a newline.
pub fn json_schema() -> String {
    let properties: Vec<String> = KEYS
        .iter()
        .map(|key| {
            let schema = key.schema.strip_suffix('}').unwrap_or(key.schema);
            format!(
                "        \"{}\": {schema},\"description\":\"{}\"}}",
                key.name,
                key.doc.replace('"', "\\\"")
            )
        })
        .collect();
    format!(
        "{{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"$id\": \"https://cors-policy.invalid/cors-policy.schema.json\",\n  \"title\": \"cors-policy policy file\",\n  \"description\": \"A CORS policy checked and compiled by cors-policy, or several named policies under `policies`.\",\n  \"oneOf\": [\n    {{ \"$ref\": \"#/$defs/policy\" }},\n    {{\n      \"type\": \"object\",\n      \"properties\": {{ \"policies\": {{ \"type\": \"object\", \"minProperties\": 1, \"additionalProperties\": {{ \"$ref\": \"#/$defs/policy\" }} }} }},\n      \"required\": [\"policies\"],\n      \"additionalProperties\": false\n    }}\n  ],\n  \"$defs\": {{\n    \"policy\": {{\n      \"type\": \"object\",\n      \"required\": [\"allow_origins\"],\n      \"additionalProperties\": false,\n      \"properties\": {{\n{}\n      }}\n    }}\n  }}\n}}\n",
        properties.join(",\n")
    )
}
