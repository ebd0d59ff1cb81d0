//! Exact-origin sets of 1, 100 and 10,000 origins: each member allowed, near misses refused,
//! whether the set is scanned (up to 8) or placed in the perfect hash table.

use cors_policy_core::LINEAR_SCAN_MAX;

fn policy_with(n: usize) -> cors_policy::compiled::Policy {
    let origins: Vec<String> = (0..n).map(|i| format!("  - https://tenant-{i}.example.com\n")).collect();
    let compilation = cors_policy::compile_yaml(&format!("allow_origins:\n{}", origins.concat()));
    assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
    compilation.policies.into_iter().next().unwrap()
}

#[test]
fn every_member_is_allowed_and_nothing_else() {
    for n in [1, LINEAR_SCAN_MAX, LINEAR_SCAN_MAX + 1, 100, 10_000] {
        let tables = policy_with(n);
        let hashed = matches!(&tables.allow_origins, cors_policy::compiled::AllowOrigins::Listed(o) if !o.exact.pilots.is_empty());
        assert_eq!(hashed, n > LINEAR_SCAN_MAX, "n = {n}");
        tables.with_view(|policy| {
            for i in 0..n {
                let origin = format!("https://tenant-{i}.example.com");
                let request = [("origin", origin.as_str())];
                assert!(policy.evaluate(b"GET", &request[..]).is_allowed(), "n = {n}: {origin}");
            }
            for miss in [
                format!("https://tenant-{n}.example.com"),
                "https://tenant-0.example.com.".into(),
                "http://tenant-0.example.com".into(),
                "https://tenant-0.example.co".into(),
                "https://TENANT-0.example.com".into(),
                String::new(),
            ] {
                let request = [("origin", miss.as_str())];
                assert!(!policy.evaluate(b"GET", &request[..]).is_allowed(), "n = {n}: {miss}");
            }
        });
    }
}

#[test]
fn the_table_is_the_same_on_every_build() {
    assert_eq!(policy_with(1000), policy_with(1000));
}
