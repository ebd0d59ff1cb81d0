//! A refusal detached from the request: what the `tower` layer puts in a refused response's
//! extensions, and what its `tracing` events report.

use crate::{Decision, Refusal, RequestHeaders, RequestKind};
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

/// A refused CORS request: its kind (preflight or actual) and why.
///
/// With the `tower` feature, the layer inserts one into the extensions of every response to a
/// refused request (a 403 preflight answer, or the application's response to an actual
/// request from an origin the policy does not allow), so an outer layer or a test can read it
/// with `response.extensions().get::<CorsRefusal>()`. Allowed and non-CORS requests get none.
///
/// ```
/// use cors_policy_core::{CorsRefusal, RefusalReason, RequestKind};
///
/// let refusal = CorsRefusal::new(RequestKind::Preflight, RefusalReason::MethodNotAllowed);
/// assert_eq!(refusal.to_string(), "preflight refused: the requested method is not in allow_methods");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CorsRefusal {
    kind: RequestKind,
    reason: RefusalReason,
}

impl CorsRefusal {
    /// A refusal of a request of `kind` for `reason`.
    pub const fn new(kind: RequestKind, reason: RefusalReason) -> Self {
        CorsRefusal { kind, reason }
    }

    /// The refused request's kind: [`RequestKind::Preflight`] or [`RequestKind::Actual`].
    pub const fn kind(&self) -> RequestKind {
        self.kind
    }

    /// Why it was refused.
    pub const fn reason(&self) -> RefusalReason {
        self.reason
    }
}

impl fmt::Display for CorsRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} refused: {}", self.kind.as_str(), self.reason)
    }
}

impl<'r, H: RequestHeaders<'r>> Decision<'_, 'r, H> {
    /// The refusal detached from the request, `None` when the request was allowed.
    pub fn cors_refusal(&self) -> Option<CorsRefusal> {
        self.refusal().map(|refusal| CorsRefusal::new(self.kind(), refusal.reason()))
    }
}

/// At most `SHOWN` (64) bytes of a request value, escaped as `[u8]::escape_ascii` does (so no
/// control byte, quote or non-ASCII byte is written as such), with `...` when cut.
#[cfg(feature = "tracing")]
#[derive(Clone, Copy)]
pub(crate) struct Shown<'r>(pub(crate) &'r [u8]);

#[cfg(feature = "tracing")]
impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = crate::decision::SHOWN;
        let cut = self.0.len() > shown;
        write!(f, "{}", self.0[..self.0.len().min(shown)].escape_ascii())?;
        if cut {
            f.write_str("...")?;
        }
        Ok(())
    }
}

#[cfg(feature = "tracing")]
impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
