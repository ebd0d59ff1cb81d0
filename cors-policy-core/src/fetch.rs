//! The Fetch Standard's name lists, in one place for the compiler's checks and the engine.
//!
//! Each list is the standard's, as of the version this crate follows
//! (<https://fetch.spec.whatwg.org/>), with lowercase header names (browsers send them so, and
//! the compiler refuses other spellings); the last two are the CORS protocol's own headers,
//! which a policy cannot list as anything else.

/// Methods `fetch()` refuses to send (forbidden methods), compared ignoring case.
pub const FORBIDDEN_METHODS: &[&str] = &["CONNECT", "TRACE", "TRACK"];

/// Methods the standard uppercases before sending (*normalize* a method); any other method is
/// sent exactly as the script wrote it.
pub const NORMALIZED_METHODS: &[&str] = &["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// CORS-safelisted methods: never preflighted, so never checked against `allow_methods`.
pub const SAFELISTED_METHODS: &[&str] = &["GET", "HEAD", "POST"];

/// Forbidden request-header names: scripts can never set them, so listing one in
/// `allow_headers` does nothing. (Names starting `proxy-` or `sec-` are forbidden too.)
pub const FORBIDDEN_REQUEST_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// CORS-safelisted request headers whose values never need a preflight (with the standard's
/// value limits); `content-type` is safelisted only for three values, so it is not here.
pub const SAFELISTED_REQUEST_HEADERS: &[&str] = &["accept", "accept-language", "content-language", "range"];

/// CORS-safelisted response-header names: scripts read them without `expose_headers`.
pub const SAFELISTED_RESPONSE_HEADERS: &[&str] = &[
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// The CORS protocol's response headers, which a request never carries.
pub const CORS_RESPONSE_HEADERS: &[&str] = &[
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-private-network",
    "access-control-max-age",
    "access-control-expose-headers",
];

/// Headers a response to a script never carries for it to read: the CORS protocol's request
/// headers, and the preflight-only response headers.
pub const CORS_REQUEST_ONLY_HEADERS: &[&str] = &[
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
];

/// `true` if `method`, in any case, is a forbidden method.
pub fn is_forbidden_method(method: &[u8]) -> bool {
    FORBIDDEN_METHODS.iter().any(|f| f.as_bytes().eq_ignore_ascii_case(method))
}

/// `true` for `GET`, `HEAD` and `POST` as sent (methods are case-sensitive).
#[inline]
pub fn is_safelisted_method(method: &[u8]) -> bool {
    matches!(method, b"GET" | b"HEAD" | b"POST")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast test and the list say the same.
    #[test]
    fn the_safelisted_method_test_is_the_list() {
        for method in ["GET", "HEAD", "POST", "get", "PUT", "OPTIONS", ""] {
            assert_eq!(
                is_safelisted_method(method.as_bytes()),
                SAFELISTED_METHODS.contains(&method),
                "{method}"
            );
        }
        assert!(
            is_forbidden_method(b"trace")
                && is_forbidden_method(b"CONNECT")
                && !is_forbidden_method(b"PATCH")
        );
    }
}
