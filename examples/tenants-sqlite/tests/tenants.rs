//! Tenants registered through the admin routes, refused by the checks, and written to SQLite by
//! someone else, all seen over real HTTP.

mod common;

use common::{eventually, TestServer, POLICY};
use std::time::Duration;

const SHOP: &str = "https://shop.acme.example";
/// No refresh on the interval during a test: only the ones the test triggers.
const NEVER: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn a_registered_tenant_is_allowed_from_the_next_request() {
    let server = TestServer::start("registered", POLICY, NEVER).await;

    let get = server.get_from(SHOP).await;
    assert_eq!(get.status, 200, "{get:?}"); // an actual request still runs; it is not readable
    assert_eq!(get.allowed_origin(), None, "{get:?}");
    let preflight = server.preflight_from(SHOP).await;
    assert_eq!(preflight.status, 403, "{preflight:?}");
    assert_eq!(preflight.allowed_origin(), None, "{preflight:?}");
    let cross_site_put = [("Origin", SHOP), ("Sec-Fetch-Site", "cross-site")];
    let put = server.send("PUT", "/api/data", &cross_site_put, "x").await;
    assert_eq!(put.status, 403, "protect_writes refuses an unknown writer: {put:?}");

    let registered = server.register(SHOP).await;
    assert_eq!(registered.status, 201, "{registered:?}");
    assert_eq!(server.rows(), [SHOP]);

    let preflight = server.preflight_from(SHOP).await;
    assert_eq!(preflight.status, 204, "{preflight:?}");
    assert_eq!(preflight.allowed_origin(), Some(SHOP), "{preflight:?}");
    assert_eq!(preflight.header("access-control-allow-credentials"), Some("true"), "{preflight:?}");
    assert_eq!(preflight.header("access-control-allow-methods"), Some("PUT"), "{preflight:?}");
    let get = server.get_from(SHOP).await;
    assert_eq!(get.status, 200, "{get:?}");
    assert_eq!(get.allowed_origin(), Some(SHOP), "{get:?}");
    assert_eq!(get.body, "tenant data\n");
    let put = server.send("PUT", "/api/data", &cross_site_put, "x").await;
    assert_eq!(put.status, 200, "a registered tenant may write: {put:?}");

    let again = server.register(SHOP).await;
    assert_eq!(again.status, 200, "{again:?}");
    let listed = server.send("GET", "/admin/tenants", &[], "").await;
    assert_eq!(listed.body, format!("{SHOP}\n"));

    let removed = server.unregister(SHOP).await;
    assert_eq!(removed.status, 204, "{removed:?}");
    assert!(server.rows().is_empty());
    assert_eq!(server.get_from(SHOP).await.allowed_origin(), None);
    assert_eq!(server.preflight_from(SHOP).await.status, 403);
    let missing = server.unregister(SHOP).await;
    assert_eq!(missing.status, 404, "{missing:?}");
}

#[tokio::test]
async fn an_origin_the_policy_would_refuse_never_reaches_sqlite() {
    let server = TestServer::start("refused", POLICY, NEVER).await;

    for (origin, code) in [
        ("http://plain.example", "[CORS005]"), // plain http, and the policy allows credentials
        ("https://*.evil.example", "[CORS059]"), // a pattern: a tenant is one exact origin
        ("https://shop.acme.example/", "[CORS012]"), // a path can never match an origin
        ("*", "[CORS059]"),
    ] {
        let answer = server.register(origin).await;
        assert_eq!(answer.status, 422, "{origin}: {answer:?}");
        assert!(answer.body.contains(code), "{origin}: {code} missing in {:?}", answer.body);
        assert!(answer.body.contains(origin), "{origin}: the origin is named in {:?}", answer.body);
    }
    assert!(server.rows().is_empty(), "{:?}", server.rows());
    assert!(server.app.tenants().is_empty());
    assert_eq!(server.get_from("http://plain.example").await.allowed_origin(), None);
}

#[tokio::test]
async fn rows_written_by_another_connection_are_served_after_the_interval() {
    let server = TestServer::start("interval", POLICY, Duration::from_millis(100)).await;
    assert_eq!(server.get_from(SHOP).await.allowed_origin(), None);

    server.database().execute("INSERT INTO tenant_domains (origin) VALUES (?1)", [SHOP]).unwrap();
    eventually("the row inserted by another connection is served", || async {
        server.get_from(SHOP).await.allowed_origin() == Some(SHOP)
    })
    .await;

    server.database().execute("DELETE FROM tenant_domains", []).unwrap();
    eventually("the row deleted by another connection is no longer served", || async {
        server.get_from(SHOP).await.allowed_origin().is_none()
    })
    .await;
}

#[tokio::test]
async fn refresh_now_loads_other_writers_rows_and_skips_the_bad_ones() {
    let server = TestServer::start("refresh-now", POLICY, NEVER).await;
    let other = server.database();
    // Another tool that skips the checks this server makes: a plain-http origin, a blob.
    for origin in [SHOP, "http://plain.example", "https://Upper.example"] {
        other.execute("INSERT INTO tenant_domains (origin) VALUES (?1)", [origin]).unwrap();
    }
    other.execute("INSERT INTO tenant_domains (origin) VALUES (x'00ff')", []).unwrap();
    assert_eq!(server.get_from(SHOP).await.allowed_origin(), None, "no refresh has run yet");

    let refresher = server.app.refresher();
    refresher.refresh_now_and_wait();
    assert_eq!(refresher.last_error(), None, "the bad rows are skipped, not an error");
    assert_eq!(server.app.tenants().to_vec(), [SHOP]);
    let get = server.get_from(SHOP).await;
    assert_eq!(get.allowed_origin(), Some(SHOP), "{get:?}");
    assert_eq!(server.get_from("http://plain.example").await.allowed_origin(), None);

    // The admin route removes a bad row, which it would never have written: removing is not
    // checked, as it never widens trust.
    let removed = server.unregister("http://plain.example").await;
    assert_eq!(removed.status, 204, "{removed:?}");
    let left: u32 = other
        .query_row("SELECT count(*) FROM tenant_domains WHERE origin = 'http://plain.example'", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(left, 0);
}
