//! The `cors_policy!` front end: macro tokens to a [`PolicyAst`].
//!
//! The input is parsed with `syn` as `key: expression` fields, then each expression is read
//! for the shape its key expects, so that every mistake is reported (not only the first) at
//! the token that holds it.

use crate::ast::{self, OriginEntry, PolicyAst, Spanned, SpannedList};
use crate::catalog::Check;
use crate::diagnostic::{Diagnostic, Span};
use crate::keys::{self, Shape, Value};
use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::{Expr, ExprLit, ExprUnary, Ident, Lit, Token, UnOp};

/// What the macro was given.
#[derive(Debug)]
pub enum MacroInput {
    /// An inline policy.
    Inline(Box<PolicyAst>),
    /// `file = "..."`, optionally with `policy = "..."`.
    File {
        /// The path, relative to the calling crate's `CARGO_MANIFEST_DIR`.
        path: Spanned<String>,
        /// The policy to take from a file of named policies.
        policy: Option<Spanned<String>>,
    },
}

struct Field {
    key: Ident,
    value: Expr,
}

impl Parse for Field {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key: Ident = input.parse()?;
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
        } else {
            input.parse::<Token![:]>()?;
        }
        Ok(Field { key, value: input.parse()? })
    }
}

/// Where a token is, as plain data: the index of its `proc_macro2::Span` among those the
/// current [`parse`] recorded on this thread.
///
/// A compiler `Span` cannot leave the proc macro's thread, so a diagnostic holding one would
/// be neither `Send` nor `Sync`, in every crate that enables `codegen` (the runtime's `macros`
/// feature does): a server's `LoadError` could then not cross threads. The index can.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenSpan(u32);

std::thread_local! {
    static SPANS: std::cell::RefCell<Vec<proc_macro2::Span>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl TokenSpan {
    /// Records `span` on this thread.
    pub fn new(span: proc_macro2::Span) -> Self {
        SPANS.with_borrow_mut(|spans| {
            spans.push(span);
            TokenSpan(u32::try_from(spans.len() - 1).unwrap_or(u32::MAX))
        })
    }

    /// The span recorded, on the thread and during the [`parse`] that recorded it; the call
    /// site otherwise.
    pub fn resolve(self) -> proc_macro2::Span {
        SPANS
            .with_borrow(|spans| spans.get(self.0 as usize).copied())
            .unwrap_or_else(proc_macro2::Span::call_site)
    }
}

fn span(s: proc_macro2::Span) -> Span {
    Span::Tokens(TokenSpan::new(s))
}

/// Parses the macro's input, returning it with every diagnostic found.
pub fn parse(tokens: TokenStream) -> (Option<MacroInput>, Vec<Diagnostic>) {
    // The spans of an earlier invocation on this thread are no longer needed.
    SPANS.with_borrow_mut(Vec::clear);
    let call_span = span(tokens.span());
    let fields = match Punctuated::<Field, Token![,]>::parse_terminated.parse2(tokens) {
        Ok(fields) => fields,
        Err(error) => {
            let diagnostic = Diagnostic::error(Check::InvalidSyntax, span(error.span()), error.to_string())
                .with_help("write `key: value` fields separated by commas, or `file = \"cors.yaml\"`");
            return (None, vec![diagnostic]);
        }
    };
    let mut out = Vec::new();
    if fields.iter().next().is_some_and(|f| f.key == "file") {
        return (parse_file_form(&fields, &mut out), out);
    }
    let mut policy = PolicyAst::empty(None, call_span);
    let mut seen: Vec<(String, proc_macro2::Span)> = Vec::new();
    for field in &fields {
        let key = field.key.to_string();
        let key_span = span(field.key.span());
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            out.push(ast::duplicate_key(&key, key_span, span(*first)));
            continue;
        }
        seen.push((key.clone(), field.key.span()));
        let value = &field.value;
        if let Some(known) = keys::key(&key) {
            if let Some(value) = read(known.shape, value, &mut out) {
                (known.set)(&mut policy, value);
            }
            continue;
        }
        match key.as_str() {
            "file" | "policy" => out.push(
                Diagnostic::error(
                    Check::InvalidSyntax,
                    key_span,
                    format!("`{key}` only goes in the file form"),
                )
                .with_help("write `cors_policy!(file = \"cors.yaml\", policy = \"app\")` on its own"),
            ),
            _ => out.push(ast::unknown_key(&key, key_span, &keys::names())),
        }
    }
    (Some(MacroInput::Inline(Box::new(policy))), out)
}

fn parse_file_form(fields: &Punctuated<Field, Token![,]>, out: &mut Vec<Diagnostic>) -> Option<MacroInput> {
    let mut path = None;
    let mut policy = None;
    for field in fields {
        let key = field.key.to_string();
        let target = match key.as_str() {
            "file" => &mut path,
            "policy" => &mut policy,
            _ => {
                out.push(
                    Diagnostic::error(
                        Check::InvalidSyntax,
                        span(field.key.span()),
                        format!("`{key}` cannot follow `file =`"),
                    )
                    .with_help("the file form takes `file = \"...\"` and optionally `policy = \"name\"`"),
                );
                continue;
            }
        };
        if target.is_some() {
            out.push(
                Diagnostic::error(
                    Check::DuplicateKey,
                    span(field.key.span()),
                    format!("`{key}` is given twice"),
                )
                .with_help("keep one of them"),
            );
            continue;
        }
        match &field.value {
            Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => {
                *target = Some(Spanned::new(s.value(), span(s.span())))
            }
            other => out.push(expected(other, "a string literal")),
        }
    }
    Some(MacroInput::File { path: path?, policy })
}

fn expected(value: &Expr, what: &str) -> Diagnostic {
    Diagnostic::error(Check::InvalidSyntax, span(value.span()), format!("expected {what}"))
}

fn list<T>(
    value: &Expr,
    out: &mut Vec<Diagnostic>,
    item: fn(&Expr, &mut Vec<Diagnostic>) -> Option<T>,
) -> Option<SpannedList<T>> {
    let Expr::Array(array) = value else {
        out.push(
            expected(value, "a list")
                .with_help("write the values in brackets, e.g. `[\"https://app.example.com\"]`"),
        );
        return None;
    };
    let items = array
        .elems
        .iter()
        .filter_map(|e| item(e, out).map(|v| Spanned::new(v, span(value_span(e)))))
        .collect::<Vec<_>>();
    Some(Spanned::new(items, span(value.span())))
}

/// Where a list item's diagnostics point: the pattern of `regex("...")`, else the item.
fn value_span(value: &Expr) -> proc_macro2::Span {
    match value {
        Expr::Call(call) if call.args.len() == 1 => call.args[0].span(),
        other => other.span(),
    }
}

fn origin_entry(value: &Expr, out: &mut Vec<Diagnostic>) -> Option<OriginEntry> {
    match value {
        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => Some(OriginEntry::Literal(s.value())),
        Expr::Call(call) if matches!(&*call.func, Expr::Path(p) if p.path.is_ident("regex")) => {
            match call.args.iter().collect::<Vec<_>>().as_slice() {
                [Expr::Lit(ExprLit { lit: Lit::Str(s), .. })] => Some(OriginEntry::Regex(s.value())),
                _ => {
                    out.push(expected(value, "one string literal in `regex(...)`"));
                    Some(OriginEntry::Unreadable)
                }
            }
        }
        Expr::Call(call) if matches!(&*call.func, Expr::Path(p) if p.path.is_ident("tenants")) => {
            match call.args.iter().collect::<Vec<_>>().as_slice() {
                [Expr::Lit(ExprLit { lit: Lit::Str(s), .. })] => Some(OriginEntry::Tenants(s.value())),
                _ => {
                    out.push(expected(value, "one string literal in `tenants(...)`"));
                    Some(OriginEntry::Unreadable)
                }
            }
        }
        Expr::Path(p) if p.path.is_ident("null") => Some(OriginEntry::Literal("null".into())),
        other => {
            out.push(
                expected(other, "an origin string, `regex(\"...\")` or `tenants(\"...\")`")
                    .with_help("write `\"https://app.example.com\"`, `\"https://*.example.com\"`, `regex(\"^https://...$\")` or `tenants(\"customer-domains\")`"),
            );
            Some(OriginEntry::Unreadable)
        }
    }
}

/// A method or header name: a string literal, or a bare identifier such as `GET`.
fn name_item(value: &Expr, out: &mut Vec<Diagnostic>) -> Option<String> {
    match value {
        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => Some(s.value()),
        Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some() => {
            p.path.get_ident().map(Ident::to_string)
        }
        other => {
            out.push(expected(other, "a name: a string literal or an identifier such as `PUT`"));
            None
        }
    }
}

/// A key's value, read for its shape.
fn read(shape: Shape, value: &Expr, out: &mut Vec<Diagnostic>) -> Option<Value> {
    match shape {
        Shape::Origins => list(value, out, origin_entry).map(Value::Origins),
        Shape::Names => list(value, out, name_item).map(Value::Names),
        Shape::Bool => boolean(value, out).map(Value::Bool),
        Shape::Integer { check, example } => {
            integer(value, check, &format!("write a whole number, e.g. `{example}`"), out).map(Value::Integer)
        }
        Shape::Warnings => list(value, out, allowed_warning).map(Value::Warnings),
        Shape::Text => match value {
            Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => {
                Some(Value::Text(Spanned::new(s.value(), span(s.span()))))
            }
            other => {
                out.push(expected(other, "a string literal"));
                None
            }
        },
    }
}

/// `CORS006("why it does not apply")`, an item of `allow_warnings: [...]`.
fn allowed_warning(value: &Expr, out: &mut Vec<Diagnostic>) -> Option<ast::AllowedWarning> {
    if let Expr::Call(call) = value {
        if let (Expr::Path(path), [Expr::Lit(ExprLit { lit: Lit::Str(reason), .. })]) =
            (&*call.func, call.args.iter().collect::<Vec<_>>().as_slice())
        {
            if let Some(code) = path.path.get_ident() {
                return Some(ast::AllowedWarning {
                    code: Spanned::new(code.to_string(), span(code.span())),
                    reason: Spanned::new(reason.value(), span(reason.span())),
                });
            }
        }
    }
    out.push(
        expected(value, "a warning code with its reason")
            .with_help("write `allow_warnings: [CORS006(\"why it does not apply here\")]`"),
    );
    None
}

fn boolean(value: &Expr, out: &mut Vec<Diagnostic>) -> Option<Spanned<bool>> {
    match value {
        Expr::Lit(ExprLit { lit: Lit::Bool(b), .. }) => Some(Spanned::new(b.value, span(b.span()))),
        other => {
            out.push(expected(other, "`true` or `false`"));
            None
        }
    }
}

fn integer(value: &Expr, check: Check, help: &str, out: &mut Vec<Diagnostic>) -> Option<Spanned<i64>> {
    let (negative, literal) = match value {
        Expr::Unary(ExprUnary { op: UnOp::Neg(_), expr, .. }) => (true, &**expr),
        other => (false, other),
    };
    if let Expr::Lit(ExprLit { lit: Lit::Int(int), .. }) = literal {
        if let Ok(n) = int.base10_parse::<i64>() {
            return Some(Spanned::new(if negative { -n } else { n }, span(value.span())));
        }
    }
    out.push(Diagnostic::error(check, span(value.span()), "expected a whole number").with_help(help));
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn reads_an_inline_policy() {
        let (input, diagnostics) = parse(quote! {
            allow_origins: ["https://app.example.com", regex("^https://pr-[0-9]+\\.example\\.com$")],
            allow_methods: [GET, "PUT"],
            allow_credentials: true,
            max_age: -1,
        });
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let Some(MacroInput::Inline(policy)) = input else { panic!() };
        let origins: Vec<_> = policy.allow_origins.unwrap().value.into_iter().map(|o| o.value).collect();
        assert_eq!(origins[1], OriginEntry::Regex("^https://pr-[0-9]+\\.example\\.com$".into()));
        assert_eq!(policy.max_age.unwrap().value, -1);
        let methods: Vec<_> = policy.allow_methods.unwrap().value.into_iter().map(|m| m.value).collect();
        assert_eq!(methods, ["GET", "PUT"]);
    }

    #[test]
    fn reports_every_mistake() {
        let (_, diagnostics) = parse(quote! {
            allow_origin: ["https://a.example"],
            allow_credentials: "yes",
            max_age: 1.5,
            allow_methods: GET,
            vary: false,
            max_age: 3,
        });
        let codes: Vec<_> = diagnostics.iter().map(|d| d.check.code()).collect();
        assert_eq!(codes, ["CORS047", "CORS048", "CORS039", "CORS048", "CORS044", "CORS050"]);
        assert_eq!(diagnostics[0].help.as_deref(), Some("did you mean `allow_origins`?"));
    }

    #[test]
    fn reads_the_file_form() {
        let (input, diagnostics) = parse(quote!(file = "cors.yaml", policy = "app"));
        assert!(diagnostics.is_empty());
        let Some(MacroInput::File { path, policy }) = input else { panic!() };
        assert_eq!((path.value.as_str(), policy.unwrap().value.as_str()), ("cors.yaml", "app"));
    }
}
