//! A compiled policy: the tables the compiler emits, and nothing that could be misconfigured.

use crate::write_protection::{self, WritePass, WriteProtection, WriteRefusal, WriteRequest};
use crate::{AllowHeaders, AllowMethods, AllowOrigins};

/// A compiled CORS policy.
///
/// You get one from `cors_policy!` (a `static` with no lazy initialisation) or from a
/// `build.rs` that runs the compiler on a YAML file; in both cases every setting has been
/// checked while your crate compiled. The fields are private so that a policy cannot be
/// assembled by hand around those checks; `Policy::from_parts` exists for the
/// compiler's generated code only.
///
/// `'a` is the lifetime of the tables: `'static` for generated code, shorter for a policy the
/// compiler built in memory (which is how `cors-policy explain` evaluates requests with this
/// very code).
#[derive(Clone, Copy, Debug)]
pub struct Policy<'a> {
    /// The one list of the policy's fields: generated code names them (`PolicyParts`), and the
    /// policy keeps them as they came, private.
    pub(crate) parts: PolicyParts<'a>,
}

/// Every field of a [`Policy`], by name: what generated code fills in (through
/// `cors_policy_runtime::__private::PolicyParts`) and passes to [`Policy::from_parts`].
///
/// Not a way to configure a policy: nothing here is checked, and a policy built by hand skips
/// every check of the compiler. Named fields, so that two fields of the same type (such as
/// `expose_headers` and `max_age`) cannot be swapped unnoticed.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct PolicyParts<'a> {
    /// The allowed origins.
    pub allow_origins: AllowOrigins<'a>,
    /// The allowed preflight methods.
    pub allow_methods: AllowMethods<'a>,
    /// The allowed preflight request headers.
    pub allow_headers: AllowHeaders<'a>,
    /// `Access-Control-Allow-Credentials: true`.
    pub allow_credentials: bool,
    /// The rendered `Access-Control-Expose-Headers` value.
    pub expose_headers: Option<&'a str>,
    /// The rendered `Access-Control-Max-Age` value.
    pub max_age: Option<&'a str>,
    /// Whether private network access is granted when asked for.
    pub allow_private_network: bool,
    /// The status of a successful preflight.
    pub preflight_status: u16,
    /// The policy's name ([`Policy::with_name`]).
    pub name: Option<&'a str>,
    /// `protect_writes`, if on.
    pub write_protection: Option<WriteProtection<'a>>,
}

impl Policy<'static> {
    /// A policy that allows nothing, which `cors_policy!` expands to next to its
    /// `compile_error!`s so that a failed policy causes no second, confusing type error.
    #[doc(hidden)]
    pub const __INVALID: Policy<'static> = Policy::from_parts(PolicyParts {
        allow_origins: AllowOrigins::Listed(crate::OriginMatcher::new(
            crate::OriginSet::EMPTY,
            crate::OriginPatterns::EMPTY,
            None,
            crate::TenantSets::EMPTY,
        )),
        allow_methods: AllowMethods::List(crate::StrList::EMPTY),
        allow_headers: AllowHeaders::List(crate::StrList::EMPTY),
        allow_credentials: false,
        expose_headers: None,
        max_age: None,
        allow_private_network: false,
        preflight_status: 204,
        name: None,
        write_protection: None,
    });
}

impl<'a> Policy<'a> {
    /// Assembles a policy from checked parts, in a `const` (a `static` of generated code) or
    /// at run time (the compiler's in-memory view). Generated code calls this; calling it
    /// yourself skips every check of the compiler.
    #[doc(hidden)]
    pub const fn from_parts(parts: PolicyParts<'a>) -> Self {
        Policy { parts }
    }

    /// The same policy, named `name`: the name the `tracing` events of the `tower` layer
    /// report (`policy = "app"`), to tell the policies of one service apart. A name changes
    /// nothing in what the policy allows.
    ///
    /// The compiler names the policies it reads from a YAML file after their key under
    /// `policies:`; an inline policy is named where it is declared:
    ///
    /// ```
    /// # use cors_policy_core::{AllowHeaders, AllowMethods, AllowOrigins, OriginMatcher, OriginPatterns, OriginSet, Policy, PolicyParts, StrList, TenantSets};
    /// # const COMPILED: Policy<'static> = Policy::from_parts(PolicyParts {
    /// #     allow_origins: AllowOrigins::Listed(OriginMatcher::new(
    /// #         OriginSet::new(StrList::new("https://app.example.com", &[23]), 0, &[], &[]), OriginPatterns::EMPTY, None, TenantSets::EMPTY)),
    /// #     allow_methods: AllowMethods::List(StrList::EMPTY), allow_headers: AllowHeaders::List(StrList::EMPTY),
    /// #     allow_credentials: false, expose_headers: None, max_age: None, allow_private_network: false,
    /// #     preflight_status: 204, name: None, write_protection: None });
    /// // `static API: Policy = cors_policy! { ... }.with_name("api");`
    /// static API: Policy<'static> = COMPILED.with_name("api");
    /// assert_eq!(API.name(), Some("api"));
    /// assert_eq!(COMPILED.name(), None);
    /// ```
    pub const fn with_name(mut self, name: &'a str) -> Self {
        self.parts.name = Some(name);
        self
    }

    /// The same policy, with the members of its tenant sets (`{tenants: name}` entries of
    /// `allow_origins`) looked up in `lookup`. Without one, a tenant set admits no origin.
    pub fn with_tenant_lookup<'b>(self, lookup: &'b dyn crate::TenantLookup) -> Policy<'b>
    where
        'a: 'b,
    {
        let allow_origins = match self.parts.allow_origins {
            AllowOrigins::Listed(matcher) => AllowOrigins::Listed(matcher.with_tenant_lookup(lookup)),
            AllowOrigins::Any => AllowOrigins::Any,
        };
        Policy { parts: PolicyParts { allow_origins, ..self.parts } }
    }

    /// Cross-origin write protection (`protect_writes`): whether `request`, to `path`, may
    /// reach the handler. `None` when the policy does not protect writes, or exempts `path`.
    ///
    /// # Errors
    ///
    /// `Some(Err(refusal))` when the request must be refused (403) before the handler runs.
    pub fn protect_writes(
        &self,
        request: &WriteRequest<'_>,
        path: &[u8],
    ) -> Option<Result<WritePass, WriteRefusal>> {
        let protection = self.parts.write_protection.as_ref().filter(|p| !p.exempts(path))?;
        let trusted = |origin: &[u8]| {
            protection.write_origins.allows(origin)
                || (protection.allow_origins_write
                    && matches!(&self.parts.allow_origins, AllowOrigins::Listed(m) if m.allows(origin)))
        };
        Some(write_protection::decide(request, trusted, protection.public_host.map(str::as_bytes)))
    }

    /// `protect_writes`, if the policy has it.
    pub fn write_protection(&self) -> Option<&WriteProtection<'a>> {
        self.parts.write_protection.as_ref()
    }

    /// The policy's name, if it has one ([`Policy::with_name`]).
    pub fn name(&self) -> Option<&'a str> {
        self.parts.name
    }

    /// The allowed origins.
    pub fn allow_origins(&self) -> &AllowOrigins<'a> {
        &self.parts.allow_origins
    }

    /// The allowed preflight methods.
    pub fn allow_methods(&self) -> &AllowMethods<'a> {
        &self.parts.allow_methods
    }

    /// The allowed preflight request headers.
    pub fn allow_headers(&self) -> &AllowHeaders<'a> {
        &self.parts.allow_headers
    }

    /// Whether credentialed requests are allowed (`Access-Control-Allow-Credentials: true`).
    pub fn allow_credentials(&self) -> bool {
        self.parts.allow_credentials
    }

    /// The pre-rendered `Access-Control-Expose-Headers` value, if any.
    pub fn expose_headers(&self) -> Option<&'a str> {
        self.parts.expose_headers
    }

    /// The pre-rendered `Access-Control-Max-Age` value, if any.
    pub fn max_age(&self) -> Option<&'a str> {
        self.parts.max_age
    }

    /// Whether `Access-Control-Allow-Private-Network: true` is sent when asked for.
    pub fn allow_private_network(&self) -> bool {
        self.parts.allow_private_network
    }

    /// The status of a successful preflight (204 unless the policy says otherwise).
    pub fn preflight_status(&self) -> u16 {
        self.parts.preflight_status
    }

    /// `true` when `Access-Control-Allow-Origin` is the same for every request (`*`), so no
    /// `Vary: Origin` is needed.
    pub fn is_origin_independent(&self) -> bool {
        matches!(self.parts.allow_origins, AllowOrigins::Any) && !self.parts.allow_credentials
    }
}
