//! Code generation: the tables of a policy as a Rust expression of type `Policy<'static>`.
//!
//! The expression is a constant (array literals behind references are promoted to `'static`),
//! so it initialises a `static` with no lazy initialisation and no `unsafe`.

use crate::regex::DfaTables;
use crate::tables::{HeaderTables, OriginTable, OwnedStrList, Tables};
use cors_policy_core::PortPattern;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The expression building `tables` as a `Policy<'static>`; `krate` is the path of the runtime
/// crate (`::cors_policy_runtime`, or `$crate` from inside its macro).
pub fn policy_expr(tables: &Tables, krate: &TokenStream) -> TokenStream {
    let allow_origins = match &tables.origins {
        None => quote!(#krate::AllowOrigins::Any),
        Some(origins) => {
            let exact = origin_set(&origins.exact, krate);
            let patterns = origins.patterns.iter().map(|(scheme, host, subdomains, port)| {
                let port = match port {
                    PortPattern::Default => quote!(#krate::PortPattern::Default),
                    PortPattern::Exact(p) => quote!(#krate::PortPattern::Exact(#p)),
                    PortPattern::Any => quote!(#krate::PortPattern::Any),
                };
                quote!(#krate::OriginPattern::new(#scheme, #host, #subdomains, #port))
            });
            let regex = match &origins.regex {
                Some(dfa) => {
                    let dfa = dfa_expr(dfa, krate);
                    quote!(::core::option::Option::Some(#dfa))
                }
                None => quote!(::core::option::Option::None),
            };
            quote!(#krate::AllowOrigins::Listed(#krate::OriginMatcher::new(#exact, &[#(#patterns),*], #regex)))
        }
    };
    let allow_methods = match &tables.methods {
        None => quote!(#krate::AllowMethods::Any),
        Some(list) => {
            let list = str_list(list, krate);
            quote!(#krate::AllowMethods::List(#list))
        }
    };
    let allow_headers = match &tables.headers {
        HeaderTables::Any { authorization } => {
            quote!(#krate::AllowHeaders::Any { authorization: #authorization })
        }
        HeaderTables::List(list) => {
            let list = str_list(list, krate);
            quote!(#krate::AllowHeaders::List(#list))
        }
    };
    let credentials = tables.credentials;
    let expose = option_str(tables.expose_headers.as_deref());
    let max_age = option_str(tables.max_age.as_deref());
    let private_network = tables.private_network;
    let status = tables.preflight_status;
    // The name is what `tracing` events and refusals report as `policy`.
    let name = tables.name.as_deref().map(|name| quote!(.with_name(#name)));
    quote! {
        #krate::Policy::from_compiled_parts(
            #allow_origins,
            #allow_methods,
            #allow_headers,
            #credentials,
            #expose,
            #max_age,
            #private_network,
            #status,
        )#name
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

fn str_list(list: &OwnedStrList, krate: &TokenStream) -> TokenStream {
    let text = &list.text;
    let ends = list.ends.iter().map(|e| Literal::u32_unsuffixed(*e));
    quote!(#krate::StrList::new(#text, &[#(#ends),*]))
}

fn origin_set(table: &OriginTable, krate: &TokenStream) -> TokenStream {
    let keys = str_list(&table.keys, krate);
    let seed = Literal::u64_suffixed(table.seed);
    let pilots = table.pilots.iter().map(|p| Literal::u16_unsuffixed(*p));
    let slots = table.slots.iter().map(|s| Literal::u32_unsuffixed(*s));
    quote!(#krate::OriginSet::new(#keys, #seed, &[#(#pilots),*], &[#(#slots),*]))
}

fn dfa_expr(dfa: &DfaTables, krate: &TokenStream) -> TokenStream {
    let classes = dfa.classes.iter().map(|c| Literal::u8_unsuffixed(*c));
    let shift = dfa.stride_shift;
    let transitions = dfa.transitions.iter().map(|t| Literal::u32_unsuffixed(*t));
    let start = dfa.start;
    let accepting = dfa.accepting.iter().map(|a| Literal::u64_unsuffixed(*a));
    quote!(#krate::Dfa::new(&[#(#classes),*], #shift, &[#(#transitions),*], #start, &[#(#accepting),*]))
}
