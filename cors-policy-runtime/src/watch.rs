//! [`PolicyWatcher`]: reloads a policy file when it changes.

use crate::ReloadablePolicy;
use notify::{EventKind, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};

/// Watches a policy file and reloads it into a [`ReloadablePolicy`] on every change; a change
/// that fails the checks is refused (and logged, with the `tracing` feature) and the current
/// policy keeps serving. Watching stops when this is dropped.
///
/// The file's folder is watched rather than the file itself, because editors and deployment
/// tools replace a file by renaming a new one over it, which ends a watch on the old file. One
/// save often raises several events: a content already tried (served or refused) is not tried
/// again, so each edit is reloaded, or refused and logged, once. The reloaded policy must name
/// the tenant sets the served one was given ([`ReloadablePolicy::with_tenant_origins`]).
#[derive(Debug)]
pub struct PolicyWatcher {
    _watcher: notify::RecommendedWatcher,
    path: PathBuf,
}

impl PolicyWatcher {
    pub(crate) fn start(policy: ReloadablePolicy, path: &Path, name: Option<&str>) -> std::io::Result<Self> {
        let path = std::path::absolute(path)?;
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
        let name = name.map(alloc::borrow::ToOwned::to_owned);
        let watched = path.clone();
        let mut tried: Option<alloc::vec::Vec<u8>> = None;
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            let relevant = matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_))
                && event.paths.iter().any(|p| p == &watched);
            if !relevant {
                return;
            }
            let Ok(bytes) = cors_policy::read_policy_file(&watched) else { return };
            if tried.as_ref() == Some(&bytes) {
                return;
            }
            // The bytes compared are the bytes loaded: one read. A refusal is logged by the
            // reload, and the current policy stays.
            let _ = policy.reload_from_file_bytes(&bytes, &watched, name.as_deref());
            tried = Some(bytes);
        })
        .map_err(std::io::Error::other)?;
        watcher.watch(&folder, RecursiveMode::NonRecursive).map_err(std::io::Error::other)?;
        Ok(PolicyWatcher { _watcher: watcher, path })
    }

    /// The file watched.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
