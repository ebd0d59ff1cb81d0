//! Raw HTTP/1.1 over loopback TCP, for the suites that test a real server.

use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request to `/data` over a fresh connection; the whole answer, lowercased.
pub async fn send(address: SocketAddr, method: &str, origin: &str, extra: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "{method} /data HTTP/1.1\r\nHost: api\r\nOrigin: {origin}\r\n{extra}Connection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer.to_ascii_lowercase()
}

/// `true` if the answer allows `origin` (lowercased, as `send` returns it).
pub fn allows(answer: &str, origin: &str) -> bool {
    answer.contains(&format!("access-control-allow-origin: {origin}\r\n"))
}
