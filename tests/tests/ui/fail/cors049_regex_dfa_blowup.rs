// CORS049: a regex whose DFA needs 2^31 states; refused fast.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("(a|b)*a(a|b){30}")],
};

fn main() {}
