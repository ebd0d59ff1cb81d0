//! The decision engine behind `cors-policy-runtime`, shared with the `cors-policy` compiler.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod dfa;

pub use dfa::Dfa;
