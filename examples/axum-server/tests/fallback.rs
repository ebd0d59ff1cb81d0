//! Which policy answers for paths no route serves: `app()` is `public.merge(app)`, neither with
//! a fallback, so axum uses the merged-in router's default fallback, wrapped in its layer: the
//! credentialed APP policy from cors.yaml, not the public `*` one.

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
async fn unknown_paths_get_the_app_policy() {
    let response = axum_server::app()
        .oneshot(request("GET", "/nowhere", &[("origin", "https://app.example.com")]))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()["access-control-allow-origin"], "https://app.example.com");
    assert_eq!(response.headers()["access-control-allow-credentials"], "true");

    // Not `*`: an origin APP does not list gets no CORS header at all.
    let response = axum_server::app()
        .oneshot(request("GET", "/nowhere", &[("origin", "https://anyone.example")]))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers().get("access-control-allow-origin").is_none());
    assert_eq!(response.headers()["vary"], "Origin");

    // A preflight to such a path is answered by APP as well.
    let preflight = request(
        "OPTIONS",
        "/nowhere",
        &[("origin", "https://app.example.com"), ("access-control-request-method", "DELETE")],
    );
    let response = axum_server::app().oneshot(preflight).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.headers()["access-control-allow-methods"], "DELETE");
}
