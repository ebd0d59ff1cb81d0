//! Cross-origin write protection from Fetch Metadata: whether an unsafe request may reach the
//! handler, decided before it runs.
//!
//! CORS decides who may *read* a response; it never stops a cross-site form POST or a
//! `no-cors` `fetch` from *arriving*, with the user's cookies. This is the token-free defence of
//! Go 1.25's `CrossOriginProtection` (the algorithm of golang/go#73626, also in tower-http's
//! `csrf` module), for one request:
//!
//! 1. `GET`, `HEAD` and `OPTIONS` pass: they must not change state.
//! 2. An `Origin` the policy trusts passes.
//! 3. `Sec-Fetch-Site: same-origin` or `none` (the user's own navigation) passes; `cross-site`,
//!    `same-site` and anything else is refused. Browsers forbid scripts to set this header.
//! 4. With neither `Sec-Fetch-Site` nor `Origin`, the request is not from a browser, and passes.
//! 5. Otherwise (an old browser, or a plain-http deployment where browsers do not send
//!    `Sec-Fetch-Site`), it passes only if the `Origin`'s host and port are the request's own.
//!
//! Unlike the anchors, step 2 uses the policy's checked `allow_origins`, and repeated headers
//! are refused rather than read by their first line. The decision allocates nothing.

use crate::origin::split_host_port;
use crate::{OriginMatcher, OriginParts, StrList};

/// A policy's `protect_writes`: which origins may write cross-origin, besides the request's own.
#[derive(Clone, Copy, Debug)]
pub struct WriteProtection<'a> {
    /// The policy's `allow_origins` are trusted to write too (not for `*`, which trusts every
    /// origin to read but none to write).
    pub allow_origins_write: bool,
    /// `write_origins`: origins trusted to write only.
    pub write_origins: OriginMatcher<'a>,
    /// `write_exempt_paths`: exact paths, or prefixes written with a trailing `/*`, whose
    /// requests are not checked (webhooks, SSO callbacks).
    pub exempt_paths: StrList<'a>,
    /// `public_host`: the host and port browsers see, for the `Origin`/`Host` comparison
    /// behind a proxy that rewrites `Host`.
    pub public_host: Option<&'a str>,
}

impl WriteProtection<'_> {
    /// `true` if requests to `path` are exempt from the check.
    pub fn exempts(&self, path: &[u8]) -> bool {
        self.exempt_paths.iter().any(|exempt| match exempt.strip_suffix("/*") {
            Some(prefix) => path.starts_with(prefix.as_bytes()) && path.get(prefix.len()) == Some(&b'/'),
            None => path == exempt.as_bytes(),
        })
    }
}

/// One request header as the decision reads it: absent, one line, or several lines (which
/// combine into a value that is no origin, no host and no `Sec-Fetch-Site` token).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderField<'r> {
    /// Not sent.
    Absent,
    /// Sent once, with this value.
    One(&'r [u8]),
    /// Sent on several lines.
    Several,
}

impl<'r> HeaderField<'r> {
    /// The field of a header sent on `lines` (each line's value): absent, one, or several.
    pub fn from_lines(lines: impl IntoIterator<Item = &'r [u8]>) -> Self {
        lines.into_iter().fold(HeaderField::Absent, HeaderField::and)
    }

    /// The field after one more line with `value`.
    pub fn and(self, value: &'r [u8]) -> Self {
        match self {
            HeaderField::Absent => HeaderField::One(value),
            _ => HeaderField::Several,
        }
    }
}

/// What the decision reads of a request.
#[derive(Clone, Copy, Debug)]
pub struct WriteRequest<'r> {
    /// The method, case-sensitive as HTTP methods are.
    pub method: &'r [u8],
    /// `Origin`.
    pub origin: HeaderField<'r>,
    /// `Sec-Fetch-Site`.
    pub sec_fetch_site: HeaderField<'r>,
    /// The request's own authority: the `Host` header (or the HTTP/2 `:authority`).
    pub host: HeaderField<'r>,
}

/// Why a request passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritePass {
    /// A safe method (`GET`, `HEAD`, `OPTIONS`).
    SafeMethod,
    /// An `Origin` in the policy's trusted origins.
    TrustedOrigin,
    /// `Sec-Fetch-Site: same-origin`.
    SameOrigin,
    /// `Sec-Fetch-Site: none`: the user typed the address or used a bookmark.
    UserNavigation,
    /// Neither `Sec-Fetch-Site` nor `Origin`: not a browser, so no ambient authority to abuse.
    NotABrowser,
    /// No `Sec-Fetch-Site`, and the `Origin` names the request's own host and port.
    OriginIsHost,
}

/// Why a request was refused (403, before the handler runs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteRefusal {
    /// `Sec-Fetch-Site: cross-site`.
    CrossSite,
    /// `Sec-Fetch-Site: same-site`: a sibling subdomain, which the policy does not trust.
    SameSite,
    /// A `Sec-Fetch-Site` that is no token the Fetch Standard defines, or several lines of it.
    InvalidFetchSite,
    /// `Origin: null` (a sandboxed frame, a `data:` document, some redirects): never the host.
    NullOrigin,
    /// An `Origin` that is no serialized origin, or several lines of it.
    InvalidOrigin,
    /// The `Origin`'s host and port are not the request's own.
    OriginNotHost,
    /// No single `Host` to compare the `Origin` with.
    NoHost,
}

impl WriteRefusal {
    /// A stable code, for logs and metrics: `cross_site`, `same_site`, `invalid_fetch_site`,
    /// `null_origin`, `invalid_origin`, `origin_not_host` or `no_host`.
    pub const fn code(self) -> &'static str {
        match self {
            WriteRefusal::CrossSite => "cross_site",
            WriteRefusal::SameSite => "same_site",
            WriteRefusal::InvalidFetchSite => "invalid_fetch_site",
            WriteRefusal::NullOrigin => "null_origin",
            WriteRefusal::InvalidOrigin => "invalid_origin",
            WriteRefusal::OriginNotHost => "origin_not_host",
            WriteRefusal::NoHost => "no_host",
        }
    }

    /// A short reason, for people: what `explain` prints and the event's message.
    pub const fn reason(self) -> &'static str {
        match self {
            WriteRefusal::CrossSite => {
                "cross-site request (Sec-Fetch-Site: cross-site) from an untrusted origin"
            }
            WriteRefusal::SameSite => {
                "same-site request (Sec-Fetch-Site: same-site) from an untrusted origin"
            }
            WriteRefusal::InvalidFetchSite => "Sec-Fetch-Site is not one valid token",
            WriteRefusal::NullOrigin => "Origin: null is never the request's own origin",
            WriteRefusal::InvalidOrigin => "Origin is not one serialized origin",
            WriteRefusal::OriginNotHost => "Origin is not the request's host, and not trusted",
            WriteRefusal::NoHost => "no single Host header to compare Origin with",
        }
    }
}

/// Decides whether an unsafe request may reach the handler. `trusted` says whether an `Origin`
/// value is trusted (the policy's `allow_origins`); `public_host`, when set, replaces the `Host`
/// header in step 5, for servers behind a proxy that rewrites `Host`.
///
/// # Errors
///
/// The [`WriteRefusal`] when the request must not reach the handler.
///
/// ```
/// use cors_policy_core::{write_protection::*};
/// let form_post = WriteRequest {
///     method: b"POST",
///     origin: HeaderField::One(b"https://evil.example"),
///     sec_fetch_site: HeaderField::One(b"cross-site"),
///     host: HeaderField::One(b"bank.example"),
/// };
/// let trusted = |origin: &[u8]| origin == b"https://app.bank.example";
/// assert_eq!(decide(&form_post, trusted, None), Err(WriteRefusal::CrossSite));
/// let own = WriteRequest { sec_fetch_site: HeaderField::One(b"same-origin"), ..form_post };
/// assert_eq!(decide(&own, trusted, None), Ok(WritePass::SameOrigin));
/// ```
pub fn decide(
    request: &WriteRequest<'_>,
    trusted: impl FnOnce(&[u8]) -> bool,
    public_host: Option<&[u8]>,
) -> Result<WritePass, WriteRefusal> {
    if matches!(request.method, b"GET" | b"HEAD" | b"OPTIONS") {
        return Ok(WritePass::SafeMethod);
    }
    if let HeaderField::One(origin) = request.origin {
        if trusted(origin) {
            return Ok(WritePass::TrustedOrigin);
        }
    }
    match request.sec_fetch_site {
        HeaderField::One(b"same-origin") => return Ok(WritePass::SameOrigin),
        HeaderField::One(b"none") => return Ok(WritePass::UserNavigation),
        HeaderField::One(b"cross-site") => return Err(WriteRefusal::CrossSite),
        HeaderField::One(b"same-site") => return Err(WriteRefusal::SameSite),
        HeaderField::One(_) | HeaderField::Several => return Err(WriteRefusal::InvalidFetchSite),
        HeaderField::Absent => {}
    }
    let origin = match request.origin {
        HeaderField::Absent => return Ok(WritePass::NotABrowser),
        HeaderField::Several => return Err(WriteRefusal::InvalidOrigin),
        HeaderField::One(b"null") => return Err(WriteRefusal::NullOrigin),
        HeaderField::One(origin) => origin,
    };
    // The one split that the origin patterns use: an `Origin` as browsers serialize it.
    let origin = OriginParts::parse(origin).ok_or(WriteRefusal::InvalidOrigin)?;
    let host = match (public_host, request.host) {
        (Some(host), _) | (None, HeaderField::One(host)) => host,
        (None, _) => return Err(WriteRefusal::NoHost),
    };
    if same_authority(&origin, host) {
        Ok(WritePass::OriginIsHost)
    } else {
        Err(WriteRefusal::OriginNotHost)
    }
}

/// The origin names the request's own host and port, a missing port being the scheme's default
/// (the `Host` header may write `:443`; browsers never put it in `Origin`). `host` is the `Host`
/// header (or the configured public host), split as an origin's authority is; its name compares
/// without regard to ASCII case, since the client writes it.
fn same_authority(origin: &OriginParts<'_>, host: &[u8]) -> bool {
    let default = match origin.scheme {
        b"https" | b"wss" => Some(443),
        b"http" | b"ws" => Some(80),
        _ => None,
    };
    split_host_port(host).is_some_and(|(name, port)| {
        name.eq_ignore_ascii_case(origin.host) && port.or(default) == origin.port.or(default)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MAX_ORIGIN_LEN;
    extern crate std;

    const NOBODY: fn(&[u8]) -> bool = |_| false;

    fn request<'r>(
        method: &'r [u8],
        origin: HeaderField<'r>,
        site: HeaderField<'r>,
        host: HeaderField<'r>,
    ) -> WriteRequest<'r> {
        WriteRequest { method, origin, sec_fetch_site: site, host }
    }

    use HeaderField::{Absent, One, Several};

    #[test]
    fn safe_methods_pass_whatever_they_carry() {
        for method in [&b"GET"[..], b"HEAD", b"OPTIONS"] {
            let r = request(method, One(b"https://evil.example"), One(b"cross-site"), One(b"a.example"));
            assert_eq!(decide(&r, NOBODY, None), Ok(WritePass::SafeMethod));
        }
        // Methods are case-sensitive: `get` is no safe method.
        let r = request(b"get", One(b"https://evil.example"), One(b"cross-site"), One(b"a.example"));
        assert_eq!(decide(&r, NOBODY, None), Err(WriteRefusal::CrossSite));
    }

    #[test]
    fn fetch_metadata_decides_for_browsers() {
        let site = |v: HeaderField<'static>| {
            decide(&request(b"POST", One(b"https://x.example"), v, One(b"a.example")), NOBODY, None)
        };
        assert_eq!(site(One(b"same-origin")), Ok(WritePass::SameOrigin));
        assert_eq!(site(One(b"none")), Ok(WritePass::UserNavigation));
        assert_eq!(site(One(b"cross-site")), Err(WriteRefusal::CrossSite));
        assert_eq!(site(One(b"same-site")), Err(WriteRefusal::SameSite));
        for malformed in [&b"Same-Origin"[..], b"same-origin ", b"", b"cross-site, same-origin"] {
            assert_eq!(site(One(malformed)), Err(WriteRefusal::InvalidFetchSite), "{malformed:?}");
        }
        assert_eq!(site(Several), Err(WriteRefusal::InvalidFetchSite));
    }

    #[test]
    fn a_trusted_origin_passes_even_cross_site() {
        let trusted = |o: &[u8]| o == b"https://app.example";
        let r = request(b"PUT", One(b"https://app.example"), One(b"cross-site"), One(b"api.example"));
        assert_eq!(decide(&r, trusted, None), Ok(WritePass::TrustedOrigin));
        let r = request(b"PUT", One(b"https://app.example.evil"), One(b"cross-site"), One(b"api.example"));
        assert_eq!(decide(&r, trusted, None), Err(WriteRefusal::CrossSite));
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_be_the_host() {
        let old = |origin: HeaderField<'static>, host: HeaderField<'static>| {
            decide(&request(b"POST", origin, Absent, host), NOBODY, None)
        };
        assert_eq!(old(Absent, One(b"a.example")), Ok(WritePass::NotABrowser));
        assert_eq!(old(Absent, Absent), Ok(WritePass::NotABrowser));
        assert_eq!(old(One(b"https://a.example"), One(b"a.example")), Ok(WritePass::OriginIsHost));
        assert_eq!(old(One(b"https://a.example"), One(b"A.Example")), Ok(WritePass::OriginIsHost));
        assert_eq!(old(One(b"https://a.example"), One(b"a.example:443")), Ok(WritePass::OriginIsHost));
        assert_eq!(old(One(b"http://a.example:8080"), One(b"a.example:8080")), Ok(WritePass::OriginIsHost));
        assert_eq!(old(One(b"http://a.example:8080"), One(b"a.example")), Err(WriteRefusal::OriginNotHost));
        assert_eq!(old(One(b"https://a.example"), One(b"a.example:80")), Err(WriteRefusal::OriginNotHost));
        assert_eq!(old(One(b"http://[::1]:3000"), One(b"[::1]:3000")), Ok(WritePass::OriginIsHost));
        assert_eq!(old(One(b"http://[::1]:3000"), One(b"[::1]:3001")), Err(WriteRefusal::OriginNotHost));
        assert_eq!(old(One(b"http://[::1]"), One(b"[::1]:80")), Ok(WritePass::OriginIsHost));
        assert_eq!(old(One(b"https://evil.example"), One(b"a.example")), Err(WriteRefusal::OriginNotHost));
        assert_eq!(old(One(b"https://a.example.evil"), One(b"a.example")), Err(WriteRefusal::OriginNotHost));
        assert_eq!(old(One(b"null"), One(b"a.example")), Err(WriteRefusal::NullOrigin));
        assert_eq!(old(Several, One(b"a.example")), Err(WriteRefusal::InvalidOrigin));
        assert_eq!(old(One(b"https://a.example/path"), One(b"a.example")), Err(WriteRefusal::InvalidOrigin));
        assert_eq!(old(One(b"a.example"), One(b"a.example")), Err(WriteRefusal::InvalidOrigin));
        for malformed in [
            &b"https://a.example:x"[..],
            b"https://a.example:",
            b" https://a.example",
            b"https://[::1",
            b"https://a.example:443:443",
            b"https://[::1]:",
            b"https://a.example:99999",
            b"1https://a.example",
            // Not as browsers serialize an origin, so no pattern matches it either.
            b"https://A.example",
            b"HTTPS://a.example",
            b"https://a.example:0443",
        ] {
            assert_eq!(
                old(One(malformed), One(malformed.split(|&b| b == b'/').nth(2).unwrap_or(b""))),
                Err(WriteRefusal::InvalidOrigin),
                "{malformed:?}"
            );
        }
        // The `Host` header is split as an origin's authority is: a port it cannot carry is no
        // match, and a host one byte longer than an `Origin` may be is not read.
        assert_eq!(old(One(b"https://a.example"), One(b"a.example:")), Err(WriteRefusal::OriginNotHost));
        assert_eq!(old(One(b"https://a.example"), One(b"a.example:0443")), Err(WriteRefusal::OriginNotHost));
        let long = [&b"https://"[..], &[b'a'; MAX_ORIGIN_LEN - 7]].concat();
        let own =
            |origin: &[u8]| decide(&request(b"POST", One(origin), Absent, One(&origin[8..])), NOBODY, None);
        assert_eq!(own(&long), Err(WriteRefusal::InvalidOrigin));
        assert_eq!(own(&long[..MAX_ORIGIN_LEN]), Ok(WritePass::OriginIsHost));
        assert_eq!(old(One(b"https://a.example"), Absent), Err(WriteRefusal::NoHost));
        assert_eq!(old(One(b"https://a.example"), Several), Err(WriteRefusal::NoHost));
    }

    #[test]
    fn a_public_host_replaces_a_rewritten_host() {
        // Behind a proxy that sends `Host: backend:8080`, the public host is what browsers see.
        let r = request(b"POST", One(b"https://shop.example"), Absent, One(b"backend:8080"));
        assert_eq!(decide(&r, NOBODY, None), Err(WriteRefusal::OriginNotHost));
        assert_eq!(decide(&r, NOBODY, Some(b"shop.example")), Ok(WritePass::OriginIsHost));
    }
}
