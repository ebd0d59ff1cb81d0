// CORS005: plain http with credentials; localhost and 127.0.0.1 are exempt.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["http://app.example.com", "http://localhost:3000", "http://127.0.0.1:8080"],
    allow_credentials: true,
};

fn main() {}
