// A single-page app in development on any localhost port, with credentials: loopback origins
// are secure contexts, so plain http is allowed there (no CORS005).
use cors_policy_runtime::{cors_policy, Policy, ResponseHeader};

static API: Policy = cors_policy! {
    allow_origins: ["http://localhost:*", "http://127.0.0.1:*"],
    allow_methods: [PUT, DELETE],
    allow_headers: ["content-type", "authorization"],
    allow_credentials: true,
};

fn main() {
    for origin in ["http://localhost:5173", "http://localhost:3000", "http://localhost", "http://127.0.0.1:8080"] {
        let preflight: &[(&str, &str)] = &[
            ("origin", origin),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "authorization"),
        ];
        let decision = API.evaluate(b"OPTIONS", preflight);
        assert_eq!(decision.status(), Some(204), "{origin}");
        let headers = decision.headers();
        let allow_origin = headers.iter().find(|(n, _)| *n == ResponseHeader::AllowOrigin);
        assert_eq!(allow_origin.map(|(_, v)| v.as_bytes()), Some(origin.as_bytes()));
        assert!(headers.iter().any(|(n, v)| *n == ResponseHeader::AllowCredentials && v.as_bytes() == b"true"));
    }
    for origin in ["http://localhost.evil.net", "https://localhost:5173", "http://app.example.com"] {
        let preflight: &[(&str, &str)] = &[("origin", origin), ("access-control-request-method", "PUT")];
        assert_eq!(API.evaluate(b"OPTIONS", preflight).status(), Some(403), "{origin}");
    }
}
