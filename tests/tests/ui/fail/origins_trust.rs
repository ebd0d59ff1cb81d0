// Compile-fail cases: What an origin entry trusts: `*`, reflection, `null`, `file://`, plain http, public
// suffixes, misplaced wildcards, private network access with any origin.
//
// Each `static` is one case, named after what it shows; each reports its own errors at its
// own tokens, in source order in the .stderr file.

// CORS001: `*` with credentials.
static CORS001_WILDCARD_WITH_CREDENTIALS: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["*"],
    allow_credentials: true,
};

// CORS002: a regex that accepts any origin (also CORS011: `.*` admits non-origin bytes).
static CORS002_REGEX_REFLECTS_ANY_ORIGIN: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [regex("^https?://.*$")],
};

// CORS003: the `null` origin, which any sandboxed iframe can send.
static CORS003_NULL_ORIGIN: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com", "null"],
};

// CORS003: `null` written as a bare word is the same origin as the string "null".
static CORS003_NULL_ORIGIN_BARE_WORD: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [null],
};

// CORS004: `file://` origins, which browsers send as `null`.
static CORS004_FILE_ORIGIN: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["file:///home/me/index.html", "file://"],
};

// CORS005: plain http with credentials; localhost and 127.0.0.1 are exempt.
static CORS005_INSECURE_ORIGIN_WITH_CREDENTIALS: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["http://app.example.com", "http://localhost:3000", "http://127.0.0.1:8080"],
    allow_credentials: true,
};

// CORS007: `*.` on a public suffix, ICANN (`com`) and private (`github.io`), with credentials.
static CORS007_PUBLIC_SUFFIX_WILDCARD: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://*.com", "https://*.github.io"],
    allow_credentials: true,
};

// CORS008: a `*` that is not a leading `*.` label or a `:*` port.
static CORS008_MISPLACED_WILDCARD: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://*example.com", "https://api.*.example.com"],
};

// CORS040: Private Network Access for every origin.
static CORS040_PRIVATE_NETWORK_ANY_ORIGIN: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["*"],
    allow_private_network: true,
};

// CORS046: `*` next to other origins.
static CORS046_ANY_ORIGIN_NOT_ALONE: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com", "*"],
};

fn main() {}
