// The file form: named policies of a YAML file.
//
// The path is absolute: a relative one is resolved against CARGO_MANIFEST_DIR, which for a
// trybuild case is the generated project `$CARGO_TARGET_DIR/tests/trybuild/cors-policy-tests`,
// not this crate, so no relative path works for every target directory.
use cors_policy_runtime::{cors_policy, Policy};

static APP: Policy = cors_policy!(file = "../../../../tests/tests/ui/policies/named.yaml", policy = "app");
static PUBLIC: Policy = cors_policy!(file = "../../../../tests/tests/ui/policies/named.yaml", policy = "public");

fn main() {
    let preflight = |origin: &'static str| -> [(&'static str, &'static str); 2] {
        [("origin", origin), ("access-control-request-method", "DELETE")]
    };
    assert_eq!(APP.evaluate(b"OPTIONS", &preflight("https://app.example.com")[..]).status(), Some(204));
    assert_eq!(APP.evaluate(b"OPTIONS", &preflight("https://pr-7.preview.example.com")[..]).status(), Some(204));
    assert_eq!(APP.evaluate(b"OPTIONS", &preflight("https://evil.example.net")[..]).status(), Some(403));
    // The public policy allows any origin, but only PUT.
    assert_eq!(PUBLIC.evaluate(b"OPTIONS", &preflight("https://evil.example.net")[..]).status(), Some(403));
    let put: &[(&str, &str)] = &[("origin", "https://evil.example.net"), ("access-control-request-method", "PUT")];
    assert_eq!(PUBLIC.evaluate(b"OPTIONS", put).status(), Some(204));
}
