//! The language of the origins browsers send, as a small automaton: the URL Standard's ASCII
//! serialization of a tuple origin, which is what [`cors_policy_core::OriginParts::parse`]
//! accepts, less a scheme's default port (`https://a.example:443` is sent as
//! `https://a.example`), and without the length cap.
//!
//! `scheme "://" host [":" port]`: a scheme of `a-z` then `a-z 0-9 + - .`; a host that is a name
//! of `a-z 0-9 - . _` or an IPv6 address of `0-9 a-f :` in brackets; a port of 1 to 5 digits
//! with no leading zero, at most 65535, and not the default port of `http`, `ws` (80), `https`
//! or `wss` (443). The port's bound is kept by comparing its digits with `65535` as they come,
//! and the default port by comparing them with it: both are a few states, not a count.
//!
//! [`Graph::shortest_serialized`](super::graph::Graph::shortest_serialized) walks its product
//! with an entry's DFA, which decides whether the entry can match anything a browser sends.

use std::cmp::Ordering;

/// Where a string stands in a serialized origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Serialized {
    phase: Phase,
    /// The scheme's default port, once the scheme is read.
    default_port: Option<&'static [u8]>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Phase {
    Start,
    /// In the scheme, which so far is the prefix of the ones with a default port, if any.
    Scheme(Option<&'static str>),
    Colon,
    Slash,
    Slashes,
    Name,
    /// After `[`.
    Open,
    /// Inside brackets, after at least one byte.
    Inside,
    /// After `]`.
    Closed,
    /// After the `:` before the port.
    PortColon,
    /// `digits` (1 to 5) of a port, compared with as many first digits of `65535`;
    /// `default_so_far` while they are the default port's first digits.
    Port {
        digits: u8,
        against_max: Ordering,
        default_so_far: bool,
    },
}

const MAX_PORT: &[u8; 5] = b"65535";
const DEFAULT_PORTS: [(&str, &[u8]); 4] =
    [("http", b"80"), ("ws", b"80"), ("https", b"443"), ("wss", b"443")];

impl Serialized {
    /// Before the first byte.
    pub(super) const START: Serialized = Serialized { phase: Phase::Start, default_port: None };

    /// The state after `b`, or `None` if no origin a browser sends has `b` here.
    pub(super) fn step(self, b: u8) -> Option<Serialized> {
        let name_byte = b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_');
        let ipv6_byte = b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b':';
        let scheme_byte = b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b);
        let phase = match self.phase {
            Phase::Start if b.is_ascii_lowercase() => Phase::Scheme(known_scheme("", b)),
            Phase::Scheme(so_far) if scheme_byte => Phase::Scheme(so_far.and_then(|s| known_scheme(s, b))),
            Phase::Scheme(so_far) if b == b':' => {
                let default_port =
                    DEFAULT_PORTS.iter().find(|(s, _)| Some(*s) == so_far).map(|&(_, port)| port);
                return Some(Serialized { phase: Phase::Colon, default_port });
            }
            Phase::Colon if b == b'/' => Phase::Slash,
            Phase::Slash if b == b'/' => Phase::Slashes,
            Phase::Slashes if b == b'[' => Phase::Open,
            Phase::Slashes | Phase::Name if name_byte => Phase::Name,
            Phase::Open | Phase::Inside if ipv6_byte => Phase::Inside,
            Phase::Inside if b == b']' => Phase::Closed,
            Phase::Name | Phase::Closed if b == b':' => Phase::PortColon,
            Phase::PortColon if (b'1'..=b'9').contains(&b) => Phase::Port {
                digits: 1,
                against_max: b.cmp(&MAX_PORT[0]),
                default_so_far: self.default_port.is_some_and(|port| port[0] == b),
            },
            Phase::Port { digits, against_max, default_so_far } if digits < 5 && b.is_ascii_digit() => {
                let at = usize::from(digits);
                Phase::Port {
                    digits: digits + 1,
                    against_max: against_max.then(b.cmp(&MAX_PORT[at])),
                    default_so_far: default_so_far
                        && self.default_port.is_some_and(|port| port.get(at) == Some(&b)),
                }
            }
            _ => return None,
        };
        Some(Serialized { phase, ..self })
    }

    /// `true` if an origin a browser sends can end here.
    pub(super) fn accepting(self) -> bool {
        match self.phase {
            Phase::Name | Phase::Closed => true,
            Phase::Port { digits, against_max, default_so_far } => {
                let is_default =
                    default_so_far && self.default_port.is_some_and(|port| port.len() == usize::from(digits));
                (digits < 5 || against_max != Ordering::Greater) && !is_default
            }
            _ => false,
        }
    }
}

/// Bytes that [`Serialized::step`] treats alike, in every state: the product needs to try only
/// one byte of each kind that a DFA class holds, not all 256. Letters that spell a scheme with a
/// default port, and each digit (the port's bound and default), are kinds of their own.
pub(super) fn kind(b: u8) -> u8 {
    match b {
        b'h' | b't' | b'p' | b's' | b'w' | b'0'..=b'9' => b,
        b'a'..=b'f' => b'a',
        b'g'..=b'z' => b'g',
        b'+' | b'-' | b'.' | b'_' | b':' | b'/' | b'[' | b']' => b,
        _ => 0,
    }
}

/// [`Serialized`] as a table: its reachable states numbered from 0 (the start), and for each
/// state and byte kind the next state. Built once per process ([`SerializedTable::get`]); the
/// product reads it instead of stepping the enum.
pub(super) struct SerializedTable {
    /// `next[state][kind]`, `u16::MAX` where no origin a browser sends goes on.
    next: Vec<[u16; 256]>,
    accepting: Vec<bool>,
}

impl SerializedTable {
    pub(super) const DEAD: u16 = u16::MAX;

    /// The one table.
    pub(super) fn get() -> &'static SerializedTable {
        static TABLE: std::sync::OnceLock<SerializedTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(SerializedTable::new)
    }

    fn new() -> Self {
        let kinds: Vec<u8> = {
            let mut seen = [false; 256];
            (0..=255u8).filter(|&b| !std::mem::replace(&mut seen[usize::from(kind(b))], true)).collect()
        };
        let mut states = vec![Serialized::START];
        let mut next: Vec<[u16; 256]> = Vec::new();
        let mut at = 0;
        while at < states.len() {
            let mut row = [Self::DEAD; 256];
            for &b in &kinds {
                if let Some(to) = states[at].step(b) {
                    let index = states.iter().position(|&s| s == to).unwrap_or_else(|| {
                        states.push(to);
                        states.len() - 1
                    });
                    row[usize::from(kind(b))] = u16::try_from(index).unwrap_or(Self::DEAD);
                }
            }
            next.push(row);
            at += 1;
        }
        let accepting = states.iter().map(|s| s.accepting()).collect();
        SerializedTable { next, accepting }
    }

    /// How many states there are.
    pub(super) fn len(&self) -> usize {
        self.next.len()
    }

    /// The state after a byte of kind `kind` (see [`kind`]), or [`SerializedTable::DEAD`].
    pub(super) fn next(&self, state: usize, kind: u8) -> u16 {
        self.next[state][usize::from(kind)]
    }

    pub(super) fn accepting(&self, state: usize) -> bool {
        self.accepting[state]
    }
}

/// `so_far` and then `b`, if that begins a scheme with a default port.
fn known_scheme(so_far: &str, b: u8) -> Option<&'static str> {
    let len = so_far.len() + 1;
    DEFAULT_PORTS
        .iter()
        .map(|&(scheme, _)| scheme)
        .find(|scheme| scheme.len() >= len && scheme.starts_with(so_far) && scheme.as_bytes()[len - 1] == b)
        .map(|scheme| &scheme[..len])
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_policy_core::OriginParts;

    fn accepts(text: &[u8]) -> bool {
        text.iter().try_fold(Serialized::START, |state, &b| state.step(b)).is_some_and(Serialized::accepting)
    }

    /// What browsers send, written from the runtime's split and the default ports.
    fn sent(text: &[u8]) -> bool {
        OriginParts::parse(text).is_some_and(|parts| {
            let default = match parts.scheme {
                b"http" | b"ws" => Some(80),
                b"https" | b"wss" => Some(443),
                _ => None,
            };
            parts.port.is_none() || parts.port != default
        })
    }

    /// The table steps as the enum does, for every byte of every string the first test reads.
    #[test]
    fn the_table_is_the_automaton() {
        let table = SerializedTable::new();
        for origin in [
            &b"https://a-b.example.com:8443"[..],
            b"http://[::1]:80",
            b"wss://x.y:443",
            b"h+t.p://x_y.z:65536",
        ] {
            let (mut state, mut index) = (Some(Serialized::START), 0usize);
            for &b in origin {
                state = state.and_then(|s| s.step(b));
                let to = table.next(index, kind(b));
                assert_eq!(state.is_none(), to == SerializedTable::DEAD, "{}", origin.escape_ascii());
                let Some(s) = state else { break };
                index = usize::from(to);
                assert_eq!(table.accepting(index), s.accepting(), "{}", origin.escape_ascii());
            }
        }
        assert!(table.len() < usize::from(SerializedTable::DEAD));
    }

    /// Bytes of one kind step alike from every state the automaton reaches.
    #[test]
    fn bytes_of_one_kind_step_alike() {
        let mut states = vec![Serialized::START];
        let mut seen = std::collections::HashSet::from([Serialized::START]);
        while let Some(state) = states.pop() {
            for b in 0..=255u8 {
                let representative = (0..=255u8).find(|&r| kind(r) == kind(b)).unwrap();
                assert_eq!(state.step(b), state.step(representative), "{state:?} {}", b.escape_ascii());
                if let Some(next) = state.step(b) {
                    if seen.insert(next) {
                        states.push(next);
                    }
                }
            }
        }
        // The walk reached the far states: a fifth digit over the bound, and a default port.
        let reached = |f: fn(&Phase) -> bool| seen.iter().any(|s| f(&s.phase));
        assert!(reached(|p| matches!(p, Phase::Port { digits: 5, against_max: Ordering::Greater, .. })));
        assert!(reached(|p| matches!(p, Phase::Port { digits: 3, default_so_far: true, .. })));
        assert!(reached(|p| matches!(p, Phase::Closed)));
    }

    /// The automaton accepts what browsers send: every string of up to 7 bytes over an
    /// alphabet that reaches each state, every byte in each place of a few origins, and every
    /// port of up to 6 digits (4 for the other schemes) after `https`, after the other schemes
    /// with a default port, and after some without one.
    #[test]
    fn the_automaton_accepts_what_browsers_send() {
        let alphabet = b"a:/[]g1.";
        let mut text = [0u8; 7];
        for len in 0..=text.len() {
            for mut n in 0..alphabet.len().pow(len as u32) {
                for byte in text[..len].iter_mut() {
                    *byte = alphabet[n % alphabet.len()];
                    n /= alphabet.len();
                }
                let text = &text[..len];
                assert_eq!(accepts(text), sent(text), "{}", text.escape_ascii());
            }
        }
        for origin in [
            &b"https://a-b.example.com:8443"[..],
            b"http://[::1]:3000",
            b"h+t.p://x_y.z",
            b"wss://[fe80::a1]",
        ] {
            for place in 0..origin.len() {
                for byte in 0..=255u8 {
                    let mut text = origin.to_vec();
                    text[place] = byte;
                    assert_eq!(accepts(&text), sent(&text), "{}", text.escape_ascii());
                }
            }
        }
        for (scheme, most_digits) in [
            ("https", 6),
            ("http", 4),
            ("ws", 4),
            ("wss", 4),
            ("htt", 4),
            ("httpss", 4),
            ("w", 4),
            ("ftp", 4),
        ] {
            for digits in 0..=most_digits {
                for port in 0..10u32.pow(digits) {
                    let padded = format!("{port:0width$}", width = digits as usize);
                    let text = format!("{scheme}://a.example:{padded}");
                    let text = text.as_bytes();
                    assert_eq!(accepts(text), sent(text), "{}", text.escape_ascii());
                }
            }
        }
    }
}
