// Compile-fail cases: `allow_warnings` entries that cannot be honoured, and policy names that
// would become one `pub static`.
//
// Each `static` is one case, named after what it shows; each reports its own errors at its
// own tokens, in source order in the .stderr file.

// CORS054: an error cannot be allowed.
static CORS054_AN_ERROR_CANNOT_BE_ALLOWED: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["*"],
    allow_credentials: true,
    allow_warnings: [CORS001("we know")],
};

// CORS054: not a code, and an allowance without a reason.
static CORS054_UNKNOWN_CODE_AND_EMPTY_REASON: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://*.example.com"],
    allow_credentials: true,
    allow_warnings: [CORS0006("typo"), CORS006("")],
};

// CORS053: `app-api` and `app_api` both become `APP_API`; the file is refused as a whole.
static CORS053_COLLIDING_NAMES: cors_policy_runtime::Policy =
    cors_policy_runtime::cors_policy!(file = "../../../../tests/tests/ui/policies/colliding_names.yaml", policy = "app-api");

fn main() {}
