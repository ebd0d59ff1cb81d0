// CORS050: the same key twice.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    max_age: 600,
    max_age: 60,
};

fn main() {}
