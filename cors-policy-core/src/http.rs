//! The `http` 1.x integration: a policy reading `http::HeaderMap`s and writing `http::Response`s.

use crate::{CorsRefusal, Decision, Echo, Policy, RequestHeader, RequestHeaders, ResponseHeader, Value};
use http::header::{self, HeaderName};
use http::{HeaderMap, HeaderValue, Method, Response, StatusCode};

/// `Access-Control-Request-Private-Network`, which `http` has no constant for.
pub const ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");
/// `Access-Control-Allow-Private-Network`, which `http` has no constant for.
pub const ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

const STAR: HeaderValue = HeaderValue::from_static("*");
const TRUE: HeaderValue = HeaderValue::from_static("true");
const ORIGIN: HeaderValue = HeaderValue::from_static("Origin");

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

fn header_value_bytes(value: &HeaderValue) -> &[u8] {
    value.as_bytes()
}

impl RequestHeaders for HeaderMap {
    type Values<'h> = core::iter::Map<header::ValueIter<'h, HeaderValue>, fn(&HeaderValue) -> &[u8]>;

    fn values(&self, name: RequestHeader) -> Self::Values<'_> {
        self.get_all(request_header_name(name)).iter().map(header_value_bytes as fn(&HeaderValue) -> &[u8])
    }
}

/// A policy ready to serve `http` requests: its static values are rendered once as
/// `HeaderValue`s, so answering a request copies nothing.
#[derive(Clone, Debug)]
pub struct HttpPolicy {
    policy: &'static Policy<'static>,
    max_age: Option<HeaderValue>,
    expose_headers: Option<HeaderValue>,
}

impl HttpPolicy {
    /// Renders the policy's static header values.
    pub fn new(policy: &'static Policy<'static>) -> Self {
        HttpPolicy {
            policy,
            max_age: policy.max_age().map(HeaderValue::from_static),
            expose_headers: policy.expose_headers().map(HeaderValue::from_static),
        }
    }

    /// The policy.
    pub fn policy(&self) -> &'static Policy<'static> {
        self.policy
    }

    /// Evaluates a request.
    pub fn decide<'r>(&self, method: &Method, headers: &'r HeaderMap) -> Decision<'static, 'r> {
        self.policy.evaluate(method.as_str().as_bytes(), headers)
    }

    /// The `HeaderValue` for one header of a decision: a pre-rendered one, or a clone of the
    /// request's own value (a reference count, not a copy, for values hyper parsed).
    fn value(&self, name: ResponseHeader, value: &Value<'_, '_>, request: &HeaderMap) -> Option<HeaderValue> {
        match *value {
            Value::Static(text) => match name {
                ResponseHeader::AllowOrigin => Some(STAR),
                ResponseHeader::AllowCredentials | ResponseHeader::AllowPrivateNetwork => Some(TRUE),
                ResponseHeader::Vary => Some(ORIGIN),
                ResponseHeader::MaxAge => self.max_age.clone(),
                ResponseHeader::ExposeHeaders => self.expose_headers.clone(),
                _ => HeaderValue::from_str(text).ok(),
            },
            Value::Echo(Echo::Origin, _) => request.get(header::ORIGIN).cloned(),
            Value::Echo(Echo::RequestMethod, _) => {
                request.get(header::ACCESS_CONTROL_REQUEST_METHOD).cloned()
            }
            Value::Echo(Echo::RequestHeaders(line), _) => {
                request.get_all(header::ACCESS_CONTROL_REQUEST_HEADERS).iter().nth(line as usize).cloned()
            }
        }
    }

    /// The complete answer to a preflight: the decision's status, its headers, an empty body,
    /// and for a refused preflight its [`CorsRefusal`] in the response's extensions (which
    /// allocates `http`'s extension map; an allowed preflight's answer has no extension).
    pub fn preflight_response<B: Default>(
        &self,
        decision: &Decision<'_, '_>,
        request: &HeaderMap,
    ) -> Response<B> {
        let mut response = Response::new(B::default());
        let status = decision.status().and_then(|s| StatusCode::from_u16(s).ok());
        *response.status_mut() = status.unwrap_or(StatusCode::FORBIDDEN);
        let headers = response.headers_mut();
        headers.reserve(decision.headers().len());
        for (name, value) in decision.headers() {
            if let Some(value) = self.value(*name, value, request) {
                headers.append(response_header_name(*name), value);
            }
        }
        if let Some(refusal) = decision.cors_refusal() {
            response.extensions_mut().insert(refusal);
        }
        response
    }

    /// The headers an actual request's response gets, detached from the request so that the
    /// request can move on to the application.
    pub fn actual_headers(&self, decision: &Decision<'_, '_>, request: &HeaderMap) -> ActualHeaders {
        let mut out = ActualHeaders { refusal: decision.cors_refusal(), ..ActualHeaders::default() };
        for (name, value) in decision.headers() {
            match name {
                ResponseHeader::AllowOrigin => out.allow_origin = self.value(*name, value, request),
                ResponseHeader::AllowCredentials => out.allow_credentials = true,
                ResponseHeader::ExposeHeaders => out.expose_headers = self.expose_headers.clone(),
                ResponseHeader::Vary => out.vary_origin = true,
                // Preflight-only headers never appear in an actual request's decision.
                _ => {}
            }
        }
        out
    }
}

/// The CORS headers for one actual response: at most an `Access-Control-Allow-Origin` value,
/// `Access-Control-Allow-Credentials: true`, the pre-rendered `Access-Control-Expose-Headers`,
/// and `Vary: Origin`; and, for a refused origin, the [`CorsRefusal`]. Flat fields, not a list,
/// because it is moved into every response future.
#[derive(Clone, Debug, Default)]
pub struct ActualHeaders {
    allow_origin: Option<HeaderValue>,
    allow_credentials: bool,
    expose_headers: Option<HeaderValue>,
    vary_origin: bool,
    refusal: Option<CorsRefusal>,
}

impl ActualHeaders {
    /// Why the request was refused, `None` if it was allowed (or not a CORS request).
    pub fn refusal(&self) -> Option<CorsRefusal> {
        self.refusal
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
    /// set (two `Access-Control-Allow-Origin` lines would fail the browser's CORS check), and
    /// `Vary: Origin` is appended to the application's own `Vary` unless it already covers
    /// `Origin` (or is `*`).
    pub fn apply(self, response: &mut HeaderMap) {
        if let Some(origin) = self.allow_origin {
            response.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        if self.allow_credentials {
            response.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        if let Some(expose) = self.expose_headers {
            response.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, expose);
        }
        if self.vary_origin && !varies_on_origin(response) {
            response.append(header::VARY, ORIGIN);
        }
    }
}

/// `true` if the response's `Vary` already lists `Origin` or `*`. Reads at most a few lines.
fn varies_on_origin(response: &HeaderMap) -> bool {
    response.get_all(header::VARY).iter().take(8).any(|value| {
        value.as_bytes().split(|&b| b == b',').any(|item| {
            let item = item.trim_ascii();
            item == b"*" || item.eq_ignore_ascii_case(b"origin")
        })
    })
}
