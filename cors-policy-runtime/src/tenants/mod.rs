//! Tenant origin sets: exact origins the application adds and removes at run time, each
//! checked like an origin written in the policy.
//!
//! A policy names a set in `allow_origins`, next to its fixed entries:
//!
//! ```yaml
//! allow_origins: [https://app.example.com, {tenants: customer-domains}]
//! allow_credentials: true
//! ```
//!
//! The application fills the set, for example from its database, and lends it to the layer.
//! Every insert passes the compiler's checks of one exact origin, with the codes and messages
//! of a policy file: `*`, `null`, a pattern, a path, a default port, uppercase, a unicode host,
//! or (with credentials) plain `http` are refused, so a tenant never widens trust by more than
//! the one origin it registered.
//!
//! ```
//! use cors_policy_runtime::{cors_policy, Policy};
//!
//! static API: Policy = cors_policy! {
//!     allow_origins: ["https://app.example.com", tenants("customer-domains")],
//!     allow_credentials: true,
//! };
//!
//! let customers = API.tenant_origins("customer-domains").expect("the policy names the set");
//! customers.insert("https://shop.acme.example").unwrap();
//! let refused = customers.insert("http://shop.acme.example").unwrap_err();
//! assert_eq!(refused.code(), "CORS005"); // plain http with credentials, as in a file
//! assert_eq!(customers.insert("https://*.acme.example").unwrap_err().code(), "CORS059");
//!
//! let layer = API.layer().with_tenant_origins([customers.clone()]).unwrap();
//! # let _ = layer;
//! ```
//!
//! # Consistency
//!
//! Lookups are lock-free: a request reads the set's current snapshot once (an `arc_swap`
//! load, no allocation) and finds an origin in O(1). Each change replaces the snapshot
//! atomically: [`TenantOrigins::insert`] and [`TenantOrigins::remove`] change one origin,
//! [`TenantOrigins::replace_all`] switches from the old set to the new one at once (all of it
//! or, if any origin is refused, none of it). A request in flight keeps the answer it got; a
//! request that arrives after a change returns sees it. Writers wait for each other, never for
//! readers.
//!
//! # Why no per-request database lookup
//!
//! An async origin callback that queries a database on each preflight puts the database's tail
//! latency on every cross-origin request, multiplies its load by the request rate, and lets
//! anyone force misses with origins that are in no cache (any page can send any `Origin`). The
//! set is instead loaded in the background: on a notification from the code that registers a
//! tenant (`insert`), or on an interval ([`TenantRefresher`]).

mod refresh;
pub(crate) mod table;

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use cors_policy::valid::{check_tenant_origin, TenantRules};
use cors_policy::Diagnostic;
use cors_policy_core::{AllowOrigins, TenantLookup};
pub use refresh::TenantRefresher;
use table::SharedOrigins;

/// One tenant origin set: its name in the policy, the rule its members must pass, and its
/// members. Cheap to clone: clones share the members.
#[derive(Clone)]
pub struct TenantOrigins {
    inner: Arc<SetInner>,
}

struct SetInner {
    name: String,
    rules: TenantRules,
    origins: SharedOrigins,
}

impl TenantOrigins {
    /// An empty set named `name`. `secure_only` refuses plain-http members (not loopback), as
    /// a policy with credentials demands; [`Policy::tenant_origins`](crate::Policy::tenant_origins)
    /// creates a set with the rule of the policy that names it.
    pub fn new(name: impl Into<String>, secure_only: bool) -> Self {
        TenantOrigins {
            inner: Arc::new(SetInner {
                name: name.into(),
                rules: TenantRules { secure_only },
                origins: SharedOrigins::new(),
            }),
        }
    }

    /// An empty set for the set `name` of `policy`, with the policy's rule.
    pub(crate) fn for_policy(policy: &cors_policy_core::Policy<'_>, name: &str) -> Option<Self> {
        let AllowOrigins::Listed(matcher) = policy.allow_origins() else { return None };
        let sets = matcher.tenants();
        sets.names().iter().any(|n| n == name).then(|| TenantOrigins::new(name, sets.secure_only()))
    }

    /// The set's name, as the policy writes it.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// `true` if members must be secure origins.
    pub fn secure_only(&self) -> bool {
        self.inner.rules.secure_only
    }

    /// Checks `origin` as an insert would, without inserting it.
    ///
    /// # Errors
    ///
    /// The compiler's errors for `origin` as a literal entry of the policy, and `CORS059` for
    /// `*` or a pattern.
    pub fn check(&self, origin: &str) -> Result<(), TenantOriginError> {
        check_tenant_origin(origin, self.inner.rules).map(drop).map_err(|diagnostics| TenantOriginError {
            origin: Some(origin.to_string()),
            index: None,
            diagnostics,
        })
    }

    /// Adds `origin`; `Ok(false)` if it was a member already.
    ///
    /// # Errors
    ///
    /// As [`TenantOrigins::check`]; the set is unchanged.
    pub fn insert(&self, origin: &str) -> Result<bool, TenantOriginError> {
        self.check(origin)?;
        self.inner.origins.insert(origin).map_err(|error| TenantOriginError::table(Some(origin), error))
    }

    /// Removes `origin`; `Ok(false)` if it was no member.
    ///
    /// # Errors
    ///
    /// Only when the memory for the new snapshot cannot be had; the origin is then still a
    /// member, and the error says so rather than pretending it was removed.
    pub fn remove(&self, origin: &str) -> Result<bool, TenantOriginError> {
        self.inner.origins.remove(origin).map_err(|error| TenantOriginError::table(Some(origin), error))
    }

    /// Replaces every member with `origins`, at once.
    ///
    /// # Errors
    ///
    /// Every refused origin, each with its index in `origins`; then nothing changes, so that a
    /// bad row in the source never empties the set.
    pub fn replace_all<I, S>(&self, origins: I) -> Result<(), Vec<TenantOriginError>>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let origins: Vec<S> = origins.into_iter().collect();
        let errors: Vec<TenantOriginError> = origins
            .iter()
            .enumerate()
            .filter_map(|(index, origin)| {
                self.check(origin.as_ref())
                    .err()
                    .map(|error| TenantOriginError { index: Some(index), ..error })
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        self.inner
            .origins
            .replace_all(origins.iter().map(AsRef::as_ref))
            .map_err(|error| alloc::vec![TenantOriginError::table(None, error)])
    }

    /// Replaces every member with the origins of `origins` that pass the checks, at once, and
    /// returns the others (each with its index): what a background refresh wants, where one
    /// bad row must neither freeze the set (keeping a tenant removed since) nor empty it.
    ///
    /// # Errors
    ///
    /// Only when the table cannot take the change (its size limit, or memory); then nothing
    /// changes.
    pub fn replace_valid<I, S>(&self, origins: I) -> Result<Vec<TenantOriginError>, TenantOriginError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut refused = Vec::new();
        let mut valid = Vec::new();
        for (index, origin) in origins.into_iter().enumerate() {
            match self.check(origin.as_ref()) {
                Ok(()) => valid.push(origin),
                Err(error) => refused.push(TenantOriginError { index: Some(index), ..error }),
            }
        }
        self.inner
            .origins
            .replace_all(valid.iter().map(AsRef::as_ref))
            .map_err(|error| TenantOriginError::table(None, error))?;
        Ok(refused)
    }

    /// `true` if `origin` is a member.
    pub fn contains(&self, origin: &str) -> bool {
        self.inner.origins.contains(origin.as_bytes())
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.inner.origins.len()
    }

    /// `true` if the set has no member.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The members, sorted.
    pub fn to_vec(&self) -> Vec<String> {
        self.inner.origins.to_vec()
    }

    /// The bytes the set holds on the heap: about 50 per origin of 38 bytes (BENCHMARKS.md).
    pub fn heap_bytes(&self) -> usize {
        self.inner.origins.heap_bytes()
    }
}

impl fmt::Debug for TenantOrigins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantOrigins")
            .field("name", &self.inner.name)
            .field("secure_only", &self.inner.rules.secure_only)
            .field("len", &self.len())
            .finish()
    }
}

/// An origin a tenant set refused: the compiler's diagnostics for it.
#[derive(Clone, Debug)]
pub struct TenantOriginError {
    /// `None` for a change of the whole set that the table could not take.
    origin: Option<String>,
    index: Option<usize>,
    diagnostics: Vec<Diagnostic>,
}

impl TenantOriginError {
    /// A change the table could not make (its size limit, or memory), as a `CORS059`.
    fn table(origin: Option<&str>, error: table::TableError) -> Self {
        let diagnostic = Diagnostic::error(
            cors_policy::Check::InvalidTenantEntry,
            cors_policy::Span::Key { key: "allow_origins", item: None },
            alloc::format!("the tenant set cannot take this change: {error}"),
        );
        TenantOriginError {
            origin: origin.map(str::to_string),
            index: None,
            diagnostics: alloc::vec![diagnostic],
        }
    }

    /// The refused origin; `None` when the change of the whole set was refused (the table's
    /// size limit, or memory).
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// Its index in the list given to [`TenantOrigins::replace_all`].
    pub fn index(&self) -> Option<usize> {
        self.index
    }

    /// The code of the first error, such as `CORS005`.
    pub fn code(&self) -> &'static str {
        self.diagnostics.first().map_or("CORS059", |d| d.check.code())
    }

    /// Every error, as the compiler reports it for a literal entry.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl fmt::Display for TenantOriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(origin) = &self.origin {
            write!(f, "tenant origin `{}`", origin.escape_debug())?;
            if let Some(index) = self.index {
                write!(f, " (item {index})")?;
            }
            f.write_str(" refused:")?;
        } else {
            f.write_str("tenant set change refused:")?;
        }
        for diagnostic in &self.diagnostics {
            let help = diagnostic.help.as_ref().map_or(String::new(), |h| alloc::format!(" (help: {h})"));
            write!(f, " [{}] {}{help}", diagnostic.check.code(), diagnostic.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for TenantOriginError {}

/// Tenant sets that do not fit the policy they are lent to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantBindError {
    message: String,
}

impl TenantBindError {
    pub(crate) fn reloadable() -> Self {
        TenantBindError {
            message: "a reloadable policy's tenant sets are lent once, with `ReloadablePolicy::with_tenant_origins`"
                .into(),
        }
    }

    /// The error as a diagnostic (`CORS059`), for a refused reload.
    pub(crate) fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(
            cors_policy::Check::InvalidTenantEntry,
            cors_policy::Span::Key { key: "allow_origins", item: None },
            self.message.clone(),
        )
    }
}

impl fmt::Display for TenantBindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", cors_policy::Check::InvalidTenantEntry.code(), self.message)
    }
}

impl std::error::Error for TenantBindError {}

/// The tenant sets lent to one policy, in the order its `allow_origins` names them.
#[derive(Clone, Debug, Default)]
pub(crate) struct TenantBinding {
    sets: Vec<TenantOrigins>,
}

impl TenantBinding {
    pub(crate) fn none() -> Self {
        TenantBinding::default()
    }

    /// The lookup to lend the policy; `None` when the policy names no set.
    pub(crate) fn lookup(&self) -> Option<&dyn TenantLookup> {
        (!self.sets.is_empty()).then_some(self as &dyn TenantLookup)
    }

    /// `sets`, ordered as `policy` names them.
    pub(crate) fn bind(
        policy: &cors_policy_core::Policy<'_>,
        sets: impl IntoIterator<Item = TenantOrigins>,
    ) -> Result<Self, TenantBindError> {
        let mut given: Vec<TenantOrigins> = sets.into_iter().collect();
        let fail = |message: String| Err(TenantBindError { message });
        let (names, secure_only) = match policy.allow_origins() {
            AllowOrigins::Listed(matcher) => (matcher.tenants().names(), matcher.tenants().secure_only()),
            AllowOrigins::Any => (cors_policy_core::StrList::EMPTY, false),
        };
        let mut ordered = Vec::with_capacity(names.len());
        for name in names.iter() {
            let Some(position) = given.iter().position(|set| set.name() == name) else {
                return fail(alloc::format!(
                    "the policy names the tenant set `{name}`, and no set of that name was given"
                ));
            };
            let set = given.swap_remove(position);
            if secure_only && !set.secure_only() {
                return fail(alloc::format!(
                    "the tenant set `{name}` accepts plain-http origins, and the policy allows credentials: create it with `secure_only` (or from the policy, with `tenant_origins(\"{name}\")`)"
                ));
            }
            ordered.push(set);
        }
        if let Some(extra) = given.first() {
            return fail(alloc::format!("the policy names no tenant set `{}`", extra.name()));
        }
        Ok(TenantBinding { sets: ordered })
    }
}

impl TenantLookup for TenantBinding {
    #[inline]
    fn contains(&self, set: usize, origin: &[u8]) -> bool {
        self.sets.get(set).is_some_and(|s| s.inner.origins.contains(origin))
    }
}
