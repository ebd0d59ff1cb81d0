// CORS039: a negative max_age.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    max_age: -1,
};

fn main() {}
