// CORS013: uppercase in the host, and in the scheme.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://App.Example.com", "HTTPS://api.example.com"],
};

fn main() {}
