//! Every server-side rule of the Fetch Standard's CORS protocol that the runtime implements,
//! checked through policies compiled by `cors_policy!`.

use cors_policy_runtime::{cors_policy, Policy, Refusal, RequestKind, MAX_REQUEST_HEADER_LINES};

#[allow(deprecated)] // CORS006, a subdomain pattern with credentials, is expected here.
static APP: Policy = cors_policy! {
    allow_origins: ["https://app.example.com", "http://localhost:*", "https://*.tenant.example.com",
                    regex("^https://pr-[0-9]+\\.preview\\.example\\.com$")],
    allow_methods: [PUT, DELETE, PATCH],
    allow_headers: ["content-type", "authorization", "x-request-id"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

#[allow(deprecated)] // CORS031, `*` without authorization, is expected here.
static PUBLIC: Policy = cors_policy! {
    allow_origins: ["*"],
    allow_methods: ["*"],
    allow_headers: ["*"],
    expose_headers: ["x-total-count"],
};

static PUBLIC_WITH_AUTH: Policy = cors_policy! {
    allow_origins: ["*"],
    allow_headers: ["*", "authorization"],
};

static DEVICE: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_private_network: true,
    preflight_status: 200,
};

type Headers<'a> = &'a [(&'a str, &'a str)];

fn headers_of(policy: &Policy, method: &str, request: Headers) -> Vec<(String, String)> {
    policy
        .evaluate(method.as_bytes(), request)
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

fn preflight<'a>(origin: &'a str, method: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("origin", origin), ("access-control-request-method", method)]
}

#[test]
fn a_preflight_needs_options_origin_and_request_method() {
    let with_both = preflight("https://app.example.com", "PUT");
    assert_eq!(APP.evaluate(b"OPTIONS", with_both.as_slice()).kind(), RequestKind::Preflight);
    // OPTIONS with Origin but no Access-Control-Request-Method: an actual request (fetch with method OPTIONS).
    let no_acrm: Headers = &[("origin", "https://app.example.com")];
    assert_eq!(APP.evaluate(b"OPTIONS", no_acrm).kind(), RequestKind::Actual);
    // Access-Control-Request-Method without Origin: not CORS at all.
    let no_origin: Headers = &[("access-control-request-method", "PUT")];
    assert_eq!(APP.evaluate(b"OPTIONS", no_origin).kind(), RequestKind::NotCors);
    // Another method with both headers is an actual request.
    assert_eq!(APP.evaluate(b"POST", with_both.as_slice()).kind(), RequestKind::Actual);
}

#[test]
fn an_allowed_preflight_gets_the_echoed_origin_and_only_the_requested_method() {
    let request: Headers = &[
        ("origin", "https://app.example.com"),
        ("access-control-request-method", "PUT"),
        ("access-control-request-headers", "content-type,x-request-id"),
    ];
    let decision = APP.evaluate(b"OPTIONS", request);
    assert_eq!(decision.status(), Some(204));
    assert!(decision.is_allowed());
    assert_eq!(
        headers_of(&APP, "OPTIONS", request),
        pairs(&[
            ("access-control-allow-origin", "https://app.example.com"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "PUT"),
            ("access-control-allow-headers", "content-type,x-request-id"),
            ("access-control-max-age", "600"),
        ])
    );
}

#[test]
fn safelisted_methods_need_no_allow_methods_header() {
    for method in ["GET", "HEAD", "POST"] {
        let request = preflight("https://app.example.com", method);
        let headers = headers_of(&APP, "OPTIONS", &request);
        assert!(!headers.iter().any(|(n, _)| n == "access-control-allow-methods"), "{method}: {headers:?}");
        assert_eq!(APP.evaluate(b"OPTIONS", request.as_slice()).status(), Some(204));
    }
}

#[test]
fn a_refused_preflight_gets_403_and_no_cors_headers() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("https://evil.example", "PUT", None),
        ("https://app.example.com", "POSTX", None),
        ("https://app.example.com", "PUT", Some("x-unknown")),
    ];
    for (origin, method, extra) in cases {
        let mut request = preflight(origin, method);
        if let Some(extra) = extra {
            request.push(("access-control-request-headers", extra));
        }
        let decision = APP.evaluate(b"OPTIONS", request.as_slice());
        assert_eq!(decision.status(), Some(403), "{request:?}");
        assert!(decision.headers().is_empty(), "{request:?}");
        assert!(!decision.is_allowed());
    }
}

#[test]
fn methods_are_compared_case_sensitively_after_normalisation() {
    // Browsers send `patch` as written; the policy lists `PATCH`.
    let lower = preflight("https://app.example.com", "patch");
    assert_eq!(
        APP.evaluate(b"OPTIONS", lower.as_slice()).refusal(),
        Some(Refusal::MethodNotAllowed(b"patch"))
    );
    let upper = preflight("https://app.example.com", "PATCH");
    assert_eq!(APP.evaluate(b"OPTIONS", upper.as_slice()).status(), Some(204));
    // `put` never arrives from a browser (it is normalised to PUT), so it is not allowed either.
    let put = preflight("https://app.example.com", "put");
    assert_eq!(APP.evaluate(b"OPTIONS", put.as_slice()).status(), Some(403));
}

#[test]
fn wildcard_methods_never_allow_forbidden_ones() {
    for method in ["CONNECT", "TRACE", "track"] {
        let request = preflight("https://a.example", method);
        assert_eq!(PUBLIC.evaluate(b"OPTIONS", request.as_slice()).status(), Some(403), "{method}");
    }
    let request = preflight("https://a.example", "PURGE");
    assert_eq!(
        headers_of(&PUBLIC, "OPTIONS", &request),
        pairs(&[("access-control-allow-origin", "*"), ("access-control-allow-methods", "PURGE")])
    );
}

#[test]
fn request_headers_are_case_insensitive_and_tolerate_whitespace_and_lines() {
    let request: Headers = &[
        ("origin", "https://app.example.com"),
        ("access-control-request-method", "PUT"),
        ("access-control-request-headers", " Content-Type , , X-Request-Id"),
        ("access-control-request-headers", "authorization"),
    ];
    let decision = APP.evaluate(b"OPTIONS", request);
    assert_eq!(decision.status(), Some(204), "{:?}", decision.refusal());
    let echoed: Vec<_> = headers_of(&APP, "OPTIONS", request)
        .into_iter()
        .filter(|(n, _)| n == "access-control-allow-headers")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(echoed, [" Content-Type , , X-Request-Id", "authorization"]);
}

#[test]
fn request_header_parsing_is_bounded() {
    let too_much_space: Headers = &[
        ("origin", "https://app.example.com"),
        ("access-control-request-method", "PUT"),
        ("access-control-request-headers", "content-type,     x-request-id"),
    ];
    assert_eq!(APP.evaluate(b"OPTIONS", too_much_space).refusal(), Some(Refusal::MalformedRequestHeaders));

    let mut lines = preflight("https://app.example.com", "PUT");
    lines.extend(std::iter::repeat_n(
        ("access-control-request-headers", "content-type"),
        MAX_REQUEST_HEADER_LINES + 1,
    ));
    assert_eq!(APP.evaluate(b"OPTIONS", lines.as_slice()).refusal(), Some(Refusal::RequestHeadersTooLarge));

    let commas = ",".repeat(1 << 20);
    let mut huge = preflight("https://app.example.com", "PUT");
    huge.push(("access-control-request-headers", &commas));
    assert_eq!(APP.evaluate(b"OPTIONS", huge.as_slice()).refusal(), Some(Refusal::RequestHeadersTooLarge));

    let names: String = (0..100_000).map(|i| format!("x-h{i},")).collect();
    let mut many = preflight("https://a.example", "PUT");
    many.push(("access-control-request-headers", &names));
    assert_eq!(PUBLIC.evaluate(b"OPTIONS", many.as_slice()).refusal(), Some(Refusal::RequestHeadersTooLarge));
}

#[test]
fn wildcard_headers_never_cover_authorization() {
    let mut request = preflight("https://a.example", "PUT");
    request.push(("access-control-request-headers", "authorization,x-custom"));
    assert_eq!(
        PUBLIC.evaluate(b"OPTIONS", request.as_slice()).refusal(),
        Some(Refusal::AuthorizationNotListed)
    );
    let mut get = preflight("https://a.example", "GET");
    get.push(("access-control-request-headers", "authorization,x-custom"));
    assert_eq!(PUBLIC.evaluate(b"OPTIONS", get.as_slice()).refusal(), Some(Refusal::AuthorizationNotListed));
    assert_eq!(PUBLIC_WITH_AUTH.evaluate(b"OPTIONS", get.as_slice()).status(), Some(204));
    request[2].1 = "x-custom";
    assert_eq!(PUBLIC.evaluate(b"OPTIONS", request.as_slice()).status(), Some(204));
}

#[test]
fn actual_requests_get_headers_only_for_allowed_origins_and_always_vary() {
    let allowed: Headers = &[("origin", "https://pr-42.preview.example.com")];
    let decision = APP.evaluate(b"GET", allowed);
    assert_eq!((decision.kind(), decision.status()), (RequestKind::Actual, None));
    assert_eq!(
        headers_of(&APP, "GET", allowed),
        pairs(&[
            ("access-control-allow-origin", "https://pr-42.preview.example.com"),
            ("access-control-allow-credentials", "true"),
            ("access-control-expose-headers", "x-request-id"),
            ("vary", "Origin"),
        ])
    );
    let refused: Headers = &[("origin", "https://pr-42.preview.example.com.evil.net")];
    assert_eq!(headers_of(&APP, "GET", refused), pairs(&[("vary", "Origin")]));
    let not_cors: Headers = &[];
    assert_eq!(headers_of(&APP, "GET", not_cors), pairs(&[("vary", "Origin")]));
}

#[test]
fn a_wildcard_policy_sends_a_star_everywhere_and_no_vary() {
    let cors: Headers = &[("origin", "https://anyone.example")];
    let expected =
        pairs(&[("access-control-allow-origin", "*"), ("access-control-expose-headers", "x-total-count")]);
    assert_eq!(headers_of(&PUBLIC, "GET", cors), expected);
    assert_eq!(headers_of(&PUBLIC, "GET", &[]), expected);
}

#[test]
fn origin_patterns_match_structurally() {
    let allowed = [
        "http://localhost",
        "http://localhost:5173",
        "https://a.tenant.example.com",
        "https://a.b.tenant.example.com",
    ];
    let refused = [
        "https://tenant.example.com",
        "https://eviltenant.example.com",
        "https://a.tenant.example.com.evil.net",
        "http://a.tenant.example.com",
        "https://a.tenant.example.com:8443",
        "http://localhost.evil.net:3000",
        "https://APP.example.com",
        "https://app.example.com/",
        "https://app.example.com.",
        "null",
        "https://pr-x.preview.example.com",
        "https://pr-1.previewXexample.com",
    ];
    for origin in allowed {
        assert!(APP.evaluate(b"GET", &[("origin", origin)][..]).is_allowed(), "{origin}");
    }
    for origin in refused {
        assert!(!APP.evaluate(b"GET", &[("origin", origin)][..]).is_allowed(), "{origin}");
    }
}

#[test]
fn hostile_origins_are_refused() {
    let long = format!("https://{}.example.com", "a".repeat(64 * 1024));
    let hostile =
        ["", "https://app.example.com\0", "https://app.exämple.com", "https://app.example.com\r\nx: y"];
    for origin in hostile.iter().copied().chain([long.as_str()]) {
        assert!(!APP.evaluate(b"OPTIONS", preflight(origin, "PUT").as_slice()).is_allowed());
    }
    let invalid_utf8: &[(&str, &[u8])] =
        &[("origin", b"https://app.example.com\xff"), ("access-control-request-method", b"PUT")];
    assert_eq!(APP.evaluate(b"OPTIONS", invalid_utf8).status(), Some(403));
    let two_origins: Headers =
        &[("origin", "https://app.example.com"), ("origin", "https://app.example.com")];
    assert_eq!(APP.evaluate(b"GET", two_origins).refusal(), Some(Refusal::MalformedOrigin));
    let long_method = "P".repeat(10_000);
    let request = preflight("https://app.example.com", &long_method);
    assert_eq!(APP.evaluate(b"OPTIONS", request.as_slice()).refusal(), Some(Refusal::MalformedMethod));
}

#[test]
fn private_network_access_is_answered_only_when_allowed() {
    let mut request = preflight("https://app.example.com", "GET");
    request.push(("access-control-request-private-network", "true"));
    let decision = DEVICE.evaluate(b"OPTIONS", request.as_slice());
    assert_eq!(decision.status(), Some(200));
    assert_eq!(
        headers_of(&DEVICE, "OPTIONS", &request),
        pairs(&[
            ("access-control-allow-origin", "https://app.example.com"),
            ("access-control-allow-private-network", "true")
        ])
    );
    assert_eq!(
        APP.evaluate(b"OPTIONS", request.as_slice()).refusal(),
        Some(Refusal::PrivateNetworkNotAllowed)
    );
}

/// Origins a browser never sends, which a `*` policy must answer like any other: a shared
/// cache keyed on the URL alone would otherwise store an answer without
/// `Access-Control-Allow-Origin` and serve it to every visitor.
fn hostile_origin_requests(long: &str) -> Vec<Vec<(&str, &str)>> {
    vec![
        vec![("origin", long)],
        vec![("origin", "https://a.example"), ("origin", "https://b.example")],
        vec![("origin", "https://a.example"), ("origin", "https://a.example")],
        vec![("origin", "")],
        vec![("origin", "https://a.example/")],
        vec![("origin", "null")],
    ]
}

#[test]
fn a_wildcard_policy_answers_star_whatever_the_origin_says() {
    let long = format!("https://{}.example", "a".repeat(400));
    assert!(long.len() > cors_policy_runtime::MAX_ORIGIN_LEN);
    let star =
        pairs(&[("access-control-allow-origin", "*"), ("access-control-expose-headers", "x-total-count")]);
    assert_eq!(headers_of(&PUBLIC, "GET", &[]), star, "the answer without Origin");
    for request in hostile_origin_requests(&long) {
        for method in ["GET", "POST", "OPTIONS"] {
            let decision = PUBLIC.evaluate(method.as_bytes(), request.as_slice());
            assert_eq!(decision.kind(), RequestKind::Actual, "{method} {request:?}");
            assert!(decision.is_allowed(), "{method} {request:?}: {:?}", decision.refusal());
            assert_eq!(headers_of(&PUBLIC, method, &request), star, "{method} {request:?}");
        }
        // A preflight's answer does not depend on the origin either.
        let mut preflight = request.clone();
        preflight.push(("access-control-request-method", "PUT"));
        let decision = PUBLIC.evaluate(b"OPTIONS", preflight.as_slice());
        assert_eq!(decision.status(), Some(204), "{preflight:?}: {:?}", decision.refusal());
        assert_eq!(
            headers_of(&PUBLIC, "OPTIONS", &preflight),
            pairs(&[("access-control-allow-origin", "*"), ("access-control-allow-methods", "PUT")])
        );
    }
}

#[test]
fn an_origin_dependent_policy_varies_on_every_refused_origin() {
    let long = format!("https://{}.example", "a".repeat(400));
    for request in hostile_origin_requests(&long) {
        let decision = APP.evaluate(b"GET", request.as_slice());
        assert!(!decision.is_allowed(), "{request:?}");
        assert_eq!(headers_of(&APP, "GET", &request), pairs(&[("vary", "Origin")]), "{request:?}");
    }
    let two: Headers = &[("origin", "https://app.example.com"), ("origin", "https://app.example.com")];
    assert_eq!(APP.evaluate(b"GET", two).refusal(), Some(Refusal::MalformedOrigin));
    let long: Headers = &[("origin", &long)];
    assert_eq!(APP.evaluate(b"GET", long).refusal(), Some(Refusal::MalformedOrigin));
}

#[test]
fn several_request_method_lines_refuse_the_preflight() {
    // `PUT` and `PUT` combine into `PUT, PUT` (RFC 9110 §5.3): not a method token.
    for (policy, origin) in [(&APP, "https://app.example.com"), (&PUBLIC, "https://a.example")] {
        for second in ["PUT", "DELETE", ""] {
            let request: Headers = &[
                ("origin", origin),
                ("access-control-request-method", "PUT"),
                ("access-control-request-method", second),
            ];
            let decision = policy.evaluate(b"OPTIONS", request);
            assert_eq!(decision.kind(), RequestKind::Preflight);
            assert_eq!(decision.status(), Some(403), "{request:?}");
            assert_eq!(decision.refusal(), Some(Refusal::MalformedMethod), "{request:?}");
            assert!(decision.headers().is_empty(), "{request:?}");
        }
    }
    // The origin is checked first, as for every preflight.
    let evil: Headers = &[
        ("origin", "https://evil.example"),
        ("access-control-request-method", "PUT"),
        ("access-control-request-method", "PUT"),
    ];
    assert_eq!(
        APP.evaluate(b"OPTIONS", evil).refusal(),
        Some(Refusal::OriginNotAllowed(b"https://evil.example"))
    );
    // On another method the header means nothing: an actual request, allowed.
    let get: Headers = &[
        ("origin", "https://app.example.com"),
        ("access-control-request-method", "PUT"),
        ("access-control-request-method", "PUT"),
    ];
    assert!(APP.evaluate(b"GET", get).is_allowed());
}

#[test]
fn private_network_access_is_requested_only_by_one_true_line() {
    let mut request = preflight("https://app.example.com", "GET");
    request.push(("access-control-request-private-network", "true"));
    request.push(("access-control-request-private-network", "true"));
    // `true, true` is not `true`: not requested, so no permission is sent ...
    let decision = DEVICE.evaluate(b"OPTIONS", request.as_slice());
    assert_eq!(decision.status(), Some(200));
    assert_eq!(
        headers_of(&DEVICE, "OPTIONS", &request),
        pairs(&[("access-control-allow-origin", "https://app.example.com")])
    );
    // ... and a policy without private network access has nothing to refuse.
    assert_eq!(APP.evaluate(b"OPTIONS", request.as_slice()).status(), Some(204));
    for value in ["TRUE", "true, true", "1"] {
        let mut request = preflight("https://app.example.com", "GET");
        request.push(("access-control-request-private-network", value));
        assert_eq!(
            headers_of(&DEVICE, "OPTIONS", &request),
            pairs(&[("access-control-allow-origin", "https://app.example.com")]),
            "{value}"
        );
    }
}
