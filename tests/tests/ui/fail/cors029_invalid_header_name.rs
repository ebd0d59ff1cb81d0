// CORS029: a header name with a space.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_headers: ["x token"],
};

fn main() {}
