// Compile-fail cases: Regex origins: over-matching, unescaped dots, loose hosts, invalid regexes and DFA
// blow-ups.
//
// Each `static` is one case, named after what it shows; each reports its own errors at its
// own tokens, in source order in the .stderr file.

// CORS009: `[a-z]+example` also matches `evilexample.com`.
static CORS009_REGEX_OVER_MATCH: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("^https://[a-z]+example\\.com$")],
};

// CORS010: the unescaped `.` matches any byte (`apiXexample.com`).
static CORS010_REGEX_UNESCAPED_DOT: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("^https://api.example.com$")],
};

// CORS011: `.*` admits bytes no serialized origin has (`/`, `_`, ...).
static CORS011_REGEX_LOOSE_HOST: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("^https://.*\\.example\\.com$")],
};

// CORS049: a regex that does not parse.
static CORS049_INVALID_REGEX: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("(")],
};

// CORS049: a regex whose DFA needs 2^31 states; refused fast.
static CORS049_REGEX_DFA_BLOWUP: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("(a|b)*a(a|b){30}")],
};

fn main() {}
