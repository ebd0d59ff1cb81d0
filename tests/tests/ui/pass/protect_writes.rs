// `protect_writes` inline: generated code carries the write origins, exempt paths and public
// host, and the compiled policy refuses a cross-site form POST before any handler would run.
// The layer applies the same decision before the handler (tests/tests/write_protection.rs).
use cors_policy_core::write_protection::{HeaderField, WritePass, WriteRefusal, WriteRequest};
use cors_policy_runtime::{cors_policy, Policy};

static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    protect_writes: true,
    write_origins: [regex(r"^https://(ops|billing)\.example\.com$")],
    write_exempt_paths: ["/webhooks/*"],
    public_host: "api.example.com",
};

fn main() {
    let post = |origin: &'static [u8], site: HeaderField<'static>| WriteRequest {
        method: b"POST",
        origin: HeaderField::One(origin),
        sec_fetch_site: site,
        host: HeaderField::One(b"10.0.0.7:8080"),
    };
    let engine = API.engine();
    let cross = HeaderField::One(b"cross-site");
    assert_eq!(engine.protect_writes(&post(b"https://evil.example", cross), b"/transfer"), Some(Err(WriteRefusal::CrossSite)));
    assert_eq!(engine.protect_writes(&post(b"https://billing.example.com", cross), b"/transfer"), Some(Ok(WritePass::TrustedOrigin)));
    assert_eq!(engine.protect_writes(&post(b"https://evil.example", cross), b"/webhooks/stripe"), None);
    assert_eq!(
        engine.protect_writes(&post(b"https://api.example.com", HeaderField::Absent), b"/transfer"),
        Some(Ok(WritePass::OriginIsHost))
    );
}
