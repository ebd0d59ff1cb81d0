//! `allow_methods`: which methods a preflight may ask for.
//!
//! Per the Fetch Standard the browser normalises the method (`put` becomes `PUT`, but `patch`
//! stays `patch`) before it sends `Access-Control-Request-Method`, and then compares the
//! answer byte for byte. So the comparison here is byte-exact too; the compiler normalises
//! the policy's own list the same way.

use crate::fetch::is_forbidden_method;
use crate::StrList;

/// The longest method token looked at; longer ones are refused unread.
pub const MAX_METHOD_LEN: usize = 64;

/// The methods a policy allows in preflights.
#[derive(Clone, Copy, Debug)]
pub enum AllowMethods<'a> {
    /// `*`: any method token except the forbidden CONNECT, TRACE and TRACK.
    Any,
    /// These methods, compared byte for byte.
    List(StrList<'a>),
}

/// What the method check concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MethodCheck {
    /// GET, HEAD or POST: always allowed, no `Access-Control-Allow-Methods` needed.
    Safelisted,
    /// Allowed; echo the requested method.
    Allowed,
    /// Not allowed.
    Refused,
    /// Not a method token at all.
    Invalid,
}

impl AllowMethods<'_> {
    pub(crate) fn check(&self, method: &[u8]) -> MethodCheck {
        if method.len() > MAX_METHOD_LEN || !is_token(method) {
            return MethodCheck::Invalid;
        }
        if crate::fetch::is_safelisted_method(method) {
            return MethodCheck::Safelisted;
        }
        let allowed = match self {
            AllowMethods::Any => !is_forbidden_method(method),
            AllowMethods::List(list) => list.iter_bytes().any(|m| m == method),
        };
        if allowed {
            MethodCheck::Allowed
        } else {
            MethodCheck::Refused
        }
    }
}

/// An RFC 9110 `token`: one or more `tchar`s.
pub fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|&b| is_tchar(b))
}

/// `tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA`
#[inline]
pub fn is_tchar(b: u8) -> bool {
    TCHAR[b as usize]
}

/// [`is_tchar`] as a table: one load per byte instead of a scan of the punctuation list.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_tchar_const(b as u8);
        b += 1;
    }
    table
};

/// [`is_tchar`] by its definition, for building tables at compile time.
pub(crate) const fn is_tchar_const(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}
