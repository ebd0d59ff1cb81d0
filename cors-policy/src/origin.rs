//! Reading one `allow_origins` string: an exact serialized origin, `*`, or a pattern.
//!
//! Browsers send `Origin` in exactly one spelling (the ASCII serialization of the URL
//! Standard: lowercase scheme and host, punycode, no default port, no path), and the runtime
//! compares bytes. So any other spelling here can never match, and is an error that says what
//! the browser would send instead.

use crate::catalog::Check;
use crate::diagnostic::{Diagnostic, Span};
use cors_policy_core::PortPattern;
use std::net::Ipv6Addr;

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

fn check_host(
    scheme: &str,
    host: &str,
    subdomains: bool,
    text: &str,
    span: Span,
    out: &mut Vec<Diagnostic>,
) -> Option<()> {
    let err = |check, message: String, help: String| Diagnostic::error(check, span, message).with_help(help);
    let written = |h: &str| {
        let star = if subdomains { "*." } else { "" };
        let port = text.rsplit_once(':').filter(|(_, p)| !p.contains(']') && !p.starts_with("//"));
        match port {
            Some((_, p)) if !host.contains(':') || host.starts_with('[') => {
                format!("{scheme}://{star}{h}:{p}")
            }
            _ => format!("{scheme}://{star}{h}"),
        }
    };
    if !host.is_ascii() {
        out.push(err(
            Check::UnicodeHost,
            format!("the host `{host}` is not ASCII; browsers send internationalized hosts in punycode, so this never matches"),
            match to_ascii_host(host) {
                Some(ascii) => format!("browsers send `{}` (punycode); write that", written(&ascii)),
                None => "write the host's punycode form (`xn--...`), as the browser's address bar shows it".into(),
            },
        ));
        return None;
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        out.push(err(
            Check::UppercaseOrigin,
            format!("the host `{host}` has uppercase letters; browsers send it lowercase and compare bytes, so this never matches"),
            format!("write `{}`", written(&host.to_ascii_lowercase())),
        ));
    }
    let host_lower = host.to_ascii_lowercase();
    if let Some(inner) = host_lower.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        if subdomains {
            out.push(misplaced_wildcard(span, text, "is in front of an IP address"));
            return None;
        }
        let Ok(address) = inner.parse::<Ipv6Addr>() else {
            out.push(err(
                Check::NotAnOrigin,
                format!("`{host}` is not an IPv6 address"),
                "write it as `[::1]`".into(),
            ));
            return None;
        };
        if address.to_ipv4_mapped().is_some() {
            out.push(err(
                Check::NonCanonicalHostOrPort,
                format!("`{host}` is an IPv4-mapped IPv6 address, which browsers serialize differently"),
                "write the IPv4 address itself".into(),
            ));
            return None;
        }
        let canonical = format!("[{address}]");
        if canonical != host_lower {
            out.push(err(
                Check::NonCanonicalHostOrPort,
                format!("`{host}` is not in the compressed form browsers send (RFC 5952)"),
                format!("write `{}`", written(&canonical)),
            ));
        }
        return Some(());
    }
    let trimmed = host_lower.strip_suffix('.').unwrap_or(&host_lower);
    if trimmed.split('.').any(str::is_empty) {
        out.push(err(
            Check::NotAnOrigin,
            format!("the host `{host}` has an empty label"),
            "remove the extra dot".into(),
        ));
        return None;
    }
    if trimmed.len() > 253 || trimmed.split('.').any(|label| label.len() > 63) {
        out.push(err(
            Check::NotAnOrigin,
            format!("the host `{host}` is longer than DNS allows (labels of at most 63 bytes, 253 in all)"),
            "check the host for a pasting mistake".into(),
        ));
        return None;
    }
    if let Some(bad) =
        trimmed.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '.'))
    {
        out.push(err(
            Check::NotAnOrigin,
            format!("the host `{host}` contains `{bad}`, which no serialized host has"),
            "write a plain DNS name such as `app.example.com`".into(),
        ));
        return None;
    }
    // The URL Standard's "ends in a number" rule, which only special schemes apply: the host of
    // `moz-extension://0a1b…` is opaque, never an IPv4 address.
    let last = trimmed.rsplit('.').next().unwrap_or("");
    let ends_in_number = last.bytes().all(|b| b.is_ascii_digit())
        || last.strip_prefix("0x").is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if crate::trust::is_special_scheme(scheme) && ends_in_number {
        if subdomains {
            out.push(misplaced_wildcard(span, text, "is in front of an IP address"));
            return None;
        }
        if !is_ipv4(trimmed) || trimmed.len() != host.len() {
            let help = match canonical_ipv4(trimmed) {
                Some(ip) => format!("browsers send this address as `{}`", written(&ip)),
                None => "write the address in dotted-decimal form, such as `127.0.0.1`".into(),
            };
            out.push(err(
                Check::NonCanonicalHostOrPort,
                format!("`{host}` is not a dotted-decimal IPv4 address, the only form browsers send"),
                help,
            ));
            return None;
        }
        return Some(());
    }
    if host.ends_with('.') {
        out.push(
            Diagnostic::warning(
                Check::TrailingDotHost,
                span,
                format!("`{host}` ends with a dot, which makes it a different origin from `{trimmed}`; pages on `{trimmed}` will not match"),
            )
            .with_help(format!("write `{}` unless the page is really served on the dotted name", written(trimmed))),
        );
    }
    Some(())
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

/// The punycode (`xn--`) form of a host, label by label, as browsers serialize it. Hosts that
/// need IDNA mapping beyond lowercasing get no suggestion rather than a wrong one.
fn to_ascii_host(host: &str) -> Option<String> {
    let lower = host.to_lowercase();
    let labels: Option<Vec<String>> = lower
        .split('.')
        .map(|label| {
            if label.is_ascii() {
                Some(label.to_string())
            } else {
                punycode(label).map(|p| format!("xn--{p}"))
            }
        })
        .collect();
    labels.map(|l| l.join("."))
}

/// RFC 3492 Punycode encoding of one label.
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    let digit = |d: u32| -> char {
        if d < 26 {
            (b'a' + d as u8) as char
        } else {
            (b'0' + (d - 26) as u8) as char
        }
    };
    let adapt = |mut delta: u32, points: u32, first: bool| -> u32 {
        delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    };
    let input: Vec<u32> = label.chars().map(|c| c as u32).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u32;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u32, 0u32, 72u32, basic);
    while (handled as usize) < input.len() {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

/// Four decimal parts, 0 to 255, no leading zeros.
fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p == &"0" || !p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// What the URL Standard's IPv4 parser makes of `127.1`, `0x7f.0.0.1` and the like.
fn canonical_ipv4(host: &str) -> Option<String> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| {
            if let Some(hex) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
                u64::from_str_radix(if hex.is_empty() { "0" } else { hex }, 16).ok()
            } else if p.len() > 1 && p.starts_with('0') {
                u64::from_str_radix(&p[1..], 8).ok()
            } else {
                p.parse().ok()
            }
        })
        .collect::<Option<_>>()?;
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) || *last >= 256u64.pow(5 - numbers.len() as u32) {
        return None;
    }
    let mut value = *last;
    for (i, n) in init.iter().enumerate() {
        value += n << (8 * (3 - i));
    }
    let b = (value as u32).to_be_bytes();
    Some(format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3]))
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
