//! The language of the origins browsers send, as a small automaton: the URL Standard's ASCII
//! serialization of a tuple origin, without the length cap. That is what
//! [`cors_policy_core::OriginParts::parse`] accepts, less what a browser would have rewritten
//! before sending it:
//!
//! * a scheme's default port (`https://a.example:443` is sent as `https://a.example`);
//! * for a special scheme, a host that "ends in a number" but is not a dotted quad as the IPv4
//!   serializer writes it (`127.1`, `0x7f.0.0.1`, `10.0.0.01` and `1.2.3.4.` are sent as
//!   `127.0.0.1`, ..., or not at all);
//! * a `file:` origin, which is sent as `null`.
//!
//! `scheme "://" host [":" port]`: a scheme of `a-z` then `a-z 0-9 + - .`; a host that is a name
//! of `a-z 0-9 - . _` or an IPv6 address of `0-9 a-f :` in brackets; a port of 1 to 5 digits
//! with no leading zero, at most 65535, and not the scheme's default. The port's bound is kept
//! by comparing its digits with `65535` as they come, the default port by comparing them with
//! it, and the dotted quad by each octet's digits so far: a few states each, not a count.
//!
//! [`Graph::shortest_serialized`](super::graph::Graph::shortest_serialized) walks its product
//! with an entry's DFA, which decides whether the entry can match anything a browser sends.

use std::cmp::Ordering;

/// Where a string stands in an origin a browser sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Serialized {
    phase: Phase,
    /// What the scheme implies, once it is read.
    scheme: SchemeRules,
}

/// The rules a scheme brings: its default port, and whether it is special (its hosts are
/// domains or IP addresses, not opaque).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct SchemeRules {
    default_port: Option<&'static [u8]>,
    special: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Phase {
    Start,
    /// In the scheme, which so far is the prefix of a scheme of [`KNOWN_SCHEMES`], if any.
    Scheme(Option<&'static str>),
    Colon,
    Slash,
    Slashes,
    /// In the host of a special scheme.
    Name(HostName),
    /// In the host of another scheme: opaque, any name bytes.
    Opaque,
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

/// The host of a special scheme so far: what its last label is, and whether it is still the
/// beginning of a dotted quad.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct HostName {
    label: Label,
    /// The label before the last dot was a number: it is the last label if the host ends there
    /// (the URL Standard drops one trailing empty label before looking).
    before_dot_numeric: bool,
    quad: Quad,
}

/// The current label, as the URL Standard's "ends in a number" sees it: a number is all
/// digits, or `0x` and hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Label {
    Empty,
    /// `0`: a number, and the start of `0x`.
    Zero,
    Digits,
    /// `0x` and hex digits so far.
    Hex,
    Other,
}

impl Label {
    fn numeric(self) -> bool {
        matches!(self, Label::Zero | Label::Digits | Label::Hex)
    }

    fn step(self, b: u8) -> Label {
        let hex = b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
        match self {
            Label::Empty if b == b'0' => Label::Zero,
            Label::Empty | Label::Zero | Label::Digits if b.is_ascii_digit() => Label::Digits,
            Label::Zero if b == b'x' => Label::Hex,
            Label::Hex if hex => Label::Hex,
            _ => Label::Other,
        }
    }
}

/// How far the host is a dotted quad as the IPv4 serializer writes it: four decimal octets of
/// at most 255, without leading zeros.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Quad {
    No,
    /// `dots` octets done (0 to 3), and the digits of the current one.
    At {
        dots: u8,
        octet: Octet,
    },
}

/// The digits of an octet so far, as far as the bound of 255 cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Octet {
    Empty,
    /// `0`, which takes no more digits.
    Zero,
    /// `1`: any two more digits.
    One,
    /// `2`: any second digit; then any third after `0` to `4`, `0` to `5` after `5`.
    Two,
    /// `3` to `9`: one more digit at most.
    High,
    /// `1` and a digit, or `20` to `24`: any third digit.
    AnyThird,
    /// `25`: a third digit of 0 to 5.
    TwentyFive,
    /// Complete: no more digits (`26` to `99`, or three digits).
    Full,
}

impl Quad {
    fn step(self, b: u8) -> Quad {
        let Quad::At { dots, octet } = self else { return Quad::No };
        let octet = match (octet, b) {
            (Octet::Empty, b'.') => return Quad::No,
            (_, b'.') if dots < 3 => return Quad::At { dots: dots + 1, octet: Octet::Empty },
            (Octet::Empty, b'0') => Octet::Zero,
            (Octet::Empty, b'1') => Octet::One,
            (Octet::Empty, b'2') => Octet::Two,
            (Octet::Empty, b'3'..=b'9') => Octet::High,
            (Octet::One, b'0'..=b'9') | (Octet::Two, b'0'..=b'4') => Octet::AnyThird,
            (Octet::Two, b'5') => Octet::TwentyFive,
            (Octet::Two | Octet::High | Octet::AnyThird, b'0'..=b'9') | (Octet::TwentyFive, b'0'..=b'5') => {
                Octet::Full
            }
            _ => return Quad::No,
        };
        Quad::At { dots, octet }
    }

    fn complete(self) -> bool {
        matches!(self, Quad::At { dots: 3, octet } if octet != Octet::Empty)
    }
}

impl HostName {
    const START: HostName = HostName {
        label: Label::Empty,
        before_dot_numeric: false,
        quad: Quad::At { dots: 0, octet: Octet::Empty },
    };

    fn step(self, b: u8) -> HostName {
        let quad = self.quad.step(b);
        if b == b'.' {
            return HostName { label: Label::Empty, before_dot_numeric: self.label.numeric(), quad };
        }
        HostName { label: self.label.step(b), quad, ..self }
    }

    /// The host may end here: it does not end in a number, or it is a whole dotted quad with no
    /// trailing dot.
    fn may_end(self) -> bool {
        let ends_in_number = match self.label {
            Label::Empty => self.before_dot_numeric,
            label => label.numeric(),
        };
        !ends_in_number || (self.label != Label::Empty && self.quad.complete())
    }
}

const MAX_PORT: &[u8; 5] = b"65535";
/// Schemes with rules of their own, `None` for one whose origins are never sent as such: `file`
/// is special too, but its origins are sent as `null`.
const KNOWN_SCHEMES: [(&str, Option<SchemeRules>); 6] = [
    ("http", Some(SchemeRules { default_port: Some(b"80"), special: true })),
    ("https", Some(SchemeRules { default_port: Some(b"443"), special: true })),
    ("ws", Some(SchemeRules { default_port: Some(b"80"), special: true })),
    ("wss", Some(SchemeRules { default_port: Some(b"443"), special: true })),
    ("ftp", Some(SchemeRules { default_port: Some(b"21"), special: true })),
    ("file", None),
];
/// Any other scheme: no default port, an opaque host.
const OTHER_SCHEME: SchemeRules = SchemeRules { default_port: None, special: false };

impl Serialized {
    /// Before the first byte.
    pub(super) const START: Serialized = Serialized { phase: Phase::Start, scheme: OTHER_SCHEME };

    /// The state after `b`, or `None` if no origin a browser sends has `b` here.
    pub(super) fn step(self, b: u8) -> Option<Serialized> {
        let name_byte = b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_');
        let ipv6_byte = b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b':';
        let scheme_byte = b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b);
        let phase = match self.phase {
            Phase::Start if b.is_ascii_lowercase() => Phase::Scheme(known_scheme("", b)),
            Phase::Scheme(so_far) if scheme_byte => Phase::Scheme(so_far.and_then(|s| known_scheme(s, b))),
            Phase::Scheme(so_far) if b == b':' => {
                let scheme = match KNOWN_SCHEMES.iter().find(|(s, _)| Some(*s) == so_far) {
                    Some(&(_, rules)) => rules?,
                    None => OTHER_SCHEME,
                };
                return Some(Serialized { phase: Phase::Colon, scheme });
            }
            Phase::Colon if b == b'/' => Phase::Slash,
            Phase::Slash if b == b'/' => Phase::Slashes,
            Phase::Slashes if b == b'[' => Phase::Open,
            Phase::Slashes if name_byte && self.scheme.special => Phase::Name(HostName::START.step(b)),
            Phase::Slashes | Phase::Opaque if name_byte => Phase::Opaque,
            Phase::Name(host) if name_byte => Phase::Name(host.step(b)),
            Phase::Open | Phase::Inside if ipv6_byte => Phase::Inside,
            Phase::Inside if b == b']' => Phase::Closed,
            Phase::Name(host) if b == b':' && host.may_end() => Phase::PortColon,
            Phase::Opaque | Phase::Closed if b == b':' => Phase::PortColon,
            Phase::PortColon if (b'1'..=b'9').contains(&b) => Phase::Port {
                digits: 1,
                against_max: b.cmp(&MAX_PORT[0]),
                default_so_far: self.scheme.default_port.is_some_and(|port| port[0] == b),
            },
            Phase::Port { digits, against_max, default_so_far } if digits < 5 && b.is_ascii_digit() => {
                let at = usize::from(digits);
                Phase::Port {
                    digits: digits + 1,
                    against_max: against_max.then(b.cmp(&MAX_PORT[at])),
                    default_so_far: default_so_far
                        && self.scheme.default_port.is_some_and(|port| port.get(at) == Some(&b)),
                }
            }
            _ => return None,
        };
        Some(Serialized { phase, ..self })
    }

    /// `true` if an origin a browser sends can end here.
    pub(super) fn accepting(self) -> bool {
        match self.phase {
            Phase::Opaque | Phase::Closed => true,
            Phase::Name(host) => host.may_end(),
            Phase::Port { digits, against_max, default_so_far } => {
                let is_default = default_so_far
                    && self.scheme.default_port.is_some_and(|port| port.len() == usize::from(digits));
                (digits < 5 || against_max != Ordering::Greater) && !is_default
            }
            _ => false,
        }
    }
}

/// Bytes that [`Serialized::step`] treats alike, in every state: the product needs to try only
/// one byte of each kind that a DFA class holds, not all 256. Letters that spell a scheme of
/// [`KNOWN_SCHEMES`], `x` (of `0x`), and each digit (the port's bound and default, the octets),
/// are kinds of their own.
pub(super) fn kind(b: u8) -> u8 {
    match b {
        b'h' | b't' | b'p' | b's' | b'w' | b'f' | b'i' | b'l' | b'e' | b'x' | b'0'..=b'9' => b,
        b'a'..=b'd' => b'a',
        b'g'..=b'z' => b'g',
        b'+' | b'-' | b'.' | b'_' | b':' | b'/' | b'[' | b']' => b,
        _ => 0,
    }
}

/// The first byte of each [`kind`] among `bytes`, in their order.
pub(super) fn one_of_each_kind(bytes: impl IntoIterator<Item = u8>) -> Vec<u8> {
    let mut seen = [false; 256];
    bytes.into_iter().filter(|&b| !std::mem::replace(&mut seen[usize::from(kind(b))], true)).collect()
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
        let kinds = one_of_each_kind(0..=255);
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

/// `so_far` and then `b`, if that begins a scheme of [`KNOWN_SCHEMES`].
fn known_scheme(so_far: &str, b: u8) -> Option<&'static str> {
    let len = so_far.len() + 1;
    KNOWN_SCHEMES
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

    /// Calls `check` with every string of up to `most` bytes over `alphabet`.
    fn for_every_string(alphabet: &[u8], most: usize, mut check: impl FnMut(&[u8])) {
        let mut text = vec![0u8; most];
        for len in 0..=most {
            for mut n in 0..alphabet.len().pow(len as u32) {
                for byte in &mut text[..len] {
                    *byte = alphabet[n % alphabet.len()];
                    n /= alphabet.len();
                }
                check(&text[..len]);
            }
        }
    }

    /// What browsers send, written from the runtime's split, the default ports and the URL
    /// Standard's host parser, step by step.
    fn sent(text: &[u8]) -> bool {
        OriginParts::parse(text).is_some_and(|parts| {
            let default = match parts.scheme {
                b"http" | b"ws" => Some(80),
                b"https" | b"wss" => Some(443),
                b"ftp" => Some(21),
                _ => None,
            };
            let special = matches!(parts.scheme, b"http" | b"https" | b"ws" | b"wss" | b"ftp");
            let host = std::str::from_utf8(parts.host).unwrap();
            let host_sent =
                !special || host.starts_with('[') || !ends_in_a_number(host) || is_dotted_quad(host);
            parts.scheme != b"file" && (parts.port.is_none() || parts.port != default) && host_sent
        })
    }

    /// The URL Standard's "ends in a number checker".
    fn ends_in_a_number(host: &str) -> bool {
        let mut parts: Vec<&str> = host.split('.').collect();
        if parts.last() == Some(&"") {
            if parts.len() == 1 {
                return false;
            }
            parts.pop();
        }
        let last = parts.last().copied().unwrap_or("");
        if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
            return true;
        }
        // The IPv4 number parser: what is not all digits is a number only as `0x` and hex.
        last.strip_prefix("0x").is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    /// Four octets as the IPv4 serializer writes them.
    fn is_dotted_quad(host: &str) -> bool {
        let octets: Vec<&str> = host.split('.').collect();
        octets.len() == 4 && octets.iter().all(|o| o.parse::<u8>().is_ok_and(|n| n.to_string() == *o))
    }

    /// Every host of up to 7 bytes over an alphabet that reaches each rule of the hosts of
    /// special schemes, after a special scheme and after another one.
    #[test]
    fn hosts_of_special_schemes_are_the_url_standards() {
        for_every_string(b"0x1.a92", 7, |host| {
            for scheme in ["http", "zz"] {
                let text = [scheme.as_bytes(), b"://", host].concat();
                assert_eq!(accepts(&text), sent(&text), "{}", text.escape_ascii());
            }
        });
        for (origin, browsers_send) in [
            ("https://127.0.0.1", true),
            ("https://255.255.255.255:8443", true),
            ("https://256.0.0.1", false),
            ("https://127.1", false),
            ("https://0x7f.0.0.1", false),
            ("https://10.0.0.01", false),
            ("https://1.2.3.4.", false),
            ("https://1.2.3.4.5", false),
            ("https://a.1", false),
            ("https://a.0x", false),
            ("https://a.0xg", true),
            ("https://1.2.3.a", true),
            ("https://1..", true),
            ("chrome-extension://127.1", true),
            ("file://a.example", false),
            ("ftp://a.example:21", false),
        ] {
            assert_eq!(accepts(origin.as_bytes()), browsers_send, "{origin}");
            assert_eq!(sent(origin.as_bytes()), browsers_send, "{origin}");
        }
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
        for_every_string(b"a:/[]g1.", 7, |text| {
            assert_eq!(accepts(text), sent(text), "{}", text.escape_ascii());
        });
        let origins = [
            &b"https://a-b.example.com:8443"[..],
            b"http://[::1]:3000",
            b"h+t.p://x_y.z",
            b"wss://[fe80::a1]",
        ];
        let one_byte_changed = origins.iter().flat_map(|origin| {
            (0..origin.len()).flat_map(move |place| {
                (0..=255u8).map(move |byte| [&origin[..place], &[byte], &origin[place + 1..]].concat())
            })
        });
        for text in one_byte_changed {
            assert_eq!(accepts(&text), sent(&text), "{}", text.escape_ascii());
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
