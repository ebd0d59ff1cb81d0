//! Policies loaded at run time and reloaded while serving, from the user's side: a real axum
//! server, real HTTP requests over TCP, real files changed on disk.

mod support;

use axum::routing::get;
use axum::Router;
use cors_policy_runtime::{CorsLayer, OwnedPolicy, PolicyConfig, ReloadablePolicy};
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{allows, send};
use tower::{Layer, Service, ServiceExt};

const V1: &str = "allow_origins: [https://a.example.com]\nallow_methods: [PUT]\nexpose_headers: [x-one]\nallow_credentials: true\n";
const V2: &str = "allow_origins: [https://b.example.com]\nallow_methods: [DELETE]\nexpose_headers: [x-two]\n";
/// Two errors: a trailing slash (line 1) and `*` with credentials (line 3).
const BROKEN: &str = "allow_origins:\n  - https://b.example.com/\n  - '*'\nallow_credentials: true\n";

/// A folder of its own under the target directory, removed and made anew.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn serve(layer: CorsLayer) -> (SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>) {
    let app = Router::new().route("/data", get(|| async { "data" }).put(|| async { "put" })).layer(layer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    (address, tokio::spawn(axum::serve(listener, app).into_future()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_file_is_served_reloaded_and_a_broken_reload_keeps_the_old_policy() {
    let dir = scratch("reload-file");
    let path = dir.join("cors.yaml");
    std::fs::write(&path, V1).unwrap();
    let reloadable = ReloadablePolicy::new(OwnedPolicy::from_file(&path, None).unwrap());
    let (address, server) = serve(reloadable.layer()).await;

    let answer = send(address, "GET", "https://a.example.com", "").await;
    assert!(answer.starts_with("http/1.1 200"), "{answer}");
    assert!(allows(&answer, "https://a.example.com"), "{answer}");
    assert!(answer.contains("access-control-expose-headers: x-one\r\n"), "{answer}");
    let preflight =
        send(address, "OPTIONS", "https://a.example.com", "Access-Control-Request-Method: PUT\r\n").await;
    assert!(preflight.starts_with("http/1.1 204"), "{preflight}");

    // A broken file: every error at once, at file:line:col, and the old policy stays.
    std::fs::write(&path, BROKEN).unwrap();
    let error = reloadable.reload_from_file(&path, None).unwrap_err();
    let codes: Vec<_> = error.errors().map(|d| (d.check.code(), d.span.line_column())).collect();
    assert!(codes.contains(&("CORS012", Some((2, 5)))), "{codes:?}");
    assert!(codes.iter().any(|(code, _)| *code == "CORS001"), "{codes:?}");
    let shown = error.to_string();
    assert!(shown.contains(&format!("{}:2:5: [", path.display())), "{shown}");
    assert_eq!(reloadable.generation(), 0);
    let answer = send(address, "GET", "https://a.example.com", "").await;
    assert!(allows(&answer, "https://a.example.com"), "the old policy serves on: {answer}");

    // A good file: served from the next request on.
    std::fs::write(&path, V2).unwrap();
    reloadable.reload_from_file(&path, None).unwrap();
    assert_eq!(reloadable.generation(), 1);
    let answer = send(address, "GET", "https://a.example.com", "").await;
    assert!(
        answer.starts_with("http/1.1 200") && !answer.contains("access-control-allow-origin"),
        "{answer}"
    );
    let answer = send(address, "GET", "https://b.example.com", "").await;
    assert!(allows(&answer, "https://b.example.com"), "{answer}");
    assert!(answer.contains("access-control-expose-headers: x-two\r\n"), "{answer}");
    assert!(!answer.contains("access-control-allow-credentials"), "{answer}");
    server.abort();
}

/// Polls `done` every 20 ms for at most `limit`.
fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watched_file_is_reloaded_on_change_and_a_broken_change_is_refused() {
    let dir = scratch("watch-file");
    let path = dir.join("cors.yaml");
    std::fs::write(&path, V1).unwrap();
    let reloadable = ReloadablePolicy::new(OwnedPolicy::from_file(&path, None).unwrap());
    let watcher = reloadable.watch(&path, None).unwrap();
    let (address, server) = serve(reloadable.layer()).await;

    // Replaced the way deployment tools do it: a new file renamed over the old one.
    let staged = dir.join("cors.yaml.new");
    std::fs::write(&staged, V2).unwrap();
    std::fs::rename(&staged, &path).unwrap();
    assert!(eventually(Duration::from_secs(10), || reloadable.generation() >= 1), "no reload seen");
    let answer = send(address, "GET", "https://b.example.com", "").await;
    assert!(allows(&answer, "https://b.example.com"), "{answer}");

    let generation = reloadable.generation();
    std::fs::write(&path, BROKEN).unwrap();
    // Give the watcher time to see (and refuse) the change.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(reloadable.generation(), generation, "a broken file must not be served");
    let answer = send(address, "GET", "https://b.example.com", "").await;
    assert!(allows(&answer, "https://b.example.com"), "the last good policy serves on: {answer}");

    // Fixed again in place (an editor's save): served again.
    std::fs::write(&path, V1).unwrap();
    assert!(eventually(Duration::from_secs(10), || reloadable.generation() > generation), "no reload seen");
    let answer = send(address, "GET", "https://a.example.com", "").await;
    assert!(allows(&answer, "https://a.example.com"), "{answer}");
    drop(watcher);
    server.abort();
}

/// Under reloads between two policies, each request is answered wholly by one of them: the
/// allowed origin, the exposed header and the credentials always belong together, and no
/// request fails.
///
/// After each reload the writer waits until every reader has finished two more requests, so the
/// second of them began after the reload: each reader sees both policies however the threads are
/// scheduled, with no time budget to miss.
#[test]
fn no_request_sees_a_torn_policy_while_reloads_happen() {
    let v1 = OwnedPolicy::from_yaml(
        "allow_origins: [https://a.example.com, https://b.example.com]\nexpose_headers: [x-one]\nallow_credentials: true\n",
        "v1.yaml",
        None,
    )
    .unwrap();
    let v2 = OwnedPolicy::from_yaml(
        "allow_origins: [https://b.example.com]\nexpose_headers: [x-two]\n",
        "v2.yaml",
        None,
    )
    .unwrap();
    let reloadable = ReloadablePolicy::new(v1.clone());
    let stop = Arc::new(AtomicBool::new(false));
    let served: Arc<[AtomicUsize; 2]> = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let mut readers = Vec::new();
    for reader in 0..2 {
        let layer = reloadable.layer();
        let (stop, served) = (stop.clone(), served.clone());
        readers.push(std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let mut service = layer.layer(tower::service_fn(|_req: http::Request<()>| async {
                Ok::<_, std::convert::Infallible>(http::Response::new(()))
            }));
            let (mut seen_one, mut seen_two) = (0usize, 0usize);
            while !stop.load(Ordering::Relaxed) {
                let request = http::Request::builder()
                    .uri("/data")
                    .header("origin", "https://b.example.com")
                    .body(())
                    .unwrap();
                let response =
                    runtime.block_on(async { service.ready().await.unwrap().call(request).await }).unwrap();
                let headers = response.headers();
                assert_eq!(headers["access-control-allow-origin"], "https://b.example.com", "never refused");
                let expose = headers["access-control-expose-headers"].to_str().unwrap();
                let credentials = headers.get("access-control-allow-credentials").is_some();
                match expose {
                    "x-one" => {
                        assert!(credentials, "v1 sends credentials with x-one");
                        seen_one += 1;
                    }
                    "x-two" => {
                        assert!(!credentials, "v2 never sends credentials");
                        seen_two += 1;
                    }
                    other => panic!("expose {other}"),
                }
                served[reader].fetch_add(1, Ordering::Relaxed);
            }
            (seen_one, seen_two)
        }));
    }
    const RELOADS: usize = 200;
    for reload in 0..RELOADS {
        reloadable.replace(if reload % 2 == 0 { v2.clone() } else { v1.clone() }).unwrap();
        let after: Vec<usize> = served.iter().map(|n| n.load(Ordering::Relaxed)).collect();
        // A reader that panicked has stopped counting: leave the wait, and `join` reports it.
        while served.iter().zip(&after).any(|(n, a)| n.load(Ordering::Relaxed) < a + 2)
            && !readers.iter().any(|r: &std::thread::JoinHandle<_>| r.is_finished())
        {
            std::thread::yield_now();
        }
    }
    stop.store(true, Ordering::Relaxed);
    let seen: Vec<(usize, usize)> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    let total: usize = seen.iter().map(|(a, b)| a + b).sum();
    assert_eq!(total, served.iter().map(|n| n.load(Ordering::Relaxed)).sum::<usize>());
    // Each reload is followed by two requests per reader, the second begun after it.
    assert!(seen.iter().all(|(one, two)| *one >= RELOADS / 2 && *two >= RELOADS / 2), "{seen:?}");
    eprintln!("{total} requests across {RELOADS} reloads: {seen:?}");
}

#[test]
fn a_policy_in_the_applications_own_configuration_is_checked_and_served() {
    // As it would sit under `[cors]` in the application's configuration.
    let config: PolicyConfig = serde_json::from_str(
        r#"{"allow_origins": ["https://app.example.com", {"regex": "^https://pr-[0-9]+\\.preview\\.example\\.com$"}],
            "allow_methods": ["PUT"], "max_age": 600}"#,
    )
    .unwrap();
    let policy = OwnedPolicy::from_config(&config, Some("api")).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let (address, server) = serve(policy.layer()).await;
        let answer = send(
            address,
            "OPTIONS",
            "https://pr-42.preview.example.com",
            "Access-Control-Request-Method: PUT\r\n",
        )
        .await;
        assert!(answer.starts_with("http/1.1 204"), "{answer}");
        assert!(answer.contains("access-control-max-age: 600\r\n"), "{answer}");
        server.abort();
    });

    let bad: PolicyConfig = serde_json::from_str(
        r#"{"allow_origins": ["https://app.example.com/", "null"], "allow_credentials": true, "max_agee": 1}"#,
    )
    .unwrap();
    let error = OwnedPolicy::from_config(&bad, None).unwrap_err();
    let mut codes: Vec<_> = error.errors().map(|d| d.check.code()).collect();
    codes.sort();
    assert_eq!(codes, ["CORS003", "CORS012", "CORS047"], "{error}");
    assert!(error.to_string().contains("config: allow_origins[0]: [CORS012]"), "{error}");
}

#[test]
fn a_file_with_several_policies_loads_the_one_named() {
    let text = "policies:\n  app: {allow_origins: [https://app.example.com]}\n  admin: {allow_origins: [https://admin.example.com]}\n";
    let admin = OwnedPolicy::from_yaml(text, "cors.yaml", Some("admin")).unwrap();
    assert_eq!(admin.policy().name(), Some("admin"));
    assert!(admin.policy().evaluate(b"GET", &[("origin", "https://admin.example.com")][..]).is_allowed());
    let error = OwnedPolicy::from_yaml(text, "cors.yaml", Some("ops")).unwrap_err();
    assert_eq!(error.errors().next().unwrap().check.code(), "CORS051");
    let error = OwnedPolicy::from_yaml(text, "cors.yaml", None).unwrap_err();
    assert!(error.to_string().contains("app, admin"), "{error}");
    let missing = OwnedPolicy::from_file(scratch("missing").join("nope.yaml"), None).unwrap_err();
    assert_eq!(missing.errors().next().unwrap().check.code(), "CORS052");
}

/// What a server moves between threads and tasks, or wraps in `anyhow`/`Box<dyn Error + Send +
/// Sync>`, is `Send + Sync`, also with `macros` on (which builds the compiler's token front
/// end, whose spans cannot leave their thread).
#[test]
fn runtime_types_cross_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<cors_policy_runtime::LoadError>();
    send_sync::<cors_policy_runtime::Diagnostic>();
    send_sync::<OwnedPolicy>();
    send_sync::<ReloadablePolicy>();
    send_sync::<CorsLayer>();
    send_sync::<cors_policy_runtime::tenants::TenantOrigins>();
    send_sync::<cors_policy_runtime::tenants::TenantOriginError>();
    send_sync::<cors_policy_runtime::tenants::TenantBindError>();
    let error: Box<dyn std::error::Error + Send + Sync> = Box::new(
        OwnedPolicy::from_yaml("allow_origins: ['*']\nallow_credentials: true\n", "x.yaml", None)
            .unwrap_err(),
    );
    assert!(error.to_string().contains("[CORS001]"), "{error}");
}
