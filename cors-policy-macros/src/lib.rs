//! The `cors_policy!` macro. Use it as `cors_policy_runtime::cors_policy!`, which passes this
//! macro the runtime crate's path; see that crate for the documentation.

use cors_policy::catalog::Severity;
use cors_policy::render::{render_at_token, render_line};
use cors_policy::tokens::{self, MacroInput};
use cors_policy::{Compilation, Diagnostic, Span};
use proc_macro2::{Delimiter, Span as TokenSpan, TokenStream, TokenTree};
use quote::{quote, quote_spanned};

/// Compiles a policy. Input: the runtime crate's path, `;`, then the policy.
#[doc(hidden)]
#[proc_macro]
pub fn compile_policy(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand(input.into()).into()
}

fn expand(input: TokenStream) -> TokenStream {
    let mut tokens = input.into_iter();
    let krate: TokenStream =
        tokens.by_ref().take_while(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == ';')).collect();
    let mut body: TokenStream = tokens.collect();
    // `cors_policy! { ... }` and `cors_policy!(...)` arrive the same way; unwrap a lone group
    // in case the wrapper passed one.
    if let [TokenTree::Group(group)] = body.clone().into_iter().collect::<Vec<_>>().as_slice() {
        if group.delimiter() == Delimiter::Brace {
            body = group.stream();
        }
    }
    let (input, diagnostics) = tokens::parse(body);
    match input {
        Some(MacroInput::Inline(policy)) => {
            // The checks run even after a syntax-stage error, so that every mistake is reported
            // in one build.
            let mut compilation = cors_policy::compile(std::slice::from_ref(&*policy));
            let mut all = diagnostics;
            all.append(&mut compilation.diagnostics);
            compilation.diagnostics = all;
            output(&compilation, &krate, None, TokenSpan::call_site(), None)
        }
        Some(MacroInput::File { path, policy }) if !cors_policy::diagnostic::has_errors(&diagnostics) => {
            from_file(
                &path.value,
                token_span(path.span),
                policy.as_ref().map(|p| (p.value.as_str(), token_span(p.span))),
                &krate,
            )
        }
        _ => errors(&diagnostics, &krate),
    }
}

fn token_span(span: Span) -> TokenSpan {
    match span {
        Span::Tokens(span) => span.resolve(),
        Span::File { .. } | Span::Key { .. } => TokenSpan::call_site(),
    }
}

fn from_file(
    path: &str,
    span: TokenSpan,
    policy: Option<(&str, TokenSpan)>,
    krate: &TokenStream,
) -> TokenStream {
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return quote_spanned!(span=> ::core::compile_error!("CARGO_MANIFEST_DIR is not set: build with cargo"));
    };
    let full = std::path::Path::new(&dir).join(path);
    let bytes = match cors_policy::read_policy_file(&full) {
        Ok(bytes) => bytes,
        Err(error) => {
            let message = format!("[CORS052] cannot read policy file `{}`: {error}", full.display());
            return quote_spanned!(span=> ::core::compile_error!(#message));
        }
    };
    let compilation = Compilation::from_parsed(cors_policy::yaml::parse_bytes(&bytes));
    let full_text = full.display().to_string();
    output(&compilation, krate, Some((path, &full_text)), span, policy)
}

/// The policy's code, preceded by one deprecation-warning item per warning (the only way a
/// proc macro can warn on stable Rust), or `compile_error!`s if there is any error.
fn output(
    compilation: &Compilation,
    krate: &TokenStream,
    file: Option<(&str, &str)>,
    file_span: TokenSpan,
    policy: Option<(&str, TokenSpan)>,
) -> TokenStream {
    let locate = |d: &Diagnostic| match file {
        Some((name, _)) => (render_line(d, name), file_span),
        None => (render_at_token(d), token_span(d.span)),
    };
    if compilation.has_errors() {
        return compile_errors(compilation.diagnostics.iter().filter(|d| d.is_error()).map(locate), krate);
    }
    let name = policy.map(|(name, _)| name);
    let Some(tables) = compilation.policy(name) else {
        let (text, span) = match policy {
            Some((name, span)) => (
                format!(
                    "[CORS051] the file defines no policy named `{name}`; it has: {}",
                    names(compilation)
                ),
                span,
            ),
            None => (
                format!(
                    "[CORS051] the file defines several policies ({}); pick one with `policy = \"name\"`",
                    names(compilation)
                ),
                file_span,
            ),
        };
        return quote_spanned!(span=> { ::core::compile_error!(#text); #krate::Policy::__INVALID });
    };
    // Each warning in a block of its own, so that several can share the struct's name.
    let warnings = compilation.diagnostics.iter().filter(|d| d.severity == Severity::Warning).map(|d| {
        let (text, span) = locate(d);
        let ident = quote::format_ident!("cors_policy_warning", span = span);
        quote_spanned! {span=>
            {
                #[deprecated(note = #text)]
                #[allow(non_camel_case_types)]
                struct #ident;
                let _ = #ident;
            }
        }
    });
    let tracked = file.map(|(_, full)| {
        quote!(
            const _: &[u8] = ::core::include_bytes!(#full);
        )
    });
    let policy = tables.tokens(krate);
    quote!({ #tracked #(#warnings)* #policy })
}

fn names(compilation: &Compilation) -> String {
    let names: Vec<_> =
        compilation.policies.iter().filter_map(|t| t.name.as_deref()).map(|n| format!("`{n}`")).collect();
    if names.is_empty() {
        "a single unnamed policy; remove `policy = ...`".into()
    } else {
        names.join(", ")
    }
}

/// One `compile_error!` per `(message, span)`, then a value of the right type, so that the
/// only errors the user sees are these.
fn compile_errors(errors: impl Iterator<Item = (String, TokenSpan)>, krate: &TokenStream) -> TokenStream {
    let errors = errors.map(|(text, span)| quote_spanned!(span=> ::core::compile_error!(#text);));
    quote!({ #(#errors)* #krate::Policy::__INVALID })
}

fn errors(diagnostics: &[Diagnostic], krate: &TokenStream) -> TokenStream {
    compile_errors(
        diagnostics.iter().filter(|d| d.is_error()).map(|d| (render_at_token(d), token_span(d.span))),
        krate,
    )
}
