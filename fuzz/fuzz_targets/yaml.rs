//! Arbitrary bytes as a policy file: parsing, checking, compiling and rendering never panic.
//!
//! Beyond `Compilation::from_parsed(parse_bytes(..))`, every diagnostic is rendered the way the
//! CLI and `build.rs` print it, every compiled policy is expanded to tokens the way the macro
//! emits it and evaluated once, since all of these run on whatever file a user checks in.
#![no_main]

use cors_policy::{render, Compilation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let compilation = Compilation::from_parsed(cors_policy::yaml::parse_bytes(data));
    let text = std::str::from_utf8(data).unwrap_or("");
    for diagnostic in &compilation.diagnostics {
        let _ = render::render(diagnostic, "cors.yaml", text);
        let _ = render::render_line(diagnostic, "cors.yaml");
    }
    let krate = quote::quote!(::cors_policy_runtime);
    for tables in &compilation.policies {
        let _ = tables.tokens(&krate).to_string();
        tables.with_view(|policy| {
            let request: &[(&str, &[u8])] =
                &[("Origin", b"https://app.example.com"), ("Access-Control-Request-Method", b"PUT")];
            let _ = policy.evaluate(b"OPTIONS", request);
        });
    }
});
