//! Small helpers for the hand-written argument parsing (the CLI has few flags, so it takes no
//! dependency for them).

/// A usage or I/O error: exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// Reads a policy file as bytes; I/O errors are usage errors.
pub fn read(path: &str) -> Result<Vec<u8>, UsageError> {
    cors_policy::read_policy_file(path).map_err(|e| UsageError(format!("cannot read `{path}`: {e}")))
}

/// The value after flag `flag`.
pub fn value<'a>(flag: &str, rest: &mut impl Iterator<Item = &'a String>) -> Result<&'a String, UsageError> {
    rest.next().ok_or_else(|| UsageError(format!("`{flag}` needs a value")))
}
