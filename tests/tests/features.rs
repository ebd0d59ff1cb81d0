//! What a server that only loads policies at run time builds: the compiler without `codegen`
//! and `yaml`, with `serde`, compiles no proc macro (no syn, quote or proc-macro2), and neither
//! does the runtime with `load` and `tenants` and without `macros`.

use std::process::Command;

/// The crates `cargo tree` lists for `args`, one per line, without the tree drawing.
fn tree(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO"))
        .arg("tree")
        .args(args)
        .args(["--prefix", "none", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn lists(tree: &str, krate: &str) -> bool {
    tree.lines().any(|l| l.starts_with(krate))
}

#[test]
fn loading_from_configuration_builds_no_proc_macro() {
    let tree =
        tree(&["-p", "cors-policy", "--no-default-features", "--features", "serde", "-e", "normal,build"]);
    assert!(lists(&tree, "serde "), "{tree}");
    for heavy in ["syn ", "quote ", "proc-macro2 ", "saphyr-parser ", "thiserror"] {
        assert!(!lists(&tree, heavy), "{heavy} in:\n{tree}");
    }
    // The default build, for contrast, has the code generator.
    assert!(lists(&self::tree(&["-p", "cors-policy", "-e", "normal"]), "syn "));
}

/// A server that loads, reloads and serves policies at run time, with tenant sets, builds the
/// runtime without `macros`: no syn, quote, proc-macro2 or `cors_policy!`'s crate.
#[test]
fn serving_runtime_policies_builds_no_code_generator() {
    let args = [
        "-p",
        "cors-policy-runtime",
        "--no-default-features",
        "--features",
        "load,tenants",
        "-e",
        "normal,build",
    ];
    let tree = tree(&args);
    for needed in ["cors-policy ", "arc-swap ", "serde "] {
        assert!(lists(&tree, needed), "{needed} not in:\n{tree}");
    }
    for heavy in ["syn ", "quote ", "proc-macro2 ", "saphyr-parser ", "thiserror", "cors-policy-macros "] {
        assert!(!lists(&tree, heavy), "{heavy} in:\n{tree}");
    }
}
