//! The decision engine behind `cors-policy-runtime`, shared with the `cors-policy` compiler.
//!
//! The compiler builds the tables of a [`Policy`] with the same hash function ([`hash`]) and
//! evaluates requests with the same [`Policy::evaluate`] as the runtime, so what the compiler
//! and `cors-policy explain` report is what your server does. The decision allocates nothing
//! and never panics on request input. The crate has no dependencies and no features, as
//! `phf_shared` is to `phf`: the table types are public here, for the compiler, and the `http`
//! and `tower` integrations live in `cors-policy-runtime`, which is what applications use.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod allow_headers;
mod allow_methods;
mod allow_origins;
mod decision;
mod dfa;
pub mod fetch;
pub mod hash;
mod origin;
mod origin_set;
mod pattern;
mod policy;
mod refusal;
mod str_list;
mod tenants;
mod words;
pub mod write_protection;

pub use allow_headers::{
    AllowHeaders, MAX_EMPTY_ELEMENTS, MAX_OWS, MAX_REQUEST_HEADERS_BYTES, MAX_REQUEST_HEADER_LINES,
    MAX_REQUEST_HEADER_NAMES,
};
pub use allow_methods::{is_token, AllowMethods, MAX_METHOD_LEN};

pub use allow_origins::{AllowOrigins, OriginMatcher};
pub use decision::{
    Decision, Echo, HeaderLines, HeaderList, PairLines, PairValues, Refusal, RequestHeader, RequestHeaders,
    RequestKind, RequestValue, ResponseHeader, Value, MAX_RESPONSE_HEADERS,
};
pub use dfa::Dfa;
pub use origin::{OriginParts, MAX_ORIGIN_LEN};
pub use origin_set::{OriginSet, EMPTY_SLOT, LINEAR_SCAN_MAX};
pub use pattern::{OriginPattern, OriginPatterns, PatternRule, PortPattern};
pub use policy::{Policy, PolicyParts};
pub use refusal::RefusalReason;
pub use str_list::StrList;
pub use tenants::{TenantLookup, TenantSets};
