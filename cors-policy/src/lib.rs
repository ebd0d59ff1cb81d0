//! The cors-policy compiler.
#![forbid(unsafe_code)]

pub mod ast;
pub mod catalog;
pub mod diagnostic;
pub mod regex;
pub mod yaml;
