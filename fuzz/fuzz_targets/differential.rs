//! The compiled origin check against an independent oracle (exact set, `*.`/`:*` by string
//! slicing, the `regex` crate for regexes), for the `Origin` of an actual `GET`.
#![no_main]

use arbitrary::Unstructured;
use cors_policy_core::ResponseHeader;
use cors_policy_fuzz::{compiled, origin, SPECS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let policies = compiled();
    let mut u = Unstructured::new(data);
    let Ok(index) = u.choose_index(SPECS.len()) else { return };
    let compiled = &policies[index];
    let Ok(origin) = origin(&mut u, compiled.spec) else { return };

    let expected = compiled.oracle.allows(&origin);
    let (allowed, echoed) = compiled.tables.with_view(|policy| {
        let request = [("Origin", &origin[..])];
        let decision = policy.evaluate(b"GET", &request[..]);
        let echoed = decision
            .headers()
            .iter()
            .find(|(n, _)| *n == ResponseHeader::AllowOrigin)
            .map(|(_, v)| v.as_bytes().to_vec());
        (decision.is_allowed(), echoed)
    });
    assert_eq!(
        allowed,
        expected,
        "policy {index}: Origin {:?} (b\"{}\"): runtime {}, oracle {}",
        String::from_utf8_lossy(&origin),
        origin.escape_ascii(),
        if allowed { "allows" } else { "refuses" },
        if expected { "allows" } else { "refuses" },
    );
    assert_eq!(echoed.is_some(), allowed);
});
