// CORS015: no scheme, and userinfo.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["app.example.com", "https://user:pw@app.example.com"],
};

fn main() {}
