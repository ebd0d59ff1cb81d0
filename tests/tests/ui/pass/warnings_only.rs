// A policy whose only finding is a warning (CORS023: lowercase `put`) still compiles, and
// `put` is allowed as `PUT`, the spelling browsers send. trybuild's pass cases do not check
// warnings; fail/warning_lowercase_method.rs shows the warning itself.
use cors_policy_runtime::{cors_policy, Policy};

static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [put],
    allow_headers: ["x-token"],
};

fn main() {
    let preflight: &[(&str, &str)] = &[
        ("origin", "https://app.example.com"),
        ("access-control-request-method", "PUT"),
        ("access-control-request-headers", "x-token"),
    ];
    assert_eq!(API.evaluate(b"OPTIONS", preflight).status(), Some(204));
    let lowercase: &[(&str, &str)] = &[("origin", "https://app.example.com"), ("access-control-request-method", "put")];
    assert_eq!(API.evaluate(b"OPTIONS", lowercase).status(), Some(403));
}
