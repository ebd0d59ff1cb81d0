//! Origin patterns: `https://*.example.com`, `http://localhost:*`, and both at once.
//!
//! A pattern is checked structurally, never with string tricks: the scheme must be equal, the
//! port must be the one written (or any, for `:*`), and for `*.` the host must end with the
//! pattern's suffix *on a label boundary* and have one or more well-formed labels before it. So
//! `https://*.example.com` admits `https://a.b.example.com` but not `https://example.com`
//! (the apex), `https://evilexample.com` or `https://example.com.evil.net`.

use crate::origin::OriginParts;

/// Which ports a pattern admits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortPattern {
    /// No port in the origin: the scheme's default.
    Default,
    /// Exactly this port.
    Exact(u16),
    /// Any port, or none (`:*`).
    Any,
}

/// One origin pattern.
///
/// ```
/// use cors_policy_core::{OriginPattern, PortPattern};
/// let tenants = OriginPattern::new("https", "example.com", true, PortPattern::Default);
/// assert!(tenants.matches(b"https://acme.example.com"));
/// assert!(!tenants.matches(b"https://example.com"));
/// assert!(!tenants.matches(b"https://evilexample.com"));
/// let dev = OriginPattern::new("http", "localhost", false, PortPattern::Any);
/// assert!(dev.matches(b"http://localhost:5173"));
/// assert!(dev.matches(b"http://localhost"));
/// assert!(!dev.matches(b"http://localhost.evil.net:5173"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OriginPattern<'a> {
    scheme: &'a str,
    host: &'a str,
    subdomains: bool,
    port: PortPattern,
}

impl<'a> OriginPattern<'a> {
    /// A pattern for `scheme://host`, or `scheme://*.host` when `subdomains` is set.
    pub const fn new(scheme: &'a str, host: &'a str, subdomains: bool, port: PortPattern) -> Self {
        OriginPattern { scheme, host, subdomains, port }
    }

    /// `true` if the serialized origin `origin` is admitted.
    #[inline]
    pub fn matches(&self, origin: &[u8]) -> bool {
        OriginParts::parse(origin).is_some_and(|parts| self.matches_parts(&parts))
    }

    /// `true` if the already split origin is admitted.
    pub fn matches_parts(&self, parts: &OriginParts<'_>) -> bool {
        let port_ok = match self.port {
            PortPattern::Default => parts.port.is_none(),
            PortPattern::Exact(p) => parts.port == Some(p),
            PortPattern::Any => true,
        };
        if !port_ok || parts.scheme != self.scheme.as_bytes() {
            return false;
        }
        let host = parts.host;
        let suffix = self.host.as_bytes();
        if !self.subdomains {
            return host == suffix;
        }
        // `labels.` + suffix, with at least one label before the suffix.
        let Some(prefix_len) = host.len().checked_sub(suffix.len() + 1) else { return false };
        host.ends_with(suffix) && host[prefix_len] == b'.' && are_dns_labels(&host[..prefix_len])
    }

    /// The scheme.
    pub fn scheme(&self) -> &'a str {
        self.scheme
    }

    /// The host, or the suffix after `*.`.
    pub fn host(&self) -> &'a str {
        self.host
    }

    /// `true` for a `*.` pattern.
    pub fn subdomains(&self) -> bool {
        self.subdomains
    }

    /// The port rule.
    pub fn port(&self) -> PortPattern {
        self.port
    }
}

/// One or more dot-separated labels of 1 to 63 bytes of `a-z 0-9 - _`.
fn are_dns_labels(labels: &[u8]) -> bool {
    !labels.is_empty()
        && labels.split(|&b| b == b'.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .iter()
                    .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}
