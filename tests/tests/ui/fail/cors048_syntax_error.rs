// CORS048: a field without its `:`.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins ["https://app.example.com"],
};

fn main() {}
