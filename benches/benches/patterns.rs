//! `patterns`: allowed and refused actual requests through the layer for a subdomain pattern
//! (`https://*.example.com`) and a regex (`^https://pr-[0-9]+\.preview\.example\.com$`).
//!
//! tower-http has neither, so its equivalents are `AllowOrigin::predicate`s: `starts_with` +
//! `ends_with` for the pattern (laxer than ours, which also checks the labels before the
//! suffix), and the `regex` crate's `bytes::Regex` for the regex.

use std::hint::black_box;

use cors_policy_benches::{
    actual, allow_origin, app, batch_size, call_now, criterion, tower_http_with, PREVIEWS, SUBDOMAINS,
};
use cors_policy_runtime::Policy;
use criterion::{criterion_group, criterion_main, Criterion};
use tower_http::cors::AllowOrigin;
use tower_layer::Layer;

fn subdomain_predicate() -> AllowOrigin {
    AllowOrigin::predicate(|origin, _| {
        let origin = origin.as_bytes();
        origin.starts_with(b"https://")
            && origin.len() > b"https://.example.com".len()
            && origin.ends_with(b".example.com")
    })
}

fn regex_predicate() -> AllowOrigin {
    let regex = regex::bytes::Regex::new(r"^https://pr-[0-9]+\.preview\.example\.com$").expect("valid regex");
    AllowOrigin::predicate(move |origin, _| regex.is_match(origin.as_bytes()))
}

/// Name, our policy, tower-http's equivalent, the request's origin, allowed.
type Case = (&'static str, &'static Policy<'static>, fn() -> AllowOrigin, &'static str, bool);

fn patterns(c: &mut Criterion) {
    let cases: [Case; 4] = [
        ("subdomain-hit", &SUBDOMAINS, subdomain_predicate, "https://tenant-42.example.com", true),
        ("subdomain-miss", &SUBDOMAINS, subdomain_predicate, "https://example.com.evil.net", false),
        ("regex-hit", &PREVIEWS, regex_predicate, "https://pr-12345.preview.example.com", true),
        ("regex-miss", &PREVIEWS, regex_predicate, "https://pr-12345.preview.example.com.evil.net", false),
    ];
    let mut group = c.benchmark_group("patterns");
    for (name, policy, predicate, origin, allowed) in cases {
        let request = actual(origin);
        let mut ours = policy.layer().layer(app());
        let mut theirs = tower_http_with(predicate()).layer(app());
        let expected = allowed.then_some(origin.as_bytes());
        assert_eq!(allow_origin(&call_now(&mut ours, request.clone())), expected, "ours, {name}");
        assert_eq!(allow_origin(&call_now(&mut theirs, request.clone())), expected, "tower-http, {name}");

        group.bench_function(format!("{name}/ours"), |b| {
            b.iter_batched(|| request.clone(), |r| call_now(&mut ours, r), batch_size())
        });
        group.bench_function(format!("{name}/tower-http"), |b| {
            b.iter_batched(|| request.clone(), |r| call_now(&mut theirs, r), batch_size())
        });
        let (method, headers) = (request.method().as_str().as_bytes(), request.headers());
        group.bench_function(format!("{name}/ours-evaluate"), |b| {
            b.iter(|| {
                let decision = policy.evaluate(black_box(method), black_box(headers));
                (decision.is_allowed(), decision.headers().len())
            })
        });
    }
    group.finish();
}

criterion_group! { name = benches; config = criterion(); targets = patterns }
criterion_main!(benches);
