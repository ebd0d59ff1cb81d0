//! Arbitrary requests against fixed compiled policies: `Policy::evaluate` never panics, never
//! allocates, and its decision keeps the documented Fetch rules.
#![no_main]

use arbitrary::Unstructured;
use cors_policy::compiled::AllowHeaders;
use cors_policy_core::{RequestKind, ResponseHeader};
use cors_policy_fuzz::{compiled, Request};
use libfuzzer_sys::fuzz_target;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards every call to the system allocator unchanged; it only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Once per process: the counter sees an allocation, so a zero count means something.
fn counter_works() {
    static CHECKED: std::sync::Once = std::sync::Once::new();
    CHECKED.call_once(|| {
        let before = ALLOCATIONS.with(Cell::get);
        drop(std::hint::black_box(Box::new(std::hint::black_box(1u64))));
        assert_eq!(ALLOCATIONS.with(Cell::get) - before, 1, "the counting allocator does not count");
    });
}

fuzz_target!(|data: &[u8]| {
    counter_works();
    let policies = compiled();
    let Ok(request) = Request::generate(&mut Unstructured::new(data)) else { return };
    let compiled = &policies[request.policy];
    let tables = &compiled.tables;
    let headers: &[(&str, Vec<u8>)] = &request.headers;
    let method: &[u8] = &request.method;

    tables.with_view(|policy| {
        let before = ALLOCATIONS.with(Cell::get);
        let decision = policy.evaluate(method, headers);
        let after = ALLOCATIONS.with(Cell::get);
        let decision = std::hint::black_box(decision);
        assert_eq!(after - before, 0, "Policy::evaluate allocated {} times", after - before);

        // The documented rules, restated from the request.
        let values = |name: &str| -> Vec<&[u8]> {
            headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| &v[..]).collect()
        };
        let origins = values("origin");
        let has_acrm = !values("access-control-request-method").is_empty();
        let expected_kind = if origins.is_empty() {
            RequestKind::NotCors
        } else if method == b"OPTIONS" && has_acrm {
            RequestKind::Preflight
        } else {
            RequestKind::Actual
        };
        assert_eq!(decision.kind(), expected_kind);
        let list = decision.headers();
        let out = &list[..];
        let count = |h: ResponseHeader| out.iter().filter(|(n, _)| *n == h).count();
        let origin_value =
            out.iter().find(|(n, _)| *n == ResponseHeader::AllowOrigin).map(|(_, v)| v.as_bytes());
        let any = matches!(tables.allow_origins, cors_policy::compiled::AllowOrigins::Any);
        for (name, _) in out {
            assert!(*name == ResponseHeader::AllowHeaders || count(*name) == 1, "{name:?} twice: {out:?}");
        }
        if count(ResponseHeader::AllowCredentials) > 0 {
            assert!(tables.allow_credentials && !any);
        }
        if let Some(value) = origin_value {
            assert!(value == b"*" && any || !any && origins.len() == 1 && value == origins[0], "{out:?}");
        }
        match decision.kind() {
            RequestKind::NotCors => {
                assert!(decision.is_allowed() && decision.status().is_none());
            }
            RequestKind::Preflight => {
                assert_eq!(count(ResponseHeader::Vary), 0, "Vary on a preflight");
                if decision.is_allowed() {
                    assert_eq!(decision.status(), Some(tables.preflight_status));
                    assert_eq!(out.first().map(|(n, _)| *n), Some(ResponseHeader::AllowOrigin));
                    if let AllowHeaders::List(list) = &tables.allow_headers {
                        // Every echoed name was listed (names compared case-insensitively).
                        for (name, value) in out {
                            if *name != ResponseHeader::AllowHeaders {
                                continue;
                            }
                            for item in value.as_bytes().split(|&b| b == b',') {
                                let item = item.trim_ascii().to_ascii_lowercase();
                                assert!(
                                    item.is_empty() || list.view().iter().any(|n| n.as_bytes() == item),
                                    "echoed unlisted header {:?}",
                                    item.escape_ascii().to_string()
                                );
                            }
                        }
                    }
                } else {
                    assert_eq!(decision.status(), Some(403));
                    assert!(out.is_empty(), "refused preflight with headers {out:?}");
                }
            }
            RequestKind::Actual => {
                assert!(decision.status().is_none());
                assert_eq!(decision.is_allowed(), origin_value.is_some(), "{out:?}");
                if !decision.is_allowed() {
                    assert!(out.iter().all(|(n, _)| *n == ResponseHeader::Vary), "{out:?}");
                }
            }
        }
    });
});
