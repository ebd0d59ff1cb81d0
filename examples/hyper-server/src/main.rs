//! `cargo run -p hyper-server`: serves on 127.0.0.1:3000 (or `PORT`) until Ctrl-C.

use std::net::SocketAddr;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3000);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let address = listener.local_addr()?;
    println!("listening on http://{address}");
    println!("an allowed preflight (204 with CORS headers):");
    println!(
        "  curl -i -X OPTIONS http://{address}/items -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'"
    );
    println!("a refused preflight (403, no CORS headers):");
    println!(
        "  curl -i -X OPTIONS http://{address}/items -H 'Origin: https://evil.example' -H 'Access-Control-Request-Method: PUT'"
    );
    println!("an actual request (Access-Control-Allow-Origin, Vary: Origin):");
    println!("  curl -i http://{address}/items -H 'Origin: https://app.example.com'");
    tokio::select! {
        served = hyper_server::serve(listener) => served,
        _ = tokio::signal::ctrl_c() => {
            println!("shutting down");
            Ok(())
        }
    }
}
