// CORS019: an empty allow_origins.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [],
    allow_methods: [PUT],
};

fn main() {}
