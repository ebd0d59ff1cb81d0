//! The `http` 1.x integration: a policy reading `http::HeaderMap`s and writing `http::Response`s.

use crate::{
    CorsRefusal, Decision, HeaderLines, Policy, RequestHeader, RequestHeaders, ResponseHeader, Value,
};
use http::header::{self, GetAll, HeaderName, ValueIter};
use http::{HeaderMap, HeaderValue, Method, Response, StatusCode};

/// `Access-Control-Request-Private-Network`, which `http` has no constant for.
pub const ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");
/// `Access-Control-Allow-Private-Network`, which `http` has no constant for.
pub const ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

fn request_header_name(name: RequestHeader) -> HeaderName {
    match name {
        RequestHeader::Origin => header::ORIGIN,
        RequestHeader::AccessControlRequestMethod => header::ACCESS_CONTROL_REQUEST_METHOD,
        RequestHeader::AccessControlRequestHeaders => header::ACCESS_CONTROL_REQUEST_HEADERS,
        RequestHeader::AccessControlRequestPrivateNetwork => ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK,
    }
}

/// The `http::HeaderName` of a response header.
pub fn response_header_name(name: ResponseHeader) -> HeaderName {
    match name {
        ResponseHeader::AllowOrigin => header::ACCESS_CONTROL_ALLOW_ORIGIN,
        ResponseHeader::AllowCredentials => header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        ResponseHeader::AllowMethods => header::ACCESS_CONTROL_ALLOW_METHODS,
        ResponseHeader::AllowHeaders => header::ACCESS_CONTROL_ALLOW_HEADERS,
        ResponseHeader::MaxAge => header::ACCESS_CONTROL_MAX_AGE,
        ResponseHeader::AllowPrivateNetwork => ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK,
        ResponseHeader::ExposeHeaders => header::ACCESS_CONTROL_EXPOSE_HEADERS,
        ResponseHeader::Vary => header::VARY,
    }
}

/// A request's `HeaderMap`, as the decision reads it. The decision keeps the lines of
/// `Access-Control-Request-Headers` it found and references to the request's own
/// `HeaderValue`s, which the answer clones.
///
/// [`HttpHeaders::new`] looks each header up (one hash of its name).
/// [`HttpHeaders::read_once`], which [`HttpPolicy::decide`] uses for `OPTIONS` requests, reads
/// the four CORS request headers of a map of up to 24 lines in one pass instead: a preflight
/// reads all four, and comparing a standard name is comparing one byte, where `http` hashes
/// each name (and a custom name such as `access-control-request-private-network` byte by byte,
/// 28 ns).
///
/// ```
/// use cors_policy_runtime::http::HttpHeaders;
/// use cors_policy_runtime::{cors_policy, Policy};
///
/// static API: Policy = cors_policy! { allow_origins: ["https://app.example.com"] };
///
/// let mut headers = http::HeaderMap::new();
/// headers.insert("origin", http::HeaderValue::from_static("https://app.example.com"));
/// let decision = API.evaluate(b"GET", HttpHeaders::new(&headers));
/// // The request's own value, not a copy.
/// assert!(std::ptr::eq(decision.allow_origin().unwrap().echoed().unwrap(), &headers["origin"]));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct HttpHeaders<'r> {
    map: &'r HeaderMap,
    /// The pass of [`HttpHeaders::read_once`], in the order of [`RequestHeader`]; `None` for a
    /// map read by lookups.
    read: Option<[Field<'r>; 4]>,
}

/// What one pass found of one header.
#[derive(Clone, Copy, Debug)]
enum Field<'r> {
    Absent,
    One(&'r HeaderValue),
    /// Several lines, which a lookup then reads in order.
    Many,
}

/// Up to this many header lines, [`HttpHeaders::read_once`] reads the map in one pass.
const READ_ONCE_MAX: usize = 24;

impl<'r> HttpHeaders<'r> {
    /// A map read by one lookup per header.
    pub fn new(map: &'r HeaderMap) -> Self {
        HttpHeaders { map, read: None }
    }

    /// A map of at most 24 lines read in one pass for the four CORS request headers, a longer
    /// one by lookups: what a preflight, which reads all four, should be given.
    ///
    /// The decision is the same either way:
    ///
    /// ```
    /// use cors_policy_runtime::http::HttpHeaders;
    /// use cors_policy_runtime::{cors_policy, Policy};
    ///
    /// static API: Policy = cors_policy! {
    ///     allow_origins: ["https://app.example.com"],
    ///     allow_methods: [PUT],
    /// };
    ///
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("origin", http::HeaderValue::from_static("https://app.example.com"));
    /// headers.insert("access-control-request-method", http::HeaderValue::from_static("PUT"));
    /// let read_once = API.evaluate(b"OPTIONS", HttpHeaders::read_once(&headers));
    /// let looked_up = API.evaluate(b"OPTIONS", HttpHeaders::new(&headers));
    /// assert_eq!(read_once.status(), Some(204));
    /// assert_eq!(format!("{read_once:?}"), format!("{looked_up:?}"));
    /// ```
    pub fn read_once(map: &'r HeaderMap) -> Self {
        if map.len() > READ_ONCE_MAX {
            return HttpHeaders::new(map);
        }
        let mut read = [Field::Absent; 4];
        for (name, value) in map {
            let header = if *name == header::ORIGIN {
                RequestHeader::Origin
            } else if *name == header::ACCESS_CONTROL_REQUEST_METHOD {
                RequestHeader::AccessControlRequestMethod
            } else if *name == header::ACCESS_CONTROL_REQUEST_HEADERS {
                RequestHeader::AccessControlRequestHeaders
            } else if *name == ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK {
                RequestHeader::AccessControlRequestPrivateNetwork
            } else {
                continue;
            };
            let field = &mut read[slot(header)];
            *field = match field {
                Field::Absent => Field::One(value),
                _ => Field::Many,
            };
        }
        HttpHeaders { map, read: Some(read) }
    }
}

/// Where [`HttpHeaders::read_once`] keeps what it found of `header`.
fn slot(header: RequestHeader) -> usize {
    match header {
        RequestHeader::Origin => 0,
        RequestHeader::AccessControlRequestMethod => 1,
        RequestHeader::AccessControlRequestHeaders => 2,
        RequestHeader::AccessControlRequestPrivateNetwork => 3,
    }
}

impl<'r> RequestHeaders<'r> for HttpHeaders<'r> {
    type Lines = HttpLines<'r>;

    fn lines(self, name: RequestHeader) -> HttpLines<'r> {
        HttpLines(match self.read.map(|read| read[slot(name)]) {
            Some(Field::Absent) => Lines::One(None),
            Some(Field::One(value)) => Lines::One(Some(value)),
            None | Some(Field::Many) => Lines::All(self.map.get_all(request_header_name(name))),
        })
    }

    /// `http` hashes a custom name such as this one byte by byte (28 ns, against 6 ns for a
    /// standard name), so a short map is read by the pass of [`HttpHeaders::read_once`]
    /// instead, even when the other headers were looked up.
    fn requests_private_network(self) -> bool {
        match self.read {
            // `true` on two lines is `true, true`: not requested.
            Some([.., Field::One(value)]) => value == "true",
            Some(_) => false,
            None if self.map.len() <= READ_ONCE_MAX => {
                HttpHeaders::read_once(self.map).requests_private_network()
            }
            None => {
                let mut lines = self.map.get_all(ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK).into_iter();
                lines.next().is_some_and(|value| value == "true") && lines.next().is_none()
            }
        }
    }
}

/// The lines of one header of a `HeaderMap`: the one line a pass found, or the `GetAll` of a
/// lookup.
#[derive(Debug)]
pub struct HttpLines<'r>(Lines<'r>);

#[derive(Debug)]
enum Lines<'r> {
    /// At most one line, found by [`HttpHeaders::read_once`].
    One(Option<&'r HeaderValue>),
    /// Every line, found by a lookup.
    All(GetAll<'r, HeaderValue>),
}

impl<'r> HeaderLines<'r> for HttpLines<'r> {
    type Value = HeaderValue;
    type Iter = HttpLinesIter<'r>;

    fn iter(&self) -> HttpLinesIter<'r> {
        HttpLinesIter(match &self.0 {
            Lines::One(value) => LinesIter::One(*value),
            Lines::All(lines) => LinesIter::All(lines.iter()),
        })
    }
}

/// The iterator of [`HttpLines`].
#[derive(Debug)]
pub struct HttpLinesIter<'r>(LinesIter<'r>);

#[derive(Debug)]
enum LinesIter<'r> {
    One(Option<&'r HeaderValue>),
    All(ValueIter<'r, HeaderValue>),
}

impl<'r> Iterator for HttpLinesIter<'r> {
    type Item = &'r HeaderValue;

    #[inline]
    fn next(&mut self) -> Option<&'r HeaderValue> {
        match &mut self.0 {
            LinesIter::One(value) => value.take(),
            LinesIter::All(lines) => lines.next(),
        }
    }
}

/// A decision about an `http` request: what [`HttpPolicy::decide`] returns.
pub type HttpDecision<'p, 'r> = Decision<'p, 'r, HttpHeaders<'r>>;

/// `*`, the one text an `Access-Control-Allow-Origin` of the policy's own can have.
const ANY: HeaderValue = HeaderValue::from_static("*");

#[inline]
fn allow_origin_value(value: Value<'_, '_, HeaderValue>) -> Option<HeaderValue> {
    match value {
        Value::Static("*") => Some(ANY),
        Value::Static(_) => None,
        Value::Echo(_, value) => Some(value.clone()),
    }
}

/// The names `http`'s first insert into an empty `HeaderMap` makes room for.
const FIRST_ALLOCATION: usize = 6;

/// `true`, the one value of `Access-Control-Allow-Credentials` and
/// `Access-Control-Allow-Private-Network` (the decision has a flag for each).
const TRUE: HeaderValue = HeaderValue::from_static("true");
/// `Origin`, the value appended to `Vary`.
const ORIGIN: HeaderValue = HeaderValue::from_static("Origin");

/// The policy's own header values (`Access-Control-Expose-Headers`, `Access-Control-Max-Age`)
/// as `HeaderValue`s, rendered once per policy, so that answering a request clones a
/// `HeaderValue` instead of checking its text again (checking `x-request-id` twice, as
/// `from_static` does at run time, was 45% of building an actual response's headers).
#[derive(Clone, Debug, Default)]
pub(crate) struct RenderedValues {
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
}

impl RenderedValues {
    /// Wraps the static text of generated code, without copying it. Text that is no header
    /// value (which the compiler never emits) is left out rather than panicking.
    fn of_static(policy: &Policy<'static>) -> Self {
        let wrap = |text: Option<&'static str>| {
            let text = text?;
            let valid = text.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
            valid.then(|| HeaderValue::from_static(text))
        };
        let engine = policy.engine();
        // A policy whose generated code inserts its expose value as a constant needs none here.
        let expose_headers =
            if policy.expose_inserter().is_some() { None } else { wrap(engine.expose_headers()) };
        RenderedValues { expose_headers, max_age: wrap(engine.max_age()) }
    }

    /// Copies the values of a policy loaded at run time; text that is no header value is left
    /// out, as [`RenderedValues::of_static`] leaves it out.
    #[cfg(feature = "load")]
    pub(crate) fn of(policy: &Policy<'_>) -> Self {
        let render = |text: Option<&str>| {
            // Checks the bytes and copies them into `Bytes`.
            let value = HeaderValue::from_str(text?).ok()?;
            // `Bytes` from a `Vec` allocates its shared header on the first clone: make that
            // clone here, once, so that no request pays it.
            drop(value.clone());
            Some(value)
        };
        let engine = policy.engine();
        RenderedValues { expose_headers: render(engine.expose_headers()), max_age: render(engine.max_age()) }
    }
}

/// A policy ready to serve `http` requests: the policy, and its header values as `http` holds
/// them (rendered once, here).
#[derive(Clone, Debug)]
pub struct HttpPolicy<'p> {
    policy: &'p Policy<'p>,
    values: RenderedValues,
}

impl HttpPolicy<'static> {
    /// The policy, for `http` requests.
    pub fn new(policy: &'static Policy<'static>) -> Self {
        HttpPolicy { policy, values: RenderedValues::of_static(policy) }
    }
}

impl<'p> HttpPolicy<'p> {
    /// The policy.
    pub fn policy(&self) -> &'p Policy<'p> {
        self.policy
    }

    /// What answers requests: this policy and its values, borrowed.
    #[inline]
    pub(crate) fn view(&self) -> HttpView<'p, '_> {
        HttpView::new(self.policy, &self.values)
    }

    /// These values with `policy` (these tables with tenant sets lent).
    #[cfg(feature = "tenants")]
    pub(crate) fn view_with<'b>(&'b self, policy: &'b Policy<'b>) -> HttpView<'b, 'b>
    where
        'p: 'b,
    {
        HttpView::new(policy, &self.values)
    }

    /// Evaluates a request: an `OPTIONS` request's headers are read in one pass
    /// ([`HttpHeaders::read_once`]), any other's by looking `Origin` up.
    pub fn decide<'r>(&self, method: &Method, headers: &'r HeaderMap) -> HttpDecision<'p, 'r> {
        self.view().decide(method, headers)
    }

    /// The complete answer to a preflight: the decision's status, its headers (the request's
    /// own values cloned, a reference count for values hyper parsed; the policy's not copied)
    /// and an empty body. A refused preflight gets no CORS header; [`CorsRefusal::of`] the
    /// decision says why.
    pub fn preflight_response<B: Default>(&self, decision: &HttpDecision<'p, '_>) -> Response<B> {
        self.view().preflight_response(decision)
    }

    /// The headers an actual request's response gets, detached from the request (and from the
    /// policy) so that the request can move on to the application.
    #[inline]
    pub fn actual_headers(&self, decision: &HttpDecision<'p, '_>) -> ActualHeaders {
        self.view().actual_headers(decision)
    }
}

/// What answers one request: a policy and its header values, both borrowed, whichever source
/// they come from (an [`HttpPolicy`], a policy loaded at run time). Plain references, so that
/// reading a value is one load: an enum of owned or lent values there cost the layer's `call`
/// 23 instructions per actual request to pick the value (BENCHMARKS.md, issue 11, tenth
/// round).
#[derive(Clone, Copy, Debug)]
pub(crate) struct HttpView<'p, 'v> {
    policy: &'p Policy<'p>,
    values: &'v RenderedValues,
}

impl<'p, 'v> HttpView<'p, 'v> {
    /// `policy`, answered with `values`.
    #[inline]
    pub(crate) fn new(policy: &'p Policy<'p>, values: &'v RenderedValues) -> Self {
        HttpView { policy, values }
    }

    /// The policy.
    #[cfg_attr(not(feature = "tower"), allow(dead_code))]
    pub(crate) fn policy(&self) -> &'p Policy<'p> {
        self.policy
    }

    /// [`HttpPolicy::decide`].
    pub(crate) fn decide<'r>(&self, method: &Method, headers: &'r HeaderMap) -> HttpDecision<'p, 'r> {
        let headers = if method == Method::OPTIONS {
            HttpHeaders::read_once(headers)
        } else {
            HttpHeaders::new(headers)
        };
        self.policy.evaluate(method.as_str().as_bytes(), headers)
    }

    /// [`HttpPolicy::preflight_response`].
    pub(crate) fn preflight_response<B: Default>(&self, decision: &HttpDecision<'p, '_>) -> Response<B> {
        if decision.refusal().is_some() {
            return refused_preflight(None);
        }
        let mut response = Response::new(B::default());
        // The policy's `preflight_status`, a 2xx in every compiled policy (a hand-built one
        // with no HTTP status there is answered 403, as a refusal).
        *response.status_mut() =
            decision.status().and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(StatusCode::FORBIDDEN);
        let headers = response.headers_mut();
        // `http`'s first insert makes room for 6 names; `reserve` (a more general path) is
        // only taken for more.
        let count = decision.header_count();
        if count > FIRST_ALLOCATION {
            headers.reserve(count);
        }
        if let Some(value) = decision.allow_origin().and_then(allow_origin_value) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        }
        if decision.allow_credentials() {
            headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        if let Some(method) = decision.allow_method() {
            headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, method.clone());
        }
        for (_, line) in decision.allow_headers() {
            headers.append(header::ACCESS_CONTROL_ALLOW_HEADERS, line.clone());
        }
        if let Some(value) = decision.max_age().and_then(|_| self.values.max_age.clone()) {
            headers.insert(header::ACCESS_CONTROL_MAX_AGE, value);
        }
        if decision.allow_private_network() {
            headers.insert(ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK, TRUE);
        }
        response
    }

    /// [`HttpPolicy::actual_headers`].
    #[inline]
    pub(crate) fn actual_headers(&self, decision: &HttpDecision<'p, '_>) -> ActualHeaders {
        ActualHeaders {
            allow_origin: decision.allow_origin().and_then(allow_origin_value),
            allow_credentials: decision.allow_credentials(),
            // A compiled policy inserts its value as a constant; the others clone the value
            // rendered for them (none is rendered for a policy with an inserter).
            insert_expose_headers: decision.expose_headers().and_then(|_| self.policy.expose_inserter()),
            expose_headers: decision.expose_headers().and_then(|_| self.values.expose_headers.clone()),
            vary_origin: decision.vary_origin(),
            refusal: CorsRefusal::of(decision),
        }
    }
}

/// The answer to a refused preflight: an empty 403 with no CORS header, and, given a reason,
/// the [`CorsRefusal`] in its extensions (the layer's `with_refusal_extensions`).
///
/// Out of line, and given one byte: the layer's `decide` then hands a refused preflight to
/// `call` as that byte instead of a 112-byte `Response` (5 to 27 instructions fewer on every
/// request, BENCHMARKS.md, issue 11, eighth round), and `call` reads back what `decide` wrote
/// with a load of the same width. Handing the status and a `CorsRefusal` instead (four bytes
/// written as three stores, read by one load, which the processor cannot forward) cost the
/// refused preflight 6 ns (ninth round).
#[inline(never)]
pub(crate) fn refused_preflight<B: Default>(reason: Option<crate::RefusalReason>) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::FORBIDDEN;
    if let Some(reason) = reason {
        response.extensions_mut().insert(CorsRefusal::new(crate::RequestKind::Preflight, reason));
    }
    response
}

/// The CORS headers for one actual response: at most an `Access-Control-Allow-Origin` value,
/// `Access-Control-Allow-Credentials: true`, the pre-rendered `Access-Control-Expose-Headers`,
/// and `Vary: Origin`; and, for a refused origin, the [`CorsRefusal`]. Flat fields, not a list,
/// because it is moved into every response future.
#[derive(Clone, Debug, Default)]
pub struct ActualHeaders {
    allow_origin: Option<HeaderValue>,
    allow_credentials: bool,
    /// Generated code's function inserting the policy's expose value as a constant
    /// (`Policy::with_expose_inserter`), for a compiled policy; `expose_headers` is then `None`.
    insert_expose_headers: Option<fn(&mut HeaderMap)>,
    expose_headers: Option<HeaderValue>,
    vary_origin: bool,
    refusal: Option<CorsRefusal>,
}

impl ActualHeaders {
    /// Why the request was refused, `None` if it was allowed (or not a CORS request).
    pub fn refusal(&self) -> Option<CorsRefusal> {
        self.refusal
    }

    /// The same headers, without the refusal, so that [`ActualHeaders::apply_to`] inserts no
    /// extension (a layer not made `with_refusal_extensions`).
    #[cfg(feature = "tower")]
    pub(crate) fn without_refusal(self) -> Self {
        ActualHeaders { refusal: None, ..self }
    }

    /// [`ActualHeaders::apply`] to the response's headers, and for a refused request the
    /// [`CorsRefusal`] inserted into its extensions (the first insert into a response's
    /// extensions allocates `http`'s map; allowed requests insert nothing).
    pub fn apply_to<B>(self, response: &mut Response<B>) {
        if let Some(refusal) = self.refusal {
            response.extensions_mut().insert(refusal);
        }
        self.apply(response.headers_mut());
    }

    /// Adds the headers to a response: `Access-Control-*` headers replace any the application
    /// set, and those this policy does not send are removed (two `Access-Control-Allow-Origin`
    /// lines would fail the browser's CORS check, and an inner `Access-Control-Allow-Credentials`
    /// must not turn this policy's answer into a credentialed one); `Vary: Origin` is appended
    /// to the application's own `Vary` unless it already covers `Origin` (or is `*`).
    #[inline]
    pub fn apply(self, response: &mut HeaderMap) {
        // The outermost policy answers alone: when an inner layer (a nested router's own
        // policy) already wrote CORS headers, the ones this policy does not send are removed,
        // so that two policies never merge into `*` with credentials, or an origin this policy
        // refuses.
        let written = Written::of(response);
        // A refusal sends none of the three and, with none written inside, has nothing to
        // replace: only `Vary` is left (three calls fewer on the path every refusal takes).
        let sends = self.allow_origin.is_some()
            || self.allow_credentials
            || self.expose_headers.is_some()
            || self.insert_expose_headers.is_some();
        if sends || written.allow_origin || written.allow_credentials || written.expose_headers {
            replace(response, header::ACCESS_CONTROL_ALLOW_ORIGIN, self.allow_origin, written.allow_origin);
            let credentials = self.allow_credentials.then_some(TRUE);
            replace(
                response,
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                credentials,
                written.allow_credentials,
            );
            match self.insert_expose_headers {
                // An insert replaces what the response held, as `replace` does.
                Some(insert) => insert(response),
                None => replace(
                    response,
                    header::ACCESS_CONTROL_EXPOSE_HEADERS,
                    self.expose_headers,
                    written.expose_headers,
                ),
            }
        }
        if self.vary_origin && !written.varies_on_origin {
            response.append(header::VARY, ORIGIN);
        }
    }
}

/// Sets `name` to `value`, replacing what the response held, or removes it when there is no
/// value and the response may hold one.
#[inline]
fn replace(response: &mut HeaderMap, name: HeaderName, value: Option<HeaderValue>, written: bool) {
    match value {
        Some(value) => {
            response.insert(name, value);
        }
        None if written => {
            response.remove(name);
        }
        None => {}
    }
}

/// What the application's response already holds of the headers [`ActualHeaders::apply`]
/// writes: `true` where a header may be there.
struct Written {
    allow_origin: bool,
    allow_credentials: bool,
    expose_headers: bool,
    /// One of the first [`VARY_LINES_READ`] `Vary` lines lists `Origin` or `*`.
    varies_on_origin: bool,
}

/// Up to this many lines, [`Written::of`] reads the response in one pass.
const RESPONSE_SCAN_MAX: usize = 24;
/// The `Vary` lines read for `Origin`: the application's own, a few at most.
const VARY_LINES_READ: usize = 8;

impl Written {
    /// One pass over the names of a response of at most [`RESPONSE_SCAN_MAX`] lines (comparing
    /// a standard name is comparing one byte), instead of a hashed lookup per header: a
    /// response without CORS headers or `Vary` then pays no lookup but the inserts. The pass
    /// visits names, not lines (`http` keeps a name's further lines apart, and walking them
    /// cost more than the names on an empty response); `Vary`'s lines are looked up when it is
    /// there. A longer response gets one lookup of `Vary`, and the removals are tried (a
    /// removal of an absent header is a lookup).
    fn of(response: &HeaderMap) -> Self {
        let varies_on_origin =
            || response.get_all(header::VARY).iter().take(VARY_LINES_READ).any(lists_origin);
        if response.len() > RESPONSE_SCAN_MAX {
            return Written {
                allow_origin: true,
                allow_credentials: true,
                expose_headers: true,
                varies_on_origin: varies_on_origin(),
            };
        }
        let mut written = Written {
            allow_origin: false,
            allow_credentials: false,
            expose_headers: false,
            varies_on_origin: false,
        };
        let mut vary = false;
        for name in response.keys() {
            if *name == header::ACCESS_CONTROL_ALLOW_ORIGIN {
                written.allow_origin = true;
            } else if *name == header::ACCESS_CONTROL_ALLOW_CREDENTIALS {
                written.allow_credentials = true;
            } else if *name == header::ACCESS_CONTROL_EXPOSE_HEADERS {
                written.expose_headers = true;
            } else if *name == header::VARY {
                vary = true;
            }
        }
        written.varies_on_origin = vary && varies_on_origin();
        written
    }
}

/// `true` if the `Vary` line lists `Origin` or `*`.
fn lists_origin(value: &HeaderValue) -> bool {
    value.as_bytes().split(|&b| b == b',').any(|item| {
        let item = item.trim_ascii();
        item == b"*" || item.eq_ignore_ascii_case(b"origin")
    })
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::{format, vec, vec::Vec};

    /// Every combination of what an inner layer or the application may have written, in a
    /// short response (read in one pass) and in one padded past [`RESPONSE_SCAN_MAX`] lines
    /// (read by lookups), with the expose value cloned (a loaded policy) or inserted by a
    /// function (a compiled one): all end with exactly this policy's CORS headers and one
    /// `Origin` in `Vary`.
    #[test]
    fn apply_leaves_only_this_policys_headers_short_or_long() {
        fn insert_expose(headers: &mut HeaderMap) {
            headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("x-request-id"));
        }
        let inner: [(&HeaderName, &str); 4] = [
            (&header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (&header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"),
            (&header::ACCESS_CONTROL_EXPOSE_HEADERS, "x-inner"),
            (&header::VARY, "Accept-Encoding, origin"),
        ];
        let origin = HeaderValue::from_static("https://app.example");
        let expose = HeaderValue::from_static("x-request-id");
        for written in 0..16u32 {
            for sent in 0..16u32 {
                for padding in [0, RESPONSE_SCAN_MAX] {
                    let mut response = HeaderMap::new();
                    for i in 0..padding {
                        response.append(header::WARNING, HeaderValue::from(i));
                    }
                    for (bit, (name, value)) in inner.iter().enumerate() {
                        if written & (1 << bit) != 0 {
                            response.append(*name, HeaderValue::from_static(value));
                        }
                    }
                    let headers = ActualHeaders {
                        allow_origin: (sent & 1 != 0).then(|| origin.clone()),
                        allow_credentials: sent & 2 != 0,
                        // Bit 3: the same value, inserted by a function.
                        insert_expose_headers: (sent & 12 == 12)
                            .then_some(insert_expose as fn(&mut HeaderMap)),
                        expose_headers: (sent & 12 == 4).then(|| expose.clone()),
                        vary_origin: true,
                        refusal: None,
                    };
                    headers.apply(&mut response);
                    let get = |name: &HeaderName| {
                        response.get_all(name).iter().map(|v| v.to_str().unwrap()).collect::<Vec<_>>()
                    };
                    let case = format!("written {written:04b}, sent {sent:04b}, padding {padding}");
                    let expected = |on: bool, value: &'static str| if on { vec![value] } else { vec![] };
                    assert_eq!(
                        get(&header::ACCESS_CONTROL_ALLOW_ORIGIN),
                        expected(sent & 1 != 0, "https://app.example"),
                        "{case}"
                    );
                    assert_eq!(
                        get(&header::ACCESS_CONTROL_ALLOW_CREDENTIALS),
                        expected(sent & 2 != 0, "true"),
                        "{case}"
                    );
                    assert_eq!(
                        get(&header::ACCESS_CONTROL_EXPOSE_HEADERS),
                        expected(sent & 4 != 0, "x-request-id"),
                        "{case}"
                    );
                    let vary =
                        if written & 8 != 0 { vec!["Accept-Encoding, origin"] } else { vec!["Origin"] };
                    assert_eq!(get(&header::VARY), vary, "{case}");
                    assert_eq!(get(&header::WARNING).len(), padding, "{case}");
                }
            }
        }
    }

    /// Only the first few `Vary` lines are read: an `Origin` after them is appended again,
    /// short or long.
    #[test]
    fn vary_is_read_for_its_first_lines() {
        for padding in [0, RESPONSE_SCAN_MAX] {
            let mut response = HeaderMap::new();
            for i in 0..padding {
                response.append(header::WARNING, HeaderValue::from(i));
            }
            for _ in 0..VARY_LINES_READ {
                response.append(header::VARY, HeaderValue::from_static("Accept"));
            }
            response.append(header::VARY, HeaderValue::from_static("Origin"));
            let headers = ActualHeaders { vary_origin: true, ..ActualHeaders::default() };
            headers.apply(&mut response);
            assert_eq!(response.get_all(header::VARY).iter().count(), VARY_LINES_READ + 2, "{padding}");
        }
    }
}
