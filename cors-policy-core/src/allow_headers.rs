//! `allow_headers`: which request headers a preflight may ask for.
//!
//! Browsers send `Access-Control-Request-Headers` as a lowercase, sorted, comma-separated list
//! without spaces. Intermediaries may add whitespace or split it over several field lines, so
//! the parser tolerates a little of both; everything about it is bounded, so a hostile value
//! (a megabyte of commas, a hundred thousand names) is refused after a fixed amount of work and
//! is never copied.

use crate::words::{bytes_within, eq_bytes, zero_bytes, HIGH};
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

/// The fast path's classes: 0 for a lowercase `tchar`, [`FAST_COMMA`] for `,`, [`FAST_OTHER`]
/// for any other byte (which sends the line to the general path).
static FAST: [u8; 256] = {
    let mut table = [FAST_OTHER; 256];
    let mut b = 0;
    while b < 256 {
        if CLASS[b] == LOWER {
            table[b] = 0;
        } else if CLASS[b] == COMMA {
            table[b] = FAST_COMMA;
        }
        b += 1;
    }
    table
};
const FAST_COMMA: u8 = 1;
const FAST_OTHER: u8 = 2;

/// Up to this many allowed names, a name the cursor misses is looked for by a scan that
/// compares lengths first; above it, by a binary search.
const SCAN_MAX: usize = 16;

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
        // What browsers send, most often: allowed names in the list's own (sorted) order, each
        // once, joined by commas. One walk along the list checks each element by comparing it
        // with the list's next names where it stands, with no pass to find the commas first.
        // Anything else (another order, a repeat, whitespace, a name not listed) falls through
        // to the pass below, which decides every line.
        if let AllowHeaders::List(list) = self {
            if check_in_list_order(list, line, budget) {
                return Ok(true);
            }
        }
        // Otherwise, if the bytes are what browsers send (lowercase names and commas, nothing
        // else), the names are checked as the pass meets each comma; any other byte starts the
        // pass over on the general path (from the same budget), which reaches the same verdict
        // on the names before it.
        // Eight bytes at a time: a word of the bytes browsers send is recognized by arithmetic
        // on the word (others are looked up in the table, byte by byte), the commas are found
        // all at once, and there is no branch but one per word and one per comma.
        let before = *budget;
        let mut named = false;
        let mut start = 0;
        let words = line.chunks_exact(8);
        let tail = line.len() - words.remainder().len();
        for (index, word) in (0..).step_by(8).zip(words) {
            let Some(&word) = word.first_chunk::<8>() else { break };
            let word_bits = u64::from_le_bytes(word);
            if !common_name_bytes(word_bits)
                && word.iter().fold(0, |other, &byte| other | FAST[byte as usize]) & FAST_OTHER != 0
            {
                *budget = before;
                return self.check_general(line, budget);
            }
            let mut commas = zero_bytes(word_bits ^ u64::from_ne_bytes([b','; 8]));
            while commas != 0 {
                let comma = index + commas.trailing_zeros() as usize / 8;
                named |= self.check_simple(line.get(start..comma).unwrap_or_default(), budget)?;
                start = comma + 1;
                commas &= commas - 1;
            }
        }
        for (index, &byte) in line.iter().enumerate().skip(tail) {
            match FAST[byte as usize] {
                FAST_COMMA => {
                    named |= self.check_simple(line.get(start..index).unwrap_or_default(), budget)?;
                    start = index + 1;
                }
                0 => {}
                _ => {
                    *budget = before;
                    return self.check_general(line, budget);
                }
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
                // Browsers send the names sorted: the next one is most often at the previous
                // one's place or just after it, which two equality tests (lengths first) find.
                // Otherwise, a scan of a short list, or a binary search.
                let at = *cursor;
                let place = if is_at(list, at, name, lowercase) {
                    Some(at)
                } else if is_at(list, at + 1, name, lowercase) {
                    Some(at + 1)
                } else if list.len() <= SCAN_MAX {
                    (0..list.len()).find(|&place| is_at(list, place, name, lowercase))
                } else {
                    binary_search(list, name, lowercase)
                };
                let place = place.ok_or(HeadersError::NotAllowed(name))?;
                *cursor = place;
                Ok(())
            }
        }
    }
}

/// `true` if `line` is allowed names in the order of `list`, each once, joined by commas with
/// nothing else: the budget then counts them as the general pass would (and its cursor is the
/// last one's place). `false` says nothing about the line and leaves the budget as it was.
///
/// The walk never goes back along the list, so it costs at most one length test per allowed
/// name and one comparison per element; an element is only compared with a name after the
/// byte where that name would end was found to end the element.
fn check_in_list_order(list: &StrList<'_>, line: &[u8], budget: &mut Budget) -> bool {
    let mut allowed = list.iter_bytes().enumerate();
    let (mut start, mut names) = (0, 0);
    loop {
        let found = allowed.find_map(|(place, name)| {
            let end = start + name.len();
            let ends_element = line.get(end).map_or(end == line.len(), |&byte| byte == b',');
            let equal =
                ends_element && !name.is_empty() && line.get(start..end).is_some_and(|e| eq_bytes(e, name));
            equal.then_some((place, end))
        });
        let Some((place, end)) = found else { return false };
        names += 1;
        if end == line.len() {
            if budget.names + names > MAX_REQUEST_HEADER_NAMES {
                return false;
            }
            budget.names += names;
            budget.cursor = place;
            return true;
        }
        start = end + 1;
    }
}

/// The place of `name` in the sorted `list`, by binary search.
fn binary_search(list: &StrList<'_>, name: &[u8], lowercase: bool) -> Option<usize> {
    let (mut low, mut high) = (0, list.len());
    while low < high {
        let mid = low + (high - low) / 2;
        let order = match lowercase {
            true => cmp_bytes(name, list.bytes(mid)?),
            false => cmp_lowercase(name, list.bytes(mid)?),
        };
        match order {
            Ordering::Equal => return Some(mid),
            Ordering::Less => high = mid,
            Ordering::Greater => low = mid + 1,
        }
    }
    None
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

/// `true` if every byte of `word` is `a`-`z`, `0`-`9`, `,`, `-` or `.` (what browsers send;
/// all of them lowercase `tchar`s or the separator), found without a table lookup; `false`
/// says nothing, and the table decides.
#[inline(always)]
fn common_name_bytes(word: u64) -> bool {
    word & HIGH == 0
        && (bytes_within(word, b'a', b'z') | bytes_within(word, b'0', b'9') | bytes_within(word, b',', b'.'))
            == HIGH
}

/// `name` is item `place` of `list`; see [`eq_name`].
#[inline(always)]
fn is_at(list: &StrList<'_>, place: usize, name: &[u8], lowercase: bool) -> bool {
    list.bytes(place).is_some_and(|allowed| eq_name(name, allowed, lowercase))
}

/// `name` is `allowed` (lowercase), ignoring case unless `name` is known to be lowercase.
#[inline(always)]
fn eq_name(name: &[u8], allowed: &[u8], lowercase: bool) -> bool {
    match lowercase {
        true => eq_bytes(name, allowed),
        false => allowed.len() == name.len() && name.eq_ignore_ascii_case(allowed),
    }
}

/// Compares `name`, lowercased on the fly, with the already lowercase `allowed`.
fn cmp_lowercase(name: &[u8], allowed: &[u8]) -> Ordering {
    name.iter().map(u8::to_ascii_lowercase).cmp(allowed.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::{string::String, vec::Vec};

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

    /// `line` checked twice in a row (so that the second check sees the first one's budget)
    /// gets the reference's verdicts and budgets.
    fn agrees_twice(policy: &AllowHeaders<'_>, line: &[u8]) {
        let (mut ours, mut theirs) = (Budget::default(), Budget::default());
        for _ in 0..2 {
            let got = policy.check_line(line, &mut ours);
            let want = reference(policy, line, &mut theirs);
            assert_eq!(got, want, "{} {policy:?}", line.escape_ascii());
            assert_eq!((ours.bytes, ours.names, ours.empty), (theirs.bytes, theirs.names, theirs.empty));
        }
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
                    agrees_twice(policy, line);
                }
            }
        }
    }

    /// Lines of 7 to 40 bytes (the fast path reads eight at a time), drawn from an alphabet of
    /// name bytes, commas and a few bytes of the general path, agree with the reference, for a
    /// short list (scanned), a long one (binary search) and `*`, with names longer than a word.
    #[test]
    fn the_word_at_a_time_path_agrees_with_split_and_trim() {
        let long: [&str; 20] = [
            "a",
            "ab",
            "accept",
            "b",
            "c",
            "content-type",
            "d",
            "e",
            "f",
            "g",
            "h",
            "i",
            "j",
            "k",
            "l",
            "m",
            "n",
            "x-request-id",
            "x-request-id-long",
            "z",
        ];
        let (mut text, mut ends) = (String::new(), Vec::new());
        for name in long {
            text.push_str(name);
            ends.push(text.len() as u32);
        }
        let policies = [
            AllowHeaders::List(StrList::new("abcontent-typex-request-id", &[1, 2, 14, 26])),
            AllowHeaders::List(StrList::new(&text, &ends)),
            AllowHeaders::Any { authorization: false },
        ];
        let pieces: [&[u8]; 12] = [
            b"a",
            b"ab",
            b"b",
            b",",
            b",",
            b"content-type",
            b"x-request-id",
            b"x-request-id-long",
            b"Content-Type",
            b" ",
            b"z",
            b"\x7f",
        ];
        // A fixed linear congruential sequence: the same lines on every run.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..200_000 {
            let mut line = Vec::new();
            while line.len() < 7 + next() % 34 {
                line.extend_from_slice(pieces[next() % pieces.len()]);
            }
            for policy in &policies {
                agrees_twice(policy, &line);
            }
        }
    }

    /// `common_name_bytes` accepts exactly the words of its bytes: every byte value at every
    /// place, among bytes it accepts and bytes it does not.
    #[test]
    fn common_name_bytes_accepts_exactly_its_bytes() {
        let common = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b',' | b'-' | b'.');
        for place in 0..8 {
            for byte in 0..=255u8 {
                for filler in [b'a', b'z', b'0', b'9', b',', b'.', b'-', b'+', b'A', 0x7f, 0x80, 0xff] {
                    let mut word = [filler; 8];
                    word[place] = byte;
                    let want = word.iter().all(|&b| common(b));
                    assert_eq!(common_name_bytes(u64::from_le_bytes(word)), want, "{word:?}");
                    // What it accepts is what the table calls a lowercase `tchar` or a comma.
                    if want {
                        assert!(word.iter().all(|&b| FAST[b as usize] != FAST_OTHER));
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

    /// The walk along the list accepts exactly the lines that are listed names in the list's
    /// order, each once, joined by commas: every such line of a list of five names (all 31
    /// subsets), and none of the other lines over their pieces, which go to the general pass.
    #[test]
    fn the_walk_in_list_order_takes_exactly_the_ordered_subsets() {
        let names = ["a", "a-b", "ab", "content-type", "x-request-id"];
        let (mut text, mut ends) = (String::new(), Vec::new());
        for name in names {
            text.push_str(name);
            ends.push(text.len() as u32);
        }
        let list = StrList::new(&text, &ends);
        let mut ordered = Vec::new();
        for subset in 1..32u32 {
            let chosen: Vec<&str> = (0..5).filter(|i| subset >> i & 1 == 1).map(|i| names[i]).collect();
            let line = chosen.join(",");
            let mut budget = Budget { names: 3, ..Budget::default() };
            assert!(check_in_list_order(&list, line.as_bytes(), &mut budget), "{line}");
            assert_eq!(budget.names, 3 + chosen.len(), "{line}");
            assert_eq!(list.get(budget.cursor), chosen.last().copied(), "{line}");
            ordered.push(line);
        }
        // Two or three pieces in any order, with or without a comma between them.
        let pieces = ["a", "a-b", "ab", "b", "content-type", "x-request-id", ",", "", "A", " a"];
        for x in pieces {
            for y in pieces {
                for z in pieces {
                    let line = [x, y, z].concat();
                    let mut budget = Budget::default();
                    let taken = check_in_list_order(&list, line.as_bytes(), &mut budget);
                    assert_eq!(taken, ordered.contains(&line), "{line:?}");
                    if !taken {
                        assert_eq!((budget.names, budget.cursor), (0, 0), "{line:?}");
                    }
                }
            }
        }
        // Past the bound on names, the walk declines and the general pass refuses.
        let mut budget = Budget { names: MAX_REQUEST_HEADER_NAMES - 1, ..Budget::default() };
        assert!(!check_in_list_order(&list, b"a,ab", &mut budget));
        assert_eq!(AllowHeaders::List(list).check_line(b"a,ab", &mut budget), Err(HeadersError::TooLarge));
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
