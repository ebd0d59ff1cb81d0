//! What a server loads at run time, for `explain` and `trust`: a policy inside the
//! application's own JSON or TOML configuration, and the members of its tenant sets from list
//! files, each checked as the runtime checks an insert.

use crate::report::escape_controls;
use crate::Failure;
use cors_policy::compiled::Policy as CompiledPolicy;
use cors_policy::config::PolicyConfig;
use cors_policy::trust::{EntryKind, EntryTrust};
use cors_policy::valid::check_tenant_origin;
use cors_policy::{Compilation, Diagnostic};
use cors_policy_core::TenantLookup;
use std::path::PathBuf;

/// The arguments `explain` and `trust` share for policies loaded at run time.
#[derive(Debug, Clone, clap::Args)]
pub struct RuntimeArgs {
    /// Where the policy sits in a JSON or TOML configuration file (FILE ending in `.json` or
    /// `.toml`): a dotted path such as `server.cors`; the whole file when absent.
    #[arg(long, value_name = "PATH")]
    pub config_key: Option<String>,
    /// The members of the tenant set NAME, one origin per line (blank lines and `#` comments
    /// are skipped), each checked as `TenantOrigins::insert` checks it. Repeat for each set.
    #[arg(long = "tenants", value_name = "NAME=FILE", value_parser = parse_tenants)]
    pub tenants: Vec<(String, PathBuf)>,
}

fn parse_tenants(arg: &str) -> Result<(String, PathBuf), String> {
    match arg.split_once('=') {
        Some((name, file)) if !name.is_empty() && !file.is_empty() => {
            Ok((name.to_owned(), PathBuf::from(file)))
        }
        _ => Err("write `--tenants NAME=FILE`, e.g. `--tenants customer-domains=tenants.txt`".into()),
    }
}

/// The kind of file a path names, by its extension.
pub fn is_config(name: &str) -> bool {
    name.ends_with(".json") || name.ends_with(".toml")
}

/// Compiles the policy of a JSON or TOML configuration, under `key`, as
/// `OwnedPolicy::from_config` does.
pub fn compile_config(name: &str, bytes: &[u8], key: Option<&str>) -> Result<Compilation, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8"))?;
    // One value model for both formats, so that `config_key` is walked once.
    let mut value: serde_json::Value = if name.ends_with(".toml") {
        toml::from_str(text).map_err(|e| format!("{name}: {e}"))?
    } else {
        serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?
    };
    for part in key.into_iter().flat_map(|k| k.split('.')) {
        value = value
            .get_mut(part)
            .map(serde_json::Value::take)
            .ok_or_else(|| format!("{name}: no key `{part}`"))?;
    }
    let config: PolicyConfig = serde_json::from_value(value).map_err(|e| format!("{name}: {e}"))?;
    let (policies, diagnostics) = match config.compile(None) {
        Ok(policy) => (vec![policy], config.diagnostics()),
        Err(diagnostics) => (Vec::new(), diagnostics),
    };
    Ok(Compilation { policies, diagnostics })
}

/// One line of a tenant list that an insert would refuse.
pub struct RefusedLine {
    /// The list file.
    pub file: String,
    /// Its 1-based line.
    pub line: usize,
    /// The origin written there.
    pub origin: String,
    /// Why, as the runtime says it.
    pub diagnostics: Vec<Diagnostic>,
}

impl RefusedLine {
    /// `file:line: [CODE] message (help: ...)`, one per diagnostic.
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.diagnostics.iter().map(|d| {
            let help = d.help.as_ref().map_or(String::new(), |h| format!(" (help: {h})"));
            format!(
                "{}:{}: `{}` refused: [{}] {}{help}",
                escape_controls(&self.file),
                self.line,
                escape_controls(&self.origin),
                d.check.code(),
                d.message
            )
        })
    }
}

/// The members of a policy's tenant sets, in the order the policy names them.
#[derive(Default)]
pub struct TenantLists {
    /// Per set: its name and the members an insert accepts.
    pub sets: Vec<(String, Vec<String>)>,
    /// The lines an insert refuses.
    pub refused: Vec<RefusedLine>,
}

impl TenantLookup for TenantLists {
    fn contains(&self, set: usize, origin: &[u8]) -> bool {
        self.sets.get(set).is_some_and(|(_, members)| members.iter().any(|m| m.as_bytes() == origin))
    }
}

impl TenantLists {
    /// Reads the list of each `--tenants` set of `policy`.
    ///
    /// # Errors
    ///
    /// A usage error for a set the policy does not name, or a list that cannot be read.
    pub fn load(policy: &CompiledPolicy, args: &RuntimeArgs) -> Result<Self, Failure> {
        let (names, rules) = match policy.tenant_sets() {
            Some(sets) => (sets.names.view().iter().map(str::to_owned).collect::<Vec<_>>(), sets.rules()),
            None => (Vec::new(), Default::default()),
        };
        if let Some((name, _)) = args.tenants.iter().find(|(name, _)| !names.contains(name)) {
            return Err(Failure::Usage(format!(
                "the policy names no tenant set `{}` (its sets: {})",
                escape_controls(name),
                if names.is_empty() { "none".to_owned() } else { names.join(", ") }
            )));
        }
        let mut lists = TenantLists::default();
        for name in names {
            let mut members = Vec::new();
            for (_, path) in args.tenants.iter().filter(|(n, _)| *n == name) {
                let file = path.display().to_string();
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Failure::Usage(format!("{}: {e}", escape_controls(&file))))?;
                for (index, line) in text.lines().enumerate() {
                    let origin = line.split('#').next().unwrap_or("").trim();
                    if origin.is_empty() {
                        continue;
                    }
                    match check_tenant_origin(origin, rules) {
                        Ok(origin) => members.push(origin.to_owned()),
                        Err(diagnostics) => lists.refused.push(RefusedLine {
                            file: file.clone(),
                            line: index + 1,
                            origin: origin.to_owned(),
                            diagnostics,
                        }),
                    }
                }
            }
            lists.sets.push((name, members));
        }
        Ok(lists)
    }

    /// The tenant entries of `trust`, with the members as exact origins.
    pub fn fill_trust(&self, trust: &mut [EntryTrust]) {
        for entry in trust.iter_mut().filter(|e| e.kind == EntryKind::Tenants) {
            let Some((_, members)) =
                self.sets.iter().find(|(name, _)| entry.entry == format!("tenants: {name}"))
            else {
                continue;
            };
            for member in members {
                let mut scratch = Vec::new();
                let span = cors_policy::Span::Key { key: "allow_origins", item: None };
                if let Some(cors_policy::origin::OriginSpec::Exact(origin)) =
                    cors_policy::origin::parse(member, span, &mut scratch)
                {
                    entry.items.push(cors_policy::trust::of_origin(&origin));
                }
            }
        }
    }

    /// Why `origin` is refused although a list has it, if it does.
    pub fn refused_line(&self, origin: &[u8]) -> Option<&RefusedLine> {
        self.refused.iter().find(|r| r.origin.as_bytes() == origin)
    }
}
