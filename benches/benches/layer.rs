//! `layer`: one request through a CORS layer around a trivial application, for cors-policy
//! (`API.layer()`), tower-http's `CorsLayer` configured the same way, and a hand-written minimal
//! service (the lower bound). `ours-evaluate` is `Policy::evaluate` on the same request's
//! `HeaderMap` alone, to show how the layer's time splits between deciding and answering.
//!
//! `layer-parts` times the answering half alone: `HttpPolicy::preflight_response` and
//! `HttpPolicy::actual_headers` + `ActualHeaders::apply` for a decision made beforehand, next to
//! the hand-written service's equivalent (`Response::new` and its inserts); and the cost of one
//! `HeaderMap` lookup by a standard name (`origin`) and by the custom name
//! `access-control-request-private-network`, which `Policy::evaluate` looks up on every
//! preflight (`http` hashes a custom name byte by byte).

use std::hint::black_box;

use cors_policy_benches::{
    actual, allow_origin, app, bench_evaluate, bench_service, call_now, criterion, preflight,
    tower_http_layer, HandCors, API, APP_ORIGIN, EVIL_ORIGIN, NORMAL_ACRH,
};
use cors_policy_runtime::http::HttpDecision;
use cors_policy_runtime::http::HttpPolicy;
use criterion::{criterion_group, criterion_main, Criterion};
use http::{header, HeaderValue, Request, Response};
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

        bench_service(&mut group, name, "ours", &mut ours, &request);
        bench_service(&mut group, name, "tower-http", &mut theirs, &request);
        bench_service(&mut group, name, "hand-written", &mut hand, &request);
        bench_evaluate(&mut group, name, &API, &request);
    }
    group.finish();
}

fn layer_parts(c: &mut Criterion) {
    println!("size_of::<HttpDecision>() = {} bytes", std::mem::size_of::<HttpDecision<'static, 'static>>());
    let http_policy = HttpPolicy::new(&API);
    let mut group = c.benchmark_group("layer-parts");

    let request = preflight(APP_ORIGIN, "PUT", Some(NORMAL_ACRH));
    let headers = request.headers();
    let decision = http_policy.decide(request.method(), headers);
    assert_eq!(decision.status(), Some(204));
    group.bench_function("preflight-answer/ours", |b| {
        b.iter(|| http_policy.preflight_response::<()>(black_box(&decision)))
    });
    group.bench_function("preflight-answer/hand-written", |b| {
        b.iter(|| {
            let headers = black_box(headers);
            let mut response = Response::new(());
            let out = response.headers_mut();
            out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, headers[header::ORIGIN].clone());
            out.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
            out.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                headers[header::ACCESS_CONTROL_REQUEST_METHOD].clone(),
            );
            out.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                headers[header::ACCESS_CONTROL_REQUEST_HEADERS].clone(),
            );
            out.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
            response
        })
    });

    let request = actual(APP_ORIGIN);
    let headers = request.headers();
    let decision = http_policy.decide(request.method(), headers);
    assert!(decision.is_allowed());
    group.bench_function("actual-headers/ours", |b| {
        b.iter(|| {
            let cors = http_policy.actual_headers(black_box(&decision));
            let mut response = Response::new(());
            cors.apply(response.headers_mut());
            response
        })
    });
    group.bench_function("actual-headers/hand-written", |b| {
        b.iter(|| {
            let origin = black_box(headers)[header::ORIGIN].clone();
            let mut response = Response::new(());
            let out = response.headers_mut();
            out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            out.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
            out.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("x-request-id"));
            out.append(header::VARY, HeaderValue::from_static("Origin"));
            response
        })
    });

    let request = preflight(APP_ORIGIN, "PUT", Some(NORMAL_ACRH));
    let headers = request.headers();
    let private_network = cors_policy_runtime::http::ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK;
    group.bench_function("header-lookup/origin", |b| {
        b.iter(|| black_box(headers).get(header::ORIGIN).is_some())
    });
    group.bench_function("header-lookup/access-control-request-private-network", |b| {
        b.iter(|| black_box(headers).get(&private_network).is_some())
    });
    group.finish();
}

criterion_group! { name = benches; config = criterion(); targets = layer, layer_parts }
criterion_main!(benches);
