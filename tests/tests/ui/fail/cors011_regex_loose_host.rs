// CORS011: `.*` admits bytes no serialized origin has (`/`, `_`, ...).
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("^https://.*\\.example\\.com$")],
};

fn main() {}
