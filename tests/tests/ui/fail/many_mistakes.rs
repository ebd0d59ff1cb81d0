// Several different mistakes in one policy: every one is reported, each at its token.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["*", "https://App.example.com/", "null", regex("^https://api.example.com$")],
    allow_methods: [PUT, TRACE, "GET POST"],
    allow_headers: ["cookie", "x token"],
    expose_headers: ["set-cookie"],
    allow_credentials: true,
    max_age: 100000,
    preflight_status: 301,
};

fn main() {}
