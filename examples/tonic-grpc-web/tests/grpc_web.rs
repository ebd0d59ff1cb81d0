//! The grpc-web Greeter over a real TCP connection, spoken to with hyper's HTTP/1.1 client as a
//! browser's grpc-web client would: the preflight first, then the `POST` of a framed message.

use bytes::{Buf, Bytes};
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use prost::Message;
use std::net::SocketAddr;
use tonic_grpc_web::{HelloReply, HelloRequest};

const SAY_HELLO: &str = "/helloworld.Greeter/SayHello";

/// Serves the example (`tonic_grpc_web::serve`) on a free loopback port.
async fn start() -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(tonic_grpc_web::serve(listener, async {
        let _ = stopped.await;
    }));
    (address, stop)
}

/// Sends `request` on a new HTTP/1.1 connection and returns the response with its whole body.
async fn send(address: SocketAddr, request: Request<Full<Bytes>>) -> Response<Bytes> {
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(connection);
    let response = sender.send_request(request).await.unwrap();
    let (parts, body) = response.into_parts();
    Response::from_parts(parts, body.collect().await.unwrap().to_bytes())
}

fn preflight(origin: &str) -> Request<Full<Bytes>> {
    Request::options(SAY_HELLO)
        .header("host", "api.example.com")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        // What Chromium sends for a grpc-web JavaScript client's call with a deadline: the
        // non-safelisted request headers, lowercase, sorted, comma-separated.
        .header("access-control-request-headers", "content-type,grpc-timeout,x-grpc-web,x-user-agent")
        .body(Full::default())
        .unwrap()
}

/// A grpc-web call of `SayHello`: one length-prefixed frame (flag 0, big-endian length, the
/// protobuf message).
fn say_hello(origin: &str, name: &str) -> Request<Full<Bytes>> {
    let message = HelloRequest { name: name.to_string() }.encode_to_vec();
    let mut frame = vec![0];
    frame.extend_from_slice(&u32::try_from(message.len()).unwrap().to_be_bytes());
    frame.extend_from_slice(&message);
    Request::post(SAY_HELLO)
        .header("host", "api.example.com")
        .header("origin", origin)
        .header("content-type", "application/grpc-web+proto")
        .header("accept", "application/grpc-web+proto")
        .header("x-grpc-web", "1")
        .header("x-user-agent", "grpc-web-javascript/0.1")
        .header("grpc-timeout", "5S")
        .body(Full::from(frame))
        .unwrap()
}

/// Splits a grpc-web response body into its message frames and its trailer frame (flag 0x80,
/// HTTP/1-style `name:value\r\n` lines), which must come last.
fn frames(mut body: Bytes) -> (Vec<Bytes>, String) {
    let mut messages = Vec::new();
    while body.has_remaining() {
        let flag = body.get_u8();
        let length = usize::try_from(body.get_u32()).unwrap();
        let payload = body.split_to(length);
        if flag & 0x80 != 0 {
            assert!(body.is_empty(), "data after the trailer frame");
            return (messages, String::from_utf8(payload.to_vec()).unwrap());
        }
        messages.push(payload);
    }
    panic!("no trailer frame");
}

fn header<'a>(response: &'a Response<Bytes>, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|value| value.to_str().unwrap())
}

#[tokio::test(flavor = "current_thread")]
async fn the_preflight_of_a_grpc_web_call_is_answered_204() {
    let (address, _stop) = start().await;
    let response = send(address, preflight("https://app.example.com")).await;
    assert_eq!(response.status(), 204);
    assert_eq!(header(&response, "access-control-allow-origin"), Some("https://app.example.com"));
    assert_eq!(
        header(&response, "access-control-allow-headers"),
        Some("content-type,grpc-timeout,x-grpc-web,x-user-agent")
    );
    assert_eq!(header(&response, "access-control-max-age"), Some("600"));
    // POST is CORS-safelisted: the browser needs no Access-Control-Allow-Methods for it.
    assert_eq!(header(&response, "access-control-allow-methods"), None);
    assert!(response.body().is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn a_preflight_from_another_origin_is_refused_403() {
    let (address, _stop) = start().await;
    let response = send(address, preflight("https://evil.example")).await;
    assert_eq!(response.status(), 403);
    assert!(response.headers().keys().all(|name| !name.as_str().starts_with("access-control-")));
}

#[tokio::test(flavor = "current_thread")]
async fn a_preflight_asking_for_a_header_the_policy_does_not_allow_is_refused_403() {
    let (address, _stop) = start().await;
    let mut request = preflight("https://app.example.com");
    request.headers_mut().insert("access-control-request-headers", "content-type,x-api-key".parse().unwrap());
    let response = send(address, request).await;
    assert_eq!(response.status(), 403);
    assert_eq!(header(&response, "access-control-allow-origin"), None);
}

#[tokio::test(flavor = "current_thread")]
async fn a_grpc_web_call_reaches_the_service_and_its_response_is_readable_by_the_page() {
    let (address, _stop) = start().await;
    let response = send(address, say_hello("https://app.example.com", "Ada")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), Some("application/grpc-web+proto"));
    assert_eq!(header(&response, "access-control-allow-origin"), Some("https://app.example.com"));
    assert_eq!(
        header(&response, "access-control-expose-headers"),
        Some("grpc-status,grpc-message,grpc-status-details-bin")
    );
    assert_eq!(header(&response, "vary"), Some("Origin"));
    let (messages, trailers) = frames(response.into_body());
    assert_eq!(messages.len(), 1);
    assert_eq!(HelloReply::decode(messages[0].clone()).unwrap().message, "Hello Ada!");
    assert!(trailers.split("\r\n").any(|line| line == "grpc-status:0"), "{trailers:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_call_sends_its_status_in_headers_that_the_policy_exposes() {
    let (address, _stop) = start().await;
    // An empty name is refused by the service with INVALID_ARGUMENT (3), before any message:
    // tonic answers "trailers-only", the status in the response headers, which the page can
    // read only because they are in expose_headers.
    let response = send(address, say_hello("https://app.example.com", "")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "grpc-status"), Some("3"));
    assert_eq!(header(&response, "grpc-message"), Some("name%20is%20empty"), "percent-encoded");
    let exposed = header(&response, "access-control-expose-headers").unwrap();
    assert!(exposed.split(',').any(|name| name == "grpc-status"), "{exposed}");
    assert!(exposed.split(',').any(|name| name == "grpc-message"), "{exposed}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_call_from_another_origin_gets_no_cors_headers() {
    let (address, _stop) = start().await;
    let response = send(address, say_hello("https://evil.example", "Ada")).await;
    // Not a preflight: the call runs (a browser would have been stopped by the refused
    // preflight), and the page cannot read the answer.
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    assert_eq!(header(&response, "access-control-expose-headers"), None);
    assert_eq!(header(&response, "vary"), Some("Origin"));
}

#[tokio::test(flavor = "current_thread")]
async fn with_the_cors_layer_inside_grpc_web_layer_the_preflight_never_reaches_it() {
    // The wrong order, to show why the CORS layer goes outside: GrpcWebLayer answers the
    // preflight (an HTTP/1.1 OPTIONS that is not grpc-web) with 400 itself.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(
        tonic::transport::Server::builder()
            .accept_http1(true)
            .layer(tonic_web::GrpcWebLayer::new())
            .layer(tonic_grpc_web::GRPC_WEB.layer())
            .add_service(tonic_grpc_web::GreeterServer)
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
    );
    let response = send(address, preflight("https://app.example.com")).await;
    assert_eq!(response.status(), 400);
    assert_eq!(header(&response, "access-control-allow-origin"), None);
}

/// The README's "gRPC-web with tonic" block shows this crate's policy and layer order.
#[test]
fn the_readme_shows_this_policy_and_layer_order() {
    let readme = include_str!("../../../README.md");
    let lib = include_str!("../src/lib.rs");
    let section = readme.split("## gRPC-web with tonic\n").nth(1).expect("the section");
    let block = section.split("```rust\n").nth(1).and_then(|s| s.split("```").next()).expect("a rust block");
    let policy = |text: &str| {
        let body = text.split("cors_policy! {").nth(1).and_then(|s| s.split("};").next()).expect("a policy");
        body.to_string()
    };
    assert_eq!(policy(block), policy(lib), "README's policy differs from src/lib.rs");
    for text in [block, lib] {
        let cors = text.find(".layer(GRPC_WEB.layer())").expect("the CORS layer");
        let grpc_web = text.find(".layer(tonic_web::GrpcWebLayer::new())").expect("GrpcWebLayer");
        assert!(cors < grpc_web, "the CORS layer must be added first (outermost)");
    }
}
