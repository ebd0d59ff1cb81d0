//! Arbitrary text as the input of `cors_policy! { ... }`: if proc-macro2 (in its fallback mode,
//! outside a proc macro) lexes it, parsing, checking, compiling and expanding never panic.
#![no_main]

use cors_policy::tokens::MacroInput;
use libfuzzer_sys::fuzz_target;
use std::str::FromStr;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(tokens) = proc_macro2::TokenStream::from_str(text) else { return };
    let (input, diagnostics) = cors_policy::tokens::parse(tokens);
    for diagnostic in &diagnostics {
        let _ = cors_policy::render::render_line(diagnostic, "src/main.rs");
    }
    let Some(MacroInput::Inline(policy)) = input else { return };
    let compilation = cors_policy::compile(std::slice::from_ref(&*policy));
    let krate = quote::quote!(::cors_policy_runtime);
    for tables in &compilation.policies {
        let _ = tables.tokens(&krate).to_string();
    }
});
