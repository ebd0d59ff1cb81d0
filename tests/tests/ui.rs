//! Compile-fail and compile-pass UI tests of `cors_policy!`: every error of the catalog that the
//! macro can express is reported at the offending token, and sound policies compile and behave.
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p cors-policy-tests --test ui`,
//! then read the diff: each caret must sit under the token that holds the mistake.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
