// CORS051: the file has no policy of that name; the error lists the ones it has.
//
// The path is absolute: a relative one is resolved against CARGO_MANIFEST_DIR, which for a
// trybuild case is the generated project `$CARGO_TARGET_DIR/tests/trybuild/cors-policy-tests`,
// not this crate, so no relative path works for every target directory.
static API: cors_policy_runtime::Policy =
    cors_policy_runtime::cors_policy!(file = "../../../../tests/tests/ui/policies/named.yaml", policy = "missing");

fn main() {}
