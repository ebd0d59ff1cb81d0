// CORS009: `[a-z]+example` also matches `evilexample.com`.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("^https://[a-z]+example\\.com$")],
};

fn main() {}
