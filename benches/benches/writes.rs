//! `writes`: what `protect_writes` costs a request through the layer, next to the same policy
//! without it, in the same run.
//!
//! * `post-same-origin`: a write the guard lets through (`Sec-Fetch-Site: same-origin`);
//! * `post-trusted-cross-site`: a cross-site write from an origin of `allow_origins`;
//! * `post-refused`: a cross-site form POST, refused with 403 before the application;
//! * `get`: a safe method, which the guard passes first.

use cors_policy_benches::{app, bench_service, criterion, APP_ORIGIN, EVIL_ORIGIN};
use cors_policy_runtime::{cors_policy, Policy};
use criterion::{criterion_group, criterion_main, Criterion};
use http::{Method, Request};
use tower_layer::Layer;

static GUARDED: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT, DELETE],
    allow_credentials: true,
    protect_writes: true,
};

static UNGUARDED: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT, DELETE],
    allow_credentials: true,
};

fn request(method: Method, origin: &str, site: &str) -> Request<()> {
    Request::builder()
        .method(method)
        .uri("/transfer")
        .header(http::header::HOST, "api.example.com")
        .header(http::header::ORIGIN, origin)
        .header("sec-fetch-site", site)
        .body(())
        .expect("valid request")
}

fn writes(c: &mut Criterion) {
    let mut group = c.benchmark_group("writes");
    let cases = [
        ("post-same-origin", request(Method::POST, "https://api.example.com", "same-origin")),
        ("post-trusted-cross-site", request(Method::POST, APP_ORIGIN, "cross-site")),
        ("post-refused", request(Method::POST, EVIL_ORIGIN, "cross-site")),
        ("get", request(Method::GET, EVIL_ORIGIN, "cross-site")),
    ];
    for (name, request) in &cases {
        bench_service(&mut group, name, "protect-writes", &mut GUARDED.layer().layer(app()), request);
        bench_service(&mut group, name, "no-guard", &mut UNGUARDED.layer().layer(app()), request);
    }
    group.finish();
}

criterion_group! { name = benches; config = criterion(); targets = writes }
criterion_main!(benches);
