// CORS040: Private Network Access for every origin.
static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["*"],
    allow_private_network: true,
};

fn main() {}
