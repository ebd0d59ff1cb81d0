// CORS017: a shorthand IPv4 address, port 0, and a port with a leading zero.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["http://127.1", "http://localhost:0", "http://localhost:03000"],
};

fn main() {}
