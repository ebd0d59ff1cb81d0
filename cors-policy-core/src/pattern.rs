//! Origin patterns: `https://*.example.com`, `http://localhost:*`, and both at once.
//!
//! A pattern is checked structurally, never with string tricks: the scheme must be equal, the
//! port must be the one written (or any, for `:*`), and for `*.` the host must end with the
//! pattern's suffix *on a label boundary* and have one or more well-formed labels before it. So
//! `https://*.example.com` admits `https://a.b.example.com` but not `https://example.com`
//! (the apex), `https://evilexample.com` or `https://example.com.evil.net`.

use crate::origin::{are_dns_labels, is_host, is_scheme, split_host_port, OriginParts};
use crate::words::{eq_bytes, strip_prefix};

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

impl PortPattern {
    /// `true` if an origin with `port` (`None`: no port, the scheme's default) is admitted.
    #[inline]
    fn admits(self, port: Option<u16>) -> bool {
        match self {
            PortPattern::Default => port.is_none(),
            PortPattern::Exact(p) => port == Some(p),
            PortPattern::Any => true,
        }
    }
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
        if !self.port.admits(parts.port) || parts.scheme != self.scheme.as_bytes() {
            return false;
        }
        let (host, suffix) = (parts.host, self.host.as_bytes());
        if self.subdomains {
            ends_in_subdomain(host, suffix)
        } else {
            host == suffix
        }
    }

    /// `true` if the pattern is one the compiler emits: a scheme [`OriginParts::parse`]
    /// accepts, and a host it accepts, which after `*.` is made of DNS labels. Such a pattern
    /// is matched without splitting the origin first (`PatternRule::matches_well_formed`).
    const fn is_well_formed(&self) -> bool {
        let host = self.host.as_bytes();
        is_scheme(self.scheme.as_bytes())
            && if self.subdomains { are_dns_labels(host) } else { is_host(host) }
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

/// `true` if `host` is `labels.suffix`, with one or more DNS labels before `suffix`.
#[inline]
fn ends_in_subdomain(host: &[u8], suffix: &[u8]) -> bool {
    let Some(labels_len) = host.len().checked_sub(suffix.len() + 1) else { return false };
    let (labels, rest) = host.split_at(labels_len);
    // `rest` is the `.` and then as long as `suffix`.
    rest.split_first().is_some_and(|(&dot, tail)| dot == b'.' && eq_bytes(tail, suffix))
        && are_dns_labels(labels)
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
    /// Every pattern is well-formed, so that [`OriginPatterns::matches`] need not split the
    /// origin. Decided once, when the tables are assembled (at compile time for a `static`).
    well_formed: bool,
    /// The generated matcher, which decides what the rules decide.
    matcher: Option<fn(&[u8]) -> bool>,
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

    /// [`OriginPattern::matches`] for the well-formed pattern of this rule, `scheme` and
    /// `host` (as bytes: a well-formed pattern is ASCII), and an origin of at most
    /// [`MAX_ORIGIN_LEN`](crate::MAX_ORIGIN_LEN) bytes, without splitting the origin first:
    /// the pattern's own scheme and host are known to pass [`OriginParts::parse`]'s checks, so
    /// an origin equal to them in those places passes them too, and only the bytes the pattern
    /// does not fix are read (the port, and the labels before a `*.` suffix).
    #[inline]
    fn matches_well_formed(&self, scheme: &[u8], suffix: &[u8], origin: &[u8]) -> bool {
        // A well-formed scheme has no `:`, so this is where `parse` splits.
        let Some(rest) = strip_prefix(origin, scheme).and_then(|rest| rest.strip_prefix(b"://")) else {
            return false;
        };
        if self.subdomains && self.port == PortPattern::Default {
            // `labels.suffix`, neither part holding a `:` or starting with `[`: `parse` would
            // take all of it as the host, with no port.
            return ends_in_subdomain(rest, suffix);
        }
        let Some((host, port)) = split_host_port(rest) else { return false };
        self.port.admits(port)
            && if self.subdomains { ends_in_subdomain(host, suffix) } else { host == suffix }
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
    pub const EMPTY: OriginPatterns<'static> = OriginPatterns::new("", &[]);

    /// Assembles the patterns from the compiler's tables.
    pub const fn new(text: &'a str, rules: &'a [PatternRule]) -> Self {
        OriginPatterns { text, rules, well_formed: all_well_formed(text, rules), matcher: None }
    }

    /// The same patterns, matched by `matcher`, a function that decides what
    /// [`OriginPatterns::matches_by_rules`] decides on these rules. Generated code emits it as
    /// that function over its patterns written as a `const`:
    ///
    /// ```
    /// use cors_policy_core::{OriginPatterns, PatternRule, PortPattern};
    /// const RULES: OriginPatterns<'static> =
    ///     OriginPatterns::new("httpsexample.com", &[PatternRule::new(5, 16, true, PortPattern::Default)]);
    /// fn matcher(origin: &[u8]) -> bool {
    ///     RULES.matches_by_rules(origin)
    /// }
    /// static PATTERNS: OriginPatterns<'static> = RULES.with_matcher(matcher);
    /// assert!(PATTERNS.matches(b"https://a.example.com"));
    /// assert!(!PATTERNS.matches(b"https://example.com"));
    /// ```
    ///
    /// Over a `const`, the optimizer compiles the comparisons with the schemes' and hosts'
    /// lengths and bytes known: 74 instructions fewer on a `*.example.com` hit through the
    /// layer, 2 to 6 ns (BENCHMARKS.md, issue 11, eleventh round). A matcher that decides
    /// otherwise changes the answers, so only the compiler, which emits it from the same rules,
    /// calls this.
    pub const fn with_matcher(self, matcher: fn(&[u8]) -> bool) -> Self {
        OriginPatterns { matcher: Some(matcher), ..self }
    }

    /// `true` if generated code gave a matcher ([`OriginPatterns::with_matcher`]).
    pub fn has_matcher(&self) -> bool {
        self.matcher.is_some()
    }

    /// `true` if one of the patterns admits `origin`, as [`OriginPattern::matches`] decides it.
    ///
    /// ```
    /// use cors_policy_core::{OriginPatterns, PatternRule, PortPattern};
    /// static RULES: [PatternRule; 1] = [PatternRule::new(5, 16, true, PortPattern::Default)];
    /// let patterns = OriginPatterns::new("httpsexample.com", &RULES);
    /// assert!(patterns.matches(b"https://a.b.example.com"));
    /// assert!(!patterns.matches(b"https://example.com"));
    /// assert!(!patterns.matches(b"https://a.example.com:8443"));
    /// ```
    #[inline]
    pub fn matches(&self, origin: &[u8]) -> bool {
        origin.len() <= crate::MAX_ORIGIN_LEN && self.matches_capped(origin)
    }

    /// [`OriginPatterns::matches`] for an origin of at most
    /// [`MAX_ORIGIN_LEN`](crate::MAX_ORIGIN_LEN) bytes: the generated matcher's answer if there
    /// is one ([`OriginPatterns::with_matcher`]), the rules' otherwise.
    #[inline]
    pub(crate) fn matches_capped(&self, origin: &[u8]) -> bool {
        match self.matcher {
            Some(matcher) => matcher(origin),
            None => self.rules_match_capped(origin),
        }
    }

    /// [`OriginPatterns::matches`] as the rules decide it, whether or not there is a generated
    /// matcher. Always inlined: the matcher generated code emits is this function over a
    /// `const`.
    #[inline(always)]
    pub fn matches_by_rules(&self, origin: &[u8]) -> bool {
        origin.len() <= crate::MAX_ORIGIN_LEN && self.rules_match_capped(origin)
    }

    /// [`OriginPatterns::matches_by_rules`] for an origin of at most
    /// [`MAX_ORIGIN_LEN`](crate::MAX_ORIGIN_LEN) bytes. Well-formed patterns (all the
    /// compiler emits) each compare the origin in place; tables assembled by hand with a
    /// pattern `parse` would never accept fall back to splitting the origin once.
    #[inline(always)]
    fn rules_match_capped(&self, origin: &[u8]) -> bool {
        if self.well_formed {
            // The parts as bytes: `iter`'s `str` slices check char boundaries, which an ASCII
            // text needs no check for.
            let (text, mut start) = (self.text.as_bytes(), 0);
            return self.rules.iter().any(|rule| {
                let (scheme_end, host_end) = (rule.scheme_end as usize, rule.host_end as usize);
                let parts = text.get(start..scheme_end).zip(text.get(scheme_end..host_end));
                start = host_end;
                parts.is_some_and(|(scheme, host)| rule.matches_well_formed(scheme, host, origin))
            });
        }
        OriginParts::parse_capped(origin).is_some_and(|parts| self.iter().any(|p| p.matches_parts(&parts)))
    }

    /// `true` if every pattern is well-formed (a scheme and a host that
    /// [`OriginParts::parse`] accepts, DNS labels after `*.`), so that
    /// [`OriginPatterns::matches`] compares each in place instead of splitting the origin
    /// first. The compiler emits only such patterns; either way the answers are the same.
    pub fn is_well_formed(&self) -> bool {
        self.well_formed
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

/// `true` if every rule's offsets fall in order on the text and its pattern is well-formed:
/// the walk of [`OriginPatterns::iter`], in a `const fn`.
const fn all_well_formed(text: &str, rules: &[PatternRule]) -> bool {
    let bytes = text.as_bytes();
    let (mut i, mut start) = (0, 0);
    while i < rules.len() {
        let rule = rules[i];
        let (scheme_end, host_end) = (rule.scheme_end as usize, rule.host_end as usize);
        if start > scheme_end || scheme_end > host_end || host_end > bytes.len() {
            return false;
        }
        let (head, _) = bytes.split_at(host_end);
        let (head, host) = head.split_at(scheme_end);
        let (_, scheme) = head.split_at(start);
        // A well-formed pattern is ASCII, so the `str` slices `iter` takes at these offsets are
        // these bytes.
        let (Ok(scheme), Ok(host)) = (core::str::from_utf8(scheme), core::str::from_utf8(host)) else {
            return false;
        };
        if !OriginPattern::new(scheme, host, rule.subdomains, rule.port).is_well_formed() {
            return false;
        }
        start = host_end;
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::{format, string::String, vec::Vec};

    /// Patterns of every shape the compiler emits: `*.` with each port rule, exact hosts, an
    /// IPv4 and a bracketed IPv6 address.
    const PATTERNS: [(&str, &str, bool, PortPattern); 8] = [
        ("https", "example.com", true, PortPattern::Default),
        ("https", "example.com", true, PortPattern::Exact(8443)),
        ("http", "localhost", true, PortPattern::Any),
        ("http", "localhost", false, PortPattern::Any),
        ("https", "app.example.com", false, PortPattern::Default),
        ("http", "127.0.0.1", false, PortPattern::Exact(3000)),
        ("http", "[::1]", false, PortPattern::Any),
        ("http", "[::1]", false, PortPattern::Exact(3000)),
    ];

    /// The tables of one pattern, as the compiler lays them out.
    fn tables(scheme: &str, host: &str, subdomains: bool, port: PortPattern) -> (String, [PatternRule; 1]) {
        let rule =
            PatternRule::new(scheme.len() as u32, (scheme.len() + host.len()) as u32, subdomains, port);
        (format!("{scheme}{host}"), [rule])
    }

    /// What every pattern decides when it splits the origin first.
    fn reference(patterns: &OriginPatterns<'_>, origin: &[u8]) -> bool {
        patterns.iter().any(|pattern| pattern.matches(origin))
    }

    /// Origins made of the pattern's own pieces and of the bytes that end or split them, up to
    /// four pieces long, and each of them with every byte value in every place.
    fn origins_of(scheme: &str, host: &str) -> Vec<Vec<u8>> {
        let pieces: [&[u8]; 14] = [
            scheme.as_bytes(),
            b"://",
            host.as_bytes(),
            b".",
            b"a",
            b"a-b_c",
            b":",
            b"3000",
            b"8443",
            b"0",
            b"[",
            b"]",
            b"::1",
            b"A",
        ];
        let mut origins = Vec::new();
        for count in 0..=4u32 {
            for mut n in 0..pieces.len().pow(count) {
                let mut origin = Vec::new();
                for _ in 0..count {
                    origin.extend_from_slice(pieces[n % pieces.len()]);
                    n /= pieces.len();
                }
                origins.push(origin);
            }
        }
        let seeds = [
            format!("{scheme}://a.{host}"),
            format!("{scheme}://a.{host}:8443"),
            format!("{scheme}://{host}:3000"),
            format!("{scheme}://x-1.y_2.{host}"),
        ];
        for seed in seeds {
            let seed = seed.into_bytes();
            for place in 0..seed.len() {
                for byte in 0..=255u8 {
                    let mut origin = seed.clone();
                    origin[place] = byte;
                    origins.push(origin);
                }
            }
            origins.push(seed);
        }
        origins
    }

    /// The in-place comparison of well-formed patterns decides every origin built from the
    /// pattern's own pieces as splitting the origin first does.
    #[test]
    fn well_formed_patterns_decide_in_place_as_the_split_does() {
        let mut admitted = 0;
        for (scheme, host, subdomains, port) in PATTERNS {
            let (text, rules) = tables(scheme, host, subdomains, port);
            let patterns = OriginPatterns::new(&text, &rules);
            assert!(patterns.well_formed, "{scheme}://{host}");
            for origin in origins_of(scheme, host) {
                let expected = reference(&patterns, &origin);
                admitted += usize::from(expected);
                assert_eq!(
                    patterns.matches(&origin),
                    expected,
                    "{scheme}://{}{host} {port:?} on {}",
                    if subdomains { "*." } else { "" },
                    origin.escape_ascii()
                );
            }
        }
        // The generated origins reach both answers of every pattern, not only refusals.
        assert!(admitted > 100, "only {admitted} origins admitted");
    }

    /// Tables no compiler emits (an uppercase scheme, a `*.` suffix that is no DNS name,
    /// offsets off the text) are not well-formed, and are decided by splitting the origin.
    #[test]
    fn other_tables_are_decided_by_splitting_the_origin() {
        let cases: [(&str, PatternRule, &[u8]); 4] = [
            (
                "HTTPSexample.com",
                PatternRule::new(5, 16, true, PortPattern::Default),
                b"HTTPS://a.example.com",
            ),
            ("httpsa:1", PatternRule::new(5, 8, true, PortPattern::Default), b"https://x.a:1"),
            ("https[::1]", PatternRule::new(5, 10, true, PortPattern::Any), b"https://a.[::1]"),
            (
                "httpsexample.com",
                PatternRule::new(5, 99, false, PortPattern::Default),
                b"https://example.com",
            ),
        ];
        for (text, rule, origin) in cases {
            let rules = [rule];
            let patterns = OriginPatterns::new(text, &rules);
            assert!(!patterns.well_formed, "{text}");
            assert!(!patterns.matches(origin), "{text} on {}", origin.escape_ascii());
            let (scheme, host) = text.split_at(5);
            for origin in origins_of(scheme, host) {
                assert_eq!(
                    patterns.matches(&origin),
                    reference(&patterns, &origin),
                    "{}",
                    origin.escape_ascii()
                );
            }
        }
    }

    /// Two patterns back to back in one text are both well-formed and both matched.
    #[test]
    fn every_pattern_of_a_list_is_matched() {
        static RULES: [PatternRule; 2] = [
            PatternRule::new(5, 16, true, PortPattern::Default),
            PatternRule::new(20, 29, false, PortPattern::Any),
        ];
        static PATTERNS: OriginPatterns<'static> =
            OriginPatterns::new("httpsexample.comhttplocalhost", &RULES);
        assert!(PATTERNS.well_formed);
        assert!(PATTERNS.matches(b"https://a.example.com"));
        assert!(PATTERNS.matches(b"http://localhost:5173"));
        assert!(!PATTERNS.matches(b"http://a.localhost:5173"));
        assert!(!PATTERNS.matches(b"https://example.com"));
    }
}
