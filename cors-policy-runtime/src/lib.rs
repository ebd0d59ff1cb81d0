//! Serve CORS policies that were checked while your crate compiled.
//!
//! A policy is written once, inline with [`cors_policy!`] or in a YAML file compiled by
//! `build.rs` (see the `cors-policy` crate), and every insecure or ineffective setting is a
//! compile error. What remains at run time is a [`Policy`] of static data (perfect-hash origin
//! sets, table-driven DFAs for regex origins, header values rendered at compile time) and a
//! small decision engine that allocates nothing per request.
//!
//! ```
//! use cors_policy_runtime::{cors_policy, Policy, RequestKind};
//!
//! static API: Policy = cors_policy! {
//!     allow_origins: ["https://app.example.com", "https://*.example.com"],
//!     allow_methods: [PUT, DELETE],
//!     allow_headers: ["content-type", "authorization"],
//!     allow_credentials: true,
//!     max_age: 600,
//! };
//!
//! let preflight: &[(&str, &str)] = &[
//!     ("origin", "https://tenant.example.com"),
//!     ("access-control-request-method", "PUT"),
//!     ("access-control-request-headers", "authorization,content-type"),
//! ];
//! let decision = API.evaluate(b"OPTIONS", preflight);
//! assert_eq!(decision.kind(), RequestKind::Preflight);
//! assert_eq!(decision.status(), Some(204));
//!
//! let evil: &[(&str, &str)] = &[("origin", "https://example.com.evil.net"), ("access-control-request-method", "PUT")];
//! assert_eq!(API.evaluate(b"OPTIONS", evil).status(), Some(403));
//! ```
//!
//! With the `tower` feature, `API.layer()` is a `tower::Layer` for axum's `Router::layer`,
//! hyper and tonic. Without it, [`Policy::evaluate`] is the framework-neutral entry point.
//!
//! # Features
//! * `macros` (default): [`cors_policy!`].
// Items behind a feature are linked only when the feature is on (docs.rs builds with all).
#![cfg_attr(
    feature = "http",
    doc = " * `http`: `http` 1.x integration ([`http::HttpPolicy`], [`http::HttpHeaders`])."
)]
#![cfg_attr(
    not(feature = "http"),
    doc = " * `http`: `http` 1.x integration (`http::HttpPolicy`, `http::HttpHeaders`)."
)]
#![cfg_attr(
    feature = "tower",
    doc = " * `tower`: [`CorsLayer`], from `Policy::layer`; made `with_refusal_extensions`, every response"
)]
#![cfg_attr(
    not(feature = "tower"),
    doc = " * `tower`: `CorsLayer`, from `Policy::layer`; made `with_refusal_extensions`, every response"
)]
//!   to a refused request carries a `CorsRefusal` in its extensions.
//! * `tracing` (implies `tower`): one `tracing` event per request the layer refuses, at `DEBUG`
//!   level with target `cors_policy` and the fields `policy` ([`Policy::with_name`]), `kind`,
//!   `reason` ([`RefusalReason::as_str`]) and `origin` (cut to 64 bytes and escaped). Nothing
//!   is compiled in without it.
//! * `load` (implies `tower`): policies loaded at run time from a `serde` value of your own
//!   configuration (`OwnedPolicy::from_config`), every check applied, served by the same layer,
//!   and reloaded atomically (`ReloadablePolicy`). Uses `std`; builds no proc macro.
//! * `load-yaml` (implies `load`): from YAML text and files, errors at `file:line:col`.
//! * `watch` (implies `load-yaml`): reload a policy file when it changes (`ReloadablePolicy::watch`).
//! * `tenants` (implies `tower`): tenant origin sets (`allow_origins: [{tenants: name}]`), exact
//!   origins the application adds and removes at run time, each checked like a literal entry
//!   (the `tenants` module). Uses `std`; builds no proc macro.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Loading, reloading and tenant sets need the heap and threads; the engine does not.
#[cfg(any(feature = "load", feature = "tenants"))]
extern crate alloc;
#[cfg(any(feature = "load", feature = "tenants"))]
extern crate std;

#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "tower")]
mod layer;
#[cfg(any(feature = "load", feature = "tenants"))]
mod load_error;
#[cfg(feature = "load")]
mod owned;
mod policy;
#[cfg(feature = "http")]
mod refusal;
#[cfg(feature = "load")]
mod reload;
#[cfg(feature = "tenants")]
pub mod tenants;
#[cfg(feature = "watch")]
mod watch;

/// Cross-origin write protection (`protect_writes`): what the layer reports. A refused write's
/// response carries its [`WriteRefusal`](write_protection::WriteRefusal) in the extensions.
pub mod write_protection {
    pub use cors_policy_core::write_protection::{WritePass, WriteRefusal};
}
/// A policy inside your own configuration, read through `serde`: what
/// [`OwnedPolicy::from_config`] checks and compiles.
#[cfg(feature = "load")]
pub use cors_policy::config::PolicyConfig;
/// The compiler's diagnostics, which [`LoadError`] and the tenant sets report.
#[cfg(any(feature = "load", feature = "tenants"))]
pub use cors_policy::{Check, Diagnostic, Span};
pub use cors_policy_core::{
    Decision, Echo, HeaderLines, HeaderList, Refusal, RefusalReason, RequestHeader, RequestHeaders,
    RequestKind, RequestValue, ResponseHeader, Value, MAX_EMPTY_ELEMENTS, MAX_METHOD_LEN, MAX_ORIGIN_LEN,
    MAX_OWS, MAX_REQUEST_HEADERS_BYTES, MAX_REQUEST_HEADER_LINES, MAX_REQUEST_HEADER_NAMES,
};
#[cfg(feature = "tower")]
pub use layer::{Cors, CorsLayer, ResponseFuture};
#[cfg(any(feature = "load", feature = "tenants"))]
pub use load_error::LoadError;
#[cfg(feature = "load")]
pub use owned::OwnedPolicy;
pub use policy::Policy;
#[cfg(feature = "http")]
pub use refusal::CorsRefusal;
#[cfg(feature = "load")]
pub use reload::ReloadablePolicy;
#[cfg(feature = "watch")]
pub use watch::PolicyWatcher;

/// Compiles a CORS policy while your crate compiles.
///
/// Inline:
///
/// ```
/// static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
///     allow_origins: ["https://app.example.com", regex("^https://pr-[0-9]+\\.preview\\.example\\.com$")],
///     allow_methods: [GET, POST, PUT, DELETE],
///     allow_headers: ["content-type", "authorization"],
///     expose_headers: ["x-request-id"],
///     allow_credentials: true,
///     max_age: 600,
/// };
/// ```
///
/// From a YAML file, relative to the calling crate's `CARGO_MANIFEST_DIR` (editing the file
/// rebuilds the crate): `cors_policy!(file = "cors.yaml")`, adding `policy = "app"` to pick
/// one of several named policies.
///
/// Every error of the policy is reported at once, at the token that holds it:
///
/// ```compile_fail
/// static API: cors_policy_runtime::Policy = cors_policy_runtime::cors_policy! {
///     allow_origins: ["*"],
///     allow_credentials: true,
/// };
/// ```
#[cfg(feature = "macros")]
#[macro_export]
macro_rules! cors_policy {
    ($($policy:tt)*) => {
        $crate::__private::compile_policy!($crate; $($policy)*)
    };
}

/// Generated code's `Access-Control-Expose-Headers` inserter for the text `$value`
/// ([`Policy::with_expose_inserter`]): with the `http` feature, a function that inserts the
/// value as a constant `HeaderValue` (checked while the crate compiles); without it, `()`.
#[cfg(feature = "http")]
#[doc(hidden)]
#[macro_export]
macro_rules! __cors_policy_expose_inserter {
    ($value:literal) => {
        ::core::option::Option::Some({
            fn insert(headers: &mut $crate::__private::HeaderMap) {
                const VALUE: $crate::__private::HeaderValue =
                    $crate::__private::HeaderValue::from_static($value);
                headers.insert($crate::__private::ACCESS_CONTROL_EXPOSE_HEADERS, VALUE);
            }
            insert as fn(&mut $crate::__private::HeaderMap)
        })
    };
}

/// Generated code's `Access-Control-Expose-Headers` inserter: `()` without the `http` feature.
#[cfg(not(feature = "http"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __cors_policy_expose_inserter {
    ($value:literal) => {
        ()
    };
}

/// What generated code (`cors_policy!`, and the `build.rs` output of the `cors-policy` crate)
/// builds a [`Policy`] from. Not public API: nothing here is checked, and a policy assembled by
/// hand skips every check of the compiler.
#[doc(hidden)]
pub mod __private {
    pub use crate::__cors_policy_expose_inserter as expose_inserter;
    pub use crate::Policy;
    #[cfg(feature = "http")]
    pub use ::http::{header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderMap, HeaderValue};
    pub use cors_policy_core::write_protection::WriteProtection;
    pub use cors_policy_core::{
        AllowHeaders, AllowMethods, AllowOrigins, Dfa, OriginMatcher, OriginPatterns, OriginSet, PatternRule,
        PolicyParts, PortPattern, StrList, TenantSets,
    };
    #[cfg(feature = "macros")]
    pub use cors_policy_macros::compile_policy;

    /// The tenant set's table, for the benchmarks and the allocation test.
    #[cfg(feature = "tenants")]
    pub mod tenants {
        pub use crate::tenants::table::{OriginTable, SharedOrigins, TableError, MAX_TABLE_BYTES};
    }
}
