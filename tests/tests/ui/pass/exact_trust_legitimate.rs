// What real teams write passes the exact trust analysis, with credentials: preview deployments,
// two domains spelled out, any port on a fixed host, loopback with any port, subdomains of
// `localhost`, punycode hosts and extension origins (a digit-first Firefox UUID included).
use cors_policy_runtime::{cors_policy, Policy};

static API: Policy = cors_policy! {
    allow_origins: [
        regex(r"^https://pr-[0-9]+\.preview\.example\.com$"),
        regex(r"^https://(app|admin)\.example\.(com|org)$"),
        regex(r"^https://staging\.example\.com(:[0-9]+)?$"),
        regex(r"^http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?$"),
        regex(r"^http://[a-z0-9-]+\.localhost(:[0-9]+)?$"),
        regex(r"^https://([a-z0-9-]+\.)?xn--bcher-kva\.example$"),
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
        "moz-extension://0a1b2c3d-1111-2222-3333-444455556666",
    ],
    allow_credentials: true,
};

fn main() {
    let get = |origin: &'static str| API.evaluate(b"GET", &[("origin", origin)][..]).is_allowed();
    for allowed in [
        "https://pr-42.preview.example.com",
        "https://admin.example.org",
        "https://staging.example.com:8443",
        "http://127.0.0.1:5173",
        "http://app.localhost:3000",
        "https://shop.xn--bcher-kva.example",
        "moz-extension://0a1b2c3d-1111-2222-3333-444455556666",
    ] {
        assert!(get(allowed), "{allowed}");
    }
    for refused in ["https://pr-42.preview.example.com.evil.net", "https://app.example.net", "http://staging.example.com"] {
        assert!(!get(refused), "{refused}");
    }
}
