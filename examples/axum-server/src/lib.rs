//! Two routes, two policies: a public read-only API open to every origin (inline), and the
//! web app's credentialed API (from `cors.yaml`, compiled by `build.rs`).

use axum::routing::get;
use axum::Router;
use cors_policy_runtime::{cors_policy, Policy};

/// The public API: any origin may read it, without credentials.
pub static PUBLIC: Policy = cors_policy! {
    allow_origins: ["*"],
    allow_methods: [GET],
    max_age: 600,
};

// `pub static APP`, compiled from cors.yaml by build.rs.
include!(concat!(env!("OUT_DIR"), "/cors.rs"));

/// The application: `/public/*` under [`PUBLIC`], `/app/*` under [`APP`].
pub fn app() -> Router {
    let public = Router::new().route("/public/status", get(|| async { "up" })).layer(PUBLIC.layer());
    let app = Router::new()
        .route("/app/profile", get(|| async { "{\"name\":\"Ada\"}" }).put(|| async { "saved" }))
        .layer(APP.layer());
    public.merge(app)
}
