//! Evaluating a request against a policy: the one decision path of cors-policy.
//!
//! The rules are those of the Fetch Standard's CORS protocol, seen from the server:
//!
//! * A request without `Origin` is not a CORS request. It still gets headers: `*` policies send
//!   `Access-Control-Allow-Origin: *` on every response, and every other policy sends
//!   `Vary: Origin`, because a cache must not hand this response to a CORS request.
//! * `OPTIONS` with both `Origin` and `Access-Control-Request-Method` is a preflight. It is
//!   answered here and never reaches the application: 204 (or the policy's
//!   `preflight_status`) with the CORS headers when allowed, 403 with none when refused.
//! * Any other request with `Origin` is an actual request. The application always runs;
//!   CORS headers are added only for allowed origins.
//!
//! Several lines of one header mean what RFC 9110 §5.3 says they mean: their values joined
//! with commas. Each header the decision reads follows from that:
//!
//! * `Origin`: two lines combine into `a, b`, which is no serialized origin (and no browser
//!   sends two), so the request has a malformed origin, as has a value longer than
//!   [`MAX_ORIGIN_LEN`](crate::MAX_ORIGIN_LEN).
//! * `Access-Control-Request-Method`: two lines combine into `PUT, DELETE`, which is not a
//!   method token, so the preflight is refused ([`Refusal::MalformedMethod`]), never decided on
//!   the first line alone.
//! * `Access-Control-Request-Headers`: lines combine into one comma-separated list, which is what
//!   the header is, so every line is read (within the documented bounds) and echoed.
//! * `Access-Control-Request-Private-Network`: the combined value must be exactly `true`;
//!   `true` on two lines is `true, true`, so private network access counts as not requested.
//!
//! Caches (Fetch §cors-protocol-and-http-caches) decide the rest:
//!
//! * A `*` policy without credentials answers every request the same way whatever its
//!   `Origin` says: its presence makes a request a CORS request, its value is never read. A
//!   duplicated, overlong or garbled `Origin` still gets `Access-Control-Allow-Origin: *`, so a
//!   shared cache that keys on the URL alone never stores (and serves to everyone) an answer
//!   without it. Refusing such an origin would protect nothing: `*` lets every origin read.
//! * Every other policy appends `Vary: Origin` to every non-preflight response, including
//!   refused ones and those with a malformed `Origin`, because each of them depends on it.
//!
//! Nothing here allocates: the decision borrows the policy's static values and the request's
//! own bytes (an allowed origin is echoed from the request).

use crate::allow_headers::{Budget, HeadersError, MAX_REQUEST_HEADER_LINES};
use crate::allow_methods::MethodCheck;
use crate::origin::MAX_ORIGIN_LEN;
use crate::{AllowOrigins, Policy};
use core::fmt;

/// The request headers the decision reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestHeader {
    /// `Origin`.
    Origin,
    /// `Access-Control-Request-Method`.
    AccessControlRequestMethod,
    /// `Access-Control-Request-Headers`.
    AccessControlRequestHeaders,
    /// `Access-Control-Request-Private-Network`.
    AccessControlRequestPrivateNetwork,
}

impl RequestHeader {
    /// The lowercase header name.
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestHeader::Origin => "origin",
            RequestHeader::AccessControlRequestMethod => "access-control-request-method",
            RequestHeader::AccessControlRequestHeaders => "access-control-request-headers",
            RequestHeader::AccessControlRequestPrivateNetwork => "access-control-request-private-network",
        }
    }
}

/// Every field line of one request header, found by one lookup. The decision reads the lines
/// of `Access-Control-Request-Headers` twice (to check them, then to echo them), so
/// [`HeaderLines::iter`] may be called more than once and must start over each time.
pub trait HeaderLines<'r> {
    /// One field value as the framework holds it (`http::HeaderValue`, `[u8]`, ...): the
    /// decision hands these through to [`Value::Echo`], so an integration echoes the request's
    /// own values instead of copying or looking them up again.
    type Value: AsRef<[u8]> + ?Sized + 'r;
    /// The lines, in order.
    type Iter: Iterator<Item = &'r Self::Value>;

    /// The lines, in order, from the first.
    fn iter(&self) -> Self::Iter;
}

/// Read access to a request's headers, implemented by each framework integration: a cheap,
/// `Copy` handle (a reference) to the request's header map.
pub trait RequestHeaders<'r>: Copy {
    /// The lines of one header.
    type Lines: HeaderLines<'r>;

    /// Every line of header `name`, in order.
    fn lines(self, name: RequestHeader) -> Self::Lines;

    /// `true` if `Access-Control-Request-Private-Network` is exactly one line `true`. Provided
    /// through [`RequestHeaders::lines`]; an integration may answer it more cheaply (the `http`
    /// one does, since `http` hashes this custom name byte by byte).
    fn requests_private_network(self) -> bool {
        let mut lines = self.lines(RequestHeader::AccessControlRequestPrivateNetwork).iter();
        lines.next().is_some_and(|value| value.as_ref() == b"true") && lines.next().is_none()
    }
}

/// The type of one header value of a [`RequestHeaders`].
pub type RequestValue<'r, H> = <<H as RequestHeaders<'r>>::Lines as HeaderLines<'r>>::Value;

/// A plain list of `(name, value)` pairs, with names compared case-insensitively.
impl<'r, N: AsRef<str>, V: AsRef<[u8]>> RequestHeaders<'r> for &'r [(N, V)] {
    type Lines = PairLines<'r, N, V>;

    fn lines(self, name: RequestHeader) -> PairLines<'r, N, V> {
        PairLines { pairs: self, name: name.as_str() }
    }
}

/// The lines of one header in a list of pairs.
#[derive(Debug)]
pub struct PairLines<'r, N, V> {
    pairs: &'r [(N, V)],
    name: &'static str,
}

impl<N, V> Clone for PairLines<'_, N, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<N, V> Copy for PairLines<'_, N, V> {}

impl<'r, N: AsRef<str>, V: AsRef<[u8]>> HeaderLines<'r> for PairLines<'r, N, V> {
    type Value = [u8];
    type Iter = PairValues<'r, N, V>;

    fn iter(&self) -> PairValues<'r, N, V> {
        PairValues { pairs: self.pairs.iter(), name: self.name }
    }
}

/// The values of one header in a list of pairs.
#[derive(Debug)]
pub struct PairValues<'r, N, V> {
    pairs: core::slice::Iter<'r, (N, V)>,
    name: &'static str,
}

impl<'r, N: AsRef<str>, V: AsRef<[u8]>> Iterator for PairValues<'r, N, V> {
    type Item = &'r [u8];

    fn next(&mut self) -> Option<&'r [u8]> {
        let name = self.name;
        self.pairs.find(|(n, _)| n.as_ref().eq_ignore_ascii_case(name)).map(|(_, v)| v.as_ref())
    }
}

/// The response headers the decision can add.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseHeader {
    /// `Access-Control-Allow-Origin`.
    AllowOrigin,
    /// `Access-Control-Allow-Credentials`.
    AllowCredentials,
    /// `Access-Control-Allow-Methods`.
    AllowMethods,
    /// `Access-Control-Allow-Headers`.
    AllowHeaders,
    /// `Access-Control-Max-Age`.
    MaxAge,
    /// `Access-Control-Allow-Private-Network`.
    AllowPrivateNetwork,
    /// `Access-Control-Expose-Headers`.
    ExposeHeaders,
    /// `Vary`, always with the value `Origin`, to be appended to the response's own.
    Vary,
}

impl ResponseHeader {
    /// The lowercase header name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ResponseHeader::AllowOrigin => "access-control-allow-origin",
            ResponseHeader::AllowCredentials => "access-control-allow-credentials",
            ResponseHeader::AllowMethods => "access-control-allow-methods",
            ResponseHeader::AllowHeaders => "access-control-allow-headers",
            ResponseHeader::MaxAge => "access-control-max-age",
            ResponseHeader::AllowPrivateNetwork => "access-control-allow-private-network",
            ResponseHeader::ExposeHeaders => "access-control-expose-headers",
            ResponseHeader::Vary => "vary",
        }
    }
}

/// Which request value a header echoes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Echo {
    /// The `Origin` value.
    Origin,
    /// The `Access-Control-Request-Method` value (its only line: several are refused).
    RequestMethod,
    /// Line `n` (0-based) of `Access-Control-Request-Headers`.
    RequestHeaders(u8),
}

/// A response header value: a static string of the policy, or one of the request's own values
/// (`V`: what the [`RequestHeaders`] implementation holds, such as `http::HeaderValue`).
pub enum Value<'a, 'r, V: ?Sized = [u8]> {
    /// Rendered by the compiler.
    Static(&'a str),
    /// Echoed from the request: `Echo` says which header, and the value is the request's own,
    /// so an integration holding typed header values (such as `http::HeaderValue`) reuses it.
    Echo(Echo, &'r V),
}

impl<V: ?Sized> Clone for Value<'_, '_, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V: ?Sized> Copy for Value<'_, '_, V> {}

impl<'r, V: ?Sized> Value<'_, 'r, V> {
    /// The request's own value, for an echoed one.
    pub fn echoed(&self) -> Option<&'r V> {
        match *self {
            Value::Static(_) => None,
            Value::Echo(_, value) => Some(value),
        }
    }
}

impl<V: AsRef<[u8]> + ?Sized> fmt::Debug for Value<'_, '_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Static(text) => f.debug_tuple("Static").field(text).finish(),
            Value::Echo(echo, value) => f
                .debug_tuple("Echo")
                .field(echo)
                .field(&format_args!("{}", value.as_ref().escape_ascii()))
                .finish(),
        }
    }
}

impl<V: AsRef<[u8]> + ?Sized> PartialEq for Value<'_, '_, V> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Static(a), Value::Static(b)) => a == b,
            (Value::Echo(x, a), Value::Echo(y, b)) => x == y && a.as_ref() == b.as_ref(),
            _ => false,
        }
    }
}

impl<V: AsRef<[u8]> + ?Sized> Eq for Value<'_, '_, V> {}

impl<'a: 'r, 'r, V: AsRef<[u8]> + ?Sized> Value<'a, 'r, V> {
    /// The value's bytes, for as long as both the policy and the request live.
    pub fn as_bytes(&self) -> &'r [u8] {
        match *self {
            Value::Static(s) => s.as_bytes(),
            Value::Echo(_, value) => value.as_ref(),
        }
    }
}

/// How the request was classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// No `Origin` header.
    NotCors,
    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    Preflight,
    /// Any other request with `Origin`.
    Actual,
}

impl RequestKind {
    /// `not_cors`, `preflight` or `actual`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestKind::NotCors => "not_cors",
            RequestKind::Preflight => "preflight",
            RequestKind::Actual => "actual",
        }
    }
}

/// Why a request gets no CORS permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal<'r> {
    /// The origin is not in `allow_origins`.
    OriginNotAllowed(&'r [u8]),
    /// Several `Origin` lines, or one too long to be an origin. Never the refusal of a `*`
    /// policy, which answers `*` without reading the origin.
    MalformedOrigin,
    /// The requested method is not in `allow_methods`.
    MethodNotAllowed(&'r [u8]),
    /// `Access-Control-Request-Method` is not one method token: not a token, longer than
    /// [`MAX_METHOD_LEN`](crate::MAX_METHOD_LEN), or sent on several lines (which combine into a
    /// list, RFC 9110 §5.3).
    MalformedMethod,
    /// A requested header is not in `allow_headers`.
    HeaderNotAllowed(&'r [u8]),
    /// `authorization` was requested and `allow_headers` is `*` without it.
    AuthorizationNotListed,
    /// `Access-Control-Request-Headers` is not a list of header names.
    MalformedRequestHeaders,
    /// `Access-Control-Request-Headers` exceeds the documented bounds.
    RequestHeadersTooLarge,
    /// Private network access was requested and the policy does not allow it.
    PrivateNetworkNotAllowed,
}

/// Shows at most this many bytes of a request value in a message.
pub(crate) const SHOWN: usize = 64;

fn shown(bytes: &[u8]) -> impl fmt::Display + '_ {
    bytes[..bytes.len().min(SHOWN)].escape_ascii()
}

impl fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::OriginNotAllowed(o) => write!(f, "origin `{}` is not in allow_origins", shown(o)),
            Refusal::MalformedOrigin => f.write_str("the Origin header is not a single serialized origin"),
            Refusal::MethodNotAllowed(m) => {
                write!(f, "method `{}` is not in allow_methods (methods are case-sensitive)", shown(m))
            }
            Refusal::MalformedMethod => {
                f.write_str("Access-Control-Request-Method is not one method token on one line")
            }
            Refusal::HeaderNotAllowed(h) => {
                write!(f, "request header `{}` is not in allow_headers", shown(h))
            }
            Refusal::AuthorizationNotListed => f.write_str(
                "request header `authorization` is not covered by `*` in allow_headers; it must be listed",
            ),
            Refusal::MalformedRequestHeaders => {
                f.write_str("Access-Control-Request-Headers is not a comma-separated list of header names")
            }
            Refusal::RequestHeadersTooLarge => write!(
                f,
                "Access-Control-Request-Headers exceeds {} lines, {} bytes or {} names",
                MAX_REQUEST_HEADER_LINES,
                crate::allow_headers::MAX_REQUEST_HEADERS_BYTES,
                crate::allow_headers::MAX_REQUEST_HEADER_NAMES
            ),
            Refusal::PrivateNetworkNotAllowed => {
                f.write_str("private network access was requested and allow_private_network is false")
            }
        }
    }
}

/// The most headers one decision adds: six fixed ones plus one `Access-Control-Allow-Headers`
/// line per request line. What [`Decision::headers`] can hold; the decision itself stores one
/// handle for all the lines.
pub const MAX_RESPONSE_HEADERS: usize = 6 + MAX_REQUEST_HEADER_LINES;

/// What to do with a request: its kind, whether it is allowed, the status of a preflight
/// answer, and the headers to add.
///
/// Small and flat: each header it adds is a field (a flag, a static value of the policy, or a
/// reference to the request's own value), and the lines of `Access-Control-Request-Headers`
/// are the one [`HeaderLines`] handle their lookup returned, walked again to echo them. `H` is
/// the [`RequestHeaders`] handle the request was read through.
pub struct Decision<'a, 'r, H: RequestHeaders<'r>> {
    kind: RequestKind,
    status: Option<u16>,
    credentials: bool,
    private_network: bool,
    vary: bool,
    /// Non-empty `Access-Control-Request-Headers` lines to echo.
    header_lines: u8,
    refusal: Option<Refusal<'r>>,
    allow_origin: Option<Value<'a, 'r, RequestValue<'r, H>>>,
    method: Option<&'r RequestValue<'r, H>>,
    request_headers: Option<H::Lines>,
    expose_headers: Option<&'a str>,
    max_age: Option<&'a str>,
}

impl<'r, H: RequestHeaders<'r>> Clone for Decision<'_, 'r, H>
where
    H::Lines: Clone,
{
    fn clone(&self) -> Self {
        Decision { request_headers: self.request_headers.clone(), ..*self }
    }
}

impl<'r, H: RequestHeaders<'r>> Copy for Decision<'_, 'r, H> where H::Lines: Copy {}

impl<'r, H: RequestHeaders<'r>> fmt::Debug for Decision<'_, 'r, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decision")
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("refusal", &self.refusal)
            .field("headers", &self.headers())
            .finish()
    }
}

impl<'a, 'r, H: RequestHeaders<'r>> Decision<'a, 'r, H> {
    fn new(kind: RequestKind) -> Self {
        Decision {
            kind,
            status: None,
            credentials: false,
            private_network: false,
            vary: false,
            header_lines: 0,
            refusal: None,
            allow_origin: None,
            method: None,
            request_headers: None,
            expose_headers: None,
            max_age: None,
        }
    }

    fn refuse(mut self, refusal: Refusal<'r>) -> Self {
        self.refusal = Some(refusal);
        self
    }

    /// How the request was classified.
    pub fn kind(&self) -> RequestKind {
        self.kind
    }

    /// `true` unless the request was refused. A request that is not a CORS request is never
    /// refused.
    pub fn is_allowed(&self) -> bool {
        self.refusal.is_none()
    }

    /// Why the request was refused.
    pub fn refusal(&self) -> Option<Refusal<'r>> {
        self.refusal
    }

    /// For a preflight, the status to answer with (the policy's preflight status, or 403);
    /// `None` for other requests, which go on to the application.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// `true` if the request must be answered without calling the application.
    pub fn is_preflight(&self) -> bool {
        self.kind == RequestKind::Preflight
    }

    /// `Access-Control-Allow-Origin`: `*`, or the request's own `Origin` value.
    pub fn allow_origin(&self) -> Option<Value<'a, 'r, RequestValue<'r, H>>> {
        self.allow_origin
    }

    /// `Access-Control-Allow-Credentials: true` is sent.
    pub fn allow_credentials(&self) -> bool {
        self.credentials
    }

    /// `Access-Control-Allow-Methods`: the request's own `Access-Control-Request-Method`
    /// value (a preflight for a method that is not safelisted).
    pub fn allow_method(&self) -> Option<&'r RequestValue<'r, H>> {
        self.method
    }

    /// The `Access-Control-Allow-Headers` lines: the request's own non-empty
    /// `Access-Control-Request-Headers` lines, with their line numbers.
    pub fn allow_headers(&self) -> impl Iterator<Item = (u8, &'r RequestValue<'r, H>)> {
        let lines = self.request_headers.as_ref().map(HeaderLines::iter);
        lines.into_iter().flatten().enumerate().filter_map(|(index, line)| {
            let index = u8::try_from(index).ok()?;
            (!trim_is_empty(line.as_ref())).then_some((index, line))
        })
    }

    /// The number of `Access-Control-Allow-Headers` lines.
    pub fn allow_headers_count(&self) -> usize {
        usize::from(self.header_lines)
    }

    /// The policy's pre-rendered `Access-Control-Max-Age` (allowed preflights).
    pub fn max_age(&self) -> Option<&'a str> {
        self.max_age
    }

    /// The policy's pre-rendered `Access-Control-Expose-Headers` (allowed actual requests).
    pub fn expose_headers(&self) -> Option<&'a str> {
        self.expose_headers
    }

    /// `Access-Control-Allow-Private-Network: true` is sent.
    pub fn allow_private_network(&self) -> bool {
        self.private_network
    }

    /// `Vary: Origin` is appended to the response's own `Vary`.
    pub fn vary_origin(&self) -> bool {
        self.vary
    }

    /// The number of headers [`Decision::headers`] lists, without listing them.
    pub fn header_count(&self) -> usize {
        usize::from(self.allow_origin.is_some())
            + usize::from(self.credentials)
            + usize::from(self.method.is_some())
            + usize::from(self.header_lines)
            + usize::from(self.max_age.is_some())
            + usize::from(self.expose_headers.is_some())
            + usize::from(self.private_network)
            + usize::from(self.vary)
    }

    /// The headers to add, in emission order. For a preflight they make up the whole answer;
    /// otherwise they are added to the application's response (`Vary` appended to its own).
    ///
    /// The list is built on demand from the decision's fields (for explaining a decision and
    /// for tests); the `http` integration reads the fields directly.
    pub fn headers(&self) -> HeaderList<'a, 'r, RequestValue<'r, H>> {
        let mut list =
            HeaderList { headers: [(ResponseHeader::Vary, Value::Static("")); MAX_RESPONSE_HEADERS], len: 0 };
        if let Some(value) = self.allow_origin {
            list.push(ResponseHeader::AllowOrigin, value);
        }
        if self.credentials {
            list.push(ResponseHeader::AllowCredentials, Value::Static("true"));
        }
        if let Some(method) = self.method {
            list.push(ResponseHeader::AllowMethods, Value::Echo(Echo::RequestMethod, method));
        }
        for (index, line) in self.allow_headers() {
            list.push(ResponseHeader::AllowHeaders, Value::Echo(Echo::RequestHeaders(index), line));
        }
        if let Some(max_age) = self.max_age {
            list.push(ResponseHeader::MaxAge, Value::Static(max_age));
        }
        if let Some(expose) = self.expose_headers {
            list.push(ResponseHeader::ExposeHeaders, Value::Static(expose));
        }
        if self.private_network {
            list.push(ResponseHeader::AllowPrivateNetwork, Value::Static("true"));
        }
        if self.vary {
            list.push(ResponseHeader::Vary, Value::Static("Origin"));
        }
        list
    }
}

/// The headers of a [`Decision`], in emission order: a slice of `(name, value)` pairs
/// (through `Deref`).
pub struct HeaderList<'a, 'r, V: ?Sized> {
    headers: [(ResponseHeader, Value<'a, 'r, V>); MAX_RESPONSE_HEADERS],
    len: usize,
}

impl<'a, 'r, V: ?Sized> HeaderList<'a, 'r, V> {
    fn push(&mut self, name: ResponseHeader, value: Value<'a, 'r, V>) {
        if let Some(slot) = self.headers.get_mut(self.len) {
            *slot = (name, value);
            self.len += 1;
        }
    }
}

impl<'a, 'r, V: ?Sized> core::ops::Deref for HeaderList<'a, 'r, V> {
    type Target = [(ResponseHeader, Value<'a, 'r, V>)];

    fn deref(&self) -> &Self::Target {
        &self.headers[..self.len]
    }
}

impl<V: AsRef<[u8]> + ?Sized> fmt::Debug for HeaderList<'_, '_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> Policy<'a> {
    /// Decides what to do with a request, given its method and headers.
    ///
    /// This is the framework-neutral entry point: the `http` and `tower` integrations of
    /// `cors-policy-runtime` are thin wrappers around it, and integrating another framework
    /// takes a [`RequestHeaders`] implementation and a loop over [`Decision::headers`].
    ///
    /// ```
    /// use cors_policy_core::{AllowHeaders, AllowMethods, AllowOrigins, OriginMatcher, OriginPatterns,
    ///     OriginSet, Policy, PolicyParts, RequestKind, ResponseHeader, StrList, TenantSets};
    ///
    /// // What `cors_policy! { allow_origins: ["https://app.example.com"], allow_methods: [PUT] }`
    /// // compiles to.
    /// static API: Policy<'static> = Policy::from_parts(PolicyParts {
    ///     allow_origins: AllowOrigins::Listed(OriginMatcher::new(
    ///         OriginSet::new(StrList::new("https://app.example.com", &[23]), 0, &[], &[]),
    ///         OriginPatterns::EMPTY,
    ///         None,
    ///         TenantSets::EMPTY,
    ///     )),
    ///     allow_methods: AllowMethods::List(StrList::new("PUT", &[3])),
    ///     allow_headers: AllowHeaders::List(StrList::EMPTY),
    ///     allow_credentials: false,
    ///     expose_headers: None,
    ///     max_age: None,
    ///     allow_private_network: false,
    ///     preflight_status: 204,
    ///     name: None,
    ///     write_protection: None,
    /// });
    ///
    /// let request: &[(&str, &str)] = &[
    ///     ("Origin", "https://app.example.com"),
    ///     ("Access-Control-Request-Method", "PUT"),
    /// ];
    /// let decision = API.evaluate(b"OPTIONS", request);
    /// assert_eq!(decision.kind(), RequestKind::Preflight);
    /// assert_eq!(decision.status(), Some(204));
    /// let headers: Vec<_> = decision.headers().iter()
    ///     .map(|(name, value)| (name.as_str(), value.as_bytes()))
    ///     .collect();
    /// assert_eq!(headers, [
    ///     ("access-control-allow-origin", &b"https://app.example.com"[..]),
    ///     ("access-control-allow-methods", b"PUT"),
    /// ]);
    ///
    /// // `put` is not `PUT`: browsers normalise it before sending, so this is not a browser.
    /// let request: &[(&str, &str)] = &[
    ///     ("Origin", "https://app.example.com"),
    ///     ("Access-Control-Request-Method", "patch"),
    /// ];
    /// let refused = API.evaluate(b"OPTIONS", request);
    /// assert_eq!(refused.status(), Some(403));
    /// assert!(refused.headers().is_empty());
    /// ```
    // Inlined, with the actual request's path: the integration then builds that `Decision`
    // in registers instead of writing it out and reading it back (22 to 33 instructions fewer
    // per request, BENCHMARKS.md). The preflight and the request without `Origin` stay calls,
    // so that what is inlined stays small.
    #[inline]
    pub fn evaluate<'r, H: RequestHeaders<'r>>(&self, method: &[u8], headers: H) -> Decision<'a, 'r, H> {
        let mut origins = headers.lines(RequestHeader::Origin).iter();
        let Some(origin) = origins.next() else {
            return self.not_cors();
        };
        // The one place the length cap is checked: the matchers below read only what passed it.
        let origin = if origins.next().is_some() || origin.as_ref().len() > MAX_ORIGIN_LEN {
            None
        } else {
            Some(origin)
        };
        // Only an `OPTIONS` request can be a preflight: the others never look up
        // `Access-Control-Request-Method`.
        if method != b"OPTIONS" {
            return self.actual(origin);
        }
        let mut request_method = headers.lines(RequestHeader::AccessControlRequestMethod).iter();
        match request_method.next() {
            Some(requested) => {
                // Several lines combine into `A, B`, which is not a method token.
                let requested = if request_method.next().is_some() { None } else { Some(requested) };
                self.preflight(origin, requested, headers)
            }
            None => self.actual(origin),
        }
    }

    #[inline(never)]
    fn not_cors<'r, H: RequestHeaders<'r>>(&self) -> Decision<'a, 'r, H> {
        let mut decision = Decision::new(RequestKind::NotCors);
        if self.is_origin_independent() {
            decision.allow_origin = Some(Value::Static("*"));
            decision.expose_headers = self.parts.expose_headers;
        } else {
            decision.vary = true;
        }
        decision
    }

    /// The `Access-Control-Allow-Origin` value for a request's origin (`None` when it was
    /// malformed, or longer than the cap), or why there is none. An origin-independent policy
    /// answers `*` without looking at the origin at all, so that its answers never depend on it.
    ///
    /// Inlined: returned through memory, its result was copied into the decision with one
    /// 16-byte load of bytes just written one by one, which the store buffer cannot forward
    /// (half the samples of a profile of `evaluate` alone on an actual request).
    #[inline(always)]
    fn allow_origin_value<'r, V: AsRef<[u8]> + ?Sized>(
        &self,
        origin: Option<&'r V>,
    ) -> Result<Value<'a, 'r, V>, Refusal<'r>> {
        if self.is_origin_independent() {
            return Ok(Value::Static("*"));
        }
        let Some(origin) = origin else {
            return Err(Refusal::MalformedOrigin);
        };
        let bytes = origin.as_ref();
        let allowed = match &self.parts.allow_origins {
            AllowOrigins::Any => true,
            AllowOrigins::Listed(matcher) => matcher.allows_capped(bytes),
        };
        if allowed {
            Ok(Value::Echo(Echo::Origin, origin))
        } else {
            Err(Refusal::OriginNotAllowed(bytes))
        }
    }

    #[inline]
    fn actual<'r, H: RequestHeaders<'r>>(
        &self,
        origin: Option<&'r RequestValue<'r, H>>,
    ) -> Decision<'a, 'r, H> {
        let mut decision = Decision::new(RequestKind::Actual);
        // Every answer of a policy that is not origin-independent depends on `Origin`,
        // refusals included.
        decision.vary = !self.is_origin_independent();
        let allow_origin = match self.allow_origin_value(origin) {
            Ok(value) => value,
            Err(refusal) => return decision.refuse(refusal),
        };
        decision.allow_origin = Some(allow_origin);
        decision.credentials = self.parts.allow_credentials;
        decision.expose_headers = self.parts.expose_headers;
        decision
    }

    /// `requested` is `None` when `Access-Control-Request-Method` came on several lines.
    #[inline(never)]
    fn preflight<'r, H: RequestHeaders<'r>>(
        &self,
        origin: Option<&'r RequestValue<'r, H>>,
        requested: Option<&'r RequestValue<'r, H>>,
        headers: H,
    ) -> Decision<'a, 'r, H> {
        let mut decision = Decision::new(RequestKind::Preflight);
        decision.status = Some(403);
        let allow_origin = match self.allow_origin_value(origin) {
            Ok(value) => value,
            Err(refusal) => return decision.refuse(refusal),
        };
        let Some(requested) = requested else {
            return decision.refuse(Refusal::MalformedMethod);
        };
        let requested_bytes = requested.as_ref();
        let allow_methods = match self.parts.allow_methods.check(requested_bytes) {
            MethodCheck::Safelisted => false,
            MethodCheck::Allowed => true,
            MethodCheck::Refused => return decision.refuse(Refusal::MethodNotAllowed(requested_bytes)),
            MethodCheck::Invalid => return decision.refuse(Refusal::MalformedMethod),
        };

        let request_headers = headers.lines(RequestHeader::AccessControlRequestHeaders);
        let mut line_count = 0;
        let mut named_lines = 0u8;
        let mut budget = Budget::default();
        for line in request_headers.iter() {
            line_count += 1;
            if line_count > MAX_REQUEST_HEADER_LINES {
                return decision.refuse(Refusal::RequestHeadersTooLarge);
            }
            match self.parts.allow_headers.check_line(line.as_ref(), &mut budget) {
                Ok(named) => named_lines += u8::from(named),
                Err(error) => {
                    return decision.refuse(match error {
                        HeadersError::NotAllowed(name) => Refusal::HeaderNotAllowed(name),
                        HeadersError::AuthorizationNotListed => Refusal::AuthorizationNotListed,
                        HeadersError::Malformed => Refusal::MalformedRequestHeaders,
                        HeadersError::TooLarge => Refusal::RequestHeadersTooLarge,
                    })
                }
            }
        }

        // The combined value must be exactly `true`: two lines are `true, true`.
        let private_network = headers.requests_private_network();
        if private_network && !self.parts.allow_private_network {
            return decision.refuse(Refusal::PrivateNetworkNotAllowed);
        }

        decision.status = Some(self.parts.preflight_status);
        decision.allow_origin = Some(allow_origin);
        decision.credentials = self.parts.allow_credentials;
        decision.method = allow_methods.then_some(requested);
        if named_lines > 0 {
            decision.header_lines = named_lines;
            decision.request_headers = Some(request_headers);
        }
        decision.max_age = self.parts.max_age;
        decision.private_network = private_network;
        decision
    }
}

/// `true` for a line of only commas and whitespace, which names nothing to echo.
fn trim_is_empty(line: &[u8]) -> bool {
    line.iter().all(|&b| b == b',' || b == b' ' || b == b'\t')
}
