//! cors-policy in actix-web, through the framework-neutral API: `Policy::evaluate` takes the
//! method and a header lookup, and returns the decision and the headers to send.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use cors_policy_runtime::{cors_policy, HeaderLines, Policy, RequestHeader, RequestHeaders, Value};

/// The policy, checked while this crate compiles.
pub static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com", "http://localhost:*"],
    allow_methods: [PUT, DELETE],
    allow_headers: ["content-type"],
    allow_credentials: true,
    max_age: 600,
};

/// actix's header map, seen by the decision: a `Copy` handle, whose lookups the decision
/// keeps (actix's iterator over a header's values, cloned to walk the lines again), so the headers it
/// echoes are actix's own `HeaderValue`s.
#[derive(Clone, Copy)]
pub struct ActixHeaders<'a>(pub &'a HeaderMap);

impl<'a> RequestHeaders<'a> for ActixHeaders<'a> {
    type Lines = ActixLines<'a>;

    fn lines(self, name: RequestHeader) -> ActixLines<'a> {
        ActixLines(self.0.get_all(name.as_str()))
    }
}

/// The lines of one header in actix's map.
pub struct ActixLines<'a>(std::slice::Iter<'a, HeaderValue>);

impl<'a> HeaderLines<'a> for ActixLines<'a> {
    type Value = HeaderValue;
    type Iter = std::slice::Iter<'a, HeaderValue>;

    fn iter(&self) -> Self::Iter {
        self.0.clone()
    }
}

/// The middleware: `App::new().wrap(actix_web::middleware::from_fn(cors))`.
pub async fn cors(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let request_headers = ActixHeaders(request.headers());
    let decision = API.evaluate(request.method().as_str().as_bytes(), request_headers);
    let headers: Vec<(&'static str, HeaderValue)> = decision
        .headers()
        .iter()
        .filter_map(|(name, value)| {
            let value = match value {
                Value::Static(text) => HeaderValue::from_str(text).ok()?,
                Value::Echo(_, value) => HeaderValue::clone(value),
            };
            Some((name.as_str(), value))
        })
        .collect();
    if let Some(status) = decision.status() {
        // A preflight: answered here, never passed on.
        let mut response = HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN));
        for (name, value) in headers {
            response.append_header((name, value));
        }
        return Ok(request.into_response(response.finish()));
    }
    let mut response = next.call(request).await?.map_into_boxed_body();
    for (name, value) in headers {
        let name = HeaderName::from_static(name);
        if name == "vary" {
            response.headers_mut().append(name, value);
        } else {
            response.headers_mut().insert(name, value);
        }
    }
    Ok(response)
}
