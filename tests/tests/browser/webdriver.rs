//! A minimal W3C WebDriver client for chromedriver: one HTTP/1.1 request per connection over
//! `std::net::TcpStream` (`Connection: close`, body read to EOF), JSON through `serde_json`.
//! Only what the browser suite needs: new session, navigate, current URL, execute (async and
//! sync) script, delete.

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const INSTALL: &str = "apt-get install chromium chromium-driver";

/// Panics (the suite fails, never skips) when Chromium or chromedriver is missing; returns the
/// output of `chromium --version`.
pub fn require_chromium() -> String {
    for binary in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(binary).is_file(),
            "{binary} not found: the browser suite needs Debian's Chromium and chromedriver; run \
             `{INSTALL}` (as root: `apt-get update && {INSTALL}`)"
        );
    }
    let output = Command::new(CHROMIUM)
        .arg("--version")
        .output()
        .unwrap_or_else(|error| panic!("cannot run `{CHROMIUM} --version` ({error}); run `{INSTALL}`"));
    assert!(output.status.success(), "`{CHROMIUM} --version` failed; reinstall with `{INSTALL}`");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A running chromedriver with one headless Chromium session. Dropping it ends the session,
/// stops chromedriver and removes the temporary profile.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: PathBuf,
    /// `browserVersion` from the new session's capabilities (the Chromium actually driven).
    pub version: String,
}

impl Browser {
    pub fn start() -> Browser {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {CHROMEDRIVER} ({error}); run `{INSTALL}`"));
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
        let profile =
            std::env::temp_dir().join(format!("cors-policy-browser-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&profile).unwrap();
        // The session is filled in below; until then Drop only has the process and the profile.
        let mut browser = Browser { driver, port, session: String::new(), profile, version: String::new() };
        browser.wait_until_ready();
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "pageLoadStrategy": "normal",
                "timeouts": { "script": 20_000, "pageLoad": 20_000, "implicit": 0 },
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": [
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-quic",
                        format!("--user-data-dir={}", browser.profile.display()),
                    ],
                },
            }},
        });
        let answer = browser.call("POST", "/session", Some(&capabilities));
        browser.session = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver returned no sessionId: {answer}"))
            .to_string();
        browser.version = answer["capabilities"]["browserVersion"].as_str().unwrap_or("?").to_string();
        browser
    }

    /// Navigates the session's tab to `url` and waits for the page to load.
    pub fn navigate(&self, url: &str) {
        self.call("POST", &format!("/session/{}/url", self.session), Some(&json!({ "url": url })));
    }

    /// Execute Async Script: `script` gets `args` as `arguments[0..]` and the completion
    /// callback as the last argument; returns the value passed to the callback.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Value {
        let body = json!({ "script": script, "args": args });
        self.call("POST", &format!("/session/{}/execute/async", self.session), Some(&body))
    }

    /// The URL of the session's top-level document (Get Current URL).
    pub fn current_url(&self) -> String {
        let answer = self.call("GET", &format!("/session/{}/url", self.session), None);
        answer.as_str().unwrap_or_default().to_string()
    }

    /// Execute Script: `script`'s return value, or the WebDriver error (a script in a document
    /// that is being replaced, for instance) instead of a panic.
    pub fn try_execute(&self, script: &str, args: Vec<Value>) -> Result<Value, Value> {
        let body = json!({ "script": script, "args": args });
        let path = format!("/session/{}/execute/sync", self.session);
        match http(self.port, "POST", &path, Some(&body)) {
            Ok((200, answer)) => Ok(answer["value"].clone()),
            Ok((_, answer)) => Err(answer),
            Err(error) => Err(json!(error.to_string())),
        }
    }

    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!("{CHROMEDRIVER} exited with {status} before accepting sessions; run `{INSTALL}`");
            }
            if let Ok((200, answer)) = http(self.port, "GET", "/status", None) {
                if answer["value"]["ready"] == json!(true) {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "{CHROMEDRIVER} did not become ready within 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let (status, answer) = http(self.port, method, path, body)
            .unwrap_or_else(|error| panic!("WebDriver {method} {path}: {error}"));
        assert_eq!(status, 200, "WebDriver {method} {path} failed: {answer}");
        answer["value"].clone()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(self.port, "DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A loopback port nobody listens on right now (bound, then released for chromedriver).
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port()
}

/// One request to chromedriver; returns the status and the JSON body. chromedriver keeps the
/// connection open whatever `Connection` says, so the body is read by `Content-Length` (or chunks).
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes())?;
    let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let mut raw = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let read_more = |stream: &mut TcpStream, raw: &mut Vec<u8>, buffer: &mut [u8]| -> std::io::Result<bool> {
        let n = stream.read(buffer)?;
        raw.extend_from_slice(&buffer[..n]);
        Ok(n > 0)
    };
    let split = loop {
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break split;
        }
        if !read_more(&mut stream, &mut raw, &mut buffer)? {
            return Err(invalid("connection closed before the end of the headers"));
        }
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("no status line"))?;
    let header = |name: &str| {
        head.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(':').map(|v| v.trim().to_string()))
    };
    let start = split + 4;
    let payload = if let Some(length) = header("content-length") {
        let length: usize = length.parse().map_err(|_| invalid("bad content-length"))?;
        while raw.len() < start + length {
            if !read_more(&mut stream, &mut raw, &mut buffer)? {
                return Err(invalid("connection closed before the end of the body"));
            }
        }
        raw[start..start + length].to_vec()
    } else if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            if let Some(payload) = dechunk(&raw[start..]) {
                break payload;
            }
            if !read_more(&mut stream, &mut raw, &mut buffer)? {
                return Err(invalid("connection closed before the last chunk"));
            }
        }
    } else {
        while read_more(&mut stream, &mut raw, &mut buffer)? {}
        raw[start..].to_vec()
    };
    let value = if payload.is_empty() { Value::Null } else { serde_json::from_slice(&payload)? };
    Ok((status, value))
}

/// Decodes a complete chunked body; `None` while it is incomplete.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size = std::str::from_utf8(&data[..line_end]).ok()?.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
