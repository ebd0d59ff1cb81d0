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
        // No scheme byte is `:`, so the first `:` must start `://`.
        let sep = origin.iter().position(|&b| b == b':')?;
        let (scheme, rest) = origin.split_at(sep);
        let rest = rest.strip_prefix(b"://")?;
        if !is_scheme(scheme) {
            return None;
        }
        let (host, port) = split_host_port(rest)?;
        is_host(host).then_some(OriginParts { scheme, host, port })
    }
}

/// Splits what follows `://` into the host and the port, as [`OriginParts::parse`] does: a
/// bracketed host ends at its first `]`, any other at its last `:`. The host's bytes are not
/// checked.
pub(crate) fn split_host_port(rest: &[u8]) -> Option<(&[u8], Option<u16>)> {
    if rest.first() == Some(&b'[') {
        let close = rest.iter().position(|&b| b == b']')?;
        split_port(&rest[..=close], &rest[close + 1..])
    } else {
        match rest.iter().rposition(|&b| b == b':') {
            Some(colon) => split_port(&rest[..colon], &rest[colon..]),
            None => Some((rest, None)),
        }
    }
}

/// `true` if `scheme` is one [`OriginParts::parse`] accepts: `a-z`, then any of
/// `a-z 0-9 + - .` (the URL Standard's scheme, lowercased as origins are serialized).
pub(crate) const fn is_scheme(scheme: &[u8]) -> bool {
    matches!(scheme.first(), Some(b'a'..=b'z')) && all_in(scheme, SCHEME)
}

/// `true` if `host` is one [`OriginParts::parse`] accepts: a name of one or more of
/// `a-z 0-9 - . _`, or an IPv6 address as the URL Standard serializes it, one or more of
/// `0-9 a-f :` in brackets. So a host holds no `:` outside brackets, and the last `:` of an
/// authority is the first one after its host.
pub(crate) const fn is_host(host: &[u8]) -> bool {
    match host {
        [b'[', inner @ .., b']'] => all_in(inner, IPV6),
        _ => all_in(host, NAME),
    }
}

const fn all_in(bytes: &[u8], class: u8) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if BYTE_CLASSES[bytes[i] as usize] & class == 0 {
            return false;
        }
        i += 1;
    }
    !bytes.is_empty()
}

/// What each byte may be part of: [`SCHEME`] (`a-z 0-9 + - .`), [`NAME`] (`a-z 0-9 - . _`, a
/// host that is no IPv6 address), [`IPV6`] (`0-9 a-f :`, inside brackets) and [`LABEL`]
/// (`a-z 0-9 - _`, a byte of a DNS label). One lookup instead of a chain of
/// comparisons per byte. A `const`, so that the `const fn`s that check a policy's tables once,
/// when they are assembled, read the same table as the checks of each request.
const BYTE_CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let alnum = c.is_ascii_lowercase() || c.is_ascii_digit();
        let mut class = 0;
        if alnum || c == b'+' || c == b'-' || c == b'.' {
            class |= SCHEME;
        }
        if alnum || matches!(c, b'-' | b'.' | b'_') {
            class |= NAME;
        }
        if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() || c == b':' {
            class |= IPV6;
        }
        if alnum || c == b'-' || c == b'_' {
            class |= LABEL;
        }
        table[b] = class;
        b += 1;
    }
    table
};
const SCHEME: u8 = 1;
const NAME: u8 = 2;
const LABEL: u8 = 4;
const IPV6: u8 = 8;

/// One or more dot-separated labels of 1 to 63 bytes of `a-z 0-9 - _`. A `const fn`, so that
/// tables are checked once, when they are assembled.
pub(crate) const fn are_dns_labels(labels: &[u8]) -> bool {
    // What a `*.` pattern mostly meets is one label (`tenant-42` in `tenant-42.example.com`):
    // a pass with no branch per byte (about half the instructions of the walk below) decides
    // it, and anything else (a dot, a byte no label holds) takes the walk.
    let (mut i, mut every) = (0, LABEL);
    while i < labels.len() {
        every &= BYTE_CLASSES[labels[i] as usize];
        i += 1;
    }
    if every & LABEL != 0 {
        return !labels.is_empty() && labels.len() <= 63;
    }
    let (mut i, mut label) = (0, 0);
    while i < labels.len() {
        let b = labels[i];
        if b == b'.' {
            if label == 0 {
                return false;
            }
            label = 0;
        } else if BYTE_CLASSES[b as usize] & LABEL != 0 && label < 63 {
            label += 1;
        } else {
            return false;
        }
        i += 1;
    }
    label > 0
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The split written another way: the first `://`, comparisons instead of the table, the
    /// host cut at its first `]` or its first `:`.
    fn reference(origin: &[u8]) -> Option<OriginParts<'_>> {
        let sep = origin.windows(3).position(|w| w == b"://")?;
        let (scheme, rest) = (&origin[..sep], &origin[sep + 3..]);
        let scheme_byte = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(b);
        let cut = match rest.first() {
            Some(b'[') => rest.iter().position(|&b| b == b']')? + 1,
            _ => rest.iter().position(|&b| b == b':').unwrap_or(rest.len()),
        };
        let (host, tail) = rest.split_at(cut);
        let port = match tail {
            [] => None,
            [b':', digits @ ..] => Some(parse_port(digits)?),
            _ => return None,
        };
        let name_byte = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(b);
        let ipv6_byte = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b) || *b == b':';
        let host_ok = match host.strip_prefix(b"[") {
            Some(inner) => {
                inner.strip_suffix(b"]").is_some_and(|v6| !v6.is_empty() && v6.iter().all(ipv6_byte))
            }
            None => !host.is_empty() && host.iter().all(name_byte),
        };
        let ok =
            scheme.first().is_some_and(u8::is_ascii_lowercase) && scheme.iter().all(scheme_byte) && host_ok;
        ok.then_some(OriginParts { scheme, host, port })
    }

    /// The labels check as it was written with `split`, kept as the reference.
    fn reference_labels(labels: &[u8]) -> bool {
        !labels.is_empty()
            && labels.split(|&b| b == b'.').all(|label| {
                (1..=63).contains(&label.len())
                    && label
                        .iter()
                        .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            })
    }

    /// Every string of up to 7 bytes over an alphabet that reaches each branch agrees with the
    /// reference, and so does every byte value in each place of a few real origins.
    #[test]
    fn the_table_split_agrees_with_the_reference() {
        // `a` and `g` are a hex digit and not; digits are classed as `a` is.
        let alphabet = b"a:/[]g.-_A";
        let mut text = [0u8; 7];
        for len in 0..=text.len() {
            for mut n in 0..alphabet.len().pow(len as u32) {
                for byte in text[..len].iter_mut() {
                    *byte = alphabet[n % alphabet.len()];
                    n /= alphabet.len();
                }
                let text = &text[..len];
                assert_eq!(OriginParts::parse_capped(text), reference(text), "{}", text.escape_ascii());
                assert_eq!(are_dns_labels(text), reference_labels(text), "{}", text.escape_ascii());
            }
        }
        for origin in [
            &b"https://a-b.example.com:8443"[..],
            b"http://[::1]:3000",
            b"h+t.p://x_y.z",
            b"http://[fe80::a1]",
        ] {
            for place in 0..origin.len() {
                for byte in 0..=255u8 {
                    let mut text = [0u8; 32];
                    text[..origin.len()].copy_from_slice(origin);
                    text[place] = byte;
                    let text = &text[..origin.len()];
                    assert_eq!(OriginParts::parse_capped(text), reference(text), "{}", text.escape_ascii());
                    assert_eq!(are_dns_labels(text), reference_labels(text), "{}", text.escape_ascii());
                }
            }
        }
        // Either side of the 63-byte cap, for one label (the branch-free pass) and for two
        // (the walk), with a byte no label holds in each place of the shorter ones.
        for first in 60..=64 {
            let one = [b'a'; 64];
            assert_eq!(are_dns_labels(&one[..first]), reference_labels(&one[..first]), "{first}");
            for second in 62..=64 {
                let mut two = [b'b'; 129];
                two[first] = b'.';
                let two = &mut two[..first + 1 + second];
                assert_eq!(are_dns_labels(two), reference_labels(two), "{first}.{second}");
                two[first - 1] = b'A';
                assert_eq!(are_dns_labels(two), reference_labels(two), "{first}A.{second}");
            }
        }
    }
}
