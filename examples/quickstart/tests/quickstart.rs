//! The Quickstart works as the README shows it: the same `main.rs` (included here), its policy
//! compiles without a warning or a note, and the router answers as promised.

#[allow(dead_code)]
mod quickstart {
    include!("../src/main.rs");

    pub fn router() -> Router {
        app()
    }
}

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt as _;

async fn send(request: Request<Body>) -> axum::http::Response<Body> {
    quickstart::router().oneshot(request).await.unwrap()
}

#[tokio::test]
async fn the_quickstart_router_answers_cors_requests() {
    let preflight = |origin: &str| {
        Request::options("/api/items")
            .header("origin", origin)
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", "content-type,authorization")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = send(preflight("https://pr-42.preview.example.com")).await;
    assert_eq!(allowed.status(), StatusCode::NO_CONTENT);
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://pr-42.preview.example.com");
    assert_eq!(allowed.headers()["access-control-allow-credentials"], "true");
    assert_eq!(allowed.headers()["access-control-max-age"], "600");
    assert_eq!(send(preflight("https://evil.example.net")).await.status(), StatusCode::FORBIDDEN);

    let get =
        Request::get("/api/items").header("origin", "https://app.example.com").body(Body::empty()).unwrap();
    let response = send(get).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["access-control-allow-origin"], "https://app.example.com");
    assert_eq!(response.headers()["access-control-expose-headers"], "x-request-id");
    assert!(response.headers()["vary"].as_bytes().eq_ignore_ascii_case(b"origin"));
}

/// The README's Quickstart blocks are this crate's files, and its policy draws no diagnostic.
#[test]
fn the_readme_shows_this_crate() {
    let readme = include_str!("../../../README.md");
    let main_rs = include_str!("../src/main.rs");
    let section = readme.split("## Quickstart").nth(1).expect("a Quickstart section");
    let rust = section.split("```rust\n").nth(1).and_then(|s| s.split("```").next()).expect("a rust block");
    assert_eq!(rust, main_rs, "README's Quickstart main.rs differs from examples/quickstart/src/main.rs");
    let toml = section.split("```toml\n").nth(1).and_then(|s| s.split("```").next()).expect("a toml block");
    for dependency in ["cors-policy-runtime", "axum", "tokio"] {
        assert!(
            toml.lines().any(|l| l.starts_with(&format!("{dependency} ="))),
            "README's Cargo.toml lacks {dependency}"
        );
    }
    assert!(toml.contains(r#""rt-multi-thread""#) && toml.contains(r#""tower""#), "{toml}");

    // The policy, compiled by the compiler the macro uses: not a single diagnostic.
    let body = main_rs.split("cors_policy! {").nth(1).and_then(|s| s.split("};").next()).expect("a policy");
    let tokens: proc_macro2::TokenStream = body.parse().expect("tokens");
    let (input, mut diagnostics) = cors_policy::tokens::parse(tokens);
    let Some(cors_policy::tokens::MacroInput::Inline(policy)) = input else { panic!("an inline policy") };
    diagnostics.extend(cors_policy::compile(std::slice::from_ref(&*policy)).diagnostics);
    let found: Vec<String> =
        diagnostics.iter().map(|d| format!("{}: {}", d.check.code(), d.message)).collect();
    assert!(found.is_empty(), "{found:#?}");
}
