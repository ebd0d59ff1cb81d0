//! Editing the policy file while the server runs: a broken edit is refused and logged, the old
//! policy keeps serving; a good one is served from the next request on.

mod common;

use common::{eventually, replace_file, TestServer, POLICY};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

const APP: &str = "https://app.example.com";
const NEW: &str = "https://new.example.com";
const SHOP: &str = "https://shop.acme.example";

/// What was logged at `WARN` and above, by every thread (the watcher's included).
fn logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = logs.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_writer(move || Sink(sink.clone()))
            .init();
        logs
    })
    .clone()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logged(logs: &Mutex<Vec<u8>>) -> String {
    String::from_utf8_lossy(&logs.lock().unwrap()).into_owned()
}

#[tokio::test]
async fn a_broken_edit_is_refused_and_a_good_one_is_served() {
    let logs = logs();
    let server = TestServer::start("reload", POLICY, Duration::from_secs(3600)).await;
    assert_eq!(server.register(SHOP).await.status, 201);
    assert_eq!(server.get_from(APP).await.allowed_origin(), Some(APP));
    let path = server.policy_path();

    // A trailing slash (CORS012) and `*` with credentials (CORS001): refused, with every error
    // at file:line:col.
    replace_file(
        &path,
        "allow_origins:\n  - https://app.example.com/\n  - '*'\n  - tenants: customer-domains\nallow_credentials: true\n",
    );
    eventually("the watcher refuses the broken file and logs why", || async {
        let logged = logged(&logs);
        logged.contains("reload refused") && logged.contains("[CORS012]") && logged.contains("[CORS001]")
    })
    .await;
    let text = logged(&logs);
    assert!(text.contains(&format!("{}:2:5: [CORS012]", path.display())), "{text}");
    assert!(text.contains("cors_policy"), "the runtime's target: {text}");
    assert_eq!(server.app.policy().generation(), 0);
    assert_eq!(server.get_from(APP).await.allowed_origin(), Some(APP), "the old policy keeps serving");
    assert_eq!(server.get_from(SHOP).await.allowed_origin(), Some(SHOP));
    assert_eq!(server.get_from(NEW).await.allowed_origin(), None);

    let good = POLICY.replace(APP, NEW);
    replace_file(&path, &good);
    eventually("the good file is served", || async {
        server.get_from(NEW).await.allowed_origin() == Some(NEW)
    })
    .await;
    assert!(server.app.policy().generation() >= 1);
    assert_eq!(server.get_from(APP).await.allowed_origin(), None, "the new policy dropped it");
    assert_eq!(
        server.get_from(SHOP).await.allowed_origin(),
        Some(SHOP),
        "the tenant set is lent to every reload"
    );
    let status = server.send("GET", "/admin/policy", &[], "").await;
    assert!(status.body.contains(&format!("generation: {}", server.app.policy().generation())), "{status:?}");

    // The tenant set is lent once, at start: a file that drops it is refused (CORS059).
    let generation = server.app.policy().generation();
    let before = logged(&logs).len();
    replace_file(&path, "allow_origins: [https://other.example.com]\nallow_credentials: true\n");
    eventually("the file without the tenant set is refused", || async {
        logged(&logs)[before..].contains("[CORS059]")
    })
    .await;
    assert_eq!(server.app.policy().generation(), generation);
    assert_eq!(server.get_from(NEW).await.allowed_origin(), Some(NEW));
    assert_eq!(server.get_from(SHOP).await.allowed_origin(), Some(SHOP));
}

#[test]
fn the_policy_file_errors_come_with_their_location() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("tenants-sqlite").join("location");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cors.yaml");
    std::fs::write(&path, "allow_origins: [https://app.example.com/, {tenants: customer-domains}]\n")
        .unwrap();
    let config = tenants_sqlite::Config {
        policy_path: path.clone(),
        policy_name: None,
        database_path: dir.join("tenants.db"),
        refresh_interval: Duration::from_secs(3600),
    };
    let error = tenants_sqlite::App::start(&config).unwrap_err().to_string();
    assert!(error.contains(&format!("{}:1:17: [CORS012]", path.display())), "{error}");

    std::fs::write(&path, "allow_origins: [https://app.example.com]\n").unwrap();
    let error = tenants_sqlite::App::start(&config).unwrap_err().to_string();
    assert!(error.contains("names no tenant set `customer-domains`"), "{error}");
}
