//! Origin patterns: `https://*.example.com`, `http://localhost:*`, and both at once.
//!
//! A pattern is checked structurally, never with string tricks: the scheme must be equal, the
//! port must be the one written (or any, for `:*`), and for `*.` the host must end with the
//! pattern's suffix *on a label boundary* and have one or more well-formed labels before it. So
//! `https://*.example.com` admits `https://a.b.example.com` but not `https://example.com`
//! (the apex), `https://evilexample.com` or `https://example.com.evil.net`.

use crate::origin::{are_dns_labels, OriginParts};

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

/// The patterns of one policy, stored as [`StrList`](crate::StrList) stores strings: their
/// schemes and hosts back to back in one text, and one [`PatternRule`] each. Two borrowed
/// slices, so that tables emitted into a binary and tables a policy loaded at run time owns
/// lend the same view without building anything per request.
///
/// ```
/// use cors_policy_core::{OriginPatterns, PatternRule, PortPattern};
/// // `https://*.example.com` and `http://localhost:*`.
/// static RULES: [PatternRule; 2] = [
///     PatternRule::new(5, 16, true, PortPattern::Default),
///     PatternRule::new(20, 29, false, PortPattern::Any),
/// ];
/// let patterns = OriginPatterns::new("httpsexample.comhttplocalhost", &RULES);
/// let hosts: Vec<_> = patterns.iter().map(|p| (p.scheme(), p.host())).collect();
/// assert_eq!(hosts, [("https", "example.com"), ("http", "localhost")]);
/// assert!(patterns.iter().any(|p| p.matches(b"http://localhost:5173")));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct OriginPatterns<'a> {
    text: &'a str,
    rules: &'a [PatternRule],
}

/// One pattern of [`OriginPatterns`]: where its scheme and host end in the shared text (each
/// starts where the previous part ends), and what it admits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PatternRule {
    scheme_end: u32,
    host_end: u32,
    subdomains: bool,
    port: PortPattern,
}

impl PatternRule {
    /// A rule whose scheme ends at `scheme_end` and whose host ends at `host_end`.
    pub const fn new(scheme_end: u32, host_end: u32, subdomains: bool, port: PortPattern) -> Self {
        PatternRule { scheme_end, host_end, subdomains, port }
    }

    /// Where the scheme ends in the text.
    pub const fn scheme_end(&self) -> u32 {
        self.scheme_end
    }

    /// Where the host ends in the text.
    pub const fn host_end(&self) -> u32 {
        self.host_end
    }

    /// `true` for a `*.` pattern.
    pub const fn subdomains(&self) -> bool {
        self.subdomains
    }

    /// The port rule.
    pub const fn port(&self) -> PortPattern {
        self.port
    }
}

impl<'a> OriginPatterns<'a> {
    /// No pattern.
    pub const EMPTY: OriginPatterns<'static> = OriginPatterns { text: "", rules: &[] };

    /// Assembles the patterns from the compiler's tables.
    pub const fn new(text: &'a str, rules: &'a [PatternRule]) -> Self {
        OriginPatterns { text, rules }
    }

    /// The number of patterns.
    #[inline]
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// `true` if there is no pattern.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The patterns in order. A rule whose offsets do not fall on the text (which the compiler
    /// never emits) is skipped: it admits nothing.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = OriginPattern<'a>> + 'a {
        let text = self.text;
        let mut start = 0usize;
        self.rules.iter().filter_map(move |rule| {
            let (scheme_end, host_end) = (rule.scheme_end as usize, rule.host_end as usize);
            let parts = text.get(start..scheme_end).zip(text.get(scheme_end..host_end));
            start = host_end;
            let (scheme, host) = parts?;
            Some(OriginPattern::new(scheme, host, rule.subdomains, rule.port))
        })
    }

    /// The concatenated schemes and hosts.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The rules.
    pub fn rules(&self) -> &'a [PatternRule] {
        self.rules
    }
}
