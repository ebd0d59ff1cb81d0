// CORS012: a trailing slash, and a path.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com/", "https://api.example.com/v1"],
};

fn main() {}
