//! What a server that only loads policies at run time builds: the compiler without `codegen`
//! and `yaml`, with `serde`, compiles no proc macro (no syn, quote or proc-macro2).

use std::process::Command;

#[test]
fn loading_from_configuration_builds_no_proc_macro() {
    let output = Command::new(env!("CARGO"))
        .args(["tree", "-p", "cors-policy", "--no-default-features", "--features", "serde"])
        .args(["-e", "normal,build", "--prefix", "none", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(tree.contains("serde "), "{tree}");
    for heavy in ["syn ", "quote ", "proc-macro2 ", "saphyr-parser ", "thiserror"] {
        assert!(!tree.lines().any(|l| l.starts_with(heavy)), "{heavy} in:\n{tree}");
    }
    // The default build, for contrast, has the code generator.
    let default = Command::new(env!("CARGO"))
        .args(["tree", "-p", "cors-policy", "-e", "normal", "--prefix", "none", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(String::from_utf8_lossy(&default.stdout).lines().any(|l| l.starts_with("syn ")));
}

/// A server that loads, reloads and serves policies at run time, with tenant sets, builds the
/// runtime without `macros`: no syn, quote, proc-macro2 or `cors_policy!`'s crate.
#[test]
fn serving_runtime_policies_builds_no_code_generator() {
    let output = Command::new(env!("CARGO"))
        .args(["tree", "-p", "cors-policy-runtime", "--no-default-features", "--features", "load,tenants"])
        .args(["-e", "normal,build", "--prefix", "none", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tree = String::from_utf8_lossy(&output.stdout);
    for needed in ["cors-policy ", "arc-swap ", "serde "] {
        assert!(tree.lines().any(|l| l.starts_with(needed)), "{needed} not in:\n{tree}");
    }
    for heavy in ["syn ", "quote ", "proc-macro2 ", "saphyr-parser ", "thiserror", "cors-policy-macros "] {
        assert!(!tree.lines().any(|l| l.starts_with(heavy)), "{heavy} in:\n{tree}");
    }
}
