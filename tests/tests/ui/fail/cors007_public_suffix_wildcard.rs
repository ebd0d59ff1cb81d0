// CORS007: `*.` on a public suffix, ICANN (`com`) and private (`github.io`), with credentials.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://*.com", "https://*.github.io"],
    allow_credentials: true,
};

fn main() {}
