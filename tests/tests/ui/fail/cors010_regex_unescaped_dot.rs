// CORS010: the unescaped `.` matches any byte (`apiXexample.com`).
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("^https://api.example.com$")],
};

fn main() {}
