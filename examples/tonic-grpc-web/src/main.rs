//! `cargo run -p tonic-grpc-web`: serves the grpc-web Greeter on 127.0.0.1:50051 (or `PORT`)
//! until Ctrl-C.

use std::net::SocketAddr;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(50051);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let address = listener.local_addr()?;
    println!("listening on http://{address}");
    println!("the preflight a grpc-web client's browser sends (204 with CORS headers):");
    println!(
        "  curl -i -X OPTIONS http://{address}/helloworld.Greeter/SayHello -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type,x-grpc-web,x-user-agent'"
    );
    println!("a refused preflight (403, no CORS headers):");
    println!(
        "  curl -i -X OPTIONS http://{address}/helloworld.Greeter/SayHello -H 'Origin: https://evil.example' -H 'Access-Control-Request-Method: POST'"
    );
    println!("a grpc-web call, SayHello {{ name: \"Ada\" }} (grpc-status 0 in the trailer frame):");
    println!(
        "  printf '\\0\\0\\0\\0\\5\\n\\3Ada' | curl -i --data-binary @- http://{address}/helloworld.Greeter/SayHello -H 'Origin: https://app.example.com' -H 'Content-Type: application/grpc-web+proto' -H 'X-Grpc-Web: 1' --output -"
    );
    tonic_grpc_web::serve(listener, async {
        let _ = tokio::signal::ctrl_c().await;
        println!("shutting down");
    })
    .await?;
    Ok(())
}
