// A public API: any origin, no credentials. Every origin gets `*`.
use cors_policy_runtime::{cors_policy, Decision, Policy, RequestHeaders, RequestKind, ResponseHeader};

static API: Policy = cors_policy! {
    allow_origins: ["*"],
    allow_methods: [PUT, DELETE],
    allow_headers: ["content-type"],
    max_age: 600,
};

fn header<'r, H: RequestHeaders<'r>>(decision: &Decision<'_, 'r, H>, name: ResponseHeader) -> Option<Vec<u8>> {
    decision.headers().iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_bytes().to_vec())
}

fn main() {
    for origin in ["https://app.example.com", "https://anyone.invalid", "http://localhost:3000"] {
        let preflight: &[(&str, &str)] = &[
            ("origin", origin),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "content-type"),
        ];
        let decision = API.evaluate(b"OPTIONS", preflight);
        assert_eq!(decision.kind(), RequestKind::Preflight);
        assert_eq!(decision.status(), Some(204), "{origin}");
        assert_eq!(header(&decision, ResponseHeader::AllowOrigin).as_deref(), Some(&b"*"[..]));
        assert_eq!(header(&decision, ResponseHeader::AllowCredentials), None);

        let get: &[(&str, &str)] = &[("origin", origin)];
        let decision = API.evaluate(b"GET", get);
        assert_eq!(decision.kind(), RequestKind::Actual);
        assert!(decision.is_allowed());
        assert_eq!(decision.status(), None);
    }
    // A method that is not listed is refused.
    let patch: &[(&str, &str)] = &[("origin", "https://a.example"), ("access-control-request-method", "PATCH")];
    assert_eq!(API.evaluate(b"OPTIONS", patch).status(), Some(403));
}
