//! Headless-Chromium conformance suite: compiled policies behind the tower layer over axum, driven
//! by a real browser through chromedriver (a hand-written WebDriver client, `browser/webdriver.rs`).
//!
//! One process, one browser session, cases run in sequence. A page server (origin A, any
//! `*.localhost` host on one port) serves a page whose inline script runs `fetch()` and reports
//! what the page could observe; API servers (origin B, one port per policy) put the project's
//! layer over axum, with a recording middleware OUTSIDE the CORS layer (every request on the wire,
//! preflights included, and the status and CORS headers that went back) and recording handlers
//! INSIDE it. Every case asserts what the page observed and what the server saw.
//!
//! Chromium resolves every `*.localhost` name to loopback, so pages on `http://app.localhost:A`,
//! `http://evil.localhost:A`, `http://x.app.localhost:A`, ... are distinct origins served by one
//! listener on 127.0.0.1, and so are the APIs on `http://api.localhost:B`.
//!
//! Case 12 puts `protect_writes` (Fetch Metadata) in front of a credentialed API: cross-site and
//! same-site form POSTs and a `no-cors` POST from untrusted pages are answered 403 by the layer
//! and never reach the handler; the same from an allowed origin, a same-origin form and a GET
//! navigation do. The servers record `Sec-Fetch-Site`/`Sec-Fetch-Mode`, which Chromium sends to
//! `http://*.localhost` (a potentially trustworthy URL).
//!
//! Run: `cargo test -p cors-policy-tests --test browser` (needs `apt-get install chromium
//! chromium-driver`; fails, never skips, without them). Each case prints its observed outcome.

#[path = "browser/webdriver.rs"]
mod webdriver;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use cors_policy_runtime::{cors_policy, Policy};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::net::{Ipv4Addr, TcpListener};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use webdriver::Browser;

/// The app's uncredentialed API: cases 1, 2 (refused), 3, 4, 5, 6, 10 and 11.
static MAIN: Policy = cors_policy! {
    allow_origins: ["http://app.localhost:*"],
    allow_methods: [PUT, PATCH],
    allow_headers: ["content-type", "x-custom"],
    expose_headers: ["x-exposed"],
    max_age: 600,
};

/// Case 2: the credentialed API, compiled from YAML by the file form of the macro.
static CREDENTIALED: Policy = cors_policy!(file = "fixtures/browser/credentialed.yaml");

/// Case 7: one or more labels under `app.localhost`, never the apex.
static SUBDOMAINS: Policy = cors_policy! {
    allow_origins: ["http://*.app.localhost:*"],
};

/// Case 8: numbered preview hosts.
static PREVIEWS: Policy = cors_policy! {
    allow_origins: [regex("^http://pr-[0-9]+\\.preview\\.localhost:[0-9]+$")],
};

/// Case 9 (`*` never covers `authorization`), the no-max-age control of case 6, and the target of
/// the cross-origin redirect of case 10.
#[allow(deprecated)] // CORS031 (`*` without `authorization`) is the point of case 9.
static WILDCARD_HEADERS: Policy = cors_policy! {
    allow_origins: ["http://app.localhost:*"],
    allow_methods: [PUT],
    allow_headers: ["*"],
};

/// Case 12: `protect_writes` on a credentialed API. `app.localhost` pages may write (they are
/// in allow_origins); every other cross-origin page is refused before the handler runs.
static WRITES: Policy = cors_policy! {
    allow_origins: ["http://app.localhost:*"],
    allow_methods: [PUT],
    allow_credentials: true,
    protect_writes: true,
};

/// The page every case runs in. `probe` is the whole client side of a case.
const PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>cors-policy browser suite</title>
<script>
// One fetch; reports what this page can observe: resolved or the error, status, readable headers.
async function probe(url, init, read) {
  try {
    const response = await fetch(url, init);
    const headers = {};
    response.headers.forEach((value, name) => { headers[name] = value; });
    const picked = {};
    for (const name of read || []) picked[name] = response.headers.get(name);
    return { resolved: true, status: response.status, type: response.type, redirected: response.redirected,
             url: response.url, headers, read: picked, body: await response.text() };
  } catch (error) {
    return { resolved: false, error: String(error) };
  }
}
// The same probe from a sandboxed srcdoc iframe (an opaque origin, so `Origin: null`), reported
// to this page by postMessage.
function probeFromSandbox(url, init, read) {
  return new Promise((resolve) => {
    const frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.srcdoc = "<script>(" + probe + ")(" + JSON.stringify(url) + ", " + JSON.stringify(init) + ", "
      + JSON.stringify(read) + ").then((result) => parent.postMessage("
      + "Object.assign(result, { frameOrigin: self.origin }), \"*\"));<\/script>";
    addEventListener("message", function listener(event) {
      if (event.source !== frame.contentWindow) return;
      removeEventListener("message", listener);
      frame.remove();
      resolve(event.data);
    });
    document.body.appendChild(frame);
  });
}
</script></head><body><h1>cors-policy browser suite</h1></body></html>
"#;

/// The WebDriver "Execute Async Script" body: runs `probe` (or `probeFromSandbox`) in the page.
const RUN_PROBE: &str = r#"
const done = arguments[arguments.length - 1];
const [mode, url, init, read] = arguments;
(mode === "sandbox" ? probeFromSandbox : probe)(url, init, read)
  .then(done, (error) => done({ resolved: false, error: "harness: " + error }));
"#;

/// `/form?<action>`: a page that submits a urlencoded form (`amount=100`) to `<action>` by POST
/// as soon as it is parsed, as a CSRF page does; `/go?<url>`: a page that navigates to `<url>`
/// (`location.href`). Served by the page server (any `*.localhost` origin) and by the APIs
/// themselves (a same-origin form). `<action>` and `<url>` are the raw query, put in an
/// attribute or a JSON string, so they must not hold `"`, `<`, `&` or `'`.
async fn form_page(request: Request) -> Response {
    let target = request.uri().query().unwrap_or_default().to_string();
    assert!(!target.contains(['"', '<', '&', '\'', '\\']), "unsafe target {target:?}");
    let body = if request.uri().path() == "/form" {
        format!(
            "<!doctype html><html><body><form method=\"post\" action=\"{target}\">\
             <input name=\"amount\" value=\"100\"></form>\
             <script>document.forms[0].submit();</script></body></html>"
        )
    } else {
        format!("<!doctype html><html><body><script>location.href = \"{target}\";</script></body></html>")
    };
    ([("cache-control", "no-store")], Html(body)).into_response()
}

/// The session cookie of case 2. `SameSite=Lax`: the page and the credentialed API are same-site
/// (same host `app.localhost`, different ports; a site ignores the port), so Lax cookies go
/// with the page's fetches. See `credentialed` for why `api.localhost` cannot be used there.
const SESSION_COOKIE: &str = "session=s3cr3t; Path=/; SameSite=Lax";

/// The cross-site cookie of case 12 (`/login-none`).
const CROSS_SITE_COOKIE: &str = "xsite=1; Path=/; SameSite=None; Secure";

// ------------------------------------------------------------------------------------------
// What the servers saw.

/// One request as seen by the recording middleware (outside the CORS layer: `status` and the
/// response fields are what went back on the wire) or by a handler (inside it: `status` 0).
#[derive(Clone, Debug, Default)]
struct Seen {
    method: String,
    /// Path and query.
    target: String,
    origin: Option<String>,
    request_method: Option<String>,
    request_headers: Option<String>,
    cookie: Option<String>,
    authorization: Option<String>,
    /// `Sec-Fetch-Site` and `Sec-Fetch-Mode` (Fetch Metadata, set by the browser only).
    fetch_site: Option<String>,
    fetch_mode: Option<String>,
    status: u16,
    allow_origin: Option<String>,
    allow_credentials: Option<String>,
    allow_methods: Option<String>,
    allow_headers: Option<String>,
    max_age: Option<String>,
    vary: Option<String>,
}

impl Seen {
    fn of(request: &Request) -> Seen {
        let headers = request.headers();
        Seen {
            method: request.method().to_string(),
            target: request.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default(),
            origin: value(headers, "origin"),
            request_method: value(headers, "access-control-request-method"),
            request_headers: value(headers, "access-control-request-headers"),
            cookie: value(headers, "cookie"),
            authorization: value(headers, "authorization"),
            fetch_site: value(headers, "sec-fetch-site"),
            fetch_mode: value(headers, "sec-fetch-mode"),
            ..Seen::default()
        }
    }

    fn is_preflight(&self) -> bool {
        self.method == "OPTIONS" && self.request_method.is_some()
    }
}

impl std::fmt::Display for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.target)?;
        let fields = [
            ("Origin", &self.origin),
            ("ACRM", &self.request_method),
            ("ACRH", &self.request_headers),
            ("Cookie", &self.cookie),
            ("Authorization", &self.authorization),
            ("Sec-Fetch-Site", &self.fetch_site),
            ("Sec-Fetch-Mode", &self.fetch_mode),
        ];
        for (name, field) in fields {
            if let Some(field) = field {
                write!(f, " {name}: {field}")?;
            }
        }
        if self.status != 0 {
            write!(f, " => {}", self.status)?;
            let fields = [
                ("ACAO", &self.allow_origin),
                ("ACAC", &self.allow_credentials),
                ("ACAM", &self.allow_methods),
                ("ACAH", &self.allow_headers),
                ("max-age", &self.max_age),
                ("Vary", &self.vary),
            ];
            for (name, field) in fields {
                if let Some(field) = field {
                    write!(f, " {name}: {field}")?;
                }
            }
        }
        Ok(())
    }
}

fn value(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<_> =
        headers.get_all(name).iter().map(|v| String::from_utf8_lossy(v.as_bytes())).collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Everything one server saw since the last `take`.
#[derive(Debug, Default)]
struct Traffic {
    /// Every request on the wire, in order (recorded outside the CORS layer).
    wire: Vec<Seen>,
    /// Every handler call, in order (inside the CORS layer).
    handled: Vec<Seen>,
}

impl Traffic {
    fn preflights(&self) -> Vec<&Seen> {
        self.wire.iter().filter(|seen| seen.is_preflight()).collect()
    }

    fn actual(&self) -> Vec<&Seen> {
        self.wire.iter().filter(|seen| !seen.is_preflight()).collect()
    }

    fn summary(&self) -> String {
        let wire: Vec<String> = self.wire.iter().map(|seen| format!("[{seen}]")).collect();
        format!(
            "{} preflight(s), {} handler call(s); wire: {}",
            self.preflights().len(),
            self.handled.len(),
            if wire.is_empty() { "nothing".to_string() } else { wire.join(" ") }
        )
    }
}

type Log = Arc<Mutex<Traffic>>;

/// The recording middleware, outside the CORS layer.
async fn record_wire(State(log): State<Log>, request: Request, next: Next) -> Response {
    if request.uri().path() == "/favicon.ico" {
        // Chromium's own request after a navigation (case 2 opens `/login`), not a case's.
        return next.run(request).await;
    }
    let mut seen = Seen::of(&request);
    let response = next.run(request).await;
    let headers = response.headers();
    seen.status = response.status().as_u16();
    seen.allow_origin = value(headers, "access-control-allow-origin");
    seen.allow_credentials = value(headers, "access-control-allow-credentials");
    seen.allow_methods = value(headers, "access-control-allow-methods");
    seen.allow_headers = value(headers, "access-control-allow-headers");
    seen.max_age = value(headers, "access-control-max-age");
    seen.vary = value(headers, "vary");
    log.lock().unwrap().wire.push(seen);
    response
}

#[derive(Clone)]
struct ApiState {
    log: Log,
    /// Where `/redirect-away` points (another API origin).
    away: String,
}

/// `/data`, any method: records the call, answers with one listed and one unlisted header.
async fn data(State(state): State<ApiState>, request: Request) -> Response {
    let seen = Seen::of(&request);
    let body = format!("{} {} cookie={}", seen.method, seen.target, seen.cookie.as_deref().unwrap_or("-"));
    state.log.lock().unwrap().handled.push(seen);
    ([("x-exposed", "yes"), ("x-hidden", "no"), ("cache-control", "no-store")], body).into_response()
}

/// `/login`, opened by navigation: sets the session cookie on the API's host.
async fn login(State(state): State<ApiState>, request: Request) -> Response {
    state.log.lock().unwrap().handled.push(Seen::of(&request));
    ([("set-cookie", SESSION_COOKIE), ("cache-control", "no-store")], "logged in").into_response()
}

/// `/login-none`, opened by navigation: a second cookie, `SameSite=None; Secure`, which a
/// browser may send cross-site (case 12). `Secure` over plain http is accepted, if at all, only
/// because `*.localhost` is potentially trustworthy.
async fn login_none(State(state): State<ApiState>, request: Request) -> Response {
    state.log.lock().unwrap().handled.push(Seen::of(&request));
    ([("set-cookie", CROSS_SITE_COOKIE), ("cache-control", "no-store")], "logged in").into_response()
}

/// `/redirect`: 302 to another route of the same API origin.
async fn redirect(State(state): State<ApiState>, request: Request) -> Response {
    state.log.lock().unwrap().handled.push(Seen::of(&request));
    (StatusCode::FOUND, [("location", "/data?case=10a"), ("cache-control", "no-store")]).into_response()
}

/// `/redirect-away`: 302 to another API origin.
async fn redirect_away(State(state): State<ApiState>, request: Request) -> Response {
    state.log.lock().unwrap().handled.push(Seen::of(&request));
    let location = HeaderValue::from_str(&state.away).unwrap();
    (StatusCode::FOUND, [("location", location), ("cache-control", HeaderValue::from_static("no-store"))])
        .into_response()
}

fn api_router(policy: &'static Policy<'static>, log: Log, away: String) -> Router {
    Router::new()
        .route("/data", any(data))
        .route("/login", get(login))
        .route("/redirect", get(redirect))
        .route("/redirect-away", get(redirect_away))
        .route("/form", get(form_page))
        .route("/login-none", get(login_none))
        .layer(policy.layer())
        .layer(middleware::from_fn_with_state(log.clone(), record_wire))
        .with_state(ApiState { log, away })
}

/// Not the project's code: a hand-written lenient server answering every preflight with
/// `Access-Control-Allow-Headers: *`, to record what Chromium itself does with `authorization`
/// under `*` (case 9).
async fn star_control(State(log): State<Log>, request: Request) -> Response {
    let seen = Seen::of(&request);
    let origin = seen.origin.clone().unwrap_or_default();
    let preflight = seen.is_preflight();
    log.lock().unwrap().handled.push(seen);
    let mut response =
        if preflight { StatusCode::NO_CONTENT.into_response() } else { "control".into_response() };
    let headers = response.headers_mut();
    if let Ok(origin) = HeaderValue::from_str(&origin) {
        headers.insert("access-control-allow-origin", origin);
    }
    if preflight {
        headers.insert("access-control-allow-headers", HeaderValue::from_static("*"));
        headers.insert("access-control-allow-methods", HeaderValue::from_static("*"));
        headers.insert("access-control-max-age", HeaderValue::from_static("0"));
    }
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    response
}

fn page_router(log: Log) -> Router {
    Router::new()
        .route("/", get(|| async { Html(PAGE) }))
        .route("/control/star-headers", any(star_control))
        .route("/form", get(form_page))
        .route("/go", get(form_page))
        .layer(middleware::from_fn_with_state(log.clone(), record_wire))
        .with_state(log)
}

/// One API server: its origin as the page addresses it, and what it saw.
struct Api {
    port: u16,
    origin: String,
    log: Log,
}

impl Api {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// The same server under another host name (the servers ignore `Host`).
    fn url_on(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    fn take(&self) -> Traffic {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

fn bind() -> TcpListener {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.set_nonblocking(true).unwrap();
    listener
}

// ------------------------------------------------------------------------------------------
// The browser side.

/// What the page observed for one fetch.
struct Outcome(Value);

impl Outcome {
    fn resolved(&self) -> bool {
        self.0["resolved"] == json!(true)
    }

    fn status(&self) -> u64 {
        self.0["status"].as_u64().unwrap_or(0)
    }

    fn body(&self) -> &str {
        self.0["body"].as_str().unwrap_or("")
    }

    /// `response.headers.get(name)` as the page saw it (`None` for `null`).
    fn read(&self, name: &str) -> Option<&str> {
        self.0["read"][name].as_str()
    }

    #[track_caller]
    fn assert_readable(&self) {
        assert!(self.resolved(), "the page could not read the response: {self}");
    }

    #[track_caller]
    fn assert_type_error(&self) {
        assert!(!self.resolved(), "the page read a response it must not: {self}");
        let error = self.0["error"].as_str().unwrap_or("");
        assert!(error.starts_with("TypeError"), "expected a TypeError, got {self}");
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.resolved() {
            return write!(f, "rejected ({})", self.0["error"].as_str().unwrap_or("?"));
        }
        write!(f, "readable, status {}, body {:?}", self.status(), self.body())?;
        if self.0["redirected"] == json!(true) {
            write!(f, ", redirected to {}", self.0["url"].as_str().unwrap_or("?"))?;
        }
        if let Some(read) = self.0["read"].as_object().filter(|read| !read.is_empty()) {
            write!(f, ", headers.get: {}", Value::Object(read.clone()))?;
        }
        Ok(())
    }
}

struct Suite {
    browser: Browser,
    page_port: u16,
    current_page: RefCell<String>,
    pages: Log,
    main: Api,
    credentialed: Api,
    subdomains: Api,
    previews: Api,
    wildcard: Api,
    writes: Api,
}

impl Suite {
    fn start() -> Suite {
        let page_listener = bind();
        let page_port = page_listener.local_addr().unwrap().port();
        let api = |listener: &TcpListener| {
            let port = listener.local_addr().unwrap().port();
            Api { port, origin: format!("http://api.localhost:{port}"), log: Log::default() }
        };
        let listeners: Vec<TcpListener> = (0..6).map(|_| bind()).collect();
        let [main, credentialed, subdomains, previews, wildcard, writes] =
            [0, 1, 2, 3, 4, 5].map(|index| api(&listeners[index]));
        // The credentialed API is addressed as `app.localhost` (same site as the page); see `credentialed`.
        let credentialed =
            Api { origin: format!("http://app.localhost:{}", credentialed.port), ..credentialed };
        let pages = Log::default();
        let routers = vec![
            page_router(pages.clone()),
            api_router(&MAIN, main.log.clone(), wildcard.url("/data?case=10b")),
            api_router(&CREDENTIALED, credentialed.log.clone(), String::new()),
            api_router(&SUBDOMAINS, subdomains.log.clone(), String::new()),
            api_router(&PREVIEWS, previews.log.clone(), String::new()),
            api_router(&WILDCARD_HEADERS, wildcard.log.clone(), String::new()),
            api_router(&WRITES, writes.log.clone(), String::new()),
        ];
        let listeners: Vec<TcpListener> = std::iter::once(page_listener).chain(listeners).collect();
        // The servers run on their own thread and current-thread runtime, for the whole process;
        // the test thread drives the browser with blocking calls.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                for (listener, router) in listeners.into_iter().zip(routers) {
                    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
                }
                std::future::pending::<()>().await
            })
        });
        let browser = Browser::start();
        Suite {
            browser,
            page_port,
            current_page: RefCell::default(),
            pages,
            main,
            credentialed,
            subdomains,
            previews,
            wildcard,
            writes,
        }
    }

    fn page(&self, host: &str) -> String {
        format!("http://{host}:{}", self.page_port)
    }

    /// Opens the page of origin `http://{host}:A` unless it is already open.
    fn open(&self, host: &str) {
        let url = format!("{}/", self.page(host));
        if *self.current_page.borrow() != url {
            self.browser.navigate(&url);
            *self.current_page.borrow_mut() = url;
        }
    }

    fn navigate_elsewhere(&self, url: &str) {
        self.browser.navigate(url);
        self.current_page.borrow_mut().clear();
    }

    /// `fetch(url, init)` from the page on `http://{host}:A`, reading the headers in `read`.
    fn fetch(&self, host: &str, url: &str, init: Value, read: &[&str]) -> Outcome {
        self.open(host);
        Outcome(self.browser.execute_async(RUN_PROBE, vec![json!("page"), json!(url), init, json!(read)]))
    }

    /// The same fetch from a sandboxed iframe of the page on `http://{host}:A`.
    fn fetch_from_sandbox(&self, host: &str, url: &str, init: Value) -> Outcome {
        self.open(host);
        Outcome(self.browser.execute_async(RUN_PROBE, vec![json!("sandbox"), json!(url), init, json!([])]))
    }

    /// Opens `start`, a page that navigates the tab by itself (a form it submits, a
    /// `location.href`), waits until the tab has loaded `target`, and returns the text it shows.
    fn follow(&self, start: &str, target: &str) -> String {
        self.navigate_elsewhere(start);
        let deadline = Instant::now() + Duration::from_secs(10);
        let script =
            "return document.readyState === 'complete' && document.body ? document.body.innerText : null";
        loop {
            let url = self.browser.current_url();
            if url == target {
                if let Ok(Value::String(text)) = self.browser.try_execute(script, Vec::new()) {
                    return text;
                }
            }
            assert!(Instant::now() < deadline, "the tab never loaded {target}; it shows {url}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn clear(&self) {
        for api in
            [&self.main, &self.credentialed, &self.subdomains, &self.previews, &self.wildcard, &self.writes]
        {
            api.take();
        }
        std::mem::take(&mut *self.pages.lock().unwrap());
    }
}

fn report(case: &str, outcome: &Outcome, traffic: &Traffic) {
    eprintln!("case {case}\n    page:   {outcome}\n    server: {}", traffic.summary());
}

fn no_store() -> Value {
    json!({ "cache": "no-store" })
}

/// A preflighted PUT: a JSON body and a custom header. No `cache: "no-store"`: Chromium skips its
/// preflight cache for such requests (case 6), and a PUT response is never cached anyway.
fn json_put(custom_header: &str) -> Value {
    json!({
        "method": "PUT",
        "headers": { "content-type": "application/json", custom_header: "1" },
        "body": "{\"a\":1}",
    })
}

// ------------------------------------------------------------------------------------------
// The cases.

/// Case 1: a simple GET: readable from an allowed origin; from a refused origin a TypeError, but the
/// request was sent and the handler ran (CORS protects the response, not the server).
fn simple_get(s: &Suite) {
    let app = s.page("app.localhost");
    let outcome = s.fetch("app.localhost", &s.main.url("/data?case=1"), no_store(), &[]);
    let traffic = s.main.take();
    report("1a simple GET from the allowed http://app.localhost:A", &outcome, &traffic);
    outcome.assert_readable();
    assert_eq!(outcome.status(), 200);
    assert_eq!(outcome.body(), "GET /data?case=1 cookie=-");
    assert!(traffic.preflights().is_empty(), "{}", traffic.summary());
    assert_eq!(traffic.handled.len(), 1, "{}", traffic.summary());
    assert_eq!(traffic.wire[0].origin.as_deref(), Some(app.as_str()));
    assert_eq!(traffic.wire[0].allow_origin.as_deref(), Some(app.as_str()));

    let outcome = s.fetch("evil.localhost", &s.main.url("/data?case=1"), no_store(), &[]);
    let traffic = s.main.take();
    report("1b simple GET from the refused http://evil.localhost:A", &outcome, &traffic);
    outcome.assert_type_error();
    assert!(traffic.preflights().is_empty(), "{}", traffic.summary());
    assert_eq!(traffic.handled.len(), 1, "the handler must run for a simple request: {}", traffic.summary());
    assert_eq!(traffic.handled[0].origin.as_deref(), Some(s.page("evil.localhost").as_str()));
    assert_eq!(traffic.wire[0].allow_origin, None, "{}", traffic.summary());
}

/// Case 2: `credentials: "include"` with a cookie. The cookie is set by navigating to the API's
/// `/login` (`SameSite=Lax`). Chromium computes the site of a `*.localhost` host as the whole
/// host (`localhost` is not on the Public Suffix List), so `app.localhost` and `api.localhost`
/// are cross-site and a Lax cookie would not be sent; `SameSite=None` needs `Secure`. The page
/// and the APIs of this case therefore share the host `app.localhost` on different ports:
/// cross-origin (the port differs) but same-site (a site has no port).
fn credentialed(s: &Suite) {
    let app = s.page("app.localhost");
    s.navigate_elsewhere(&s.credentialed.url("/login"));
    s.credentialed.take();

    let include = json!({ "credentials": "include", "cache": "no-store" });
    let outcome =
        s.fetch("app.localhost", &s.credentialed.url("/data?case=2a"), include.clone(), &["x-exposed"]);
    let traffic = s.credentialed.take();
    report("2a credentialed GET, credentialed policy (file form)", &outcome, &traffic);
    outcome.assert_readable();
    assert_eq!(outcome.body(), "GET /data?case=2a cookie=session=s3cr3t");
    assert_eq!(outcome.read("x-exposed"), Some("yes"));
    assert_eq!(traffic.handled.len(), 1, "{}", traffic.summary());
    assert_eq!(traffic.handled[0].cookie.as_deref(), Some("session=s3cr3t"));
    assert_eq!(traffic.wire[0].allow_origin.as_deref(), Some(app.as_str()));
    assert_eq!(traffic.wire[0].allow_credentials.as_deref(), Some("true"));

    // The same policy without credentials: readable, and no cookie goes cross-origin.
    let outcome = s.fetch("app.localhost", &s.credentialed.url("/data?case=2b"), no_store(), &[]);
    let traffic = s.credentialed.take();
    report("2b uncredentialed GET, credentialed policy", &outcome, &traffic);
    outcome.assert_readable();
    assert_eq!(outcome.body(), "GET /data?case=2b cookie=-");

    // A credentialed fetch against the uncredentialed policy (same host, so the cookie is sent):
    // no Access-Control-Allow-Credentials, so the page cannot read it, but the handler ran.
    let url = s.main.url_on("app.localhost", "/data?case=2c");
    let outcome = s.fetch("app.localhost", &url, include, &[]);
    let traffic = s.main.take();
    report("2c credentialed GET, uncredentialed policy", &outcome, &traffic);
    outcome.assert_type_error();
    assert_eq!(traffic.handled.len(), 1, "{}", traffic.summary());
    assert_eq!(traffic.handled[0].cookie.as_deref(), Some("session=s3cr3t"));
    assert_eq!(traffic.wire[0].allow_origin.as_deref(), Some(app.as_str()));
    assert_eq!(traffic.wire[0].allow_credentials, None);

    // A credentialed preflighted PUT: the preflight carries no cookie and is answered with
    // Access-Control-Allow-Credentials; the PUT then carries the cookie.
    let init = json!({
        "method": "PUT",
        "credentials": "include",
        "headers": { "content-type": "application/json" },
        "body": "{}",
    });
    let outcome = s.fetch("app.localhost", &s.credentialed.url("/data?case=2d"), init, &[]);
    let traffic = s.credentialed.take();
    report("2d credentialed PUT + application/json, credentialed policy", &outcome, &traffic);
    outcome.assert_readable();
    assert_eq!(outcome.body(), "PUT /data?case=2d cookie=session=s3cr3t");
    let preflights = traffic.preflights();
    assert_eq!(preflights.len(), 1, "{}", traffic.summary());
    assert_eq!(preflights[0].cookie, None, "a preflight never carries credentials");
    assert_eq!(preflights[0].allow_credentials.as_deref(), Some("true"));
    assert_eq!(preflights[0].allow_methods.as_deref(), Some("PUT"));

    // Informational, the reason for the shared host: the same cookie set on `api.localhost`
    // and a credentialed fetch there from `app.localhost` (two different sites for Chromium).
    s.navigate_elsewhere(&s.credentialed.url_on("api.localhost", "/login"));
    s.credentialed.take();
    let url = s.credentialed.url_on("api.localhost", "/data?case=2e");
    let outcome =
        s.fetch("app.localhost", &url, json!({ "credentials": "include", "cache": "no-store" }), &[]);
    let traffic = s.credentialed.take();
    report(
        "2e (Chromium) SameSite=Lax cookie of api.localhost, fetch from app.localhost",
        &outcome,
        &traffic,
    );
    let sent = traffic.handled.iter().any(|seen| seen.cookie.is_some());
    eprintln!(
        "    => app.localhost -> api.localhost: the Lax cookie {}",
        if sent { "is sent" } else { "is not sent" }
    );
}

/// Case 3: a preflighted PUT (`content-type: application/json` and a custom header): exactly one
/// preflight, then the request. A header outside allow_headers: refused preflight, no handler.
fn preflighted_put(s: &Suite) {
    let outcome = s.fetch("app.localhost", &s.main.url("/data?case=3a"), json_put("x-custom"), &[]);
    let traffic = s.main.take();
    report("3a PUT + application/json + x-custom", &outcome, &traffic);
    outcome.assert_readable();
    assert_eq!(outcome.body(), "PUT /data?case=3a cookie=-");
    let wire: Vec<(&str, Option<&str>, Option<&str>, u16)> = traffic
        .wire
        .iter()
        .map(|seen| {
            (
                seen.method.as_str(),
                seen.request_method.as_deref(),
                seen.request_headers.as_deref(),
                seen.status,
            )
        })
        .collect();
    assert_eq!(
        wire,
        [("OPTIONS", Some("PUT"), Some("content-type,x-custom"), 204), ("PUT", None, None, 200)],
        "{}",
        traffic.summary()
    );
    assert_eq!(traffic.handled.len(), 1, "{}", traffic.summary());
    assert_eq!(traffic.handled[0].method, "PUT");

    let outcome = s.fetch("app.localhost", &s.main.url("/data?case=3b"), json_put("x-other"), &[]);
    let traffic = s.main.take();
    report("3b PUT + application/json + x-other (not allowed)", &outcome, &traffic);
    outcome.assert_type_error();
    assert_eq!(traffic.wire.len(), 1, "only the preflight: {}", traffic.summary());
    assert!(traffic.wire[0].is_preflight());
    assert_eq!(traffic.wire[0].request_headers.as_deref(), Some("content-type,x-other"));
    assert_eq!(traffic.wire[0].status, 403);
    assert_eq!(traffic.wire[0].allow_origin, None);
    assert!(traffic.handled.is_empty(), "the handler must not run: {}", traffic.summary());

    let outcome = s.fetch("evil.localhost", &s.main.url("/data?case=3c"), json_put("x-custom"), &[]);
    let traffic = s.main.take();
    report("3c the allowed PUT of 3a from the refused http://evil.localhost:A", &outcome, &traffic);
    outcome.assert_type_error();
    assert_eq!(traffic.wire.len(), 1, "only the preflight: {}", traffic.summary());
    assert!(traffic.wire[0].is_preflight());
    assert_eq!(traffic.wire[0].status, 403);
    assert_eq!(traffic.wire[0].allow_origin, None);
    assert!(traffic.handled.is_empty(), "the handler must not run: {}", traffic.summary());
}

/// Case 4: `method: "patch"` is not normalized (only DELETE, GET, HEAD, OPTIONS, POST, PUT are), so
/// the preflight asks for `patch` and `allow_methods: [PATCH]` refuses it. `PATCH` passes.
fn lowercase_patch(s: &Suite) {
    let init = json!({ "method": "patch", "cache": "no-store" });
    let outcome = s.fetch("app.localhost", &s.main.url("/data?case=4a"), init, &[]);
    let traffic = s.main.take();
    report("4a fetch(url, {method: \"patch\"}) against allow_methods [PUT, PATCH]", &outcome, &traffic);
    outcome.assert_type_error();
    assert_eq!(traffic.wire.len(), 1, "only the preflight: {}", traffic.summary());
    assert_eq!(traffic.wire[0].request_method.as_deref(), Some("patch"));
    assert_eq!(traffic.wire[0].status, 403);
    assert!(traffic.handled.is_empty(), "the handler must not run: {}", traffic.summary());

    let init = json!({ "method": "PATCH", "cache": "no-store" });
    let outcome = s.fetch("app.localhost", &s.main.url("/data?case=4b"), init, &[]);
    let traffic = s.main.take();
    report("4b control: fetch(url, {method: \"PATCH\"})", &outcome, &traffic);
    outcome.assert_readable();
    assert_eq!(outcome.body(), "PATCH /data?case=4b cookie=-");
    assert_eq!(traffic.preflights().len(), 1, "{}", traffic.summary());
    assert_eq!(traffic.preflights()[0].request_method.as_deref(), Some("PATCH"));
    assert_eq!(traffic.preflights()[0].allow_methods.as_deref(), Some("PATCH"));
}

/// Case 5: expose_headers: the listed header is readable, the unlisted one is `null`.
fn exposed_headers(s: &Suite) {
    let read = ["x-exposed", "x-hidden", "content-type"];
    let outcome = s.fetch("app.localhost", &s.main.url("/data?case=5"), no_store(), &read);
    let traffic = s.main.take();
    report("5 expose_headers [x-exposed]; the response also has x-hidden", &outcome, &traffic);
    outcome.assert_readable();
    assert_eq!(outcome.read("x-exposed"), Some("yes"));
    assert_eq!(outcome.read("x-hidden"), None, "an unlisted header must read as null: {outcome}");
    assert_eq!(outcome.read("content-type"), Some("text/plain; charset=utf-8"), "safelisted");
}

/// Case 6: max_age: 600: the same preflighted request again after Chromium's 5 s default has run
/// out sends no new preflight; the control policy without max_age is preflighted again.
fn max_age(s: &Suite) {
    let main_url = s.main.url("/data?case=6");
    let control_url = s.wildcard.url("/data?case=6");
    for url in [&main_url, &control_url] {
        s.fetch("app.localhost", url, json_put("x-custom"), &[]).assert_readable();
    }
    // Both preflight results were cached before their fetches resolved: 6 s later the 5 s
    // default has run out and only max_age keeps an entry alive.
    std::thread::sleep(Duration::from_secs(6));
    let outcome = s.fetch("app.localhost", &main_url, json_put("x-custom"), &[]);
    let control = s.fetch("app.localhost", &control_url, json_put("x-custom"), &[]);
    let (traffic, control_traffic) = (s.main.take(), s.wildcard.take());
    report("6a max_age 600: the same PUT twice, 6 s apart", &outcome, &traffic);
    report("6b control without max_age: the same PUT twice, 6 s apart", &control, &control_traffic);
    outcome.assert_readable();
    control.assert_readable();
    assert_eq!(traffic.wire[0].max_age.as_deref(), Some("600"));
    assert_eq!(
        traffic.preflights().len(),
        1,
        "max_age must save the second preflight: {}",
        traffic.summary()
    );
    assert_eq!(traffic.actual().len(), 2, "{}", traffic.summary());
    assert_eq!(traffic.handled.len(), 2, "{}", traffic.summary());
    assert_eq!(control_traffic.preflights().len(), 2, "{}", control_traffic.summary());
    assert_eq!(control_traffic.handled.len(), 2, "{}", control_traffic.summary());

    // Informational: the same request with `cache: "no-store"`, still inside the max_age window.
    let mut no_store = json_put("x-custom");
    no_store["cache"] = json!("no-store");
    let outcome = s.fetch("app.localhost", &main_url, no_store, &[]);
    let traffic = s.main.take();
    report("6c (Chromium) the same PUT with cache: \"no-store\", inside the window", &outcome, &traffic);
    eprintln!(
        "    => Chromium {} its preflight cache for cache: \"no-store\"",
        if traffic.preflights().is_empty() { "uses" } else { "bypasses" }
    );
}

/// Case 7: `http://*.app.localhost:*`: subdomains at any depth allowed; the apex and look-alikes refused.
fn subdomain_pattern(s: &Suite) {
    for (host, allowed) in [
        ("x.app.localhost", true),
        ("a.b.app.localhost", true),
        ("app.localhost", false),
        ("evilapp.localhost", false),
        ("x.app.localhost.evil.localhost", false),
    ] {
        let outcome = s.fetch(host, &s.subdomains.url("/data?case=7"), no_store(), &[]);
        let traffic = s.subdomains.take();
        report(&format!("7 *.app.localhost from http://{host}:A"), &outcome, &traffic);
        if allowed {
            outcome.assert_readable();
        } else {
            outcome.assert_type_error();
        }
        assert_eq!(traffic.handled.len(), 1, "{}", traffic.summary());
        assert_eq!(traffic.handled[0].origin.as_deref(), Some(s.page(host).as_str()));
    }
}

/// Case 8: `regex("^http://pr-[0-9]+\\.preview\\.localhost:[0-9]+$")`: a match and near misses.
fn regex_origin(s: &Suite) {
    for (host, allowed) in [
        ("pr-42.preview.localhost", true),
        ("pr-42x.preview.localhost", false),
        ("pr-.preview.localhost", false),
        ("pr-42xpreview.localhost", false),
        ("pr-42.preview.localhost.evil.localhost", false),
    ] {
        let outcome = s.fetch(host, &s.previews.url("/data?case=8"), no_store(), &[]);
        let traffic = s.previews.take();
        report(&format!("8 regex from http://{host}:A"), &outcome, &traffic);
        if allowed {
            outcome.assert_readable();
        } else {
            outcome.assert_type_error();
        }
        assert_eq!(traffic.handled.len(), 1, "{}", traffic.summary());
    }
}

/// Case 9: `authorization` with `allow_headers: ["*"]` and no credentials: the spec says `*` never
/// covers it, so the layer refuses the preflight and the request is never sent. Chromium's own
/// behaviour with a server answering `*` is recorded with a hand-written control server.
fn authorization_under_star(s: &Suite) {
    let with_authorization = json!({ "cache": "no-store", "headers": { "authorization": "Bearer t0ken" } });
    let outcome = s.fetch("app.localhost", &s.wildcard.url("/data?case=9a"), with_authorization.clone(), &[]);
    let traffic = s.wildcard.take();
    report("9a GET + authorization, allow_headers [\"*\"]", &outcome, &traffic);
    outcome.assert_type_error();
    assert_eq!(traffic.wire.len(), 1, "only the preflight: {}", traffic.summary());
    assert_eq!(traffic.wire[0].request_headers.as_deref(), Some("authorization"));
    assert_eq!(traffic.wire[0].status, 403);
    assert!(traffic.handled.is_empty(), "{}", traffic.summary());

    let custom = json!({ "cache": "no-store", "headers": { "x-anything": "1" } });
    let outcome = s.fetch("app.localhost", &s.wildcard.url("/data?case=9b"), custom, &[]);
    let traffic = s.wildcard.take();
    report("9b control: GET + x-anything, allow_headers [\"*\"]", &outcome, &traffic);
    outcome.assert_readable();
    assert_eq!(traffic.preflights().len(), 1, "{}", traffic.summary());
    assert_eq!(traffic.preflights()[0].allow_headers.as_deref(), Some("x-anything"));

    // Informational: Chromium itself, against a server that answers `Access-Control-Allow-Headers: *`.
    let control_url = format!("http://control.localhost:{}/control/star-headers", s.page_port);
    let outcome = s.fetch("app.localhost", &control_url, with_authorization, &[]);
    let traffic = std::mem::take(&mut *s.pages.lock().unwrap());
    report("9c (not the project) Chromium vs a literal `ACAH: *` + authorization", &outcome, &traffic);
    let sent = traffic.handled.iter().any(|seen| !seen.is_preflight() && seen.authorization.is_some());
    eprintln!(
        "    => Chromium {} `authorization` under a literal `*`",
        if outcome.resolved() && sent { "still lets" } else { "does not let" }
    );
}

/// Case 10: redirects. Same API origin: the 302 carries the CORS headers, the page follows it, the
/// `Origin` is kept and the final response is readable. To another API origin: the request is
/// redirect-tainted, the next hop gets `Origin: null`, which no policy allows.
fn redirects(s: &Suite) {
    let app = s.page("app.localhost");
    let outcome = s.fetch("app.localhost", &s.main.url("/redirect"), no_store(), &[]);
    let traffic = s.main.take();
    report("10a 302 to the same API origin", &outcome, &traffic);
    outcome.assert_readable();
    assert_eq!(outcome.0["redirected"], json!(true));
    assert_eq!(outcome.0["url"], json!(s.main.url("/data?case=10a")));
    assert_eq!(outcome.body(), "GET /data?case=10a cookie=-");
    let hops: Vec<(&str, Option<&str>, u16, Option<&str>)> = traffic
        .wire
        .iter()
        .map(|seen| (seen.target.as_str(), seen.origin.as_deref(), seen.status, seen.allow_origin.as_deref()))
        .collect();
    assert_eq!(
        hops,
        [
            ("/redirect", Some(app.as_str()), 302, Some(app.as_str())),
            ("/data?case=10a", Some(app.as_str()), 200, Some(app.as_str()))
        ],
        "{}",
        traffic.summary()
    );

    let outcome = s.fetch("app.localhost", &s.main.url("/redirect-away"), no_store(), &[]);
    let (traffic, away) = (s.main.take(), s.wildcard.take());
    report("10b 302 to another API origin (first hop)", &outcome, &traffic);
    report("10b 302 to another API origin (second hop, policy allows app.localhost)", &outcome, &away);
    outcome.assert_type_error();
    assert_eq!(traffic.wire.len(), 1, "{}", traffic.summary());
    assert_eq!(traffic.wire[0].allow_origin.as_deref(), Some(app.as_str()));
    assert_eq!(away.handled.len(), 1, "{}", away.summary());
    assert_eq!(away.handled[0].origin.as_deref(), Some("null"), "a tainted redirect sends Origin: null");
    assert_eq!(away.wire[0].allow_origin, None, "{}", away.summary());
}

/// Case 11: `Origin: null` from a sandboxed iframe of an allowed page: refused (the handler runs).
fn sandboxed_null_origin(s: &Suite) {
    let outcome = s.fetch_from_sandbox("app.localhost", &s.main.url("/data?case=11"), no_store());
    let traffic = s.main.take();
    report("11 sandboxed srcdoc iframe of http://app.localhost:A", &outcome, &traffic);
    outcome.assert_type_error();
    assert_eq!(outcome.0["frameOrigin"], json!("null"));
    assert_eq!(traffic.handled.len(), 1, "{}", traffic.summary());
    assert_eq!(traffic.handled[0].origin.as_deref(), Some("null"));
    assert_eq!(traffic.wire[0].allow_origin, None, "{}", traffic.summary());
}

/// Case 12: `protect_writes` (Fetch Metadata) on a credentialed API, against what Chromium
/// really sends. The API's cookies (`session`, `SameSite=Lax`, and `xsite`, `SameSite=None;
/// Secure`) are set on `api.localhost` first. Pages: `http://evil.localhost:A` (cross-site,
/// untrusted), `http://api.localhost:A` (same site as the API, another port: cross-origin,
/// untrusted), `http://app.localhost:A` (in allow_origins), and a page of the API itself.
/// A refused write is answered 403 by the layer and never reaches the handler: the wire record
/// (outside the layer) shows the request and the 403, `handled` stays empty. Chromium sends
/// `Sec-Fetch-Site` to `http://*.localhost` (potentially trustworthy), so every case asserts
/// the value it sent, and the tab's own view of a refused form (Chromium's "HTTP ERROR 403").
/// The cookies go with the cross-site and same-site form navigations (asserted); whether a
/// cross-site no-cors fetch carries the `SameSite=None` one is Chromium's third-party cookie
/// policy, and only reported.
fn protected_writes(s: &Suite) {
    let api = &s.writes;
    let (evil, sibling, app) = (s.page("evil.localhost"), s.page("api.localhost"), s.page("app.localhost"));
    s.navigate_elsewhere(&api.url("/login"));
    s.navigate_elsewhere(&api.url("/login-none"));
    let logins = api.take();
    assert_eq!(logins.handled.len(), 2, "{}", logins.summary());
    // Sec-Fetch-Site: none for the user's own (WebDriver's) navigation.
    assert_eq!(logins.handled[0].fetch_site.as_deref(), Some("none"), "{}", logins.summary());

    // What reached the wire for `target`: (method, Origin, Sec-Fetch-Site, Sec-Fetch-Mode, status).
    type Wire<'t> = Vec<(&'t str, Option<&'t str>, Option<&'t str>, Option<&'t str>, u16)>;
    fn wire<'t>(traffic: &'t Traffic, target: &str) -> Wire<'t> {
        traffic
            .wire
            .iter()
            .filter(|seen| seen.target == target)
            .map(|seen| {
                let (origin, site, mode) =
                    (seen.origin.as_deref(), seen.fetch_site.as_deref(), seen.fetch_mode.as_deref());
                (seen.method.as_str(), origin, site, mode, seen.status)
            })
            .collect()
    }
    fn cookie<'t>(traffic: &'t Traffic, target: &str) -> Option<&'t str> {
        traffic.wire.iter().find(|seen| seen.target == target)?.cookie.as_deref()
    }

    // 12a: the CSRF page: a cross-site form POST, credentials included (a navigation).
    let target = api.url("/data?case=12a");
    let shown = s.follow(&format!("{evil}/form?{target}"), &target);
    let traffic = api.take();
    report_navigation("12a cross-site form POST from http://evil.localhost:A", &shown, &traffic);
    assert_eq!(
        wire(&traffic, "/data?case=12a"),
        [("POST", Some(evil.as_str()), Some("cross-site"), Some("navigate"), 403)],
        "{}",
        traffic.summary()
    );
    assert_eq!(
        cookie(&traffic, "/data?case=12a"),
        Some("xsite=1"),
        "the SameSite=None cookie goes cross-site"
    );
    assert!(traffic.handled.is_empty(), "the handler must not run: {}", traffic.summary());
    assert!(shown.contains("HTTP ERROR 403"), "the tab must show the 403: {shown:?}");

    // 12b: the same form from a sibling origin of the same site: the Lax cookie goes with it,
    // Sec-Fetch-Site says same-site, and it is refused too.
    let target = api.url("/data?case=12b");
    let shown = s.follow(&format!("{sibling}/form?{target}"), &target);
    let traffic = api.take();
    report_navigation("12b same-site form POST from http://api.localhost:A", &shown, &traffic);
    assert_eq!(
        wire(&traffic, "/data?case=12b"),
        [("POST", Some(sibling.as_str()), Some("same-site"), Some("navigate"), 403)],
        "{}",
        traffic.summary()
    );
    assert_eq!(cookie(&traffic, "/data?case=12b"), Some("session=s3cr3t; xsite=1"), "{}", traffic.summary());
    assert!(traffic.handled.is_empty(), "the handler must not run: {}", traffic.summary());
    assert!(shown.contains("HTTP ERROR 403"), "the tab must show the 403: {shown:?}");

    // 12c: fetch(url, {method: "POST", mode: "no-cors", credentials: "include", body: "x"}) from
    // the untrusted page: the page gets an opaque response either way; the handler never runs.
    let no_cors = json!({ "method": "POST", "mode": "no-cors", "credentials": "include", "body": "x", "cache": "no-store" });
    let outcome = s.fetch("evil.localhost", &api.url("/data?case=12c"), no_cors.clone(), &[]);
    let traffic = api.take();
    report("12c no-cors credentialed POST from http://evil.localhost:A", &outcome, &traffic);
    assert!(outcome.resolved() && outcome.0["type"] == json!("opaque"), "{outcome}");
    assert_eq!(
        wire(&traffic, "/data?case=12c"),
        [("POST", Some(evil.as_str()), Some("cross-site"), Some("no-cors"), 403)],
        "{}",
        traffic.summary()
    );
    assert!(traffic.handled.is_empty(), "the handler must not run: {}", traffic.summary());
    // Informational: Chromium's third-party cookie rules, not the policy's.
    eprintln!(
        "    => a cross-site no-cors fetch {} the SameSite=None cookie",
        if cookie(&traffic, "/data?case=12c").is_some() { "carries" } else { "does not carry" }
    );

    // 12d: the same fetch from the trusted http://app.localhost:A reaches the handler.
    let outcome = s.fetch("app.localhost", &api.url("/data?case=12d"), no_cors, &[]);
    let traffic = api.take();
    report("12d no-cors credentialed POST from the trusted http://app.localhost:A", &outcome, &traffic);
    assert!(outcome.resolved() && outcome.0["type"] == json!("opaque"), "{outcome}");
    assert_eq!(
        wire(&traffic, "/data?case=12d"),
        [("POST", Some(app.as_str()), Some("cross-site"), Some("no-cors"), 200)],
        "{}",
        traffic.summary()
    );
    assert_eq!(traffic.handled.len(), 1, "{}", traffic.summary());
    assert_eq!(traffic.handled[0].origin.as_deref(), Some(app.as_str()));

    // 12e: a same-origin form POST (a page of the API itself) reaches the handler.
    let target = api.url("/data?case=12e");
    let shown = s.follow(&api.url("/form?/data?case=12e"), &target);
    let traffic = api.take();
    report_navigation("12e same-origin form POST from a page of the API", &shown, &traffic);
    assert_eq!(
        wire(&traffic, "/data?case=12e"),
        [("POST", Some(api.origin.as_str()), Some("same-origin"), Some("navigate"), 200)],
        "{}",
        traffic.summary()
    );
    assert_eq!(traffic.handled.len(), 1, "{}", traffic.summary());
    assert_eq!(shown, "POST /data?case=12e cookie=session=s3cr3t; xsite=1");

    // 12f: a GET navigation from the untrusted page passes (a safe method).
    let target = api.url("/data?case=12f");
    let shown = s.follow(&format!("{evil}/go?{target}"), &target);
    let traffic = api.take();
    report_navigation("12f GET navigation from http://evil.localhost:A", &shown, &traffic);
    assert_eq!(
        wire(&traffic, "/data?case=12f"),
        [("GET", None, Some("cross-site"), Some("navigate"), 200)],
        "{}",
        traffic.summary()
    );
    assert_eq!(traffic.handled.len(), 1, "{}", traffic.summary());
    assert_eq!(
        shown, "GET /data?case=12f cookie=session=s3cr3t; xsite=1",
        "a top-level GET carries Lax cookies"
    );
}

fn report_navigation(case: &str, shown: &str, traffic: &Traffic) {
    eprintln!("case {case}\n    tab:    {shown:?}\n    server: {}", traffic.summary());
}

type Case = (&'static str, fn(&Suite));

#[test]
fn chromium_enforces_compiled_policies() {
    let started = Instant::now();
    let version = webdriver::require_chromium();
    eprintln!("{version}");
    let suite = Suite::start();
    eprintln!(
        "session browserVersion {}; pages on http://*.localhost:{}, APIs: main {}, credentialed {}, \
         subdomains {}, previews {}, wildcard-headers {}, writes {}",
        suite.browser.version,
        suite.page_port,
        suite.main.origin,
        suite.credentialed.origin,
        suite.subdomains.origin,
        suite.previews.origin,
        suite.wildcard.origin,
        suite.writes.origin
    );
    let cases: [Case; 12] = [
        ("1 simple GET", simple_get),
        ("2 credentials", credentialed),
        ("3 preflighted PUT", preflighted_put),
        ("4 lowercase patch", lowercase_patch),
        ("5 expose_headers", exposed_headers),
        ("6 max_age", max_age),
        ("7 subdomain pattern", subdomain_pattern),
        ("8 regex origin", regex_origin),
        ("9 authorization under *", authorization_under_star),
        ("10 redirects", redirects),
        ("11 sandboxed Origin: null", sandboxed_null_origin),
        ("12 protect_writes", protected_writes),
    ];
    let mut failures = Vec::new();
    for (name, case) in cases {
        suite.clear();
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| case(&suite))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            eprintln!("    FAILED: {message}");
            failures.push(format!("case {name}: {message}"));
        }
    }
    eprintln!("browser suite: {} cases in {:.1?}", cases.len(), started.elapsed());
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}
