//! The `tracing` feature: one `DEBUG` event (target `cors_policy`) per request the layer
//! refuses, with the policy's name, the kind of request, the reason and the origin cut to 64
//! bytes and escaped; none for allowed or non-CORS requests. Captured by a subscriber written
//! here, installed for the current thread only.

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
    Router::new().route("/data", get(|| async { "ok" }).put(|| async { "stored" })).layer(policy.layer())
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
