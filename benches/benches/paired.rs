//! Ratios between implementations measured side by side in time, for machines whose speed
//! drifts: `cargo bench -p cors-policy-benches --bench paired [-- ROUNDS [CASE [BLOCK]]]` (only
//! the cases whose name starts with `CASE`, for a profiler; `BLOCK` calls per block instead of
//! [`BLOCK`]). Not a criterion group: criterion times one implementation after the other,
//! which is what this avoids.
//!
//! criterion runs one implementation for seconds, then the next. On a machine that slows down
//! in phases of seconds (a neighbour on the same physical core, invisible as steal time), two
//! implementations then run at different speeds, and their ratio moves by more than the 20% a
//! target asks about. Here every round times a block of [`BLOCK`] calls of each
//! implementation, one right after the other (a few microseconds apart, in an order that
//! rotates), and the ratio is taken within the round: a phase slows both sides of it alike.
//! The report is the median ratio over the rounds and its quartiles, next to each
//! implementation's median time per call.
//!
//! Each call is what the criterion groups time (`poll_ready`, `call`, one poll, dropping the
//! request): the requests are cloned before a block, the responses dropped after it.

use std::time::Instant;

use cors_policy_benches::{
    actual, allow_origin, app, call_now, hand_preview, hand_subdomain, preflight, tower_http_layer,
    tower_http_previews, tower_http_subdomains, tower_http_with, with_browser_headers, HandCors, API,
    APP_ORIGIN, EVIL_ORIGIN, NORMAL_ACRH, PREVIEWS, SUBDOMAINS,
};
use http::{HeaderValue, Request, Response};
use tower_layer::Layer;
use tower_service::Service;

/// Calls per implementation and round: long enough for the clock (about 25 ns per read), short
/// enough that a round sits within one phase of the machine. The third argument sets another
/// length; BENCHMARKS.md (issue 11, eleventh round) compares 8 to 1 024.
const BLOCK: usize = 32;

/// One implementation of a case: a service behind a boxed call.
struct Side {
    name: &'static str,
    /// The size of the service's future, which every call moves.
    future_size: usize,
    call: Box<dyn FnMut(Request<()>) -> Response<()>>,
    /// Time per call of each round, in nanoseconds.
    times: Vec<f64>,
}

fn side<S>(name: &'static str, mut service: S) -> Side
where
    S: Service<Request<()>, Response = Response<()>> + 'static,
    S::Error: core::fmt::Debug,
{
    let future_size = size_of::<S::Future>();
    Side {
        name,
        future_size,
        call: Box::new(move |request| call_now(&mut service, request)),
        times: Vec::new(),
    }
}

/// The cases of the `layer` and `patterns` groups, each with ours, tower-http's and the
/// hand-written service, and the origin each must allow (or not).
fn cases() -> Vec<(&'static str, Request<()>, bool, [Side; 3])> {
    let exact = || {
        [
            side("ours", API.layer().layer(app())),
            side("tower-http", tower_http_layer([HeaderValue::from_static(APP_ORIGIN)]).layer(app())),
            side("hand-written", HandCors::new(app())),
        ]
    };
    let subdomains = || {
        [
            side("ours", SUBDOMAINS.layer().layer(app())),
            side("tower-http", tower_http_with(tower_http_subdomains()).layer(app())),
            side("hand-written", HandCors::with_origins(app(), hand_subdomain)),
        ]
    };
    let previews = || {
        [
            side("ours", PREVIEWS.layer().layer(app())),
            side("tower-http", tower_http_with(tower_http_previews()).layer(app())),
            side("hand-written", HandCors::with_origins(app(), hand_preview)),
        ]
    };
    vec![
        ("preflight-allowed", preflight(APP_ORIGIN, "PUT", Some(NORMAL_ACRH)), true, exact()),
        (
            "preflight-browser",
            with_browser_headers(preflight(APP_ORIGIN, "PUT", Some(NORMAL_ACRH))),
            true,
            exact(),
        ),
        // The most work an accepted preflight can take (the `hostile` group's `allowed-64`).
        (
            "preflight-64-names",
            preflight(APP_ORIGIN, "PUT", Some(&vec![NORMAL_ACRH; 32].join(","))),
            true,
            exact(),
        ),
        ("actual-allowed", actual(APP_ORIGIN), true, exact()),
        ("actual-refused", actual(EVIL_ORIGIN), false, exact()),
        ("preflight-refused", preflight(EVIL_ORIGIN, "PUT", Some(NORMAL_ACRH)), false, exact()),
        ("subdomain-hit", actual("https://tenant-42.example.com"), true, subdomains()),
        ("subdomain-miss", actual("https://example.com.evil.net"), false, subdomains()),
        ("regex-hit", actual("https://pr-12345.preview.example.com"), true, previews()),
        ("regex-miss", actual("https://pr-12345.preview.example.com.evil.net"), false, previews()),
    ]
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing else.
    let args: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).collect();
    let rounds: usize = args.first().map_or(20_000, |n| n.parse().expect("ROUNDS is a number"));
    let only = args.get(1).cloned().unwrap_or_default();
    let block: usize = args.get(2).map_or(BLOCK, |n| n.parse().expect("BLOCK is a number"));
    println!("{block} calls per implementation and round, {rounds} rounds per case");
    println!(
        "{:<18} {:>9} {:>9} {:>9}   {:<26} {:<26}",
        "case", "ours", "tower", "hand", "ours / hand (q1 – q3)", "tower / ours (q1 – q3)"
    );
    let sizes = cases().into_iter().next().map(|(.., sides)| sides.map(|side| (side.name, side.future_size)));
    println!("size of the response future: {sizes:?}");
    for (name, request, allowed, mut sides) in
        cases().into_iter().filter(|(name, ..)| name.starts_with(&only))
    {
        // The three must agree on the outcome before their times are compared.
        let origin = request.headers()[http::header::ORIGIN].as_bytes().to_vec();
        for side in &mut sides {
            let response = (side.call)(request.clone());
            assert_eq!(allow_origin(&response), allowed.then_some(&origin[..]), "{}, {name}", side.name);
        }
        let mut responses = Vec::with_capacity(block);
        for round in 0..rounds + rounds / 10 {
            for k in 0..sides.len() {
                let side = &mut sides[(round + k) % 3];
                let mut requests: Vec<_> = (0..block).map(|_| request.clone()).collect();
                let start = Instant::now();
                for request in requests.drain(..) {
                    responses.push((side.call)(request));
                }
                let elapsed = start.elapsed();
                responses.clear();
                // The first tenth warms caches and branch predictors.
                if round >= rounds / 10 {
                    side.times.push(elapsed.as_nanos() as f64 / block as f64);
                }
            }
        }
        let [ours, tower, hand] = &sides;
        let ratio = |a: &Side, b: &Side| sorted(a.times.iter().zip(&b.times).map(|(x, y)| x / y).collect());
        let (over_hand, tower_over) = (ratio(ours, hand), ratio(tower, ours));
        let median = |side: &Side| quantile(&sorted(side.times.clone()), 0.5);
        println!(
            "{name:<18} {:>6.0} ns {:>6.0} ns {:>6.0} ns   {:.2} ({:.2} – {:.2}){:7}   {:.2} ({:.2} – {:.2})",
            median(ours),
            median(tower),
            median(hand),
            quantile(&over_hand, 0.5),
            quantile(&over_hand, 0.25),
            quantile(&over_hand, 0.75),
            "",
            quantile(&tower_over, 0.5),
            quantile(&tower_over, 0.25),
            quantile(&tower_over, 0.75),
        );
    }
}
