//! Why a request was refused, detached from the request: what `cors-policy-runtime`'s `tower`
//! layer puts in a refused response's extensions, and what its `tracing` events report.

use crate::Refusal;
use core::fmt;

/// Why a request was refused, without the request bytes that [`Refusal`] borrows, so that it
/// can outlive the request (in `http::Extensions`, in a log record).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefusalReason {
    /// [`Refusal::OriginNotAllowed`].
    OriginNotAllowed,
    /// [`Refusal::MalformedOrigin`].
    MalformedOrigin,
    /// [`Refusal::MethodNotAllowed`].
    MethodNotAllowed,
    /// [`Refusal::MalformedMethod`].
    MalformedMethod,
    /// [`Refusal::HeaderNotAllowed`].
    HeaderNotAllowed,
    /// [`Refusal::AuthorizationNotListed`].
    AuthorizationNotListed,
    /// [`Refusal::MalformedRequestHeaders`].
    MalformedRequestHeaders,
    /// [`Refusal::RequestHeadersTooLarge`].
    RequestHeadersTooLarge,
    /// [`Refusal::PrivateNetworkNotAllowed`].
    PrivateNetworkNotAllowed,
}

impl RefusalReason {
    /// A stable snake_case code, such as `origin_not_allowed`: what the `tracing` events carry
    /// in their `reason` field, for filtering and counting.
    pub const fn as_str(self) -> &'static str {
        match self {
            RefusalReason::OriginNotAllowed => "origin_not_allowed",
            RefusalReason::MalformedOrigin => "malformed_origin",
            RefusalReason::MethodNotAllowed => "method_not_allowed",
            RefusalReason::MalformedMethod => "malformed_method",
            RefusalReason::HeaderNotAllowed => "header_not_allowed",
            RefusalReason::AuthorizationNotListed => "authorization_not_listed",
            RefusalReason::MalformedRequestHeaders => "malformed_request_headers",
            RefusalReason::RequestHeadersTooLarge => "request_headers_too_large",
            RefusalReason::PrivateNetworkNotAllowed => "private_network_not_allowed",
        }
    }

    /// One sentence for a person, without request values (see [`Refusal`]'s `Display` for the
    /// sentence that names the refused origin, method or header).
    pub const fn description(self) -> &'static str {
        match self {
            RefusalReason::OriginNotAllowed => "the origin is not in allow_origins",
            RefusalReason::MalformedOrigin => "the Origin header is not a single serialized origin",
            RefusalReason::MethodNotAllowed => "the requested method is not in allow_methods",
            RefusalReason::MalformedMethod => {
                "Access-Control-Request-Method is not one method token on one line"
            }
            RefusalReason::HeaderNotAllowed => "a requested header is not in allow_headers",
            RefusalReason::AuthorizationNotListed => {
                "request header `authorization` is not covered by `*` in allow_headers; it must be listed"
            }
            RefusalReason::MalformedRequestHeaders => {
                "Access-Control-Request-Headers is not a comma-separated list of header names"
            }
            RefusalReason::RequestHeadersTooLarge => {
                "Access-Control-Request-Headers exceeds the documented bounds"
            }
            RefusalReason::PrivateNetworkNotAllowed => {
                "private network access was requested and allow_private_network is false"
            }
        }
    }
}

impl fmt::Display for RefusalReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

impl Refusal<'_> {
    /// The reason, without the request bytes.
    pub const fn reason(&self) -> RefusalReason {
        match self {
            Refusal::OriginNotAllowed(_) => RefusalReason::OriginNotAllowed,
            Refusal::MalformedOrigin => RefusalReason::MalformedOrigin,
            Refusal::MethodNotAllowed(_) => RefusalReason::MethodNotAllowed,
            Refusal::MalformedMethod => RefusalReason::MalformedMethod,
            Refusal::HeaderNotAllowed(_) => RefusalReason::HeaderNotAllowed,
            Refusal::AuthorizationNotListed => RefusalReason::AuthorizationNotListed,
            Refusal::MalformedRequestHeaders => RefusalReason::MalformedRequestHeaders,
            Refusal::RequestHeadersTooLarge => RefusalReason::RequestHeadersTooLarge,
            Refusal::PrivateNetworkNotAllowed => RefusalReason::PrivateNetworkNotAllowed,
        }
    }
}
