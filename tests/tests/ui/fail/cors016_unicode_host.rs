// CORS016: a non-ASCII host; browsers send punycode.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://bücher.example"],
};

fn main() {}
