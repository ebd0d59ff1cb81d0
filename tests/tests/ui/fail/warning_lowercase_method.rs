// A warning (CORS023) is a `deprecated` lint in a plain build; denying `deprecated` makes it
// an error here, so this file shows where the warning points and what it says.
#![deny(deprecated)]

static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [put, DELETE],
};

fn main() {}
