// CORS004: `file://` origins, which browsers send as `null`.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["file:///home/me/index.html", "file://"],
};

fn main() {}
