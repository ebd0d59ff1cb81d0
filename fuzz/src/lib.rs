//! Shared by the fuzz targets: a fixed set of policies (compiled once), generators of requests
//! and origins driven by the fuzzer's bytes, and an independent oracle for the origin check.
//!
//! The oracle reads the same origin entries as the compiler (they are listed once, in
//! [`SPECS`], and the YAML is generated from them), but decides with none of its code: a
//! `HashSet` of exact strings, string slicing for `*.`/`:*` patterns, and the `regex` crate
//! (not `regex-automata` tables) for `regex:` entries.

use arbitrary::{Result, Unstructured};
use cors_policy::compiled::Policy as CompiledPolicy;
use std::collections::HashSet;
use std::sync::OnceLock;

/// One fixed policy: its `allow_origins` entries, its other keys, and sample origins that its
/// patterns and regexes accept (seeds for the generators).
pub struct Spec {
    /// Exact origins and `*.` / `:*` patterns, as written in the YAML (`*` alone: any origin).
    pub origins: &'static [&'static str],
    /// `regex:` entries, as written in the YAML.
    pub regexes: &'static [&'static str],
    /// Every other key of the policy, as YAML lines.
    pub rest: &'static str,
    /// Origins the regexes accept (and near misses), to start mutations from.
    pub samples: &'static [&'static str],
}

/// The policies every `decision` and `differential` input is evaluated against.
pub const SPECS: &[Spec] = &[
    // 0: credentialed application: a few exact origins, subdomain patterns, a regex.
    Spec {
        origins: &[
            "https://app.example.com",
            "https://admin.example.com",
            "https://example.com",
            "https://*.tenant.example.com",
            "https://*.example.org:8443",
        ],
        regexes: &[r"^https://pr-[0-9]+\.preview\.example\.com$"],
        rest: "allow_methods: [GET, POST, PUT, DELETE, PATCH]\n\
               allow_headers: [content-type, authorization, x-request-id]\n\
               expose_headers: [x-request-id, x-total-count]\n\
               allow_credentials: true\n\
               max_age: 600\n\
               allow_private_network: true\n",
        samples: &[
            "https://pr-1.preview.example.com",
            "https://pr-1234567890.preview.example.com",
            "https://pr-.preview.example.com",
            "https://a.b.tenant.example.com",
            "https://x.example.org:8443",
        ],
    },
    // 1: a large exact set (perfect hash, not a linear scan), `:*` patterns, any method/header.
    Spec {
        origins: &[
            "https://a0.example.net",
            "https://a1.example.net",
            "https://a2.example.net",
            "https://a3.example.net",
            "https://a4.example.net",
            "https://a5.example.net",
            "https://a6.example.net",
            "https://a7.example.net",
            "https://a8.example.net",
            "https://a9.example.net",
            "https://b0.example.net",
            "https://b1.example.net",
            "https://b2.example.net",
            "https://b3.example.net",
            "https://b4.example.net",
            "https://b5.example.net",
            "https://b6.example.net",
            "https://b7.example.net",
            "https://b8.example.net",
            "https://b9.example.net",
            "https://example.net",
            "https://www.example.net",
            "https://shop.example.net:8443",
            "https://192.0.2.1",
            "https://[2001:db8::1]",
            "https://[2001:db8::2]:8443",
            "http://localhost:*",
            "http://127.0.0.1:8080",
            "https://*.cdn.example.net:*",
            "https://xn--bcher-kva.example",
            "https://a-b_c.example.net",
            "https://very-long-subdomain-name-for-hashing.example.net",
        ],
        regexes: &[],
        rest: "allow_methods: ['*']\n\
               allow_headers: ['*', authorization]\n\
               expose_headers: ['*']\n\
               preflight_status: 200\n",
        samples: &["http://localhost", "http://localhost:5173", "https://edge-1.cdn.example.net:4443"],
    },
    // 2: `*`, without credentials.
    Spec {
        origins: &["*"],
        regexes: &[],
        rest: "allow_methods: [GET, HEAD]\n\
               allow_headers: [x-api-key]\n\
               expose_headers: [x-ratelimit-remaining]\n\
               max_age: 86400\n",
        samples: &["https://anyone.example", "null"],
    },
    // 3: several regexes (one combined DFA) next to a subdomain pattern with any port.
    Spec {
        origins: &["https://*.dev.example.io:*", "https://example.io"],
        regexes: &[
            r"^https://(www|app|api)\.example\.io$",
            r"^https://[a-z0-9-]{1,20}\.staging\.example\.io(:[0-9]{2,5})?$",
            r"^https://tenant-[0-9]{1,6}\.example\.io$",
        ],
        rest: "allow_methods: [GET, PUT]\n\
               allow_headers: ['*']\n\
               allow_credentials: true\n",
        samples: &[
            "https://www.example.io",
            "https://api.example.io",
            "https://build-42.staging.example.io",
            "https://build-42.staging.example.io:8080",
            "https://tenant-123456.example.io",
            "https://a.dev.example.io:3000",
        ],
    },
];

impl Spec {
    /// The policy as a YAML file.
    pub fn yaml(&self) -> String {
        let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
        let mut yaml = String::from("allow_origins:\n");
        for origin in self.origins {
            yaml.push_str(&format!("  - {}\n", quote(origin)));
        }
        for regex in self.regexes {
            yaml.push_str(&format!("  - regex: {}\n", quote(regex)));
        }
        yaml.push_str(self.rest);
        yaml
    }

    /// Hosts (pattern suffixes included) of the listed origins.
    fn hosts(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.origins.iter().filter_map(|o| {
            let rest = o.split_once("://")?.1;
            let rest = rest.strip_prefix("*.").unwrap_or(rest);
            Some(match rest.rfind(':') {
                Some(i) if !rest[i..].contains(']') => &rest[..i],
                _ => rest,
            })
        })
    }
}

/// A compiled fixed policy.
pub struct Compiled {
    /// Where it came from.
    pub spec: &'static Spec,
    /// The compiler's tables.
    pub tables: CompiledPolicy,
    /// The oracle built from the same entries.
    pub oracle: Oracle,
}

/// Every policy of [`SPECS`], compiled once (panics if one does not compile: a harness bug).
pub fn compiled() -> &'static [Compiled] {
    static COMPILED: OnceLock<Vec<Compiled>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        SPECS
            .iter()
            .map(|spec| {
                let yaml = spec.yaml();
                let compilation = cors_policy::compile_yaml(&yaml);
                assert!(
                    !compilation.has_errors() && compilation.policies.len() == 1,
                    "fixed policy does not compile:\n{yaml}\n{:#?}",
                    compilation.diagnostics
                );
                let tables = compilation.policies.into_iter().next().unwrap();
                Compiled { spec, tables, oracle: Oracle::new(spec) }
            })
            .collect()
    })
}

/// The documented cap on an `Origin` value (`cors_policy_core::origin::MAX_ORIGIN_LEN`,
/// restated: 64-byte scheme, `://`, 253-byte host, `:`, 5 digits).
const MAX_ORIGIN_LEN: usize = 64 + 3 + 253 + 1 + 5;

/// What a `*.` or `:*` entry admits.
#[derive(Debug)]
struct Wildcard {
    /// `scheme://`.
    prefix: String,
    /// The host, or the suffix after `*.`.
    host: String,
    /// `*.` was written.
    subdomains: bool,
    /// The port part.
    port: PortRule,
}

#[derive(Debug)]
enum PortRule {
    /// No port.
    Default,
    /// Exactly `:digits` as written.
    Exact(String),
    /// `:*`: none, or any port 1..=65535 written canonically.
    Any,
}

/// The independent origin check.
#[derive(Debug)]
pub struct Oracle {
    any: bool,
    exact: HashSet<Vec<u8>>,
    wildcards: Vec<Wildcard>,
    regexes: Vec<regex::bytes::Regex>,
}

impl Oracle {
    fn new(spec: &Spec) -> Self {
        let mut oracle =
            Oracle { any: false, exact: HashSet::new(), wildcards: Vec::new(), regexes: Vec::new() };
        for &origin in spec.origins {
            if origin == "*" {
                oracle.any = true;
            } else if origin.contains("://*.") || origin.ends_with(":*") {
                let (scheme, rest) = origin.split_once("://").unwrap();
                let (subdomains, rest) = match rest.strip_prefix("*.") {
                    Some(rest) => (true, rest),
                    None => (false, rest),
                };
                let (host, port) = if let Some(host) = rest.strip_suffix(":*") {
                    (host, PortRule::Any)
                } else {
                    match rest.rsplit_once(':') {
                        Some((host, port)) if !port.contains(']') => {
                            (host, PortRule::Exact(format!(":{port}")))
                        }
                        _ => (rest, PortRule::Default),
                    }
                };
                oracle.wildcards.push(Wildcard {
                    prefix: format!("{scheme}://"),
                    host: host.to_owned(),
                    subdomains,
                    port,
                });
            } else {
                oracle.exact.insert(origin.as_bytes().to_vec());
            }
        }
        for pattern in spec.regexes {
            // Full match, byte-wise, as the README says regexes are read.
            let regex = regex::bytes::RegexBuilder::new(&format!("^(?:{pattern})$"))
                .unicode(false)
                .build()
                .expect("oracle regex");
            oracle.regexes.push(regex);
        }
        oracle
    }

    /// `true` if the policy's `allow_origins` admits the `Origin` value `origin`.
    pub fn allows(&self, origin: &[u8]) -> bool {
        // A `*` policy never reads the value, not even its length: its answer is the same for
        // every request.
        if self.any {
            return true;
        }
        if origin.len() > MAX_ORIGIN_LEN {
            return false;
        }
        self.exact.contains(origin)
            || self.wildcards.iter().any(|w| w.allows(origin))
            || self.regexes.iter().any(|r| r.is_match(origin))
    }
}

impl Wildcard {
    fn allows(&self, origin: &[u8]) -> bool {
        let Some(rest) = origin.strip_prefix(self.prefix.as_bytes()) else { return false };
        let host = match &self.port {
            PortRule::Default => rest,
            PortRule::Exact(port) => match rest.strip_suffix(port.as_bytes()) {
                Some(host) => host,
                None => return false,
            },
            PortRule::Any => match rest.iter().rposition(|&b| b == b':') {
                Some(colon) if is_port(&rest[colon + 1..]) => &rest[..colon],
                Some(_) => return false,
                None => rest,
            },
        };
        if !self.subdomains {
            return host == self.host.as_bytes();
        }
        let Some(labels) = host.strip_suffix(self.host.as_bytes()).and_then(|h| h.strip_suffix(b".")) else {
            return false;
        };
        are_labels(labels)
    }
}

/// One or more DNS labels joined by dots, read byte by byte: RFC 1035 §2.3.4 caps a label at 63
/// octets and forbids empty ones (no leading, trailing or doubled dot); the bytes are those of
/// a serialized host's labels as the documented pattern rule takes them (ASCII lowercase,
/// digits, `-`, and `_`, which the URL Standard keeps in hosts).
fn are_labels(labels: &[u8]) -> bool {
    let mut label_len = 0usize;
    for &byte in labels {
        match byte {
            b'.' if label_len == 0 => return false,
            b'.' => label_len = 0,
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' if label_len < 63 => label_len += 1,
            _ => return false,
        }
    }
    label_len > 0
}

/// A port as the URL Standard serializes it (decimal, no leading zero), 1..=65535 (port 0 is a
/// Fetch "bad port": no page is ever loaded from it, so no browser sends it).
fn is_port(digits: &[u8]) -> bool {
    !digits.is_empty()
        && digits.len() <= 5
        && digits[0] != b'0'
        && digits.iter().all(u8::is_ascii_digit)
        && std::str::from_utf8(digits).unwrap().parse::<u32>().is_ok_and(|p| p <= 65535)
}

// ---------------------------------------------------------------------------------------------
// Generators.

const SCHEMES: &[&str] = &["https", "http", "HTTPS", "Https", "wss", "ws", "file", "", "https:", "h"];
const LABELS: &[&str] = &[
    "a",
    "app",
    "admin",
    "x-y",
    "_",
    "-",
    "a_b",
    "pr-1",
    "pr-",
    "pr-01",
    "www",
    "api",
    "tenant",
    "tenant-1",
    "staging",
    "dev",
    "cdn",
    "preview",
    "example",
    "com",
    "evil",
    "xn--bcher-kva",
    "A",
    "",
    "*",
    "%2e",
    "a b",
    "\u{e9}",
    "0",
    "255",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];
const HOSTS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "example.io",
    "evil.com",
    "example.com.evil.net",
    "localhost",
    "127.0.0.1",
    "[::1]",
    "[2001:db8::1]",
    "attacker.invalid",
    "com",
    "",
];
const PORTS: &[&str] = &[
    "", ":", ":0", ":1", ":80", ":443", ":8443", ":8080", ":3000", ":5173", ":65535", ":65536", ":99999",
    ":08443", ":+80", ":-1", ":*", ":443:443", "/", "/path", "?", "#", ".",
];
const TOKENS: &[&str] = &[
    ".",
    ":",
    "://",
    "-",
    "_",
    "*",
    "*.",
    "\0",
    "\t",
    " ",
    "\r\n",
    "%",
    "@",
    "/",
    "[",
    "]",
    "..",
    ".evil.net",
    "evil",
    "xn--",
    ":443",
    ":80",
    ":0",
    ":8443",
    "https://",
    "http://",
    "example.com",
    "\u{130}",
    "\u{ff}",
];
const METHODS: &[&str] = &[
    "OPTIONS", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "CONNECT", "TRACE", "options", "get", "put",
    "patch", "", "G ET", "PU\0T", "X-CUSTOM", "*",
];
const HEADER_NAMES: &[&str] = &[
    "content-type",
    "authorization",
    "x-request-id",
    "x-api-key",
    "x-total-count",
    "Content-Type",
    "AUTHORIZATION",
    "x-custom",
    "*",
    "",
    "accept",
    "x\u{1}y",
    "a b",
    "x-request-id2",
    "content-typ",
];
const HEADER_SEPS: &[&str] = &[",", ", ", " ,", ",,", "\t,", " ", ", ,", "\t", ";", " , "];

fn pick<'a>(u: &mut Unstructured<'_>, list: &[&'a str]) -> Result<&'a str> {
    Ok(*u.choose(list)?)
}

/// Some arbitrary bytes, length-prefixed so that several fields fit in one input.
fn bytes(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let len = u.int_in_range(0..=u.len().min(400))?;
    Ok(u.bytes(len)?.to_vec())
}

/// An `Origin` value: raw bytes, a seed of the policy mutated a few times, or assembled from
/// scheme, labels, a host the policy knows and a port.
pub fn origin(u: &mut Unstructured<'_>, spec: &Spec) -> Result<Vec<u8>> {
    match u.int_in_range(0..=9u8)? {
        0 | 1 => bytes(u),
        2..=5 => {
            let seeds: Vec<String> = spec
                .origins
                .iter()
                .map(|o| o.replace("://*.", "://a.").replace(":*", ":8080"))
                .chain(spec.samples.iter().map(|s| s.to_string()))
                .collect();
            let mut value = u.choose(&seeds)?.clone().into_bytes();
            for _ in 0..u.int_in_range(0..=3u8)? {
                mutate(u, &mut value)?;
            }
            Ok(value)
        }
        _ => {
            let mut value = pick(u, SCHEMES)?.to_owned();
            value.push_str("://");
            for _ in 0..u.int_in_range(0..=4u8)? {
                value.push_str(pick(u, LABELS)?);
                value.push('.');
            }
            let hosts: Vec<&str> = spec.hosts().chain(HOSTS.iter().copied()).collect();
            value.push_str(pick(u, &hosts)?);
            value.push_str(pick(u, PORTS)?);
            Ok(value.into_bytes())
        }
    }
}

fn mutate(u: &mut Unstructured<'_>, value: &mut Vec<u8>) -> Result<()> {
    let at = u.int_in_range(0..=value.len())?;
    match u.int_in_range(0..=6u8)? {
        0 if at < value.len() => value[at] = u.arbitrary()?,
        1 => value.insert(at, u.arbitrary()?),
        2 if at < value.len() => {
            value.remove(at);
        }
        3 => {
            let token = pick(u, TOKENS)?;
            value.splice(at..at, token.bytes());
        }
        4 => value.truncate(at),
        5 if at < value.len() => value[at] = value[at].to_ascii_uppercase(),
        _ => {
            let start = u.int_in_range(0..=at)?;
            let copy = value[start..at].to_vec();
            value.splice(at..at, copy);
        }
    }
    Ok(())
}

/// Header names a request may carry, in several cases, and some the decision does not read.
pub const NAMES: &[&str] = &[
    "Origin",
    "origin",
    "ORIGIN",
    "Access-Control-Request-Method",
    "access-control-request-method",
    "Access-Control-Request-Headers",
    "access-control-request-headers",
    "Access-Control-Request-Private-Network",
    "x-other",
    "origin ",
];

/// A request against one of the fixed policies.
#[derive(Debug)]
pub struct Request {
    /// Index into [`compiled`].
    pub policy: usize,
    /// The request method.
    pub method: Vec<u8>,
    /// `(name, value)` pairs, in order.
    pub headers: Vec<(&'static str, Vec<u8>)>,
}

impl Request {
    /// Reads a request from fuzzer bytes.
    pub fn generate(u: &mut Unstructured<'_>) -> Result<Self> {
        let policy = u.choose_index(SPECS.len())?;
        let spec = &SPECS[policy];
        let method = match u.int_in_range(0..=7u8)? {
            0 => bytes(u)?,
            1..=4 => b"OPTIONS".to_vec(),
            _ => pick(u, METHODS)?.as_bytes().to_vec(),
        };
        let mut headers = Vec::new();
        let count = u.int_in_range(0..=24u8)?;
        for _ in 0..count {
            let name = pick(u, NAMES)?;
            let value = match name.to_ascii_lowercase().as_str() {
                _ if u.ratio(1, 8)? => bytes(u)?,
                "origin" => origin(u, spec)?,
                "access-control-request-method" => pick(u, METHODS)?.as_bytes().to_vec(),
                "access-control-request-headers" => {
                    let mut list = String::new();
                    let names =
                        if u.ratio(1, 16)? { u.int_in_range(0..=200u16)? } else { u.int_in_range(0..=6u16)? };
                    for i in 0..names {
                        if i > 0 || u.ratio(1, 8)? {
                            list.push_str(pick(u, HEADER_SEPS)?);
                        }
                        list.push_str(pick(u, HEADER_NAMES)?);
                    }
                    if u.ratio(1, 8)? {
                        list.push_str(pick(u, HEADER_SEPS)?);
                    }
                    list.into_bytes()
                }
                "access-control-request-private-network" => {
                    pick(u, &["true", "false", "TRUE", "", "true "])?.as_bytes().to_vec()
                }
                _ => bytes(u)?,
            };
            headers.push((name, value));
        }
        Ok(Request { policy, method, headers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_policies_compile_and_oracle_agrees_on_seeds() {
        for compiled in compiled() {
            for seed in compiled.spec.samples {
                let runtime = compiled
                    .tables
                    .with_view(|p| p.evaluate(b"GET", &[("Origin", seed.as_bytes())][..]).is_allowed());
                assert_eq!(runtime, compiled.oracle.allows(seed.as_bytes()), "{seed}");
            }
        }
    }

    #[test]
    fn oracle_reads_the_entries_as_documented() {
        let app = &compiled()[0].oracle;
        for (origin, allowed) in [
            ("https://app.example.com", true),
            ("https://app.example.com:443", false),
            ("https://a.tenant.example.com", true),
            ("https://a.b.tenant.example.com", true),
            ("https://tenant.example.com", false),
            ("https://evil-tenant.example.com", false),
            ("https://a.tenant.example.com.evil.net", false),
            ("https://A.tenant.example.com", false),
            ("https://x.example.org:8443", true),
            ("https://x.example.org", false),
            ("https://pr-12.preview.example.com", true),
            ("https://pr-12Xpreview.example.com", false),
            ("https://pr-12.preview.example.com\n", false),
        ] {
            assert_eq!(app.allows(origin.as_bytes()), allowed, "{origin}");
        }
        let big = &compiled()[1].oracle;
        for (origin, allowed) in [
            ("http://localhost", true),
            ("http://localhost:65535", true),
            ("http://localhost:65536", false),
            ("http://localhost:0", false),
            ("http://localhost:080", false),
            ("https://e.cdn.example.net:1", true),
            ("https://cdn.example.net:1", false),
        ] {
            assert_eq!(big.allows(origin.as_bytes()), allowed, "{origin}");
        }
    }
}
