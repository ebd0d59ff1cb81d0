//! The reference oracle: a deliberately plain interpreter of a policy *as written*, from the
//! Fetch Standard's server-side rules and the runtime's documented limits.
//!
//! It shares no code with the compiler or the runtime: no tables, no hashing, no DFA. Exact
//! origins are compared as strings, `*.` patterns by splitting the request's host into labels,
//! regexes with the `regex` crate (anchored `^(?:...)$`, byte-wise like the compiler), methods
//! and header names by list search. Where the standard leaves the server a choice, the oracle
//! follows what `cors-policy-core`'s documentation promises:
//!
//! * classification (Fetch §http-requests): no `Origin` → not CORS; `OPTIONS` + `Origin` +
//!   `Access-Control-Request-Method` → preflight; anything else with `Origin` → actual;
//! * an `Origin` given on several lines, or longer than `MAX_ORIGIN_LEN`, is no origin, except
//!   for a `*` policy without credentials, which never reads the value (so that its answer is
//!   the same for every request, and a cache keyed on the URL stays right);
//! * `Access-Control-Request-Method` on several lines combines into a list, not a method token,
//!   and `Access-Control-Request-Private-Network` must be exactly one `true` line (RFC 9110
//!   §5.3: lines combine with commas);
//! * a preflight checks, in this order, origin, method, `Access-Control-Request-Headers`, then
//!   private network access, and a refusal is 403 with no header at all;
//! * `Access-Control-Request-Headers` is read with the documented bounds (lines, bytes, names,
//!   empty elements, whitespace around a name);
//! * headers come in the order `decision.rs` documents: allow-origin, allow-credentials,
//!   allow-methods, one allow-headers per non-empty request line, max-age, allow-private-network
//!   for a preflight; allow-origin, allow-credentials, expose-headers, `Vary` for an actual
//!   request.

use regex::bytes::{Regex, RegexBuilder};

/// The runtime's documented limits, restated rather than imported: a change to them must show
/// up here as a failing test, not silently move the oracle along.
pub const MAX_ORIGIN_LEN: usize = 326;
pub const MAX_METHOD_LEN: usize = 64;
pub const MAX_LINES: usize = 16;
pub const MAX_BYTES: usize = 4096;
pub const MAX_NAMES: usize = 64;
pub const MAX_EMPTY: usize = 16;
pub const MAX_OWS: usize = 2;

/// One `allow_origins` entry as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// A string: `*`, an exact origin, or a `*.` / `:*` pattern.
    Literal(String),
    /// A `regex:` entry.
    Regex(String),
}

/// A policy as written in YAML or in the macro, before any normalisation.
#[derive(Clone, Debug, Default)]
pub struct WrittenPolicy {
    pub origins: Vec<Written>,
    pub methods: Option<Vec<String>>,
    pub headers: Option<Vec<String>>,
    pub expose: Option<Vec<String>>,
    pub credentials: Option<bool>,
    pub max_age: Option<i64>,
    pub private_network: Option<bool>,
    pub preflight_status: Option<i64>,
    pub insecure_ok: Option<bool>,
    pub public_suffix_ok: Option<bool>,
    /// `protect_writes` and its keys; `None` when none of them is written.
    pub writes: Option<WrittenWrites>,
}

/// `protect_writes`, `write_origins`, `write_exempt_paths` and `public_host` as written.
#[derive(Clone, Debug, Default)]
pub struct WrittenWrites {
    pub protect: bool,
    pub write_origins: Option<Vec<Written>>,
    pub exempt_paths: Option<Vec<String>>,
    pub public_host: Option<String>,
}

/// What the oracle concluded: the same observable facts as a `Decision`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub kind: &'static str,
    pub status: Option<u16>,
    pub refusal: Option<Why>,
    pub headers: Vec<Header>,
}

/// Why a request got no permission, at the granularity of `Refusal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    OriginNotAllowed(Vec<u8>),
    MalformedOrigin,
    MethodNotAllowed(Vec<u8>),
    MalformedMethod,
    HeaderNotAllowed(Vec<u8>),
    AuthorizationNotListed,
    MalformedRequestHeaders,
    RequestHeadersTooLarge,
    PrivateNetworkNotAllowed,
}

/// Where a header value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Static,
    Origin,
    Method,
    HeadersLine(usize),
}

/// One response header: lowercase name, value bytes, and where the value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub name: &'static str,
    pub value: Vec<u8>,
    pub source: Source,
}

/// A port rule of a pattern.
#[derive(Clone, Debug)]
enum Port {
    Default,
    Exact(u32),
    Any,
}

#[derive(Clone, Debug)]
enum Rule {
    Exact(String),
    Pattern { scheme: String, host: String, subdomains: bool, port: Port },
    Regex(Regex),
}

/// A written policy, read once into plain rules.
#[derive(Clone, Debug)]
pub struct Oracle {
    any_origin: bool,
    rules: Vec<Rule>,
    /// `None` for `*`.
    methods: Option<Vec<String>>,
    /// `None` for `*`.
    headers: Option<Vec<String>>,
    authorization_with_star: bool,
    credentials: bool,
    expose: Option<String>,
    max_age: Option<String>,
    private_network: bool,
    preflight_status: u16,
}

/// Fetch §methods: "if it is a byte-case-insensitive match for DELETE, GET, HEAD, OPTIONS,
/// POST, or PUT, byte-uppercase it".
fn normalize_method(m: &str) -> String {
    let upper = m.to_ascii_uppercase();
    if ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"].contains(&upper.as_str()) {
        upper
    } else {
        m.to_string()
    }
}

/// Fetch §terminology-headers: the CORS-safelisted response-header names, always readable.
const SAFELISTED_RESPONSE: &[&str] = &[
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

impl Oracle {
    /// Reads a policy that the compiler accepted. Panics on anything the compiler should have
    /// refused, which the differential test reports as a disagreement.
    pub fn new(p: &WrittenPolicy) -> Oracle {
        let credentials = p.credentials.unwrap_or(false);
        let mut any_origin = false;
        let mut rules = Vec::new();
        for entry in &p.origins {
            match entry {
                Written::Regex(pattern) => {
                    let regex = RegexBuilder::new(&format!("^(?:{pattern})$"))
                        .unicode(false)
                        .build()
                        .expect("a regex the compiler accepted parses");
                    rules.push(Rule::Regex(regex));
                }
                Written::Literal(text) if text == "*" => any_origin = true,
                Written::Literal(text) => rules.push(read_literal(text)),
            }
        }
        // `None` is `*`; no `allow_methods` allows only the safelisted methods.
        let methods = match &p.methods {
            Some(list) if list.iter().any(|m| m == "*") => None,
            Some(list) => Some(list.iter().map(|m| normalize_method(m)).collect()),
            None => Some(Vec::new()),
        };
        let lower: Vec<String> = p.headers.iter().flatten().map(|h| h.to_ascii_lowercase()).collect();
        let headers = if lower.iter().any(|h| h == "*") { None } else { Some(lower.clone()) };
        let authorization_with_star = lower.iter().any(|h| h == "authorization");
        let mut exposed: Vec<String> = Vec::new();
        for name in p.expose.iter().flatten().map(|h| h.to_ascii_lowercase()) {
            if !exposed.contains(&name) && !SAFELISTED_RESPONSE.contains(&name.as_str()) {
                exposed.push(name);
            }
        }
        Oracle {
            any_origin,
            rules,
            methods,
            headers,
            authorization_with_star,
            credentials,
            expose: (!exposed.is_empty()).then(|| exposed.join(",")),
            max_age: p.max_age.map(|m| m.to_string()),
            private_network: p.private_network.unwrap_or(false),
            preflight_status: p.preflight_status.map_or(204, |s| s as u16),
        }
    }

    /// `Access-Control-Allow-Origin: *` on every response, and never `Vary`.
    fn wildcard(&self) -> bool {
        self.any_origin && !self.credentials
    }

    fn origin_allowed(&self, origin: &[u8]) -> bool {
        if self.any_origin {
            return true;
        }
        self.rules.iter().any(|rule| match rule {
            Rule::Exact(text) => text.as_bytes() == origin,
            Rule::Regex(regex) => regex.is_match(origin),
            Rule::Pattern { scheme, host, subdomains, port } => {
                let Some(o) = split_origin(origin) else { return false };
                let port_ok = match port {
                    Port::Default => o.port.is_none(),
                    Port::Exact(p) => o.port == Some(*p),
                    Port::Any => true,
                };
                if !port_ok || o.scheme != scheme.as_bytes() {
                    return false;
                }
                if !subdomains {
                    return o.host == host.as_bytes();
                }
                // One or more DNS labels, then a dot, then the suffix as written.
                let labels: Vec<&[u8]> = o.host.split(|&b| b == b'.').collect();
                let suffix: Vec<&[u8]> = host.as_bytes().split(|&b| b == b'.').collect();
                labels.len() > suffix.len()
                    && labels[labels.len() - suffix.len()..] == suffix[..]
                    && labels[..labels.len() - suffix.len()].iter().all(|l| {
                        !l.is_empty()
                            && l.len() <= 63
                            && l.iter().all(|&b| {
                                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                            })
                    })
            }
        })
    }

    /// Evaluates a request given as its method and `(name, value)` header lines.
    pub fn evaluate(&self, method: &[u8], request: &[(String, Vec<u8>)]) -> Outcome {
        let lines = |name: &str| -> Vec<&[u8]> {
            request.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice()).collect()
        };
        let origins = lines("origin");
        if origins.is_empty() {
            let mut headers = Vec::new();
            if self.wildcard() {
                headers.push(stat("access-control-allow-origin", "*"));
                if let Some(e) = &self.expose {
                    headers.push(stat("access-control-expose-headers", e));
                }
            } else {
                headers.push(stat("vary", "Origin"));
            }
            return Outcome { kind: "not_cors", status: None, refusal: None, headers };
        }
        let origin = match origins[..] {
            [one] if one.len() <= MAX_ORIGIN_LEN => Some(one),
            // Never read by a `*` policy: any value will do.
            _ if self.wildcard() => Some(&b""[..]),
            _ => None,
        };
        let request_methods = lines("access-control-request-method");
        if method == b"OPTIONS" && !request_methods.is_empty() {
            self.preflight(
                origin,
                &request_methods,
                &lines("access-control-request-headers"),
                &lines("access-control-request-private-network"),
            )
        } else {
            self.actual(origin)
        }
    }

    fn allow_origin(&self, origin: &[u8]) -> Header {
        if self.wildcard() {
            stat("access-control-allow-origin", "*")
        } else {
            Header { name: "access-control-allow-origin", value: origin.to_vec(), source: Source::Origin }
        }
    }

    fn actual(&self, origin: Option<&[u8]>) -> Outcome {
        let vary = (!self.wildcard()).then(|| stat("vary", "Origin"));
        let refusal = match origin {
            None => Some(Why::MalformedOrigin),
            Some(o) if !self.origin_allowed(o) => Some(Why::OriginNotAllowed(o.to_vec())),
            Some(_) => None,
        };
        if let Some(why) = refusal {
            return Outcome {
                kind: "actual",
                status: None,
                refusal: Some(why),
                headers: vary.into_iter().collect(),
            };
        }
        let mut headers = vec![self.allow_origin(origin.unwrap_or_default())];
        if self.credentials {
            headers.push(stat("access-control-allow-credentials", "true"));
        }
        if let Some(e) = &self.expose {
            headers.push(stat("access-control-expose-headers", e));
        }
        headers.extend(vary);
        Outcome { kind: "actual", status: None, refusal: None, headers }
    }

    fn preflight(&self, origin: Option<&[u8]>, methods: &[&[u8]], acrh: &[&[u8]], pna: &[&[u8]]) -> Outcome {
        let refuse =
            |why| Outcome { kind: "preflight", status: Some(403), refusal: Some(why), headers: Vec::new() };
        let Some(origin) = origin else { return refuse(Why::MalformedOrigin) };
        if !self.origin_allowed(origin) {
            return refuse(Why::OriginNotAllowed(origin.to_vec()));
        }

        // Fetch §methods: a method is a token; GET, HEAD and POST are safelisted (byte-exact)
        // and need no permission; the rest must be listed byte for byte, or `*` (which never
        // covers the forbidden methods).
        let [method] = methods[..] else { return refuse(Why::MalformedMethod) };
        if method.len() > MAX_METHOD_LEN || !is_token(method) {
            return refuse(Why::MalformedMethod);
        }
        let safelisted = [&b"GET"[..], b"HEAD", b"POST"].contains(&method);
        if !safelisted {
            let allowed = match &self.methods {
                None => {
                    !["CONNECT", "TRACE", "TRACK"].iter().any(|f| f.as_bytes().eq_ignore_ascii_case(method))
                }
                Some(list) => list.iter().any(|m| m.as_bytes() == method),
            };
            if !allowed {
                return refuse(Why::MethodNotAllowed(method.to_vec()));
            }
        }

        // `Access-Control-Request-Headers = 1#field-name`, over one or more lines.
        let (mut bytes, mut names, mut empty) = (0usize, 0usize, 0usize);
        for (index, line) in acrh.iter().enumerate() {
            if index >= MAX_LINES {
                return refuse(Why::RequestHeadersTooLarge);
            }
            bytes += line.len();
            if bytes > MAX_BYTES {
                return refuse(Why::RequestHeadersTooLarge);
            }
            for element in line.split(|&b| b == b',') {
                let ows = |b: &u8| *b == b' ' || *b == b'\t';
                let leading = element.iter().take_while(|b| ows(b)).count();
                let trailing = element[leading..].iter().rev().take_while(|b| ows(b)).count();
                if leading > MAX_OWS || trailing > MAX_OWS {
                    return refuse(Why::MalformedRequestHeaders);
                }
                let name = &element[leading..element.len() - trailing];
                if name.is_empty() {
                    empty += 1;
                    if empty > MAX_EMPTY {
                        return refuse(Why::MalformedRequestHeaders);
                    }
                    continue;
                }
                names += 1;
                if names > MAX_NAMES {
                    return refuse(Why::RequestHeadersTooLarge);
                }
                if !is_token(name) {
                    return refuse(Why::MalformedRequestHeaders);
                }
                match &self.headers {
                    // Fetch §cors-preflight-fetch: `*` never covers `Authorization`.
                    None if name.eq_ignore_ascii_case(b"authorization") && !self.authorization_with_star => {
                        return refuse(Why::AuthorizationNotListed)
                    }
                    None => {}
                    Some(list) if !list.iter().any(|h| h.as_bytes().eq_ignore_ascii_case(name)) => {
                        return refuse(Why::HeaderNotAllowed(name.to_vec()));
                    }
                    Some(_) => {}
                }
            }
        }

        let private_network = pna == [&b"true"[..]];
        if private_network && !self.private_network {
            return refuse(Why::PrivateNetworkNotAllowed);
        }

        let mut headers = vec![self.allow_origin(origin)];
        if self.credentials {
            headers.push(stat("access-control-allow-credentials", "true"));
        }
        if !safelisted {
            headers.push(Header {
                name: "access-control-allow-methods",
                value: method.to_vec(),
                source: Source::Method,
            });
        }
        for (index, line) in acrh.iter().enumerate() {
            let names_something = line.iter().any(|&b| b != b',' && b != b' ' && b != b'\t');
            if names_something {
                headers.push(Header {
                    name: "access-control-allow-headers",
                    value: line.to_vec(),
                    source: Source::HeadersLine(index),
                });
            }
        }
        if let Some(m) = &self.max_age {
            headers.push(stat("access-control-max-age", m));
        }
        if private_network {
            headers.push(stat("access-control-allow-private-network", "true"));
        }
        Outcome { kind: "preflight", status: Some(self.preflight_status), refusal: None, headers }
    }
}

fn stat(name: &'static str, value: &str) -> Header {
    Header { name, value: value.as_bytes().to_vec(), source: Source::Static }
}

/// An accepted literal: `scheme://[*.]host[:port|:*]`, already canonical.
fn read_literal(text: &str) -> Rule {
    let (scheme, authority) = text.split_once("://").expect("an accepted origin has `://`");
    let (host, port) = if let Some(host) = authority.strip_suffix(":*") {
        (host, Port::Any)
    } else {
        // The port is after the last `:` that follows any `]`.
        let after_bracket = authority.rfind(']').map_or(0, |i| i + 1);
        match authority[after_bracket..].rfind(':') {
            Some(i) => {
                let at = after_bracket + i;
                (&authority[..at], Port::Exact(authority[at + 1..].parse().expect("a decimal port")))
            }
            None => (authority, Port::Default),
        }
    };
    let (subdomains, host) = match host.strip_prefix("*.") {
        Some(suffix) => (true, suffix),
        None => (false, host),
    };
    if !subdomains && matches!(port, Port::Default | Port::Exact(_)) {
        return Rule::Exact(text.to_string());
    }
    Rule::Pattern { scheme: scheme.to_string(), host: host.to_string(), subdomains, port }
}

/// A serialized origin's parts (URL Standard "ASCII serialization of an origin"):
/// `scheme "://" host [ ":" port ]`, the port in 1..=65535 without a leading zero.
struct Parts<'r> {
    scheme: &'r [u8],
    host: &'r [u8],
    port: Option<u32>,
}

fn split_origin(origin: &[u8]) -> Option<Parts<'_>> {
    let at = (0..origin.len().saturating_sub(2)).find(|&i| &origin[i..i + 3] == b"://")?;
    let scheme = &origin[..at];
    if scheme.is_empty()
        || !scheme.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(b))
    {
        return None;
    }
    let authority = &origin[at + 3..];
    let (host, rest): (&[u8], &[u8]) = if authority.first() == Some(&b'[') {
        let close = authority.iter().position(|&b| b == b']')?;
        authority.split_at(close + 1)
    } else {
        // A domain or IPv4 host has no `:`, so the first one starts the port.
        match authority.iter().position(|&b| b == b':') {
            Some(i) => authority.split_at(i),
            None => (authority, &[][..]),
        }
    };
    let port = match rest {
        [] => None,
        [b':', digits @ ..] => {
            let canonical = !digits.is_empty()
                && digits.len() <= 5
                && digits[0] != b'0'
                && digits.iter().all(u8::is_ascii_digit);
            let n: u32 = std::str::from_utf8(digits).ok().filter(|_| canonical)?.parse().ok()?;
            if !(1..=65535).contains(&n) {
                return None;
            }
            Some(n)
        }
        _ => return None,
    };
    if host.is_empty() {
        return None;
    }
    Some(Parts { scheme, host, port })
}

// ---------------------------------------------------------------------------------------------
// protect_writes: cross-origin write protection from Fetch Metadata.
//
// Written from `shared/reference/cross-origin-protection.md` (Go 1.25's CrossOriginProtection,
// golang/go#73626) and the standards it leans on, not from the core:
//
// 0. a path in `write_exempt_paths` (exact, or under `/prefix/` for `/prefix/*`) is not checked;
// 1. GET, HEAD and OPTIONS pass (RFC 9110 §9.1: method names are case-sensitive, so `get` is
//    an unsafe method like any other);
// 2. one `Origin` line that `write_origins`, or `allow_origins` unless it is `*`, allows passes;
// 3. `Sec-Fetch-Site` (Fetch Metadata §2.4, a structured-header token): `same-origin` and `none`
//    pass, `cross-site` and `same-site` are refused, and anything else, several lines included,
//    is no value the standard defines and is refused;
// 4. no `Sec-Fetch-Site` and no `Origin`: passes (not a browser);
// 5. otherwise the one `Origin` line must be a serialized origin (HTML §origin: `scheme "://"
//    host [":" port]`; `null` is the opaque one) naming the request's host and port: `public_host`
//    if set, else the one `Host` line (RFC 9110 §7.2: `uri-host [":" port]`). Hosts compare
//    ASCII-case-insensitively (RFC 3986 §3.2.2), a missing port is the scheme's default
//    (80 for http/ws, 443 for https/wss), ports compare as written otherwise.

/// The oracle's verdict, spelled as the core's variants are: `not checked`, `pass <WritePass>`,
/// or `refuse <WriteRefusal>`.
pub type WriteVerdict = String;

/// A policy's `protect_writes`, read once.
#[derive(Clone, Debug)]
pub struct WriteOracle {
    on: bool,
    readers: Oracle,
    writers: Oracle,
    exempt: Vec<String>,
    public_host: Option<String>,
}

impl WriteOracle {
    pub fn new(p: &WrittenPolicy) -> WriteOracle {
        let w = p.writes.clone().unwrap_or_default();
        let writers =
            WrittenPolicy { origins: w.write_origins.clone().unwrap_or_default(), ..Default::default() };
        WriteOracle {
            on: w.protect,
            readers: Oracle::new(p),
            writers: Oracle::new(&writers),
            exempt: w.exempt_paths.unwrap_or_default(),
            public_host: w.public_host,
        }
    }

    fn exempts(&self, path: &[u8]) -> bool {
        self.exempt.iter().any(|e| match e.strip_suffix('*') {
            // `/prefix/*`: every path that has `/prefix/` as its first segments.
            Some(dir) => path.len() >= dir.len() && &path[..dir.len()] == dir.as_bytes(),
            None => path == e.as_bytes(),
        })
    }

    fn trusts(&self, origin: &[u8]) -> bool {
        origin.len() <= MAX_ORIGIN_LEN
            && (self.writers.origin_allowed(origin)
                || (!self.readers.any_origin && self.readers.origin_allowed(origin)))
    }

    pub fn decide(&self, method: &[u8], request: &[(String, Vec<u8>)], path: &[u8]) -> WriteVerdict {
        let pass = |why: &str| format!("pass {why}");
        let refuse = |why: &str| format!("refuse {why}");
        if !self.on || self.exempts(path) {
            return "not checked".into();
        }
        if method == b"GET" || method == b"HEAD" || method == b"OPTIONS" {
            return pass("SafeMethod");
        }
        let lines = |name: &str| -> Vec<&[u8]> {
            request.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice()).collect()
        };
        let (origins, sites, hosts) = (lines("origin"), lines("sec-fetch-site"), lines("host"));
        if origins.len() == 1 && self.trusts(origins[0]) {
            return pass("TrustedOrigin");
        }
        if !sites.is_empty() {
            return match sites[..] {
                [b"same-origin"] => pass("SameOrigin"),
                [b"none"] => pass("UserNavigation"),
                [b"cross-site"] => refuse("CrossSite"),
                [b"same-site"] => refuse("SameSite"),
                _ => refuse("InvalidFetchSite"),
            };
        }
        let origin = match origins[..] {
            [] => return pass("NotABrowser"),
            [b"null"] => return refuse("NullOrigin"),
            [one] => one,
            _ => return refuse("InvalidOrigin"),
        };
        let Some((scheme, origin_host, origin_port)) = serialized_origin(origin) else {
            return refuse("InvalidOrigin");
        };
        let host = match (&self.public_host, &hosts[..]) {
            (Some(public), _) => public.as_bytes(),
            (None, [one]) => one,
            (None, _) => return refuse("NoHost"),
        };
        let default: &[u8] = match scheme {
            b"http" | b"ws" => b"80",
            b"https" | b"wss" => b"443",
            _ => b"",
        };
        let same = match authority(host) {
            Some((h, p)) => {
                h.eq_ignore_ascii_case(origin_host)
                    && (if p.is_empty() { default } else { p })
                        == (if origin_port.is_empty() { default } else { origin_port })
            }
            None => false,
        };
        if same {
            pass("OriginIsHost")
        } else {
            refuse("OriginNotHost")
        }
    }
}

/// `scheme "://" host [":" port]` as the URL Standard serializes an origin: (scheme, host, port
/// without the colon, empty if absent). The scheme is RFC 3986's, lowercased; the host a name of
/// lowercase letters, digits, `-`, `.` and `_` (a domain after domain-to-ASCII, or IPv4), or an
/// IPv6 address in brackets as the standard writes it (lowercase hex and `:`); the port has no
/// leading zero and is at most 65535 (a default port is left out, but that is the sender's
/// choice, not the shape's).
fn serialized_origin(origin: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let at = origin.windows(3).position(|w| w == b"://")?;
    let scheme = &origin[..at];
    let scheme_ok = scheme.first().is_some_and(u8::is_ascii_lowercase)
        && scheme.iter().all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b));
    let (host, port) = authority(&origin[at + 3..])?;
    let lowercase = |b: &u8| !b.is_ascii_uppercase();
    let host_ok = host.iter().all(lowercase) && !(host[0] == b'[' && host.contains(&b'.'));
    let port_ok = port.is_empty()
        || (port.len() <= 5 && port[0] != b'0' && std::str::from_utf8(port).unwrap().parse::<u16>().is_ok());
    (scheme_ok && host_ok && port_ok).then_some((scheme, host, port))
}

/// `uri-host [":" port]` (RFC 9110 §7.2, RFC 3986 §3.2.2-3), as (host, port); `None` if it is
/// neither a bracketed IPv6 literal nor a reg-name of letters, digits, `-`, `.`, `_`, or if the
/// port is not digits.
fn authority(text: &[u8]) -> Option<(&[u8], &[u8])> {
    let (host, rest) = if text.first() == Some(&b'[') {
        let close = text.iter().position(|&b| b == b']')?;
        let inside = &text[1..close];
        let v6 =
            !inside.is_empty() && inside.iter().all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !v6 {
            return None;
        }
        text.split_at(close + 1)
    } else {
        let end = text.iter().position(|&b| b == b':').unwrap_or(text.len());
        let name = &text[..end];
        if name.is_empty() || !name.iter().all(|&b| b.is_ascii_alphanumeric() || b"-._".contains(&b)) {
            return None;
        }
        text.split_at(end)
    };
    match rest {
        [] => Some((host, &[][..])),
        [b':', port @ ..] if !port.is_empty() && port.iter().all(u8::is_ascii_digit) => Some((host, port)),
        _ => None,
    }
}
