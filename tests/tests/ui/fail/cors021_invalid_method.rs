// CORS021: two methods in one item.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: ["GET POST"],
};

fn main() {}
