//! An axum server whose CORS policy is a YAML file, reloaded when it changes, and whose tenant
//! origins live in SQLite.
//!
//! * `cors.yaml` names a tenant set next to its fixed origins:
//!   `allow_origins: [https://app.example.com, {tenants: customer-domains}]`. The file is
//!   watched ([`ReloadablePolicy::watch`]): an edit that passes every check is served from the
//!   next request on, one that fails is refused (logged at `WARN`, target `cors_policy`) and the
//!   old policy keeps serving.
//! * The set `customer-domains` is the table `tenant_domains(origin TEXT PRIMARY KEY)`, loaded
//!   in the background by a [`TenantRefresher`]: every [`Config::refresh_interval`], and at once
//!   when this server registers or removes a tenant. Requests never wait for the database.
//! * `POST /admin/tenants` and `DELETE /admin/tenants` (the origin as a plain-text body) change
//!   the table; an origin the policy would refuse as a literal entry is refused with 422 before
//!   it reaches the database.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cors_policy_runtime::tenants::{TenantBindError, TenantOriginError, TenantOrigins, TenantRefresher};
use cors_policy_runtime::{LoadError, OwnedPolicy, PolicyWatcher, ReloadablePolicy};
use rusqlite::Connection;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The tenant set the policy file must name: `{tenants: customer-domains}`.
pub const TENANT_SET: &str = "customer-domains";

/// The largest admin request body: an origin is at most a few hundred bytes, and nothing
/// bigger needs to be buffered (axum's default limit is 2 MiB).
const MAX_ADMIN_BODY: usize = 1024;

/// How long a connection waits for another writer's lock (another process adding tenants)
/// before it gives up with `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the policy and the tenants come from.
#[derive(Clone, Debug)]
pub struct Config {
    /// The policy file, watched for changes.
    pub policy_path: PathBuf,
    /// The policy of the file to serve, for a file with `policies:`; `None` for a file with one.
    pub policy_name: Option<String>,
    /// The SQLite database; created, with its table, if missing.
    pub database_path: PathBuf,
    /// How often the tenant set is reloaded from the database, for rows written by others.
    pub refresh_interval: Duration,
}

impl Config {
    /// The policy file from the first argument or `CORS_POLICY` (default `cors.yaml`, in the
    /// working directory), `CORS_POLICY_NAME`, the database from `TENANTS_DB` (default
    /// `tenants.db`), the interval from `TENANTS_REFRESH_SECS` (default 30).
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
        let policy_path =
            std::env::args_os().nth(1).or_else(|| var("CORS_POLICY")).unwrap_or("cors.yaml".into());
        let refresh_secs = var("TENANTS_REFRESH_SECS")
            .and_then(|secs| secs.to_str().and_then(|secs| secs.parse::<u64>().ok()))
            .unwrap_or(30);
        Config {
            policy_path: policy_path.into(),
            policy_name: var("CORS_POLICY_NAME").map(|name| name.to_string_lossy().into_owned()),
            database_path: var("TENANTS_DB").unwrap_or("tenants.db".into()).into(),
            refresh_interval: Duration::from_secs(refresh_secs.max(1)),
        }
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub enum StartError {
    /// The policy file is unreadable or fails its checks (every error, at `file:line:col`).
    Policy(LoadError),
    /// The policy names no tenant set [`TENANT_SET`], so registered tenants would never be
    /// allowed.
    NoTenantSet(PathBuf),
    /// The tenant set does not fit the policy (cannot happen for a set the policy made).
    Bind(TenantBindError),
    /// The database could not be opened or created.
    Database(PathBuf, rusqlite::Error),
    /// The first load of the tenant set failed.
    FirstLoad(String),
    /// The policy file's folder cannot be watched.
    Watch(PathBuf, Box<dyn std::error::Error + Send + Sync>),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Policy(error) => error.fmt(f),
            StartError::NoTenantSet(path) => write!(
                f,
                "{}: the policy names no tenant set `{TENANT_SET}`: add `{{tenants: {TENANT_SET}}}` to allow_origins",
                path.display()
            ),
            StartError::Bind(error) => error.fmt(f),
            StartError::Database(path, error) => write!(f, "{}: {error}", path.display()),
            StartError::FirstLoad(error) => write!(f, "the first load of the tenants failed: {error}"),
            StartError::Watch(path, error) => write!(f, "cannot watch {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Policy(error) => Some(error),
            StartError::Bind(error) => Some(error),
            StartError::Database(_, error) => Some(error),
            StartError::Watch(_, error) => Some(error.as_ref()),
            StartError::NoTenantSet(_) | StartError::FirstLoad(_) => None,
        }
    }
}

/// Opens (or creates) the database with the settings both of its users need.
///
/// WAL lets the refresher read while another connection, or another process, writes; the busy
/// timeout makes a writer wait for another's lock instead of failing at once.
pub fn open_database(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    // `journal_mode` answers with the mode now in effect, so it is a query, not an update.
    let _mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    connection.execute("CREATE TABLE IF NOT EXISTS tenant_domains (origin TEXT PRIMARY KEY)", [])?;
    Ok(connection)
}

/// Every origin of `tenant_domains` that `set` accepts, sorted.
///
/// A row the set refuses (written by another tool, which skipped the checks this server makes)
/// is logged here, each with its reason, and skipped (the refresher would skip it too, but
/// report only the first in `last_error`). Skipping it never widens trust: the row is not
/// served.
pub fn load_tenants(connection: &Connection, set: &TenantOrigins) -> rusqlite::Result<Vec<String>> {
    let mut statement = connection.prepare_cached("SELECT origin FROM tenant_domains ORDER BY origin")?;
    let mut rows = statement.query([])?;
    let mut origins = Vec::new();
    while let Some(row) = rows.next()? {
        // SQLite columns are dynamically typed: another tool may have stored a blob here.
        let Ok(origin) = row.get_ref(0)?.as_str() else {
            tracing::warn!(tenants = set.name(), "skipping a tenant_domains row that is not text");
            continue;
        };
        match set.check(origin) {
            Ok(()) => origins.push(origin.to_owned()),
            Err(error) => tracing::warn!(tenants = set.name(), "skipping a tenant_domains row: {error}"),
        }
    }
    Ok(origins)
}

/// The writes of the admin routes, on one connection shared by their blocking tasks.
#[derive(Clone, Debug)]
struct TenantStore {
    connection: Arc<Mutex<Connection>>,
}

impl TenantStore {
    fn new(connection: Connection) -> Self {
        TenantStore { connection: Arc::new(Mutex::new(connection)) }
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while the lock was held leaves nothing half-done in the connection (SQLite
        // rolls back an unfinished statement), so the next request may take it over.
        self.connection.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `true` if `origin` was added, `false` if it was there already.
    fn insert(&self, origin: &str) -> rusqlite::Result<bool> {
        let changed = self
            .connection()
            .execute("INSERT INTO tenant_domains (origin) VALUES (?1) ON CONFLICT DO NOTHING", [origin])?;
        Ok(changed == 1)
    }

    /// `true` if `origin` was removed, `false` if it was no row.
    fn delete(&self, origin: &str) -> rusqlite::Result<bool> {
        let deleted = self.connection().execute("DELETE FROM tenant_domains WHERE origin = ?1", [origin])?;
        Ok(deleted == 1)
    }
}

/// The running parts of the server: the policy being served, its tenant set, the refresher
/// that fills the set and the watcher that reloads the file. Keep it alive while serving:
/// dropping it stops the watcher and the refresher.
#[derive(Debug)]
pub struct App {
    policy: ReloadablePolicy,
    tenants: TenantOrigins,
    refresher: Arc<TenantRefresher>,
    store: TenantStore,
    watcher: PolicyWatcher,
}

impl App {
    /// Loads the policy, opens the database, loads the tenants once (blocking until they are
    /// in, so the first requests see them) and starts watching the policy file.
    ///
    /// # Errors
    ///
    /// A policy that fails its checks or names no set [`TENANT_SET`], a database that cannot
    /// be opened or read, a folder that cannot be watched.
    pub fn start(config: &Config) -> Result<App, StartError> {
        let path = &config.policy_path;
        let name = config.policy_name.as_deref();
        let policy = OwnedPolicy::from_file(path, name).map_err(StartError::Policy)?;
        // From the policy, so that the set has the policy's rule (https only, with credentials).
        let tenants =
            policy.tenant_origins(TENANT_SET).ok_or_else(|| StartError::NoTenantSet(path.clone()))?;
        // Every reload is lent the same set: a new file must name it too, or it is refused.
        let policy =
            ReloadablePolicy::with_tenant_origins(policy, [tenants.clone()]).map_err(StartError::Bind)?;

        let database = |error| StartError::Database(config.database_path.clone(), error);
        let store = TenantStore::new(open_database(&config.database_path).map_err(database)?);
        // The refresher's own connection: its loads never wait for the admin routes' lock.
        let reader = open_database(&config.database_path).map_err(database)?;
        let checked = tenants.clone();
        let refresher = TenantRefresher::spawn(tenants.clone(), config.refresh_interval, move || {
            load_tenants(&reader, &checked)
        });
        refresher.refresh_now_and_wait();
        if let Some(error) = refresher.last_error() {
            return Err(StartError::FirstLoad(error));
        }

        let watcher =
            policy.watch(path, name).map_err(|error| StartError::Watch(path.clone(), error.into()))?;
        Ok(App { policy, tenants, refresher: Arc::new(refresher), store, watcher })
    }

    /// The routes: `/api/*` behind the CORS layer, `/admin/*` outside it.
    ///
    /// The admin routes are for operators and tools, not for scripts on other origins: without
    /// CORS headers a browser lets no other origin read them or send them a preflighted request.
    /// That is no protection on its own: a cross-site page can still send a plain-text `POST`
    /// (a simple request, no preflight) and any client outside a browser can send anything.
    /// Real admin routes need authentication, with a credential in a header such as
    /// `Authorization` rather than a cookie, which such a page's request would carry.
    pub fn router(&self) -> Router {
        let state = AdminState {
            policy: self.policy.clone(),
            tenants: self.tenants.clone(),
            refresher: self.refresher.clone(),
            store: self.store.clone(),
        };
        let api = Router::new().route("/api/data", get(read_data).put(write_data)).layer(self.policy.layer());
        let admin = Router::new()
            .route("/admin/tenants", get(list_tenants).post(register_tenant).delete(remove_tenant))
            .route("/admin/policy", get(policy_status))
            .layer(DefaultBodyLimit::max(MAX_ADMIN_BODY))
            .with_state(state);
        api.merge(admin)
    }

    /// The policy being served, replaced on every good edit of the file.
    pub fn policy(&self) -> &ReloadablePolicy {
        &self.policy
    }

    /// The tenant set, as requests see it now.
    pub fn tenants(&self) -> &TenantOrigins {
        &self.tenants
    }

    /// The refresher, to reload the tenants at once (`refresh_now`) or read why the last load
    /// failed (`last_error`).
    pub fn refresher(&self) -> &TenantRefresher {
        &self.refresher
    }

    /// The policy file watched.
    pub fn policy_path(&self) -> &Path {
        self.watcher.path()
    }
}

/// The CORS-protected resource.
async fn read_data() -> &'static str {
    "tenant data\n"
}

/// A write a cross-origin page can only send after a preflight (`PUT`).
async fn write_data(body: String) -> String {
    format!("stored {} bytes\n", body.len())
}

#[derive(Clone)]
struct AdminState {
    policy: ReloadablePolicy,
    tenants: TenantOrigins,
    refresher: Arc<TenantRefresher>,
    store: TenantStore,
}

/// An admin request that failed.
#[derive(Debug)]
enum AdminError {
    /// The origin fails the checks of a literal entry of the policy: the client's mistake.
    Refused(TenantOriginError),
    Database(rusqlite::Error),
    /// The blocking task panicked or was cancelled.
    Task(tokio::task::JoinError),
}

impl From<TenantOriginError> for AdminError {
    fn from(error: TenantOriginError) -> Self {
        AdminError::Refused(error)
    }
}

impl From<rusqlite::Error> for AdminError {
    fn from(error: rusqlite::Error) -> Self {
        AdminError::Database(error)
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        match self {
            // The code and message of the compiler, as `cors-policy check` prints them.
            AdminError::Refused(error) => {
                (StatusCode::UNPROCESSABLE_ENTITY, format!("{error}\n")).into_response()
            }
            // Details stay in the log; the client learns only that it was not its fault.
            AdminError::Database(error) => {
                tracing::error!("tenant_domains: {error}");
                (StatusCode::INTERNAL_SERVER_ERROR, "database error\n").into_response()
            }
            AdminError::Task(error) => {
                tracing::error!("admin task: {error}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
            }
        }
    }
}

/// Runs `work`, which blocks (SQLite, waiting for the refresher), off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AdminError> + Send + 'static,
) -> Result<T, AdminError> {
    tokio::task::spawn_blocking(work).await.map_err(AdminError::Task)?
}

/// The origin of an admin request body: `curl --data-binary @file` may end it with a newline.
fn origin_of(body: &str) -> String {
    body.trim().to_owned()
}

/// The set has not followed the database (the refresh failed): say so rather than pretend.
fn not_served_yet(state: &AdminState, what: &str) -> (StatusCode, String) {
    let why = state.refresher.last_error().unwrap_or_else(|| "the refresh did not finish".to_owned());
    (StatusCode::ACCEPTED, format!("{what}; the tenant set will follow on a later refresh: {why}\n"))
}

/// `POST /admin/tenants`: registers the origin in the body.
///
/// The origin is checked first, with the rule of the policy's set: one that could never be
/// served (plain http with credentials, a pattern, a path) never reaches the database. The
/// answer comes after the refresh it triggers has loaded it, so the client's next request is
/// allowed: `201` when added, `200` when it was registered already.
async fn register_tenant(
    State(state): State<AdminState>,
    body: String,
) -> Result<(StatusCode, String), AdminError> {
    let origin = origin_of(&body);
    state.tenants.check(&origin)?;
    blocking(move || {
        let added = state.store.insert(&origin)?;
        // Not `insert` into the set here: a load already running may have read the table before
        // this row, and would then drop it again. The refresh asked for now starts after the
        // commit, so once it is done the set has the row, and so does every later load.
        state.refresher.refresh_now_and_wait();
        Ok(match (state.tenants.contains(&origin), added) {
            (true, true) => (StatusCode::CREATED, format!("registered {origin}\n")),
            (true, false) => (StatusCode::OK, format!("{origin} was registered already\n")),
            (false, _) => not_served_yet(&state, &format!("stored {origin}")),
        })
    })
    .await
}

/// `DELETE /admin/tenants`: removes the origin in the body; `204` once it is no longer served,
/// `404` if it was not registered.
///
/// Not checked: removing never widens trust, and it must be able to delete a bad row another
/// tool wrote.
async fn remove_tenant(
    State(state): State<AdminState>,
    body: String,
) -> Result<(StatusCode, String), AdminError> {
    let origin = origin_of(&body);
    blocking(move || {
        let deleted = state.store.delete(&origin)?;
        state.refresher.refresh_now_and_wait();
        Ok(match (state.tenants.contains(&origin), deleted) {
            (false, true) => (StatusCode::NO_CONTENT, String::new()),
            (false, false) => (StatusCode::NOT_FOUND, format!("{origin} is not registered\n")),
            (true, _) => not_served_yet(&state, &format!("deleted {origin}")),
        })
    })
    .await
}

/// `GET /admin/tenants`: the origins served now, one a line.
async fn list_tenants(State(state): State<AdminState>) -> String {
    state.tenants.to_vec().iter().map(|origin| format!("{origin}\n")).collect()
}

/// `GET /admin/policy`: how many times the policy file has been reloaded.
async fn policy_status(State(state): State<AdminState>) -> String {
    let current = state.policy.current();
    let name = current.policy().name().unwrap_or("unnamed").to_owned();
    format!("policy: {name}\ngeneration: {}\n", state.policy.generation())
}
