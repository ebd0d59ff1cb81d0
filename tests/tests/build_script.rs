//! The `build.rs` API: what a build script prints and writes. (The success path also runs for
//! real in `examples/axum-server`, whose build script compiles its `cors.yaml`.)

use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cors-policy-build-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// One test function, because OUT_DIR is process-wide state.
#[test]
fn compiles_a_yaml_file_into_out_dir_or_reports_every_error_with_its_location() {
    let dir = scratch("out");
    std::env::set_var("OUT_DIR", &dir);

    let good = dir.join("cors.yaml");
    std::fs::write(&good, "policies:\n  app:\n    allow_origins: [https://app.example.com]\n  public:\n    allow_origins: ['*']\n").unwrap();
    let written = cors_policy::build::try_compile(&good).unwrap();
    assert_eq!(written, dir.join("cors.rs"));
    let code = std::fs::read_to_string(&written).unwrap();
    assert!(code.contains("pub static APP : :: cors_policy_runtime :: Policy < 'static >"), "{code}");
    assert!(code.contains("pub static PUBLIC"), "{code}");
    // Named, so that refusals and `tracing` events say which policy refused.
    assert!(code.contains("name : :: core :: option :: Option :: Some (\"app\")"), "{code}");
    assert!(code.contains("name : :: core :: option :: Option :: Some (\"public\")"), "{code}");

    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "allow_origins:\n  - https://app.example.com/\n  - HTTPS://b.example.com\nallow_credentails: true\n",
    )
    .unwrap();
    let Err(cors_policy::build::Error::Policy(lines)) = cors_policy::build::try_compile(&bad) else {
        panic!("expected policy errors")
    };
    let file = bad.display();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    let expected = ["2:5: [CORS012]", "3:5: [CORS013]", "4:1: [CORS047] unknown key `allow_credentails`"];
    for (line, expected) in lines.iter().zip(expected) {
        assert!(line.starts_with(&format!("{file}:{expected}")), "{lines:#?}");
    }
    assert!(!dir.join("bad.rs").exists(), "no code is written for a policy with errors");

    // A missing file is CORS052, with its path (cargo prints `error: <crate>: <this>`).
    let missing = dir.join("missing.yaml");
    let error = cors_policy::build::try_compile(&missing).expect_err("no file");
    let text = error.to_string();
    assert!(matches!(error, cors_policy::build::Error::Unreadable { .. }), "{error:?}");
    assert!(
        text.contains("[CORS052] cannot read policy file") && text.contains(&missing.display().to_string()),
        "{text}"
    );

    // Colliding policy names are CORS053 at the second name, and no code is written.
    let names = dir.join("names.yaml");
    std::fs::write(&names, "policies:\n  app: {allow_origins: [https://a.example.com]}\n  APP: {allow_origins: [https://b.example.com]}\n").unwrap();
    let Err(cors_policy::build::Error::Policy(lines)) = cors_policy::build::try_compile(&names) else {
        panic!("expected CORS053")
    };
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].starts_with(&format!("{}:3:3: [CORS053]", names.display())), "{lines:#?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
