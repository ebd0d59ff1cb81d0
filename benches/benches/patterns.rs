//! `patterns`: allowed and refused actual requests through the layer for a subdomain pattern
//! (`https://*.example.com`) and a regex (`^https://pr-[0-9]+\.preview\.example\.com$`).
//!
//! tower-http has neither, so its equivalents are `AllowOrigin::predicate`s: `starts_with` +
//! `ends_with` for the pattern (laxer than ours, which also checks the labels before the
//! suffix), and the `regex` crate's `bytes::Regex` for the regex. The hand-written service
//! (the lower bound) checks the origin with `hand_subdomain` (as lax as tower-http's predicate)
//! and `hand_preview` (prefix, digits, suffix).

use cors_policy_benches::{
    actual, allow_origin, app, bench_evaluate, bench_service, call_now, criterion, hand_preview,
    hand_subdomain, tower_http_previews, tower_http_subdomains, tower_http_with, HandCors, PREVIEWS,
    SUBDOMAINS,
};
use cors_policy_runtime::Policy;
use criterion::{criterion_group, criterion_main, Criterion};
use tower_http::cors::AllowOrigin;
use tower_layer::Layer;

/// Name, our policy, tower-http's equivalent, the request's origin, allowed.
type Case =
    (&'static str, &'static Policy<'static>, fn() -> AllowOrigin, fn(&[u8]) -> bool, &'static str, bool);

fn patterns(c: &mut Criterion) {
    let cases: [Case; 4] = [
        (
            "subdomain-hit",
            &SUBDOMAINS,
            tower_http_subdomains,
            hand_subdomain,
            "https://tenant-42.example.com",
            true,
        ),
        (
            "subdomain-miss",
            &SUBDOMAINS,
            tower_http_subdomains,
            hand_subdomain,
            "https://example.com.evil.net",
            false,
        ),
        (
            "regex-hit",
            &PREVIEWS,
            tower_http_previews,
            hand_preview,
            "https://pr-12345.preview.example.com",
            true,
        ),
        (
            "regex-miss",
            &PREVIEWS,
            tower_http_previews,
            hand_preview,
            "https://pr-12345.preview.example.com.evil.net",
            false,
        ),
    ];
    let mut group = c.benchmark_group("patterns");
    for (name, policy, predicate, hand_check, origin, allowed) in cases {
        let request = actual(origin);
        let mut ours = policy.layer().layer(app());
        let mut theirs = tower_http_with(predicate()).layer(app());
        let mut hand = HandCors::with_origins(app(), hand_check);
        let expected = allowed.then_some(origin.as_bytes());
        assert_eq!(allow_origin(&call_now(&mut ours, request.clone())), expected, "ours, {name}");
        assert_eq!(allow_origin(&call_now(&mut theirs, request.clone())), expected, "tower-http, {name}");
        assert_eq!(allow_origin(&call_now(&mut hand, request.clone())), expected, "hand, {name}");

        bench_service(&mut group, name, "ours", &mut ours, &request);
        bench_service(&mut group, name, "tower-http", &mut theirs, &request);
        bench_service(&mut group, name, "hand-written", &mut hand, &request);
        bench_evaluate(&mut group, name, policy, &request);
    }
    group.finish();
}

criterion_group! { name = benches; config = criterion(); targets = patterns }
criterion_main!(benches);
