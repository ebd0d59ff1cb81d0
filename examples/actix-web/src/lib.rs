//! cors-policy in actix-web, through the framework-neutral API: `Policy::evaluate` takes the
//! method and a header lookup, and returns the decision and the headers to send.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use cors_policy_runtime::{cors_policy, Policy, RequestHeader, RequestHeaders};

/// The policy, checked while this crate compiles.
pub static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com", "http://localhost:*"],
    allow_methods: [PUT, DELETE],
    allow_headers: ["content-type"],
    allow_credentials: true,
    max_age: 600,
};

/// actix's header map, seen by the decision.
pub struct ActixHeaders<'a>(pub &'a HeaderMap);

impl RequestHeaders for ActixHeaders<'_> {
    type Values<'h>
        = std::iter::Map<std::slice::Iter<'h, HeaderValue>, fn(&HeaderValue) -> &[u8]>
    where
        Self: 'h;

    fn values(&self, name: RequestHeader) -> Self::Values<'_> {
        self.0.get_all(name.as_str()).map(HeaderValue::as_bytes as fn(&HeaderValue) -> &[u8])
    }
}

/// The middleware: `App::new().wrap(actix_web::middleware::from_fn(cors))`.
pub async fn cors(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let request_headers = ActixHeaders(request.headers());
    let decision = API.evaluate(request.method().as_str().as_bytes(), &request_headers);
    let headers: Vec<(&'static str, HeaderValue)> = decision
        .headers()
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), HeaderValue::from_bytes(value.as_bytes()).ok()?)))
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
