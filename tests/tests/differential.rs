//! Differential proof: policies compiled by the real compiler and evaluated by the runtime's
//! `Policy::evaluate` agree, request by request, with a deliberately simple reference oracle
//! (`differential/oracle.rs`) that reads the policy as written.
//!
//! proptest generates policies (exact origins, `*.` and `:*` patterns, safe regexes from a
//! small menu, methods and headers in every spelling, `*`, `authorization`, credentials, expose,
//! max-age, private network access), compiles each through one of the three front ends
//! (`cors_policy::compile` on an AST, `compile_yaml` on YAML text, `tokens::parse` on
//! `cors_policy!` input; now and then all three, which must then agree), skips those the
//! compiler refuses, and throws 80 hostile requests at each: origins near the allowed ones
//! (case, trailing dot, ports, `evil` glued on, other schemes, punycode and UTF-8, `null`,
//! lengths around `MAX_ORIGIN_LEN`, invalid UTF-8), methods in every case and non-tokens, and
//! `Access-Control-Request-Headers` with whitespace, empty elements, several lines, uppercase
//! and every documented bound crossed by one. Kind, status, refusal reason, and every response
//! header (name, value, and whether it is static or echoed from which request line) must match.
//!
//! `protect_writes_agrees_with_the_oracle` does the same for cross-origin write protection:
//! `Policy::protect_writes` (through `with_view`) against `WriteOracle`, an implementation of
//! the Fetch Metadata algorithm written from the reference, on policies with `write_origins`,
//! `write_exempt_paths` and `public_host` and on requests with every shape of `Origin`,
//! `Sec-Fetch-Site` and `Host` (300 policies x 60 requests, a few seconds in debug).
//!
//! The count is tuned for a debug build in CI; set `CORS_DIFFERENTIAL_POLICIES` to run more,
//! and `PROPTEST_RNG_SEED` to replay a run (the seed is printed, with a tally of outcomes).

#[path = "differential/oracle.rs"]
mod oracle;

use std::collections::BTreeMap;
use std::time::Instant;

use cors_policy::ast::{OriginEntry, PolicyAst, Spanned};
use cors_policy::{Compilation, Diagnostic, Span};
use cors_policy_core::write_protection::{HeaderField, WritePass, WriteRefusal, WriteRequest};
use cors_policy_runtime::http::HttpHeaders;
use cors_policy_runtime::{Decision, Echo, Refusal, RequestHeaders, Value};
use oracle::{Header, Oracle, Outcome, Source, Why, WriteOracle, Written, WrittenPolicy, WrittenWrites};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

/// Policies per CI run; each gets [`REQUESTS_PER_POLICY`] requests.
const POLICIES: u32 = 2_000;
const REQUESTS_PER_POLICY: usize = 80;

// ---------------------------------------------------------------------------------------------
// Policies.

const DOMAINS: &[&str] =
    &["example.com", "example.co.uk", "acme.test", "xn--bcher-kva.example", "a-b.example.org"];

/// Safe regexes: `{D}` is the escaped domain, `{d}` the domain; with sample origins they match.
const REGEX_MENU: &[(&str, &[&str])] = &[
    (r"^https://pr-[0-9]+\.preview\.{D}$", &["https://pr-42.preview.{d}", "https://pr-.preview.{d}"]),
    (r"^https://[a-z0-9-]+\.tenant\.{D}$", &["https://acme.tenant.{d}", "https://a.b.tenant.{d}"]),
    (r"^https://(app|admin)\.{D}$", &["https://app.{d}", "https://admin.{d}"]),
    (r"^http://localhost:(3000|8080)$", &["http://localhost:3000", "http://localhost:8080"]),
    (r"https://app\.{D}", &["https://app.{d}"]),
    (r"^https?://www\.{D}$", &["http://www.{d}", "https://www.{d}"]),
    (r"^https://([a-z0-9-]+\.)*{D}$", &["https://{d}", "https://a.b.{d}"]),
    (r"^https://app\.{D}(:[0-9]+)?$", &["https://app.{d}:8080", "https://app.{d}"]),
    (r"^http://127\.0\.0\.1:[0-9]{4}$", &["http://127.0.0.1:3000", "http://127.0.0.1:80"]),
    (r"^wss://(eu|us)-[0-9]{1,3}\.rt\.{D}$", &["wss://eu-1.rt.{d}", "wss://us-999.rt.{d}"]),
];

/// Methods as a policy may spell them; `BAD_METHODS` are refused by the compiler.
const WRITTEN_METHODS: &[&str] = &[
    "PUT", "put", "pUt", "PATCH", "patch", "Patch", "DELETE", "delete", "Delete", "GET", "POST", "OPTIONS",
    "options", "X-Custom", "Egg", "*", "PROPFIND", "M-SEARCH", "head",
];
const BAD_METHODS: &[&str] = &["CONNECT", "track", "PU T", ""];

const WRITTEN_HEADERS: &[&str] = &[
    "content-type",
    "Content-Type",
    "authorization",
    "Authorization",
    "x-request-id",
    "X-Api-Key",
    "*",
    "accept",
    "x_under",
    "if-match",
    "x-a",
    "X-A",
    "AUTHORIZATION",
];
const BAD_HEADERS: &[&str] = &["cookie", "sec-fetch-mode", "access-control-allow-origin", "x y", "proxy-x"];

const WRITTEN_EXPOSE: &[&str] =
    &["x-request-id", "X-Request-Id", "X-Total-Count", "content-type", "etag", "Cache-Control", "x_under"];

/// A generated policy: what was written, the origins to aim requests at, and the front end.
#[derive(Clone, Debug)]
struct GenPolicy {
    written: WrittenPolicy,
    samples: Vec<String>,
    front: Front,
}

/// Which front end compiles the policy.
#[derive(Clone, Copy, Debug)]
enum Front {
    /// `cors_policy::compile` on a `PolicyAst` built here.
    Ast,
    /// `cors_policy::compile_yaml` on the policy written as YAML.
    Yaml,
    /// The `cors_policy!` front end (`tokens::parse`) on the policy written as macro input.
    Macro,
    /// All three, which must agree on the tables and on every finding.
    All,
}

/// Labels of `x`s (at most 63 each) so that `scheme://<labels>.<host><port>` is `total` bytes.
fn padded_host(scheme: &str, host: &str, port: &str, total: usize) -> String {
    let fixed = scheme.len() + 3 + host.len() + 1 + port.len();
    let mut need = total.saturating_sub(fixed).max(1);
    let mut labels = String::new();
    while need > 0 {
        let mut k = need.min(63);
        if need - k == 1 {
            k -= 1;
        }
        labels.push_str(&"x".repeat(k));
        need -= k;
        if need > 0 {
            labels.push('.');
            need -= 1;
        }
    }
    format!("{labels}.{host}")
}

/// One origin entry with the origins near which requests should probe.
fn origin_entry() -> impl Strategy<Value = (Written, Vec<String>)> {
    let domain = select(DOMAINS);
    let exact = (
        select(&["https", "https", "https", "http", "wss", "ws"][..]),
        domain.clone(),
        0..12usize,
        select(&["", "", "", ":8443", ":3000", ":65535"][..]),
        300..=326usize,
    )
        .prop_map(|(scheme, d, form, port, total)| {
            let host = match form {
                0 => d.to_string(),
                1 => format!("app.{d}"),
                2 => format!("api.{d}"),
                3 => "localhost".into(),
                4 => "127.0.0.1".into(),
                5 => "[::1]".into(),
                6 => format!("app.{d}."),
                7 => padded_host(scheme, d, port, total),
                8 => "[2001:db8::1]".into(),
                9 => "abcdefghijklmnop".into(),
                10 => "192.168.0.10".into(),
                _ => format!("a_b.{d}"),
            };
            let text = format!("{scheme}://{host}{port}");
            (Written::Literal(text.clone()), vec![text])
        });
    let pattern =
        (select(&["https", "http", "wss"][..]), domain.clone(), 0..9usize).prop_map(|(scheme, d, form)| {
            let text = match form {
                0 => format!("{scheme}://*.{d}"),
                1 => format!("{scheme}://*.{d}:*"),
                2 => "http://localhost:*".into(),
                3 => "http://127.0.0.1:*".into(),
                4 => "http://[::1]:*".into(),
                5 => "http://*.localhost:*".into(),
                6 => format!("https://*.{d}:8443"),
                7 => format!("https://app.{d}:*"),
                _ => ["https://*.co.uk", "https://*.github.io", "https://*.com"][d.len() % 3].into(),
            };
            let (scheme, rest) = text.split_once("://").unwrap();
            let subdomains = rest.starts_with("*.");
            let any_port = rest.ends_with(":*");
            let host = rest.trim_start_matches("*.").trim_end_matches(":*").trim_end_matches(":8443");
            let port = if rest.ends_with(":8443") { ":8443" } else { "" };
            let mut samples = Vec::new();
            let ports = if any_port { vec!["", ":5173", ":65535", ":1"] } else { vec![port] };
            for p in ports {
                if subdomains {
                    samples.push(format!("{scheme}://x.{host}{p}"));
                    samples.push(format!("{scheme}://a.b-c.{host}{p}"));
                    samples.push(format!("{scheme}://{}{p}", padded_host(scheme, host, p, 326)));
                } else {
                    samples.push(format!("{scheme}://{host}{p}"));
                }
            }
            samples.push(format!("{scheme}://{host}{port}"));
            samples.push(format!("{scheme}://{host}:5173"));
            (Written::Literal(text), samples)
        });
    let regex = (0..REGEX_MENU.len(), domain).prop_map(|(i, d)| {
        let (template, samples) = REGEX_MENU[i];
        let pattern = template.replace("{D}", &d.replace('.', r"\."));
        let samples = samples.iter().map(|s| s.replace("{d}", d)).collect();
        (Written::Regex(pattern), samples)
    });
    prop_oneof![5 => exact, 4 => pattern, 2 => regex]
}

/// Nine or more exact origins: the compiler switches from a scan to a perfect hash table.
fn many_exact() -> impl Strategy<Value = (Vec<Written>, Vec<String>)> {
    (9..40usize, select(DOMAINS)).prop_map(|(n, d)| {
        let texts: Vec<String> = (0..n).map(|i| format!("https://t{i}.{d}")).collect();
        let mut samples: Vec<String> = texts.iter().step_by(3).cloned().collect();
        samples.push(format!("https://t{n}.{d}"));
        (texts.into_iter().map(Written::Literal).collect(), samples)
    })
}

fn list_of(
    pool: &'static [&'static str],
    bad: &'static [&'static str],
    max: usize,
) -> impl Strategy<Value = Option<Vec<String>>> {
    let item = prop_oneof![80 => select(pool), 1 => select(bad)].prop_map(String::from);
    prop_oneof![1 => Just(None), 4 => proptest::collection::vec(item, 0..=max).prop_map(Some)]
}

fn policy() -> impl Strategy<Value = GenPolicy> {
    let origins = prop_oneof![
        1 => Just((vec![Written::Literal("*".into())], vec!["https://anyone.example".to_string()])),
        2 => many_exact(),
        12 => proptest::collection::vec(origin_entry(), 1..=4).prop_map(|entries| {
            let mut written = Vec::new();
            let mut samples = Vec::new();
            for (w, s) in entries {
                if !written.contains(&w) {
                    written.push(w);
                }
                samples.extend(s);
            }
            (written, samples)
        }),
    ];
    let expose = prop_oneof![
        1 => Just(None),
        1 => proptest::collection::vec(
            prop_oneof![20 => select(WRITTEN_EXPOSE), 1 => Just("*")].prop_map(String::from),
            0..=3
        )
        .prop_map(Some),
    ];
    let numbers = (
        prop_oneof![
            6 => Just(None),
            6 => select(&[0i64, 5, 600, 7200, 86_400][..]).prop_map(Some),
            1 => select(&[86_401i64, -1, 7_201][..]).prop_map(Some),
        ],
        prop_oneof![
            30 => Just(None),
            10 => select(&[200i64, 204, 299][..]).prop_map(Some),
            1 => Just(Some(300i64)),
        ],
    );
    let flag = |none: u32, yes: u32, no: u32| prop_oneof![none => Just(None), yes => Just(Some(true)), no => Just(Some(false))];
    let flags = (flag(2, 3, 1), flag(2, 1, 1), flag(1, 2, 1), flag(2, 1, 1));
    (
        origins,
        list_of(WRITTEN_METHODS, BAD_METHODS, 4),
        list_of(WRITTEN_HEADERS, BAD_HEADERS, 4),
        expose,
        numbers,
        flags,
        prop_oneof![4 => Just(Front::Ast), 4 => Just(Front::Yaml), 2 => Just(Front::Macro), 1 => Just(Front::All)],
    )
        .prop_map(
            |(
                (origins, samples),
                methods,
                headers,
                expose,
                (max_age, status),
                (creds, pna, insecure, psl),
                front,
            )| {
                GenPolicy {
                    written: WrittenPolicy {
                        origins,
                        methods,
                        headers,
                        expose,
                        credentials: creds,
                        max_age,
                        private_network: pna,
                        preflight_status: status,
                        insecure_ok: insecure,
                        public_suffix_ok: psl,
                        writes: None,
                    },
                    samples,
                    front,
                }
            },
        )
}

fn span() -> Span {
    Span::File { start: 0, end: 0, line: 1, column: 1 }
}

fn spanned_list<T>(items: Vec<T>) -> Spanned<Vec<Spanned<T>>> {
    Spanned::new(items.into_iter().map(|i| Spanned::new(i, span())).collect(), span())
}

fn to_ast(p: &WrittenPolicy) -> PolicyAst {
    let mut ast = PolicyAst::empty(None, span());
    ast.allow_origins = Some(spanned_list(
        p.origins
            .iter()
            .map(|o| match o {
                Written::Literal(t) => OriginEntry::Literal(t.clone()),
                Written::Regex(r) => OriginEntry::Regex(r.clone()),
            })
            .collect(),
    ));
    ast.allow_methods = p.methods.clone().map(spanned_list);
    ast.allow_headers = p.headers.clone().map(spanned_list);
    ast.expose_headers = p.expose.clone().map(spanned_list);
    let flag = |b: Option<bool>| b.map(|b| Spanned::new(b, span()));
    ast.allow_credentials = flag(p.credentials);
    ast.allow_private_network = flag(p.private_network);
    ast.dangerously_allow_insecure_origins = flag(p.insecure_ok);
    ast.dangerously_allow_public_suffix_subdomains = flag(p.public_suffix_ok);
    ast.max_age = p.max_age.map(|m| Spanned::new(m, span()));
    ast.preflight_status = p.preflight_status.map(|s| Spanned::new(s, span()));
    if let Some(w) = &p.writes {
        ast.protect_writes = Some(Spanned::new(w.protect, span()));
        ast.write_origins = w.write_origins.as_ref().map(|list| {
            spanned_list(
                list.iter()
                    .map(|o| match o {
                        Written::Literal(t) => OriginEntry::Literal(t.clone()),
                        Written::Regex(r) => OriginEntry::Regex(r.clone()),
                    })
                    .collect(),
            )
        });
        ast.write_exempt_paths = w.exempt_paths.clone().map(spanned_list);
        ast.public_host = w.public_host.clone().map(|h| Spanned::new(h, span()));
    }
    ast
}

/// The policy as a YAML file: every string single-quoted, lists in flow style.
fn to_yaml(p: &WrittenPolicy) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let list = |items: &[String]| items.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ");
    let origins: Vec<String> = p
        .origins
        .iter()
        .map(|o| match o {
            Written::Literal(t) => quote(t),
            Written::Regex(r) => format!("{{regex: {}}}", quote(r)),
        })
        .collect();
    let mut text = format!("allow_origins: [{}]\n", origins.join(", "));
    for (key, value) in
        [("allow_methods", &p.methods), ("allow_headers", &p.headers), ("expose_headers", &p.expose)]
    {
        if let Some(items) = value {
            text.push_str(&format!("{key}: [{}]\n", list(items)));
        }
    }
    for (key, value) in [
        ("allow_credentials", p.credentials),
        ("allow_private_network", p.private_network),
        ("dangerously_allow_insecure_origins", p.insecure_ok),
        ("dangerously_allow_public_suffix_subdomains", p.public_suffix_ok),
    ] {
        if let Some(b) = value {
            text.push_str(&format!("{key}: {b}\n"));
        }
    }
    for (key, value) in [("max_age", p.max_age), ("preflight_status", p.preflight_status)] {
        if let Some(n) = value {
            text.push_str(&format!("{key}: {n}\n"));
        }
    }
    if let Some(w) = &p.writes {
        text.push_str(&format!("protect_writes: {}\n", w.protect));
        if let Some(list) = &w.write_origins {
            let entries: Vec<String> = list
                .iter()
                .map(|o| match o {
                    Written::Literal(t) => quote(t),
                    Written::Regex(r) => format!("{{regex: {}}}", quote(r)),
                })
                .collect();
            text.push_str(&format!("write_origins: [{}]\n", entries.join(", ")));
        }
        if let Some(paths) = &w.exempt_paths {
            text.push_str(&format!("write_exempt_paths: [{}]\n", list(paths)));
        }
        if let Some(host) = &w.public_host {
            text.push_str(&format!("public_host: {}\n", quote(host)));
        }
    }
    text
}

/// The policy as `cors_policy!` input: Rust string literals, `regex("...")` entries.
fn to_macro(p: &WrittenPolicy) -> String {
    let list = |items: &[String]| items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
    let origins: Vec<String> = p
        .origins
        .iter()
        .map(|o| match o {
            Written::Literal(t) => format!("{t:?}"),
            Written::Regex(r) => format!("regex({r:?})"),
        })
        .collect();
    let mut fields = vec![format!("allow_origins: [{}]", origins.join(", "))];
    for (key, value) in
        [("allow_methods", &p.methods), ("allow_headers", &p.headers), ("expose_headers", &p.expose)]
    {
        if let Some(items) = value {
            fields.push(format!("{key}: [{}]", list(items)));
        }
    }
    for (key, value) in [
        ("allow_credentials", p.credentials),
        ("allow_private_network", p.private_network),
        ("dangerously_allow_insecure_origins", p.insecure_ok),
        ("dangerously_allow_public_suffix_subdomains", p.public_suffix_ok),
    ] {
        if let Some(b) = value {
            fields.push(format!("{key}: {b}"));
        }
    }
    for (key, value) in [("max_age", p.max_age), ("preflight_status", p.preflight_status)] {
        if let Some(n) = value {
            fields.push(format!("{key}: {n}"));
        }
    }
    if let Some(w) = &p.writes {
        fields.push(format!("protect_writes: {}", w.protect));
        if let Some(entries) = &w.write_origins {
            let entries: Vec<String> = entries
                .iter()
                .map(|o| match o {
                    Written::Literal(t) => format!("{t:?}"),
                    Written::Regex(r) => format!("regex({r:?})"),
                })
                .collect();
            fields.push(format!("write_origins: [{}]", entries.join(", ")));
        }
        if let Some(paths) = &w.exempt_paths {
            fields.push(format!("write_exempt_paths: [{}]", list(paths)));
        }
        if let Some(host) = &w.public_host {
            fields.push(format!("public_host: {host:?}"));
        }
    }
    fields.join(", ")
}

fn compile_macro(p: &WrittenPolicy) -> Compilation {
    let tokens: proc_macro2::TokenStream = to_macro(p).parse().expect("generated macro input lexes");
    let (input, mut diagnostics) = cors_policy::tokens::parse(tokens);
    let Some(cors_policy::tokens::MacroInput::Inline(ast)) = input else {
        panic!("not an inline policy: {diagnostics:#?}");
    };
    let mut compilation = cors_policy::compile(&[*ast]);
    if diagnostics.iter().any(Diagnostic::is_error) {
        compilation.policies.clear();
    }
    diagnostics.append(&mut compilation.diagnostics);
    compilation.diagnostics = diagnostics;
    compilation
}

fn compile(p: &GenPolicy) -> Result<Compilation, TestCaseError> {
    match p.front {
        Front::Ast => Ok(cors_policy::compile(&[to_ast(&p.written)])),
        Front::Yaml => Ok(cors_policy::compile_yaml(&to_yaml(&p.written))),
        Front::Macro => Ok(compile_macro(&p.written)),
        Front::All => {
            // The front ends must read the same policy into the same tables and findings.
            let from_ast = cors_policy::compile(&[to_ast(&p.written)]);
            let findings = |c: &Compilation| {
                let mut f: Vec<_> = c.diagnostics.iter().map(|d| (d.check.code(), d.severity)).collect();
                f.sort();
                f
            };
            for (front, other) in [
                ("YAML", cors_policy::compile_yaml(&to_yaml(&p.written))),
                ("macro", compile_macro(&p.written)),
            ] {
                prop_assert_eq!(
                    findings(&from_ast),
                    findings(&other),
                    "{} front end\npolicy:\n{}",
                    front,
                    to_yaml(&p.written)
                );
                prop_assert_eq!(
                    &from_ast.policies,
                    &other.policies,
                    "{} front end\npolicy:\n{}",
                    front,
                    to_yaml(&p.written)
                );
            }
            Ok(from_ast)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests.

/// Changes to an origin; several may apply in turn.
#[derive(Clone, Debug)]
enum Mutation {
    UpperScheme,
    UpperHostLetter,
    UpperAll,
    TrailingDot,
    Port(&'static str),
    DropPort,
    GlueBefore(&'static str),
    AppendToHost(&'static str),
    Subdomain(&'static str),
    Scheme(&'static str),
    Separator(&'static str),
    After(&'static str),
    Userinfo,
    Surround(&'static str),
    Replace(&'static [u8]),
    Unicode,
    InsertByte(u8, usize),
    PadTo(usize),
    Truncate(usize),
}

const PORTS: &[&str] = &[
    ":1", ":80", ":443", ":3000", ":5173", ":8080", ":8443", ":65535", ":0", ":00443", ":65536", ":",
    ":99999", ":+1", ":1a", ":*",
];
const SUBDOMAINS: &[&str] = &[
    "a",
    "a.b",
    "_x",
    "x-y",
    "A",
    "a..b",
    "-",
    "",
    "é",
    "a b",
    "xn--n3h",
    "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc",
    "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd",
];

const REPLACEMENTS: &[&[u8]] =
    &[b"null", b"NULL", b"", b"*", b"file://", b"https://", b"https:// ", b"https://[::1", b"https://[::1]x"];
const PNA_VALUES: &[&[u8]] = &[b"true", b"TRUE", b"false", b"", b" true"];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => Just(Mutation::UpperScheme),
        1 => Just(Mutation::UpperHostLetter),
        1 => Just(Mutation::UpperAll),
        2 => Just(Mutation::TrailingDot),
        3 => select(PORTS).prop_map(Mutation::Port),
        1 => Just(Mutation::DropPort),
        2 => select(&["evil", "x", "evil.", "-"][..]).prop_map(Mutation::GlueBefore),
        2 => select(&[".evil.net", "evil.net", ".", "x", "-", "_", ".com"][..]).prop_map(Mutation::AppendToHost),
        3 => select(SUBDOMAINS).prop_map(Mutation::Subdomain),
        2 => select(&["http", "https", "ws", "wss", "ftp", "HTTPS", "chrome-extension", "", "h ttp", "1https", "https+x"][..]).prop_map(Mutation::Scheme),
        1 => select(&[":/", ":///", "//", ":\\\\", "://:"][..]).prop_map(Mutation::Separator),
        1 => select(&["/", "/x", "?", "#", " ", "\t", "\r\n"][..]).prop_map(Mutation::After),
        1 => Just(Mutation::Userinfo),
        1 => select(&[" ", "\t", "\""][..]).prop_map(Mutation::Surround),
        1 => select(REPLACEMENTS).prop_map(Mutation::Replace),
        1 => Just(Mutation::Unicode),
        1 => (select(&[0xffu8, 0xc3, 0x80, 0x00, b'%', b'@', b'\\'][..]), any::<usize>()).prop_map(|(b, at)| Mutation::InsertByte(b, at)),
        2 => select(&[325usize, 326, 327, 400, 5_000][..]).prop_map(Mutation::PadTo),
        1 => (1..6usize).prop_map(Mutation::Truncate),
    ]
}

/// Splits `scheme://host[:port]` textually (no validation); a string without `://` is all host.
fn split(origin: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let Some(at) = origin.windows(3).position(|w| w == b"://") else {
        return (Vec::new(), origin.to_vec(), Vec::new());
    };
    let (scheme, authority) = (&origin[..at], &origin[at + 3..]);
    let after_bracket = authority.iter().rposition(|&b| b == b']').map_or(0, |i| i + 1);
    match authority[after_bracket..].iter().rposition(|&b| b == b':') {
        Some(i) => {
            let i = after_bracket + i;
            (scheme.to_vec(), authority[..i].to_vec(), authority[i..].to_vec())
        }
        None => (scheme.to_vec(), authority.to_vec(), Vec::new()),
    }
}

fn join(scheme: &[u8], host: &[u8], port: &[u8]) -> Vec<u8> {
    [scheme, b"://", host, port].concat()
}

fn apply(origin: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let (scheme, host, port) = split(&origin);
    match m {
        Mutation::UpperScheme => join(&scheme.to_ascii_uppercase(), &host, &port),
        Mutation::UpperHostLetter => {
            let mut host = host;
            if let Some(b) = host.iter_mut().find(|b| b.is_ascii_lowercase()) {
                b.make_ascii_uppercase();
            }
            join(&scheme, &host, &port)
        }
        Mutation::UpperAll => origin.to_ascii_uppercase(),
        Mutation::TrailingDot => join(&scheme, &[&host[..], b"."].concat(), &port),
        Mutation::Port(p) => join(&scheme, &host, p.as_bytes()),
        Mutation::DropPort => join(&scheme, &host, b""),
        Mutation::GlueBefore(s) => join(&scheme, &[s.as_bytes(), &host].concat(), &port),
        Mutation::AppendToHost(s) => join(&scheme, &[&host[..], s.as_bytes()].concat(), &port),
        Mutation::Subdomain(s) => join(&scheme, &[s.as_bytes(), b".", &host].concat(), &port),
        Mutation::Scheme(s) => join(s.as_bytes(), &host, &port),
        Mutation::Separator(sep) => [&scheme[..], sep.as_bytes(), &host, &port].concat(),
        Mutation::After(s) => [&origin[..], s.as_bytes()].concat(),
        Mutation::Userinfo => join(&scheme, &[&b"user@"[..], &host].concat(), &port),
        Mutation::Surround(s) => [s.as_bytes(), &origin, s.as_bytes()].concat(),
        Mutation::Replace(r) => r.to_vec(),
        Mutation::Unicode => {
            let text = String::from_utf8_lossy(&origin)
                .replace("xn--bcher-kva", "bücher")
                .replace("example", "exämple");
            text.into_bytes()
        }
        Mutation::InsertByte(b, at) => {
            let mut origin = origin;
            let at = at % (origin.len() + 1);
            origin.insert(at, *b);
            origin
        }
        Mutation::PadTo(total) => {
            let scheme = String::from_utf8_lossy(&scheme).into_owned();
            let host = String::from_utf8_lossy(&host).into_owned();
            let port = String::from_utf8_lossy(&port).into_owned();
            join(scheme.as_bytes(), padded_host(&scheme, &host, &port, *total).as_bytes(), port.as_bytes())
        }
        Mutation::Truncate(n) => origin[..origin.len().saturating_sub(*n)].to_vec(),
    }
}

#[derive(Clone, Debug)]
enum GenOrigin {
    Absent,
    One(usize, Vec<Mutation>),
    Two(usize, usize),
}

/// A method: from a fixed pool, or one of the policy's own, possibly with its case flipped.
#[derive(Clone, Debug)]
enum GenMethod {
    Pool(usize),
    Policy(usize, bool),
}

const METHOD_POOL: &[&[u8]] = &[
    b"GET",
    b"HEAD",
    b"POST",
    b"get",
    b"post",
    b"PUT",
    b"put",
    b"Put",
    b"PATCH",
    b"patch",
    b"DELETE",
    b"delete",
    b"OPTIONS",
    b"options",
    b"CONNECT",
    b"connect",
    b"TRACE",
    b"track",
    b"*",
    b"X-Custom",
    b"x-custom",
    b"Egg",
    b"eGg",
    b"PROPFIND",
    b"M-SEARCH",
    b"PU T",
    b"",
    b"P,UT",
    b"PUT ",
    b" PUT",
    b"(PUT)",
    b"P\xc3\xa9T",
    b"\xff",
    b"PUT\r\n",
    b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    b"!#$%&'*+-.^_`|~",
];

const HTTP_METHODS: &[&[u8]] =
    &[b"OPTIONS", b"options", b"Options", b"GET", b"POST", b"PUT", b"DELETE", b"HEAD", b"PATCH"];

/// A header name in a request list.
#[derive(Clone, Debug)]
enum GenName {
    Pool(usize),
    /// One of the policy's own `allow_headers`, in lower (0), upper (1) or as written (2) case.
    Policy(usize, u8),
}

const NAME_POOL: &[&[u8]] = &[
    b"content-type",
    b"authorization",
    b"Authorization",
    b"AUTHORIZATION",
    b"x-request-id",
    b"x-api-key",
    b"*",
    b"x y",
    b"x/y",
    b"\xc3\xa9",
    b"x-\xff",
    b"if-match",
    b"x_under",
    b"accept",
    b"!#$%&'*+-.^_`|~",
    b"x-a",
    b"\"x\"",
    b"x:y",
    b"x=1",
];

#[derive(Clone, Debug)]
struct GenElement {
    name: GenName,
    before: &'static str,
    after: &'static str,
}

const OWS: &[&str] = &[" ", "  ", "   ", "\t", " \t", "\t\t\t", "\u{a0}"];

#[derive(Clone, Debug)]
enum GenLine {
    Names(Vec<GenElement>, &'static str),
    Raw(&'static [u8]),
}

const RAW_LINES: &[&[u8]] = &[
    b"",
    b",",
    b" , ",
    b",,,",
    b"  ",
    b"   ",
    b"\t",
    b"x-a,,x-a",
    b"x-a\t",
    b"\xc3\xa9",
    b"\xff",
    b"authorization",
    b"AUTHORIZATION",
    b"content-type,authorization",
    b" content-type , x-request-id ",
    b"content-type;x-a",
];

/// Request-header lists that sit on, or just past, one of the documented bounds.
#[derive(Clone, Debug)]
enum Stress {
    Lines(usize),
    Names(usize),
    Bytes(usize),
    Empties(usize),
    Spaces(usize),
}

#[derive(Clone, Debug)]
struct GenRequest {
    method: usize,
    name_case: u8,
    origin: GenOrigin,
    request_method: Vec<GenMethod>,
    request_headers: Vec<GenLine>,
    stress: Option<Stress>,
    private_network: Vec<&'static [u8]>,
    noise: bool,
}

fn gen_method() -> impl Strategy<Value = GenMethod> {
    prop_oneof![
        1 => (0..METHOD_POOL.len()).prop_map(GenMethod::Pool),
        3 => (any::<usize>(), prop::bool::weighted(0.2)).prop_map(|(i, flip)| GenMethod::Policy(i, flip)),
    ]
}

fn gen_line() -> impl Strategy<Value = GenLine> {
    let name = prop_oneof![
        1 => (0..NAME_POOL.len()).prop_map(GenName::Pool),
        4 => (any::<usize>(), 0..3u8).prop_map(|(i, case)| GenName::Policy(i, case)),
    ];
    let ows = || prop_oneof![6 => Just(""), 1 => select(OWS)];
    let element = (name, ows(), ows()).prop_map(|(name, before, after)| GenElement { name, before, after });
    prop_oneof![
        8 => (proptest::collection::vec(element, 1..=3), prop_oneof![6 => Just(""), 1 => select(&[",", ", ", ",,"][..])])
            .prop_map(|(elements, end)| GenLine::Names(elements, end)),
        1 => select(RAW_LINES).prop_map(GenLine::Raw),
    ]
}

fn request() -> impl Strategy<Value = GenRequest> {
    let origin = prop_oneof![
        1 => Just(GenOrigin::Absent),
        12 => (
            any::<usize>(),
            prop_oneof![
                7 => Just(Vec::new()),
                4 => proptest::collection::vec(mutation(), 1),
                2 => proptest::collection::vec(mutation(), 2),
            ]
        )
            .prop_map(|(i, m)| GenOrigin::One(i, m)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| GenOrigin::Two(a, b)),
    ];
    let stress = prop_oneof![
        12 => Just(None),
        1 => prop_oneof![
            select(&[15usize, 16, 17, 40][..]).prop_map(Stress::Lines),
            select(&[63usize, 64, 65, 1_000][..]).prop_map(Stress::Names),
            select(&[4_095usize, 4_096, 4_097, 100_000][..]).prop_map(Stress::Bytes),
            select(&[15usize, 16, 17, 1_000][..]).prop_map(Stress::Empties),
            select(&[2usize, 3, 100][..]).prop_map(Stress::Spaces),
        ]
        .prop_map(Some),
    ];
    let private_network = prop_oneof![
        4 => Just(Vec::new()),
        1 => proptest::collection::vec(select(PNA_VALUES), 1..=2),
    ];
    (
        prop_oneof![6 => Just(0usize), 1 => 0..HTTP_METHODS.len()],
        0..3u8,
        origin,
        prop_oneof![1 => Just(Vec::new()), 6 => proptest::collection::vec(gen_method(), 1..=2)],
        prop_oneof![
            4 => Just(Vec::new()),
            4 => proptest::collection::vec(gen_line(), 1),
            2 => proptest::collection::vec(gen_line(), 2..=3),
        ],
        stress,
        private_network,
        any::<bool>(),
    )
        .prop_map(
            |(method, name_case, origin, request_method, request_headers, stress, private_network, noise)| {
                GenRequest {
                    method,
                    name_case,
                    origin,
                    request_method,
                    request_headers,
                    stress,
                    private_network,
                    noise,
                }
            },
        )
}

/// Generic samples added to every policy's own.
const COMMON_SAMPLES: &[&str] =
    &["https://example.com", "https://attacker.invalid", "null", "http://localhost:3000"];

fn flip_case(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|b| if b.is_ascii_lowercase() { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() })
        .collect()
}

/// Turns a generated request into header lines, aimed at `policy`.
fn build_request(policy: &GenPolicy, r: &GenRequest) -> (Vec<u8>, Vec<(String, Vec<u8>)>) {
    let name = |lower: &str| -> String {
        match r.name_case {
            0 => lower.to_string(),
            1 => lower
                .split('-')
                .map(|w| format!("{}{}", w[..1].to_ascii_uppercase(), &w[1..]))
                .collect::<Vec<_>>()
                .join("-"),
            _ => lower.to_ascii_uppercase(),
        }
    };
    // Mostly the policy's own samples, sometimes a generic one.
    let sample = |i: usize| -> Vec<u8> {
        if i % 6 == 0 || policy.samples.is_empty() {
            COMMON_SAMPLES[(i / 6) % COMMON_SAMPLES.len()].as_bytes().to_vec()
        } else {
            policy.samples[(i / 6) % policy.samples.len()].as_bytes().to_vec()
        }
    };
    let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
    if r.noise {
        headers.push(("x-forwarded-for".into(), b"203.0.113.7".to_vec()));
        headers.push(("access-control-request-methods".into(), b"PUT".to_vec()));
    }
    match &r.origin {
        GenOrigin::Absent => {}
        GenOrigin::One(i, mutations) => {
            let origin = mutations.iter().fold(sample(*i), apply);
            headers.push((name("origin"), origin));
        }
        GenOrigin::Two(a, b) => {
            headers.push((name("origin"), sample(*a)));
            headers.push((name("origin"), sample(*b)));
        }
    }
    let written_methods: Vec<&String> = policy.written.methods.iter().flatten().collect();
    for m in &r.request_method {
        let value = match m {
            GenMethod::Pool(i) => METHOD_POOL[*i].to_vec(),
            GenMethod::Policy(i, flip) => {
                let m = written_methods
                    .get(i % written_methods.len().max(1))
                    .map_or(&b"PUT"[..], |m| m.as_bytes());
                if *flip {
                    flip_case(m)
                } else {
                    m.to_vec()
                }
            }
        };
        headers.push((name("access-control-request-method"), value));
    }
    let written_headers: Vec<&String> =
        policy.written.headers.iter().flatten().filter(|h| *h != "*").collect();
    let allowed = |i: usize| -> Vec<u8> {
        written_headers
            .get(i % written_headers.len().max(1))
            .map_or(b"x-a".to_vec(), |h| h.as_bytes().to_vec())
    };
    let acrh = name("access-control-request-headers");
    match &r.stress {
        None => {
            for line in &r.request_headers {
                let value = match line {
                    GenLine::Raw(raw) => raw.to_vec(),
                    GenLine::Names(elements, end) => {
                        let mut value = Vec::new();
                        for (k, e) in elements.iter().enumerate() {
                            if k > 0 {
                                value.push(b',');
                            }
                            let n = match &e.name {
                                GenName::Pool(i) => NAME_POOL[*i].to_vec(),
                                GenName::Policy(i, 0) => allowed(*i).to_ascii_lowercase(),
                                GenName::Policy(i, 1) => allowed(*i).to_ascii_uppercase(),
                                GenName::Policy(i, _) => allowed(*i),
                            };
                            value.extend_from_slice(e.before.as_bytes());
                            value.extend_from_slice(&n);
                            value.extend_from_slice(e.after.as_bytes());
                        }
                        value.extend_from_slice(end.as_bytes());
                        value
                    }
                };
                headers.push((acrh.clone(), value));
            }
        }
        Some(stress) => {
            let a = allowed(0);
            let lines: Vec<Vec<u8>> = match *stress {
                Stress::Lines(n) => (0..n).map(allowed).collect(),
                Stress::Names(n) => vec![vec![a.clone(); n].join(&b","[..])],
                Stress::Bytes(n) => {
                    // One long name if it fits a `*` policy, else `n` bytes of allowed names.
                    let mut line = a.clone();
                    while line.len() < n {
                        line.push(if line.len() % 16 == 0 { b',' } else { b'x' });
                    }
                    let names = line.split(|&b| b == b',').count();
                    if names > 64 {
                        vec![vec![b'x'; n]]
                    } else {
                        vec![line]
                    }
                }
                Stress::Empties(n) => vec![[&a[..], &vec![b','; n][..]].concat()],
                Stress::Spaces(n) => vec![[&vec![b' '; n][..], &a[..], &vec![b'\t'; n][..]].concat()],
            };
            for line in lines {
                headers.push((acrh.clone(), line));
            }
        }
    }
    for value in &r.private_network {
        headers.push((name("access-control-request-private-network"), value.to_vec()));
    }
    (HTTP_METHODS[r.method].to_vec(), headers)
}

// ---------------------------------------------------------------------------------------------
// Comparison.

fn observed<'r, H: RequestHeaders<'r>>(d: &Decision<'_, 'r, H>) -> Outcome {
    let refusal = d.refusal().map(|r| match r {
        Refusal::OriginNotAllowed(o) => Why::OriginNotAllowed(o.to_vec()),
        Refusal::MalformedOrigin => Why::MalformedOrigin,
        Refusal::MethodNotAllowed(m) => Why::MethodNotAllowed(m.to_vec()),
        Refusal::MalformedMethod => Why::MalformedMethod,
        Refusal::HeaderNotAllowed(h) => Why::HeaderNotAllowed(h.to_vec()),
        Refusal::AuthorizationNotListed => Why::AuthorizationNotListed,
        Refusal::MalformedRequestHeaders => Why::MalformedRequestHeaders,
        Refusal::RequestHeadersTooLarge => Why::RequestHeadersTooLarge,
        Refusal::PrivateNetworkNotAllowed => Why::PrivateNetworkNotAllowed,
    });
    let headers = d
        .headers()
        .iter()
        .map(|(name, value)| Header {
            name: name.as_str(),
            value: value.as_bytes().to_vec(),
            source: match value {
                Value::Static(_) => Source::Static,
                Value::Echo(Echo::Origin, _) => Source::Origin,
                Value::Echo(Echo::RequestMethod, _) => Source::Method,
                Value::Echo(Echo::RequestHeaders(i), _) => Source::HeadersLine(usize::from(*i)),
            },
        })
        .collect();
    assert_eq!(d.is_allowed(), d.refusal().is_none());
    Outcome { kind: d.kind().as_str(), status: d.status(), refusal, headers }
}

/// Where [`header_map`] puts lines of other headers.
#[derive(Clone, Copy, Debug)]
enum Padding {
    None,
    /// One after each line of the request.
    Between,
    /// This many before the request's lines.
    Ahead(usize),
}

/// The request as an `http::HeaderMap`, with other headers added as `padding` says; `None`
/// when a line is no valid `http` header (a control byte in a value).
fn header_map(headers: &[(String, Vec<u8>)], padding: Padding) -> Option<http::HeaderMap> {
    let pad = |map: &mut http::HeaderMap, i: usize| {
        let name = http::HeaderName::try_from(format!("x-pad-{}", i % 3)).expect("a header name");
        map.append(name, http::HeaderValue::from(i));
    };
    let mut map = http::HeaderMap::new();
    if let Padding::Ahead(lines) = padding {
        (0..lines).for_each(|i| pad(&mut map, i));
    }
    for (i, (name, value)) in headers.iter().enumerate() {
        let name = http::HeaderName::from_bytes(name.as_bytes()).ok()?;
        map.append(name, http::HeaderValue::from_bytes(value).ok()?);
        if let Padding::Between = padding {
            pad(&mut map, i);
        }
    }
    Some(map)
}

fn show_request(method: &[u8], headers: &[(String, Vec<u8>)]) -> String {
    let mut out = format!("{}\n", method.escape_ascii());
    for (n, v) in headers {
        let v = v.escape_ascii().to_string();
        let v = if v.len() > 200 { format!("{}... ({} bytes)", &v[..200], v.len()) } else { v };
        out.push_str(&format!("  {n}: {v}\n"));
    }
    out
}

/// Compiles the policy and compares every request; `Ok(None)` when the compiler refused it.
fn check_policy(
    policy: &GenPolicy,
    requests: &[GenRequest],
    tally: &mut BTreeMap<String, usize>,
) -> Result<bool, TestCaseError> {
    let compilation = compile(policy)?;
    let Some(tables) = compilation.policies.first() else {
        for d in compilation.diagnostics.iter().filter(|d| d.is_error()) {
            *tally.entry(format!("policy refused by {}", d.check.code())).or_default() += 1;
        }
        return Ok(false);
    };
    prop_assert!(!compilation.has_errors());
    let oracle = Oracle::new(&policy.written);
    for r in requests {
        let (method, headers) = build_request(policy, r);
        let expected = oracle.evaluate(&method, &headers);
        let actual = tables.with_view(|p| observed(&p.evaluate(&method, headers.as_slice())));
        prop_assert_eq!(
            &actual,
            &expected,
            "compiled (left) and oracle (right) disagree\npolicy:\n{}request: {}",
            to_yaml(&policy.written),
            show_request(&method, &headers)
        );
        // The same request as an `http::HeaderMap`, read by lookups and in one pass, with other
        // headers between its lines and in front of them (past the one-pass limit).
        for padding in [Padding::None, Padding::Between, Padding::Ahead(25)] {
            let Some(map) = header_map(&headers, padding) else { break };
            for (reader, read) in
                [("lookups", HttpHeaders::new(&map)), ("one pass", HttpHeaders::read_once(&map))]
            {
                let actual = tables.with_view(|p| observed(&p.evaluate(&method, read)));
                prop_assert_eq!(
                    &actual,
                    &expected,
                    "the HeaderMap read by {} with {:?} (left) and the oracle (right) disagree\npolicy:\n{}request: {}",
                    reader,
                    padding,
                    to_yaml(&policy.written),
                    show_request(&method, &headers)
                );
            }
        }
        let why = match &expected.refusal {
            None => "allowed".to_string(),
            Some(why) => format!("{why:?}").split('(').next().unwrap_or_default().to_string(),
        };
        *tally.entry(format!("{} {why}", expected.kind)).or_default() += 1;
    }
    Ok(true)
}

fn seed() -> u64 {
    std::env::var("PROPTEST_RNG_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    })
}

#[test]
fn compiled_policies_agree_with_the_oracle() {
    let policies =
        std::env::var("CORS_DIFFERENTIAL_POLICIES").ok().and_then(|s| s.parse().ok()).unwrap_or(POLICIES);
    let seed = seed();
    eprintln!("differential: {policies} policies x {REQUESTS_PER_POLICY} requests, PROPTEST_RNG_SEED={seed}");
    let config = Config {
        cases: policies,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 4_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let tally = std::cell::RefCell::new(BTreeMap::<String, usize>::new());
    let (accepted, refused) = (std::cell::Cell::new(0usize), std::cell::Cell::new(0usize));
    let started = Instant::now();
    let strategy = (policy(), proptest::collection::vec(request(), REQUESTS_PER_POLICY));
    let result = runner.run(&strategy, |(policy, requests)| {
        let counter =
            if check_policy(&policy, &requests, &mut tally.borrow_mut())? { &accepted } else { &refused };
        counter.set(counter.get() + 1);
        Ok(())
    });
    let elapsed = started.elapsed();
    let (accepted, refused) = (accepted.get(), refused.get());
    let tally = tally.into_inner();
    let compared: usize = tally.iter().filter(|(k, _)| !k.starts_with("policy")).map(|(_, n)| n).sum();
    eprintln!(
        "differential: {compared} requests compared over {accepted} accepted policies ({refused} refused by the \
         compiler) in {elapsed:.1?} (PROPTEST_RNG_SEED={seed})"
    );
    for (what, n) in &tally {
        eprintln!("  {n:>7}  {what}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        accepted * 3 >= (accepted + refused) * 2,
        "only {accepted} of {} generated policies compiled",
        accepted + refused
    );
    assert!(compared >= policies as usize * REQUESTS_PER_POLICY * 2 / 3);
    // Every kind of answer was exercised.
    for what in ["not_cors allowed", "actual allowed", "preflight allowed", "preflight HeaderNotAllowed"] {
        assert!(tally.get(what).is_some_and(|&n| n * 1_000 >= compared), "too few `{what}`: {tally:#?}");
    }
}

/// Every regex of the menu, with every domain, is accepted: they are the safe ones. The one
/// that admits plain http on a public host is accepted without credentials only (CORS005).
#[test]
fn the_regex_menu_is_safe() {
    for (template, samples) in REGEX_MENU {
        for d in DOMAINS {
            let pattern = template.replace("{D}", &d.replace('.', r"\."));
            let plain_http = template.starts_with("^https?://");
            let credentialed = format!("allow_origins: [{{regex: '{pattern}'}}]\nallow_credentials: true\n");
            let codes: Vec<_> = cors_policy::compile_yaml(&credentialed)
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.check.code())
                .collect();
            assert_eq!(codes, if plain_http { &["CORS005"][..] } else { &[] }, "{pattern}");
            let yaml =
                if plain_http { format!("allow_origins: [{{regex: '{pattern}'}}]\n") } else { credentialed };
            let compilation = cors_policy::compile_yaml(&yaml);
            let errors: Vec<_> =
                compilation.diagnostics.iter().filter(|d| d.is_error()).map(|d| &d.message).collect();
            assert!(errors.is_empty(), "{pattern}: {errors:#?}");
            let tables = &compilation.policies[0];
            for s in samples.iter().map(|s| s.replace("{d}", d)) {
                let matches = Oracle::new(&WrittenPolicy {
                    origins: vec![Written::Regex(pattern.clone())],
                    ..Default::default()
                })
                .evaluate(b"GET", &[("origin".into(), s.clone().into_bytes())])
                .refusal
                .is_none();
                let compiled =
                    tables.with_view(|p| p.evaluate(b"GET", &[("origin", s.as_str())][..]).is_allowed());
                assert_eq!(compiled, matches, "{pattern} on {s}");
            }
        }
    }
}

/// A sanity check of the oracle itself on the documented examples.
#[test]
fn the_oracle_follows_the_documented_examples() {
    let policy = WrittenPolicy {
        origins: vec![
            Written::Literal("https://app.example.com".into()),
            Written::Literal("https://*.example.com".into()),
        ],
        methods: Some(vec!["PUT".into()]),
        ..Default::default()
    };
    let oracle = Oracle::new(&policy);
    let req = |o: &str, m: &str| {
        vec![
            ("Origin".to_string(), o.as_bytes().to_vec()),
            ("Access-Control-Request-Method".to_string(), m.as_bytes().to_vec()),
        ]
    };
    let allowed = oracle.evaluate(b"OPTIONS", &req("https://app.example.com", "PUT"));
    assert_eq!((allowed.kind, allowed.status, allowed.headers.len()), ("preflight", Some(204), 2));
    assert_eq!(oracle.evaluate(b"OPTIONS", &req("https://app.example.com", "patch")).status, Some(403));
    assert!(oracle.evaluate(b"OPTIONS", &req("https://a.b.example.com", "PUT")).refusal.is_none());
    for refused in [
        "https://example.com",
        "https://evilexample.com",
        "https://example.com.evil.net",
        "https://A.example.com",
    ] {
        assert!(oracle.evaluate(b"GET", &req(refused, "PUT")).refusal.is_some(), "{refused}");
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: disagreements between what the compiler accepts and what the runtime can match.

/// `MAX_ORIGIN_LEN`, as documented by the runtime: longer `Origin` values are refused unread.
const RUNTIME_MAX_ORIGIN_LEN: usize = cors_policy_runtime::MAX_ORIGIN_LEN;

/// A host of five 63-byte labels under `example.com`: 331 bytes.
fn long_host() -> String {
    format!("{}.example.com", vec!["a".repeat(63); 5].join("."))
}

/// The only error of a one-line YAML policy, as `(line, column)`.
fn error_at(yaml: &str) -> Vec<(&'static str, Option<(u32, u32)>)> {
    let compilation = cors_policy::compile_yaml(yaml);
    compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.check.code(), d.span.line_column()))
        .collect()
}

/// Regression: an exact origin longer than `MAX_ORIGIN_LEN` compiled without a word, although
/// the runtime refuses every such `Origin` unread: an entry that can never match, the kind of
/// mistake the compiler exists to reject (CORS015 would fit).
#[test]
fn an_exact_origin_longer_than_the_runtime_reads_is_an_error() {
    let origin = format!("https://{}", long_host());
    assert!(origin.len() > RUNTIME_MAX_ORIGIN_LEN);
    let yaml = format!("allow_origins: ['{origin}']\n");
    // It really can never match.
    if let Some(tables) = cors_policy::compile_yaml(&yaml).policies.first() {
        assert!(!tables.with_view(|p| p.evaluate(b"GET", &[("origin", origin.as_str())][..]).is_allowed()));
    }
    let errors = error_at(&yaml);
    assert!(!errors.is_empty() && errors.iter().all(|(_, at)| *at == Some((1, 17))), "{errors:?}");
}

/// Regression: the same for a `*.` pattern whose shortest match is longer than `MAX_ORIGIN_LEN`.
#[test]
fn a_subdomain_pattern_that_only_matches_overlong_origins_is_an_error() {
    let yaml = format!("allow_origins: ['https://*.{}']\n", long_host());
    let errors = error_at(&yaml);
    assert!(!errors.is_empty() && errors.iter().all(|(_, at)| *at == Some((1, 17))), "{errors:?}");
}

/// Regression: a regex whose every match is longer than `MAX_ORIGIN_LEN` can never match an
/// `Origin` header, which is what CORS049 reports for other regexes that cannot.
#[test]
fn a_regex_that_only_matches_overlong_origins_is_an_error() {
    let yaml = "allow_origins: [{regex: '^https://a{400}\\.example\\.com$'}]\n";
    assert_eq!(error_at(yaml), [("CORS049", Some((1, 25)))]);
}

/// The boundary itself is consistent: an origin of exactly `MAX_ORIGIN_LEN` bytes is matched.
#[test]
fn an_origin_of_exactly_the_documented_length_matches() {
    let origin = format!("https://{}", padded_host("https", "example.com", "", RUNTIME_MAX_ORIGIN_LEN));
    assert_eq!(origin.len(), RUNTIME_MAX_ORIGIN_LEN);
    let pattern = "allow_origins: ['https://*.example.com']\n";
    let compilation = cors_policy::compile_yaml(pattern);
    let tables = compilation.policy(None).expect("compiles");
    tables.with_view(|p| {
        assert!(p.evaluate(b"GET", &[("origin", origin.as_str())][..]).is_allowed());
        let longer = format!("https://x{}", &origin["https://".len()..]);
        assert!(!p.evaluate(b"GET", &[("origin", longer.as_str())][..]).is_allowed());
    });
}

/// Regression: a regex whose every match has a port no browser sends (`:0`, a leading zero,
/// above 65535) can never match, like the literal origins that get `CORS017` for those ports;
/// CORS049 says so for regexes that cannot match an `Origin` header.
#[test]
fn a_regex_whose_ports_no_browser_sends_is_an_error() {
    for pattern in [
        r"^https://app\.example\.com:99999$",
        r"^https://app\.example\.com:0$",
        r"^https://app\.example\.com:08080$",
    ] {
        let yaml = format!("allow_origins: [{{regex: '{pattern}'}}]\n");
        assert_eq!(error_at(&yaml), [("CORS049", Some((1, 25)))], "{pattern}");
    }
}

/// Regression: `data:`, `javascript:` and `about:` documents have opaque origins and send
/// `Origin: null` (URL Standard, origin of a URL), so these entries can never match; `file:`,
/// the other such scheme, is already `CORS004`.
#[test]
fn an_origin_with_an_opaque_scheme_is_an_error() {
    for origin in ["data://app.example.com", "javascript://app.example.com", "about://app.example.com"] {
        let errors = error_at(&format!("allow_origins: ['{origin}']\n"));
        assert!(
            !errors.is_empty() && errors.iter().all(|(_, at)| *at == Some((1, 17))),
            "{origin}: {errors:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// protect_writes: `Policy::protect_writes` against `WriteOracle`.

/// Policies with protect_writes per run, and requests per policy: a few seconds in debug.
const WRITE_POLICIES: u32 = 300;
const WRITE_REQUESTS_PER_POLICY: usize = 60;

/// Host names a deployment may have, written as browsers and clients write them.
const WRITE_HOSTS: &[&str] = &[
    "api.example.com",
    "API.Example.com",
    "shop.example",
    "localhost",
    "127.0.0.1",
    "[::1]",
    "[2001:db8::1]",
    "[2001:DB8::1]",
    "backend",
    "api.example.com.",
    "a_b.example",
];
const WRITE_PORTS: &[&str] = &["", "", "", ":80", ":443", ":8080", ":3000", ":0443", ":", ":x"];
const WRITE_SCHEMES: &[&str] =
    &["https", "https", "http", "http", "wss", "ws", "ftp", "HTTPS", "chrome-extension"];
const EXEMPT_PATHS: &[&str] =
    &["/webhooks/*", "/webhooks/stripe", "/sso/callback", "/a/b/*", "/x", "/*", "/", "/webhooks/stripe/*"];
const BAD_EXEMPT_PATHS: &[&str] = &["webhooks", "/a/*/b", "/a/../b", "/x?y", "/*x"];
const PUBLIC_HOSTS: &[&str] = &[
    "api.example.com",
    "api.example.com:8080",
    "shop.example",
    "[::1]:3000",
    "localhost:3000",
    "[2001:db8::1]",
];
const BAD_PUBLIC_HOSTS: &[&str] =
    &["API.example.com", "https://api.example.com", "api.example.com/x", "*.example.com", ""];
const WRITE_METHODS: &[&str] = &[
    "POST", "POST", "PUT", "DELETE", "PATCH", "GET", "HEAD", "OPTIONS", "get", "post", "head", "options",
    "Get", "CONNECT", "TRACE", "PROPFIND",
];
const FETCH_SITES: &[&[u8]] = &[
    b"same-origin",
    b"same-origin",
    b"none",
    b"cross-site",
    b"cross-site",
    b"same-site",
    b"Same-Origin",
    b"same-origin ",
    b" none",
    b"",
    b"cross-site, same-origin",
    b"same-origin;x",
    b"NONE",
    b"\xffsame-origin",
];
const WRITE_PATHS: &[&str] = &[
    "/",
    "/transfer",
    "/webhooks",
    "/webhooks/",
    "/webhooks/stripe",
    "/webhooks/stripe/",
    "/webhooks/stripe/x",
    "/webhooksx",
    "/webhooksx/stripe",
    "/sso/callback",
    "/sso/callback/",
    "/sso/callbackx",
    "/a/b",
    "/a/b/",
    "/a/b/c",
    "/A/b/c",
    "/a/bc",
    "/x",
    "/x/",
    "/xy",
    "",
];

fn gen_writes() -> impl Strategy<Value = (WrittenWrites, Vec<String>)> {
    let write_origins = prop_oneof![
        2 => Just(None),
        2 => proptest::collection::vec(origin_entry(), 1..=2).prop_map(Some),
    ];
    let paths = prop_oneof![
        1 => Just(None),
        2 => proptest::collection::vec(
            prop_oneof![30 => select(EXEMPT_PATHS), 1 => select(BAD_EXEMPT_PATHS)].prop_map(String::from),
            0..=3
        )
        .prop_map(Some),
    ];
    let public_host = prop_oneof![
        6 => Just(None),
        5 => select(PUBLIC_HOSTS).prop_map(|h| Some(h.to_string())),
        1 => select(BAD_PUBLIC_HOSTS).prop_map(|h| Some(h.to_string())),
    ];
    (prop_oneof![20 => Just(true), 1 => Just(false)], write_origins, paths, public_host).prop_map(
        |(protect, write_origins, exempt_paths, public_host)| {
            let mut samples = Vec::new();
            let write_origins = write_origins.map(|entries| {
                let mut written = Vec::new();
                for (w, s) in entries {
                    if !written.contains(&w) {
                        written.push(w);
                    }
                    samples.extend(s);
                }
                written
            });
            // `protect_writes: false` with the other keys is refused (CORS058): now and then.
            (WrittenWrites { protect, write_origins, exempt_paths, public_host }, samples)
        },
    )
}

/// A request of the write-protection test: method, `(name, value)` lines, path.
#[derive(Clone, Debug)]
struct WriteCase {
    method: &'static str,
    origin: GenWriteOrigin,
    sites: Vec<&'static [u8]>,
    hosts: Vec<(usize, usize, bool)>,
    path: &'static str,
}

#[derive(Clone, Debug)]
enum GenWriteOrigin {
    Absent,
    /// One of the policy's samples (a trusted origin, or near one).
    Sample(usize),
    /// `scheme://host port` from the tables above: often the request's own host.
    Built(usize, usize, usize, bool),
    /// A fixed value.
    Fixed(&'static [u8]),
    /// Two lines.
    Twice(usize, &'static [u8]),
}

const FIXED_ORIGINS: &[&[u8]] = &[
    b"null",
    b"NULL",
    b"https://evil.example",
    b"https://api.example.com/",
    b"https://api.example.com/path",
    b"api.example.com",
    b"https://",
    b"https://api.example.com:",
    b"https://user@api.example.com",
    b"https://[::1",
    b"https://api.example.com:443:443",
    b"",
    b" https://api.example.com",
    b"https://api.example.com ",
];

fn write_case() -> impl Strategy<Value = WriteCase> {
    let origin = prop_oneof![
        2 => Just(GenWriteOrigin::Absent),
        3 => any::<usize>().prop_map(GenWriteOrigin::Sample),
        6 => (any::<usize>(), any::<usize>(), any::<usize>(), any::<bool>())
            .prop_map(|(s, h, p, upper)| GenWriteOrigin::Built(s, h, p, upper)),
        2 => select(FIXED_ORIGINS).prop_map(GenWriteOrigin::Fixed),
        1 => Just(GenWriteOrigin::Fixed(b"null")),
        1 => (any::<usize>(), select(FIXED_ORIGINS)).prop_map(|(i, v)| GenWriteOrigin::Twice(i, v)),
    ];
    let sites = prop_oneof![
        3 => Just(Vec::new()),
        6 => select(FETCH_SITES).prop_map(|v| vec![v]),
        1 => proptest::collection::vec(select(FETCH_SITES), 2..=2),
    ];
    let host = (any::<usize>(), any::<usize>(), any::<bool>());
    let hosts = prop_oneof![
        1 => Just(Vec::new()),
        8 => host.prop_map(|h| vec![h]),
        1 => proptest::collection::vec(host, 2..=2),
    ];
    (select(WRITE_METHODS), origin, sites, hosts, select(WRITE_PATHS))
        .prop_map(|(method, origin, sites, hosts, path)| WriteCase { method, origin, sites, hosts, path })
}

/// The request's lines. A built `Origin` uses the request's first `Host` name and port about
/// half the time, so that the Origin/Host comparison is exercised in both directions.
fn build_write_request(samples: &[String], case: &WriteCase) -> Vec<(String, Vec<u8>)> {
    let pick = |i: usize, pool: &[&'static str]| pool[i % pool.len()];
    let host_of =
        |&(h, p, _): &(usize, usize, bool)| format!("{}{}", pick(h, WRITE_HOSTS), pick(p, WRITE_PORTS));
    let mut lines = Vec::new();
    let origin = |i: usize| -> Vec<u8> {
        if samples.is_empty() {
            b"https://anyone.example".to_vec()
        } else {
            samples[i % samples.len()].clone().into_bytes()
        }
    };
    match &case.origin {
        GenWriteOrigin::Absent => {}
        GenWriteOrigin::Sample(i) => lines.push(("Origin".to_string(), origin(*i))),
        GenWriteOrigin::Built(s, h, p, own) => {
            let authority = match case.hosts.first() {
                Some(&(hh, hp, _)) if *own => {
                    // The request's own host, with the port kept, dropped or changed.
                    let port = match p % 3 {
                        0 => pick(hp, WRITE_PORTS),
                        1 => "",
                        _ => pick(*p, WRITE_PORTS),
                    };
                    format!("{}{port}", pick(hh, WRITE_HOSTS).to_ascii_lowercase())
                }
                _ => format!("{}{}", pick(*h, WRITE_HOSTS), pick(*p, WRITE_PORTS)),
            };
            lines.push((
                "Origin".to_string(),
                format!("{}://{authority}", pick(*s, WRITE_SCHEMES)).into_bytes(),
            ));
        }
        GenWriteOrigin::Fixed(v) => lines.push(("origin".to_string(), v.to_vec())),
        GenWriteOrigin::Twice(i, v) => {
            lines.push(("Origin".to_string(), origin(*i)));
            lines.push(("Origin".to_string(), v.to_vec()));
        }
    }
    for site in &case.sites {
        lines.push(("Sec-Fetch-Site".to_string(), site.to_vec()));
    }
    for host in &case.hosts {
        let text = host_of(host);
        let text = if host.2 { text } else { text.to_ascii_lowercase() };
        lines.push(("Host".to_string(), text.into_bytes()));
    }
    lines
}

/// The core's verdict in the oracle's spelling.
fn core_verdict(verdict: Option<Result<WritePass, WriteRefusal>>) -> String {
    match verdict {
        None => "not checked".into(),
        Some(Ok(pass)) => format!("pass {pass:?}"),
        Some(Err(refusal)) => format!("refuse {refusal:?}"),
    }
}

fn field<'r>(lines: &'r [(String, Vec<u8>)], name: &str) -> HeaderField<'r> {
    HeaderField::from_lines(
        lines.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice()),
    )
}

/// `Policy::protect_writes` on generated policies (any `allow_origins`, credentials or not, with
/// `write_origins`, `write_exempt_paths`, `public_host` now and then) and requests (methods in
/// every case, `Sec-Fetch-Site` absent, repeated or malformed, `Origin` absent, `null`,
/// repeated, trusted, built from the request's own host or not, `Host` with and without port,
/// default ports, IPv6, paths in and out of exempt prefixes) agrees with `WriteOracle`.
#[test]
fn protect_writes_agrees_with_the_oracle() {
    let seed = seed();
    let config = Config {
        cases: WRITE_POLICIES,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let tally = std::cell::RefCell::new(BTreeMap::<String, usize>::new());
    let started = Instant::now();
    let strategy =
        (policy(), gen_writes(), proptest::collection::vec(write_case(), WRITE_REQUESTS_PER_POLICY));
    let result = runner.run(&strategy, |(mut policy, (writes, write_samples), cases)| {
        policy.written.writes = Some(writes);
        policy.samples.extend(write_samples);
        let compilation = compile(&policy)?;
        let Some(tables) = compilation.policies.first() else {
            for d in compilation.diagnostics.iter().filter(|d| d.is_error()) {
                *tally.borrow_mut().entry(format!("policy refused by {}", d.check.code())).or_default() += 1;
            }
            return Ok(());
        };
        let oracle = WriteOracle::new(&policy.written);
        for case in &cases {
            let lines = build_write_request(&policy.samples, case);
            let expected = oracle.decide(case.method.as_bytes(), &lines, case.path.as_bytes());
            let request = WriteRequest {
                method: case.method.as_bytes(),
                origin: field(&lines, "origin"),
                sec_fetch_site: field(&lines, "sec-fetch-site"),
                host: field(&lines, "host"),
            };
            let actual = tables.with_view(|p| core_verdict(p.protect_writes(&request, case.path.as_bytes())));
            prop_assert_eq!(
                &actual,
                &expected,
                "compiled (left) and oracle (right) disagree\npolicy:\n{}request: {} {}\n{}",
                to_yaml(&policy.written),
                case.method,
                case.path,
                show_request(case.method.as_bytes(), &lines)
            );
            *tally.borrow_mut().entry(expected).or_default() += 1;
        }
        Ok(())
    });
    let tally = tally.into_inner();
    eprintln!("protect_writes differential in {:.1?} (PROPTEST_RNG_SEED={seed})", started.elapsed());
    for (what, n) in &tally {
        eprintln!("  {n:>7}  {what}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
    // Every verdict was reached, often enough to mean something.
    let compared: usize = tally
        .iter()
        .filter(|(k, _)| !k.starts_with("policy") && !k.starts_with("KNOWN"))
        .map(|(_, n)| n)
        .sum();
    // The base policies are refused by the compiler about a third of the time.
    assert!(compared >= WRITE_POLICIES as usize * WRITE_REQUESTS_PER_POLICY / 3, "{tally:#?}");
    for what in [
        "not checked",
        "pass SafeMethod",
        "pass TrustedOrigin",
        "pass SameOrigin",
        "pass UserNavigation",
        "pass NotABrowser",
        "pass OriginIsHost",
        "refuse CrossSite",
        "refuse SameSite",
        "refuse InvalidFetchSite",
        "refuse NullOrigin",
        "refuse InvalidOrigin",
        "refuse OriginNotHost",
        "refuse NoHost",
    ] {
        assert!(tally.get(what).is_some_and(|&n| n * 500 >= compared), "too few `{what}`: {tally:#?}");
    }
}

/// The oracle itself on the algorithm's documented examples (the core's doc test, the axum
/// tests and the reference), so that a wrong oracle cannot agree with a wrong core unnoticed.
#[test]
fn the_write_oracle_follows_the_documented_examples() {
    let policy = WrittenPolicy {
        origins: vec![Written::Literal("https://app.example.com".into())],
        credentials: Some(true),
        writes: Some(WrittenWrites {
            protect: true,
            write_origins: Some(vec![Written::Literal("https://billing.example.com".into())]),
            exempt_paths: Some(vec!["/webhooks/*".into()]),
            public_host: None,
        }),
        ..Default::default()
    };
    let oracle = WriteOracle::new(&policy);
    let decide = |method: &str, lines: &[(&str, &str)], path: &str| {
        let lines: Vec<(String, Vec<u8>)> =
            lines.iter().map(|(n, v)| (n.to_string(), v.as_bytes().to_vec())).collect();
        oracle.decide(method.as_bytes(), &lines, path.as_bytes())
    };
    let host = ("host", "api.example.com");
    let evil = [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site"), host];
    assert_eq!(decide("POST", &evil, "/transfer"), "refuse CrossSite");
    assert_eq!(decide("post", &evil, "/transfer"), "refuse CrossSite");
    assert_eq!(decide("GET", &evil, "/transfer"), "pass SafeMethod");
    assert_eq!(decide("POST", &evil, "/webhooks/stripe"), "not checked");
    assert_eq!(decide("POST", &evil, "/webhooks"), "refuse CrossSite");
    let sibling = [("origin", "https://blog.example.com"), ("sec-fetch-site", "same-site"), host];
    assert_eq!(decide("PUT", &sibling, "/transfer"), "refuse SameSite");
    for trusted in ["https://app.example.com", "https://billing.example.com"] {
        assert_eq!(
            decide("POST", &[("origin", trusted), ("sec-fetch-site", "cross-site")], "/t"),
            "pass TrustedOrigin"
        );
    }
    assert_eq!(decide("POST", &[("sec-fetch-site", "same-origin")], "/t"), "pass SameOrigin");
    assert_eq!(decide("POST", &[("sec-fetch-site", "none")], "/t"), "pass UserNavigation");
    let twice = [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "same-origin"),
        ("sec-fetch-site", "cross-site"),
    ];
    assert_eq!(decide("POST", &twice, "/t"), "refuse InvalidFetchSite");
    assert_eq!(decide("POST", &[host], "/t"), "pass NotABrowser");
    assert_eq!(decide("POST", &[("origin", "null"), host], "/t"), "refuse NullOrigin");
    assert_eq!(decide("POST", &[("origin", "https://api.example.com"), host], "/t"), "pass OriginIsHost");
    assert_eq!(
        decide("POST", &[("origin", "https://api.example.com"), ("host", "API.example.com:443")], "/t"),
        "pass OriginIsHost"
    );
    assert_eq!(
        decide("POST", &[("origin", "https://api.example.com"), ("host", "api.example.com:80")], "/t"),
        "refuse OriginNotHost"
    );
    assert_eq!(
        decide("POST", &[("origin", "http://[::1]"), ("host", "[::1]:80")], "/t"),
        "pass OriginIsHost"
    );
    assert_eq!(decide("POST", &[("origin", "https://evil.example"), host], "/t"), "refuse OriginNotHost");
    assert_eq!(
        decide("POST", &[("origin", "https://api.example.com/path"), host], "/t"),
        "refuse InvalidOrigin"
    );
    assert_eq!(decide("POST", &[("origin", "https://api.example.com")], "/t"), "refuse NoHost");
}

/// An `Origin` that is no serialized origin (a bad scheme or port, unbalanced brackets, extra
/// colons) is refused as `InvalidOrigin`, never compared with the `Host`. Found by
/// `protect_writes_agrees_with_the_oracle` and fixed in the core.
#[test]
fn malformed_origins_are_refused_as_invalid() {
    let tables =
        cors_policy::compile_yaml("allow_origins: [https://app.example.com]\nprotect_writes: true\n");
    let tables = tables.policies.first().expect("the policy compiles");
    let mut wrong = Vec::new();
    for (origin, host) in [
        ("https://api.example.com:x", "api.example.com:x"),
        ("https://api.example.com:", "api.example.com:"),
        (" https://api.example.com", "api.example.com"),
        ("https://[::1", "[::1"),
        ("https://api.example.com:443:443", "api.example.com:443:443"),
        ("https://[::1]:", "[::1]:"),
    ] {
        let request = WriteRequest {
            method: b"POST",
            origin: HeaderField::One(origin.as_bytes()),
            sec_fetch_site: HeaderField::Absent,
            host: HeaderField::One(host.as_bytes()),
        };
        let verdict = tables.with_view(|p| core_verdict(p.protect_writes(&request, b"/transfer")));
        if verdict != "refuse InvalidOrigin" {
            wrong.push(format!("Origin: {origin:?}, Host: {host:?} => {verdict}"));
        }
    }
    assert!(wrong.is_empty(), "malformed Origins not refused as InvalidOrigin:\n{}", wrong.join("\n"));
}
