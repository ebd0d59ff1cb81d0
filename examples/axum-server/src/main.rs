//! `cargo run -p axum-server`: serves on 127.0.0.1:3000 (or `PORT`) until Ctrl-C.

use std::net::SocketAddr;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3000);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let address = listener.local_addr()?;
    println!("listening on http://{address}");
    println!("an allowed preflight (204 with CORS headers):");
    println!(
        "  curl -i -X OPTIONS http://{address}/app/profile -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'"
    );
    println!("a refused preflight (403, no CORS headers):");
    println!(
        "  curl -i -X OPTIONS http://{address}/app/profile -H 'Origin: https://evil.example' -H 'Access-Control-Request-Method: PUT'"
    );
    println!("the public API, readable from any origin:");
    println!("  curl -i http://{address}/public/status -H 'Origin: https://anyone.example'");
    axum::serve(listener, axum_server::app())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            println!("shutting down");
        })
        .await
}
