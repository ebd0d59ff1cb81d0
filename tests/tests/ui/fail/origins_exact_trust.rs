// Compile-fail cases: what the exact trust analysis refuses, each at the entry's token.
//
// Each `static` is one case, named after what it shows; each reports its own errors at its
// own tokens, in source order in the .stderr file.

// CORS009: the registrable domain is not fixed letter by letter (`exampleevil.com`).
static CORS009_OPEN_REGISTRABLE_DOMAIN: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex(r"^https://app\.example[a-z]*\.com$")],
    allow_credentials: true,
};

// CORS009: 676 two-letter country domains, `example.com.br` among them.
static CORS009_TOO_MANY_DOMAINS: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex(r"^https://example\.com(\.[a-z]{2})?$")],
};

// CORS009: any IPv4 host.
static CORS009_OPEN_IP_HOSTS: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex(r"^https://[0-9]{1,3}(\.[0-9]{1,3}){3}$")],
};

// CORS009: `s3.amazonaws.com` is a public suffix: every bucket is someone else's site.
static CORS009_BENEATH_A_PUBLIC_SUFFIX: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex(r"^https://[a-z0-9-]+\.s3\.amazonaws\.com$")],
};

// CORS005: a regex that admits plain http, with credentials.
static CORS005_REGEX_ADMITS_HTTP: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex(r"^https?://app\.example\.com$")],
    allow_credentials: true,
};

// CORS007: `*.` matches several labels, and public suffixes lie beneath amazonaws.com.
static CORS007_SUFFIX_BENEATH_PATTERN: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://*.amazonaws.com"],
    allow_credentials: true,
};

// CORS010: `-` can stand where the dot before the registrable domain is (`app-example.com`).
static CORS010_SEPARATOR_STAND_IN: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex(r"^https://app[.-]example\.com$")],
};

// CORS049: a 43-byte entry whose NFA is over the analysis budget; refused in milliseconds.
static CORS049_OVER_THE_ANALYSIS_BUDGET: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex(r"^https://([a-z]{1,9}){1,150}\.example\.com$")],
};

fn main() {}
