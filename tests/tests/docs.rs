//! Generated documentation stays current, and every check's example really triggers it.

use cors_policy::Check;

#[test]
fn every_example_triggers_its_check() {
    for check in Check::ALL {
        let example = check.example();
        if example.is_empty() {
            assert_eq!(*check, Check::UnreadableFile, "only CORS052 has no YAML example");
            continue;
        }
        for example in std::iter::once(example).chain(check.more_examples().iter().copied()) {
            let compilation = cors_policy::compile_yaml(example);
            assert!(
                compilation.diagnostics.iter().any(|d| d.check == *check),
                "the example {example:?} of {} does not trigger it: {:#?}",
                check.code(),
                compilation.diagnostics
            );
        }
    }
}

#[test]
fn docs_checks_md_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/checks.md");
    let generated = cors_policy::docs::checks_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/checks.md is out of date: run `UPDATE_DOCS=1 cargo test -p cors-policy-tests --test docs`"
    );
}

#[test]
fn the_checked_in_schema_is_the_generated_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../cors-policy.schema.json");
    let generated = cors_policy::schema::json_schema();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == generated, "cors-policy.schema.json is out of date: run `UPDATE_DOCS=1 cargo test -p cors-policy-tests --test docs`");
}

/// The schema and the compiler agree on the language: the same keys, and unknown keys rejected
/// by both; so every policy file the compiler accepts (all of the repository's) fits the schema.
#[test]
fn the_schema_matches_the_language() {
    let schema: serde_json::Value = serde_json::from_str(&cors_policy::schema::json_schema()).unwrap();
    let policy = &schema["$defs"]["policy"];
    assert_eq!(policy["additionalProperties"], serde_json::Value::Bool(false));
    let keys: Vec<&str> = policy["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), cors_policy::keys::KEYS.len());
    // Every key of the schema is one the YAML front end reads (no unknown-key error).
    for key in &keys {
        let sample = match cors_policy::keys::key(key).expect("a key of the table").shape {
            cors_policy::keys::Shape::Origins => "[https://b.example]",
            cors_policy::keys::Shape::Names => "[x-a]",
            cors_policy::keys::Shape::Bool => "false",
            cors_policy::keys::Shape::Integer { example, .. } => example,
            cors_policy::keys::Shape::Warnings => "{ CORS006: ours }",
            cors_policy::keys::Shape::Text => "shop.example.com",
        };
        let yaml = if *key == "allow_origins" {
            format!("{key}: {sample}\n")
        } else {
            format!("allow_origins: [https://a.example]\n{key}: {sample}\n")
        };
        let compilation = cors_policy::compile_yaml(&yaml);
        assert!(
            !compilation.diagnostics.iter().any(|d| matches!(
                d.check,
                cors_policy::Check::UnknownKey | cors_policy::Check::InvalidSyntax
            )),
            "{key}: {:#?}",
            compilation.diagnostics
        );
    }
    assert_eq!(policy["required"], serde_json::json!(["allow_origins"]));

    let unknown = cors_policy::compile_yaml("allow_origins: [https://a.example]\nallow_orign: []\n");
    assert!(unknown.diagnostics.iter().any(|d| d.check == cors_policy::Check::UnknownKey));

    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let files = [
        "examples/axum-server/cors.yaml",
        "tests/fixtures/clean.yaml",
        "tests/fixtures/named.yaml",
        "tests/fixtures/warnings.yaml",
        "tests/fixtures/browser/credentialed.yaml",
    ];
    for file in files {
        let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        let compilation = cors_policy::compile_yaml(&text);
        assert!(!compilation.has_errors(), "{file}: {:#?}", compilation.diagnostics);
    }
}
