//! Reading a policy file, or standard input for `-`.

use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

/// A policy file as read: its name for messages and its bytes.
pub struct Source {
    /// The name to print: the path as given (lossily decoded if it is not UTF-8), or `<stdin>`.
    pub name: String,
    /// The file's bytes, at most one past the YAML front end's size limit.
    pub bytes: Vec<u8>,
}

/// The name to print for `path`.
pub fn name(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

/// `-` means standard input.
fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads `path` (standard input for `-`), never more than one byte past the size limit, so a
/// huge input is refused by the YAML front end after bounded work.
pub fn read(path: &PathBuf) -> Result<Source, io::Error> {
    let bytes = if is_stdin(path) {
        let limit = cors_policy::yaml::Limits::default().max_bytes as u64 + 1;
        let mut bytes = Vec::new();
        io::stdin().lock().take(limit).read_to_end(&mut bytes)?;
        bytes
    } else {
        cors_policy::read_policy_file(path)?
    };
    Ok(Source { name: name(path), bytes })
}
