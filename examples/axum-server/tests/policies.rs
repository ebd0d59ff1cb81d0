//! The example's two policies, through its real router.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

fn request(method: &str, uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn the_yaml_policy_from_build_rs_answers_preflights() {
    let allowed = request(
        "OPTIONS",
        "/app/profile",
        &[("origin", "https://pr-17.preview.example.com"), ("access-control-request-method", "PUT")],
    );
    let response = axum_server::app().oneshot(allowed).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.headers()["access-control-allow-origin"], "https://pr-17.preview.example.com");
    assert_eq!(response.headers()["access-control-allow-credentials"], "true");

    let refused = request(
        "OPTIONS",
        "/app/profile",
        &[("origin", "https://evil.example"), ("access-control-request-method", "PUT")],
    );
    assert_eq!(axum_server::app().oneshot(refused).await.unwrap().status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "current_thread")]
async fn the_inline_policy_serves_every_origin_without_credentials() {
    let response = axum_server::app()
        .oneshot(request("GET", "/public/status", &[("origin", "https://anyone.example")]))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert!(response.headers().get("access-control-allow-credentials").is_none());
}
