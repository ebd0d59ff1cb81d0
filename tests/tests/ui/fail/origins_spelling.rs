// Compile-fail cases: Origins that can never match as spelled, and empty or missing origin lists.
//
// Each `static` is one case, named after what it shows; each reports its own errors at its
// own tokens, in source order in the .stderr file.

// CORS012: a trailing slash, and a path.
static CORS012_ORIGIN_WITH_PATH: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com/", "https://api.example.com/v1"],
};

// CORS013: uppercase in the host, and in the scheme.
static CORS013_UPPERCASE_ORIGIN: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://App.Example.com", "HTTPS://api.example.com"],
};

// CORS014: the default port spelled out.
static CORS014_DEFAULT_PORT: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com:443", "http://localhost:80"],
};

// CORS015: no scheme, and userinfo.
static CORS015_NOT_AN_ORIGIN: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["app.example.com", "https://user:pw@app.example.com"],
};

// CORS016: a non-ASCII host; browsers send punycode.
static CORS016_UNICODE_HOST: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://bücher.example"],
};

// CORS017: a shorthand IPv4 address, port 0, and a port with a leading zero.
static CORS017_NON_CANONICAL_HOST_OR_PORT: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["http://127.1", "http://localhost:0", "http://localhost:03000"],
};

// CORS019: an empty allow_origins.
static CORS019_EMPTY_ORIGIN_LIST: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: [],
    allow_methods: [PUT],
};

// CORS019: no allow_origins at all.
static CORS019_MISSING_ALLOW_ORIGINS: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_methods: [PUT],
    max_age: 600,
};

fn main() {}
