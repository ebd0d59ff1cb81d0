//! cors-policy on a plain hyper 1.x server, without axum.
//!
//! The application is a `tower::Service<Request<Incoming>>`; [`service`] puts the CORS layer in
//! front of it with `tower::ServiceBuilder`, and [`serve`] hands one copy per connection to
//! hyper through `hyper_util::service::TowerToHyperService`.

use bytes::Bytes;
use cors_policy_runtime::{cors_policy, Policy};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{header, Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::future::Future;
use tower::{Service, ServiceBuilder};

/// The API's policy: the web app may read and write items, with cookies.
pub static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT, DELETE],
    allow_headers: ["content-type"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

/// The application without CORS: `GET` and `PUT /items`, 404 elsewhere.
///
/// The response body is [`Full<Bytes>`]: the layer needs a body type with a `Default` (the
/// empty body of the preflight answers it writes itself).
pub async fn handle(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let response = match (request.method(), request.uri().path()) {
        (&Method::GET, "/items") => Response::builder()
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-request-id", "42")
            .body(Full::from("[\"apple\"]")),
        (&Method::PUT, "/items") => Response::builder().body(Full::from("stored")),
        _ => Response::builder().status(StatusCode::NOT_FOUND).body(Full::default()),
    };
    Ok(response.expect("a valid response"))
}

/// The application behind [`API`]'s layer: preflights are answered by the layer and never reach
/// [`handle`]; every other response gets the CORS headers (and `Vary: Origin`).
pub fn service() -> impl Service<
    Request<Incoming>,
    Response = Response<Full<Bytes>>,
    Error = Infallible,
    Future = impl Future<Output = Result<Response<Full<Bytes>>, Infallible>> + Send,
> + Clone
       + Send
       + 'static {
    ServiceBuilder::new().layer(API.layer()).service_fn(handle)
}

/// Accepts connections on `listener` and serves each over HTTP/1.1 on its own task, until
/// `accept` fails.
pub async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let service = service();
    loop {
        let (stream, _) = listener.accept().await?;
        let service = TowerToHyperService::new(service.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new();
            if let Err(error) = connection.serve_connection(TokioIo::new(stream), service).await {
                eprintln!("connection error: {error}");
            }
        });
    }
}
