// A policy file with several mistakes: each is reported as `file:line:col: error[CODE]`, all
// at the path string of the invocation (see cors051_unknown_policy.rs for why it is absolute).
static API: cors_policy_runtime::Policy =
    cors_policy_runtime::cors_policy!(file = "../../../../tests/tests/ui/policies/broken.yaml");

fn main() {}
