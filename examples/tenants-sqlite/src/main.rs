//! `cargo run -p tenants-sqlite [-- path/to/cors.yaml]`: serves on 127.0.0.1:3000 (or `PORT`)
//! until Ctrl-C. See the README for the environment variables and curl commands.

use std::net::SocketAddr;
use std::process::ExitCode;
use tenants_sqlite::{App, Config};
use tracing::level_filters::LevelFilter;

#[tokio::main]
async fn main() -> ExitCode {
    // `RUST_LOG=debug` also logs every request the layer refuses (target `cors_policy`).
    let level =
        std::env::var("RUST_LOG").ok().and_then(|level| level.parse().ok()).unwrap_or(LevelFilter::INFO);
    tracing_subscriber::fmt().with_max_level(level).init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env();
    // Loads the policy and the tenants before the first connection is accepted; blocking here
    // is fine, nothing else runs yet.
    let app = App::start(&config)?;
    let port: u16 = std::env::var("PORT").ok().and_then(|port| port.parse().ok()).unwrap_or(3000);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    tracing::info!(
        policy = %app.policy_path().display(),
        database = %config.database_path.display(),
        tenants = app.tenants().len(),
        "listening on http://{}",
        listener.local_addr()?,
    );
    // The runtime logs each reload (`INFO`) and each refused one (`WARN`), target `cors_policy`.
    axum::serve(listener, app.router()).with_graceful_shutdown(shutdown_signal()).await?;
    // `app` lives until here: dropping it stops the watcher and the refresher.
    drop(app);
    Ok(())
}

/// Ctrl-C, or `SIGTERM` (what `docker stop` and systemd send): in-flight requests finish.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No handler: wait for the other signal rather than stop at once.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            // No handler: only Ctrl-C stops gracefully.
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
