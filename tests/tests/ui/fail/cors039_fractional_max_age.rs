// CORS039: a max_age that is not a whole number.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    max_age: 1.5,
};

fn main() {}
