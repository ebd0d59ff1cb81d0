//! `origins`: an allowed actual request from the *last* of N exact origins
//! (`https://tenant-{i}.example.com`), N = 1 .. 10 000. cors-policy's policies are compiled by
//! `build.rs` (a linear scan up to 8 origins, a perfect hash table above); tower-http's
//! `AllowOrigin::list` scans a `Vec<HeaderValue>`.

use std::hint::black_box;

use cors_policy_benches::{
    actual, allow_origin, app, batch_size, call_now, criterion, generated, tenant, tower_http_layer,
};
use cors_policy_runtime::http::HttpHeaders;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use http::HeaderValue;
use tower_layer::Layer;

const SIZES: [usize; 5] = [1, 10, 100, 1000, 10_000];

fn origins(c: &mut Criterion) {
    let mut group = c.benchmark_group("origins");
    for n in SIZES {
        let policy = generated::origins(n);
        let last = tenant(n - 1);
        let request = actual(&last);
        let list = (0..n).map(|i| HeaderValue::from_str(&tenant(i)).expect("valid origin"));
        let mut ours = policy.layer().layer(app());
        let mut theirs = tower_http_layer(list).layer(app());

        assert_eq!(allow_origin(&call_now(&mut ours, request.clone())), Some(last.as_bytes()));
        assert_eq!(allow_origin(&call_now(&mut theirs, request.clone())), Some(last.as_bytes()));
        let (method, headers) = (request.method().as_str().as_bytes(), request.headers());
        assert!(policy.evaluate(method, HttpHeaders::new(headers)).is_allowed());

        group.bench_function(BenchmarkId::new("ours-evaluate", n), |b| {
            b.iter(|| {
                let decision = policy.evaluate(black_box(method), black_box(HttpHeaders::new(headers)));
                (decision.is_allowed(), decision.header_count())
            })
        });
        group.bench_function(BenchmarkId::new("ours-layer", n), |b| {
            b.iter_batched(|| request.clone(), |r| call_now(&mut ours, r), batch_size())
        });
        group.bench_function(BenchmarkId::new("tower-http-layer", n), |b| {
            b.iter_batched(|| request.clone(), |r| call_now(&mut theirs, r), batch_size())
        });
    }
    group.finish();
}

criterion_group! { name = benches; config = criterion(); targets = origins }
criterion_main!(benches);
