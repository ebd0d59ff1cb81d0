// CORS003: `null` written as a bare word is the same origin as the string "null".
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [null],
};

fn main() {}
