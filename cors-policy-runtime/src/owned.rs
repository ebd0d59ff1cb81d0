//! [`OwnedPolicy`]: a policy loaded at run time, checked by the same compiler as
//! `cors_policy!`, and served by the same layer and the same [`Policy::evaluate`].

use crate::http::{HttpView, RenderedValues};
use crate::layer::{CorsLayer, Source};
use crate::{LoadError, Policy};
use alloc::sync::Arc;
use cors_policy::compiled;

/// A policy loaded at run time: from your own configuration through `serde` (TOML, JSON,
/// environment), or with the `load-yaml` feature from YAML text or a file. Every check of the
/// compiler applies, and all errors come at once ([`LoadError`]).
///
/// Serving it costs what serving a `cors_policy!` policy costs: the tables are the same types,
/// borrowed from this value, and header values are rendered once here. No request allocates.
/// Cheap to clone (one reference count).
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use cors_policy_runtime::{OwnedPolicy, PolicyConfig};
///
/// // In your configuration, e.g. `[cors]` of a TOML file.
/// let config: PolicyConfig = serde_json::from_str(r#"{
///     "allow_origins": ["https://app.example.com"],
///     "allow_methods": ["PUT"],
///     "allow_credentials": true
/// }"#)?;
/// let policy = OwnedPolicy::from_config(&config, Some("api"))?;
/// let preflight: &[(&str, &str)] =
///     &[("origin", "https://app.example.com"), ("access-control-request-method", "PUT")];
/// assert_eq!(policy.policy().evaluate(b"OPTIONS", preflight).status(), Some(204));
///
/// // The same checks as at compile time: `*` with credentials is refused.
/// let insecure: PolicyConfig =
///     serde_json::from_str(r#"{"allow_origins": ["*"], "allow_credentials": true}"#)?;
/// let error = OwnedPolicy::from_config(&insecure, None).unwrap_err();
/// assert_eq!(error.errors().next().unwrap().check.code(), "CORS001");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct OwnedPolicy {
    pub(crate) served: Arc<Served>,
}

/// What serves requests: the compiled tables, their header values, and the tenant sets lent.
#[derive(Debug)]
pub(crate) struct Served {
    compiled: compiled::Policy,
    values: RenderedValues,
    #[cfg(feature = "tenants")]
    pub(crate) tenants: crate::tenants::TenantBinding,
}

impl Served {
    fn new(compiled: compiled::Policy) -> Self {
        let values = RenderedValues::of(&Policy::from_engine(compiled.view()));
        Served {
            compiled,
            values,
            #[cfg(feature = "tenants")]
            tenants: crate::tenants::TenantBinding::none(),
        }
    }

    /// The policy of one request: a view of the tables, built on the stack.
    pub(crate) fn policy(&self) -> Policy<'_> {
        let policy = Policy::from_engine(self.compiled.view());
        #[cfg(feature = "tenants")]
        if let Some(lookup) = self.tenants.lookup() {
            return policy.with_tenant_lookup(lookup);
        }
        policy
    }

    /// `view` (this policy's [`Served::policy`]) with the header values rendered at load.
    pub(crate) fn http<'v>(&'v self, view: &'v Policy<'v>) -> HttpView<'v, 'v> {
        HttpView::new(view, &self.values)
    }

    /// The same policy with `sets` lent to its tenant sets.
    #[cfg(feature = "tenants")]
    pub(crate) fn rebind(
        &self,
        sets: impl IntoIterator<Item = crate::tenants::TenantOrigins>,
    ) -> Result<Served, crate::tenants::TenantBindError> {
        let tenants = crate::tenants::TenantBinding::bind(&self.compiled.view(), sets)?;
        Ok(Served { compiled: self.compiled.clone(), values: self.values.clone(), tenants })
    }
}

impl OwnedPolicy {
    fn new(compiled: compiled::Policy) -> Self {
        OwnedPolicy { served: Arc::new(Served::new(compiled)) }
    }

    /// Checks and compiles a policy read through `serde`, named `name` (what refusals and
    /// `tracing` events report).
    ///
    /// # Errors
    ///
    /// Every error of the policy, reading and checks together. `serde` keeps no locations,
    /// so each error names its key and list item (`allow_origins[2]`).
    pub fn from_config(config: &crate::PolicyConfig, name: Option<&str>) -> Result<Self, LoadError> {
        config
            .compile(name)
            .map(OwnedPolicy::new)
            .map_err(|diagnostics| LoadError::new("config", diagnostics))
    }

    /// Checks and compiles the YAML policy `text`, the policy named `name` of a file with
    /// `policies:`, or the file's one policy when `name` is `None`. `source` names the text in
    /// errors (a path, or `"cors.yaml"`).
    ///
    /// # Errors
    ///
    /// Every error of the file, each at `source:line:col`, and `CORS051` when `name` is not a
    /// policy of the file.
    #[cfg(feature = "load-yaml")]
    pub fn from_yaml(text: &str, source: &str, name: Option<&str>) -> Result<Self, LoadError> {
        OwnedPolicy::from_compilation(cors_policy::compile_yaml(text), source, name)
    }

    #[cfg(feature = "load-yaml")]
    fn from_compilation(
        mut compilation: cors_policy::Compilation,
        source: &str,
        name: Option<&str>,
    ) -> Result<Self, LoadError> {
        if compilation.has_errors() {
            return Err(LoadError::new(source, compilation.diagnostics));
        }
        let index = match name {
            Some(name) => compilation.policies.iter().position(|p| p.name.as_deref() == Some(name)),
            None if compilation.policies.len() == 1 => Some(0),
            None => None,
        };
        match index {
            Some(index) => Ok(OwnedPolicy::new(compilation.policies.swap_remove(index))),
            None => {
                let names: alloc::vec::Vec<_> =
                    compilation.policies.iter().filter_map(|p| p.name.as_deref()).collect();
                let message = match name {
                    Some(name) => alloc::format!("the file has no policy named `{name}`"),
                    None => alloc::format!("the file defines {} policies: name the one to load", names.len()),
                };
                let diagnostic = cors_policy::Diagnostic::error(
                    cors_policy::Check::UnknownPolicy,
                    cors_policy::Span::Key { key: "", item: None },
                    message,
                )
                .with_help(alloc::format!("the policies of the file: {}", names.join(", ")));
                Err(LoadError::new(source, alloc::vec![diagnostic]))
            }
        }
    }

    /// [`OwnedPolicy::from_yaml`] on the contents of the file at `path` (read with the
    /// compiler's size limit, so a huge file is refused after bounded work).
    ///
    /// # Errors
    ///
    /// `CORS052` when the file cannot be read, and every error of its policy.
    #[cfg(feature = "load-yaml")]
    pub fn from_file(path: impl AsRef<std::path::Path>, name: Option<&str>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let shown = alloc::string::ToString::to_string(&path.display());
        let bytes = cors_policy::read_policy_file(path).map_err(|error| {
            let diagnostic = cors_policy::Diagnostic::error(
                cors_policy::Check::UnreadableFile,
                cors_policy::Span::Key { key: "", item: None },
                alloc::format!("cannot read the policy file: {error}"),
            );
            LoadError::new(shown.clone(), alloc::vec![diagnostic])
        })?;
        OwnedPolicy::from_file_bytes(&bytes, &shown, name)
    }

    /// [`OwnedPolicy::from_file`] on bytes already read from the file named `source`.
    #[cfg(feature = "load-yaml")]
    pub(crate) fn from_file_bytes(bytes: &[u8], source: &str, name: Option<&str>) -> Result<Self, LoadError> {
        // The YAML reader checks the size limit and the encoding, and reports where.
        let parsed = cors_policy::yaml::parse_bytes(bytes);
        OwnedPolicy::from_compilation(cors_policy::Compilation::from_parsed(parsed), source, name)
    }

    /// The policy, for [`Policy::evaluate`]: the same engine the layer runs.
    pub fn policy(&self) -> Policy<'_> {
        self.served.policy()
    }

    /// The compiled tables, for tools (`explain`, `trust`).
    pub fn compiled(&self) -> &compiled::Policy {
        &self.served.compiled
    }

    /// A `tower::Layer` serving this policy.
    pub fn layer(&self) -> CorsLayer {
        CorsLayer::from_source(Source::Owned(self.served.clone()))
    }

    /// An empty tenant set for the set `name` of this policy, with the rules the policy
    /// demands of its members (https only, with credentials); `None` if the policy names no
    /// such set.
    #[cfg(feature = "tenants")]
    pub fn tenant_origins(&self, name: &str) -> Option<crate::tenants::TenantOrigins> {
        crate::tenants::TenantOrigins::for_policy(&self.served.compiled.view(), name)
    }

    /// The same policy, with `sets` looked up for its tenant sets.
    ///
    /// # Errors
    ///
    /// As [`CorsLayer::with_tenant_origins`].
    #[cfg(feature = "tenants")]
    pub fn with_tenant_origins(
        &self,
        sets: impl IntoIterator<Item = crate::tenants::TenantOrigins>,
    ) -> Result<Self, crate::tenants::TenantBindError> {
        Ok(OwnedPolicy { served: Arc::new(self.served.rebind(sets)?) })
    }
}
