use axum::{routing::get, Json, Router};
use cors_policy_runtime::{cors_policy, Policy};

// Checked while this crate compiles: an insecure or ineffective setting is a compile error.
static API: Policy = cors_policy! {
    allow_origins: [
        "https://app.example.com",
        regex(r"^https://pr-[0-9]+\.preview\.example\.com$"),
    ],
    allow_methods: [PUT, DELETE],
    allow_headers: ["content-type", "authorization"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

async fn list_items() -> Json<Vec<&'static str>> {
    Json(vec!["apple", "pear"])
}

fn app() -> Router {
    Router::new().route("/api/items", get(list_items).put(list_items)).layer(API.layer())
}

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();
    println!("listening on http://127.0.0.1:3000/api/items");
    axum::serve(listener, app()).await.unwrap();
}
