// Multi-tenant subdomains with credentials. This is a warning (CORS006: any subdomain takeover
// reads credentialed data), not an error, so it compiles; trybuild's pass cases do not check
// warnings (see fail/warning_lowercase_method.rs for how a warning is shown).
use cors_policy_runtime::{cors_policy, Policy};

static API: Policy = cors_policy! {
    allow_origins: ["https://*.example.com"],
    allow_methods: [PUT],
    allow_credentials: true,
};

fn main() {
    let status = |origin: &str| {
        let preflight: &[(&str, &str)] = &[("origin", origin), ("access-control-request-method", "PUT")];
        API.evaluate(b"OPTIONS", preflight).status()
    };
    assert_eq!(status("https://tenant.example.com"), Some(204));
    assert_eq!(status("https://a.b.example.com"), Some(204));
    // `*.` needs at least one subdomain label, and only that host suffix.
    assert_eq!(status("https://example.com"), Some(403));
    assert_eq!(status("https://evilexample.com"), Some(403));
    assert_eq!(status("https://tenant.example.com.evil.net"), Some(403));
    assert_eq!(status("http://tenant.example.com"), Some(403));
    assert_eq!(status("https://tenant.example.com:8443"), Some(403));
}
