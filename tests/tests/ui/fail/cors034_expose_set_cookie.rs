// CORS034: set-cookie is never exposed.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    expose_headers: ["x-request-id", "set-cookie"],
};

fn main() {}
