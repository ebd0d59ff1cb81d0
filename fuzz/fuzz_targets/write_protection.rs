//! Arbitrary requests against `protect_writes`: the decision never panics, and keeps the
//! algorithm's invariants whatever the bytes: safe methods pass, a trusted `Origin` passes, a
//! request with `Sec-Fetch-Site` other than `same-origin`/`none` and an untrusted `Origin` is
//! refused, and a request with neither header passes.
#![no_main]

use cors_policy_core::write_protection::{decide, HeaderField, WritePass, WriteRequest};
use libfuzzer_sys::fuzz_target;

fn field(selector: u8, value: &[u8]) -> HeaderField<'_> {
    match selector % 4 {
        0 => HeaderField::Absent,
        1 | 2 => HeaderField::One(value),
        _ => HeaderField::Several,
    }
}

fuzz_target!(|input: (u8, u8, u8, Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>, bool)| {
    let (selectors, method_pick, public, method, origin, site, host, trust_it) = input;
    let method: &[u8] = match method_pick % 6 {
        0 => b"GET",
        1 => b"HEAD",
        2 => b"OPTIONS",
        3 => b"POST",
        4 => b"get",
        _ => &method,
    };
    let request = WriteRequest {
        method,
        origin: field(selectors, &origin),
        sec_fetch_site: field(selectors >> 2, &site),
        host: field(selectors >> 4, &host),
    };
    let public_host = (public % 3 == 0).then_some(&host[..]);
    let trusted_origin = origin.clone();
    let verdict = decide(&request, |o| trust_it && o == trusted_origin.as_slice(), public_host);
    if matches!(method, b"GET" | b"HEAD" | b"OPTIONS") {
        assert_eq!(verdict, Ok(WritePass::SafeMethod));
        return;
    }
    if trust_it && matches!(request.origin, HeaderField::One(_)) {
        assert_eq!(verdict, Ok(WritePass::TrustedOrigin));
        return;
    }
    match request.sec_fetch_site {
        HeaderField::One(b"same-origin" | b"none") => assert!(verdict.is_ok()),
        HeaderField::One(_) | HeaderField::Several => assert!(verdict.is_err()),
        HeaderField::Absent if request.origin == HeaderField::Absent => assert_eq!(verdict, Ok(WritePass::NotABrowser)),
        HeaderField::Absent => {}
    }
});
