// CORS028: a response header in allow_headers.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_headers: ["access-control-allow-origin"],
};

fn main() {}
