//! `runtime`: what serving a policy loaded at run time costs a request through the layer,
//! next to the same policy compiled by `cors_policy!`, in the same run.
//!
//! * `static`: `API.layer()`, the tables of generated code;
//! * `owned`: `OwnedPolicy::from_yaml` of the same policy, `policy.layer()`;
//! * `reloadable`: the same, through `ReloadablePolicy::layer` (one `arc_swap` load per
//!   request);
//! * `tenants`: `cors_policy!` with `tenants("customers")` and the origin a member of a set of
//!   10,000 tenants, lent with `with_tenant_origins` (the origin is not among the fixed
//!   entries, so the lookup reaches the tenant set).

use cors_policy_benches::{
    actual, allow_origin, app, bench_service, call_now, criterion, preflight, API, APP_ORIGIN, EVIL_ORIGIN,
    NORMAL_ACRH,
};
use cors_policy_runtime::{cors_policy, OwnedPolicy, Policy, ReloadablePolicy};
use criterion::{criterion_group, criterion_main, Criterion};
use tower_layer::Layer;

/// The YAML of [`API`].
const API_YAML: &str = "allow_origins: [https://app.example.com]\nallow_methods: [GET, POST, PUT, DELETE]\nallow_headers: [content-type, x-request-id]\nexpose_headers: [x-request-id]\nallow_credentials: true\nmax_age: 600\n";

/// [`API`] with a tenant set, whose members are `https://t{i}.customers.example`.
static TENANTED: Policy = cors_policy! {
    allow_origins: ["https://admin.example.com", tenants("customers")],
    allow_methods: [GET, POST, PUT, DELETE],
    allow_headers: ["content-type", "x-request-id"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

fn runtime(c: &mut Criterion) {
    let owned = OwnedPolicy::from_yaml(API_YAML, "api.yaml", None).expect("the policy compiles");
    let reloadable = ReloadablePolicy::new(owned.clone());
    let customers = TENANTED.tenant_origins("customers").expect("the policy names the set");
    customers
        .replace_all((0..10_000).map(|i| format!("https://t{i}.customers.example")))
        .expect("valid origins");
    let tenants = TENANTED.layer().with_tenant_origins([customers]).expect("the set fits the policy");
    let member = "https://t9999.customers.example";

    let mut group = c.benchmark_group("runtime");
    let cases = [
        (
            "preflight-allowed",
            preflight(APP_ORIGIN, "PUT", Some(NORMAL_ACRH)),
            preflight(member, "PUT", Some(NORMAL_ACRH)),
        ),
        ("actual-allowed", actual(APP_ORIGIN), actual(member)),
        ("actual-refused", actual(EVIL_ORIGIN), actual(EVIL_ORIGIN)),
    ];
    for (name, request, tenant_request) in &cases {
        let (mut fixed, mut owned, mut reloadable, mut tenants) = (
            API.layer().layer(app()),
            owned.layer().layer(app()),
            reloadable.layer().layer(app()),
            tenants.layer(app()),
        );
        // All four answer alike: allowed or refused, with the same status.
        let expected = call_now(&mut fixed, request.clone());
        for response in [
            call_now(&mut owned, request.clone()),
            call_now(&mut reloadable, request.clone()),
            call_now(&mut tenants, tenant_request.clone()),
        ] {
            assert_eq!(response.status(), expected.status(), "{name}");
            assert_eq!(allow_origin(&response).is_some(), allow_origin(&expected).is_some(), "{name}");
        }
        bench_service(&mut group, name, "static", &mut fixed, request);
        bench_service(&mut group, name, "owned", &mut owned, request);
        bench_service(&mut group, name, "reloadable", &mut reloadable, request);
        bench_service(&mut group, name, "tenants", &mut tenants, tenant_request);
    }
    group.finish();
}

criterion_group! { name = benches; config = criterion(); targets = runtime }
criterion_main!(benches);
