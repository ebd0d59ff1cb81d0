//! The `tracing` feature: one `DEBUG` event (target `cors_policy`) per request the layer
//! refuses, with the policy's name, the kind of request, the reason and the origin cut to 64
//! bytes and escaped; none for allowed or non-CORS requests. Captured by a subscriber written
//! here, installed for the current thread only. Also runs the README's "Logging refusals"
//! example, which must be a copy of [`readme`].

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use axum::Router;
use cors_policy_runtime::{cors_policy, Policy};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use tower::ServiceExt;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT],
    allow_headers: ["content-type"],
}
.with_name("api");

static WRITES: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    protect_writes: true,
}
.with_name("writes");

static UNNAMED: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
};

/// One captured event: level, target and every field, formatted.
#[derive(Debug)]
struct Captured {
    level: Level,
    target: String,
    fields: BTreeMap<String, String>,
}

/// Records every event; enables everything, so that the test sees what a subscriber at
/// `DEBUG` would.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Captured>>>);

impl Capture {
    fn take(&self) -> Vec<Captured> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let metadata = event.metadata();
        self.0.lock().unwrap().push(Captured {
            level: *metadata.level(),
            target: metadata.target().to_owned(),
            fields,
        });
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

fn app(policy: &'static Policy<'static>) -> Router {
    Router::new()
        .route("/data", get(|| async { "ok" }).put(|| async { "stored" }))
        .layer(policy.layer().with_refusal_extensions())
}

fn request(method: &str, headers: &[(&str, &[u8])]) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri("/data");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).unwrap()
}

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test(flavor = "current_thread")]
async fn each_refused_request_emits_one_debug_event_with_its_fields() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let preflight =
        request("OPTIONS", &[("origin", b"https://evil.example"), ("access-control-request-method", b"PUT")]);
    assert_eq!(app(&API).oneshot(preflight).await.unwrap().status(), StatusCode::FORBIDDEN);
    let events = capture.take();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].level, Level::DEBUG);
    assert_eq!(events[0].target, "cors_policy");
    assert_eq!(
        events[0].fields,
        fields(&[
            ("policy", "api"),
            ("kind", "preflight"),
            ("reason", "origin_not_allowed"),
            ("origin", "https://evil.example"),
            (
                "message",
                "refused a CORS preflight request: origin `https://evil.example` is not in allow_origins"
            ),
        ])
    );

    let preflight = request(
        "OPTIONS",
        &[
            ("origin", b"https://app.example.com"),
            ("access-control-request-method", b"PUT"),
            ("access-control-request-headers", b"x-secret"),
        ],
    );
    assert_eq!(app(&API).oneshot(preflight).await.unwrap().status(), StatusCode::FORBIDDEN);
    let events = capture.take();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].fields["reason"], "header_not_allowed");
    assert_eq!(events[0].fields["origin"], "https://app.example.com");

    // An actual request from a refused origin reaches the handler, and is logged once.
    let actual = request("PUT", &[("origin", b"https://evil.example")]);
    assert_eq!(app(&API).oneshot(actual).await.unwrap().status(), StatusCode::OK);
    let events = capture.take();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(
        (events[0].fields["kind"].as_str(), events[0].fields["reason"].as_str()),
        ("actual", "origin_not_allowed")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn allowed_and_non_cors_requests_emit_nothing() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let allowed = [
        request(
            "OPTIONS",
            &[("origin", b"https://app.example.com"), ("access-control-request-method", b"PUT")],
        ),
        request("GET", &[("origin", b"https://app.example.com")]),
        request("GET", &[]),
        request("OPTIONS", &[("access-control-request-method", b"PUT")]),
    ];
    for request in allowed {
        app(&API).oneshot(request).await.unwrap();
    }
    let events = capture.take();
    assert!(events.is_empty(), "{events:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_logged_origin_is_cut_and_escaped() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    // Non-ASCII, a quote, a tab and 300 more bytes: `http` accepts all of them in a value.
    let mut origin = b"https://\"a\tb\xc3\xa4\xff.example".to_vec();
    origin.extend(std::iter::repeat_n(b'x', 300));
    let actual = request("GET", &[("origin", &origin), ("origin", b"https://second.example")]);
    app(&UNNAMED).oneshot(actual).await.unwrap();
    let events = capture.take();
    assert_eq!(events.len(), 1, "{events:?}");
    let logged = &events[0].fields["origin"];
    let expected = format!("{}...", origin[..64].escape_ascii());
    assert_eq!(logged, &expected);
    assert!(logged.starts_with(r#"https://\"a\tb\xc3\xa4\xff.example"#), "{logged}");
    assert!(logged.bytes().all(|b| b.is_ascii_graphic() || b == b' '), "{logged}");
    assert_eq!(events[0].fields["policy"], "unnamed");
    assert_eq!(events[0].fields["reason"], "malformed_origin");
}

/// The README's "Logging refusals" example, between the two markers, verbatim.
mod readme {
    // README: begin
    use axum::{middleware, response::Response, routing::put, Router};
    use cors_policy_runtime::{cors_policy, CorsRefusal, Policy};

    static ITEMS: Policy = cors_policy! {
        allow_origins: ["https://app.example.com"],
        allow_methods: [PUT],
    }
    .with_name("items"); // the `policy` field of its events

    pub fn router() -> Router {
        Router::new()
            .route("/items", put(|| async { "stored" }))
            // `with_refusal_extensions`: a refused request's response carries the refusal.
            .layer(ITEMS.layer().with_refusal_extensions())
            // Outside the CORS layer, read it.
            .layer(middleware::map_response(|response: Response| async move {
                if let Some(refusal) = response.extensions().get::<CorsRefusal>() {
                    // "preflight refused: the origin is not in allow_origins"
                    println!("{refusal} ({})", refusal.reason().as_str());
                }
                response
            }))
    }
    // README: end
}

/// Everything a `fmt` subscriber writes, kept for the test.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_readme_example_logs_refusals_through_the_fmt_subscriber() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(Level::DEBUG)
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let refused = Request::builder()
        .method("OPTIONS")
        .uri("/items")
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "PUT")
        .body(Body::empty())
        .unwrap();
    let response = readme::router().oneshot(refused).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let allowed = Request::builder()
        .method("PUT")
        .uri("/items")
        .header("origin", "https://app.example.com")
        .body(Body::empty())
        .unwrap();
    assert_eq!(readme::router().oneshot(allowed).await.unwrap().status(), StatusCode::OK);

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    // The line the README shows.
    assert_eq!(
        log,
        "DEBUG cors_policy: refused a CORS preflight request: origin `https://evil.example` is not in \
         allow_origins policy=\"items\" kind=\"preflight\" reason=\"origin_not_allowed\" \
         origin=https://evil.example\n"
    );
}

#[test]
fn the_readme_example_is_the_one_tested_here() {
    let readme = include_str!("../../README.md");
    let section = readme.split("\n## Logging refusals\n").nth(1).expect("a `Logging refusals` section");
    let section = section.split("\n## ").next().unwrap();
    let block = section.split("```rust\n").nth(1).expect("a rust block").split("```").next().unwrap();

    let this = include_str!("refusal_events.rs");
    let marker = |m: &str| format!("    // README: {m}\n");
    let tested = this.split(&marker("begin")).nth(1).unwrap().split(&marker("end")).next().unwrap();
    let tested: String =
        tested.lines().map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l))).collect();
    assert_eq!(block, tested, "README.md's example differs from `readme` in tests/tests/refusal_events.rs");
}

/// A write refused by `protect_writes` is one event too: `kind = "write"`, a stable reason code,
/// and the refusal in the response extensions.
#[tokio::test(flavor = "current_thread")]
async fn a_refused_write_emits_one_event() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let form = request("PUT", &[("origin", b"https://evil.example"), ("sec-fetch-site", b"cross-site")]);
    let response = app(&WRITES).oneshot(form).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        response.extensions().get::<cors_policy_runtime::write_protection::WriteRefusal>().copied(),
        Some(cors_policy_runtime::write_protection::WriteRefusal::CrossSite)
    );
    let events = capture.take();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!((events[0].level, events[0].target.as_str()), (Level::DEBUG, "cors_policy"));
    assert_eq!(events[0].fields["policy"], "writes");
    assert_eq!(events[0].fields["kind"], "write");
    assert_eq!(events[0].fields["reason"], "cross_site");
    assert_eq!(events[0].fields["origin"], "https://evil.example");
    // A same-origin write passes: no write event (its own origin is not in allow_origins, so
    // the CORS layer still logs that, as for any actual request).
    let own = request("PUT", &[("origin", b"https://api.example"), ("sec-fetch-site", b"same-origin")]);
    assert_eq!(app(&WRITES).oneshot(own).await.unwrap().status(), StatusCode::OK);
    let events = capture.take();
    assert!(events.iter().all(|e| e.fields["kind"] != "write"), "{events:?}");
}
