//! The host rules of one origin: what the URL Standard's host parser and serializer make of a
//! host (lowercase, punycode, IPv4 and IPv6 canonical forms, label lengths), and the mistake
//! each other spelling is.

use super::{misplaced_wildcard, Check, Diagnostic, Span};
use std::net::Ipv6Addr;

pub(super) fn check_host(
    scheme: &str,
    host: &str,
    subdomains: bool,
    text: &str,
    span: Span,
    out: &mut Vec<Diagnostic>,
) -> Option<()> {
    let err = |check, message: String, help: String| Diagnostic::error(check, span, message).with_help(help);
    let written = |h: &str| {
        let star = if subdomains { "*." } else { "" };
        let port = text.rsplit_once(':').filter(|(_, p)| !p.contains(']') && !p.starts_with("//"));
        match port {
            Some((_, p)) if !host.contains(':') || host.starts_with('[') => {
                format!("{scheme}://{star}{h}:{p}")
            }
            _ => format!("{scheme}://{star}{h}"),
        }
    };
    if !host.is_ascii() {
        out.push(err(
            Check::UnicodeHost,
            format!("the host `{host}` is not ASCII; browsers send internationalized hosts in punycode, so this never matches"),
            match to_ascii_host(host) {
                Some(ascii) => format!("browsers send `{}` (punycode); write that", written(&ascii)),
                None => "write the host's punycode form (`xn--...`), as the browser's address bar shows it".into(),
            },
        ));
        return None;
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        out.push(err(
            Check::UppercaseOrigin,
            format!("the host `{host}` has uppercase letters; browsers send it lowercase and compare bytes, so this never matches"),
            format!("write `{}`", written(&host.to_ascii_lowercase())),
        ));
    }
    let host_lower = host.to_ascii_lowercase();
    if let Some(inner) = host_lower.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        if subdomains {
            out.push(misplaced_wildcard(span, text, "is in front of an IP address"));
            return None;
        }
        let Ok(address) = inner.parse::<Ipv6Addr>() else {
            out.push(err(
                Check::NotAnOrigin,
                format!("`{host}` is not an IPv6 address"),
                "write it as `[::1]`".into(),
            ));
            return None;
        };
        if address.to_ipv4_mapped().is_some() {
            out.push(err(
                Check::NonCanonicalHostOrPort,
                format!("`{host}` is an IPv4-mapped IPv6 address, which browsers serialize differently"),
                "write the IPv4 address itself".into(),
            ));
            return None;
        }
        let canonical = format!("[{address}]");
        if canonical != host_lower {
            out.push(err(
                Check::NonCanonicalHostOrPort,
                format!("`{host}` is not in the compressed form browsers send (RFC 5952)"),
                format!("write `{}`", written(&canonical)),
            ));
        }
        return Some(());
    }
    let trimmed = host_lower.strip_suffix('.').unwrap_or(&host_lower);
    if trimmed.split('.').any(str::is_empty) {
        out.push(err(
            Check::NotAnOrigin,
            format!("the host `{host}` has an empty label"),
            "remove the extra dot".into(),
        ));
        return None;
    }
    if trimmed.len() > 253 || trimmed.split('.').any(|label| label.len() > 63) {
        out.push(err(
            Check::NotAnOrigin,
            format!("the host `{host}` is longer than DNS allows (labels of at most 63 bytes, 253 in all)"),
            "check the host for a pasting mistake".into(),
        ));
        return None;
    }
    if let Some(bad) =
        trimmed.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '.'))
    {
        out.push(err(
            Check::NotAnOrigin,
            format!("the host `{host}` contains `{bad}`, which no serialized host has"),
            "write a plain DNS name such as `app.example.com`".into(),
        ));
        return None;
    }
    // The URL Standard's "ends in a number" rule, which only special schemes apply: the host of
    // `moz-extension://0a1b…` is opaque, never an IPv4 address.
    let ends_in_number = is_number_label(trimmed.rsplit('.').next().unwrap_or(""));
    if crate::trust::is_special_scheme(scheme) && ends_in_number {
        if subdomains {
            out.push(misplaced_wildcard(span, text, "is in front of an IP address"));
            return None;
        }
        if !is_ipv4(trimmed) || trimmed.len() != host.len() {
            let help = match canonical_ipv4(trimmed) {
                Some(ip) => format!("browsers send this address as `{}`", written(&ip)),
                None => "write the address in dotted-decimal form, such as `127.0.0.1`".into(),
            };
            out.push(err(
                Check::NonCanonicalHostOrPort,
                format!("`{host}` is not a dotted-decimal IPv4 address, the only form browsers send"),
                help,
            ));
            return None;
        }
        return Some(());
    }
    if host.ends_with('.') {
        out.push(
            Diagnostic::warning(
                Check::TrailingDotHost,
                span,
                format!("`{host}` ends with a dot, which makes it a different origin from `{trimmed}`; pages on `{trimmed}` will not match"),
            )
            .with_help(format!("write `{}` unless the page is really served on the dotted name", written(trimmed))),
        );
    }
    Some(())
}

/// The punycode (`xn--`) form of a host, label by label, as browsers serialize it. Hosts that
/// need IDNA mapping beyond lowercasing get no suggestion rather than a wrong one.
pub(super) fn to_ascii_host(host: &str) -> Option<String> {
    let lower = host.to_lowercase();
    let labels: Option<Vec<String>> = lower
        .split('.')
        .map(|label| {
            if label.is_ascii() {
                Some(label.to_string())
            } else {
                punycode(label).map(|p| format!("xn--{p}"))
            }
        })
        .collect();
    labels.map(|l| l.join("."))
}

/// RFC 3492 Punycode encoding of one label.
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    let digit = |d: u32| -> char {
        if d < 26 {
            (b'a' + d as u8) as char
        } else {
            (b'0' + (d - 26) as u8) as char
        }
    };
    let adapt = |mut delta: u32, points: u32, first: bool| -> u32 {
        delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    };
    let input: Vec<u32> = label.chars().map(|c| c as u32).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u32;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u32, 0u32, 72u32, basic);
    while (handled as usize) < input.len() {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

/// A label the URL Standard's IPv4 number parser reads as a number: all digits (an empty label
/// is none), or `0x` and hex digits. A special scheme's host whose last label is one is an IPv4
/// address ("ends in a number"), or no host at all.
pub(crate) fn is_number_label(label: &str) -> bool {
    (!label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()))
        || label.strip_prefix("0x").is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Four decimal parts, 0 to 255, no leading zeros.
pub(crate) fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p == &"0" || !p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// What the URL Standard's IPv4 parser makes of `127.1`, `0x7f.0.0.1` and the like.
fn canonical_ipv4(host: &str) -> Option<String> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| {
            if let Some(hex) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
                u64::from_str_radix(if hex.is_empty() { "0" } else { hex }, 16).ok()
            } else if p.len() > 1 && p.starts_with('0') {
                u64::from_str_radix(&p[1..], 8).ok()
            } else {
                p.parse().ok()
            }
        })
        .collect::<Option<_>>()?;
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) || *last >= 256u64.pow(5 - numbers.len() as u32) {
        return None;
    }
    let mut value = *last;
    for (i, n) in init.iter().enumerate() {
        value += n << (8 * (3 - i));
    }
    let b = (value as u32).to_be_bytes();
    Some(format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3]))
}
