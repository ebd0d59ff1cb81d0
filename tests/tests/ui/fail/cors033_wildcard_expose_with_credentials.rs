// CORS033: `*` in expose_headers with credentials.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    expose_headers: ["*"],
    allow_credentials: true,
};

fn main() {}
