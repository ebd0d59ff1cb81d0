// CORS037: max_age above 86400.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    max_age: 100000,
};

fn main() {}
