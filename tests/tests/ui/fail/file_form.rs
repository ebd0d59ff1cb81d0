// Compile-fail cases: The file form, `cors_policy!(file = "...")`: unknown or unchosen policies, a missing
// file, a file with several mistakes. Paths are relative to the generated trybuild project,
// `$CARGO_TARGET_DIR/tests/trybuild/cors-policy-tests`: no relative path reaches this crate from every target
// directory, so these assume `<workspace>/target`.
//
// Each `static` is one case, named after what it shows; each reports its own errors at its
// own tokens, in source order in the .stderr file.

// CORS051: a file of several named policies, and no `policy = "..."` to pick one.
static CORS051_POLICY_NOT_CHOSEN: cors_policy_runtime::Policy =
    cors_policy_runtime::cors_policy!(file = "../../../../tests/tests/ui/policies/named.yaml");

// CORS051: the file has no policy of that name; the error lists the ones it has.
//
// The path is absolute: a relative one is resolved against CARGO_MANIFEST_DIR, which for a
// trybuild case is the generated project `$CARGO_TARGET_DIR/tests/trybuild/cors-policy-tests`,
// not this crate, so no relative path works for every target directory.
static CORS051_UNKNOWN_POLICY: cors_policy_runtime::Policy =
    cors_policy_runtime::cors_policy!(file = "../../../../tests/tests/ui/policies/named.yaml", policy = "missing");

// CORS052: a policy file that cannot be read (an absolute path, so that the message is the same
// for every target directory).
static CORS052_MISSING_FILE: cors_policy_runtime::Policy =
    cors_policy_runtime::cors_policy!(file = "/nonexistent/cors-policy/does-not-exist.yaml");

// A policy file with several mistakes: each is reported as `file:line:col: error[CODE]`, all
// at the path string of the invocation (see CORS051_UNKNOWN_POLICY above for why it is absolute).
static YAML_FILE_ERRORS: cors_policy_runtime::Policy =
    cors_policy_runtime::cors_policy!(file = "../../../../tests/tests/ui/policies/broken.yaml");

fn main() {}
