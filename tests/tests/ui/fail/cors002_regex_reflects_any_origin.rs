// CORS002: a regex that accepts any origin (also CORS011: `.*` admits non-origin bytes).
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("^https?://.*$")],
};

fn main() {}
