//! [`PolicyWatcher`]: reloads a policy file when it changes.

use crate::ReloadablePolicy;
use notify::{EventKind, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};

/// Watches a policy file and reloads it into a [`ReloadablePolicy`] on every change; a change
/// that fails the checks is refused (and logged, with the `tracing` feature) and the current
/// policy keeps serving. Watching stops when this is dropped.
///
/// The file's folder is watched rather than the file itself, because editors and deployment
/// tools replace a file by renaming a new one over it, which ends a watch on the old file.
#[derive(Debug)]
pub struct PolicyWatcher {
    _watcher: notify::RecommendedWatcher,
    path: PathBuf,
}

impl PolicyWatcher {
    pub(crate) fn start(
        policy: ReloadablePolicy,
        path: &Path,
        name: Option<&str>,
    ) -> Result<Self, notify::Error> {
        let path = std::path::absolute(path).map_err(notify::Error::io)?;
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
        let name = name.map(alloc::borrow::ToOwned::to_owned);
        let watched = path.clone();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            let relevant = matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_))
                && event.paths.iter().any(|p| p == &watched);
            if relevant {
                // The error is logged by `reload_from_file` and the current policy stays.
                let _ = policy.reload_from_file(&watched, name.as_deref());
            }
        })?;
        watcher.watch(&folder, RecursiveMode::NonRecursive)?;
        Ok(PolicyWatcher { _watcher: watcher, path })
    }

    /// The file watched.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
