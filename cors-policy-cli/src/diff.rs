//! `cors-policy diff OLD NEW [--format text|json]`: the trust a change of a policy file adds
//! and removes, to gate policy changes in CI and in code review.
//!
//! Policies are matched by name (the unnamed policy of a file matches the other file's unnamed
//! policy). Trust is *added* (widened) when NEW admits something OLD did not:
//!
//! * a policy OLD does not have;
//! * a `*` entry OLD does not have, or an origin (a piece of a trust item: one host, or the
//!   hosts beneath a parent, on one port set) that no trust item of OLD's policy covers, unless
//!   OLD has `*`;
//! * credentials or Private Network Access turned on;
//! * a method, a request header or an exposed header OLD does not allow, or `*` for them
//!   (`*` never covers `authorization` in `allow_headers`);
//! * a longer `max_age` (no `max_age` is the Fetch Standard's 5 seconds).
//!
//! Removed (narrowed) is the converse. Coverage is decided on the compiler's trust sets
//! (`TrustItem::covers`), so rewriting an entry without changing what it admits (a regex
//! replaced by the literal origin it matches) is no change.
//!
//! Exit status: 0 trust did not widen (unchanged, or only narrowed), 1 trust widened, 2 no
//! answer: a usage or I/O error, or a file with errors (its errors are printed on stderr).
//!
//! `--format json` prints one document on one line:
//!
//! ```text
//! {"old": "old.yaml", "new": "new.yaml", "psl": "psl 2.1.247", "widened": bool,
//!  "added": [CHANGE], "removed": [CHANGE]}
//! CHANGE = {"policy": "admin" | null, "kind": "policy"}
//!        | {"policy", "kind": "origin", "entry": "https://*.example.com",
//!           "entry_kind": "exact" | "pattern" | "regex" | "any",
//!           "trust": ITEM | null}          (null: the `*` entry, every origin)
//!        | {"policy", "kind": "credentials"} | {"policy", "kind": "private_network"}
//!        | {"policy", "kind": "method" | "allow_header" | "expose_header", "name": "PUT" | "*"}
//!        | {"policy", "kind": "max_age", "from": 5 | null, "to": 600 | null}
//! ```
//!
//! `ITEM` is a trust item as `cors-policy trust --format json` prints it, without `example`,
//! restricted to the part that was added (or removed). `from`/`to` are `null` for a policy
//! that is added (or removed).

use crate::output::Streams;
use crate::report::escape_controls;
use crate::trust::{
    self, entries_as_written, entry_kind, item_text, list_items, policy_title, ItemJson, Loaded,
};
use crate::{input, report, Failure};
use cors_policy::compiled::Policy as CompiledPolicy;
use cors_policy::compiled::{AllowHeaders, AllowMethods};
use cors_policy::trust::{EntryKind, EntryTrust, Hosts, Ports, TrustItem};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy file before the change; `-` reads standard input.
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The policy file after the change; `-` reads standard input.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text)]
    format: Format,
    /// Same as `--format json`.
    #[arg(long, conflicts_with = "format")]
    json: bool,
}

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// `+` and `-` lines per policy and a summary line.
    Text,
    /// `{"old","new","psl","widened","added","removed"}` on one line.
    Json,
}

/// The `max_age` of a policy without one: the Fetch Standard's default.
const DEFAULT_MAX_AGE: u64 = 5;

/// Compares the two files and prints the trust added and removed.
pub fn run(args: Args, streams: &mut Streams) -> Result<ExitCode, Failure> {
    let format = if args.json { Format::Json } else { args.format };
    if args.old.as_os_str() == "-" && args.new.as_os_str() == "-" {
        return Err(Failure::Usage("standard input (`-`) can be only one of OLD and NEW".into()));
    }
    let old = load(&args.old, streams)?;
    let new = load(&args.new, streams)?;
    let changes = diff(&old.compilation.policies, &new.compilation.policies);
    let widened = changes.iter().any(|c| c.added);
    match format {
        Format::Text => {
            let text = to_text(&changes);
            streams.out.write_all(text.as_bytes())?;
        }
        Format::Json => {
            let (added, removed): (Vec<&Change<'_>>, Vec<&Change<'_>>) =
                changes.iter().partition(|c| c.added);
            let document = Document {
                old: &old.name,
                new: &new.name,
                psl: cors_policy::psl::list().version(),
                widened,
                added,
                removed,
            };
            trust::write_json(streams, &document)?;
        }
    }
    Ok(ExitCode::from(if widened { 1 } else { 0 }))
}

/// Reads and compiles one side; a file that cannot be read or has errors is a failure (2).
fn load(path: &PathBuf, streams: &mut Streams) -> Result<Loaded, Failure> {
    let loaded = trust::load(path, None)
        .map_err(|error| Failure::Usage(report::Finding::unreadable(&input::name(path), &error).message))?;
    if loaded.compilation.has_errors() {
        trust::print_errors(streams, &loaded);
        let file = escape_controls(&loaded.name);
        return Err(Failure::Usage(format!(
            "{file}: the policy file has errors; fix them first (`cors-policy check {file}`)"
        )));
    }
    Ok(loaded)
}

/// One change of trust.
#[derive(Serialize)]
struct Change<'a> {
    /// `true` for added trust, `false` for removed trust (not serialized: the list says it).
    #[serde(skip)]
    added: bool,
    /// The policy it belongs to.
    policy: Option<&'a str>,
    /// What changed.
    #[serde(flatten)]
    what: What<'a>,
}

/// What a change is about.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum What<'a> {
    /// The whole policy is new (or gone); its trust follows as further changes.
    Policy,
    /// Origins of one entry.
    Origin {
        entry: &'a str,
        entry_kind: &'static str,
        /// `None` for the `*` entry; otherwise the added (or removed) part of one trust item.
        #[serde(serialize_with = "serialize_item")]
        trust: Option<TrustItem>,
    },
    Credentials,
    PrivateNetwork,
    /// `protect_writes` is off: cross-origin writes reach the handlers (added = protection
    /// removed, which widens trust).
    UnprotectedWrites,
    /// An origin that may write cross-origin under `protect_writes`.
    Writer {
        /// The added (or removed) part of one trust item.
        #[serde(serialize_with = "serialize_item")]
        trust: Option<TrustItem>,
    },
    Method {
        name: &'a str,
    },
    AllowHeader {
        name: &'a str,
    },
    ExposeHeader {
        name: &'a str,
    },
    MaxAge {
        from: Option<u64>,
        to: Option<u64>,
    },
}

/// A trust item as `trust --format json` prints it, without `example`.
fn serialize_item<S: serde::Serializer>(item: &Option<TrustItem>, serializer: S) -> Result<S::Ok, S::Error> {
    item.as_ref().map(ItemJson::without_example).serialize(serializer)
}

/// `--format json`, in this key order.
#[derive(Serialize)]
struct Document<'a> {
    old: &'a str,
    new: &'a str,
    psl: &'a str,
    widened: bool,
    added: Vec<&'a Change<'a>>,
    removed: Vec<&'a Change<'a>>,
}

/// `*` and a set of names.
struct Names<'a> {
    any: bool,
    listed: BTreeSet<&'a str>,
    /// Names `*` does not cover.
    not_under_any: &'static [&'static str],
}

impl<'a> Names<'a> {
    fn none() -> Self {
        Names { any: false, listed: BTreeSet::new(), not_under_any: &[] }
    }

    fn admits(&self, name: &str) -> bool {
        self.listed.contains(name) || (self.any && !self.not_under_any.contains(&name))
    }
}

/// What one policy grants, in comparable form; [`Grants::absent`] for a policy a file does not
/// have.
struct Grants<'a> {
    name: Option<&'a str>,
    any_origin: Option<&'a EntryTrust>,
    entries: Vec<&'a EntryTrust>,
    credentials: bool,
    methods: Names<'a>,
    allow_headers: Names<'a>,
    expose_headers: Names<'a>,
    /// Effective seconds; `None` for an absent policy.
    max_age: Option<u64>,
    /// `max_age` is written in the file.
    max_age_written: bool,
    private_network: bool,
    /// Who may write cross-origin under `protect_writes`; `None` when writes are unprotected.
    writers: Option<Vec<&'a TrustItem>>,
}

impl<'a> Grants<'a> {
    fn of(tables: &'a CompiledPolicy) -> Self {
        let methods = match &tables.allow_methods {
            AllowMethods::Any => Names { any: true, ..Names::none() },
            AllowMethods::List(list) => {
                Names { listed: list_items(list).into_iter().collect(), ..Names::none() }
            }
        };
        let allow_headers = match &tables.allow_headers {
            AllowHeaders::Any { authorization } => Names {
                any: true,
                listed: if *authorization { BTreeSet::from(["authorization"]) } else { BTreeSet::new() },
                not_under_any: &["authorization"],
            },
            AllowHeaders::List(list) => {
                Names { listed: list_items(list).into_iter().collect(), ..Names::none() }
            }
        };
        let expose_headers = match tables.expose_headers.as_deref() {
            None => Names::none(),
            Some("*") => Names { any: true, ..Names::none() },
            Some(list) => Names { listed: list.split(',').collect(), ..Names::none() },
        };
        let written = tables.max_age.as_deref().and_then(|s| s.parse::<u64>().ok());
        Grants {
            name: tables.name.as_deref(),
            any_origin: tables.trust.iter().find(|e| e.kind == EntryKind::Any),
            entries: entries_as_written(tables),
            credentials: tables.allow_credentials,
            methods,
            allow_headers,
            expose_headers,
            max_age: Some(written.unwrap_or(DEFAULT_MAX_AGE)),
            max_age_written: written.is_some(),
            private_network: tables.allow_private_network,
            writers: tables.write_protection.as_ref().map(|writes| {
                let readers =
                    tables.trust.iter().filter(|_| writes.allow_origins_write).flat_map(|e| &e.items);
                readers.chain(writes.write_trust.iter().flat_map(|e| &e.items)).collect()
            }),
        }
    }

    fn absent(name: Option<&'a str>) -> Self {
        Grants {
            name,
            any_origin: None,
            entries: Vec::new(),
            credentials: false,
            methods: Names::none(),
            allow_headers: Names::none(),
            expose_headers: Names::none(),
            max_age: None,
            max_age_written: false,
            private_network: false,
            writers: Some(Vec::new()),
        }
    }

    fn items(&self) -> impl Iterator<Item = &'a TrustItem> + '_ {
        self.entries.iter().flat_map(|e| &e.items)
    }
}

/// Every change from `old` to `new`: NEW's policies in their order, then those only OLD has.
fn diff<'a>(old: &'a [CompiledPolicy], new: &'a [CompiledPolicy]) -> Vec<Change<'a>> {
    let mut changes = Vec::new();
    for tables in new {
        let before = old.iter().find(|t| t.name == tables.name);
        let before = before.map_or_else(|| Grants::absent(tables.name.as_deref()), Grants::of);
        compare(&before, &Grants::of(tables), &mut changes);
    }
    for tables in old.iter().filter(|t| !new.iter().any(|n| n.name == t.name)) {
        compare(&Grants::of(tables), &Grants::absent(tables.name.as_deref()), &mut changes);
    }
    changes
}

/// The changes from `old` to `new` of one policy (either may be [`Grants::absent`]).
fn compare<'a>(old: &Grants<'a>, new: &Grants<'a>, out: &mut Vec<Change<'a>>) {
    let policy = new.name;
    let mut push = |added: bool, what: What<'a>| out.push(Change { added, policy, what });
    let old_absent = old.max_age.is_none();
    let new_absent = new.max_age.is_none();
    if old_absent != new_absent {
        push(old_absent, What::Policy);
    }
    // Origins.
    for (added, from, to) in [(true, old, new), (false, new, old)] {
        if let Some(any) = to.any_origin {
            if from.any_origin.is_none() {
                push(
                    added,
                    What::Origin { entry: &any.entry, entry_kind: entry_kind(any.kind), trust: None },
                );
            }
        }
        if from.any_origin.is_some() {
            continue;
        }
        let covering: Vec<&TrustItem> = from.items().collect();
        for entry in &to.entries {
            for item in &entry.items {
                for part in uncovered(item, &covering) {
                    push(
                        added,
                        What::Origin {
                            entry: &entry.entry,
                            entry_kind: entry_kind(entry.kind),
                            trust: Some(part),
                        },
                    );
                }
            }
        }
    }
    if old.credentials != new.credentials {
        push(new.credentials, What::Credentials);
    }
    if old.private_network != new.private_network {
        push(new.private_network, What::PrivateNetwork);
    }
    // A policy in one file only is a `Policy` change already; its writers are listed below.
    match (&old.writers, &new.writers) {
        (Some(_), None) if !old_absent && !new_absent => push(true, What::UnprotectedWrites),
        (None, Some(_)) if !old_absent && !new_absent => push(false, What::UnprotectedWrites),
        (Some(old_writers), Some(new_writers)) => {
            for (added, from, to) in [(true, old_writers, new_writers), (false, new_writers, old_writers)] {
                for item in to {
                    for part in uncovered(item, from) {
                        push(added, What::Writer { trust: Some(part) });
                    }
                }
            }
        }
        _ => {}
    }
    type Named<'a> = fn(&'a str) -> What<'a>;
    let lists: [(&Names<'a>, &Names<'a>, Named<'a>); 3] = [
        (&old.methods, &new.methods, |name| What::Method { name }),
        (&old.allow_headers, &new.allow_headers, |name| What::AllowHeader { name }),
        (&old.expose_headers, &new.expose_headers, |name| What::ExposeHeader { name }),
    ];
    for (old_names, new_names, what) in lists {
        for (added, from, to) in [(true, old_names, new_names), (false, new_names, old_names)] {
            if to.any && !from.any {
                push(added, what("*"));
            }
            for name in &to.listed {
                if !from.admits(name) {
                    push(added, what(name));
                }
            }
        }
    }
    let max_age = What::MaxAge { from: old.max_age, to: new.max_age };
    match (old.max_age, new.max_age) {
        (Some(from), Some(to)) if from != to => push(to > from, max_age),
        (None, Some(_)) if new.max_age_written => push(true, max_age),
        (Some(_), None) if old.max_age_written => push(false, max_age),
        _ => {}
    }
}

/// The parts of `item` that no item of `covering` admits, merged back into items: `item`
/// split into single hosts (or its `Beneath` hosts) on single port sets (the default port,
/// each listed port, any port), each part checked on its own, so an item covered by the union
/// of several items is covered.
fn uncovered(item: &TrustItem, covering: &[&TrustItem]) -> Vec<TrustItem> {
    let host_parts: Vec<Hosts> = match &item.hosts {
        Hosts::Listed(hosts) => hosts.iter().map(|h| Hosts::one(h)).collect(),
        beneath @ Hosts::Beneath { .. } => vec![beneath.clone()],
    };
    let mut port_parts: Vec<Ports> = Vec::new();
    if item.ports.default {
        port_parts.push(Ports { default: true, ..Ports::default() });
    }
    for &port in &item.ports.listed {
        port_parts.push(Ports { listed: BTreeSet::from([port]), ..Ports::default() });
    }
    if item.ports.any {
        port_parts.push(Ports { any: true, ..Ports::default() });
    }
    // Per host part, the ports not covered.
    let mut missing: Vec<(Hosts, Ports)> = Vec::new();
    for hosts in host_parts {
        let mut ports = Ports::default();
        for part in &port_parts {
            let piece = TrustItem { hosts: hosts.clone(), ports: part.clone(), ..item.clone() };
            if !covering.iter().any(|c| c.covers(&piece)) {
                ports.extend(part);
            }
        }
        if ports != Ports::default() {
            missing.push((hosts, ports));
        }
    }
    // Single hosts with the same missing ports become one item again.
    let mut merged: Vec<(Hosts, Ports)> = Vec::new();
    for (hosts, ports) in missing {
        let target = merged.iter_mut().find(|(h, p)| *p == ports && matches!(h, Hosts::Listed(_)));
        match (target, hosts) {
            (Some((Hosts::Listed(into), _)), Hosts::Listed(from)) => into.extend(from),
            (_, hosts) => merged.push((hosts, ports)),
        }
    }
    merged.into_iter().map(|(hosts, ports)| TrustItem { hosts, ports, ..item.clone() }).collect()
}

/// The text report: the changes grouped by policy, then a summary line.
fn to_text(changes: &[Change<'_>]) -> String {
    let mut out = String::new();
    let mut current: Option<Option<&str>> = None;
    for change in changes {
        if current != Some(change.policy) {
            current = Some(change.policy);
            let _ = writeln!(out, "{}:", policy_title(change.policy));
        }
        let sign = if change.added { '+' } else { '-' };
        let _ = writeln!(out, "  {sign} {}", change_text(&change.what));
    }
    let added = changes.iter().filter(|c| c.added).count();
    let removed = changes.len() - added;
    let summary = match (added, removed) {
        (0, 0) => "no change in trust".to_owned(),
        (0, removed) => format!("trust narrowed: {removed} removed"),
        (added, removed) => format!("trust widened: {added} added, {removed} removed"),
    };
    out.push_str(&summary);
    out.push('\n');
    out
}

/// One change, after its sign.
fn change_text(what: &What<'_>) -> String {
    match what {
        What::Policy => "policy (in one file only)".to_owned(),
        What::Origin { entry, trust: None, .. } => {
            format!("origin {}  every origin (never with credentials)", escape_controls(entry))
        }
        What::Origin { entry, trust: Some(item), .. } => {
            format!("origin {}  {}", escape_controls(entry), item_text(item))
        }
        What::Credentials => "credentials".to_owned(),
        What::PrivateNetwork => "private network access".to_owned(),
        What::UnprotectedWrites => "cross-origin writes unprotected (no protect_writes)".to_owned(),
        What::Writer { trust: Some(item) } => format!("writer {}", item_text(item)),
        What::Writer { trust: None } => "writer".to_owned(),
        What::Method { name } => format!("method {}", escape_controls(name)),
        What::AllowHeader { name } => format!("request header {}", escape_controls(name)),
        What::ExposeHeader { name } => format!("exposed header {}", escape_controls(name)),
        What::MaxAge { from: Some(from), to: Some(to) } => format!("max_age {to} s (was {from} s)"),
        What::MaxAge { from: Some(seconds), to: None } | What::MaxAge { from: None, to: Some(seconds) } => {
            format!("max_age {seconds} s")
        }
        What::MaxAge { from: None, to: None } => "max_age".to_owned(),
    }
}
