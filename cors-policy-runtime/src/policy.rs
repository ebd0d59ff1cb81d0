//! [`Policy`]: a compiled policy, as users hold it.

use cors_policy_core::{Decision, RequestHeaders};

/// A compiled CORS policy.
///
/// You get one from [`cors_policy!`](crate::cors_policy) (a `static` with no lazy
/// initialisation) or from a `build.rs` that runs the `cors-policy` compiler on a YAML file; in
/// both cases every setting was checked while your crate compiled, and nothing about it can be
/// changed afterwards except its [name](Policy::with_name).
///
/// ```
/// use cors_policy_runtime::{cors_policy, Policy, RequestKind};
///
/// static API: Policy = cors_policy! {
///     allow_origins: ["https://app.example.com"],
///     allow_methods: [PUT],
/// };
///
/// let preflight: &[(&str, &str)] = &[
///     ("origin", "https://app.example.com"),
///     ("access-control-request-method", "PUT"),
/// ];
/// let decision = API.evaluate(b"OPTIONS", preflight);
/// assert_eq!(decision.kind(), RequestKind::Preflight);
/// assert_eq!(decision.status(), Some(204));
/// ```
///
/// `'a` is the lifetime of the tables, `'static` for generated code.
#[derive(Clone, Copy, Debug)]
pub struct Policy<'a> {
    engine: cors_policy_core::Policy<'a>,
    /// Generated code's function that inserts `Access-Control-Expose-Headers` as a constant
    /// ([`Policy::with_expose_inserter`]); `None` for a policy loaded at run time.
    #[cfg(feature = "http")]
    insert_expose_headers: ExposeInserter,
}

/// What [`Policy::with_expose_inserter`] takes: generated code's function that inserts the
/// policy's `Access-Control-Expose-Headers` value, a constant, into a response's headers; `()`
/// without the `http` feature, which has no header map to insert into.
#[cfg(feature = "http")]
#[doc(hidden)]
pub type ExposeInserter = Option<fn(&mut ::http::HeaderMap)>;
/// What [`Policy::with_expose_inserter`] takes: generated code's function that inserts the
/// policy's `Access-Control-Expose-Headers` value, a constant, into a response's headers; `()`
/// without the `http` feature, which has no header map to insert into.
#[cfg(not(feature = "http"))]
#[doc(hidden)]
pub type ExposeInserter = ();

impl Policy<'static> {
    /// A policy that allows nothing, which `cors_policy!` expands to next to its
    /// `compile_error!`s so that a failed policy causes no second, confusing type error.
    #[doc(hidden)]
    pub const __INVALID: Policy<'static> = Policy::from_engine(cors_policy_core::Policy::__INVALID);

    /// The same policy, whose actual responses get `Access-Control-Expose-Headers` from
    /// `insert` (generated code's `__private::expose_inserter!`, a function inserting the value
    /// as a constant) instead of from a clone of the value `HttpPolicy` renders: the clone cost an
    /// allowed actual request 35 instructions and 3 to 7 ns (BENCHMARKS.md, issue 11, eleventh
    /// round). `insert` must insert the text of the policy's
    /// `expose_headers`; only generated code, which emits it from that text, calls this.
    #[doc(hidden)]
    pub const fn with_expose_inserter(self, insert: ExposeInserter) -> Self {
        #[cfg(feature = "http")]
        return Policy { insert_expose_headers: insert, ..self };
        #[cfg(not(feature = "http"))]
        {
            let () = insert;
            self
        }
    }
}

impl<'a> Policy<'a> {
    /// Assembles a policy from the compiler's tables. Generated code calls this (as
    /// `__private::Policy::from_parts`); calling it yourself skips every check of the compiler.
    #[doc(hidden)]
    pub const fn from_parts(parts: cors_policy_core::PolicyParts<'a>) -> Self {
        Policy::from_engine(cors_policy_core::Policy::from_parts(parts))
    }

    /// The runtime's policy over the engine's: for policies loaded at run time.
    pub(crate) const fn from_engine(engine: cors_policy_core::Policy<'a>) -> Self {
        Policy {
            engine,
            #[cfg(feature = "http")]
            insert_expose_headers: None,
        }
    }

    /// Generated code's function inserting `Access-Control-Expose-Headers`, if any
    /// ([`Policy::with_expose_inserter`]).
    #[cfg(feature = "http")]
    #[inline]
    pub(crate) fn expose_inserter(&self) -> ExposeInserter {
        self.insert_expose_headers
    }

    /// The same policy, with its tenant sets looked up in `lookup`.
    #[cfg(feature = "tenants")]
    pub(crate) fn with_tenant_lookup<'b>(self, lookup: &'b dyn cors_policy_core::TenantLookup) -> Policy<'b>
    where
        'a: 'b,
    {
        Policy { engine: self.engine.with_tenant_lookup(lookup), ..self }
    }

    /// The decision engine's view of the policy, with its tables (for benchmarks and tools).
    #[doc(hidden)]
    pub const fn engine(&self) -> &cors_policy_core::Policy<'a> {
        &self.engine
    }

    /// The same policy, named `name`: the name the `tracing` events of the `tower` layer
    /// report (`policy = "app"`), to tell the policies of one service apart. A name changes
    /// nothing in what the policy allows.
    ///
    /// The compiler names the policies it reads from a YAML file after their key under
    /// `policies:`; an inline policy is named where it is declared:
    ///
    /// ```
    /// use cors_policy_runtime::{cors_policy, Policy};
    ///
    /// static API: Policy = cors_policy! { allow_origins: ["https://app.example.com"] }.with_name("api");
    /// assert_eq!(API.name(), Some("api"));
    /// ```
    pub const fn with_name(self, name: &'a str) -> Self {
        Policy { engine: self.engine.with_name(name), ..self }
    }

    /// The policy's name, if it has one ([`Policy::with_name`]).
    pub fn name(&self) -> Option<&'a str> {
        self.engine.name()
    }

    /// An empty tenant set for the set `name` that `allow_origins` names
    /// (`{tenants: name}`), with the rule the policy demands of its members (https only, with
    /// credentials); `None` if the policy names no such set. Lend it to the layer with
    /// [`CorsLayer::with_tenant_origins`](crate::CorsLayer::with_tenant_origins).
    #[cfg(feature = "tenants")]
    pub fn tenant_origins(&self, name: &str) -> Option<crate::tenants::TenantOrigins> {
        crate::tenants::TenantOrigins::for_policy(&self.engine, name)
    }

    /// Decides what to do with a request, given its method and headers.
    ///
    /// This is the framework-neutral entry point: the `http` and `tower` integrations are
    /// thin wrappers around it, and integrating another framework takes a [`RequestHeaders`]
    /// implementation and the fields of the [`Decision`] (or [`Decision::headers`], the same
    /// headers as a list). A list of `(name, value)` pairs is one:
    ///
    /// ```
    /// use cors_policy_runtime::{cors_policy, Policy, RequestKind, ResponseHeader};
    ///
    /// static API: Policy = cors_policy! {
    ///     allow_origins: ["https://app.example.com"],
    ///     allow_methods: [PUT],
    /// };
    ///
    /// let request: &[(&str, &str)] = &[
    ///     ("Origin", "https://app.example.com"),
    ///     ("Access-Control-Request-Method", "PUT"),
    /// ];
    /// let decision = API.evaluate(b"OPTIONS", request);
    /// assert_eq!(decision.kind(), RequestKind::Preflight);
    /// assert_eq!(decision.status(), Some(204));
    /// let headers: Vec<_> = decision.headers().iter()
    ///     .map(|(name, value)| (name.as_str(), value.as_bytes()))
    ///     .collect();
    /// assert_eq!(headers, [
    ///     ("access-control-allow-origin", &b"https://app.example.com"[..]),
    ///     ("access-control-allow-methods", b"PUT"),
    /// ]);
    ///
    /// // `patch` is not `PATCH`: browsers send `PATCH` as written, so this is not a browser
    /// // asking for a listed method.
    /// let request: &[(&str, &str)] = &[
    ///     ("Origin", "https://app.example.com"),
    ///     ("Access-Control-Request-Method", "patch"),
    /// ];
    /// let refused = API.evaluate(b"OPTIONS", request);
    /// assert_eq!(refused.status(), Some(403));
    /// assert!(refused.headers().is_empty());
    /// ```
    pub fn evaluate<'r, H: RequestHeaders<'r>>(&self, method: &[u8], headers: H) -> Decision<'a, 'r, H> {
        self.engine.evaluate(method, headers)
    }

    /// `true` when `Access-Control-Allow-Origin` is the same for every request (`*`), so no
    /// `Vary: Origin` is needed.
    pub fn is_origin_independent(&self) -> bool {
        self.engine.is_origin_independent()
    }
}
