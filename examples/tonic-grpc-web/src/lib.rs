//! cors-policy in front of a tonic gRPC-web service.
//!
//! A browser cannot speak gRPC (it needs HTTP/2 trailers), so a grpc-web client
//! (`grpc-web`, `@connectrpc/connect-web`, ...) POSTs `application/grpc-web+proto` over plain
//! HTTP/1.1 or HTTP/2 and reads the status from a trailer frame at the end of the body.
//! `tonic_web::GrpcWebLayer` translates that into gRPC for the service. The request has a
//! non-safelisted `content-type` and custom headers, so the browser sends a CORS preflight
//! first: [`GRPC_WEB`] allows what grpc-web clients send and exposes the `grpc-*` headers
//! they read.
//!
//! Where the layer goes: **outside** `GrpcWebLayer` (added before it to the server, which
//! makes it the outermost layer). A preflight is a plain `OPTIONS` without a grpc-web
//! `content-type`; `GrpcWebLayer` answers such an HTTP/1.1 request with `400 Bad Request`
//! itself, so a CORS layer inside it would never see the preflight.
//!
//! The service is what `tonic-build` generates from this `.proto`, written by hand (so no
//! `protoc` is needed):
//!
//! ```proto
//! syntax = "proto3";
//! package helloworld;
//! service Greeter { rpc SayHello (HelloRequest) returns (HelloReply); }
//! message HelloRequest { string name = 1; }
//! message HelloReply { string message = 1; }
//! ```

use cors_policy_runtime::{cors_policy, Policy};
use std::convert::Infallible;
use std::future::{Future, Ready};
use std::pin::Pin;
use std::task::{Context, Poll};
use tonic::server::{Grpc, NamedService, UnaryService};
use tonic::{Request, Response, Status};
use tonic_prost::ProstCodec;

/// The CORS policy of the gRPC-web API.
///
/// * `allow_headers`: what grpc-web clients send. `content-type` (its value,
///   `application/grpc-web+proto` or `application/grpc-web-text`, is not CORS-safelisted),
///   `x-grpc-web` and `x-user-agent` (set by the grpc-web JavaScript client), `grpc-timeout`
///   (a call with a deadline). Add your own metadata keys here (`authorization`, ...).
/// * `expose_headers`: what the client reads from the response headers. A call that fails
///   before sending a message is answered "trailers-only": `grpc-status`, `grpc-message` and
///   `grpc-status-details-bin` come as headers, and without this list the browser hides them,
///   so the client reports a generic error instead of the server's status.
/// * `allow_methods`: every gRPC-web call is a `POST`.
pub static GRPC_WEB: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [POST],
    allow_headers: ["content-type", "x-grpc-web", "x-user-agent", "grpc-timeout"],
    expose_headers: ["grpc-status", "grpc-message", "grpc-status-details-bin"],
    max_age: 600,
};

/// `helloworld.HelloRequest`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct HelloRequest {
    /// Who to greet.
    #[prost(string, tag = "1")]
    pub name: String,
}

/// `helloworld.HelloReply`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct HelloReply {
    /// The greeting.
    #[prost(string, tag = "1")]
    pub message: String,
}

/// The `SayHello` method: greets `name`, refuses an empty one with `INVALID_ARGUMENT`.
#[derive(Clone, Copy)]
struct SayHello;

impl UnaryService<HelloRequest> for SayHello {
    type Response = HelloReply;
    type Future = Ready<Result<Response<HelloReply>, Status>>;

    fn call(&mut self, request: Request<HelloRequest>) -> Self::Future {
        let name = request.into_inner().name;
        std::future::ready(if name.is_empty() {
            Err(Status::invalid_argument("name is empty"))
        } else {
            Ok(Response::new(HelloReply { message: format!("Hello {name}!") }))
        })
    }
}

/// The `helloworld.Greeter` service, as `tonic-build` would generate it: routes by path to the
/// method, and answers an unknown method with `UNIMPLEMENTED`.
#[derive(Clone, Copy, Debug, Default)]
pub struct GreeterServer;

impl NamedService for GreeterServer {
    const NAME: &'static str = "helloworld.Greeter";
}

impl<B> tower_service::Service<http::Request<B>> for GreeterServer
where
    B: http_body::Body + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>> + Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        match request.uri().path() {
            "/helloworld.Greeter/SayHello" => Box::pin(async move {
                let mut grpc = Grpc::new(ProstCodec::<HelloReply, HelloRequest>::default());
                Ok(grpc.unary(SayHello, request).await)
            }),
            _ => Box::pin(async { Ok(Status::unimplemented("no such method").into_http()) }),
        }
    }
}

/// Serves [`GreeterServer`] to grpc-web clients on `listener` until `shutdown` completes.
///
/// The layers, outermost first: [`GRPC_WEB`]'s CORS layer (answers preflights, decorates every
/// other response), then `GrpcWebLayer` (grpc-web to gRPC and back), then the service.
/// `accept_http1(true)`: browsers send grpc-web over HTTP/1.1 unless TLS negotiates HTTP/2.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    tonic::transport::Server::builder()
        .accept_http1(true)
        .layer(GRPC_WEB.layer())
        .layer(tonic_web::GrpcWebLayer::new())
        .add_service(GreeterServer)
        .serve_with_incoming_shutdown(tonic::transport::server::TcpIncoming::from(listener), shutdown)
        .await
}
