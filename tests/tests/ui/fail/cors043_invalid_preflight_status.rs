// CORS043: a preflight status outside 2xx.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    preflight_status: 301,
};

fn main() {}
