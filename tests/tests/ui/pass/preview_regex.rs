// Preview deployments matched by a regex: tight enough to pass every regex check.
use cors_policy_runtime::{cors_policy, Policy};

static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com", regex("^https://pr-[0-9]+\\.preview\\.example\\.com$")],
    allow_methods: [PUT],
    allow_credentials: true,
};

fn main() {
    let status = |origin: &str| {
        let preflight: &[(&str, &str)] = &[("origin", origin), ("access-control-request-method", "PUT")];
        API.evaluate(b"OPTIONS", preflight).status()
    };
    assert_eq!(status("https://app.example.com"), Some(204));
    assert_eq!(status("https://pr-1.preview.example.com"), Some(204));
    assert_eq!(status("https://pr-12345.preview.example.com"), Some(204));
    assert_eq!(status("https://pr-.preview.example.com"), Some(403));
    assert_eq!(status("https://pr-1xpreview.example.com"), Some(403));
    assert_eq!(status("https://pr-1.preview.example.com.evil.net"), Some(403));
    assert_eq!(status("http://pr-1.preview.example.com"), Some(403));
}
