// Compile-fail cases: Methods, allowed request headers and exposed response headers.
//
// Each `static` is one case, named after what it shows; each reports its own errors at its
// own tokens, in source order in the .stderr file.

// CORS020: TRACE, which fetch() refuses to send.
static CORS020_FORBIDDEN_METHOD: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT, TRACE],
};

// CORS021: two methods in one item.
static CORS021_INVALID_METHOD: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_methods: ["GET POST"],
};

// CORS027: `cookie` can never be set by a script.
static CORS027_FORBIDDEN_REQUEST_HEADER: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_headers: ["content-type", "cookie"],
};

// CORS028: a response header in allow_headers.
static CORS028_RESPONSE_HEADER_IN_ALLOW_HEADERS: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_headers: ["access-control-allow-origin"],
};

// CORS029: a header name with a space.
static CORS029_INVALID_HEADER_NAME: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    allow_headers: ["x token"],
};

// CORS033: `*` in expose_headers with credentials.
static CORS033_WILDCARD_EXPOSE_WITH_CREDENTIALS: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    expose_headers: ["*"],
    allow_credentials: true,
};

// CORS034: set-cookie is never exposed.
static CORS034_EXPOSE_SET_COOKIE: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    expose_headers: ["x-request-id", "set-cookie"],
};

// CORS035: a request header in expose_headers.
static CORS035_REQUEST_HEADER_IN_EXPOSE_HEADERS: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
    allow_origins: ["https://app.example.com"],
    expose_headers: ["origin"],
};

fn main() {}
