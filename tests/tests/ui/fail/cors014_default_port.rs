// CORS014: the default port spelled out.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com:443", "http://localhost:80"],
};

fn main() {}
