//! Tenant origin sets from the user's side: a policy naming a set, the application inserting
//! and removing origins while a real server answers, and every insert checked as the compiler
//! checks a literal origin.

mod support;

use axum::routing::get;
use axum::Router;
use cors_policy_runtime::tenants::{TenantOrigins, TenantRefresher};
use cors_policy_runtime::{cors_policy, OwnedPolicy, Policy, ReloadablePolicy};
use std::future::IntoFuture;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::{allows, send};

static API: Policy = cors_policy! {
    allow_origins: ["https://app.example.com", tenants("customer-domains")],
    allow_methods: [PUT],
    allow_credentials: true,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenants_added_and_removed_at_run_time_are_served_at_once() {
    let customers = API.tenant_origins("customer-domains").unwrap();
    assert!(customers.secure_only(), "credentials: https only");
    let layer = API.layer().with_tenant_origins([customers.clone()]).unwrap();
    let app = Router::new().route("/data", get(|| async { "data" })).layer(layer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, app).into_future());
    let shop = "https://shop.acme.example";
    let preflight = "Access-Control-Request-Method: PUT\r\n";

    let answer = send(address, "OPTIONS", shop, preflight).await;
    assert!(answer.starts_with("http/1.1 403"), "not a tenant yet: {answer}");
    assert!(customers.insert(shop).unwrap());
    let answer = send(address, "OPTIONS", shop, preflight).await;
    assert!(answer.starts_with("http/1.1 204") && allows(&answer, shop), "{answer}");
    assert!(answer.contains("access-control-allow-credentials: true"), "{answer}");
    let answer = send(address, "GET", shop, "").await;
    assert!(allows(&answer, shop), "{answer}");
    // Exact: the tenant's origin, not its subdomains or another scheme or port.
    for other in ["https://evil.shop.acme.example", "https://shop.acme.example:8443", "https://acme.example"]
    {
        let answer = send(address, "GET", other, "").await;
        assert!(!answer.contains("access-control-allow-origin"), "{other}: {answer}");
    }
    // The fixed entries still apply.
    assert!(allows(&send(address, "GET", "https://app.example.com", "").await, "https://app.example.com"));

    assert!(customers.remove(shop).unwrap());
    let answer = send(address, "OPTIONS", shop, preflight).await;
    assert!(answer.starts_with("http/1.1 403"), "removed: {answer}");

    // A batch with one bad row changes nothing.
    customers.replace_all(["https://a.example", "https://b.example"]).unwrap();
    let errors = customers.replace_all(["https://c.example", "https://d.example/"]).unwrap_err();
    assert_eq!((errors.len(), errors[0].index(), errors[0].code()), (1, Some(1), "CORS012"));
    assert_eq!(customers.to_vec(), ["https://a.example", "https://b.example"]);
    assert!(allows(&send(address, "GET", "https://b.example", "").await, "https://b.example"));
    server.abort();
}

/// The insert of each mistake is refused with the code and message the compiler gives the same
/// string written in `allow_origins` of a policy with credentials.
#[test]
fn every_insert_gets_the_verdict_of_a_policy_file() {
    let customers = API.tenant_origins("customer-domains").unwrap();
    let mistakes = [
        "*",
        "null",
        "https://*.acme.example",
        "https://acme.example:*",
        "https://acme.example/",
        "https://acme.example/path",
        "https://acme.example:443",
        "https://ACME.example",
        "HTTPS://acme.example",
        "https://bücher.example",
        "http://acme.example",
        " https://acme.example",
        "",
        "acme.example",
        "file:///etc/passwd",
        "https://user@acme.example",
        "https://0x7f.0.0.1",
    ];
    for origin in mistakes {
        let error = customers.insert(origin).expect_err(origin);
        assert!(!customers.contains(origin));
        let file = cors_policy::compile_yaml(&format!(
            "allow_origins: [{}]\nallow_credentials: true\n",
            serde_json::to_string(origin).unwrap()
        ));
        let in_file: Vec<_> = file.diagnostics.iter().filter(|d| d.is_error()).collect();
        if error.code() == "CORS059" {
            // `*` and patterns are legal in a file; a tenant set holds exact origins only.
            assert!(matches!(origin, "*" | "https://*.acme.example" | "https://acme.example:*"), "{origin}");
            continue;
        }
        assert!(!in_file.is_empty(), "{origin} is an error in a file too");
        let inserted: Vec<_> = error.diagnostics().iter().map(|d| (d.check, &d.message, &d.help)).collect();
        let written: Vec<_> = in_file.iter().map(|d| (d.check, &d.message, &d.help)).collect();
        assert_eq!(inserted, written, "{origin}");
        assert!(error.to_string().contains(&format!("[{}]", error.code())), "{error}");
    }
    assert!(customers.is_empty());
    // What a file accepts, an insert accepts: a trailing-dot host (a name of its own, which
    // browsers send as written), loopback http with credentials.
    for origin in ["https://acme.example.", "http://127.0.0.1:8080", "https://xn--bcher-kva.example"] {
        let file =
            cors_policy::compile_yaml(&format!("allow_origins: ['{origin}']\nallow_credentials: true\n"));
        assert!(!file.has_errors(), "{origin}: {:?}", file.diagnostics);
        assert!(customers.insert(origin).unwrap(), "{origin}");
    }
    assert!(customers.insert("http://localhost:3000").unwrap());
}

#[test]
fn a_set_must_fit_the_policy_it_is_lent_to() {
    let lax = TenantOrigins::new("customer-domains", false);
    let error = API.layer().with_tenant_origins([lax]).unwrap_err();
    assert!(
        error.to_string().contains("accepts plain-http origins, and the policy allows credentials"),
        "{error}"
    );
    let error = API.layer().with_tenant_origins([TenantOrigins::new("other", true)]).unwrap_err();
    assert!(error.to_string().contains("no set of that name was given"), "{error}");
    let both = [TenantOrigins::new("customer-domains", true), TenantOrigins::new("other", true)];
    let error = API.layer().with_tenant_origins(both).unwrap_err();
    assert!(error.to_string().contains("names no tenant set `other`"), "{error}");
    assert!(API.tenant_origins("other").is_none());
}

/// Readers never miss an origin that is a member throughout, while a writer inserts and removes
/// others and replaces the set as a whole.
///
/// Each round of changes waits until a reader has looked up again since the round before, so the
/// lookups overlap the changes however the threads are scheduled (CI's busy machines once ran
/// every change before a reader had started).
#[test]
fn lookups_under_concurrent_changes_never_miss_a_stable_member() {
    let customers = API.tenant_origins("customer-domains").unwrap();
    let stable: Vec<String> = (0..50).map(|i| format!("https://stable{i}.example")).collect();
    customers.replace_all(&stable).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let lookups = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (customers, stable, stop, lookups) =
                (customers.clone(), stable.clone(), stop.clone(), lookups.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    for origin in &stable {
                        assert!(customers.contains(origin), "{origin} missed");
                        lookups.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    const ROUNDS: usize = 300;
    for round in 0..ROUNDS {
        let seen = lookups.load(Ordering::Relaxed);
        // A reader that panicked has stopped counting: leave the wait, and `join` reports it.
        while lookups.load(Ordering::Relaxed) == seen && !readers.iter().any(|r| r.is_finished()) {
            std::thread::yield_now();
        }
        let churn = format!("https://churn{round}.example");
        customers.insert(&churn).unwrap();
        if round % 3 == 0 {
            customers.remove(&churn).unwrap();
        }
        if round % 50 == 0 {
            let mut next = stable.clone();
            next.push(format!("https://batch{round}.example"));
            customers.replace_all(&next).unwrap();
        }
    }
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.join().unwrap();
    }
    assert!(lookups.load(Ordering::Relaxed) >= ROUNDS, "every round overlapped a lookup");
}

#[test]
fn a_refresher_loads_the_set_in_the_background_and_keeps_it_on_a_bad_load() {
    let customers = API.tenant_origins("customer-domains").unwrap();
    let rows = Arc::new(std::sync::Mutex::new(vec!["https://one.example".to_owned()]));
    let source = rows.clone();
    let refresher = TenantRefresher::spawn(customers.clone(), Duration::from_secs(3600), move || {
        Ok::<_, String>(source.lock().unwrap().clone())
    });
    refresher.refresh_now_and_wait();
    assert_eq!(customers.to_vec(), ["https://one.example"]);
    rows.lock().unwrap().push("https://two.example".into());
    refresher.refresh_now_and_wait();
    assert!(customers.contains("https://two.example"));
    rows.lock().unwrap().push("http://plain.example".into());
    refresher.refresh_now_and_wait();
    assert_eq!(customers.len(), 2, "a refused row changes nothing");
    assert!(refresher.last_error().unwrap().contains("CORS005"), "{:?}", refresher.last_error());
}

/// A reloadable policy keeps its tenant sets across reloads, and a reload that drops or renames
/// the set is refused.
#[test]
fn a_reloaded_policy_keeps_its_tenant_sets() {
    let yaml = |extra: &str| {
        format!("allow_origins: [https://app.example.com, {{tenants: customer-domains}}]\nallow_credentials: true\n{extra}")
    };
    let policy = OwnedPolicy::from_yaml(&yaml(""), "cors.yaml", None).unwrap();
    let customers = policy.tenant_origins("customer-domains").unwrap();
    customers.insert("https://shop.acme.example").unwrap();
    let reloadable = ReloadablePolicy::with_tenant_origins(policy, [customers.clone()]).unwrap();
    let request: &[(&str, &str)] = &[("origin", "https://shop.acme.example")];
    assert!(reloadable.current().policy().evaluate(b"GET", request).is_allowed());
    let v2 = OwnedPolicy::from_yaml(&yaml("max_age: 600\n"), "cors.yaml", None).unwrap();
    reloadable.replace(v2).unwrap();
    assert!(reloadable.current().policy().evaluate(b"GET", request).is_allowed(), "the set stays lent");
    let renamed = OwnedPolicy::from_yaml(
        "allow_origins: [https://app.example.com, {tenants: shops}]\nallow_credentials: true\n",
        "cors.yaml",
        None,
    )
    .unwrap();
    let error = reloadable.replace(renamed).unwrap_err();
    assert_eq!(error.errors().next().unwrap().check.code(), "CORS059");
    assert!(reloadable.current().policy().evaluate(b"GET", request).is_allowed(), "the old policy stays");
}
