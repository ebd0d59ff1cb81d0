//! `allow_headers`: which request headers a preflight may ask for.
//!
//! Browsers send `Access-Control-Request-Headers` as a lowercase, sorted, comma-separated list
//! without spaces. Intermediaries may add whitespace or split it over several field lines, so
//! the parser tolerates a little of both; everything about it is bounded, so a hostile value
//! (a megabyte of commas, a hundred thousand names) is refused after a fixed amount of work and
//! is never copied.

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
#[derive(Clone, Copy, Default)]
pub(crate) struct Budget {
    bytes: usize,
    names: usize,
    empty: usize,
    /// Where in the sorted allow-list the previous name was found: browsers send the names
    /// sorted, so the next one is looked for from there first.
    cursor: usize,
}

/// The classes of [`CLASS`].
const OTHER: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const OWS: u8 = 3;
const COMMA: u8 = 4;

/// Each byte's class, for the one pass over a line: a `tchar` (lowercase or not), optional
/// whitespace, the list separator, or anything else (malformed in a name).
static CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c == b',' {
            COMMA
        } else if c == b' ' || c == b'\t' {
            OWS
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if crate::allow_methods::is_tchar_const(c) {
            LOWER
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

/// Lowercase `tchar`s and `,`: the bytes of the lines browsers send.
static SIMPLE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = CLASS[b] == LOWER;
        b += 1;
    }
    table
};

/// One list element as the pass found it.
struct Element {
    start: usize,
    end: usize,
    /// Spaces or tabs before the name (all of them, for an element of only whitespace).
    leading: usize,
    /// Spaces or tabs after the name.
    trailing: usize,
    /// A byte that is not a `tchar`, or whitespace inside the name.
    malformed: bool,
    uppercase: bool,
}

impl AllowHeaders<'_> {
    /// Checks one `Access-Control-Request-Headers` line against the policy, in one pass over
    /// its bytes; `Ok(true)` if it names at least one header (and so is echoed).
    pub(crate) fn check_line<'r>(
        &self,
        line: &'r [u8],
        budget: &mut Budget,
    ) -> Result<bool, HeadersError<'r>> {
        budget.bytes += line.len();
        if budget.bytes > MAX_REQUEST_HEADERS_BYTES {
            return Err(HeadersError::TooLarge);
        }
        // What browsers send: lowercase names and commas, nothing else. Those are checked as
        // the pass meets each comma; any other byte starts the pass over on the general path
        // (from the same budget), which reaches the same verdict on the names before it.
        let before = *budget;
        let mut named = false;
        let mut start = 0;
        for (index, &byte) in line.iter().enumerate() {
            if byte == b',' {
                named |= self.check_simple(line.get(start..index).unwrap_or_default(), budget)?;
                start = index + 1;
            } else if !SIMPLE[byte as usize] {
                *budget = before;
                return self.check_general(line, budget);
            }
        }
        named |= self.check_simple(line.get(start..).unwrap_or_default(), budget)?;
        Ok(named)
    }

    /// [`AllowHeaders::check_line`] for a line with whitespace, uppercase or bytes that are
    /// not allowed in a name: one pass, classifying each byte.
    fn check_general<'r>(&self, line: &'r [u8], budget: &mut Budget) -> Result<bool, HeadersError<'r>> {
        let mut named = false;
        let mut element = Element::at(0);
        let mut started = false;
        for (index, &byte) in line.iter().enumerate() {
            match CLASS[byte as usize] {
                COMMA => {
                    named |= self.check_element(line, &element, budget)?;
                    element = Element::at(index + 1);
                    started = false;
                }
                OWS if !started => element.leading += 1,
                OWS => element.trailing += 1,
                class => {
                    if !started {
                        started = true;
                        element.start = index;
                    }
                    // Whitespace before this byte was inside the name.
                    element.malformed |= element.trailing > 0 || class == OTHER;
                    element.uppercase |= class == UPPER;
                    element.trailing = 0;
                    element.end = index + 1;
                }
            }
        }
        named |= self.check_element(line, &element, budget)?;
        Ok(named)
    }

    /// [`AllowHeaders::check_element`] for an element of lowercase `tchar`s only.
    #[inline]
    fn check_simple<'r>(&self, name: &'r [u8], budget: &mut Budget) -> Result<bool, HeadersError<'r>> {
        if name.is_empty() {
            budget.empty += 1;
            if budget.empty > MAX_EMPTY_ELEMENTS {
                return Err(HeadersError::Malformed);
            }
            return Ok(false);
        }
        budget.names += 1;
        if budget.names > MAX_REQUEST_HEADER_NAMES {
            return Err(HeadersError::TooLarge);
        }
        self.check_name(name, true, &mut budget.cursor)?;
        Ok(true)
    }

    /// The checks of one element, in the order the bounds are documented; `Ok(true)` for a name.
    fn check_element<'r>(
        &self,
        line: &'r [u8],
        element: &Element,
        budget: &mut Budget,
    ) -> Result<bool, HeadersError<'r>> {
        if element.leading > MAX_OWS || element.trailing > MAX_OWS {
            return Err(HeadersError::Malformed);
        }
        if element.end == element.start {
            budget.empty += 1;
            if budget.empty > MAX_EMPTY_ELEMENTS {
                return Err(HeadersError::Malformed);
            }
            return Ok(false);
        }
        budget.names += 1;
        if budget.names > MAX_REQUEST_HEADER_NAMES {
            return Err(HeadersError::TooLarge);
        }
        if element.malformed {
            return Err(HeadersError::Malformed);
        }
        let name = line.get(element.start..element.end).ok_or(HeadersError::Malformed)?;
        self.check_name(name, !element.uppercase, &mut budget.cursor)?;
        Ok(true)
    }

    fn check_name<'r>(
        &self,
        name: &'r [u8],
        lowercase: bool,
        cursor: &mut usize,
    ) -> Result<(), HeadersError<'r>> {
        match self {
            AllowHeaders::Any { authorization } => {
                if !authorization && name.eq_ignore_ascii_case(b"authorization") {
                    Err(HeadersError::AuthorizationNotListed)
                } else {
                    Ok(())
                }
            }
            AllowHeaders::List(list) => {
                let compare = |allowed: &str| match lowercase {
                    true => cmp_bytes(name, allowed.as_bytes()),
                    false => cmp_lowercase(name, allowed.as_bytes()),
                };
                // Browsers send the names sorted: the next one is most often at the previous
                // one's place or just after it, which two equality tests (lengths first) find.
                // Otherwise, a binary search.
                let at = *cursor;
                for place in [at, at + 1] {
                    let equal = |allowed: &str| {
                        lowercase
                            && allowed.len() == name.len()
                            && cmp_bytes(name, allowed.as_bytes()).is_eq()
                    };
                    if list.get(place).is_some_and(equal) {
                        *cursor = place;
                        return Ok(());
                    }
                }
                let (mut low, mut high) = (0, list.len());
                while low < high {
                    let mid = low + (high - low) / 2;
                    match list.get(mid).map(compare) {
                        Some(Ordering::Equal) => {
                            *cursor = mid;
                            return Ok(());
                        }
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

impl Element {
    fn at(start: usize) -> Self {
        Element { start, end: start, leading: 0, trailing: 0, malformed: false, uppercase: false }
    }
}

/// `a.cmp(b)` for the short strings header names are, eight bytes at a time, without the call
/// to `memcmp` that comparing slices makes (which cost more than the comparison itself here).
#[inline]
fn cmp_bytes(a: &[u8], b: &[u8]) -> Ordering {
    let mut a_words = a.chunks_exact(8);
    let mut b_words = b.chunks_exact(8);
    for (x, y) in a_words.by_ref().zip(b_words.by_ref()) {
        let (Ok(x), Ok(y)) = (<[u8; 8]>::try_from(x), <[u8; 8]>::try_from(y)) else { break };
        let (x, y) = (u64::from_be_bytes(x), u64::from_be_bytes(y));
        if x != y {
            return x.cmp(&y);
        }
    }
    let done = a.len().min(b.len()) / 8 * 8;
    let (a_rest, b_rest) = (a.get(done..).unwrap_or_default(), b.get(done..).unwrap_or_default());
    for (x, y) in a_rest.iter().zip(b_rest) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// Compares `name`, lowercased on the fly, with the already lowercase `allowed`.
fn cmp_lowercase(name: &[u8], allowed: &[u8]) -> Ordering {
    name.iter().map(u8::to_ascii_lowercase).cmp(allowed.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser before the one-pass rewrite (`split` and two trims), kept as the reference.
    fn reference<'r>(
        policy: &AllowHeaders<'_>,
        line: &'r [u8],
        budget: &mut Budget,
    ) -> Result<bool, HeadersError<'r>> {
        budget.bytes += line.len();
        if budget.bytes > MAX_REQUEST_HEADERS_BYTES {
            return Err(HeadersError::TooLarge);
        }
        let mut named = false;
        for element in line.split(|&b| b == b',') {
            let is_ows = |b: &u8| *b == b' ' || *b == b'\t';
            let start = element.iter().take_while(|b| is_ows(b)).count();
            let rest = &element[start..];
            let end = rest.iter().rev().take_while(|b| is_ows(b)).count();
            if start > MAX_OWS || end > MAX_OWS {
                return Err(HeadersError::Malformed);
            }
            let name = &rest[..rest.len() - end];
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
            if !name.iter().all(|&b| crate::allow_methods::is_tchar(b)) {
                return Err(HeadersError::Malformed);
            }
            let allowed = match policy {
                AllowHeaders::Any { authorization } => {
                    if !authorization && name.eq_ignore_ascii_case(b"authorization") {
                        return Err(HeadersError::AuthorizationNotListed);
                    }
                    true
                }
                AllowHeaders::List(list) => list.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(name)),
            };
            if !allowed {
                return Err(HeadersError::NotAllowed(name));
            }
            named = true;
        }
        Ok(named)
    }

    /// Every line of up to 6 bytes over an alphabet that exercises each branch, checked twice
    /// in a row (so that a second line sees the first one's budget), agrees with the reference.
    #[test]
    fn the_one_pass_parser_agrees_with_split_and_trim() {
        let policies = [
            AllowHeaders::List(StrList::new("aa-ab", &[1, 3, 5])),
            AllowHeaders::List(StrList::EMPTY),
            AllowHeaders::Any { authorization: false },
        ];
        let alphabet = b"aAb-, \t\x01";
        let mut line = [0u8; 6];
        for len in 0..=line.len() {
            let count = alphabet.len().pow(len as u32);
            for mut n in 0..count {
                for byte in line[..len].iter_mut() {
                    *byte = alphabet[n % alphabet.len()];
                    n /= alphabet.len();
                }
                let line = &line[..len];
                for policy in &policies {
                    let (mut ours, mut theirs) = (Budget::default(), Budget::default());
                    for _ in 0..2 {
                        let got = policy.check_line(line, &mut ours);
                        let want = reference(policy, line, &mut theirs);
                        assert_eq!(got, want, "{} {policy:?}", line.escape_ascii());
                        assert_eq!(
                            (ours.bytes, ours.names, ours.empty),
                            (theirs.bytes, theirs.names, theirs.empty)
                        );
                    }
                }
            }
        }
    }

    /// `cmp_bytes` is slice ordering.
    #[test]
    fn cmp_bytes_is_the_slice_order() {
        let words: [&[u8]; 12] = [
            b"",
            b"a",
            b"ab",
            b"abcdefgh",
            b"abcdefgi",
            b"abcdefgh1",
            b"abcdefghij",
            b"abcdefghijklmnopq",
            b"abcdefghijklmnopr",
            b"b",
            b"\xff",
            b"abcdefg",
        ];
        for a in words {
            for b in words {
                assert_eq!(cmp_bytes(a, b), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    /// The sorted walk finds every name whatever the order, and only listed ones.
    #[test]
    fn names_are_found_in_any_order() {
        let list = AllowHeaders::List(StrList::new("abcdefgh", &[1, 2, 3, 4, 5, 6, 7, 8]));
        for line in [&b"a,b,c,d,e,f,g,h"[..], b"h,g,f,e,d,c,b,a", b"a,c,e,g,b,d,f,h", b"d,a,h,b", b"B,a,H"] {
            assert_eq!(list.check_line(line, &mut Budget::default()), Ok(true), "{line:?}");
        }
        for line in [&b"a,c,i"[..], b"h,0", b"b,ab"] {
            assert!(matches!(
                list.check_line(line, &mut Budget::default()),
                Err(HeadersError::NotAllowed(_))
            ));
        }
    }
}
