// CORS051: a file of several named policies, and no `policy = "..."` to pick one.
static API: cors_policy_runtime::Policy =
    cors_policy_runtime::cors_policy!(file = "../../../../tests/tests/ui/policies/named.yaml");

fn main() {}
