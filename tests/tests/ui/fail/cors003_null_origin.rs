// CORS003: the `null` origin, which any sandboxed iframe can send.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com", "null"],
};

fn main() {}
