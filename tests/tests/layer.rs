//! The tower layer in front of a real axum router: preflights answered by the layer, actual
//! responses decorated, over in-process calls and over a real TCP connection.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::routing::get;
use axum::Router;
use cors_policy_runtime::{cors_policy, CorsRefusal, Policy, RefusalReason, RequestKind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com", "http://localhost:*"],
    allow_methods: [PUT, DELETE],
    allow_headers: ["content-type", "x-request-id"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

static PUBLIC: Policy = cors_policy! {
    allow_origins: ["*"],
    allow_methods: [PUT],
};

fn app(policy: &'static Policy<'static>, calls: Arc<AtomicUsize>) -> Router {
    let data_calls = calls.clone();
    Router::new()
        .route(
            "/data",
            get(move || {
                data_calls.fetch_add(1, Ordering::SeqCst);
                async {
                    let mut response = Response::new(Body::from("ok"));
                    response.headers_mut().insert("x-request-id", HeaderValue::from_static("42"));
                    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
                    response
                }
            })
            .put(move || {
                calls.fetch_add(1, Ordering::SeqCst);
                async { "stored" }
            }),
        )
        .route(
            "/old",
            get(|| async {
                Response::builder()
                    .status(StatusCode::FOUND)
                    .header("location", "/data")
                    .body(Body::empty())
                    .unwrap()
            }),
        )
        .layer(policy.layer().with_refusal_extensions())
}

fn request(method: &str, uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).unwrap()
}

fn values(response: &Response<Body>, name: &str) -> Vec<String> {
    response.headers().get_all(name).iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "current_thread")]
async fn preflights_are_answered_by_the_layer_and_never_reach_the_handler() {
    let calls = Arc::new(AtomicUsize::new(0));
    let preflight = request(
        "OPTIONS",
        "/data",
        &[
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "content-type"),
        ],
    );
    let response = app(&API, calls.clone()).oneshot(preflight).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(values(&response, "access-control-allow-origin"), ["https://app.example.com"]);
    assert_eq!(values(&response, "access-control-allow-credentials"), ["true"]);
    assert_eq!(values(&response, "access-control-allow-methods"), ["PUT"]);
    assert_eq!(values(&response, "access-control-allow-headers"), ["content-type"]);
    assert_eq!(values(&response, "access-control-max-age"), ["600"]);

    let refused = request(
        "OPTIONS",
        "/data",
        &[("origin", "https://evil.example"), ("access-control-request-method", "PUT")],
    );
    let response = app(&API, calls.clone()).oneshot(refused).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().keys().all(|name| !name.as_str().starts_with("access-control-")));
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "current_thread")]
async fn actual_responses_are_decorated_and_vary_is_appended() {
    let calls = Arc::new(AtomicUsize::new(0));
    let response = app(&API, calls.clone())
        .oneshot(request("GET", "/data", &[("origin", "http://localhost:5173")]))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(values(&response, "access-control-allow-origin"), ["http://localhost:5173"]);
    assert_eq!(values(&response, "access-control-allow-credentials"), ["true"]);
    assert_eq!(values(&response, "access-control-expose-headers"), ["x-request-id"]);
    assert_eq!(values(&response, "vary"), ["Accept-Encoding", "Origin"]);

    // A refused origin still reaches the handler (CORS is enforced by the browser), with no
    // CORS headers but with Vary, so a cache keeps the two apart.
    let response = app(&API, calls.clone())
        .oneshot(request("PUT", "/data", &[("origin", "https://evil.example")]))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("access-control-allow-origin").is_none());
    assert_eq!(values(&response, "vary"), ["Origin"]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "current_thread")]
async fn redirects_carry_cors_headers() {
    let response = app(&API, Arc::default())
        .oneshot(request("GET", "/old", &[("origin", "https://app.example.com")]))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(values(&response, "access-control-allow-origin"), ["https://app.example.com"]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_wildcard_policy_answers_star_without_vary() {
    let response = app(&PUBLIC, Arc::default()).oneshot(request("GET", "/data", &[])).await.unwrap();
    assert_eq!(values(&response, "access-control-allow-origin"), ["*"]);
    assert_eq!(values(&response, "vary"), ["Accept-Encoding"]);
}

#[tokio::test(flavor = "current_thread")]
async fn options_without_request_method_reaches_the_application() {
    let response = app(&API, Arc::default())
        .oneshot(request("OPTIONS", "/data", &[("origin", "https://app.example.com")]))
        .await
        .unwrap();
    // axum answers OPTIONS on a GET/PUT route with 405; the point is that the layer did not.
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(values(&response, "access-control-allow-origin"), ["https://app.example.com"]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_wildcard_policy_answers_star_to_origins_no_browser_sends() {
    // A cache keyed on the URL would store an answer without `*` and serve it to everyone.
    let long = format!("https://{}.example", "a".repeat(400));
    let cases: [&[(&str, &str)]; 3] = [
        &[("origin", &long)],
        &[("origin", "https://a.example"), ("origin", "https://b.example")],
        &[("origin", "https://a.example"), ("origin", "https://a.example")],
    ];
    for headers in cases {
        let response = app(&PUBLIC, Arc::default()).oneshot(request("GET", "/data", headers)).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(values(&response, "access-control-allow-origin"), ["*"], "{headers:?}");
        assert_eq!(values(&response, "vary"), ["Accept-Encoding"], "{headers:?}");
        assert!(response.extensions().get::<CorsRefusal>().is_none());
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_exact_origin_policy_varies_on_malformed_origins() {
    let long = format!("https://{}.example", "a".repeat(400));
    let cases: [&[(&str, &str)]; 2] = [
        &[("origin", &long)],
        &[("origin", "https://app.example.com"), ("origin", "https://app.example.com")],
    ];
    for headers in cases {
        let response = app(&API, Arc::default()).oneshot(request("GET", "/data", headers)).await.unwrap();
        assert!(response.headers().get("access-control-allow-origin").is_none(), "{headers:?}");
        assert_eq!(values(&response, "vary"), ["Accept-Encoding", "Origin"], "{headers:?}");
        assert_eq!(
            response.extensions().get::<CorsRefusal>(),
            Some(&CorsRefusal::new(RequestKind::Actual, RefusalReason::MalformedOrigin))
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn several_request_method_lines_are_refused() {
    let calls = Arc::new(AtomicUsize::new(0));
    let preflight = request(
        "OPTIONS",
        "/data",
        &[
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "GET"),
            ("access-control-request-method", "PUT"),
        ],
    );
    let response = app(&API, calls.clone()).oneshot(preflight).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().keys().all(|name| !name.as_str().starts_with("access-control-")));
    assert_eq!(
        response.extensions().get::<CorsRefusal>(),
        Some(&CorsRefusal::new(RequestKind::Preflight, RefusalReason::MalformedMethod))
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "current_thread")]
async fn a_refusal_is_readable_from_the_response_extensions_by_an_outer_layer() {
    // An outer layer turns the refusal into a header, as a logging or metrics layer would.
    let outer = tower::util::MapResponseLayer::new(|mut response: Response<Body>| {
        if let Some(refusal) = response.extensions().get::<CorsRefusal>().copied() {
            let value = HeaderValue::from_str(&refusal.to_string()).unwrap();
            response.headers_mut().insert("x-cors-refusal", value);
            let reason = HeaderValue::from_static(refusal.reason().as_str());
            response.headers_mut().insert("x-cors-refusal-reason", reason);
        }
        response
    });
    let router = || app(&API, Arc::default()).layer(outer.clone());

    let refused = request(
        "OPTIONS",
        "/data",
        &[("origin", "https://evil.example"), ("access-control-request-method", "PUT")],
    );
    let response = router().oneshot(refused).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        values(&response, "x-cors-refusal"),
        ["preflight refused: the origin is not in allow_origins"]
    );
    assert_eq!(values(&response, "x-cors-refusal-reason"), ["origin_not_allowed"]);

    let refused = request("PUT", "/data", &[("origin", "https://evil.example")]);
    let response = router().oneshot(refused).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(values(&response, "x-cors-refusal"), ["actual refused: the origin is not in allow_origins"]);

    let refused = request(
        "OPTIONS",
        "/data",
        &[
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "x-unknown"),
        ],
    );
    let response = router().oneshot(refused).await.unwrap();
    assert_eq!(values(&response, "x-cors-refusal-reason"), ["header_not_allowed"]);

    // Allowed, and not CORS at all: no refusal.
    for headers in [&[("origin", "https://app.example.com")][..], &[]] {
        let response = router().oneshot(request("GET", "/data", headers)).await.unwrap();
        assert!(response.extensions().get::<CorsRefusal>().is_none(), "{headers:?}");
        assert!(response.headers().get("x-cors-refusal").is_none(), "{headers:?}");
    }
    let allowed = request(
        "OPTIONS",
        "/data",
        &[("origin", "https://app.example.com"), ("access-control-request-method", "PUT")],
    );
    let response = router().oneshot(allowed).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.extensions().get::<CorsRefusal>().is_none());
}

#[tokio::test(flavor = "current_thread")]
async fn a_wildcard_policy_answers_star_to_two_origin_lines_over_a_real_connection() {
    use std::future::IntoFuture;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, app(&PUBLIC, Arc::default())).into_future());
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            b"GET /data HTTP/1.1\r\nHost: api\r\nOrigin: https://a.example\r\nOrigin: https://b.example\r\n\
              Connection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    server.abort();
    let answer = answer.to_ascii_lowercase();
    assert!(answer.starts_with("http/1.1 200"), "{answer}");
    assert!(answer.contains("access-control-allow-origin: *\r\n"), "{answer}");
    assert!(!answer.contains("vary: origin"), "{answer}");
}

#[tokio::test(flavor = "current_thread")]
async fn serves_over_a_real_connection() {
    use std::future::IntoFuture;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, app(&API, Arc::default())).into_future());
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            b"OPTIONS /data HTTP/1.1\r\nHost: api\r\nOrigin: https://app.example.com\r\n\
              Access-Control-Request-Method: DELETE\r\nAccess-Control-Request-Headers: x-request-id\r\n\
              Connection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    server.abort();
    let answer = answer.to_ascii_lowercase();
    assert!(answer.starts_with("http/1.1 204"), "{answer}");
    for line in [
        "access-control-allow-origin: https://app.example.com",
        "access-control-allow-methods: delete",
        "access-control-allow-headers: x-request-id",
    ] {
        assert!(answer.contains(line), "missing `{line}` in {answer}");
    }
}

/// `HttpPolicy::preflight_response` (the `http` integration without tower) and the layer answer
/// every preflight alike: the same status and the same headers, allowed or refused for any
/// reason; only the layer made `with_refusal_extensions` adds the refusal, with its reason.
#[tokio::test(flavor = "current_thread")]
async fn the_http_integration_answers_preflights_as_the_layer_does() {
    use cors_policy_runtime::http::HttpPolicy;
    let preflight = |origin: &str, method: &str, headers: Option<&str>| {
        let mut pairs = vec![("origin", origin), ("access-control-request-method", method)];
        pairs.extend(headers.map(|h| ("access-control-request-headers", h)));
        request("OPTIONS", "/data", &pairs)
    };
    let cases = [
        ("https://app.example.com", "PUT", Some("content-type"), None),
        ("https://evil.example", "PUT", None, Some(RefusalReason::OriginNotAllowed)),
        ("https://app.example.com", "PATCH", None, Some(RefusalReason::MethodNotAllowed)),
        ("https://app.example.com", "put", None, Some(RefusalReason::MethodNotAllowed)),
        ("https://app.example.com", "PUT", Some("x-other"), Some(RefusalReason::HeaderNotAllowed)),
        ("https://app.example.com/", "PUT", None, Some(RefusalReason::OriginNotAllowed)),
    ];
    let http = HttpPolicy::new(&API);
    for (origin, method, headers, refused) in cases {
        let case = format!("{origin} {method} {headers:?}");
        let request = preflight(origin, method, headers);
        let decision = http.decide(request.method(), request.headers());
        let direct: Response<Body> = http.preflight_response(&decision);
        let plain = Router::new().route("/data", get(|| async { "ok" })).layer(API.layer());
        let layered = plain.oneshot(preflight(origin, method, headers)).await.unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let with_refusal =
            app(&API, calls.clone()).oneshot(preflight(origin, method, headers)).await.unwrap();
        let expected_status = if refused.is_some() { StatusCode::FORBIDDEN } else { StatusCode::NO_CONTENT };
        // axum adds `allow` and `content-length` to what the layer answers; the CORS headers
        // and `Vary` are compared.
        let cors = |response: &Response<Body>| {
            let mut headers: Vec<_> = response
                .headers()
                .iter()
                .filter(|(name, _)| name.as_str().starts_with("access-control-") || *name == header::VARY)
                .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_string()))
                .collect();
            headers.sort();
            headers
        };
        for response in [&direct, &layered, &with_refusal] {
            assert_eq!(response.status(), expected_status, "{case}");
            assert_eq!(cors(response), cors(&direct), "{case}");
        }
        assert_eq!(refused.is_some(), direct.headers().is_empty(), "{case}");
        assert!(direct.extensions().get::<CorsRefusal>().is_none(), "{case}");
        assert!(layered.extensions().get::<CorsRefusal>().is_none(), "{case}");
        assert_eq!(
            with_refusal.extensions().get::<CorsRefusal>().copied(),
            refused.map(|reason| CorsRefusal::new(RequestKind::Preflight, reason)),
            "{case}"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 0, "{case}");
    }
}
