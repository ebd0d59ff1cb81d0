//! The hyper server over a real TCP connection: raw HTTP/1.1 requests, raw answers.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Starts the example's server on a free loopback port, sends `request` on a new connection
/// and returns the whole answer (the request asks the server to close the connection).
async fn exchange(request: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(hyper_server::serve(listener));
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    server.abort();
    answer.to_ascii_lowercase()
}

fn header_lines<'a>(answer: &'a str, name: &str) -> Vec<&'a str> {
    let head = answer.split("\r\n\r\n").next().unwrap();
    head.lines()
        .filter_map(|line| line.split_once(": "))
        .filter(|(line_name, _)| *line_name == name)
        .map(|(_, value)| value)
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn an_allowed_preflight_is_answered_204_by_the_layer() {
    let answer = exchange(
        "OPTIONS /items HTTP/1.1\r\nHost: api\r\nOrigin: https://app.example.com\r\n\
         Access-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: content-type\r\n\
         Connection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("http/1.1 204"), "{answer}");
    assert_eq!(header_lines(&answer, "access-control-allow-origin"), ["https://app.example.com"]);
    assert_eq!(header_lines(&answer, "access-control-allow-methods"), ["put"]);
    assert_eq!(header_lines(&answer, "access-control-allow-headers"), ["content-type"]);
    assert_eq!(header_lines(&answer, "access-control-allow-credentials"), ["true"]);
    assert_eq!(header_lines(&answer, "access-control-max-age"), ["600"]);
    // `handle` has no OPTIONS route: a 404 would mean the preflight reached it.
    assert!(!answer.starts_with("http/1.1 404"), "{answer}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_preflight_from_another_origin_is_refused_403_without_cors_headers() {
    let answer = exchange(
        "OPTIONS /items HTTP/1.1\r\nHost: api\r\nOrigin: https://evil.example\r\n\
         Access-Control-Request-Method: PUT\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("http/1.1 403"), "{answer}");
    assert!(!answer.contains("access-control-"), "{answer}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_preflight_for_a_method_the_policy_does_not_allow_is_refused() {
    let answer = exchange(
        "OPTIONS /items HTTP/1.1\r\nHost: api\r\nOrigin: https://app.example.com\r\n\
         Access-Control-Request-Method: PATCH\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("http/1.1 403"), "{answer}");
    assert!(!answer.contains("access-control-"), "{answer}");
}

#[tokio::test(flavor = "current_thread")]
async fn an_actual_request_reaches_the_handler_and_gets_the_origin_and_vary() {
    let answer = exchange(
        "GET /items HTTP/1.1\r\nHost: api\r\nOrigin: https://app.example.com\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("http/1.1 200"), "{answer}");
    assert!(answer.ends_with("\r\n\r\n[\"apple\"]"), "the handler's body: {answer}");
    assert_eq!(header_lines(&answer, "access-control-allow-origin"), ["https://app.example.com"]);
    assert_eq!(header_lines(&answer, "access-control-allow-credentials"), ["true"]);
    assert_eq!(header_lines(&answer, "access-control-expose-headers"), ["x-request-id"]);
    assert_eq!(header_lines(&answer, "vary"), ["origin"]);
    assert_eq!(header_lines(&answer, "x-request-id"), ["42"]);
}

#[tokio::test(flavor = "current_thread")]
async fn an_actual_request_from_another_origin_gets_vary_but_no_cors_headers() {
    let answer = exchange(
        "GET /items HTTP/1.1\r\nHost: api\r\nOrigin: https://evil.example\r\nConnection: close\r\n\r\n",
    )
    .await;
    // The handler runs (the browser, not the server, withholds the response from the page).
    assert!(answer.starts_with("http/1.1 200"), "{answer}");
    assert!(!answer.contains("access-control-"), "{answer}");
    assert_eq!(header_lines(&answer, "vary"), ["origin"]);
}

/// The README's "Plain hyper" block is the code of `service` and `serve`.
#[test]
fn the_readme_shows_this_crate() {
    let readme = include_str!("../../../README.md");
    let lib = include_str!("../src/lib.rs");
    let section = readme.split("## Plain hyper\n").nth(1).expect("the section");
    let block = section.split("```rust\n").nth(1).and_then(|s| s.split("```").next()).expect("a rust block");
    for line in [
        "ServiceBuilder::new().layer(API.layer()).service_fn(handle)",
        "let (stream, _) = listener.accept().await?;",
        "TowerToHyperService::new(service.clone());",
        "let connection = hyper::server::conn::http1::Builder::new();",
        "connection.serve_connection(",
    ] {
        assert!(block.contains(line), "README lacks `{line}`");
        assert!(lib.contains(line), "src/lib.rs lacks `{line}`");
    }
}
