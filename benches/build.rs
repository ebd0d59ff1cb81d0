//! Generates the large policies the benchmarks need, which `cors_policy!` cannot take (it wants
//! literal input): for each N in [`SIZES`], a YAML policy of N exact origins
//! `https://tenant-{i}.example.com`, compiled by `cors_policy::build::try_compile` into
//! `$OUT_DIR/origins_{N}.rs` (`pub static ORIGINS_{N}`), and a `phf::Set` of the 1000-origin list
//! in `$OUT_DIR/phf_1000.rs` (`pub static PHF_1000`) for the lookup comparison.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The origin counts of the `origins` benchmark group.
const SIZES: [usize; 5] = [1, 10, 100, 1000, 10_000];

fn origin(i: usize) -> String {
    format!("https://tenant-{i}.example.com")
}

/// Writes `contents` to `path` only if it differs, so that `rerun-if-changed` on a generated
/// file does not make every build re-run this script.
fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return;
    }
    std::fs::write(path, contents).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));

    for n in SIZES {
        let mut yaml = String::from("allow_origins:\n");
        for i in 0..n {
            writeln!(yaml, "  - {}", origin(i)).unwrap();
        }
        yaml.push_str(
            "allow_methods: [GET, POST, PUT, DELETE]\n\
             allow_headers: [content-type, x-request-id]\n\
             expose_headers: [x-request-id]\n\
             allow_credentials: true\n\
             max_age: 600\n",
        );
        let path = out_dir.join(format!("origins_{n}.yaml"));
        write_if_changed(&path, &yaml);
        if let Err(error) = cors_policy::build::try_compile(&path) {
            panic!("compiling {}: {error}", path.display());
        }
    }

    let keys: Vec<String> = (0..1000).map(origin).collect();
    let mut set = phf_codegen::Set::<&[u8]>::new();
    for key in &keys {
        set.entry(key.as_bytes());
    }
    let code = format!("pub static PHF_1000: ::phf::Set<&'static [u8]> = {};\n", set.build());
    write_if_changed(&out_dir.join("phf_1000.rs"), &code);
}
