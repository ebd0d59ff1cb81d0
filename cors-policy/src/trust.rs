//! What each origin entry trusts: its trust set, computed from the entry itself.
//!
//! A trust set is a list of [`TrustItem`]s. Each names one scheme, one [`Site`] (a registrable
//! domain under the Public Suffix List, a literal IP host, a loopback host, a host that is
//! itself a public suffix, or the opaque host of a non-special scheme such as an extension
//! origin), the [`Hosts`] of that site the entry admits and the [`Ports`]. The analysis is
//! *sound*: every origin an entry admits lies within the items it reports, so a reviewer (and
//! `cors-policy trust` / `cors-policy diff`) can read exactly whom a policy trusts.
//!
//! Literal origins and `*.`/`:*` patterns are read here; regex entries are analysed on their
//! automaton in `regex::trust`.
//!
//! ```
//! use cors_policy::trust::{Hosts, Site};
//! let compilation = cors_policy::compile_yaml("allow_origins: ['https://*.example.co.uk:*']\n");
//! let trust = &compilation.policies[0].trust[0];
//! let item = &trust.items[0];
//! assert_eq!(item.site, Site::Domain("example.co.uk".into()));
//! assert_eq!(item.hosts, Hosts::Beneath { parent: "example.co.uk".into(), apex: false });
//! assert!(item.ports.any);
//! ```

use std::collections::BTreeSet;
use std::fmt;

use cors_policy_core::PortPattern;

use crate::origin::{is_loopback_host, Origin};

/// The trust set of one `allow_origins` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryTrust {
    /// The entry as written (`regex:` entries as their pattern).
    pub entry: String,
    /// What kind of entry it is.
    pub kind: EntryKind,
    /// What it admits; `*` has none (it trusts every origin, see [`EntryKind::Any`]).
    pub items: Vec<TrustItem>,
}

/// The kinds of `allow_origins` entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// `*`: every origin, without credentials.
    Any,
    /// An exact serialized origin.
    Exact,
    /// A `*.` or `:*` pattern.
    Pattern,
    /// A `regex:` entry.
    Regex,
    /// A `tenants:` entry: exact origins inserted at run time, each checked then.
    Tenants,
}

/// One scheme, one site, some of its hosts and ports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustItem {
    /// The scheme, e.g. `https`.
    pub scheme: String,
    /// Who controls the hosts.
    pub site: Site,
    /// Which hosts of the site.
    pub hosts: Hosts,
    /// Which ports.
    pub ports: Ports,
    /// One origin the entry admits within this item, for messages.
    pub example: String,
}

/// Who controls a set of hosts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Site {
    /// A registrable domain (eTLD+1) under the Public Suffix List: whoever registered it.
    Domain(String),
    /// A host that is itself a public suffix (`github.io`), controlled by the suffix operator.
    PublicSuffix(String),
    /// A literal IP host (`203.0.113.7`, `[2001:db8::1]`).
    Ip(String),
    /// A loopback host: `localhost` (with its subdomains, RFC 6761), `127.0.0.0/8`, `[::1]`.
    Loopback(String),
    /// The host of a non-special scheme (an extension id), compared as an opaque string.
    Opaque(String),
}

impl Site {
    /// The name of the site.
    pub fn name(&self) -> &str {
        match self {
            Site::Domain(s) | Site::PublicSuffix(s) | Site::Ip(s) | Site::Loopback(s) | Site::Opaque(s) => s,
        }
    }

    /// `true` for loopback hosts, which browsers treat as potentially trustworthy even over http.
    pub fn is_loopback(&self) -> bool {
        matches!(self, Site::Loopback(_))
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Site::Domain(d) => write!(f, "registrable domain {d}"),
            Site::PublicSuffix(d) => write!(f, "public suffix {d} (as a host)"),
            Site::Ip(ip) => write!(f, "IP host {ip}"),
            Site::Loopback(h) => write!(f, "loopback {h}"),
            Site::Opaque(h) => write!(f, "host {h}"),
        }
    }
}

/// The hosts of a site an entry admits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hosts {
    /// Exactly these hosts.
    Listed(BTreeSet<String>),
    /// Hosts beneath `parent` (any number of labels), and `parent` itself if `apex`.
    Beneath {
        /// The fixed right-hand part of every host.
        parent: String,
        /// `parent` itself is admitted too.
        apex: bool,
    },
}

impl Hosts {
    /// One host.
    pub fn one(host: &str) -> Self {
        Hosts::Listed(BTreeSet::from([host.to_owned()]))
    }

    /// `true` if every host of `other` is one of `self`.
    pub fn covers(&self, other: &Hosts) -> bool {
        let beneath = |host: &str, parent: &str, apex: bool| {
            (apex && host == parent) || host.strip_suffix(parent).is_some_and(|rest| rest.ends_with('.'))
        };
        match (self, other) {
            (Hosts::Listed(a), Hosts::Listed(b)) => b.is_subset(a),
            (Hosts::Listed(_), Hosts::Beneath { .. }) => false,
            (Hosts::Beneath { parent, apex }, Hosts::Listed(b)) => {
                b.iter().all(|h| beneath(h, parent, *apex))
            }
            (Hosts::Beneath { parent: p, apex: a }, Hosts::Beneath { parent: q, apex: b }) => {
                (p == q && (*a || !*b)) || beneath(q, p, false)
            }
        }
    }
}

impl fmt::Display for Hosts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Hosts::Listed(hosts) => {
                let list: Vec<&str> = hosts.iter().map(String::as_str).collect();
                f.write_str(&list.join(", "))
            }
            Hosts::Beneath { parent, apex: true } => write!(f, "{parent} and any host beneath it"),
            Hosts::Beneath { parent, apex: false } => write!(f, "any host beneath {parent}"),
        }
    }
}

/// The ports an entry admits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ports {
    /// No port (the scheme's default port).
    pub default: bool,
    /// These explicit ports.
    pub listed: BTreeSet<u16>,
    /// Any explicit port (or more than can be listed).
    pub any: bool,
}

impl Ports {
    /// The ports of a literal origin or pattern.
    pub fn of(pattern: PortPattern) -> Self {
        match pattern {
            PortPattern::Default => Ports { default: true, ..Ports::default() },
            PortPattern::Exact(p) => Ports { listed: BTreeSet::from([p]), ..Ports::default() },
            PortPattern::Any => Ports { default: true, any: true, ..Ports::default() },
        }
    }

    /// `true` if every port of `other` is one of `self`.
    pub fn covers(&self, other: &Ports) -> bool {
        self.any || (!other.any && (self.default || !other.default) && other.listed.is_subset(&self.listed))
    }

    /// Adds the ports of `other`.
    pub fn extend(&mut self, other: &Ports) {
        self.default |= other.default;
        self.any |= other.any;
        self.listed.extend(other.listed.iter().copied());
    }
}

impl fmt::Display for Ports {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.default {
            parts.push("default port".to_owned());
        }
        if self.any {
            parts.push("any port".to_owned());
        } else if !self.listed.is_empty() {
            let ports: Vec<String> = self.listed.iter().map(u16::to_string).collect();
            parts.push(format!("port {}", ports.join(", ")));
        }
        f.write_str(&parts.join(" or "))
    }
}

impl TrustItem {
    /// `true` if every origin of `other` is admitted by `self`.
    pub fn covers(&self, other: &TrustItem) -> bool {
        self.scheme == other.scheme
            && self.site == other.site
            && self.hosts.covers(&other.hosts)
            && self.ports.covers(&other.ports)
    }

    /// `true` for schemes a network attacker can read and rewrite, on a host that is not
    /// loopback: the rule of `CORS005`.
    pub fn is_insecure(&self) -> bool {
        matches!(self.scheme.as_str(), "http" | "ws" | "ftp") && !self.site.is_loopback()
    }
}

impl fmt::Display for TrustItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{{{}}} ({}), {}", self.scheme, self.hosts, self.site, self.ports)
    }
}

/// `scheme://host[:port]` split, with a port browsers send (1 to 65535, no leading zero);
/// `None` for anything else.
pub fn split_origin(origin: &str) -> Option<(&str, &str, Option<u16>)> {
    let (scheme, rest) = origin.split_once("://")?;
    let (host, port) = match rest.rfind(':').filter(|&i| !rest[i..].contains(']')) {
        Some(i) => {
            let digits = &rest[i + 1..];
            let port = digits.parse::<u16>().ok().filter(|p| *p != 0 && !digits.starts_with('0'))?;
            (&rest[..i], Some(port))
        }
        None => (rest, None),
    };
    (!scheme.is_empty() && !host.is_empty()).then_some((scheme, host, port))
}

/// `true` if some item admits `origin`, a serialized origin. Used to check the analysis
/// against strings the automaton accepts.
pub fn admits(items: &[TrustItem], origin: &str) -> bool {
    let Some((scheme, host, port)) = split_origin(origin) else { return false };
    let site = site_of(scheme, host);
    items.iter().any(|item| {
        item.scheme == scheme
            && (item.site == site || (item.site.is_loopback() && site.is_loopback()))
            && item.hosts.covers(&Hosts::one(host))
            && match port {
                None => item.ports.default,
                Some(p) => item.ports.any || item.ports.listed.contains(&p),
            }
    })
}

/// Schemes whose hosts the URL Standard parses as domains or IP addresses; every other scheme
/// has an opaque host (never an IPv4 address).
pub fn is_special_scheme(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp" | "file")
}

/// The site of a concrete host under `scheme`.
pub fn site_of(scheme: &str, host: &str) -> Site {
    // An opaque host is compared as written; a domain's trailing dot names the same site.
    if !is_special_scheme(scheme) {
        return Site::Opaque(host.to_owned());
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    if is_loopback_host(host) {
        let name = if host == "localhost" || host.ends_with(".localhost") { "localhost" } else { host };
        return Site::Loopback(name.to_owned());
    }
    if host.starts_with('[')
        || host.rsplit('.').next().is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Site::Ip(host.to_owned());
    }
    match crate::psl::list().registrable_domain(host) {
        Some(domain) => Site::Domain(domain.to_owned()),
        None => Site::PublicSuffix(host.to_owned()),
    }
}

/// The trust item of a checked literal origin or `*.`/`:*` pattern.
pub fn of_origin(origin: &Origin) -> TrustItem {
    let host = origin.host.strip_suffix('.').unwrap_or(&origin.host);
    let site = site_of(&origin.scheme, host);
    let hosts = if origin.subdomains {
        Hosts::Beneath { parent: host.to_owned(), apex: false }
    } else {
        Hosts::one(host)
    };
    let example_host = if origin.subdomains { format!("x.{host}") } else { host.to_owned() };
    let example = match origin.port {
        PortPattern::Exact(p) => format!("{}://{example_host}:{p}", origin.scheme),
        _ => format!("{}://{example_host}", origin.scheme),
    };
    TrustItem { scheme: origin.scheme.clone(), site, hosts, ports: Ports::of(origin.port), example }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beneath(parent: &str, apex: bool) -> Hosts {
        Hosts::Beneath { parent: parent.into(), apex }
    }

    #[test]
    fn hosts_cover() {
        let listed = |h: &[&str]| Hosts::Listed(h.iter().map(|s| s.to_string()).collect());
        assert!(beneath("example.com", false).covers(&listed(&["a.example.com", "b.c.example.com"])));
        assert!(!beneath("example.com", false).covers(&listed(&["example.com"])));
        assert!(beneath("example.com", true).covers(&listed(&["example.com"])));
        assert!(!beneath("example.com", true).covers(&listed(&["evilexample.com"])));
        assert!(beneath("example.com", false).covers(&beneath("tenant.example.com", true)));
        assert!(!beneath("tenant.example.com", false).covers(&beneath("example.com", false)));
        assert!(!listed(&["a.example.com"]).covers(&beneath("example.com", false)));
        assert!(listed(&["a.example.com", "b.example.com"]).covers(&listed(&["b.example.com"])));
    }

    #[test]
    fn ports_cover() {
        let default = Ports::of(PortPattern::Default);
        let any = Ports::of(PortPattern::Any);
        let exact = Ports::of(PortPattern::Exact(8443));
        assert!(any.covers(&default) && any.covers(&exact));
        assert!(!default.covers(&exact) && !exact.covers(&default) && !exact.covers(&any));
    }

    #[test]
    fn sites() {
        assert_eq!(site_of("https", "a.b.example.co.uk"), Site::Domain("example.co.uk".into()));
        assert_eq!(site_of("https", "github.io"), Site::PublicSuffix("github.io".into()));
        assert_eq!(site_of("http", "app.localhost"), Site::Loopback("localhost".into()));
        assert_eq!(site_of("http", "127.0.0.1"), Site::Loopback("127.0.0.1".into()));
        assert_eq!(site_of("https", "203.0.113.7"), Site::Ip("203.0.113.7".into()));
        assert_eq!(site_of("https", "[2001:db8::1]"), Site::Ip("[2001:db8::1]".into()));
        assert_eq!(
            site_of("moz-extension", "0a1b2c3d-1111-2222-3333-444455556666"),
            Site::Opaque("0a1b2c3d-1111-2222-3333-444455556666".into())
        );
    }
}
