//! Tenant origin sets: exact origins that only the running application knows.
//!
//! A policy may name a set (`allow_origins: [{tenants: customer-domains}]`) whose members the
//! application adds and removes at run time, for example the domains its customers register.
//! The compiled policy holds the names of its sets and the rule their members were checked
//! against; the members themselves live in the application's [`TenantLookup`], which the
//! runtime lends to the policy. A policy with no lookup lent admits no tenant origin.

use crate::StrList;

/// Where the members of a policy's tenant sets are looked up: the runtime's tenant origin
/// sets, or any other store whose every member passed the compiler's checks of one exact
/// origin (`cors_policy::valid::check_tenant_origin`).
///
/// `Sync`, because a policy is shared by every request of a server.
pub trait TenantLookup: Sync {
    /// `true` if `origin`, the raw `Origin` header value (at most
    /// [`MAX_ORIGIN_LEN`](crate::MAX_ORIGIN_LEN) bytes), is a member of set number `set`,
    /// in the order of [`TenantSets::names`].
    fn contains(&self, set: usize, origin: &[u8]) -> bool;
}

/// The tenant sets of one `allow_origins` list.
#[derive(Clone, Copy)]
pub struct TenantSets<'a> {
    names: StrList<'a>,
    secure_only: bool,
    lookup: Option<&'a dyn TenantLookup>,
}

impl<'a> TenantSets<'a> {
    /// No tenant set.
    pub const EMPTY: TenantSets<'static> =
        TenantSets { names: StrList::EMPTY, secure_only: false, lookup: None };

    /// The sets named `names`, with no lookup lent yet. `secure_only`: every member must be a
    /// secure origin (https, or loopback), because the policy allows credentials.
    pub const fn new(names: StrList<'a>, secure_only: bool) -> Self {
        TenantSets { names, secure_only, lookup: None }
    }

    /// The same sets, looked up in `lookup`.
    pub fn with_lookup<'b>(self, lookup: &'b dyn TenantLookup) -> TenantSets<'b>
    where
        'a: 'b,
    {
        TenantSets { names: self.names, secure_only: self.secure_only, lookup: Some(lookup) }
    }

    /// The names of the sets, in the order written.
    pub fn names(&self) -> StrList<'a> {
        self.names
    }

    /// `true` if members must be secure origins (the policy allows credentials).
    pub fn secure_only(&self) -> bool {
        self.secure_only
    }

    /// `true` if the list names no tenant set.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// `true` if a lookup has been lent.
    pub fn is_bound(&self) -> bool {
        self.lookup.is_some()
    }

    /// `true` if `origin` is a member of one of the sets.
    #[inline]
    pub fn contains(&self, origin: &[u8]) -> bool {
        match self.lookup {
            Some(lookup) => (0..self.names.len()).any(|set| lookup.contains(set, origin)),
            None => false,
        }
    }
}

impl core::fmt::Debug for TenantSets<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TenantSets")
            .field("names", &self.names)
            .field("secure_only", &self.secure_only)
            .field("bound", &self.lookup.is_some())
            .finish()
    }
}
