//! Splitting a request's `Origin` header into scheme, host and port, in bounded time.
//!
//! Only the origin patterns (`https://*.example.com`, `http://localhost:*`) need the parts;
//! exact origins and regexes compare the raw bytes. This is a split, not a validation of every
//! rule of the URL Standard: a value that is not shaped like `scheme://host[:port]` simply
//! matches no pattern.

/// The longest `Origin` value any matcher looks at: a 64-byte scheme, `://`, a 253-byte host,
/// `:` and a 5-digit port. Longer values are refused without being read.
pub const MAX_ORIGIN_LEN: usize = 64 + 3 + 253 + 1 + 5;

/// An `Origin` split into its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OriginParts<'r> {
    /// The scheme, without `://`.
    pub scheme: &'r [u8],
    /// The host: a domain, a dotted IPv4 address, or a bracketed IPv6 address.
    pub host: &'r [u8],
    /// The port, `None` when the origin has none (the scheme's default).
    pub port: Option<u16>,
}

impl<'r> OriginParts<'r> {
    /// Splits `origin`, or returns `None` if it is not shaped like `scheme://host[:port]`.
    ///
    /// ```
    /// use cors_policy_core::OriginParts;
    /// let parts = OriginParts::parse(b"http://localhost:3000").unwrap();
    /// assert_eq!((parts.scheme, parts.host, parts.port), (&b"http"[..], &b"localhost"[..], Some(3000)));
    /// assert!(OriginParts::parse(b"https://a.example/").is_none());
    /// assert!(OriginParts::parse(b"https://a.example:0443").is_none());
    /// ```
    pub fn parse(origin: &'r [u8]) -> Option<Self> {
        if origin.len() > MAX_ORIGIN_LEN {
            return None;
        }
        Self::parse_capped(origin)
    }

    /// [`OriginParts::parse`] for an origin already known to be at most [`MAX_ORIGIN_LEN`]
    /// bytes long.
    pub(crate) fn parse_capped(origin: &'r [u8]) -> Option<Self> {
        let sep = origin.windows(3).position(|w| w == b"://")?;
        let (scheme, rest) = (&origin[..sep], &origin[sep + 3..]);
        if scheme.is_empty()
            || !scheme.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(b))
        {
            return None;
        }
        let (host, port) = if rest.first() == Some(&b'[') {
            let close = rest.iter().position(|&b| b == b']')?;
            split_port(&rest[..=close], &rest[close + 1..])?
        } else {
            match rest.iter().rposition(|&b| b == b':') {
                Some(colon) => split_port(&rest[..colon], &rest[colon..])?,
                None => (rest, None),
            }
        };
        let host_ok = !host.is_empty()
            && host.iter().all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._[]:".contains(&b));
        host_ok.then_some(OriginParts { scheme, host, port })
    }
}

/// `tail` is empty or `:port`; returns the host and the parsed port.
fn split_port<'r>(host: &'r [u8], tail: &'r [u8]) -> Option<(&'r [u8], Option<u16>)> {
    match tail {
        [] => Some((host, None)),
        [b':', digits @ ..] => parse_port(digits).map(|port| (host, Some(port))),
        _ => None,
    }
}

/// A decimal port of 1 to 5 digits, no leading zero, in 1..=65535.
fn parse_port(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || digits[0] == b'0' {
        return None;
    }
    let mut value: u32 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        value = value * 10 + (d - b'0') as u32;
    }
    u16::try_from(value).ok()
}
