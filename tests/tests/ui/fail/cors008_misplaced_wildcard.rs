// CORS008: a `*` that is not a leading `*.` label or a `:*` port.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://*example.com", "https://api.*.example.com"],
};

fn main() {}
