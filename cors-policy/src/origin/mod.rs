//! Reading one `allow_origins` string: an exact serialized origin, `*`, or a pattern.
//!
//! Browsers send `Origin` in exactly one spelling (the ASCII serialization of the URL
//! Standard: lowercase scheme and host, punycode, no default port, no path), and the runtime
//! compares bytes. So any other spelling here can never match, and is an error that says what
//! the browser would send instead.

use crate::catalog::Check;
use crate::diagnostic::{Diagnostic, Span};
use cors_policy_core::PortPattern;
use host::{check_host, to_ascii_host};
pub(crate) use host::{is_ipv4, is_number_label};

mod host;

/// A checked `allow_origins` string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OriginSpec {
    /// `*`.
    Any,
    /// An exact serialized origin.
    Exact(Origin),
    /// `scheme://*.host`, `scheme://host:*`, or both.
    Pattern(Origin),
}

/// The parts of an origin or pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The lowercase scheme.
    pub scheme: String,
    /// The host, or for `*.` patterns the part after `*.`.
    pub host: String,
    /// `*.` was written before the host.
    pub subdomains: bool,
    /// The port rule.
    pub port: PortPattern,
}

impl Origin {
    /// The serialization, with `*.` and `:*` where the pattern has them.
    pub fn to_text(&self) -> String {
        let star = if self.subdomains { "*." } else { "" };
        match self.port {
            PortPattern::Default => format!("{}://{star}{}", self.scheme, self.host),
            PortPattern::Exact(p) => format!("{}://{star}{}:{p}", self.scheme, self.host),
            PortPattern::Any => format!("{}://{star}{}:*", self.scheme, self.host),
        }
    }

    /// `false` for schemes a network attacker can read and rewrite (`http`, `ws`, `ftp`),
    /// unless the host is loopback (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`), which
    /// browsers treat as potentially trustworthy.
    pub fn is_secure(&self) -> bool {
        !matches!(self.scheme.as_str(), "http" | "ws" | "ftp") || is_loopback_host(&self.host)
    }
}

/// `localhost`, a `.localhost` name, a `127.x.y.z` address or `[::1]`.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.") && is_ipv4(host)
        || host == "[::1]"
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

/// Reads one origin string, pushing every problem found to `diagnostics`. Returns `None` when
/// the string cannot be used at all.
pub fn parse(text: &str, span: Span, diagnostics: &mut Vec<Diagnostic>) -> Option<OriginSpec> {
    let before = diagnostics.len();
    let spec = parse_inner(text, span, diagnostics);
    // Several mistakes in one origin: each help fixes one, so each also names the origin that
    // fixes them all, when that spelling is itself clean.
    let errors = diagnostics[before..].iter().filter(|d| d.is_error()).count();
    if errors > 1 {
        if let Some(fixed) = canonical(text).filter(|fixed| {
            let mut scratch = Vec::new();
            parse_inner(fixed, span, &mut scratch).is_some() && scratch.is_empty()
        }) {
            for diagnostic in diagnostics[before..].iter_mut().filter(|d| d.is_error()) {
                let one = diagnostic.help.take().unwrap_or_default();
                diagnostic.help = Some(format!("{one}; to fix all {errors} mistakes, write `{fixed}`"));
            }
        }
    }
    if diagnostics[before..].iter().any(Diagnostic::is_error) {
        None
    } else {
        spec
    }
}

fn parse_inner(text: &str, span: Span, out: &mut Vec<Diagnostic>) -> Option<OriginSpec> {
    let err = |check, message: String, help: String| Diagnostic::error(check, span, message).with_help(help);
    if text == "*" {
        return Some(OriginSpec::Any);
    }
    if text.eq_ignore_ascii_case("null") {
        out.push(err(
            Check::NullOrigin,
            "the `null` origin can be sent by any page: a sandboxed iframe, a `data:` or `file:` document, or a cross-origin redirect all produce `Origin: null`".into(),
            "remove it; list the real origins of the pages that need access".into(),
        ));
        return None;
    }
    if text.trim().is_empty() {
        out.push(err(
            Check::NotAnOrigin,
            "an empty origin can never match".into(),
            "write an origin such as `https://app.example.com`".into(),
        ));
        return None;
    }
    if text.trim() != text {
        out.push(err(
            Check::NotAnOrigin,
            format!("`{text}` has surrounding whitespace, and browsers never send that"),
            format!("write `{}`", text.trim()),
        ));
        return None;
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        if text.to_ascii_lowercase().starts_with("file:") {
            out.push(file_origin(span));
        } else {
            let bare = text.trim_start_matches('/');
            out.push(err(
                Check::NotAnOrigin,
                format!("`{text}` is not an origin: an origin is `scheme://host[:port]`, and the scheme is missing"),
                format!("write `https://{bare}`"),
            ));
        }
        return None;
    };
    if scheme.eq_ignore_ascii_case("file") {
        out.push(file_origin(span));
        return None;
    }
    if ["data", "javascript", "about", "blob", "filesystem"].iter().any(|s| scheme.eq_ignore_ascii_case(s)) {
        out.push(err(
            Check::NotAnOrigin,
            format!("`{scheme}:` documents have an opaque origin and send `Origin: null`, never `{text}`"),
            "remove it; list the origins of the pages that create those documents".into(),
        ));
        return None;
    }
    if scheme.is_empty()
        || !scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        out.push(err(
            Check::NotAnOrigin,
            format!("`{scheme}` is not a URL scheme"),
            "write `https://host` or `http://host`".into(),
        ));
        return None;
    }
    if scheme.bytes().any(|b| b.is_ascii_uppercase()) {
        out.push(err(
            Check::UppercaseOrigin,
            format!("the scheme `{scheme}` has uppercase letters; browsers send it lowercase and compare bytes, so this never matches"),
            format!("write `{}://{rest}`", scheme.to_ascii_lowercase()),
        ));
    }
    let scheme = scheme.to_ascii_lowercase();

    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if !path.is_empty() {
        out.push(err(
            Check::OriginWithPath,
            format!("`{text}` has a path, query or trailing slash (`{path}`); an origin never has one, so this never matches"),
            format!("write `{scheme}://{authority}`"),
        ));
    }
    if let Some((userinfo, host)) = authority.rsplit_once('@') {
        out.push(err(
            Check::NotAnOrigin,
            format!("`{text}` has user information (`{userinfo}@`); an origin never has one"),
            if host.is_empty() {
                format!("write `{scheme}://app.example.com` with your own host")
            } else {
                format!("write `{scheme}://{host}`")
            },
        ));
        return None;
    }
    if authority.is_empty() {
        out.push(err(
            Check::NotAnOrigin,
            format!("`{text}` has no host"),
            format!("write `{scheme}://app.example.com`"),
        ));
        return None;
    }

    let (host, port_text) = split_host_port(authority);
    let port = match port_text {
        None => PortPattern::Default,
        Some("*") => PortPattern::Any,
        Some(p) => match parse_port(p) {
            Ok(port) if Some(port) == default_port(&scheme) => {
                out.push(err(
                    Check::DefaultPort,
                    format!("`:{port}` is the default port of {scheme}; browsers never send it, so this never matches"),
                    format!("browsers never send the default port: write `{scheme}://{host}`"),
                ));
                PortPattern::Default
            }
            Ok(port) => PortPattern::Exact(port),
            Err(why) if p.contains('*') => {
                out.push(misplaced_wildcard(span, text, why));
                return None;
            }
            Err(why) => {
                let trimmed = p.trim_start_matches('0');
                let help = if why == "has a leading zero" && parse_port(trimmed).is_ok() {
                    format!("write `{scheme}://{host}:{trimmed}`")
                } else {
                    format!("write a port from 1 to 65535, or none: `{scheme}://{host}`")
                };
                out.push(err(
                    Check::NonCanonicalHostOrPort,
                    format!("port `{p}` {why}; browsers send ports as 1 to 65535 with no leading zero"),
                    help,
                ));
                return None;
            }
        },
    };

    let (subdomains, host) = match host.strip_prefix("*.") {
        Some(suffix) => (true, suffix),
        None => (false, host),
    };
    if host.is_empty() {
        out.push(err(
            Check::NotAnOrigin,
            format!("`{text}` has no host"),
            format!("write `{scheme}://app.example.com` with your own host"),
        ));
        return None;
    }
    if host.contains('*') {
        out.push(misplaced_wildcard(span, text, "is not a leading `*.` label"));
        return None;
    }
    check_host(&scheme, host, subdomains, text, span, out)?;

    let origin = Origin { scheme, host: host.to_string(), subdomains, port };
    // The shortest origin the entry admits: `a.` in place of `*.`, no port for `:*`.
    let shortest = match (subdomains, port) {
        (true, _) => origin.to_text().replacen("*.", "a.", 1).replace(":*", ""),
        (false, _) => origin.to_text().replace(":*", ""),
    };
    if shortest.len() > cors_policy_core::MAX_ORIGIN_LEN {
        out.push(err(
            Check::NotAnOrigin,
            format!(
                "`{text}` only admits origins longer than {} bytes, which browsers never send (hosts are at most 253 bytes)",
                cors_policy_core::MAX_ORIGIN_LEN
            ),
            "check the host for a pasting mistake".into(),
        ));
        return None;
    }
    Some(if subdomains || port == PortPattern::Any {
        OriginSpec::Pattern(origin)
    } else {
        OriginSpec::Exact(origin)
    })
}

fn file_origin(span: Span) -> Diagnostic {
    Diagnostic::error(
        Check::FileOrigin,
        span,
        "`file:` pages have an opaque origin and send `Origin: null`, which any sandboxed iframe can send too",
    )
    .with_help("remove it; serve the page over http://localhost during development instead")
}

fn misplaced_wildcard(span: Span, text: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        Check::MisplacedWildcard,
        span,
        format!("the `*` in `{text}` {why}: only a leading `*.` (one or more subdomains) or a `:*` port is a pattern; `*example.com` would match `evilexample.com`"),
    )
    .with_help("write `https://*.example.com` for subdomains, or use a `regex:` entry for anything else")
}

/// Splits `host[:port]`, minding IPv6 brackets.
fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') || authority.starts_with("*.[") {
        if let Some(close) = authority.find(']') {
            let (host, tail) = authority.split_at(close + 1);
            return (host, tail.strip_prefix(':').or(if tail.is_empty() { None } else { Some(tail) }));
        }
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

fn parse_port(text: &str) -> Result<u16, &'static str> {
    if text.is_empty() {
        return Err("is empty");
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("is not a number");
    }
    if text.starts_with('0') {
        return Err(if text.bytes().all(|b| b == b'0') { "is 0" } else { "has a leading zero" });
    }
    text.parse::<u16>().map_err(|_| "is above 65535")
}

/// What browsers would send for `text`: lowercase scheme and host, punycode, no default port,
/// no path. `None` when `text` has no `scheme://host` to start from.
fn canonical(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let (host, port) = split_host_port(authority);
    let host = to_ascii_host(host)?;
    let port = port.filter(|p| p.parse::<u16>().ok() != default_port(&scheme));
    Some(match port {
        Some(p) => format!("{scheme}://{host}:{}", p.parse::<u16>().map_or(p.to_owned(), |n| n.to_string())),
        None => format!("{scheme}://{host}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span() -> Span {
        Span::File { start: 0, end: 0, line: 1, column: 1 }
    }

    fn check(text: &str) -> (Option<OriginSpec>, Vec<Check>, Vec<String>) {
        let mut out = Vec::new();
        let spec = parse(text, span(), &mut out);
        (spec, out.iter().map(|d| d.check).collect(), out.iter().filter_map(|d| d.help.clone()).collect())
    }

    #[test]
    fn accepts_serialized_origins_and_patterns() {
        for ok in [
            "https://app.example.com",
            "http://localhost:3000",
            "http://127.0.0.1:8080",
            "http://[::1]:8080",
            "https://xn--bcher-kva.example",
            "chrome-extension://abcdefghijklmnop",
        ] {
            assert!(matches!(check(ok).0, Some(OriginSpec::Exact(_))), "{ok}");
        }
        let (spec, ..) = check("https://*.example.com:*");
        let Some(OriginSpec::Pattern(o)) = spec else { panic!() };
        assert_eq!((o.host.as_str(), o.subdomains, o.port), ("example.com", true, PortPattern::Any));
        assert_eq!(check("*").0, Some(OriginSpec::Any));
    }

    #[test]
    fn names_each_mistake_and_its_fix() {
        let cases: &[(&str, Check, &str)] = &[
            ("null", Check::NullOrigin, ""),
            ("file:///home/me/index.html", Check::FileOrigin, ""),
            ("app.example.com", Check::NotAnOrigin, "write `https://app.example.com`"),
            ("//app.example.com", Check::NotAnOrigin, "write `https://app.example.com`"),
            ("https://", Check::NotAnOrigin, ""),
            ("https://user:pw@app.example.com", Check::NotAnOrigin, "write `https://app.example.com`"),
            ("https://app.example.com/", Check::OriginWithPath, "write `https://app.example.com`"),
            ("https://app.example.com/app?x", Check::OriginWithPath, "write `https://app.example.com`"),
            ("HTTPS://app.example.com", Check::UppercaseOrigin, "write `https://app.example.com`"),
            ("https://App.Example.com", Check::UppercaseOrigin, "write `https://app.example.com`"),
            ("https://app.example.com:443", Check::DefaultPort, "write `https://app.example.com`"),
            ("http://app.example.com:80", Check::DefaultPort, "write `http://app.example.com`"),
            ("https://bücher.example", Check::UnicodeHost, "browsers send `https://xn--bcher-kva.example`"),
            ("https://Bücher.example:8443", Check::UnicodeHost, "`https://xn--bcher-kva.example:8443`"),
            ("https://münchen.de", Check::UnicodeHost, "`https://xn--mnchen-3ya.de`"),
            ("https://例え.jp", Check::UnicodeHost, "`https://xn--r8jz45g.jp`"),
            ("http://127.1", Check::NonCanonicalHostOrPort, "`http://127.0.0.1`"),
            ("http://0x7f.0.0.1", Check::NonCanonicalHostOrPort, "`http://127.0.0.1`"),
            ("http://[0:0::1]", Check::NonCanonicalHostOrPort, "write `http://[::1]`"),
            ("http://[::ffff:127.0.0.1]", Check::NonCanonicalHostOrPort, ""),
            ("http://localhost:0", Check::NonCanonicalHostOrPort, ""),
            ("http://localhost:65536", Check::NonCanonicalHostOrPort, ""),
            ("http://localhost:03000", Check::NonCanonicalHostOrPort, "write `http://localhost:3000`"),
            ("https://app.example.com.", Check::TrailingDotHost, "write `https://app.example.com`"),
            ("https://*example.com", Check::MisplacedWildcard, ""),
            ("https://api-*.example.com", Check::MisplacedWildcard, ""),
            ("https://api.*.example.com", Check::MisplacedWildcard, ""),
            ("https://*", Check::MisplacedWildcard, ""),
            ("https://**.example.com", Check::MisplacedWildcard, ""),
            ("http://localhost:3*", Check::MisplacedWildcard, ""),
            ("https://a..example.com", Check::NotAnOrigin, ""),
            ("https://:80", Check::NotAnOrigin, "write `https://app.example.com`"),
            ("https://*.[::1]", Check::MisplacedWildcard, ""),
            ("http://localhost:0", Check::NonCanonicalHostOrPort, "write a port from 1 to 65535, or none"),
            ("http://localhost:65536", Check::NonCanonicalHostOrPort, "or none: `http://localhost`"),
            ("", Check::NotAnOrigin, "write an origin such as"),
            ("https://a@", Check::NotAnOrigin, "write `https://app.example.com`"),
            ("data://text", Check::NotAnOrigin, "remove it"),
            ("javascript://x", Check::NotAnOrigin, "remove it"),
        ];
        for (text, code, help) in cases {
            let (_, checks, helps) = check(text);
            assert!(checks.contains(code), "{text}: expected {code:?}, got {checks:?}");
            assert!(
                help.is_empty() || helps.iter().any(|h| h.contains(help)),
                "{text}: help {helps:?} lacks {help}"
            );
        }
    }

    #[test]
    fn reports_several_mistakes_of_one_origin() {
        let (spec, checks, _) = check("HTTPS://App.example.com:443/");
        assert_eq!(spec, None);
        for code in [Check::UppercaseOrigin, Check::OriginWithPath, Check::DefaultPort] {
            assert!(checks.contains(&code), "{checks:?}");
        }
    }

    #[test]
    fn several_mistakes_name_the_origin_that_fixes_them_all() {
        let mut out = Vec::new();
        assert!(parse("HTTPS://App.example.com:443/", span(), &mut out).is_none());
        assert!(out.len() >= 3, "{out:#?}");
        for d in &out {
            assert!(
                d.help.as_deref().is_some_and(|h| h.ends_with("write `https://app.example.com`")),
                "{d:#?}"
            );
        }
        let mut one = Vec::new();
        parse("https://app.example.com:443", span(), &mut one);
        assert!(!one[0].help.as_deref().unwrap_or("").contains("all"), "{one:#?}");
    }

    #[test]
    fn only_special_schemes_have_ipv4_hosts() {
        let (spec, codes, _) = check("moz-extension://0a1b2c3d-1111-2222-3333-444455556666");
        assert!(codes.is_empty(), "{codes:?}");
        assert!(matches!(spec, Some(OriginSpec::Exact(_))));
        assert!(check("https://1password.com").1.is_empty());
        assert_eq!(check("https://10.0.0.01").1, [Check::NonCanonicalHostOrPort]);
        assert_eq!(check("https://0x7f.0.0.1").1, [Check::NonCanonicalHostOrPort]);
    }

    #[test]
    fn knows_which_origins_are_secure() {
        let secure = |t: &str| match check(t).0 {
            Some(OriginSpec::Exact(o) | OriginSpec::Pattern(o)) => o.is_secure(),
            other => panic!("{t}: {other:?}"),
        };
        assert!(secure("https://app.example.com"));
        assert!(secure("http://localhost:3000"));
        assert!(secure("http://*.localhost:*"));
        assert!(secure("http://127.0.0.1"));
        assert!(secure("http://[::1]:8080"));
        assert!(!secure("http://app.example.com"));
        assert!(!secure("http://localhost.evil.net"));
    }
}
