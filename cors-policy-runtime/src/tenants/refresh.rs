//! [`TenantRefresher`]: reloads a tenant set in the background.

use super::TenantOrigins;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::Duration;

/// Reloads a tenant set from its source (a database query, a file, an API) on a background
/// thread: every `interval`, and at once on [`TenantRefresher::refresh_now`] (a notification,
/// say from the code that registers a tenant). The set becomes the loaded origins that pass
/// the checks ([`TenantOrigins::replace_valid`]): a bad row is skipped, so it neither freezes
/// the set (which would keep serving a tenant removed since) nor empties it. A load that fails
/// changes nothing. Either is kept ([`TenantRefresher::last_error`]) and logged with the
/// `tracing` feature.
///
/// Requests never wait for a load: they read the set as it is. Dropping the refresher stops
/// the thread (after the load in progress, if any).
///
/// ```
/// use cors_policy_runtime::tenants::{TenantOrigins, TenantRefresher};
/// use std::time::Duration;
///
/// let customers = TenantOrigins::new("customer-domains", true);
/// let refresher = TenantRefresher::spawn(customers.clone(), Duration::from_secs(60), || {
///     // e.g. `SELECT origin FROM tenant_domains`
///     Ok::<_, std::io::Error>(vec!["https://shop.acme.example".to_owned()])
/// });
/// refresher.refresh_now_and_wait();
/// assert!(customers.contains("https://shop.acme.example"));
/// ```
#[derive(Debug)]
pub struct TenantRefresher {
    requests: Option<Sender<Request>>,
    thread: Option<JoinHandle<()>>,
    last_error: Arc<Mutex<Option<String>>>,
}

enum Request {
    Refresh(Option<Sender<()>>),
}

impl TenantRefresher {
    /// Starts refreshing `set` with `load`, once now and then every `interval`.
    pub fn spawn<F, E>(set: TenantOrigins, interval: Duration, mut load: F) -> Self
    where
        F: FnMut() -> Result<Vec<String>, E> + Send + 'static,
        E: core::fmt::Display,
    {
        let (requests, receiver) = mpsc::channel::<Request>();
        let last_error = Arc::new(Mutex::new(None));
        let errors = last_error.clone();
        let thread = std::thread::Builder::new()
            .name(alloc::format!("cors-tenants-{}", set.name()))
            .spawn(move || {
                let mut done: Option<Sender<()>> = None;
                loop {
                    let error = match load() {
                        Ok(origins) => match set.replace_valid(&origins) {
                            Ok(refused) if refused.is_empty() => None,
                            Ok(refused) => {
                                let first = refused.first().map_or(String::new(), ToString::to_string);
                                Some(alloc::format!("{} origin(s) refused and skipped; first: {first}", refused.len()))
                            }
                            Err(error) => Some(alloc::format!("the set is unchanged: {error}")),
                        },
                        Err(error) => Some(alloc::format!("loading failed, the set is unchanged: {error}")),
                    };
                    #[cfg(feature = "tracing")]
                    if let Some(error) = &error {
                        tracing::warn!(target: "cors_policy", tenants = set.name(), "tenant refresh: {error}");
                    }
                    if let Ok(mut slot) = errors.lock() {
                        *slot = error;
                    }
                    if let Some(done) = done.take() {
                        let _ = done.send(());
                    }
                    match receiver.recv_timeout(interval) {
                        Ok(Request::Refresh(reply)) => done = reply,
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            })
            .ok();
        TenantRefresher { requests: Some(requests), thread, last_error }
    }

    /// Asks for a load now, without waiting for it.
    pub fn refresh_now(&self) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(Request::Refresh(None));
        }
    }

    /// Asks for a load now and waits until it is done (or the refresher has stopped).
    pub fn refresh_now_and_wait(&self) {
        let (done, wait) = mpsc::channel();
        if let Some(requests) = &self.requests {
            if requests.send(Request::Refresh(Some(done))).is_ok() {
                let _ = wait.recv();
            }
        }
    }

    /// Why the last load changed nothing, if it did not.
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|e| e.clone())
    }
}

impl Drop for TenantRefresher {
    fn drop(&mut self) {
        drop(self.requests.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
