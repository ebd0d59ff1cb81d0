//! The compiled policy: one owned form that mirrors `cors_policy_core::Policy` field by field.
//!
//! The checks (`valid`) produce it; everything downstream is produced from it, and for each part
//! the two products are written side by side, so that they cannot drift apart:
//!
//! * the **view** (`view`): the core's borrowed `Policy<'_>` over these tables, which the
//!   CLI's `explain`, the tests and policies loaded at run time evaluate requests with;
//! * the **tokens** (`tokens`): a constant Rust expression of the same `Policy<'static>`, which
//!   `cors_policy!` and `build.rs` emit. Array literals behind references are promoted to
//!   `'static`, so the expression initialises a `static` with no lazy initialisation and no
//!   `unsafe`.
//!
//! ```
//! let compilation = cors_policy::compile_yaml("allow_origins: ['https://app.example.com']\n");
//! let policy = &compilation.policies[0];
//! let allowed = policy.with_view(|view| view.evaluate(b"GET", &[("origin", "https://app.example.com")][..]).is_allowed());
//! assert!(allowed);
//! # #[cfg(feature = "codegen")] {
//! let tokens = policy.tokens(&quote::quote!(::cors_policy_runtime)).to_string();
//! assert!(tokens.contains("allow_origins :"), "generated code names every field");
//! # }
//! ```

use cors_policy_core as core;
use cors_policy_core::PortPattern;
#[cfg(feature = "codegen")]
use proc_macro2::{Literal, TokenStream};
#[cfg(feature = "codegen")]
use quote::quote;

use crate::regex::DfaTables;
use crate::tables::{OriginTable, OwnedStrList};
use crate::trust::EntryTrust;

/// One policy, compiled: what `cors_policy_core::Policy` holds, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The name under `policies:`, if any: what refusals and `tracing` events report.
    pub name: Option<String>,
    /// Who may read responses.
    pub allow_origins: AllowOrigins,
    /// What a preflight may ask for (GET, HEAD and POST are never checked).
    pub allow_methods: AllowMethods,
    /// The request headers a preflight may ask for.
    pub allow_headers: AllowHeaders,
    /// `Access-Control-Allow-Credentials: true`.
    pub allow_credentials: bool,
    /// The rendered `Access-Control-Expose-Headers` value.
    pub expose_headers: Option<String>,
    /// The rendered `Access-Control-Max-Age` value.
    pub max_age: Option<String>,
    /// Answer Private Network Access preflights.
    pub allow_private_network: bool,
    /// The status of a successful preflight.
    pub preflight_status: u16,
    /// `protect_writes`, if on.
    pub write_protection: Option<WriteProtection>,
    /// What each `allow_origins` entry trusts, in the order written (for `cors-policy trust`
    /// and `diff`; not part of the runtime's tables).
    pub trust: Vec<EntryTrust>,
}

/// `protect_writes` and the keys that go with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteProtection {
    /// `allow_origins` may write too (not for `*`).
    pub allow_origins_write: bool,
    /// `write_origins`.
    pub write_origins: OriginMatcher,
    /// `write_exempt_paths`.
    pub exempt_paths: OwnedStrList,
    /// `public_host`.
    pub public_host: Option<String>,
    /// What each `write_origins` entry trusts, in the order written (for `cors-policy trust`).
    pub write_trust: Vec<EntryTrust>,
}

/// `allow_origins`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // one per policy, built once: boxing would buy nothing
pub enum AllowOrigins {
    /// `*`.
    Any,
    /// Exact origins, patterns and regexes.
    Listed(OriginMatcher),
}

/// The listed origins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginMatcher {
    /// Exact serialized origins, in a perfect-hash table.
    pub exact: OriginTable,
    /// `*.` and `:*` patterns.
    pub patterns: PatternTable,
    /// One DFA for every regex entry.
    pub regex: Option<DfaTables>,
    /// `{tenants: name}` entries: sets the application fills at run time.
    pub tenants: TenantSets,
}

/// A `*.` / `:*` pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginPattern {
    /// The lowercase scheme.
    pub scheme: String,
    /// The host, or for a `*.` pattern the part after `*.`.
    pub host: String,
    /// `*.` was written: one or more labels before `host`.
    pub subdomains: bool,
    /// The port rule.
    pub port: PortPattern,
}

/// The patterns as the core stores them: schemes and hosts back to back, one rule each, so
/// that the view borrows them as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatternTable {
    /// Each pattern's scheme, then its host.
    pub text: String,
    /// Where each scheme and host ends in `text`, and what the pattern admits.
    pub rules: Vec<core::PatternRule>,
}

impl PatternTable {
    /// The table of `patterns`, in order.
    pub fn new(patterns: &[OriginPattern]) -> Self {
        let mut table = PatternTable::default();
        for OriginPattern { scheme, host, subdomains, port } in patterns {
            table.text.push_str(scheme);
            let scheme_end = table.text.len() as u32;
            table.text.push_str(host);
            let host_end = table.text.len() as u32;
            table.rules.push(core::PatternRule::new(scheme_end, host_end, *subdomains, *port));
        }
        table
    }

    /// The borrowed view.
    pub fn view(&self) -> core::OriginPatterns<'_> {
        core::OriginPatterns::new(&self.text, &self.rules)
    }

    #[cfg(feature = "codegen")]
    fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let p = private(krate);
        let text = &self.text;
        let rules = self.rules.iter().map(|rule| {
            let (scheme_end, host_end, subdomains) = (
                Literal::u32_unsuffixed(rule.scheme_end()),
                Literal::u32_unsuffixed(rule.host_end()),
                rule.subdomains(),
            );
            let port = match rule.port() {
                PortPattern::Default => quote!(#p::PortPattern::Default),
                PortPattern::Exact(n) => quote!(#p::PortPattern::Exact(#n)),
                PortPattern::Any => quote!(#p::PortPattern::Any),
            };
            quote!(#p::PatternRule::new(#scheme_end, #host_end, #subdomains, #port))
        });
        if self.rules.is_empty() {
            return quote!(#p::OriginPatterns::EMPTY);
        }
        let patterns = quote!(#p::OriginPatterns::new(#text, &[#(#rules),*]));
        with_generated_matcher(quote!(#p::OriginPatterns<'static>), patterns, "matches_by_rules")
    }
}

/// The tenant sets an `allow_origins` list names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TenantSets {
    /// The names, in the order written.
    pub names: OwnedStrList,
    /// Members must be secure origins: the policy allows credentials (and does not set
    /// `dangerously_allow_insecure_origins`).
    pub secure_only: bool,
}

impl TenantSets {
    /// The borrowed view, with no lookup lent.
    pub fn view(&self) -> core::TenantSets<'_> {
        core::TenantSets::new(self.names.view(), self.secure_only)
    }

    /// What a member of these sets must pass, in `check_tenant_origin`.
    pub fn rules(&self) -> crate::valid::TenantRules {
        crate::valid::TenantRules { secure_only: self.secure_only }
    }

    #[cfg(feature = "codegen")]
    fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let p = private(krate);
        let names = self.names.tokens(krate);
        let secure_only = self.secure_only;
        quote!(#p::TenantSets::new(#names, #secure_only))
    }
}

/// `allow_methods`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowMethods {
    /// `*`: the requested method is echoed.
    Any,
    /// Method tokens.
    List(OwnedStrList),
}

/// `allow_headers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowHeaders {
    /// `*`, with `authorization` listed too or not (`*` never covers it).
    Any {
        /// `authorization` was listed next to `*`.
        authorization: bool,
    },
    /// Sorted lowercase names.
    List(OwnedStrList),
}

#[cfg(feature = "codegen")]
/// The path generated code reaches the runtime's table types through: hidden, because they
/// are no public API of the runtime.
fn private(krate: &TokenStream) -> TokenStream {
    quote!(#krate::__private)
}

/// `tables` (a constant expression of the table type `ty`) with its generated matcher: the
/// tables' own match `by_tables` over the tables as a `const`, which the optimizer compiles
/// with every length and literal byte known, handed over with `with_matcher`
/// (`OriginSet`, `OriginPatterns` and `Dfa` each have both).
#[cfg(feature = "codegen")]
pub(crate) fn with_generated_matcher(ty: TokenStream, tables: TokenStream, by_tables: &str) -> TokenStream {
    let by_tables = proc_macro2::Ident::new(by_tables, proc_macro2::Span::call_site());
    quote!({
        const TABLES: #ty = #tables;
        fn matcher(input: &[u8]) -> bool {
            TABLES.#by_tables(input)
        }
        TABLES.with_matcher(matcher)
    })
}

impl Policy {
    /// The runtime's own `Policy` type over these tables, for evaluating requests exactly as
    /// generated code would. Borrows, and allocates nothing: a policy loaded at run time makes
    /// one for every request.
    pub fn view(&self) -> core::Policy<'_> {
        core::Policy::from_parts(core::PolicyParts {
            allow_origins: self.allow_origins.view(),
            allow_methods: self.allow_methods.view(),
            allow_headers: self.allow_headers.view(),
            allow_credentials: self.allow_credentials,
            expose_headers: self.expose_headers.as_deref(),
            max_age: self.max_age.as_deref(),
            allow_private_network: self.allow_private_network,
            preflight_status: self.preflight_status,
            name: self.name.as_deref(),
            write_protection: self.write_protection.as_ref().map(WriteProtection::view),
        })
    }

    /// `f` applied to [`Policy::view`]: a shorthand for tests and tools.
    pub fn with_view<R>(&self, f: impl FnOnce(&core::Policy<'_>) -> R) -> R {
        f(&self.view())
    }

    /// The tenant sets `allow_origins` names (none for `*`).
    pub fn tenant_sets(&self) -> Option<&TenantSets> {
        match &self.allow_origins {
            AllowOrigins::Listed(matcher) if !matcher.tenants.names.ends.is_empty() => Some(&matcher.tenants),
            _ => None,
        }
    }

    /// The same policy as a constant expression of type `Policy<'static>`; `krate` is the path
    /// of the runtime crate (`::cors_policy_runtime`, or `$crate` inside its macro).
    #[cfg(feature = "codegen")]
    pub fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let allow_origins = self.allow_origins.tokens(krate);
        let allow_methods = self.allow_methods.tokens(krate);
        let allow_headers = self.allow_headers.tokens(krate);
        let allow_credentials = self.allow_credentials;
        let expose_headers = option_str(self.expose_headers.as_deref());
        let max_age = option_str(self.max_age.as_deref());
        let allow_private_network = self.allow_private_network;
        let preflight_status = self.preflight_status;
        let name = option_str(self.name.as_deref());
        let write_protection = match &self.write_protection {
            None => quote!(::core::option::Option::None),
            Some(w) => w.tokens(krate),
        };
        let p = private(krate);
        // The expose value inserted as a constant by a function of generated code, rather than
        // cloned for every request (`Policy::with_expose_inserter`). The checks render it from
        // header-name tokens only (`valid.rs`'s `check_expose_headers`), so it is a header value;
        // were it not, the `const` of the inserter would fail the build rather than drop it.
        let expose_inserter = match self.expose_headers.as_deref() {
            Some(text) => quote!(.with_expose_inserter(#p::expose_inserter!(#text))),
            None => TokenStream::new(),
        };
        quote! {
            #p::Policy::from_parts(#p::PolicyParts {
                allow_origins: #allow_origins,
                allow_methods: #allow_methods,
                allow_headers: #allow_headers,
                allow_credentials: #allow_credentials,
                expose_headers: #expose_headers,
                max_age: #max_age,
                allow_private_network: #allow_private_network,
                preflight_status: #preflight_status,
                name: #name,
                write_protection: #write_protection,
            })
            #expose_inserter
        }
    }
}

impl AllowOrigins {
    fn view(&self) -> core::AllowOrigins<'_> {
        match self {
            AllowOrigins::Any => core::AllowOrigins::Any,
            AllowOrigins::Listed(matcher) => core::AllowOrigins::Listed(matcher.view()),
        }
    }

    #[cfg(feature = "codegen")]
    fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let p = private(krate);
        match self {
            AllowOrigins::Any => quote!(#p::AllowOrigins::Any),
            AllowOrigins::Listed(matcher) => {
                let matcher = matcher.tokens(krate);
                quote!(#p::AllowOrigins::Listed(#matcher))
            }
        }
    }
}

impl OriginMatcher {
    fn view(&self) -> core::OriginMatcher<'_> {
        core::OriginMatcher::new(
            self.exact.view(),
            self.patterns.view(),
            self.regex.as_ref().map(DfaTables::dfa),
            self.tenants.view(),
        )
    }

    #[cfg(feature = "codegen")]
    fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let p = private(krate);
        let exact = self.exact.tokens(krate);
        let patterns = self.patterns.tokens(krate);
        let tenants = self.tenants.tokens(krate);
        let regex = match &self.regex {
            Some(dfa) => {
                let dfa = dfa.tokens(&p);
                quote!(::core::option::Option::Some(#dfa))
            }
            None => quote!(::core::option::Option::None),
        };
        quote!(#p::OriginMatcher::new(#exact, #patterns, #regex, #tenants))
    }
}

impl WriteProtection {
    fn view(&self) -> core::write_protection::WriteProtection<'_> {
        core::write_protection::WriteProtection {
            allow_origins_write: self.allow_origins_write,
            write_origins: self.write_origins.view(),
            exempt_paths: self.exempt_paths.view(),
            public_host: self.public_host.as_deref(),
        }
    }

    #[cfg(feature = "codegen")]
    fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let p = private(krate);
        let allow_origins_write = self.allow_origins_write;
        let write_origins = self.write_origins.tokens(krate);
        let exempt_paths = self.exempt_paths.tokens(krate);
        let public_host = option_str(self.public_host.as_deref());
        quote!(::core::option::Option::Some(#p::WriteProtection {
            allow_origins_write: #allow_origins_write,
            write_origins: #write_origins,
            exempt_paths: #exempt_paths,
            public_host: #public_host,
        }))
    }
}

impl AllowMethods {
    fn view(&self) -> core::AllowMethods<'_> {
        match self {
            AllowMethods::Any => core::AllowMethods::Any,
            AllowMethods::List(list) => core::AllowMethods::List(list.view()),
        }
    }

    #[cfg(feature = "codegen")]
    fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let p = private(krate);
        match self {
            AllowMethods::Any => quote!(#p::AllowMethods::Any),
            AllowMethods::List(list) => {
                let list = list.tokens(krate);
                quote!(#p::AllowMethods::List(#list))
            }
        }
    }
}

impl AllowHeaders {
    fn view(&self) -> core::AllowHeaders<'_> {
        match self {
            AllowHeaders::Any { authorization } => core::AllowHeaders::Any { authorization: *authorization },
            AllowHeaders::List(list) => core::AllowHeaders::List(list.view()),
        }
    }

    #[cfg(feature = "codegen")]
    fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let p = private(krate);
        match self {
            AllowHeaders::Any { authorization } => {
                quote!(#p::AllowHeaders::Any { authorization: #authorization })
            }
            AllowHeaders::List(list) => {
                let list = list.tokens(krate);
                quote!(#p::AllowHeaders::List(#list))
            }
        }
    }
}

impl OwnedStrList {
    /// The constant expression of [`OwnedStrList::view`].
    #[cfg(feature = "codegen")]
    pub fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let p = private(krate);
        let text = &self.text;
        let ends = self.ends.iter().map(|e| Literal::u32_unsuffixed(*e));
        quote!(#p::StrList::new(#text, &[#(#ends),*]))
    }
}

impl OriginTable {
    /// The constant expression of [`OriginTable::view`].
    #[cfg(feature = "codegen")]
    pub fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let p = private(krate);
        let keys = self.keys.tokens(krate);
        let seed = Literal::u64_suffixed(self.seed);
        let pilots = self.pilots.iter().map(|x| Literal::u16_unsuffixed(*x));
        let slots = self.slots.iter().map(|x| Literal::u32_unsuffixed(*x));
        let set = quote!(#p::OriginSet::new(#keys, #seed, &[#(#pilots),*], &[#(#slots),*]));
        if self.keys.ends.is_empty() || !self.pilots.is_empty() {
            return set;
        }
        // A scanned set gets a generated matcher, each key compared with its length and bytes
        // known; a hashed set gets none, since the key it compares is picked at run time.
        with_generated_matcher(quote!(#p::OriginSet<'static>), set, "contains_by_table")
    }
}

#[cfg(feature = "codegen")]
fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

#[cfg(test)]
mod tests {
    /// Every pattern spelling the compiler accepts becomes a well-formed table, which the
    /// engine compares in place (`OriginPatterns::is_well_formed`).
    #[test]
    fn accepted_patterns_are_compared_in_place() {
        let patterns = [
            "https://*.example.com",
            "https://*.a-b.xn--bcher-kva.example",
            "https://*.example.com:8443",
            "https://*.example.com:*",
            "http://localhost:*",
            "http://*.localhost:*",
            "http://127.0.0.1:*",
            "http://[::1]:*",
            "chrome-extension://abcdefghijklmnop:*",
            "https://*.under_score.example",
        ];
        for pattern in patterns {
            let yaml = format!("allow_origins:\n  - {pattern}\n");
            let compilation = crate::compile_yaml(&yaml);
            let Some(policy) = compilation.policies.first() else {
                panic!("{pattern}: {:?}", compilation.diagnostics)
            };
            let super::AllowOrigins::Listed(matcher) = &policy.allow_origins else { panic!("{pattern}") };
            assert_eq!(matcher.patterns.rules.len(), 1, "{pattern}");
            assert!(matcher.patterns.view().is_well_formed(), "{pattern}: {:?}", matcher.patterns);
        }
    }

    /// The view and the tokens come from the same data: every table value of a policy appears
    /// in its tokens, and the view answers from those same tables.
    #[test]
    #[cfg(feature = "codegen")]
    fn view_and_tokens_agree() {
        let yaml = "allow_origins:\n  - https://app.example.com\n  - https://*.example.org:*\n  - regex: '^https://pr-[0-9]+\\.preview\\.example\\.com$'\nallow_methods: [PUT]\nallow_headers: ['*', authorization]\nexpose_headers: [x-id]\nallow_credentials: true\nmax_age: 600\n";
        let compilation = crate::compile_yaml(yaml);
        let policy = &compilation.policies[0];
        let tokens = policy.tokens(&quote::quote!(::cors_policy_runtime)).to_string();
        for needle in [
            "\"https://app.example.com\"",
            "\"httpsexample.org\"",
            "\"PUT\"",
            "\"x-id\"",
            "\"600\"",
            "authorization : true",
            "PortPattern :: Any",
        ] {
            assert!(tokens.contains(needle), "{needle} in {tokens}");
        }
        policy.with_view(|view| {
            let preflight: &[(&str, &str)] =
                &[("origin", "https://a.example.org:8443"), ("access-control-request-method", "PUT")];
            assert_eq!(view.evaluate(b"OPTIONS", preflight).status(), Some(204));
            let regex: &[(&str, &str)] = &[("origin", "https://pr-1.preview.example.com")];
            assert!(view.evaluate(b"GET", regex).is_allowed());
        });
    }
}

#[cfg(test)]
mod tenant_tests {
    use cors_policy_core::TenantLookup;

    struct Members(&'static [&'static str]);

    impl TenantLookup for Members {
        fn contains(&self, set: usize, origin: &[u8]) -> bool {
            set == 0 && self.0.iter().any(|m| m.as_bytes() == origin)
        }
    }

    /// A tenant set admits exactly its members, once a lookup is lent, and nothing before.
    #[test]
    fn tenant_sets_admit_their_members_only_through_the_lookup() {
        let yaml = "allow_origins: [https://app.example.com, {tenants: customer-domains}]\nallow_credentials: true\n";
        let compilation = crate::compile_yaml(yaml);
        assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
        let policy = &compilation.policies[0];
        let sets = policy.tenant_sets().expect("one tenant set");
        assert!(sets.names.view().iter().eq(["customer-domains"]));
        assert!(sets.secure_only, "credentials make the set https-only");
        let request: &[(&str, &str)] = &[("origin", "https://shop.acme.example")];
        assert!(!policy.view().evaluate(b"GET", request).is_allowed(), "no lookup lent: nothing admitted");
        let members = Members(&["https://shop.acme.example"]);
        let view = policy.view().with_tenant_lookup(&members);
        assert!(view.evaluate(b"GET", request).is_allowed());
        let other: &[(&str, &str)] = &[("origin", "https://evil.example")];
        assert!(!view.evaluate(b"GET", other).is_allowed());
        assert!(view.evaluate(b"GET", &[("origin", "https://app.example.com")][..]).is_allowed());
        #[cfg(feature = "codegen")]
        {
            let tokens = policy.tokens(&quote::quote!(::cors_policy_runtime)).to_string();
            assert!(tokens.contains("TenantSets :: new"), "{tokens}");
            assert!(tokens.contains("\"customer-domains\""), "{tokens}");
        }
    }

    #[test]
    fn tenant_entries_are_checked() {
        let cases = [
            ("allow_origins: [{tenants: Customers}]\n", "CORS059"),
            ("allow_origins: [{tenants: a}, {tenants: a}]\n", "CORS045"),
            ("allow_origins: ['*', {tenants: a}]\n", "CORS046"),
            ("allow_origins: [{tenants: [a]}]\n", "CORS048"),
            ("allow_origins: [{tenant: a}]\n", "CORS048"),
            (
                "allow_origins: [https://a.example]\nprotect_writes: true\nwrite_origins: [{tenants: a}]\n",
                "CORS059",
            ),
        ];
        for (yaml, code) in cases {
            let compilation = crate::compile_yaml(yaml);
            assert!(
                compilation.diagnostics.iter().any(|d| d.check.code() == code),
                "{yaml:?} should report {code}: {:#?}",
                compilation.diagnostics
            );
        }
        let typo = crate::compile_yaml("allow_origins: [{tenant: a}]\n");
        assert_eq!(typo.diagnostics[0].help.as_deref(), Some("did you mean `tenants`?"));
    }

    /// An insert passes the rules of a literal entry, with the same code and message.
    #[test]
    fn tenant_inserts_get_the_codes_and_messages_of_a_file() {
        use crate::valid::{check_tenant_origin, TenantRules};
        let strict = TenantRules { secure_only: true };
        for (origin, code) in [
            ("*", "CORS059"),
            ("https://*.acme.example", "CORS059"),
            ("https://acme.example:*", "CORS059"),
            ("null", "CORS003"),
            ("https://acme.example/", ""),
            ("https://acme.example:443", ""),
            ("https://ACME.example", ""),
            ("https://bücher.example", ""),
            ("http://acme.example", "CORS005"),
        ] {
            let errors = check_tenant_origin(origin, strict).expect_err(origin);
            let file = crate::compile_yaml(&format!(
                "allow_origins: [{}]\nallow_credentials: true\n",
                serde_json::to_string(origin).unwrap()
            ));
            if !code.is_empty() {
                assert_eq!(errors[0].check.code(), code, "{origin}");
            }
            if code != "CORS059" {
                let in_file: Vec<_> = file
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| (d.check, &d.message, &d.help))
                    .collect();
                let inserted: Vec<_> = errors.iter().map(|d| (d.check, &d.message, &d.help)).collect();
                assert_eq!(inserted, in_file, "{origin}: the insert and the file say the same");
            }
        }
        assert!(check_tenant_origin("http://acme.example", TenantRules { secure_only: false }).is_ok());
        assert!(check_tenant_origin("http://localhost:3000", strict).is_ok());
        assert!(check_tenant_origin("https://shop.acme.example:8443", strict).is_ok());
    }
}

#[cfg(test)]
mod write_tests {
    use cors_policy_core::write_protection::{HeaderField, WritePass, WriteRefusal, WriteRequest};

    /// `protect_writes` from a policy file to the decision: `allow_origins` and `write_origins`
    /// are trusted, exempt paths are not checked, `public_host` replaces `Host`.
    #[test]
    fn protect_writes_decides_from_the_compiled_policy() {
        let yaml = "allow_origins: [https://app.example.com]\nprotect_writes: true\nwrite_origins: ['https://*.admin.example.com']\nwrite_exempt_paths: [/webhooks/*, /sso/callback]\npublic_host: api.example.com\n";
        let compilation = crate::compile_yaml(yaml);
        assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
        let policy = &compilation.policies[0];
        let post = |origin: &'static [u8], site: HeaderField<'static>| WriteRequest {
            method: b"POST",
            origin: HeaderField::One(origin),
            sec_fetch_site: site,
            host: HeaderField::One(b"backend:8080"),
        };
        policy.with_view(|view| {
            let cross = HeaderField::One(b"cross-site");
            assert_eq!(
                view.protect_writes(&post(b"https://evil.example", cross), b"/api/transfer"),
                Some(Err(WriteRefusal::CrossSite))
            );
            assert_eq!(
                view.protect_writes(&post(b"https://app.example.com", cross), b"/api"),
                Some(Ok(WritePass::TrustedOrigin))
            );
            assert_eq!(
                view.protect_writes(&post(b"https://x.admin.example.com", cross), b"/api"),
                Some(Ok(WritePass::TrustedOrigin))
            );
            assert_eq!(view.protect_writes(&post(b"https://evil.example", cross), b"/webhooks/stripe"), None);
            assert_eq!(
                view.protect_writes(&post(b"https://evil.example", cross), b"/webhooksx"),
                Some(Err(WriteRefusal::CrossSite))
            );
            assert_eq!(view.protect_writes(&post(b"https://evil.example", cross), b"/sso/callback"), None);
            // No Fetch Metadata: the Origin must be the public host, not the rewritten Host.
            assert_eq!(
                view.protect_writes(&post(b"https://api.example.com", HeaderField::Absent), b"/api"),
                Some(Ok(WritePass::OriginIsHost))
            );
        });
        // Without protect_writes, nothing is decided.
        let plain = crate::compile_yaml("allow_origins: [https://app.example.com]\n");
        plain.policies[0].with_view(|view| {
            assert_eq!(
                view.protect_writes(&post(b"https://evil.example", HeaderField::One(b"cross-site")), b"/"),
                None
            );
        });
    }

    /// With `*`, the origins may read but not write: only same-origin requests pass.
    #[test]
    fn any_origin_reads_but_does_not_write() {
        let compilation = crate::compile_yaml("allow_origins: ['*']\nprotect_writes: true\n");
        assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
        compilation.policies[0].with_view(|view| {
            let request = WriteRequest {
                method: b"DELETE",
                origin: HeaderField::One(b"https://anyone.example"),
                sec_fetch_site: HeaderField::One(b"cross-site"),
                host: HeaderField::One(b"api.example.com"),
            };
            assert_eq!(view.protect_writes(&request, b"/items/1"), Some(Err(WriteRefusal::CrossSite)));
        });
    }
}
