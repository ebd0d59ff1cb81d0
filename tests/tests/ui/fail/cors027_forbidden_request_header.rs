// CORS027: `cookie` can never be set by a script.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_headers: ["content-type", "cookie"],
};

fn main() {}
