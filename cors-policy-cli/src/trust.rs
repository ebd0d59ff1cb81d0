//! `cors-policy trust FILE [--policy NAME] [--format text|json]`: exactly whom each policy
//! trusts.
//!
//! For every policy: credentials, then each `allow_origins` entry as written with its trust set
//! (the compiler's [`cors_policy::trust`] analysis: one line per scheme and site, with the
//! hosts and ports the entry admits), then methods, request headers, exposed headers, `max_age`
//! and Private Network Access. Sites are registrable domains under the Public Suffix List the
//! compiler ships; its version is printed first.
//!
//! Exit status: 0 the trust is printed, 1 the file has errors (its diagnostics are printed:
//! on stderr for text, in the document for JSON, and no trust is reported), 2 the file cannot
//! be read (CORS052, reported the same way) or a usage error (an unknown `--policy`).
//!
//! `--format json` prints one document on one line:
//!
//! ```text
//! {"file": "cors.yaml", "psl": "psl 2.1.247",
//!  "policies": [{"name": "admin" | null, "credentials": bool,
//!                "origins": [{"entry": "https://*.example.com",
//!                             "kind": "exact" | "pattern" | "regex" | "any",
//!                             "trust": [{"scheme": "https",
//!                                        "site": {"kind": "domain" | "public-suffix" | "ip" | "loopback" | "opaque",
//!                                                 "name": "example.com"},
//!                                        "hosts": {"listed": ["app.example.com"]} | {"beneath": "example.com", "apex": bool},
//!                                        "ports": {"default": bool, "listed": [8443], "any": bool},
//!                                        "insecure": bool, "example": "https://x.example.com"}]}],
//!                "methods": {"any": bool, "listed": ["PUT"]},
//!                "allow_headers": {"any": bool, "listed": ["content-type"]},
//!                "expose_headers": {"any": bool, "listed": ["x-request-id"]},
//!                "max_age": 600 | null, "private_network": bool}],
//!  "diagnostics": [{"severity", "code", "message", "file", "line", "column", "help"}]}
//! ```
//!
//! A `*` entry has `"trust": []`: it admits every origin (and a policy with it has no
//! credentials). `methods` never lists GET, HEAD or POST, which CORS always allows; `*` in
//! `allow_headers` never covers `authorization`, which is listed when it is allowed too.
//! `diagnostics` holds every finding of the file (as `cors-policy check --format json` prints
//! them); `policies` is empty when one of them is an error.

use crate::check::JsonDiagnostic;
use crate::input;
use crate::output::Streams;
use crate::report::{self, escape_controls, Finding};
use crate::Failure;
use cors_policy::compiled::Policy as CompiledPolicy;
use cors_policy::compiled::{AllowHeaders, AllowMethods};
use cors_policy::trust::{EntryKind, EntryTrust, Hosts, Ports, Site, TrustItem};
use cors_policy::{Compilation, Severity};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `trust`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy file; `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Only the policy of this name (of a file with several named policies).
    #[arg(long, value_name = "NAME")]
    policy: Option<String>,
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text)]
    format: Format,
    /// Same as `--format json`.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    #[command(flatten)]
    runtime: crate::runtime::RuntimeArgs,
}

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One block per policy, one line per trust item.
    Text,
    /// `{"file","psl","policies","diagnostics"}` on one line.
    Json,
}

/// A policy file, read and compiled.
pub struct Loaded {
    /// The name to print (see [`input::Source::name`]).
    pub name: String,
    /// The file's text, lossily decoded, for source lines in diagnostics.
    pub text: String,
    /// Its policies and diagnostics.
    pub compilation: Compilation,
}

/// Reads and compiles the policy file at `path` (`-`: standard input): YAML, or the policy
/// under `config_key` of a JSON or TOML configuration (by the file's extension).
pub fn load(path: &PathBuf, config_key: Option<&str>) -> std::io::Result<Loaded> {
    let source = input::read(path)?;
    let compilation = if crate::runtime::is_config(&source.name) {
        crate::runtime::compile_config(&source.name, &source.bytes, config_key)
            .map_err(|message| std::io::Error::new(std::io::ErrorKind::InvalidData, message))?
    } else {
        Compilation::from_parsed(cors_policy::yaml::parse_bytes(&source.bytes))
    };
    let text = String::from_utf8_lossy(&source.bytes).into_owned();
    Ok(Loaded { name: source.name, text, compilation })
}

/// Renders every error of `loaded` on stderr, rustc-style, as `explain` does.
pub fn print_errors(streams: &mut Streams, loaded: &Loaded) {
    for diagnostic in loaded.compilation.diagnostics.iter().filter(|d| d.is_error()) {
        let _ = writeln!(streams.err, "{}\n", report::render(&diagnostic.into(), &loaded.name, &loaded.text));
    }
}

/// Prints the trust of the file's policies.
pub fn run(args: Args, streams: &mut Streams) -> Result<ExitCode, Failure> {
    let format = if args.json { Format::Json } else { args.format };
    let psl = cors_policy::psl::list().version();
    let loaded = match load(&args.file, args.runtime.config_key.as_deref()) {
        Ok(loaded) => loaded,
        Err(error) => {
            let name = input::name(&args.file);
            let finding = Finding::unreadable(&name, &error);
            match format {
                Format::Text => {
                    let _ = writeln!(streams.err, "{}\n", report::render(&finding, &name, ""));
                }
                Format::Json => {
                    let document = Document {
                        file: &name,
                        psl,
                        policies: Vec::new(),
                        diagnostics: vec![JsonDiagnostic::new(&finding, &name)],
                    };
                    write_json(streams, &document)?;
                }
            }
            return Ok(ExitCode::from(2));
        }
    };
    let compilation = &loaded.compilation;
    if compilation.has_errors() {
        match format {
            Format::Text => {
                print_errors(streams, &loaded);
                let errors = compilation.diagnostics.iter().filter(|d| d.is_error()).count();
                let file = escape_controls(&loaded.name);
                streams.error_line(&format!(
                    "{file}: {errors} error(s); trust is reported only for a file without errors"
                ));
            }
            Format::Json => {
                let findings: Vec<Finding> = compilation.diagnostics.iter().map(Finding::from).collect();
                let document = Document {
                    file: &loaded.name,
                    psl,
                    policies: Vec::new(),
                    diagnostics: findings.iter().map(|f| JsonDiagnostic::new(f, &loaded.name)).collect(),
                };
                write_json(streams, &document)?;
            }
        }
        return Ok(ExitCode::from(1));
    }
    let policies: Vec<&CompiledPolicy> = match &args.policy {
        None => compilation.policies.iter().collect(),
        Some(name) => match compilation.policies.iter().find(|t| t.name.as_deref() == Some(name.as_str())) {
            Some(tables) => vec![tables],
            None => {
                let names: Vec<_> = compilation.policies.iter().filter_map(|t| t.name.as_deref()).collect();
                let file = escape_controls(&loaded.name);
                let name = escape_controls(name);
                return Err(Failure::Usage(if names.is_empty() {
                    format!("`{file}` has no policy `{name}`: its only policy has no name (omit --policy)")
                } else {
                    format!("`{file}` has no policy `{name}`; it has: {}", escape_controls(&names.join(", ")))
                }));
            }
        },
    };
    // The members of tenant sets, from `--tenants` lists, as the trust of their entries.
    let mut filled = Vec::with_capacity(policies.len());
    for tables in &policies {
        let mut runtime = args.runtime.clone();
        let named =
            tables.tenant_sets().map(|s| s.names.view().iter().map(str::to_owned).collect::<Vec<_>>());
        runtime.tenants.retain(|(name, _)| named.as_ref().is_some_and(|n| n.contains(name)));
        let lists = crate::runtime::TenantLists::load(tables, &runtime)?;
        for refused in &lists.refused {
            for line in refused.lines() {
                let _ = writeln!(streams.err, "warning: {line}");
            }
        }
        let mut tables = (*tables).clone();
        lists.fill_trust(&mut tables.trust);
        filled.push(tables);
    }
    if let Some((name, _)) = args.runtime.tenants.iter().find(|(name, _)| {
        !filled.iter().any(|t| t.tenant_sets().is_some_and(|s| s.names.view().iter().any(|n| n == name)))
    }) {
        return Err(Failure::Usage(format!("no policy names the tenant set `{}`", escape_controls(name))));
    }
    let policies: Vec<&CompiledPolicy> = filled.iter().collect();
    match format {
        Format::Text => {
            let warnings = compilation.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
            let mut text =
                format!("{}: sites by the Public Suffix List {psl}\n", escape_controls(&loaded.name));
            for tables in policies {
                text.push('\n');
                text.push_str(&policy_text(tables));
            }
            if warnings > 0 {
                let file = escape_controls(&loaded.name);
                let _ = write!(text, "\n{warnings} warning(s): see `cors-policy check {file}`\n");
            }
            streams.out.write_all(text.as_bytes())?;
        }
        Format::Json => {
            let findings: Vec<Finding> = compilation.diagnostics.iter().map(Finding::from).collect();
            let document = Document {
                file: &loaded.name,
                psl,
                policies: policies.into_iter().map(PolicyJson::new).collect(),
                diagnostics: findings.iter().map(|f| JsonDiagnostic::new(f, &loaded.name)).collect(),
            };
            write_json(streams, &document)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `value` as JSON on one line.
pub fn write_json(streams: &mut Streams, value: &impl Serialize) -> Result<(), Failure> {
    serde_json::to_writer(&mut streams.out, value).map_err(std::io::Error::from)?;
    writeln!(streams.out)?;
    Ok(())
}

/// The heading of a policy: "policy `admin`", or "unnamed policy".
pub fn policy_title(name: Option<&str>) -> String {
    match name {
        Some(name) => format!("policy `{}`", escape_controls(name)),
        None => "unnamed policy".to_owned(),
    }
}

/// One trust item as a line: `https  app.example.com  (registrable domain example.com)  default port`.
pub fn item_text(item: &TrustItem) -> String {
    let mut line = format!(
        "{}  {}  ({})  {}",
        escape_controls(&item.scheme),
        escape_controls(&item.hosts.to_string()),
        escape_controls(&item.site.to_string()),
        item.ports
    );
    if item.is_insecure() {
        line.push_str("  [insecure scheme: a network attacker can forge this origin]");
    }
    line
}

/// The text block of one policy.
fn policy_text(tables: &CompiledPolicy) -> String {
    let mut out = format!("{}\n", policy_title(tables.name.as_deref()));
    let credentials = if tables.allow_credentials {
        "yes (cookies and HTTP authentication are sent, and responses to them readable)"
    } else {
        "no"
    };
    let _ = writeln!(out, "credentials: {credentials}");
    out.push_str("origins:\n");
    for entry in entries_as_written(tables) {
        let _ = writeln!(out, "  {}  ({})", escape_controls(&entry.entry), entry_kind(entry.kind));
        if entry.kind == EntryKind::Any {
            out.push_str("    every origin (never with credentials)\n");
        }
        if entry.kind == EntryKind::Tenants && entry.items.is_empty() {
            let secure = if tables.allow_credentials { ", https (or loopback) only" } else { "" };
            let _ = writeln!(
                out,
                "    exact origins inserted at run time, each checked as a literal entry{secure}"
            );
        }
        for item in &entry.items {
            let _ = writeln!(out, "    {}", item_text(item));
        }
    }
    let methods = match &tables.allow_methods {
        AllowMethods::Any => "* (any method)".to_owned(),
        AllowMethods::List(list) if list.ends.is_empty() => "none beyond GET, HEAD and POST".to_owned(),
        AllowMethods::List(list) => list_items(list).join(", "),
    };
    let _ = writeln!(
        out,
        "methods: {methods}  (GET, HEAD and POST are always allowed: CORS never preflights them)"
    );
    let headers = match &tables.allow_headers {
        AllowHeaders::Any { authorization: false } => "* (any header but authorization)".to_owned(),
        AllowHeaders::Any { authorization: true } => "*, authorization (any header)".to_owned(),
        AllowHeaders::List(list) if list.ends.is_empty() => "none beyond the CORS-safelisted ones".to_owned(),
        AllowHeaders::List(list) => list_items(list).join(", "),
    };
    let _ = writeln!(out, "request headers: {headers}");
    let exposed = match tables.expose_headers.as_deref() {
        None => "none beyond the CORS-safelisted ones".to_owned(),
        Some("*") => "* (every header)".to_owned(),
        Some(list) => list.split(',').collect::<Vec<_>>().join(", "),
    };
    let _ = writeln!(out, "exposed headers: {exposed}");
    let max_age = match &tables.max_age {
        Some(seconds) => format!("{seconds} s"),
        None => "not sent (browsers cache a preflight for 5 s)".to_owned(),
    };
    let _ = writeln!(out, "max_age: {max_age}");
    let private_network = if tables.allow_private_network { "yes" } else { "no" };
    let _ = writeln!(out, "private network: {private_network}");
    match &tables.write_protection {
        None => out.push_str(
            "writes: not protected (cross-origin form POSTs and no-cors requests reach the handlers)\n",
        ),
        Some(writes) => {
            let readers =
                if writes.allow_origins_write { "the origins above, " } else { "no origin of `*`, " };
            let _ = writeln!(out, "writes: protected; cross-origin writers: {readers}and:");
            for entry in &writes.write_trust {
                let _ = writeln!(
                    out,
                    "  {}  ({}, write only)",
                    escape_controls(&entry.entry),
                    entry_kind(entry.kind)
                );
                for item in &entry.items {
                    let _ = writeln!(out, "    {}", item_text(item));
                }
            }
            if writes.write_trust.is_empty() {
                out.push_str("  (no write_origins)\n");
            }
            for path in list_items(&writes.exempt_paths) {
                let _ = writeln!(out, "  not checked: {}", escape_controls(path));
            }
            if let Some(host) = &writes.public_host {
                let _ = writeln!(out, "  public host: {}", escape_controls(host));
            }
        }
    }
    out
}

/// The `allow_origins` entries of a policy in the order of the file (the compiler keeps exact
/// origins, patterns and regexes apart).
pub fn entries_as_written(tables: &CompiledPolicy) -> Vec<&EntryTrust> {
    tables.trust.iter().collect()
}

/// The strings of an `OwnedStrList`.
pub fn list_items(list: &cors_policy::tables::OwnedStrList) -> Vec<&str> {
    let mut start = 0;
    list.ends
        .iter()
        .map(|&end| {
            let item = &list.text[start..end as usize];
            start = end as usize;
            item
        })
        .collect()
}

/// The `--format json` document, in this key order.
#[derive(Serialize)]
struct Document<'a> {
    file: &'a str,
    psl: &'a str,
    policies: Vec<PolicyJson<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// One policy in JSON.
#[derive(Serialize)]
struct PolicyJson<'a> {
    name: Option<&'a str>,
    credentials: bool,
    origins: Vec<EntryJson<'a>>,
    methods: NamesJson<'a>,
    allow_headers: NamesJson<'a>,
    expose_headers: NamesJson<'a>,
    /// Seconds; `null` when no `Access-Control-Max-Age` is sent.
    max_age: Option<u64>,
    private_network: bool,
}

impl<'a> PolicyJson<'a> {
    fn new(tables: &'a CompiledPolicy) -> Self {
        let methods = match &tables.allow_methods {
            AllowMethods::Any => NamesJson { any: true, listed: Vec::new() },
            AllowMethods::List(list) => NamesJson { any: false, listed: list_items(list) },
        };
        let allow_headers = match &tables.allow_headers {
            AllowHeaders::Any { authorization } => NamesJson {
                any: true,
                listed: if *authorization { vec!["authorization"] } else { Vec::new() },
            },
            AllowHeaders::List(list) => NamesJson { any: false, listed: list_items(list) },
        };
        let expose_headers = match tables.expose_headers.as_deref() {
            None => NamesJson { any: false, listed: Vec::new() },
            Some("*") => NamesJson { any: true, listed: Vec::new() },
            Some(list) => NamesJson { any: false, listed: list.split(',').collect() },
        };
        PolicyJson {
            name: tables.name.as_deref(),
            credentials: tables.allow_credentials,
            origins: entries_as_written(tables).into_iter().map(EntryJson::new).collect(),
            methods,
            allow_headers,
            expose_headers,
            max_age: tables.max_age.as_deref().and_then(|s| s.parse().ok()),
            private_network: tables.allow_private_network,
        }
    }
}

/// `*` and a list of names.
#[derive(Serialize)]
struct NamesJson<'a> {
    any: bool,
    listed: Vec<&'a str>,
}

/// One `allow_origins` entry in JSON.
#[derive(Serialize)]
struct EntryJson<'a> {
    entry: &'a str,
    kind: &'static str,
    trust: Vec<ItemJson<'a>>,
}

impl<'a> EntryJson<'a> {
    fn new(entry: &'a EntryTrust) -> Self {
        EntryJson {
            entry: &entry.entry,
            kind: entry_kind(entry.kind),
            trust: entry.items.iter().map(ItemJson::new).collect(),
        }
    }
}

/// The JSON name of an entry kind.
pub fn entry_kind(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Any => "any",
        EntryKind::Exact => "exact",
        EntryKind::Pattern => "pattern",
        EntryKind::Regex => "regex",
        EntryKind::Tenants => "tenants",
    }
}

/// One trust item in JSON (also used by `diff`).
#[derive(Serialize)]
pub struct ItemJson<'a> {
    scheme: &'a str,
    site: SiteJson<'a>,
    hosts: HostsJson<'a>,
    ports: PortsJson,
    insecure: bool,
    /// One origin the item admits; `None` (omitted) for the parts of an item `diff` reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<&'a str>,
}

impl<'a> ItemJson<'a> {
    /// The JSON of `item`, with its example origin.
    pub fn new(item: &'a TrustItem) -> Self {
        ItemJson { example: Some(&item.example), ..Self::without_example(item) }
    }

    /// The JSON of `item`, without its example origin.
    pub fn without_example(item: &'a TrustItem) -> Self {
        let site_kind = match item.site {
            Site::Domain(_) => "domain",
            Site::PublicSuffix(_) => "public-suffix",
            Site::Ip(_) => "ip",
            Site::Loopback(_) => "loopback",
            Site::Opaque(_) => "opaque",
        };
        ItemJson {
            scheme: &item.scheme,
            site: SiteJson { kind: site_kind, name: item.site.name() },
            hosts: match &item.hosts {
                Hosts::Listed(hosts) => {
                    HostsJson::Listed { listed: hosts.iter().map(String::as_str).collect() }
                }
                Hosts::Beneath { parent, apex } => HostsJson::Beneath { beneath: parent, apex: *apex },
            },
            ports: PortsJson::new(&item.ports),
            insecure: item.is_insecure(),
            example: None,
        }
    }
}

#[derive(Serialize)]
struct SiteJson<'a> {
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum HostsJson<'a> {
    Listed { listed: Vec<&'a str> },
    Beneath { beneath: &'a str, apex: bool },
}

#[derive(Serialize)]
struct PortsJson {
    default: bool,
    listed: Vec<u16>,
    any: bool,
}

impl PortsJson {
    fn new(ports: &Ports) -> Self {
        PortsJson { default: ports.default, listed: ports.listed.iter().copied().collect(), any: ports.any }
    }
}
