//! The server under test, on 127.0.0.1:0 over real TCP, with its own policy file and SQLite
//! database under `CARGO_TARGET_TMPDIR`, and a raw HTTP/1.1 client.

// Each test binary uses part of these helpers.
#![allow(dead_code)]

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tenants_sqlite::{App, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::task::JoinHandle;

/// How long anything may take: a request, a refresh, a reload noticed. Generous, for a loaded
/// 2-core machine; every wait ends as soon as its condition holds.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// A policy with credentials: tenants must be https.
pub const POLICY: &str = "\
allow_origins: [https://app.example.com, {tenants: customer-domains}]
allow_methods: [PUT]
allow_headers: [content-type]
allow_credentials: true
protect_writes: true
";

pub struct TestServer {
    pub address: SocketAddr,
    pub app: App,
    pub dir: PathBuf,
    server: JoinHandle<std::io::Result<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestServer {
    /// Starts a server in a fresh folder named `name`, with `policy` as its policy file.
    pub async fn start(name: &str, policy: &str, refresh_interval: Duration) -> TestServer {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tenants-sqlite").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("cors.yaml"), policy).unwrap();
        let config = Config {
            policy_path: dir.join("cors.yaml"),
            policy_name: None,
            database_path: dir.join("tenants.db"),
            refresh_interval,
        };
        let app = App::start(&config).unwrap_or_else(|error| panic!("{error}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(axum::serve(listener, app.router()).into_future());
        TestServer { address, app, dir, server }
    }

    pub fn policy_path(&self) -> PathBuf {
        self.dir.join("cors.yaml")
    }

    /// Another connection to the server's database, as another process would open it.
    pub fn database(&self) -> rusqlite::Connection {
        tenants_sqlite::open_database(&self.dir.join("tenants.db")).unwrap()
    }

    pub fn rows(&self) -> Vec<String> {
        let database = self.database();
        let mut statement = database.prepare("SELECT origin FROM tenant_domains ORDER BY origin").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    }

    /// Sends one request on a new connection and reads the whole answer.
    pub async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        let exchange = async {
            let mut stream = tokio::net::TcpStream::connect(self.address).await.unwrap();
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut answer = String::new();
            stream.read_to_string(&mut answer).await.unwrap();
            answer
        };
        let answer = tokio::time::timeout(PATIENCE, exchange).await.expect("the server answers in time");
        Answer::parse(&answer)
    }

    /// A credentialed `GET /api/data` from `origin`.
    pub async fn get_from(&self, origin: &str) -> Answer {
        self.send("GET", "/api/data", &[("Origin", origin)], "").await
    }

    /// A preflight for `PUT /api/data` with `content-type`, from `origin`.
    pub async fn preflight_from(&self, origin: &str) -> Answer {
        let headers = [
            ("Origin", origin),
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "content-type"),
        ];
        self.send("OPTIONS", "/api/data", &headers, "").await
    }

    pub async fn register(&self, origin: &str) -> Answer {
        self.send("POST", "/admin/tenants", &[("Content-Type", "text/plain")], origin).await
    }

    pub async fn unregister(&self, origin: &str) -> Answer {
        self.send("DELETE", "/admin/tenants", &[("Content-Type", "text/plain")], origin).await
    }
}

/// An HTTP answer: the status, the headers (names lowercased), the body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    fn parse(answer: &str) -> Answer {
        let (head, body) =
            answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no header end in {answer:?}"));
        let mut lines = head.split("\r\n");
        let status = lines.next().and_then(|line| line.split(' ').nth(1)).and_then(|code| code.parse().ok());
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        Answer {
            status: status.unwrap_or_else(|| panic!("no status in {answer:?}")),
            headers,
            body: body.to_owned(),
        }
    }

    /// The value of the header `name`, if there is exactly one.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let value = values.next();
        assert!(values.next().is_none(), "repeated {name} in {self:?}");
        value
    }

    /// `Access-Control-Allow-Origin`.
    pub fn allowed_origin(&self) -> Option<&str> {
        self.header("access-control-allow-origin")
    }
}

/// Polls `condition` until it holds, for at most [`PATIENCE`]; panics with `what` if it never
/// does.
pub async fn eventually<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while !condition().await {
        assert!(start.elapsed() < PATIENCE, "not within {PATIENCE:?}: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Replaces `path` as deployment tools and most editors do: a new file renamed over it, so
/// that the watcher never reads half a file.
pub fn replace_file(path: &Path, text: &str) {
    let staged = path.with_extension("yaml.new");
    std::fs::write(&staged, text).unwrap();
    std::fs::rename(&staged, path).unwrap();
}
