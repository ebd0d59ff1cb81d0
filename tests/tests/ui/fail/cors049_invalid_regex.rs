// CORS049: a regex that does not parse.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("(")],
};

fn main() {}
