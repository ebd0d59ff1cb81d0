//! The exact trust analysis of one regex entry, on its automaton.
//!
//! The question is not "does the regex match some attacker origin we thought of" but "which
//! origins does it match", answered as a finite trust set or refused. The walk:
//!
//! 1. **Schemes**, forwards: every scheme the DFA spells before `://`, enumerated exactly. A loop
//!    or more than [`MAX_SCHEMES`] is an open scheme set.
//! 2. For each state after `scheme://`, the reverse automaton of the rest reads the origin from its
//!    end: first the **port** (digits then `:`, or none), then the **host**, label by label from
//!    the right, against the Public Suffix List trie ([`crate::psl`]). Labels are enumerated as
//!    concrete strings only up to the registrable-domain boundary: a loop there, or more than
//!    [`MAX_SITES`] sites, means the registrable domain is not fixed by the regex. Beneath the
//!    boundary, labels may vary freely (the subdomains of a domain the user owns), except that
//!    labels which would extend the public suffix (`s3` under `amazonaws.com`) are followed.
//! 3. At every label separator within the registrable domain or right before it, a `.` that
//!    another byte can replace with the same continuation is the unescaped-dot mistake
//!    (`app[.-]example\.com` admits `app-example.com`).
//! 4. IPv4 hosts (a numeric last label, special schemes only), bracketed IPv6 hosts and the
//!    opaque hosts of non-special schemes are enumerated whole; `localhost` and its subdomains
//!    are loopback.
//!
//! Every step works on the automaton, never on samples, so the result is sound: every origin
//! the regex accepts lies in the reported items. It is also bounded: the reverse automaton has
//! at most [`MAX_REVERSE_STATES`] states and the walk at most [`MAX_STEPS`] steps, past which the
//! entry is refused (`CORS049`) rather than guessed.

use std::collections::BTreeSet;

use super::reverse::{OverBudget, ReverseDfa};
use super::DfaTables;
use crate::origin::{is_ipv4, is_number_label};
use crate::psl;
use crate::trust::{is_special_scheme, Hosts, Ports, Site, TrustItem};

/// Most distinct sites (registrable domains, IP hosts, opaque hosts) one entry may trust.
pub const MAX_SITES: usize = 16;
/// Most schemes one entry may spell out.
pub const MAX_SCHEMES: usize = 8;
/// Most explicit ports listed before a port set counts as "any".
const MAX_PORTS: usize = 16;
/// Most states of one reverse automaton.
pub const MAX_REVERSE_STATES: usize = 8_000;
/// Most steps of the walk over one entry.
pub const MAX_STEPS: usize = 2_000_000;

/// Why an entry has no finite trust set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Finding {
    /// The scheme is not fixed.
    OpenScheme { example: String },
    /// A registrable domain (or IP or opaque host) is not fixed, or there are too many.
    OpenSite { example: String, owner: String, kind: OpenKind },
    /// A label separator that another byte can replace.
    StandIn { example: String, byte: u8, owner: String },
    /// The analysis would exceed its budget.
    OverBudget,
    /// The automaton accepts an origin the computed trust set lacks: the walk cannot decide this
    /// entry, so it is refused.
    Undecided { example: String },
}

/// What kind of host was left open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OpenKind {
    Domain,
    Ip,
    Opaque,
}

impl From<OverBudget> for Finding {
    fn from(_: OverBudget) -> Self {
        Finding::OverBudget
    }
}

/// Bytes of a DNS label as browsers serialize it.
const LABEL_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
/// Bytes of a whole host: labels, dots, and IPv6 brackets and colons.
const HOST_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-.:[]";
const DIGITS: &[u8] = b"0123456789";
const SCHEME_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789+-.";

/// How an enumeration stopped short: a loop (infinitely many strings; the path went around it
/// once), or more strings than the cap (the path is the first one past it). `found` holds the
/// strings enumerated before that.
struct Open {
    path: Vec<u8>,
    found: Vec<(Vec<u8>, usize)>,
}

impl Open {
    fn path(self) -> Vec<u8> {
        self.path
    }
}

/// The trust set of the regex whose trimmed, minimal tables are `tables`. `Err` names why it
/// has none, with an example origin the automaton accepts.
pub(crate) fn analyse(tables: &DfaTables) -> Result<Vec<TrustItem>, Finding> {
    let mut steps = 0usize;
    let result = walk(tables, &mut steps);
    if steps > MAX_STEPS {
        return Err(Finding::OverBudget);
    }
    let items = result?;
    // Defence in depth, not the decision: strings that cover every transition of the DFA must
    // each lie in the trust set just computed. One that does not is a gap in the walk, and the
    // entry is refused rather than trusted.
    let samples = super::graph::Graph::new(tables, false).samples(512);
    for sample in samples {
        let origin = String::from_utf8_lossy(&sample);
        if sendable(&origin) && !crate::trust::admits(&items, &origin) {
            return Err(Finding::Undecided { example: origin.into_owned() });
        }
    }
    Ok(items)
}

/// Hosts browsers can send: no empty label, and for special schemes a numeric last label only
/// in a canonical IPv4 address.
pub(crate) fn sendable(origin: &str) -> bool {
    let Some((scheme, host, _)) = crate::trust::split_origin(origin) else { return false };
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.is_empty() || name.starts_with('.') || name.contains("..") {
        return false;
    }
    if host.starts_with('[') {
        return host.ends_with(']');
    }
    let numeric = is_number_label(name.rsplit('.').next().unwrap_or(""));
    !(is_special_scheme(scheme) && numeric && !is_ipv4(name))
}

fn walk(tables: &DfaTables, steps: &mut usize) -> Result<Vec<TrustItem>, Finding> {
    let shift = tables.stride_shift;
    let forward = |row: usize, byte: u8| {
        let class = usize::from(tables.classes[usize::from(byte)]);
        tables.transitions.get((row << shift) + class).map_or(0, |&t| (t >> shift) as usize)
    };
    let start = (tables.start >> shift) as usize;
    let after_scheme =
        |row: usize| b"://".iter().try_fold(row, |r, &b| Some(forward(r, b)).filter(|&t| t != 0));
    let schemes =
        strings(&forward, start, SCHEME_BYTES, |row| after_scheme(row).is_some(), MAX_SCHEMES, steps)
            .map_err(|open| {
                let mut path = open.path();
                path.extend_from_slice(b"://");
                Finding::OpenScheme {
                    example: String::from_utf8_lossy(&complete_forward(tables, &path)).into_owned(),
                }
            })?;

    let mut items: Vec<TrustItem> = Vec::new();
    let mut reverses: Vec<(usize, ReverseDfa)> = Vec::new();
    for (scheme_bytes, end) in schemes {
        if !scheme_bytes.first().is_some_and(u8::is_ascii_lowercase) {
            continue; // not a scheme; no origin starts so
        }
        let Some(host_start) = after_scheme(end) else { continue };
        let scheme = String::from_utf8_lossy(&scheme_bytes).into_owned();
        if !reverses.iter().any(|(row, _)| *row == host_start) {
            reverses.push((host_start, ReverseDfa::build(tables, host_start, MAX_REVERSE_STATES)?));
        }
        let reverse = &reverses.iter().find(|(row, _)| *row == host_start).expect("just built").1;
        let mut walk = Walk {
            reverse,
            scheme: &scheme,
            special: is_special_scheme(&scheme),
            steps: &mut *steps,
            found: Vec::new(),
            trailing_dot: false,
        };
        walk.origin()?;
        for item in walk.found {
            if let Some(same) = items
                .iter_mut()
                .find(|i| i.scheme == item.scheme && i.site == item.site && i.hosts == item.hosts)
            {
                same.ports.extend(&item.ports);
            } else {
                items.push(item);
            }
        }
        let sites: BTreeSet<&Site> = items.iter().map(|i| &i.site).collect();
        if sites.len() > MAX_SITES {
            let last = items.last().expect("more than MAX_SITES items");
            return Err(Finding::OpenSite {
                example: last.example.clone(),
                owner: last.site.name().to_owned(),
                kind: OpenKind::Domain,
            });
        }
    }
    Ok(items)
}

/// The walk over one scheme's reverse automaton.
struct Walk<'a> {
    reverse: &'a ReverseDfa,
    scheme: &'a str,
    special: bool,
    steps: &'a mut usize,
    found: Vec<TrustItem>,
    /// The host being walked ends with a dot, which its host names keep.
    trailing_dot: bool,
}

/// A point of the host walk: the state at the end of a label (read backwards), the labels read
/// so far (rightmost first) and the bytes read since the end of the origin.
#[derive(Clone)]
struct Branch {
    state: usize,
    labels: Vec<String>,
    read: Vec<u8>,
    ports: Ports,
}

impl Walk<'_> {
    fn next(&self, state: usize, byte: u8) -> usize {
        self.reverse.next(state, byte)
    }

    /// An origin the automaton accepts, from bytes read backwards so far and the state reached.
    fn example(&self, read: &[u8], state: usize) -> String {
        let mut bytes = read.to_vec();
        bytes.extend(self.reverse.completion(state));
        bytes.reverse();
        format!("{}://{}", self.scheme, String::from_utf8_lossy(&bytes))
    }

    /// Splits off the port, then walks the host of each way the port can end.
    fn origin(&mut self) -> Result<(), Finding> {
        let start = ReverseDfa::START;
        // Every state the host can end in, with the ports that lead there.
        let mut ends: Vec<(usize, Ports, Vec<u8>)> = Vec::new();
        ends.push((start, Ports { default: true, ..Ports::default() }, Vec::new()));
        let reverse = self.reverse;
        let colon_targets: BTreeSet<usize> = {
            let mut seen = BTreeSet::new();
            let mut stack = vec![start];
            let mut targets = BTreeSet::new();
            while let Some(s) = stack.pop() {
                for &d in DIGITS {
                    let t = reverse.next(s, d);
                    if t != 0 && seen.insert(t) {
                        stack.push(t);
                        *self.steps += 1;
                        let h = reverse.next(t, b':');
                        if h != 0 {
                            targets.insert(h);
                        }
                    }
                }
            }
            targets
        };
        for host_end in colon_targets {
            let found = strings(
                &|s, b| reverse.next(s, b),
                start,
                DIGITS,
                |s| reverse.next(s, b':') == host_end,
                MAX_PORTS,
                self.steps,
            );
            let (ports, read) = match found {
                Ok(list) => {
                    let listed: BTreeSet<u16> = list
                        .iter()
                        .filter_map(|(digits, _)| {
                            let text: String = digits.iter().rev().map(|&b| char::from(b)).collect();
                            (!text.starts_with('0')).then(|| text.parse::<u16>().ok()).flatten()
                        })
                        .collect();
                    let read = list.first().map(|(d, _)| d.clone()).unwrap_or_default();
                    (Ports { listed, ..Ports::default() }, read)
                }
                Err(open) => {
                    let mut read = open.path();
                    read.retain(u8::is_ascii_digit);
                    (Ports { any: true, ..Ports::default() }, read)
                }
            };
            let mut read = read;
            read.push(b':');
            ends.push((host_end, ports, read));
        }
        for (state, ports, read) in ends {
            // A trailing dot (`https://example.com.`) is its own origin, with the same site.
            let dotted = self.next(state, b'.');
            if self.special && dotted != 0 {
                let mut dotted_read = read.clone();
                dotted_read.push(b'.');
                self.trailing_dot = true;
                self.host(Branch {
                    state: dotted,
                    labels: Vec::new(),
                    read: dotted_read,
                    ports: ports.clone(),
                })?;
                self.trailing_dot = false;
            }
            self.host(Branch { state, labels: Vec::new(), read, ports })?;
        }
        Ok(())
    }

    fn record(&mut self, site: Site, hosts: Hosts, branch: &Branch, state: usize) {
        let example = self.example(&branch.read, state);
        let hosts = if self.trailing_dot {
            match hosts {
                Hosts::Listed(list) => Hosts::Listed(list.into_iter().map(|h| format!("{h}.")).collect()),
                Hosts::Beneath { parent, apex } => Hosts::Beneath { parent: format!("{parent}."), apex },
            }
        } else {
            hosts
        };
        self.found.push(TrustItem {
            scheme: self.scheme.to_owned(),
            site,
            hosts,
            ports: branch.ports.clone(),
            example,
        });
    }

    fn too_many(&self) -> bool {
        self.found.iter().map(|i| &i.site).collect::<BTreeSet<_>>().len() > MAX_SITES
    }

    /// The host, from the state where it ends.
    fn host(&mut self, branch: Branch) -> Result<(), Finding> {
        if !self.special {
            return self.opaque(branch);
        }
        // A bracketed IPv6 host.
        let inside = self.next(branch.state, b']');
        if inside != 0 {
            let reverse = self.reverse;
            let hosts = strings(
                &|s, b| reverse.next(s, b),
                inside,
                b"0123456789abcdef:.[",
                |s| reverse.accepting(s),
                MAX_SITES,
                self.steps,
            );
            match hosts {
                Ok(list) => {
                    for (bytes, end) in list {
                        let mut host: Vec<u8> = bytes.iter().rev().copied().collect();
                        host.push(b']');
                        if host.first() != Some(&b'[') {
                            continue;
                        }
                        let host = String::from_utf8_lossy(&host).into_owned();
                        let site = if host == "[::1]" {
                            Site::Loopback(host.clone())
                        } else {
                            Site::Ip(host.clone())
                        };
                        let mut read = branch.read.clone();
                        read.push(b']');
                        read.extend(&bytes);
                        self.record(site, Hosts::one(&host), &Branch { read, ..branch.clone() }, end);
                    }
                }
                Err(open) => {
                    let mut read = branch.read.clone();
                    read.push(b']');
                    read.extend(open.path());
                    let state = read.iter().fold(ReverseDfa::START, |s, &b| reverse.next(s, b));
                    let example = self.example(&read, state);
                    return Err(Finding::OpenSite {
                        example,
                        owner: "an IPv6 host".into(),
                        kind: OpenKind::Ip,
                    });
                }
            }
        }
        self.labels(branch)
    }

    /// The host of a non-special scheme: enumerated whole.
    fn opaque(&mut self, branch: Branch) -> Result<(), Finding> {
        let reverse = self.reverse;
        match strings(
            &|s, b| reverse.next(s, b),
            branch.state,
            HOST_BYTES,
            |s| reverse.accepting(s),
            MAX_SITES,
            self.steps,
        ) {
            Ok(list) => {
                for (bytes, end) in list {
                    let host: String = bytes.iter().rev().map(|&b| char::from(b)).collect();
                    let mut read = branch.read.clone();
                    read.extend(&bytes);
                    self.record(
                        Site::Opaque(host.clone()),
                        Hosts::one(&host),
                        &Branch { read, ..branch.clone() },
                        end,
                    );
                }
                Ok(())
            }
            Err(open) => {
                let mut read = branch.read.clone();
                read.extend(open.path());
                let state =
                    read.iter().skip(branch.read.len()).fold(branch.state, |s, &b| reverse.next(s, b));
                Err(Finding::OpenSite {
                    example: self.example(&read, state),
                    owner: format!("any {} host", self.scheme),
                    kind: OpenKind::Opaque,
                })
            }
        }
    }

    /// Walks the labels of a domain or IPv4 host, from the right.
    fn labels(&mut self, first: Branch) -> Result<(), Finding> {
        let reverse = self.reverse;
        let list = psl::list();
        let mut stack = vec![first];
        let mut stand_in: Option<Finding> = None;
        let mut open: Option<Finding> = None;
        while let Some(branch) = stack.pop() {
            *self.steps += 1;
            if *self.steps > MAX_STEPS {
                return Err(Finding::OverBudget);
            }
            let depth = branch.labels.len();
            let ip = depth > 0 && branch.labels[0].bytes().all(|b| b.is_ascii_digit());
            if depth > 0 {
                // Where this branch ends up: a host ends here, or more labels follow.
                if ip {
                    if depth == 4 {
                        if reverse.accepting(branch.state) {
                            let host: Vec<&str> = branch.labels.iter().rev().map(String::as_str).collect();
                            let host = host.join(".");
                            if is_ipv4(&host) {
                                let site = if host.starts_with("127.") {
                                    Site::Loopback(host.clone())
                                } else {
                                    Site::Ip(host.clone())
                                };
                                self.record(site, Hosts::one(&host), &branch, branch.state);
                            }
                        }
                        continue; // a fifth label is no IPv4 host, and no host at all
                    }
                } else if branch.labels[0] == "localhost" {
                    let hosts = self.hosts_beneath(&branch);
                    self.record(Site::Loopback("localhost".into()), hosts, &branch, branch.state);
                    continue;
                }
            }
            let info = list.at(&branch.labels);
            let ps = info.public_suffix_labels;
            let determined = depth > ps && !info.extendable() && !ip;
            let dot = if depth > 0 { self.next(branch.state, b'.') } else { branch.state };
            // The separator check, at every separator within or right before the registrable
            // domain (and anywhere in an IPv4 host).
            if depth > 0 && dot != 0 && (depth <= ps + 1 || info.extendable() || ip) && stand_in.is_none() {
                if let Some(&byte) =
                    HOST_BYTES.iter().find(|&&b| b != b'.' && self.next(branch.state, b) == dot)
                {
                    let mut read = branch.read.clone();
                    read.push(byte);
                    let owner = swapped_owner(&branch.labels, byte);
                    stand_in = Some(Finding::StandIn { example: self.example(&read, dot), byte, owner });
                }
            }
            if determined {
                let domain = tail(&branch.labels, ps + 1);
                let hosts = self.hosts_beneath(&branch);
                self.record(Site::Domain(domain), hosts, &branch, branch.state);
                continue;
            }
            if depth > 0 && !ip && reverse.accepting(branch.state) {
                // A host that ends here although the registrable domain is not decided yet: it
                // is itself a public suffix, or its public suffix could have been longer.
                let host = tail(&branch.labels, depth);
                let site = if depth > ps {
                    Site::Domain(tail(&branch.labels, ps + 1))
                } else {
                    Site::PublicSuffix(host.clone())
                };
                self.record(site, Hosts::one(&host), &branch, branch.state);
            }
            if dot == 0 {
                continue;
            }
            let mut read = branch.read.clone();
            if depth > 0 {
                read.push(b'.');
            }
            if depth > ps && !info.wildcard && !ip {
                // The registrable domain is decided unless a child label extends the suffix:
                // follow those, and let every other label vary freely beneath the domain.
                let domain = tail(&branch.labels, ps + 1);
                for child in &info.children {
                    let end =
                        child.bytes().rev().try_fold(dot, |s, b| Some(self.next(s, b)).filter(|&t| t != 0));
                    if let Some(end) = end.filter(|&e| reverse.accepting(e) || self.next(e, b'.') != 0) {
                        let mut labels = branch.labels.clone();
                        labels.push(child.clone());
                        let mut child_read = read.clone();
                        child_read.extend(child.bytes().rev());
                        stack.push(Branch {
                            state: end,
                            labels,
                            read: child_read,
                            ports: branch.ports.clone(),
                        });
                    }
                }
                let others = strings(
                    &|s, b| reverse.next(s, b),
                    dot,
                    LABEL_BYTES,
                    |s| label_end(reverse, s),
                    info.children.len() + 1,
                    self.steps,
                );
                let other = match others {
                    Ok(labels) => labels
                        .into_iter()
                        .find(|(l, _)| !info.children.iter().any(|c| c.bytes().rev().eq(l.iter().copied()))),
                    Err(open) => {
                        let path = open.path();
                        let end = path.iter().fold(dot, |s, &b| reverse.next(s, b));
                        Some((path, end))
                    }
                };
                if let Some((label, end)) = other {
                    let mut other_read = read.clone();
                    other_read.extend(&label);
                    let parent = tail(&branch.labels, depth);
                    let b = Branch {
                        state: end,
                        labels: branch.labels.clone(),
                        read: other_read,
                        ports: branch.ports.clone(),
                    };
                    self.record(Site::Domain(domain), Hosts::Beneath { parent, apex: false }, &b, end);
                }
                continue;
            }
            // The next label is part of the registrable domain (or of an IPv4 address): it must
            // be one of a few concrete strings.
            if open.is_some() {
                // Something is open already: only the separator checks of the branches found
                // so far remain, since CORS010 names the more specific mistake.
                continue;
            }
            let found = strings(
                &|s, b| reverse.next(s, b),
                dot,
                LABEL_BYTES,
                |s| label_end(reverse, s),
                MAX_SITES,
                self.steps,
            );
            let (labels, failure) = match found {
                Ok(labels) => (labels, None),
                Err(Open { path, found }) => (found, Some(path)),
            };
            let labels_found: Vec<(Vec<u8>, usize)> =
                labels.iter().filter(|(b, _)| b.iter().all(u8::is_ascii_digit)).cloned().collect();
            for (bytes, end) in labels {
                let label: String = bytes.iter().rev().map(|&b| char::from(b)).collect();
                let numeric = label.bytes().all(|b| b.is_ascii_digit());
                if depth > 0 && ip != numeric {
                    continue; // mixes digits-only and other labels: no host browsers send
                }
                if depth == 0 && !numeric && is_number_label(&label) {
                    continue; // `0x` and hex digits last make the host an IPv4 address
                }
                let mut labels = branch.labels.clone();
                labels.push(label);
                let mut label_read = read.clone();
                label_read.extend(&bytes);
                stack.push(Branch { state: end, labels, read: label_read, ports: branch.ports.clone() });
            }
            if let Some(path) = failure {
                // For the message, a label an attacker would pick, if the automaton has one; for
                // an address, one of the valid ones found.
                let seed: String = self.finish_label(dot).iter().rev().map(|&b| char::from(b)).collect();
                let numeric_path = path.iter().all(u8::is_ascii_digit);
                let last_found = labels_found.last().map(|(bytes, _)| bytes.clone());
                let path = match last_found {
                    Some(found) if (ip || depth == 0) && numeric_path => found,
                    _ => self.attacker_label(dot, &seed).unwrap_or(path),
                };
                let mut example_read = read.clone();
                example_read.extend(&path);
                let end = path.iter().fold(dot, |s, &b| reverse.next(s, b));
                let example = self.example(&example_read, end);
                let label: String = path.iter().rev().map(|&b| char::from(b)).collect();
                let numeric = !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit());
                let (owner, kind) = if ip || (depth == 0 && numeric) {
                    ("an IP host".to_owned(), OpenKind::Ip)
                } else if depth == 0 {
                    (format!("a domain under the top-level domain `{label}`"), OpenKind::Domain)
                } else {
                    (format!("{label}.{}", tail(&branch.labels, depth)), OpenKind::Domain)
                };
                open.get_or_insert(Finding::OpenSite { example, owner, kind });
            }
            if self.too_many() && open.is_none() {
                let last = self.found.last().expect("sites were found");
                open = Some(Finding::OpenSite {
                    example: last.example.clone(),
                    owner: last.site.name().to_owned(),
                    kind: if matches!(last.site, Site::Ip(_)) { OpenKind::Ip } else { OpenKind::Domain },
                });
            }
            if stand_in.is_some() {
                break;
            }
        }
        match stand_in.or(open) {
            Some(finding) => Err(finding),
            None => Ok(()),
        }
    }

    /// The shortest label bytes from `state` to a label end (breadth first), in reading order.
    fn finish_label(&self, state: usize) -> Vec<u8> {
        let mut queue = std::collections::VecDeque::from([(state, Vec::new())]);
        let mut seen = BTreeSet::from([state]);
        while let Some((s, path)) = queue.pop_front() {
            if label_end(self.reverse, s) && s != state || path.len() > 63 {
                return path;
            }
            for &b in LABEL_BYTES {
                let t = self.next(s, b);
                if t != 0 && seen.insert(t) {
                    let mut longer = path.clone();
                    longer.push(b);
                    queue.push_back((t, longer));
                }
            }
        }
        Vec::new()
    }

    /// A label readable from `state` up to a label end that says `evil`, made from `seed` (a
    /// label the automaton accepts there); in reading order. Only for messages.
    fn attacker_label(&self, state: usize, seed: &str) -> Option<Vec<u8>> {
        let mut candidates = vec!["evil".to_owned()];
        // Later insertions first, so that ties read `exampleevil`, not `examplevile`.
        for i in (0..=seed.len()).rev() {
            candidates.push(format!("evil{}", &seed[i..]));
            candidates.push(format!("{}evil{}", &seed[..i], &seed[i..]));
        }
        candidates
            .into_iter()
            .filter(|label| {
                let end =
                    label.bytes().rev().try_fold(state, |s, b| Some(self.next(s, b)).filter(|&t| t != 0));
                end.is_some_and(|e| label_end(self.reverse, e))
            })
            .min_by_key(String::len)
            .map(|label| label.bytes().rev().collect())
    }

    /// The hosts of a site whose registrable domain was decided at `branch`: listed when
    /// there are a few, else the longest fixed right-hand part and everything beneath it.
    fn hosts_beneath(&mut self, branch: &Branch) -> Hosts {
        let reverse = self.reverse;
        let here = tail(&branch.labels, branch.labels.len());
        let apex = reverse.accepting(branch.state);
        let dot = self.next(branch.state, b'.');
        if dot == 0 {
            return Hosts::one(&here);
        }
        match strings(
            &|s, b| reverse.next(s, b),
            dot,
            HOST_BYTES,
            |s| reverse.accepting(s),
            MAX_SITES,
            self.steps,
        ) {
            Ok(list) => {
                let mut hosts: BTreeSet<String> = list
                    .iter()
                    .map(|(bytes, _)| {
                        format!("{}.{here}", bytes.iter().rev().map(|&b| char::from(b)).collect::<String>())
                    })
                    .collect();
                if apex {
                    hosts.insert(here);
                }
                Hosts::Listed(hosts)
            }
            Err(_) => self.beneath(branch),
        }
    }

    /// `Hosts::Beneath` the longest fixed part: whole labels that every host must have.
    fn beneath(&mut self, branch: &Branch) -> Hosts {
        let reverse = self.reverse;
        let live = |state: usize| -> Vec<u8> {
            HOST_BYTES.iter().copied().filter(|&b| reverse.next(state, b) != 0).collect()
        };
        let mut parent = tail(&branch.labels, branch.labels.len());
        let mut state = branch.state;
        // Extend the parent by one forced label at a time: the host must go on with `.` alone,
        // and then every byte up to the next label end is forced.
        while !reverse.accepting(state) && live(state) == [b'.'] && *self.steps < MAX_STEPS {
            let mut s = reverse.next(state, b'.');
            let mut label = Vec::new();
            loop {
                *self.steps += 1;
                let bytes = live(s);
                if !label.is_empty() && label_end(reverse, s) {
                    break;
                }
                match bytes.as_slice() {
                    [b] if *b != b'.' && label.len() < 63 => {
                        label.push(*b);
                        s = reverse.next(s, *b);
                    }
                    _ => return Hosts::Beneath { parent, apex: false },
                }
            }
            if live(s).iter().any(|b| LABEL_BYTES.contains(b)) {
                break; // the label may be longer
            }
            let text: String = label.iter().rev().map(|&c| char::from(c)).collect();
            parent = format!("{text}.{parent}");
            state = s;
        }
        Hosts::Beneath { parent, apex: reverse.accepting(state) }
    }
}

/// `true` at the end of a label read backwards: the host starts here, or a `.` precedes it.
fn label_end(reverse: &ReverseDfa, state: usize) -> bool {
    reverse.accepting(state) || reverse.next(state, b'.') != 0
}

/// The last `n` of `labels` (rightmost first), as a dotted name.
fn tail(labels: &[String], n: usize) -> String {
    let parts: Vec<&str> = labels.iter().take(n).rev().map(String::as_str).collect();
    parts.join(".")
}

/// For a message: the name a separator stand-in creates, `app-example.com` from `example.com`.
fn swapped_owner(labels: &[String], byte: u8) -> String {
    let right = tail(labels, labels.len());
    let (tld, rest) = right.rsplit_once('.').map_or((right.as_str(), ""), |(rest, tld)| (tld, rest));
    if rest.is_empty() {
        format!("…{}{tld}", char::from(byte))
    } else {
        format!("…{}{}", char::from(byte), right)
    }
}

/// The strings over `bytes` that lead from `from` to a state where `is_end` holds (at least one
/// byte each), with that state: at most `cap`, in reading order. Only states that can still
/// reach an end over `bytes` are entered, so a loop among them means infinitely many strings;
/// a loop, or more than `cap` strings, stops the enumeration.
fn strings(
    next: &dyn Fn(usize, u8) -> usize,
    from: usize,
    bytes: &[u8],
    is_end: impl Fn(usize) -> bool,
    cap: usize,
    steps: &mut usize,
) -> Result<Vec<(Vec<u8>, usize)>, Open> {
    // The part of the graph reachable over `bytes`, then the states of it that reach an end.
    let mut reached: Vec<usize> = vec![from];
    let mut known: BTreeSet<usize> = BTreeSet::from([from]);
    let mut edges: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(&state) = reached.get(i) {
        for &b in bytes {
            *steps += 1;
            let t = next(state, b);
            if t != 0 {
                if known.insert(t) {
                    reached.push(t);
                }
                edges.push((state, t));
            }
        }
        i += 1;
        if *steps > MAX_STEPS {
            return Err(Open { path: Vec::new(), found: Vec::new() });
        }
    }
    let mut productive: BTreeSet<usize> = reached.iter().copied().filter(|&s| is_end(s)).collect();
    loop {
        let before = productive.len();
        for &(from, to) in &edges {
            if productive.contains(&to) {
                productive.insert(from);
            }
        }
        if productive.len() == before {
            break;
        }
    }

    let mut out = Vec::new();
    let mut on_path: Vec<usize> = vec![from];
    let mut path: Vec<u8> = Vec::new();
    let mut cursor: Vec<usize> = vec![0];
    while let Some(i) = cursor.last_mut() {
        let state = *on_path.last().expect("a state per cursor");
        let Some(&b) = bytes.get(*i) else {
            cursor.pop();
            on_path.pop();
            path.pop();
            continue;
        };
        *i += 1;
        *steps += 1;
        if *steps > MAX_STEPS {
            return Err(Open { path, found: out });
        }
        let t = next(state, b);
        if t == 0 || !productive.contains(&t) {
            continue;
        }
        path.push(b);
        if on_path.contains(&t) {
            return Err(Open { path, found: out });
        }
        if is_end(t) {
            if out.len() == cap {
                return Err(Open { path, found: out });
            }
            out.push((path.clone(), t));
        }
        on_path.push(t);
        cursor.push(0);
    }
    Ok(out)
}

/// `prefix` completed forwards to an accepted string, preferring readable bytes.
fn complete_forward(tables: &DfaTables, prefix: &[u8]) -> Vec<u8> {
    let graph = super::graph::Graph::new(tables, false);
    let state = prefix.iter().fold(graph.start(), |s, &b| graph.step(s, b));
    let mut out = prefix.to_vec();
    out.extend(graph.suffix(state));
    out
}

#[cfg(test)]
mod tests {
    use super::super::{anchored, determinize::build, graph::Graph, parse, Limits};
    use super::*;
    use crate::trust::{admits, site_of};

    fn tables_of(pattern: &str) -> Option<DfaTables> {
        build(&anchored(parse(pattern).ok()?.1), &Limits::default()).ok()
    }

    fn analysed(pattern: &str) -> Result<Vec<TrustItem>, Finding> {
        analyse(&tables_of(pattern).expect("builds"))
    }

    /// A last label of `0x` and hex digits makes the host an IPv4 address (`a.0x1f` is no host
    /// at all); one that merely starts with `0x` is a domain label, and its origins are trusted.
    #[test]
    fn a_last_label_is_a_number_only_as_hex_digits() {
        let items = analysed(r"^https://a\.0xg$").expect("a domain");
        assert!(admits(&items, "https://a.0xg"), "{items:#?}");
        assert!(sendable("https://a.0xg") && !sendable("https://a.0x1f") && !sendable("https://a.0x"));
        let items = analysed(r"^https://(a\.0xg|b\.0x1f)$").expect("one domain");
        assert_eq!(items.len(), 1, "{items:#?}");
    }

    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    /// Random accepted strings: random live transitions, stopping at accepting rows by chance.
    fn walks(tables: &DfaTables, rng: &mut Rng, count: usize) -> Vec<Vec<u8>> {
        let graph = Graph::new(tables, false);
        let mut out = graph.samples(256);
        for _ in 0..count {
            let mut row = graph.start();
            let mut bytes = Vec::new();
            while row != 0 {
                if graph.accepting(row) && (rng.below(4) == 0 || bytes.len() > 80) {
                    break;
                }
                if bytes.len() > 80 {
                    bytes.extend(graph.suffix(row));
                    break;
                }
                let live: Vec<u8> = (0..=255u8).filter(|&b| graph.step(row, b) != 0).collect();
                let Some(&b) = live.get(rng.below(live.len().max(1))) else { break };
                bytes.push(b);
                row = graph.step(row, b);
            }
            out.push(bytes);
        }
        out
    }

    /// A random origin regex, from pieces real and hostile policies use.
    fn random_pattern(rng: &mut Rng) -> String {
        let scheme = rng.pick(&[
            "https",
            "https",
            "https?",
            "(http|https)",
            "(https|wss)",
            "[a-z]+",
            "chrome-extension",
        ]);
        let label = |rng: &mut Rng| {
            rng.pick(&[
                "app",
                "api",
                "[a-z]+",
                "[a-z0-9-]+",
                "(a|b)",
                "[a-z]{1,2}",
                "x[0-9]*",
                "pr-[0-9]+",
                "[ab]",
            ])
            .to_owned()
        };
        let sep = |rng: &mut Rng| rng.pick(&[r"\.", r"\.", r"\.", ".", "[.-]", r"(\.|-)"]).to_owned();
        let tail = rng.pick(&[
            r"\.example\.com",
            r"\.com",
            r"\.co\.uk",
            r"\.github\.io",
            r"\.s3\.amazonaws\.com",
            r"\.amazonaws\.com",
            r"\.localhost",
            r"\.example\.com\.?",
            r"\.example\.(com|org)",
            r"(\.[a-z]{2})?",
            r"\.[a-z]+",
            "",
            r"example\.com",
        ]);
        let host = match rng.below(8) {
            0 => rng
                .pick(&[
                    r"127\.0\.0\.1",
                    r"10\.0\.0\.[0-9]",
                    r"\[::1\]",
                    r"[0-9]+(\.[0-9]+){3}",
                    "localhost",
                    r"\[[0-9a-f:]+\]",
                ])
                .to_owned(),
            _ => {
                let mut host = String::new();
                if rng.below(3) == 0 {
                    host.push_str(rng.pick(&[r"([a-z]+\.)*", r"([a-z0-9-]+\.)?", r"[a-z.]+\.", "(www.)?"]));
                }
                host.push_str(&label(rng));
                for _ in 0..rng.below(3) {
                    host.push_str(&sep(rng));
                    host.push_str(&label(rng));
                }
                host.push_str(tail);
                host
            }
        };
        let port = rng.pick(&["", "", "(:[0-9]+)?", ":8080", "(:80|:443)", ":[0-9]{4}"]);
        format!("^{scheme}://{host}{port}$")
    }

    /// Soundness: every origin walked out of the compiled DFA of an accepted regex lies in the
    /// trust set the analysis reports. And every refusal names an origin the DFA accepts.
    #[test]
    fn trust_sets_are_sound_on_generated_regexes() {
        // `CORS_POLICY_TRUST_CASES` and `CORS_POLICY_TRUST_SEED` run a longer or another search.
        let cases = std::env::var("CORS_POLICY_TRUST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(400);
        let seed = std::env::var("CORS_POLICY_TRUST_SEED")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0x2545_f491_4f6c_dd1d);
        let mut rng = Rng(seed);
        let (mut accepted, mut refused, mut origins) = (0, 0, 0);
        for _ in 0..cases {
            let pattern = random_pattern(&mut rng);
            let Some(tables) = tables_of(&pattern) else { continue };
            match analyse(&tables) {
                Ok(items) => {
                    accepted += 1;
                    for walk in walks(&tables, &mut rng, 200) {
                        let origin = String::from_utf8_lossy(&walk);
                        if sendable(&origin) {
                            origins += 1;
                            assert!(admits(&items, &origin), "{pattern}: `{origin}` is outside {items:#?}");
                        }
                    }
                }
                Err(finding) => {
                    refused += 1;
                    let example = match &finding {
                        Finding::OpenScheme { example }
                        | Finding::OpenSite { example, .. }
                        | Finding::StandIn { example, .. } => example,
                        Finding::Undecided { example } => panic!("{pattern}: the walk missed `{example}`"),
                        Finding::OverBudget => continue,
                    };
                    assert!(
                        tables.dfa().is_match(example.as_bytes()),
                        "{pattern}: example `{example}` of {finding:?} is not accepted"
                    );
                }
            }
        }
        eprintln!("{accepted} accepted, {refused} refused, {origins} origins checked");
        assert!(accepted > 100 && refused > 100, "{accepted} accepted, {refused} refused");
    }

    /// On a small alphabet, brute force agrees with the verdict: every accepted string of up to
    /// seven bytes lies in the trust set, and more than `MAX_SITES` sites means a refusal.
    #[test]
    fn brute_force_agrees_on_a_small_alphabet() {
        let middles: Vec<String> = {
            let mut all = vec![String::new()];
            let mut layer = vec![String::new()];
            for _ in 0..7 {
                layer = layer.iter().flat_map(|m| ["a", "b", ".", "-"].map(|c| format!("{m}{c}"))).collect();
                all.extend(layer.iter().cloned());
            }
            all
        };
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let atoms = [
            "a",
            "b",
            "[ab]",
            "[ab]+",
            "(a|b)",
            r"\.",
            ".",
            "[a.]",
            "[ab-]",
            "(ab)?",
            r"(a\.)*",
            "[ab]{1,2}",
        ];
        for _ in 0..400 {
            let body: String = (0..1 + rng.below(4)).map(|_| rng.pick(&atoms)).collect();
            let tail = rng.pick(&[r"\.com", r"\.co\.uk", r"\.github\.io", "", r"\.localhost"]);
            let pattern = format!("^https://{body}{tail}$");
            let Some(tables) = tables_of(&pattern) else { continue };
            let tail_text = tail.replace('\\', "");
            let accepted: Vec<String> = middles
                .iter()
                .map(|m| format!("https://{m}{tail_text}"))
                .filter(|o| tables.dfa().is_match(o.as_bytes()) && sendable(o))
                .collect();
            let sites: BTreeSet<Site> = accepted
                .iter()
                .filter_map(|o| crate::trust::split_origin(o).map(|(s, h, _)| site_of(s, h)))
                .collect();
            match analyse(&tables) {
                Ok(items) => {
                    for origin in &accepted {
                        assert!(admits(&items, origin), "{pattern}: `{origin}` is outside {items:#?}");
                    }
                    assert!(sites.len() <= MAX_SITES, "{pattern}: accepted with {} sites", sites.len());
                }
                Err(finding) => {
                    if let Finding::OpenSite { example, .. } | Finding::StandIn { example, .. } = &finding {
                        assert!(tables.dfa().is_match(example.as_bytes()), "{pattern}: {finding:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn issue_classes_are_refused() {
        let open = |p: &str| match analysed(p) {
            Err(Finding::OpenSite { example, .. }) => example,
            other => panic!("{p}: {other:?}"),
        };
        assert_eq!(open(r"^https://app\.example[a-z]*\.com$"), "https://app.exampleevil.com");
        assert_eq!(open(r"^https://[a-z]+example\.com$"), "https://evilexample.com");
        for p in [
            r"^https://example\.[a-z]{2,3}$",
            r"^https://example\.com(\.[a-z]{2})?$",
            r"^https://[a-z]{1,3}\.com$",
            r"^https://exampl[a-z]\.com$",
            r"^https://[0-9]{1,3}(\.[0-9]{1,3}){3}$",
            r"^https://\[[0-9a-f:]+\]$",
            r"^https://([a-z]+\.)*amazonaws\.com$",
            r"^https://[a-z0-9-]+\.s3\.amazonaws\.com$",
            r"^https://[a-z0-9-]+\.github\.io$",
            r"^chrome-extension://[a-p]{32}$",
        ] {
            open(p);
        }
        assert!(matches!(analysed(r"^https://app[.-]example\.com$"), Err(Finding::StandIn { .. })));
        assert!(matches!(analysed(r"^https://api.example.com$"), Err(Finding::StandIn { .. })));
        assert!(matches!(analysed(r"^https://([a-z]+[.-])?example\.com$"), Err(Finding::StandIn { .. })));
        assert!(matches!(analysed(r"^[a-z]+://app\.example\.com$"), Err(Finding::OpenScheme { .. })));
    }

    #[test]
    fn a_trailing_dot_is_the_same_site() {
        let items = analysed(r"^https://app\.example\.com\.?$").unwrap_or_else(|f| panic!("{f:?}"));
        assert!(admits(&items, "https://app.example.com."), "{items:#?}");
        assert!(admits(&items, "https://app.example.com"), "{items:#?}");
        assert!(items.iter().all(|i| i.site == Site::Domain("example.com".into())), "{items:#?}");
        assert!(matches!(analysed(r"^https://[a-z]+\.com\.$"), Err(Finding::OpenSite { .. })));
    }

    #[test]
    fn legitimate_entries_have_the_expected_trust() {
        let items = |p: &str| analysed(p).unwrap_or_else(|f| panic!("{p}: {f:?}"));
        let sites = |p: &str| items(p).into_iter().map(|i| (i.scheme, i.site)).collect::<Vec<_>>();
        let domain = |d: &str| Site::Domain(d.into());
        assert_eq!(
            sites(r"^https://pr-[0-9]+\.preview\.example\.com$"),
            [("https".into(), domain("example.com"))]
        );
        let both = items(r"^https://(app|admin)\.example\.(com|org)$");
        assert_eq!(
            both.iter().map(|i| &i.site).collect::<BTreeSet<_>>(),
            BTreeSet::from([&domain("example.com"), &domain("example.org")])
        );
        assert!(items(r"^https://app\.example\.com(:[0-9]+)?$")[0].ports.any);
        assert!(items(r"^http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?$")
            .iter()
            .all(|i| i.site.is_loopback()));
        assert_eq!(
            items(r"^http://[a-z0-9-]+\.localhost(:[0-9]+)?$")[0].hosts,
            Hosts::Beneath { parent: "localhost".into(), apex: false }
        );
        assert_eq!(
            sites(r"^https://xn--bcher-kva\.example\.com$"),
            [("https".into(), domain("example.com"))]
        );
        assert_eq!(
            sites(r"^moz-extension://0a1b2c3d-1111-2222-3333-444455556666$"),
            [("moz-extension".into(), Site::Opaque("0a1b2c3d-1111-2222-3333-444455556666".into()))]
        );
        assert_eq!(
            items(r"^https://[a-z.]+\.tenant\.example\.com$")[0].hosts,
            Hosts::Beneath { parent: "tenant.example.com".into(), apex: false }
        );
        assert_eq!(
            items(r"^https://([a-z0-9-]+\.)*example\.com$")[0].hosts,
            Hosts::Beneath { parent: "example.com".into(), apex: true }
        );
        assert_eq!(
            sites(r"^https://[a-z0-9-]+\.example\.co\.uk$"),
            [("https".into(), domain("example.co.uk"))]
        );
        let two = items(r"^https?://app\.example\.com$");
        assert_eq!(
            two.iter().map(|i| i.scheme.as_str()).collect::<BTreeSet<_>>(),
            BTreeSet::from(["http", "https"])
        );
        assert!(two.iter().any(TrustItem::is_insecure));
    }
}
