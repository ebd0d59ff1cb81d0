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
        let compilation = cors_policy::compile_yaml(example);
        assert!(
            compilation.diagnostics.iter().any(|d| d.check == *check),
            "the example of {} does not trigger it: {:#?}",
            check.code(),
            compilation.diagnostics
        );
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
