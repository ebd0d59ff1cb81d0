//! `allow_headers`: which request headers a preflight may ask for.
//!
//! Browsers send `Access-Control-Request-Headers` as a lowercase, sorted, comma-separated list
//! without spaces. Intermediaries may add whitespace or split it over several field lines, so
//! the parser tolerates a little of both; everything about it is bounded, so a hostile value
//! (a megabyte of commas, a hundred thousand names) is refused after a fixed amount of work and
//! is never copied.

use crate::allow_methods::is_tchar;
use crate::StrList;
use core::cmp::Ordering;

/// At most this many `Access-Control-Request-Headers` field lines are read.
pub const MAX_REQUEST_HEADER_LINES: usize = 16;
/// At most this many bytes, over all lines, are read.
pub const MAX_REQUEST_HEADERS_BYTES: usize = 4096;
/// At most this many names are accepted.
pub const MAX_REQUEST_HEADER_NAMES: usize = 64;
/// At most this many empty list elements (`a,,b`, a blank line) are tolerated.
pub const MAX_EMPTY_ELEMENTS: usize = 16;
/// At most this many spaces or tabs are tolerated on each side of a name.
pub const MAX_OWS: usize = 2;

/// The request headers a policy allows in preflights.
#[derive(Clone, Copy, Debug)]
pub enum AllowHeaders<'a> {
    /// These names: lowercase and sorted, compared case-insensitively.
    List(StrList<'a>),
    /// `*`: any name, except `authorization` unless `authorization` is set (the Fetch Standard
    /// never lets `*` cover it).
    Any {
        /// `authorization` was listed explicitly next to `*`.
        authorization: bool,
    },
}

/// Why a header list was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HeadersError<'r> {
    NotAllowed(&'r [u8]),
    AuthorizationNotListed,
    Malformed,
    TooLarge,
}

/// Counts shared by all lines of one request.
#[derive(Default)]
pub(crate) struct Budget {
    bytes: usize,
    names: usize,
    empty: usize,
}

impl AllowHeaders<'_> {
    /// Checks one `Access-Control-Request-Headers` line against the policy.
    pub(crate) fn check_line<'r>(&self, line: &'r [u8], budget: &mut Budget) -> Result<(), HeadersError<'r>> {
        budget.bytes += line.len();
        if budget.bytes > MAX_REQUEST_HEADERS_BYTES {
            return Err(HeadersError::TooLarge);
        }
        for element in line.split(|&b| b == b',') {
            let name = trim_ows(element).ok_or(HeadersError::Malformed)?;
            if name.is_empty() {
                budget.empty += 1;
                if budget.empty > MAX_EMPTY_ELEMENTS {
                    return Err(HeadersError::Malformed);
                }
                continue;
            }
            budget.names += 1;
            if budget.names > MAX_REQUEST_HEADER_NAMES {
                return Err(HeadersError::TooLarge);
            }
            if !name.iter().all(|&b| is_tchar(b)) {
                return Err(HeadersError::Malformed);
            }
            // Browsers send lowercase names: compare bytes directly unless there is uppercase.
            let lowercase = !name.iter().any(u8::is_ascii_uppercase);
            self.check_name(name, lowercase)?;
        }
        Ok(())
    }

    fn check_name<'r>(&self, name: &'r [u8], lowercase: bool) -> Result<(), HeadersError<'r>> {
        match self {
            AllowHeaders::Any { authorization } => {
                if !authorization && name.eq_ignore_ascii_case(b"authorization") {
                    Err(HeadersError::AuthorizationNotListed)
                } else {
                    Ok(())
                }
            }
            AllowHeaders::List(list) => {
                let (mut low, mut high) = (0, list.len());
                while low < high {
                    let mid = low + (high - low) / 2;
                    let compare = |allowed: &str| match lowercase {
                        true => name.cmp(allowed.as_bytes()),
                        false => cmp_lowercase(name, allowed.as_bytes()),
                    };
                    match list.get(mid).map(compare) {
                        Some(Ordering::Equal) => return Ok(()),
                        Some(Ordering::Less) => high = mid,
                        Some(Ordering::Greater) => low = mid + 1,
                        None => break,
                    }
                }
                Err(HeadersError::NotAllowed(name))
            }
        }
    }
}

/// Compares `name`, lowercased on the fly, with the already lowercase `allowed`.
fn cmp_lowercase(name: &[u8], allowed: &[u8]) -> Ordering {
    name.iter().map(u8::to_ascii_lowercase).cmp(allowed.iter().copied())
}

/// Strips at most [`MAX_OWS`] spaces or tabs from each side; `None` if there are more.
fn trim_ows(element: &[u8]) -> Option<&[u8]> {
    let is_ows = |b: &u8| *b == b' ' || *b == b'\t';
    let start = element.iter().take_while(|b| is_ows(b)).count();
    let rest = &element[start..];
    let end = rest.iter().rev().take_while(|b| is_ows(b)).count();
    (start <= MAX_OWS && end <= MAX_OWS).then(|| &rest[..rest.len() - end])
}
