//! `layer`: one request through a CORS layer around a trivial application, for cors-policy
//! (`API.layer()`), tower-http's `CorsLayer` configured the same way, and a hand-written minimal
//! service (the lower bound). `ours-evaluate` is `Policy::evaluate` on the same request's
//! `HeaderMap` alone, to show how the layer's time splits between deciding and answering.

use std::hint::black_box;

use cors_policy_benches::{
    actual, allow_origin, app, call_now, criterion, preflight, tower_http_layer, HandCors, API, APP_ORIGIN,
    EVIL_ORIGIN, NORMAL_ACRH,
};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use http::{HeaderValue, Request};
use tower_layer::Layer;

fn layer(c: &mut Criterion) {
    let cases: [(&str, Request<()>, bool); 4] = [
        ("preflight-allowed", preflight(APP_ORIGIN, "PUT", Some(NORMAL_ACRH)), true),
        ("actual-allowed", actual(APP_ORIGIN), true),
        ("actual-refused", actual(EVIL_ORIGIN), false),
        ("preflight-refused", preflight(EVIL_ORIGIN, "PUT", Some(NORMAL_ACRH)), false),
    ];
    let mut ours = API.layer().layer(app());
    let mut theirs = tower_http_layer([HeaderValue::from_static(APP_ORIGIN)]).layer(app());
    let mut hand = HandCors::new(app());

    let mut group = c.benchmark_group("layer");
    for (name, request, allowed) in cases {
        // The three must agree on the outcome before their times are compared.
        let expected = allowed.then_some(APP_ORIGIN.as_bytes());
        assert_eq!(allow_origin(&call_now(&mut ours, request.clone())), expected, "ours, {name}");
        assert_eq!(allow_origin(&call_now(&mut theirs, request.clone())), expected, "tower-http, {name}");
        assert_eq!(allow_origin(&call_now(&mut hand, request.clone())), expected, "hand, {name}");

        group.bench_function(format!("{name}/ours"), |b| {
            b.iter_batched(|| request.clone(), |r| call_now(&mut ours, r), BatchSize::SmallInput)
        });
        group.bench_function(format!("{name}/tower-http"), |b| {
            b.iter_batched(|| request.clone(), |r| call_now(&mut theirs, r), BatchSize::SmallInput)
        });
        group.bench_function(format!("{name}/hand-written"), |b| {
            b.iter_batched(|| request.clone(), |r| call_now(&mut hand, r), BatchSize::SmallInput)
        });
        let (method, headers) = (request.method().as_str().as_bytes(), request.headers());
        group.bench_function(format!("{name}/ours-evaluate"), |b| {
            b.iter(|| {
                let decision = API.evaluate(black_box(method), black_box(headers));
                (decision.status(), decision.headers().len())
            })
        });
    }
    group.finish();
}

criterion_group! { name = benches; config = criterion(); targets = layer }
criterion_main!(benches);
