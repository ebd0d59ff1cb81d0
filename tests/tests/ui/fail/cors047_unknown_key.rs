// CORS047: a misspelt key, with a did-you-mean.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origin: ["https://app.example.com"],
};

fn main() {}
