//! `refusals`: what the `tracing` feature costs a refused request through the layer.
//!
//! Run twice, without and with the feature (`--features tracing`): the cases are named after
//! how the runtime was built and whether a subscriber records the event.
//!
//! * `feature-off`: the runtime without `tracing` (the event is compiled out);
//! * `feature-on/no-subscriber`: with `tracing`, no subscriber installed (the macro's level
//!   check only);
//! * `feature-on/recording`: with `tracing` and a subscriber that enables every event and
//!   formats each of its fields into a sink that only counts bytes (no I/O, no allocation),
//!   so what is timed is building and formatting the event, not writing a log line.
//!
//! `actual-allowed` is the control: an allowed request emits nothing, so its three times must
//! agree.
//!
//! `refusal-parts` times what every refused response pays with or without the feature: a
//! `Response::new` with the `CorsRefusal` inserted into its extensions (`http` allocates the
//! extension map), next to a bare `Response::new`.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cors_policy_benches::{
    actual, app, bench_service, call_now, criterion, preflight, API, APP_ORIGIN, EVIL_ORIGIN, NORMAL_ACRH,
};
use cors_policy_runtime::{CorsRefusal, RefusalReason, RequestKind};
use criterion::{criterion_group, criterion_main, Criterion};
use http::Response;
use std::hint::black_box;
use tower_layer::Layer;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Counts bytes written, and drops them.
struct Sink(usize);

impl fmt::Write for Sink {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

impl Visit for Sink {
    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self, "{}={} ", field.name(), value);
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self, "{}={:?} ", field.name(), value);
    }
}

/// Enables everything; formats every field of every event; counts events and bytes.
#[derive(Clone, Default)]
struct Recording {
    events: Arc<AtomicUsize>,
    bytes: Arc<AtomicUsize>,
}

impl Subscriber for Recording {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut sink = Sink(0);
        event.record(&mut sink);
        self.events.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(sink.0, Ordering::Relaxed);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

fn refusals(c: &mut Criterion) {
    let cases = [
        ("actual-refused", actual(EVIL_ORIGIN), true),
        ("preflight-refused", preflight(EVIL_ORIGIN, "PUT", Some(NORMAL_ACRH)), true),
        ("actual-allowed", actual(APP_ORIGIN), false),
    ];
    let mut service = API.layer().layer(app());
    let mut group = c.benchmark_group("refusals");
    for (name, request, refused) in cases {
        if cfg!(feature = "tracing") {
            bench_service(&mut group, name, "feature-on/no-subscriber", &mut service, &request);
            let recording = Recording::default();
            tracing::subscriber::with_default(recording.clone(), || {
                // The event must be there (once per refused request) before it is timed.
                call_now(&mut service, request.clone());
                assert_eq!(recording.events.load(Ordering::Relaxed), usize::from(refused), "{name}");
                bench_service(&mut group, name, "feature-on/recording", &mut service, &request);
            });
            if refused {
                let (events, bytes) =
                    (recording.events.load(Ordering::Relaxed), recording.bytes.load(Ordering::Relaxed));
                println!("{name}: {events} events recorded, {} bytes each", bytes / events.max(1));
            }
        } else {
            bench_service(&mut group, name, "feature-off", &mut service, &request);
        }
    }
    group.finish();
}

fn refusal_parts(c: &mut Criterion) {
    let refusal = CorsRefusal::new(RequestKind::Actual, RefusalReason::OriginNotAllowed);
    let mut group = c.benchmark_group("refusal-parts");
    group.bench_function("response-new", |b| b.iter(|| Response::new(())));
    group.bench_function("response-new+extension", |b| {
        b.iter(|| {
            let mut response = Response::new(());
            response.extensions_mut().insert(black_box(refusal));
            response
        })
    });
    group.finish();
}

criterion_group! { name = benches; config = criterion(); targets = refusals, refusal_parts }
criterion_main!(benches);
