//! Compiling a checked-in YAML policy from `build.rs`.
//!
//! ```no_run
//! // build.rs, in its `fn main()`:
//! cors_policy::build::compile("cors.yaml");
//! ```
//!
//! ```ignore
//! // src/main.rs: one `pub static` per policy (the file stem, uppercased, for a file holding
//! // a single policy; each name, uppercased, for a file of named `policies:`).
//! include!(concat!(env!("OUT_DIR"), "/cors.rs"));
//! // ... Router::new().layer(CORS.layer())
//! ```
//!
//! The file is re-read whenever it changes (`cargo::rerun-if-changed`). Each diagnostic is
//! printed as a `cargo::error=` or `cargo::warning=` line carrying `file:line:col`, and any
//! error fails the build. The generated code refers to `::cors_policy_runtime`, so the crate
//! must depend on `cors-policy-runtime`.

use crate::catalog::Severity;
use crate::render::render_line;
use crate::Compilation;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::path::{Path, PathBuf};

/// Why [`try_compile`] produced no code.
#[derive(Debug)]
pub enum Error {
    /// The policy file could not be read (`CORS052`).
    Unreadable {
        /// The path as given.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// `OUT_DIR` could not be written.
    Io(std::io::Error),
    /// The policy has errors; each is a rendered `file:line:col: error[CODE]: ...` line.
    Policy(Vec<String>),
    /// `OUT_DIR` is not set: not running as a build script.
    NoOutDir,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Unreadable { path, error } => {
                write!(
                    f,
                    "{}: [CORS052] cannot read policy file `{}`: {error}",
                    path.display(),
                    path.display()
                )
            }
            Error::Io(e) => write!(f, "{e}"),
            Error::Policy(lines) => f.write_str(&lines.join("\n")),
            Error::NoOutDir => f.write_str("OUT_DIR is not set; call this from a build script"),
        }
    }
}

impl std::error::Error for Error {}

/// Compiles `path` (relative to the package root) into `$OUT_DIR/<stem>.rs`, printing every
/// diagnostic for cargo. Errors fail the build through `cargo::error=` lines.
pub fn compile(path: impl AsRef<Path>) {
    match try_compile(path) {
        Ok(_) | Err(Error::Policy(_)) => {}
        Err(error) => println!("cargo::error={error}"),
    }
}

/// Like [`compile`], but returns the path of the generated file, or the error.
pub fn try_compile(path: impl AsRef<Path>) -> Result<PathBuf, Error> {
    let path = path.as_ref();
    println!("cargo::rerun-if-changed={}", path.display());
    let out_dir = std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?;
    let bytes =
        crate::read_policy_file(path).map_err(|error| Error::Unreadable { path: path.to_owned(), error })?;
    let name = path.display().to_string();
    let compilation = Compilation::from_parsed(crate::yaml::parse_bytes(&bytes));
    let mut errors = Vec::new();
    for diagnostic in &compilation.diagnostics {
        let line = render_line(diagnostic, &name);
        match diagnostic.severity {
            Severity::Error => {
                println!("cargo::error={line}");
                errors.push(line);
            }
            Severity::Warning => println!("cargo::warning={line}"),
            Severity::Info => {}
        }
    }
    if !errors.is_empty() {
        return Err(Error::Policy(errors));
    }
    let stem = path.file_stem().map_or("cors".into(), |s| s.to_string_lossy().into_owned());
    let code = statics(&compilation, &stem, &quote!(::cors_policy_runtime));
    let target = PathBuf::from(out_dir).join(format!("{stem}.rs"));
    std::fs::write(&target, code.to_string()).map_err(Error::Io)?;
    Ok(target)
}

/// One `pub static` per policy: the policy's name uppercased, or `default_name` uppercased for
/// an unnamed one.
pub fn statics(compilation: &Compilation, default_name: &str, krate: &TokenStream) -> TokenStream {
    let items = compilation.policies.iter().map(|tables| {
        let name = tables.name.as_deref().unwrap_or(default_name);
        let ident = format_ident!("{}", crate::static_name(name));
        let doc = format!("The CORS policy `{name}`, compiled by cors-policy.");
        let expr = tables.tokens(krate);
        // An unnamed policy is named after its static's source, the file stem.
        let expr = if tables.name.is_none() { quote!(#expr.with_name(#name)) } else { expr };
        quote! {
            #[doc = #doc]
            pub static #ident: #krate::Policy<'static> = #expr;
        }
    });
    quote!(#(#items)*)
}
