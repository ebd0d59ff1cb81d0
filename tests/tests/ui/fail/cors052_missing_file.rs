// CORS052: a policy file that cannot be read.
static API: cors_policy_runtime::Policy =
    cors_policy_runtime::cors_policy!(file = "../../../../tests/tests/ui/policies/does-not-exist.yaml");

fn main() {}
