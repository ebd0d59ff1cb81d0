// CORS044: an attempt to turn off `Vary: Origin`.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    vary: false,
};

fn main() {}
