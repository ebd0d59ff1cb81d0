//! `allow_origins`: which request origins get CORS headers.

use crate::origin::MAX_ORIGIN_LEN;
use crate::{Dfa, OriginPatterns, OriginSet, TenantSets};

/// The origins a policy allows.
#[derive(Clone, Copy, Debug)]
// One per policy, often in a `static` of a crate without an allocator: nothing to box into.
#[allow(clippy::large_enum_variant)]
pub enum AllowOrigins<'a> {
    /// `*`: every origin. The compiler accepts it only without credentials, and the runtime
    /// then answers `Access-Control-Allow-Origin: *`.
    Any,
    /// Exact origins, patterns and regexes; an allowed origin is echoed back.
    Listed(OriginMatcher<'a>),
}

/// Exact origins (hash set), structural patterns, one DFA for all regex entries, and the
/// tenant sets the application fills at run time.
#[derive(Clone, Copy, Debug)]
pub struct OriginMatcher<'a> {
    exact: OriginSet<'a>,
    patterns: OriginPatterns<'a>,
    regex: Option<Dfa<'a>>,
    tenants: TenantSets<'a>,
}

impl<'a> OriginMatcher<'a> {
    /// Assembles a matcher from the compiler's tables.
    pub const fn new(
        exact: OriginSet<'a>,
        patterns: OriginPatterns<'a>,
        regex: Option<Dfa<'a>>,
        tenants: TenantSets<'a>,
    ) -> Self {
        OriginMatcher { exact, patterns, regex, tenants }
    }

    /// The same matcher, with its tenant sets looked up in `lookup`.
    pub fn with_tenant_lookup<'b>(self, lookup: &'b dyn crate::TenantLookup) -> OriginMatcher<'b>
    where
        'a: 'b,
    {
        let OriginMatcher { exact, patterns, regex, tenants } = self;
        OriginMatcher { exact, patterns, regex, tenants: tenants.with_lookup(lookup) }
    }

    /// `true` if `origin` (the raw `Origin` header value) is allowed. Values longer than
    /// [`MAX_ORIGIN_LEN`] are refused unread.
    #[inline]
    pub fn allows(&self, origin: &[u8]) -> bool {
        origin.len() <= MAX_ORIGIN_LEN && self.allows_capped(origin)
    }

    /// [`OriginMatcher::allows`] for an origin already known to be at most [`MAX_ORIGIN_LEN`]
    /// bytes long (`Policy::evaluate` checks that once, where it reads the header).
    #[inline]
    pub(crate) fn allows_capped(&self, origin: &[u8]) -> bool {
        if self.exact.contains(origin) {
            return true;
        }
        self.patterns.matches_capped(origin)
            || self.regex.is_some_and(|dfa| dfa.is_match(origin))
            || self.tenants.contains(origin)
    }

    /// The exact origins.
    pub fn exact(&self) -> &OriginSet<'a> {
        &self.exact
    }

    /// The patterns.
    pub fn patterns(&self) -> OriginPatterns<'a> {
        self.patterns
    }

    /// The tenant sets.
    pub fn tenants(&self) -> &TenantSets<'a> {
        &self.tenants
    }

    /// The DFA of the regex entries, if any.
    pub fn regex(&self) -> Option<&Dfa<'a>> {
        self.regex.as_ref()
    }
}
