//! Integration suites for cors-policy live in `tests/`; this library only holds policies
//! shared between them.
