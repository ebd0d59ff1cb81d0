use cors_policy_runtime::{cors_policy, Policy};

#[allow(deprecated)] // CORS006 is expected here.
static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com", "https://*.example.com", regex("^https://pr-[0-9]+\\.preview\\.example\\.com$")],
    allow_methods: [GET, POST, PUT, DELETE],
    allow_headers: ["content-type", "authorization"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

#[test]
fn smoke() {
    let h: &[(&str, &str)] =
        &[("origin", "https://pr-12.preview.example.com"), ("access-control-request-method", "PUT")];
    assert_eq!(API.evaluate(b"OPTIONS", h).status(), Some(204));
}

#[allow(deprecated)] // two warnings (CORS023 twice) must both compile.
static TWO_WARNINGS: Policy = cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [put, delete],
};

#[test]
fn several_warnings_compile_and_lowercase_methods_are_normalised() {
    let h: &[(&str, &str)] =
        &[("origin", "https://app.example.com"), ("access-control-request-method", "DELETE")];
    assert_eq!(TWO_WARNINGS.evaluate(b"OPTIONS", h).status(), Some(204));
}
