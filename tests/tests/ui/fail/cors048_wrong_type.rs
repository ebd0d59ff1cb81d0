// CORS048: values of the wrong type: a string for a boolean, a bare word for a list.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_credentials: "yes",
    allow_methods: GET,
};

fn main() {}
