// CORS020: TRACE, which fetch() refuses to send.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT, TRACE],
};

fn main() {}
