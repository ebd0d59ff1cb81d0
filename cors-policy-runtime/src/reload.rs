//! [`ReloadablePolicy`]: a policy loaded at run time that can be replaced while the server
//! runs, atomically and without a lock on the request path.

use crate::layer::{CorsLayer, Source};
use crate::owned::Served;
use crate::{LoadError, OwnedPolicy};
use alloc::sync::Arc;
use arc_swap::ArcSwap;
use core::sync::atomic::{AtomicU64, Ordering};

/// A policy that can be reloaded while requests are served.
///
/// The layer reads the current policy once per request (an `arc_swap` load: no lock, no
/// allocation) and decides and answers the whole request with it, so a request never sees
/// half of one policy and half of another. A reload checks the new policy first: one that
/// fails its checks is refused with every error ([`LoadError`], also logged with the
/// `tracing` feature) and the current policy keeps serving.
///
/// Cheap to clone: clones share the current policy.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use cors_policy_runtime::{OwnedPolicy, PolicyConfig, ReloadablePolicy};
///
/// let config = |json: &str| serde_json::from_str::<PolicyConfig>(json);
/// let v1 = OwnedPolicy::from_config(&config(r#"{"allow_origins": ["https://a.example.com"]}"#)?, None)?;
/// let reloadable = ReloadablePolicy::new(v1);
/// let layer = reloadable.layer(); // serves whatever is current
/// # let _ = layer;
///
/// // A broken policy is refused, and the old one keeps serving.
/// let broken = config(r#"{"allow_origins": ["https://b.example.com/"]}"#)?;
/// assert!(reloadable.reload_from_config(&broken, None).is_err());
/// let request: &[(&str, &str)] = &[("origin", "https://a.example.com")];
/// assert!(reloadable.current().policy().evaluate(b"GET", request).is_allowed());
///
/// reloadable.reload_from_config(&config(r#"{"allow_origins": ["https://b.example.com"]}"#)?, None)?;
/// assert!(!reloadable.current().policy().evaluate(b"GET", request).is_allowed());
/// assert_eq!(reloadable.generation(), 1);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ReloadablePolicy {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    current: Arc<ArcSwap<Served>>,
    /// Successful reloads so far.
    generation: AtomicU64,
    /// The tenant sets every policy this serves is lent, the first as every reloaded one.
    #[cfg(feature = "tenants")]
    tenants: alloc::vec::Vec<crate::tenants::TenantOrigins>,
}

impl ReloadablePolicy {
    /// Starts serving `policy`.
    pub fn new(policy: OwnedPolicy) -> Self {
        ReloadablePolicy {
            inner: Arc::new(Inner {
                current: Arc::new(ArcSwap::new(policy.served)),
                generation: AtomicU64::new(0),
                #[cfg(feature = "tenants")]
                tenants: alloc::vec::Vec::new(),
            }),
        }
    }

    /// Starts serving `policy`, its tenant sets looked up in `sets`; every policy that
    /// replaces it is lent the same sets, and must name the same ones.
    ///
    /// # Errors
    ///
    /// As [`CorsLayer::with_tenant_origins`].
    #[cfg(feature = "tenants")]
    pub fn with_tenant_origins(
        policy: OwnedPolicy,
        sets: impl IntoIterator<Item = crate::tenants::TenantOrigins>,
    ) -> Result<Self, crate::tenants::TenantBindError> {
        let sets: alloc::vec::Vec<_> = sets.into_iter().collect();
        let served = policy.served.rebind(sets.iter().cloned())?;
        Ok(ReloadablePolicy {
            inner: Arc::new(Inner {
                current: Arc::new(ArcSwap::new(Arc::new(served))),
                generation: AtomicU64::new(0),
                tenants: sets,
            }),
        })
    }

    /// The policy being served now.
    pub fn current(&self) -> OwnedPolicy {
        OwnedPolicy { served: self.inner.current.load_full() }
    }

    /// How many times the policy has been replaced.
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::Acquire)
    }

    /// A `tower::Layer` serving the current policy, whichever it is when each request arrives.
    pub fn layer(&self) -> CorsLayer {
        CorsLayer::from_source(Source::Reloadable(self.inner.current.clone()))
    }

    /// Serves `policy` from now on: requests already decided finish with the policy they
    /// started with, every later one gets `policy`.
    ///
    /// # Errors
    ///
    /// With the `tenants` feature, `CORS059` when `policy` does not name the same tenant sets
    /// as the policy served (the sets are lent at construction); the current policy stays.
    pub fn replace(&self, policy: OwnedPolicy) -> Result<(), LoadError> {
        #[cfg(feature = "tenants")]
        let served = match policy.served.rebind(self.inner.tenants.iter().cloned()) {
            Ok(served) => Arc::new(served),
            Err(error) => return Err(self.refused(LoadError::new("policy", alloc::vec![error.diagnostic()]))),
        };
        #[cfg(not(feature = "tenants"))]
        let served = policy.served;
        self.inner.current.store(served);
        let _generation = self.inner.generation.fetch_add(1, Ordering::AcqRel) + 1;
        #[cfg(feature = "tracing")]
        tracing::info!(
            target: "cors_policy",
            policy = self.inner.current.load().policy().name().unwrap_or("unnamed"),
            generation = _generation,
            "reloaded the policy",
        );
        Ok(())
    }

    /// Checks the policy read through `serde` and serves it, or keeps the current one.
    ///
    /// # Errors
    ///
    /// Every error of the new policy ([`OwnedPolicy::from_config`]); the current policy stays.
    pub fn reload_from_config(
        &self,
        config: &crate::PolicyConfig,
        name: Option<&str>,
    ) -> Result<(), LoadError> {
        let policy = OwnedPolicy::from_config(config, name).map_err(|error| self.refused(error))?;
        self.replace(policy)
    }

    /// Reads, checks and serves the YAML policy file at `path`, or keeps the current policy.
    ///
    /// # Errors
    ///
    /// Every error of the file, at `file:line:col` ([`OwnedPolicy::from_file`]); the current
    /// policy stays.
    #[cfg(feature = "load-yaml")]
    pub fn reload_from_file(
        &self,
        path: impl AsRef<std::path::Path>,
        name: Option<&str>,
    ) -> Result<(), LoadError> {
        let policy = OwnedPolicy::from_file(path, name).map_err(|error| self.refused(error))?;
        self.replace(policy)
    }

    /// [`ReloadablePolicy::reload_from_file`] on bytes the watcher has read from `path`.
    #[cfg(feature = "watch")]
    pub(crate) fn reload_from_file_bytes(
        &self,
        bytes: &[u8],
        path: &std::path::Path,
        name: Option<&str>,
    ) -> Result<(), LoadError> {
        let source = alloc::string::ToString::to_string(&path.display());
        let policy =
            OwnedPolicy::from_file_bytes(bytes, &source, name).map_err(|error| self.refused(error))?;
        self.replace(policy)
    }

    /// Reloads the file at `path` whenever it changes (see [`PolicyWatcher`](crate::PolicyWatcher)).
    ///
    /// # Errors
    ///
    /// When the file's folder cannot be watched (the watcher's error, as an `io::Error`).
    #[cfg(feature = "watch")]
    pub fn watch(
        &self,
        path: impl AsRef<std::path::Path>,
        name: Option<&str>,
    ) -> std::io::Result<crate::watch::PolicyWatcher> {
        crate::watch::PolicyWatcher::start(self.clone(), path.as_ref(), name)
    }

    /// Logs a refused reload (with `tracing`) and hands the error back.
    fn refused(&self, error: LoadError) -> LoadError {
        #[cfg(feature = "tracing")]
        {
            let current = self.inner.current.load();
            let policy = current.policy();
            tracing::warn!(
                target: "cors_policy",
                policy = policy.name().unwrap_or("unnamed"),
                source = error.source_name(),
                errors = error.errors().count(),
                "reload refused, the current policy keeps serving: {error}",
            );
        }
        error
    }
}
