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

/// Read access to a request's headers, implemented by each framework integration.
///
/// `values` yields every field line of one header, in order.
pub trait RequestHeaders {
    /// The iterator over one header's field values.
    type Values<'h>: Iterator<Item = &'h [u8]>
    where
        Self: 'h;

    /// Every value of header `name`, in order.
    fn values(&self, name: RequestHeader) -> Self::Values<'_>;
}

/// A plain list of `(name, value)` pairs, with names compared case-insensitively.
impl<N: AsRef<str>, V: AsRef<[u8]>> RequestHeaders for [(N, V)] {
    type Values<'h>
        = PairValues<'h, N, V>
    where
        Self: 'h;

    fn values(&self, name: RequestHeader) -> Self::Values<'_> {
        PairValues { pairs: self.iter(), name: name.as_str() }
    }
}

/// The values of one header in a list of pairs.
#[derive(Debug)]
pub struct PairValues<'h, N, V> {
    pairs: core::slice::Iter<'h, (N, V)>,
    name: &'static str,
}

impl<'h, N: AsRef<str>, V: AsRef<[u8]>> Iterator for PairValues<'h, N, V> {
    type Item = &'h [u8];

    fn next(&mut self) -> Option<&'h [u8]> {
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

/// A response header value: a static string of the policy, or bytes of the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a, 'r> {
    /// Rendered by the compiler.
    Static(&'a str),
    /// Echoed from the request; `Echo` says which header, so an integration holding typed
    /// header values (such as `http::HeaderValue`) can reuse them instead of copying bytes.
    Echo(Echo, &'r [u8]),
}

impl<'r> Value<'_, 'r> {
    /// The value's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Value::Static(s) => s.as_bytes(),
            Value::Echo(_, bytes) => bytes,
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
/// line per request line.
pub const MAX_RESPONSE_HEADERS: usize = 6 + MAX_REQUEST_HEADER_LINES;

/// What to do with a request: its kind, whether it is allowed, the status of a preflight
/// answer, and the headers to add.
#[derive(Clone, Copy, Debug)]
pub struct Decision<'a, 'r> {
    kind: RequestKind,
    refusal: Option<Refusal<'r>>,
    status: Option<u16>,
    headers: [(ResponseHeader, Value<'a, 'r>); MAX_RESPONSE_HEADERS],
    len: usize,
}

impl<'a, 'r> Decision<'a, 'r> {
    fn new(kind: RequestKind) -> Self {
        Decision {
            kind,
            refusal: None,
            status: None,
            headers: [(ResponseHeader::Vary, Value::Static("")); MAX_RESPONSE_HEADERS],
            len: 0,
        }
    }

    fn push(&mut self, name: ResponseHeader, value: Value<'a, 'r>) {
        if let Some(slot) = self.headers.get_mut(self.len) {
            *slot = (name, value);
            self.len += 1;
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

    /// The headers to add, in emission order. For a preflight they make up the whole answer;
    /// otherwise they are added to the application's response (`Vary` appended to its own).
    pub fn headers(&self) -> &[(ResponseHeader, Value<'a, 'r>)] {
        &self.headers[..self.len]
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
    /// use cors_policy_core::{AllowHeaders, AllowMethods, AllowOrigins, OriginMatcher, OriginSet,
    ///     Policy, PolicyParts, RequestKind, ResponseHeader, StrList};
    ///
    /// // What `cors_policy! { allow_origins: ["https://app.example.com"], allow_methods: [PUT] }`
    /// // compiles to.
    /// static API: Policy<'static> = Policy::from_parts(PolicyParts {
    ///     allow_origins: AllowOrigins::Listed(OriginMatcher::new(
    ///         OriginSet::new(StrList::new("https://app.example.com", &[23]), 0, &[], &[]),
    ///         &[],
    ///         None,
    ///     )),
    ///     allow_methods: AllowMethods::List(StrList::new("PUT", &[3])),
    ///     allow_headers: AllowHeaders::List(StrList::EMPTY),
    ///     allow_credentials: false,
    ///     expose_headers: None,
    ///     max_age: None,
    ///     allow_private_network: false,
    ///     preflight_status: 204,
    ///     name: None,
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
    pub fn evaluate<'r, H>(&self, method: &[u8], headers: &'r H) -> Decision<'a, 'r>
    where
        H: RequestHeaders + ?Sized,
    {
        let mut origins = headers.values(RequestHeader::Origin);
        let Some(origin) = origins.next() else {
            return self.not_cors();
        };
        let origin =
            if origins.next().is_some() || origin.len() > MAX_ORIGIN_LEN { None } else { Some(origin) };
        let mut request_method = headers.values(RequestHeader::AccessControlRequestMethod);
        match request_method.next() {
            Some(requested) if method == b"OPTIONS" => {
                // Several lines combine into `A, B`, which is not a method token.
                let requested = if request_method.next().is_some() { None } else { Some(requested) };
                self.preflight(origin, requested, headers)
            }
            _ => self.actual(origin),
        }
    }

    fn not_cors<'r>(&self) -> Decision<'a, 'r> {
        let mut decision = Decision::new(RequestKind::NotCors);
        if self.is_origin_independent() {
            decision.push(ResponseHeader::AllowOrigin, Value::Static("*"));
            if let Some(expose) = self.expose_headers {
                decision.push(ResponseHeader::ExposeHeaders, Value::Static(expose));
            }
        } else {
            decision.push(ResponseHeader::Vary, Value::Static("Origin"));
        }
        decision
    }

    fn allows_origin(&self, origin: &[u8]) -> bool {
        match &self.allow_origins {
            AllowOrigins::Any => true,
            AllowOrigins::Listed(matcher) => matcher.allows(origin),
        }
    }

    /// The `Access-Control-Allow-Origin` value for a request's origin (`None` when it was
    /// malformed), or why there is none. An origin-independent policy answers `*` without
    /// looking at the origin at all, so that its answers never depend on it.
    fn allow_origin_value<'r>(&self, origin: Option<&'r [u8]>) -> Result<Value<'a, 'r>, Refusal<'r>> {
        if self.is_origin_independent() {
            return Ok(Value::Static("*"));
        }
        match origin {
            Some(origin) if self.allows_origin(origin) => Ok(Value::Echo(Echo::Origin, origin)),
            Some(origin) => Err(Refusal::OriginNotAllowed(origin)),
            None => Err(Refusal::MalformedOrigin),
        }
    }

    fn actual<'r>(&self, origin: Option<&'r [u8]>) -> Decision<'a, 'r> {
        let mut decision = Decision::new(RequestKind::Actual);
        let allow_origin = match self.allow_origin_value(origin) {
            Ok(value) => value,
            Err(refusal) => {
                // Only an origin-dependent policy refuses, and its answer depends on `Origin`.
                decision.push(ResponseHeader::Vary, Value::Static("Origin"));
                return decision.refuse(refusal);
            }
        };
        decision.push(ResponseHeader::AllowOrigin, allow_origin);
        if self.allow_credentials {
            decision.push(ResponseHeader::AllowCredentials, Value::Static("true"));
        }
        if let Some(expose) = self.expose_headers {
            decision.push(ResponseHeader::ExposeHeaders, Value::Static(expose));
        }
        if !self.is_origin_independent() {
            decision.push(ResponseHeader::Vary, Value::Static("Origin"));
        }
        decision
    }

    /// `requested` is `None` when `Access-Control-Request-Method` came on several lines.
    fn preflight<'r, H>(
        &self,
        origin: Option<&'r [u8]>,
        requested: Option<&'r [u8]>,
        headers: &'r H,
    ) -> Decision<'a, 'r>
    where
        H: RequestHeaders + ?Sized,
    {
        let mut decision = Decision::new(RequestKind::Preflight);
        decision.status = Some(403);
        let allow_origin = match self.allow_origin_value(origin) {
            Ok(value) => value,
            Err(refusal) => return decision.refuse(refusal),
        };
        let Some(requested) = requested else {
            return decision.refuse(Refusal::MalformedMethod);
        };
        let allow_methods = match self.allow_methods.check(requested) {
            MethodCheck::Safelisted => false,
            MethodCheck::Allowed => true,
            MethodCheck::Refused => return decision.refuse(Refusal::MethodNotAllowed(requested)),
            MethodCheck::Invalid => return decision.refuse(Refusal::MalformedMethod),
        };

        let mut lines = [&[][..]; MAX_REQUEST_HEADER_LINES];
        let mut line_count = 0;
        let mut budget = Budget::default();
        for line in headers.values(RequestHeader::AccessControlRequestHeaders) {
            let Some(slot) = lines.get_mut(line_count) else {
                return decision.refuse(Refusal::RequestHeadersTooLarge);
            };
            if let Err(error) = self.allow_headers.check_line(line, &mut budget) {
                return decision.refuse(match error {
                    HeadersError::NotAllowed(name) => Refusal::HeaderNotAllowed(name),
                    HeadersError::AuthorizationNotListed => Refusal::AuthorizationNotListed,
                    HeadersError::Malformed => Refusal::MalformedRequestHeaders,
                    HeadersError::TooLarge => Refusal::RequestHeadersTooLarge,
                });
            }
            *slot = line;
            line_count += 1;
        }

        // The combined value must be exactly `true`: two lines are `true, true`.
        let mut private_network_lines = headers.values(RequestHeader::AccessControlRequestPrivateNetwork);
        let private_network = private_network_lines.next().is_some_and(|value| value == b"true")
            && private_network_lines.next().is_none();
        if private_network && !self.allow_private_network {
            return decision.refuse(Refusal::PrivateNetworkNotAllowed);
        }

        decision.status = Some(self.preflight_status);
        decision.push(ResponseHeader::AllowOrigin, allow_origin);
        if self.allow_credentials {
            decision.push(ResponseHeader::AllowCredentials, Value::Static("true"));
        }
        if allow_methods {
            decision.push(ResponseHeader::AllowMethods, Value::Echo(Echo::RequestMethod, requested));
        }
        for (index, line) in lines[..line_count].iter().enumerate() {
            if trim_is_empty(line) {
                continue;
            }
            decision.push(ResponseHeader::AllowHeaders, Value::Echo(Echo::RequestHeaders(index as u8), line));
        }
        if let Some(max_age) = self.max_age {
            decision.push(ResponseHeader::MaxAge, Value::Static(max_age));
        }
        if private_network {
            decision.push(ResponseHeader::AllowPrivateNetwork, Value::Static("true"));
        }
        decision
    }
}

/// `true` for a line of only commas and whitespace, which names nothing to echo.
fn trim_is_empty(line: &[u8]) -> bool {
    line.iter().all(|&b| b == b',' || b == b' ' || b == b'\t')
}
