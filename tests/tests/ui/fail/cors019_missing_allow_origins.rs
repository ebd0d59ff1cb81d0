// CORS019: no allow_origins at all.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_methods: [PUT],
    max_age: 600,
};

fn main() {}
