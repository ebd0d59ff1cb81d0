// CORS035: a request header in expose_headers.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    expose_headers: ["origin"],
};

fn main() {}
