//! `protect_writes` through the tower layer in an axum router: a cross-origin write that no
//! trusted origin sent is refused with 403 before the handler runs, with the reason in the
//! response extensions; everything the algorithm lets pass reaches the handler.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::post;
use axum::Router;
use cors_policy_runtime::write_protection::WriteRefusal;
use cors_policy_runtime::{cors_policy, Policy};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT],
    allow_credentials: true,
    protect_writes: true,
    write_origins: ["https://billing.example.com"],
    write_exempt_paths: ["/webhooks/*"],
};

fn app(calls: Arc<AtomicUsize>) -> Router {
    let handler = move || {
        let calls = calls.clone();
        async move {
            calls.fetch_add(1, Ordering::SeqCst);
            "done"
        }
    };
    Router::new()
        .route("/transfer", post(handler.clone()).put(handler.clone()).get(handler.clone()))
        .route("/webhooks/stripe", post(handler))
        .layer(API.layer().with_refusal_extensions())
}

/// Sends `method uri` with `headers`; returns the status, the refusal and how many times the
/// handler ran.
async fn send(
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, Option<WriteRefusal>, usize) {
    let calls = Arc::new(AtomicUsize::new(0));
    let mut request = Request::builder().method(method).uri(uri).header("host", "api.example.com");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app(calls.clone()).oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    (response.status(), response.extensions().get::<WriteRefusal>().copied(), calls.load(Ordering::SeqCst))
}

#[tokio::test]
async fn a_cross_site_form_post_never_reaches_the_handler() {
    let form = [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    assert_eq!(
        send("POST", "/transfer", &form).await,
        (StatusCode::FORBIDDEN, Some(WriteRefusal::CrossSite), 0)
    );
    let sibling = [("origin", "https://blog.example.com"), ("sec-fetch-site", "same-site")];
    assert_eq!(
        send("PUT", "/transfer", &sibling).await,
        (StatusCode::FORBIDDEN, Some(WriteRefusal::SameSite), 0)
    );
    // An old browser: no Fetch Metadata, an Origin that is not this host.
    let old = [("origin", "https://evil.example")];
    assert_eq!(
        send("POST", "/transfer", &old).await,
        (StatusCode::FORBIDDEN, Some(WriteRefusal::OriginNotHost), 0)
    );
    let null = [("origin", "null")];
    assert_eq!(
        send("POST", "/transfer", &null).await,
        (StatusCode::FORBIDDEN, Some(WriteRefusal::NullOrigin), 0)
    );
    let twice = [
        ("origin", "https://app.example.com"),
        ("sec-fetch-site", "same-origin"),
        ("sec-fetch-site", "cross-site"),
    ];
    assert_eq!(send("POST", "/transfer", &twice).await.1, None, "a trusted origin passes first");
    let twice = [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "same-origin"),
        ("sec-fetch-site", "cross-site"),
    ];
    assert_eq!(
        send("POST", "/transfer", &twice).await,
        (StatusCode::FORBIDDEN, Some(WriteRefusal::InvalidFetchSite), 0)
    );
}

#[tokio::test]
async fn trusted_same_origin_and_non_browser_writes_reach_the_handler() {
    for headers in [
        &[("origin", "https://app.example.com"), ("sec-fetch-site", "cross-site")][..],
        &[("origin", "https://billing.example.com"), ("sec-fetch-site", "cross-site")],
        &[("origin", "https://api.example.com"), ("sec-fetch-site", "same-origin")],
        &[("sec-fetch-site", "none")],
        &[],
        &[("origin", "https://api.example.com")],
    ] {
        let (status, refusal, calls) = send("POST", "/transfer", headers).await;
        assert_eq!((refusal, calls), (None, 1), "{headers:?}: {status}");
    }
    // Safe methods and exempt paths are not checked.
    let evil = [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")];
    assert_eq!(send("GET", "/transfer", &evil).await.2, 1);
    assert_eq!(send("POST", "/webhooks/stripe", &evil).await.2, 1);
}

/// A request with more header lines than the one-pass scan reads (24) is decided the same way,
/// by name lookups.
#[tokio::test]
async fn a_large_header_map_is_decided_the_same() {
    let fillers: Vec<(String, &str)> = (0..30).map(|i| (format!("x-filler-{i}"), "1")).collect();
    let mut refused: Vec<(&str, &str)> = fillers.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    refused.extend([("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")]);
    assert_eq!(
        send("POST", "/transfer", &refused).await,
        (StatusCode::FORBIDDEN, Some(WriteRefusal::CrossSite), 0)
    );
    let mut twice = refused.clone();
    twice.pop();
    twice.extend([("sec-fetch-site", "same-origin"), ("sec-fetch-site", "same-origin")]);
    assert_eq!(
        send("POST", "/transfer", &twice).await,
        (StatusCode::FORBIDDEN, Some(WriteRefusal::InvalidFetchSite), 0)
    );
    let mut own: Vec<(&str, &str)> = fillers.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    own.extend([("origin", "https://api.example.com")]);
    assert_eq!(send("POST", "/transfer", &own).await, (StatusCode::OK, None, 1));
}
