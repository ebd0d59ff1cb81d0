//! Per-route policies in axum: `route_layer`, `nest`, an outer policy over nested routers, and
//! the fallback of merged routers. What the README's "Per-route policies" section states, each
//! asserted with real requests through `tower::ServiceExt::oneshot`.

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use axum::middleware;
use axum::routing::{delete, get, put};
use axum::Router;
use cors_policy_runtime::{cors_policy, Policy};
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

/// The web app's policy.
static APP: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT],
    allow_credentials: true,
};

/// The admin console's policy: another origin, another method.
static ADMIN: Policy = cors_policy! {
    allow_origins: ["https://admin.example.com"],
    allow_methods: [DELETE],
    allow_credentials: true,
};

/// A public API: any origin, no credentials.
static PUBLIC: Policy = cors_policy! {
    allow_origins: ["*"],
    allow_methods: [PUT],
};

const APP_ORIGIN: &str = "https://app.example.com";
const ADMIN_ORIGIN: &str = "https://admin.example.com";

fn preflight(uri: &str, origin: &str, method: &str) -> Request<Body> {
    Request::builder()
        .method("OPTIONS")
        .uri(uri)
        .header("origin", origin)
        .header("access-control-request-method", method)
        .body(Body::empty())
        .unwrap()
}

fn actual(method: &str, uri: &str, origin: &str) -> Request<Body> {
    Request::builder().method(method).uri(uri).header("origin", origin).body(Body::empty()).unwrap()
}

fn values(response: &Response<Body>, name: &str) -> Vec<String> {
    response.headers().get_all(name).iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

fn allow_origin(response: &Response<Body>) -> Vec<String> {
    values(response, "access-control-allow-origin")
}

async fn send(router: &Router, request: Request<Body>) -> Response<Body> {
    router.clone().oneshot(request).await.unwrap()
}

fn items() -> Router {
    Router::new().route("/items", put(|| async { "stored" }))
}

fn users() -> Router {
    Router::new().route("/users", delete(|| async { "deleted" }))
}

#[tokio::test(flavor = "current_thread")]
async fn router_route_layer_gives_each_route_its_own_policy() {
    let router =
        Router::new().merge(items().route_layer(APP.layer())).merge(users().route_layer(ADMIN.layer()));

    let response = send(&router, preflight("/items", APP_ORIGIN, "PUT")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(allow_origin(&response), [APP_ORIGIN]);
    let response = send(&router, preflight("/items", ADMIN_ORIGIN, "DELETE")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let response = send(&router, preflight("/users", ADMIN_ORIGIN, "DELETE")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(allow_origin(&response), [ADMIN_ORIGIN]);
    let response = send(&router, preflight("/users", APP_ORIGIN, "PUT")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let response = send(&router, actual("PUT", "/items", APP_ORIGIN)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(allow_origin(&response), [APP_ORIGIN]);
    let response = send(&router, actual("DELETE", "/users", APP_ORIGIN)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(allow_origin(&response).is_empty());
    assert_eq!(values(&response, "vary"), ["Origin"]);

    // A method the route does not serve: axum's 405, still under the route's policy.
    let response = send(&router, actual("GET", "/items", APP_ORIGIN)).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(allow_origin(&response), [APP_ORIGIN]);
}

#[tokio::test(flavor = "current_thread")]
async fn router_route_layer_leaves_unknown_paths_without_cors() {
    let router = items().route_layer(APP.layer());
    let response = send(&router, preflight("/nowhere", APP_ORIGIN, "PUT")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers().is_empty(), "{:?}", response.headers());
    let response = send(&router, actual("GET", "/nowhere", APP_ORIGIN)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers().is_empty(), "{:?}", response.headers());
}

#[tokio::test(flavor = "current_thread")]
async fn on_one_method_router_layer_answers_preflights_and_route_layer_does_not() {
    // `put(..).layer(..)` wraps the method router's fallback too, which gets the OPTIONS.
    let router = Router::new().route("/items", put(|| async { "stored" }).layer(APP.layer()));
    let response = send(&router, preflight("/items", APP_ORIGIN, "PUT")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(allow_origin(&response), [APP_ORIGIN]);

    // `put(..).route_layer(..)` wraps the PUT handler only: the preflight (an OPTIONS) is
    // axum's 405, with no CORS header, and the browser never sends the PUT.
    let router = Router::new().route("/items", put(|| async { "stored" }).route_layer(APP.layer()));
    let response = send(&router, preflight("/items", APP_ORIGIN, "PUT")).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(allow_origin(&response).is_empty());
    let response = send(&router, actual("PUT", "/items", APP_ORIGIN)).await;
    assert_eq!(allow_origin(&response), [APP_ORIGIN]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_nested_router_keeps_its_own_policy() {
    let router = items().layer(APP.layer()).nest("/admin", users().layer(ADMIN.layer()));

    let response = send(&router, preflight("/admin/users", ADMIN_ORIGIN, "DELETE")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(allow_origin(&response), [ADMIN_ORIGIN]);
    assert_eq!(values(&response, "access-control-allow-methods"), ["DELETE"]);
    let response = send(&router, preflight("/admin/users", APP_ORIGIN, "PUT")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = send(&router, actual("DELETE", "/admin/users", ADMIN_ORIGIN)).await;
    assert_eq!(allow_origin(&response), [ADMIN_ORIGIN]);

    // `.layer` before `.nest`: the outer router's own routes only.
    let response = send(&router, preflight("/items", APP_ORIGIN, "PUT")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = send(&router, preflight("/items", ADMIN_ORIGIN, "DELETE")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "current_thread")]
async fn an_outer_policy_answers_the_preflights_of_nested_routers() {
    static SEEN_BY_ADMIN: AtomicUsize = AtomicUsize::new(0);
    let admin = users()
        .layer(ADMIN.layer())
        // Outside ADMIN's layer: counts the requests that reach the nested router's policy.
        .layer(middleware::map_request(|request: Request<Body>| async move {
            SEEN_BY_ADMIN.fetch_add(1, Ordering::SeqCst);
            request
        }));
    // `.layer` after `.nest`: APP's layer wraps the nested routes too, outside their own.
    let router = items().nest("/admin", admin).layer(APP.layer());

    // ADMIN would allow this preflight; APP refuses it first.
    let response = send(&router, preflight("/admin/users", ADMIN_ORIGIN, "DELETE")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // ADMIN would refuse this one (another origin, another method); APP allows it.
    let response = send(&router, preflight("/admin/users", APP_ORIGIN, "PUT")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(allow_origin(&response), [APP_ORIGIN]);
    assert_eq!(values(&response, "access-control-allow-methods"), ["PUT"]);
    assert_eq!(SEEN_BY_ADMIN.load(Ordering::SeqCst), 0, "a preflight reached the nested router");

    // Actual requests go through both layers, and the outer policy answers alone: APP
    // refuses ADMIN's origin, so ADMIN's headers are removed, as APP refused its preflight.
    let response = send(&router, actual("DELETE", "/admin/users", ADMIN_ORIGIN)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(allow_origin(&response).is_empty(), "{:?}", response.headers());
    assert!(values(&response, "access-control-allow-credentials").is_empty());
    assert_eq!(SEEN_BY_ADMIN.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn stacked_policies_answer_actual_requests_with_the_outer_policy_alone() {
    // PUBLIC (`*`, no credentials) over APP (credentials): the outer policy's answer replaces
    // the inner one's, credentials header included, so the two never merge into `*` with
    // credentials (which browsers reject).
    let router = Router::new().nest("/app", items().layer(APP.layer())).layer(PUBLIC.layer());
    let response = send(&router, actual("PUT", "/app/items", APP_ORIGIN)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(allow_origin(&response), ["*"]);
    assert!(values(&response, "access-control-allow-credentials").is_empty(), "{:?}", response.headers());
    assert_eq!(values(&response, "vary"), ["Origin"]);
    // The preflight is PUBLIC's alone.
    let response = send(&router, preflight("/app/items", APP_ORIGIN, "PUT")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(allow_origin(&response), ["*"]);
    assert!(values(&response, "access-control-allow-credentials").is_empty());
}

fn public() -> Router {
    Router::new().route("/public/status", get(|| async { "up" })).layer(PUBLIC.layer())
}

fn app() -> Router {
    Router::new().route("/app/profile", get(|| async { "{}" })).layer(APP.layer())
}

#[tokio::test(flavor = "current_thread")]
async fn the_default_fallback_of_a_merge_is_the_merged_routers_with_its_policy() {
    // `a.merge(b)`, neither with a fallback: unknown paths get b's (axum's 404, with b's layers).
    let router = public().merge(app());
    let response = send(&router, actual("GET", "/nowhere", APP_ORIGIN)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(allow_origin(&response), [APP_ORIGIN]);
    assert_eq!(values(&response, "access-control-allow-credentials"), ["true"]);
    assert_eq!(values(&response, "vary"), ["Origin"]);
    // A preflight for a path no route serves is answered by that policy too.
    let response = send(&router, preflight("/nowhere", APP_ORIGIN, "PUT")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(allow_origin(&response), [APP_ORIGIN]);

    let router = app().merge(public());
    let response = send(&router, actual("GET", "/nowhere", APP_ORIGIN)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(allow_origin(&response), ["*"]);
    assert!(values(&response, "access-control-allow-credentials").is_empty());
    let response = send(&router, preflight("/nowhere", "https://anyone.example", "PUT")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(allow_origin(&response), ["*"]);

    // The routes keep their own policies either way.
    let response = send(&router, actual("GET", "/app/profile", APP_ORIGIN)).await;
    assert_eq!(values(&response, "access-control-allow-credentials"), ["true"]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_custom_fallback_keeps_the_policy_of_the_router_it_was_set_on() {
    let app_with_fallback = || {
        Router::new()
            .route("/app/profile", get(|| async { "{}" }))
            .fallback(|| async { (StatusCode::NOT_FOUND, "no such page") })
            .layer(APP.layer())
    };
    for router in [public().merge(app_with_fallback()), app_with_fallback().merge(public())] {
        let response = send(&router, actual("GET", "/nowhere", APP_ORIGIN)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(allow_origin(&response), [APP_ORIGIN]);
        let response = send(&router, actual("GET", "/nowhere", "https://anyone.example")).await;
        assert!(allow_origin(&response).is_empty());
        assert_eq!(values(&response, "vary"), ["Origin"]);
    }
}
