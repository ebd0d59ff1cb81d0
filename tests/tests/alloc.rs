//! Heap allocations per request, counted by a global allocator: none in the decision, none
//! added to an actual response whose header map has room, and only the response map's own for
//! a preflight.

use cors_policy_runtime::http::HttpPolicy;
use cors_policy_runtime::{cors_policy, Policy};
use http::{HeaderMap, HeaderValue, Method, Request, Response};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use tower::{Layer, Service};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards every call to the system allocator unchanged; it only counts calls, in a
// thread-local so that tests running on other threads do not disturb the count.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let result = f();
    (result, ALLOCATIONS.with(Cell::get) - before)
}

#[allow(deprecated)] // CORS006 (subdomains with credentials) is expected here.
static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com", "https://*.tenant.example.com", regex("^https://pr-[0-9]+\\.preview\\.example\\.com$")],
    allow_methods: [PUT, DELETE],
    allow_headers: ["content-type", "x-request-id"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

static PUBLIC: Policy = cors_policy! {
    allow_origins: ["*"],
    allow_methods: [PUT],
    expose_headers: ["x-total-count"],
};

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_static(value));
    }
    map
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[test]
fn the_decision_never_allocates() {
    let policy = HttpPolicy::new(&API);
    let commas = leak(",".repeat(1 << 20));
    let names = leak((0..100_000).map(|i| format!("x-h{i}")).collect::<Vec<_>>().join(","));
    let long_origin = leak(format!("https://{}.example.com", "a".repeat(64 * 1024)));
    let mut many_lines =
        headers(&[("origin", "https://app.example.com"), ("access-control-request-method", "PUT")]);
    for _ in 0..1000 {
        many_lines.append("access-control-request-headers", HeaderValue::from_static("content-type"));
    }
    let mut cases: Vec<(&str, Method, HeaderMap)> = vec![
        (
            "allowed preflight",
            Method::OPTIONS,
            headers(&[
                ("origin", "https://a.tenant.example.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "content-type,x-request-id"),
            ]),
        ),
        ("allowed actual (regex)", Method::GET, headers(&[("origin", "https://pr-7.preview.example.com")])),
        ("refused origin", Method::GET, headers(&[("origin", "https://evil.example")])),
        (
            "refused preflight",
            Method::OPTIONS,
            headers(&[("origin", "https://evil.example"), ("access-control-request-method", "PUT")]),
        ),
        (
            "1 MiB of commas",
            Method::OPTIONS,
            headers(&[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", commas),
            ]),
        ),
        (
            "100,000 names",
            Method::OPTIONS,
            headers(&[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", names),
            ]),
        ),
        ("1,000 lines", Method::OPTIONS, many_lines),
        (
            "64 KiB origin",
            Method::OPTIONS,
            headers(&[("origin", long_origin), ("access-control-request-method", "PUT")]),
        ),
    ];
    // Bytes `http` accepts in a value but no origin has: non-ASCII and invalid UTF-8. (NUL and
    // other control bytes never get this far: `http` refuses them in any header value.)
    let raw = |origin: &[u8]| {
        let mut map = headers(&[("access-control-request-method", "PUT")]);
        map.insert("origin", HeaderValue::from_bytes(origin).unwrap());
        map
    };
    let long_method = leak("P".repeat(10_000));
    cases.push(("non-ASCII origin", Method::OPTIONS, raw("https://app.exämple.com".as_bytes())));
    cases.push(("invalid UTF-8 origin", Method::OPTIONS, raw(b"https://app.example.com\xff")));
    cases.push((
        "10 KB method",
        Method::OPTIONS,
        headers(&[("origin", "https://app.example.com"), ("access-control-request-method", long_method)]),
    ));
    // Lines no browser sends, which the decision must not copy to combine (RFC 9110 §5.3).
    let overlong_origin = leak(format!("https://{}.example", "a".repeat(400)));
    let two_lines = [
        ("two Origin lines", Method::GET, "origin", "https://app.example.com"),
        ("two Origin lines, preflight", Method::OPTIONS, "origin", "https://app.example.com"),
        ("two request-method lines", Method::OPTIONS, "access-control-request-method", "PUT"),
        ("two private-network lines", Method::OPTIONS, "access-control-request-private-network", "true"),
    ];
    for (name, method, header, value) in two_lines {
        let mut map =
            headers(&[("origin", "https://app.example.com"), ("access-control-request-method", "PUT")]);
        map.append(header, HeaderValue::from_static(value));
        if header == "access-control-request-private-network" {
            map.append(header, HeaderValue::from_static(value));
        }
        cases.push((name, method, map));
    }
    cases.push(("400-byte origin", Method::GET, headers(&[("origin", overlong_origin)])));
    for (name, method, map) in &cases {
        for (policy_name, policy) in [("API", &policy), ("PUBLIC", &HttpPolicy::new(&PUBLIC))] {
            let (allowed, count) = allocations(|| policy.decide(method, map).is_allowed());
            assert_eq!(count, 0, "{policy_name}: {name} (allowed: {allowed}) allocated {count} times");
        }
    }
}

/// An inner service handing out prepared responses, so that its own allocations happen
/// before counting starts.
struct Prepared(Vec<Response<()>>);

impl Service<Request<()>> for Prepared {
    type Response = Response<()>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Response<()>, Infallible>>;
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }
    fn call(&mut self, _: Request<()>) -> Self::Future {
        std::future::ready(Ok(self.0.pop().expect("a prepared response")))
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

fn request(method: Method, pairs: &[(&'static str, &'static str)]) -> Request<()> {
    let mut request = Request::new(());
    *request.method_mut() = method;
    *request.headers_mut() = headers(pairs);
    request
}

#[test]
fn the_layer_adds_no_allocation_to_an_actual_response_with_room() {
    let mut roomy = Response::new(());
    roomy.headers_mut().reserve(16);
    let mut service = API.layer().layer(Prepared(vec![roomy]));
    let request = request(Method::GET, &[("origin", "https://app.example.com")]);
    let (response, count) = allocations(|| block_on(service.call(request)).unwrap());
    assert_eq!(response.headers()["access-control-allow-origin"], "https://app.example.com");
    assert_eq!(response.headers().len(), 4);
    assert_eq!(count, 0, "the layer allocated {count} times on an actual request");
}

#[test]
fn a_preflight_allocates_only_its_header_map() {
    let mut service = API.layer().layer(Prepared(Vec::new()));
    let request = request(
        Method::OPTIONS,
        &[
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "content-type"),
        ],
    );
    let (response, count) = allocations(|| block_on(service.call(request)).unwrap());
    assert_eq!(response.status(), 204);
    assert_eq!(response.headers().len(), 5);
    // HeaderMap::reserve allocates its index table and its entry vector, once each.
    assert!(count <= 2, "a preflight allocated {count} times");
    eprintln!("allocations for a preflight: {count}");
}

#[test]
fn a_wildcard_policy_adds_no_allocation_to_answers_for_hostile_origins() {
    let long = leak(format!("https://{}.example", "a".repeat(400)));
    let cases: [&[(&'static str, &'static str)]; 2] =
        [&[("origin", long)], &[("origin", "https://a.example"), ("origin", "https://b.example")]];
    for pairs in cases {
        let mut roomy = Response::new(());
        roomy.headers_mut().reserve(16);
        let mut service = PUBLIC.layer().layer(Prepared(vec![roomy]));
        let hostile = request(Method::GET, pairs);
        let (response, count) = allocations(|| block_on(service.call(hostile)).unwrap());
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        assert_eq!(count, 0, "{pairs:?}: the layer allocated {count} times");
    }
}

/// A refused request allocates nothing; a layer made `with_refusal_extensions` puts its
/// `CorsRefusal` in the response's extensions, and `http::Extensions` allocates on its first
/// insert: its map (a `Box` of a `HashMap`, whose table is allocated on insert) and the boxed
/// value, so three allocations, which allowed requests never pay.
const EXTENSION_ALLOCATIONS: usize = 3;

#[test]
fn a_refusal_costs_nothing_or_only_the_extension_map() {
    for (layer, expected) in
        [(API.layer(), 0), (API.layer().with_refusal_extensions(), EXTENSION_ALLOCATIONS)]
    {
        // An actual request from a refused origin: the headers fit, only the extension allocates.
        let mut roomy = Response::new(());
        roomy.headers_mut().reserve(16);
        let mut service = layer.clone().layer(Prepared(vec![roomy]));
        let refused = request(Method::GET, &[("origin", "https://evil.example")]);
        let (response, count) = allocations(|| block_on(service.call(refused)).unwrap());
        let extension = response.extensions().get::<cors_policy_runtime::CorsRefusal>();
        assert_eq!(extension.is_some(), expected > 0);
        eprintln!("allocations for a refused actual request: {count}");
        assert_eq!(count, expected, "a refused actual request allocated {count} times");

        // A refused preflight has no header at all, so only the extension allocates.
        let mut service = layer.clone().layer(Prepared(Vec::new()));
        let refused = [
            request(
                Method::OPTIONS,
                &[("origin", "https://evil.example"), ("access-control-request-method", "PUT")],
            ),
            request(
                Method::OPTIONS,
                &[
                    ("origin", "https://app.example.com"),
                    ("access-control-request-method", "PUT"),
                    ("access-control-request-method", "PUT"),
                ],
            ),
        ];
        for preflight in refused {
            let (response, count) = allocations(|| block_on(service.call(preflight)).unwrap());
            assert_eq!(response.status(), 403);
            assert_eq!(
                response.extensions().get::<cors_policy_runtime::CorsRefusal>().is_some(),
                expected > 0
            );
            eprintln!("allocations for a refused preflight: {count}");
            assert_eq!(count, expected, "a refused preflight allocated {count} times");
        }
    }
}

static GUARDED: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT],
    allow_credentials: true,
    protect_writes: true,
    write_origins: ["https://ops.example.com"],
    write_exempt_paths: ["/webhooks/*"],
};

static UNGUARDED: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT],
    allow_credentials: true,
};

/// `protect_writes` adds no allocation to a write it lets through (same-origin, trusted
/// cross-site, a browser without Fetch Metadata whose Origin is the host): the count is that of
/// the same policy without the guard.
#[test]
fn protect_writes_adds_no_allocation_to_a_write_that_passes() {
    for pairs in [
        &[
            ("origin", "https://api.example.com"),
            ("sec-fetch-site", "same-origin"),
            ("host", "api.example.com"),
        ][..],
        &[
            ("origin", "https://ops.example.com"),
            ("sec-fetch-site", "cross-site"),
            ("host", "api.example.com"),
        ],
        &[("origin", "https://api.example.com"), ("host", "api.example.com")],
    ] {
        let count = |policy: &'static Policy<'static>| {
            let mut roomy = Response::new(());
            roomy.headers_mut().reserve(16);
            let mut service = policy.layer().layer(Prepared(vec![roomy]));
            let request = request(Method::POST, pairs);
            let (response, count) = allocations(|| block_on(service.call(request)).unwrap());
            assert_eq!(response.status(), 200, "{pairs:?}");
            count
        };
        let (guarded, unguarded) = (count(&GUARDED), count(&UNGUARDED));
        assert_eq!(
            guarded,
            unguarded,
            "{pairs:?}: the guard added {} allocations",
            guarded.abs_diff(unguarded)
        );
    }
}

/// A policy loaded at run time, served as it is or through a reloadable handle, allocates per
/// request exactly what the same policy compiled by `cors_policy!` allocates; so does a
/// static policy whose origin is found in a tenant set.
#[test]
fn runtime_policies_and_tenant_sets_allocate_what_static_policies_do() {
    use cors_policy_runtime::{CorsLayer, OwnedPolicy, ReloadablePolicy};
    const YAML: &str = "allow_origins: [https://app.example.com, https://*.tenant.example.com, {regex: '^https://pr-[0-9]+\\.preview\\.example\\.com$'}]\nallow_methods: [PUT, DELETE]\nallow_headers: [content-type, x-request-id]\nexpose_headers: [x-request-id]\nallow_credentials: true\nmax_age: 600\n";
    static TENANTED: Policy = cors_policy! {
        allow_origins: ["https://admin.example.com", tenants("customers")],
        allow_methods: [PUT, DELETE],
        allow_headers: ["content-type", "x-request-id"],
        expose_headers: ["x-request-id"],
        allow_credentials: true,
        max_age: 600,
    };
    let owned = OwnedPolicy::from_yaml(YAML, "api.yaml", None).unwrap();
    let reloadable = ReloadablePolicy::new(owned.clone());
    let customers = TENANTED.tenant_origins("customers").unwrap();
    customers.replace_all((0..1000).map(|i| format!("https://shop{i}.customers.example"))).unwrap();
    let tenants = TENANTED.layer().with_tenant_origins([customers]).unwrap();

    let count = |layer: &CorsLayer, method: Method, pairs: &[(&'static str, &'static str)]| {
        let mut roomy = Response::new(());
        roomy.headers_mut().reserve(16);
        let mut warm = Response::new(());
        warm.headers_mut().reserve(16);
        let mut service = layer.layer(Prepared(vec![roomy, warm]));
        // The first `arc_swap` load on a thread may allocate the thread's debt list once.
        let _ = block_on(service.call(request(method.clone(), pairs)));
        let request = request(method, pairs);
        let (response, count) = allocations(|| block_on(service.call(request)).unwrap());
        (response.status(), response.headers().get("access-control-allow-origin").cloned(), count)
    };
    type Pairs = &'static [(&'static str, &'static str)];
    let cases: [(&str, Method, Pairs); 4] = [
        ("allowed actual", Method::GET, &[("origin", "https://app.example.com")]),
        ("allowed actual (regex)", Method::GET, &[("origin", "https://pr-7.preview.example.com")]),
        (
            "allowed preflight",
            Method::OPTIONS,
            &[
                ("origin", "https://a.tenant.example.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "content-type"),
            ],
        ),
        ("refused actual", Method::GET, &[("origin", "https://evil.example")]),
    ];
    for (name, method, pairs) in cases {
        let fixed = count(&API.layer(), method.clone(), pairs);
        for (kind, layer) in [("owned", owned.layer()), ("reloadable", reloadable.layer())] {
            assert_eq!(count(&layer, method.clone(), pairs), fixed, "{kind}: {name}");
        }
    }
    let (status, origin, allocated) =
        count(&tenants, Method::GET, &[("origin", "https://shop999.customers.example")]);
    assert_eq!(
        (status, origin.as_ref().map(|v| v.as_bytes())),
        (200.try_into().unwrap(), Some(&b"https://shop999.customers.example"[..]))
    );
    assert_eq!(allocated, 0, "a tenant origin's actual request allocated {allocated} times");
}
