// A warning allowed with its reason is silent in the build: `deny(deprecated)` (how the macro
// reports warnings on stable) would fail this case if CORS006 were still reported.
#![deny(deprecated)]
use cors_policy_runtime::{cors_policy, Policy};

static TENANTS: Policy = cors_policy! {
    allow_origins: ["https://*.tenants.example.com"],
    allow_credentials: true,
    allow_warnings: [CORS006("every tenant subdomain is served by us; no user content")],
};

fn main() {
    let get: &[(&str, &str)] = &[("origin", "https://acme.tenants.example.com")];
    assert!(TENANTS.evaluate(b"GET", get).is_allowed());
}
