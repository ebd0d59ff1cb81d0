// CORS001: `*` with credentials.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["*"],
    allow_credentials: true,
};

fn main() {}
