// Compile-fail cases: max_age, preflight_status, Vary, unknown and duplicate keys, values of the wrong type.
//
// Each `static` is one case, named after what it shows; each reports its own errors at its
// own tokens, in source order in the .stderr file.

// CORS037: max_age above 86400.
static CORS037_MAX_AGE_TOO_LARGE: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    max_age: 100000,
};

// CORS039: a max_age that is not a whole number.
static CORS039_FRACTIONAL_MAX_AGE: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    max_age: 1.5,
};

// CORS039: a negative max_age.
static CORS039_NEGATIVE_MAX_AGE: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    max_age: -1,
};

// CORS043: a preflight status outside 2xx.
static CORS043_INVALID_PREFLIGHT_STATUS: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    preflight_status: 301,
};

// CORS044: an attempt to turn off `Vary: Origin`.
static CORS044_VARY_DISABLED: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    vary: false,
};

// CORS047: a misspelt key, with a did-you-mean.
static CORS047_UNKNOWN_KEY: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origin: ["https://app.example.com"],
};

// CORS048: values of the wrong type: a string for a boolean, a bare word for a list.
static CORS048_WRONG_TYPE: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_credentials: "yes",
    allow_methods: GET,
};

// CORS050: the same key twice.
static CORS050_DUPLICATE_KEY: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    max_age: 600,
    max_age: 60,
};

fn main() {}
