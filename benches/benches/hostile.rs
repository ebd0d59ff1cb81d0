//! `hostile`: preflights whose `Access-Control-Request-Headers` is built to cost work, against a
//! normal preflight (`content-type,x-request-id`), through cors-policy's layer, through
//! tower-http's, and `Policy::evaluate` alone.
//!
//! tower-http does not parse `Access-Control-Request-Headers` at all with a listed
//! `allow_headers` (it answers its static list whatever was asked), so its times only show
//! what carrying a large header costs.
//!
//! * `commas-100k`: 102 400 commas (beyond the 4096-byte budget: refused before parsing);
//! * `names-10k`: `x-h0,x-h1,...,x-h9999` (78 889 bytes; also beyond the byte budget);
//! * `commas-4k`: 4096 commas, the most bytes within the budget (refused at the 17th empty
//!   element);
//! * `names-4k`: `x-h0,...` up to 4096 bytes, 601 names within the byte budget (refused
//!   at the 65th name; none is allowed, so at the first in fact);
//! * `allowed-64`: 64 allowed names (`content-type,x-request-id` 32 times, 831 bytes), the most
//!   work an *accepted* preflight can take.

use cors_policy_benches::{
    app, bench_evaluate, bench_service, call_now, criterion, preflight, tower_http_layer, API, APP_ORIGIN,
    NORMAL_ACRH,
};
use criterion::{criterion_group, criterion_main, Criterion};
use http::{HeaderValue, StatusCode};
use tower_layer::Layer;

fn names_up_to(max_bytes: usize) -> String {
    let mut out = String::new();
    for i in 0.. {
        let name = format!("x-h{i}");
        let extra = name.len() + usize::from(!out.is_empty());
        if out.len() + extra > max_bytes {
            break;
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&name);
    }
    out
}

fn hostile(c: &mut Criterion) {
    let names_10k: Vec<String> = (0..10_000).map(|i| format!("x-h{i}")).collect();
    let allowed_64 = vec![NORMAL_ACRH; 32].join(",");
    let cases: [(&str, String, StatusCode); 6] = [
        ("normal", NORMAL_ACRH.to_owned(), StatusCode::NO_CONTENT),
        ("commas-100k", ",".repeat(100 * 1024), StatusCode::FORBIDDEN),
        ("names-10k", names_10k.join(","), StatusCode::FORBIDDEN),
        ("commas-4k", ",".repeat(4096), StatusCode::FORBIDDEN),
        ("names-4k", names_up_to(4096), StatusCode::FORBIDDEN),
        ("allowed-64", allowed_64, StatusCode::NO_CONTENT),
    ];
    let mut ours = API.layer().layer(app());
    let mut theirs = tower_http_layer([HeaderValue::from_static(APP_ORIGIN)]).layer(app());

    let mut group = c.benchmark_group("hostile");
    for (name, acrh, status) in cases {
        let request = preflight(APP_ORIGIN, "PUT", Some(&acrh));
        assert_eq!(
            call_now(&mut ours, request.clone()).status(),
            status,
            "ours, {name} ({} bytes)",
            acrh.len()
        );
        assert_eq!(call_now(&mut theirs, request.clone()).status(), StatusCode::OK, "tower-http, {name}");

        bench_service(&mut group, name, "ours", &mut ours, &request);
        bench_service(&mut group, name, "tower-http", &mut theirs, &request);
        bench_evaluate(&mut group, name, &API, &request);
    }
    group.finish();
}

criterion_group! { name = benches; config = criterion(); targets = hostile }
criterion_main!(benches);
