//! A refusal detached from the request: what the `tower` layer puts in a refused response's
//! extensions, and what its `tracing` events report.

use core::fmt;
use cors_policy_core::{Decision, RefusalReason, RequestHeaders, RequestKind};

/// A refused CORS request: its kind (preflight or actual) and why.
///
/// A layer made [`with_refusal_extensions`](crate::CorsLayer::with_refusal_extensions) inserts
/// one into the extensions of every response to a refused request (a 403 preflight answer, or
/// the application's response to an actual request from an origin the policy does not allow),
/// so an outer layer or a test can read it with `response.extensions().get::<CorsRefusal>()`.
/// Allowed and non-CORS requests get none.
///
/// ```
/// use cors_policy_runtime::{CorsRefusal, RefusalReason, RequestKind};
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

impl CorsRefusal {
    /// A decision's refusal, detached from the request; `None` when the request was allowed.
    pub fn of<'r, H: RequestHeaders<'r>>(decision: &Decision<'_, 'r, H>) -> Option<CorsRefusal> {
        decision.refusal().map(|refusal| CorsRefusal::new(decision.kind(), refusal.reason()))
    }
}

/// At most `SHOWN` (64) bytes of a request value, escaped as `[u8]::escape_ascii` does (so no
/// control byte, quote or non-ASCII byte is written as such), with `...` when cut.
#[cfg(feature = "tracing")]
const SHOWN: usize = 64;

#[cfg(feature = "tracing")]
#[derive(Clone, Copy)]
pub(crate) struct Shown<'r>(pub(crate) &'r [u8]);

#[cfg(feature = "tracing")]
impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = SHOWN;
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
