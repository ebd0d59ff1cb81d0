//! The checks: turns a [`PolicyAst`] into a [`compiled::Policy`], reporting every insecure or
//! ineffective setting of the catalog at once.

use crate::ast::{OriginEntry, PolicyAst, Spanned, SpannedList};
use crate::catalog::Check;
use crate::compiled::{
    self, AllowHeaders, AllowMethods, AllowOrigins, OriginMatcher, OriginPattern, PatternTable, TenantSets,
};
use crate::diagnostic::{has_errors, Diagnostic, Span};
use crate::origin::{self, OriginSpec};
use crate::regex;
use crate::tables::{OriginTable, OwnedStrList};
use crate::trust::{self, EntryKind, EntryTrust, TrustItem};
use cors_policy_core::fetch::{
    is_forbidden_method, CORS_REQUEST_ONLY_HEADERS, CORS_RESPONSE_HEADERS, FORBIDDEN_REQUEST_HEADERS,
    NORMALIZED_METHODS, SAFELISTED_METHODS, SAFELISTED_REQUEST_HEADERS, SAFELISTED_RESPONSE_HEADERS,
};
use cors_policy_core::{is_token, PortPattern};
use std::collections::HashMap;

/// What one check found: the value it checked, unless it found an error, and every diagnostic.
/// Whether there is an error is read off the diagnostics themselves, never kept on the side.
struct Checked<T> {
    value: Option<T>,
    diagnostics: Vec<Diagnostic>,
}

/// The diagnostics of the check being run.
#[derive(Default)]
struct Findings(Vec<Diagnostic>);

impl Findings {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Everything `other` found, as this check's own.
    fn take<T>(&mut self, other: Checked<T>) -> Option<T> {
        self.0.extend(other.diagnostics);
        other.value
    }

    /// The check's result: `value` if no diagnostic is an error.
    fn result<T>(self, value: impl FnOnce() -> T) -> Checked<T> {
        let value = (!has_errors(&self.0)).then(value);
        Checked { value, diagnostics: self.0 }
    }

    /// The check's result when its input could not be used at all (the front end reported
    /// why, or a diagnostic here does).
    fn unusable<T>(self) -> Checked<T> {
        Checked { value: None, diagnostics: self.0 }
    }
}

impl std::ops::Deref for Findings {
    type Target = Vec<Diagnostic>;
    fn deref(&self) -> &Vec<Diagnostic> {
        &self.0
    }
}

impl std::ops::DerefMut for Findings {
    fn deref_mut(&mut self) -> &mut Vec<Diagnostic> {
        &mut self.0
    }
}

/// Runs every check on `policy`. Returns the checked policy when there is no error, and every
/// diagnostic (errors, warnings, notes) found.
pub fn check(policy: &PolicyAst) -> (Option<compiled::Policy>, Vec<Diagnostic>) {
    let mut out = Findings::default();
    let credentials = policy.allow_credentials.as_ref().is_some_and(|c| c.value);
    let origins = out.take(check_origins(policy, credentials));
    let methods = out.take(check_methods(policy.allow_methods.as_ref(), credentials));
    let headers = out.take(check_allow_headers(policy.allow_headers.as_ref(), credentials));
    let expose_headers = out.take(check_expose_headers(policy.expose_headers.as_ref(), credentials));
    let max_age = policy.max_age.as_ref().map(|m| out.take(check_max_age(m)));
    let private_network = out.take(check_private_network(policy));
    let preflight_status = out.take(check_preflight_status(policy.preflight_status.as_ref()));
    let any_origin = matches!(&origins, Some((AllowOrigins::Any, _)));
    let write_protection = out.take(check_write_protection(policy, credentials, any_origin));
    allow_warnings(policy, &mut out);

    let checked = (|| {
        if has_errors(&out) {
            return None;
        }
        let (allow_origins, trust) = origins?;
        Some(compiled::Policy {
            name: policy.name.as_ref().map(|n| n.value.clone()),
            allow_origins,
            allow_methods: methods?,
            allow_headers: headers?,
            allow_credentials: credentials,
            expose_headers: expose_headers?,
            max_age: match max_age {
                None => None,
                Some(seconds) => Some(seconds?.to_string()),
            },
            allow_private_network: private_network?,
            preflight_status: preflight_status?,
            write_protection: write_protection?,
            trust,
        })
    })();
    (checked, out.0)
}

/// `protect_writes` and its keys: `write_origins` (checked as `allow_origins` is),
/// `write_exempt_paths` and `public_host`.
fn check_write_protection(
    policy: &PolicyAst,
    credentials: bool,
    any_origin: bool,
) -> Checked<Option<compiled::WriteProtection>> {
    let mut out = Findings::default();
    let on = policy.protect_writes.as_ref().filter(|p| p.value);
    if on.is_none() {
        let stray = [
            policy.write_origins.as_ref().map(|l| ("write_origins", l.span)),
            policy.write_exempt_paths.as_ref().map(|l| ("write_exempt_paths", l.span)),
            policy.public_host.as_ref().map(|h| ("public_host", h.span)),
        ];
        for (key, span) in stray.into_iter().flatten() {
            out.push(
                Diagnostic::error(
                    Check::WriteSettingWithoutProtection,
                    span,
                    format!("`{key}` does nothing without `protect_writes: true`"),
                )
                .with_help("add `protect_writes: true`, or remove the key"),
            );
        }
        return out.result(|| None);
    }
    if let (Some(on), true) = (on, any_origin) {
        out.push(
            Diagnostic::warning(
                Check::AnyOriginWrites,
                on.span,
                "`*` lets every origin read, but it is no list of writers: with protect_writes, only same-origin requests and `write_origins` may write",
            )
            .with_help("list the origins that may write cross-origin in `write_origins`, if any"),
        );
    }
    let write_origins = match policy.write_origins.as_ref().filter(|l| !l.value.is_empty()) {
        None => Some((
            OriginMatcher {
                exact: OriginTable::build(&[]),
                patterns: PatternTable::default(),
                regex: None,
                tenants: TenantSets::default(),
            },
            Vec::new(),
        )),
        Some(list) => {
            match out.take(check_origin_list(policy, list, credentials, Tenants::Refused)) {
                Some((AllowOrigins::Listed(matcher), trust)) => Some((matcher, trust)),
                Some((AllowOrigins::Any, _)) => {
                    out.push(
                    Diagnostic::error(Check::AnyOriginWrites, list.span, "`*` in write_origins trusts every origin to write, which turns the protection off")
                        .with_help("list the origins that may write, or remove `protect_writes`"),
                );
                    None
                }
                None => None,
            }
        }
    };
    let mut paths: Vec<String> = Vec::new();
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for path in policy.write_exempt_paths.iter().flat_map(|l| &l.value) {
        let text = path.value.as_str();
        if let Some(why) = exempt_path_problem(text) {
            out.push(
                Diagnostic::error(
                    Check::InvalidWriteExemptPath,
                    path.span,
                    format!("`{}` {why}", text.escape_debug()),
                )
                .with_help(
                    "write an exact path such as `/webhooks/stripe`, or a prefix such as `/webhooks/*`",
                ),
            );
            continue;
        }
        if let Some(first) = seen.get(text) {
            out.push(duplicate(path.span, "path", text, *first));
            continue;
        }
        seen.insert(text, path.span);
        paths.push(text.to_owned());
    }
    let public_host = policy.public_host.as_ref().and_then(|host| {
        let mut scratch = Vec::new();
        let written = format!("https://{}", host.value);
        let clean = origin::parse(&written, host.span, &mut scratch).is_some() && scratch.iter().all(|d| !d.is_error());
        let plain = !host.value.contains("://") && !host.value.contains('*');
        if clean && plain {
            Some(host.value.clone())
        } else {
            out.push(
                Diagnostic::error(
                    Check::InvalidPublicHost,
                    host.span,
                    format!("`{}` is no `host[:port]` as browsers send it in `Origin`", host.value.escape_debug()),
                )
                .with_help("write the public host alone, lowercase, with a port only if it is not the default: `shop.example.com`"),
            );
            None
        }
    });
    match write_origins {
        Some((write_origins, write_trust)) => out.result(|| {
            Some(compiled::WriteProtection {
                allow_origins_write: !any_origin,
                write_origins,
                exempt_paths: OwnedStrList::new(&paths),
                public_host,
                write_trust,
            })
        }),
        None => out.unusable(),
    }
}

/// Why a `write_exempt_paths` entry cannot be matched as the user means it, if it cannot.
fn exempt_path_problem(path: &str) -> Option<&'static str> {
    let body = path.strip_suffix("/*").unwrap_or(path);
    if !path.starts_with('/') {
        Some("does not start with `/`")
    } else if path.bytes().any(|b| !(0x21..0x7f).contains(&b)) {
        Some("has a space, a control character or a non-ASCII byte; request targets send such bytes percent-encoded")
    } else if path.contains(['?', '#']) {
        Some("has a query or a fragment, which is not part of the path")
    } else if body.contains('*') {
        Some("has a `*` that is not a trailing `/*`")
    } else if body.contains("//") || body.split('/').any(|segment| segment == "." || segment == "..") {
        Some("is not normalized (`//`, `.` or `..` segments), so a proxy may send it differently")
    } else {
        None
    }
}

fn check_preflight_status(status: Option<&Spanned<i64>>) -> Checked<u16> {
    let mut out = Findings::default();
    match status {
        None => out.result(|| 204),
        Some(status) if (200..=299).contains(&status.value) => out.result(|| status.value as u16),
        Some(status) => {
            out.push(
                Diagnostic::error(
                    Check::InvalidPreflightStatus,
                    status.span,
                    format!("preflight_status {} is not a 2xx status; browsers fail every preflight answered with it", status.value),
                )
                .with_help("remove the key to answer 204, or write 200 for old clients that expect it"),
            );
            out.unusable()
        }
    }
}

/// `allow_origins`, with the trust set of every entry in the order written.
fn check_origins(policy: &PolicyAst, credentials: bool) -> Checked<(AllowOrigins, Vec<EntryTrust>)> {
    let mut out = Findings::default();
    let Some(list) = policy.allow_origins.as_ref().filter(|l| !l.value.is_empty()) else {
        let span = policy.allow_origins.as_ref().map_or(policy.span, |l| l.span);
        out.push(
            Diagnostic::error(Check::EmptyOriginList, span, "allow_origins is missing or empty, so no origin would be allowed")
                .with_help("list the origins of the pages that call this API, e.g. `allow_origins: [\"https://app.example.com\"]`"),
        );
        return out.unusable();
    };
    check_origin_list(policy, list, credentials, Tenants::Allowed)
}

/// Whether a list may name tenant sets: `allow_origins` may; `write_origins` may not, since
/// tenants write (with `protect_writes`) through `allow_origins`, never more widely.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tenants {
    Allowed,
    Refused,
}

/// One list of origin entries (`allow_origins`, `write_origins`), under the policy's settings.
fn check_origin_list(
    policy: &PolicyAst,
    list: &SpannedList<OriginEntry>,
    credentials: bool,
    tenants_allowed: Tenants,
) -> Checked<(AllowOrigins, Vec<EntryTrust>)> {
    let mut out = Findings::default();
    let insecure_ok = policy.dangerously_allow_insecure_origins.as_ref().is_some_and(|d| d.value);
    let public_suffix_ok =
        policy.dangerously_allow_public_suffix_subdomains.as_ref().is_some_and(|d| d.value);

    let mut any: Option<Span> = None;
    let mut exact: Vec<String> = Vec::new();
    let mut patterns = Vec::new();
    let mut regexes = Vec::new();
    // First place each origin text was written: a map, so long lists cost linear time.
    let mut seen: HashMap<&str, Span> = HashMap::new();
    // An entry the front end could not read (and reported): the list is not what was meant.
    let mut unreadable = false;
    // Trust sets in the order the entries are written, regexes (analysed together) included.
    let mut ordered: Vec<(usize, EntryTrust)> = Vec::new();
    let mut regex_positions = Vec::new();
    let mut tenant_sets: Vec<String> = Vec::new();
    let mut tenant_spans: HashMap<&str, Span> = HashMap::new();
    for (position, entry) in list.value.iter().enumerate() {
        let text = match &entry.value {
            OriginEntry::Tenants(name) => {
                if let Some(problem) = tenant_set_problem(name, tenants_allowed) {
                    out.push(
                        Diagnostic::error(Check::InvalidTenantEntry, entry.span, problem.0)
                            .with_help(problem.1),
                    );
                    unreadable = true;
                } else if let Some(first) = tenant_spans.get(name.as_str()) {
                    out.push(duplicate(entry.span, "tenant set", name, *first));
                } else {
                    tenant_spans.insert(name, entry.span);
                    tenant_sets.push(name.clone());
                    ordered.push((
                        position,
                        EntryTrust {
                            entry: format!("tenants: {name}"),
                            kind: EntryKind::Tenants,
                            items: Vec::new(),
                        },
                    ));
                }
                continue;
            }
            OriginEntry::Regex(pattern) => {
                regexes.push(Spanned::new(pattern.clone(), entry.span));
                regex_positions.push(position);
                continue;
            }
            OriginEntry::Literal(text) => text,
            OriginEntry::Unreadable => {
                unreadable = true;
                continue;
            }
        };
        if let Some(first) = seen.get(text.as_str()) {
            out.push(duplicate(entry.span, "origin", text, *first));
            continue;
        }
        seen.insert(text, entry.span);
        let Some(spec) = origin::parse(text, entry.span, &mut out) else {
            continue;
        };
        let (origin, kind) = match spec {
            OriginSpec::Any => {
                any = Some(entry.span);
                ordered.push((
                    position,
                    EntryTrust { entry: text.clone(), kind: EntryKind::Any, items: Vec::new() },
                ));
                continue;
            }
            OriginSpec::Exact(origin) => (origin, EntryKind::Exact),
            OriginSpec::Pattern(origin) => (origin, EntryKind::Pattern),
        };
        ordered.push((
            position,
            EntryTrust { entry: text.clone(), kind, items: vec![trust::of_origin(&origin)] },
        ));
        if !origin.is_secure() {
            if credentials && !insecure_ok {
                out.push(insecure_with_credentials(text, &origin, entry.span));
            } else if !credentials {
                out.push(
                    Diagnostic::info(
                        Check::InsecureOrigin,
                        entry.span,
                        format!(
                            "`{text}` is plain {}: a network attacker can act as this origin",
                            origin.scheme
                        ),
                    )
                    .with_help("prefer https origins"),
                );
            }
        }
        if origin.subdomains {
            // A trailing dot names the same registrable domain (`com.` is `com`).
            let host = origin.host.trim_end_matches('.');
            let list = crate::psl::list();
            let listed = list.is_listed_suffix(host);
            let beneath =
                if listed || origin::is_loopback_host(host) { None } else { list.example_beneath(host) };
            let is_public_suffix = listed || beneath.is_some();
            if is_public_suffix && !public_suffix_ok {
                let message = match &beneath {
                    None => format!("`{}` is a public suffix: anyone can register a host under it, so `{text}` admits attackers' sites", origin.host),
                    Some(suffix) => format!(
                        "`{suffix}` is a public suffix beneath `{}`: anyone can register a host such as `attacker.{suffix}`, and `{text}` admits it, because `*.` matches any number of labels",
                        origin.host
                    ),
                };
                let help = "list your own registrable domain (`https://*.yourapp.example`), or set `dangerously_allow_public_suffix_subdomains: true` if every host under it is yours";
                if credentials {
                    out.push(
                        Diagnostic::error(Check::PublicSuffixWildcard, entry.span, message).with_help(help),
                    );
                } else {
                    out.push(
                        Diagnostic::warning(Check::PublicSuffixWildcard, entry.span, message).with_help(help),
                    );
                }
            } else if credentials {
                out.push(
                    Diagnostic::warning(
                        Check::SubdomainWildcardWithCredentials,
                        entry.span,
                        format!("`{text}` with credentials trusts every subdomain: an XSS or a dangling DNS record (subdomain takeover) on any of them reads your users' data"),
                    )
                    .with_help("list the subdomains that need credentialed access, if you can"),
                );
            }
        }
        match (origin.subdomains, origin.port) {
            (false, PortPattern::Default | PortPattern::Exact(_)) => exact.push(origin.to_text()),
            _ => patterns.push(OriginPattern {
                scheme: origin.scheme,
                host: origin.host,
                subdomains: origin.subdomains,
                port: origin.port,
            }),
        }
    }

    let (regex, regex_trust) = if regexes.is_empty() {
        (None, Vec::new())
    } else {
        let compiled = regex::compile(&regexes, &regex::Limits::default());
        out.extend(compiled.diagnostics);
        (compiled.tables, compiled.trust)
    };
    for ((entry, items), &position) in regexes.iter().zip(&regex_trust).zip(&regex_positions) {
        check_regex_trust(entry, items, credentials, insecure_ok, &mut out);
        ordered.push((
            position,
            EntryTrust { entry: entry.value.clone(), kind: EntryKind::Regex, items: items.clone() },
        ));
    }
    ordered.sort_by_key(|(position, _)| *position);
    let trust: Vec<EntryTrust> = ordered.into_iter().map(|(_, entry)| entry).collect();

    if let Some(span) = any {
        if seen.len() + regexes.len() + tenant_sets.len() > 1 {
            out.push(
                Diagnostic::error(
                    Check::AnyOriginNotAlone,
                    span,
                    "`*` allows every origin, so the other entries of allow_origins mean nothing",
                )
                .with_help("keep `*` alone for a public API, or remove it to allow only the listed origins"),
            );
        }
        if credentials {
            let mut diagnostic = Diagnostic::error(
                Check::WildcardOriginWithCredentials,
                span,
                "`*` cannot be combined with allow_credentials: browsers reject `Access-Control-Allow-Origin: *` on credentialed requests, and echoing any origin instead would let every website read your users' data",
            )
            .with_help("list the origins that need credentials, or set `allow_credentials: false` for a public API");
            if let Some(c) = &policy.allow_credentials {
                diagnostic.message.push_str(&describe("allow_credentials is set at", c.span));
            }
            out.push(diagnostic);
            return out.unusable();
        }
        return if unreadable { out.unusable() } else { out.result(|| (AllowOrigins::Any, trust)) };
    }
    if unreadable {
        return out.unusable();
    }
    let tenants =
        TenantSets { names: OwnedStrList::new(&tenant_sets), secure_only: credentials && !insecure_ok };
    out.result(|| {
        let patterns = PatternTable::new(&patterns);
        (
            AllowOrigins::Listed(OriginMatcher {
                exact: OriginTable::build(&exact),
                patterns,
                regex,
                tenants,
            }),
            trust,
        )
    })
}

/// `CORS005` as an error: a plain-http origin in a policy with credentials.
fn insecure_with_credentials(text: &str, origin: &origin::Origin, span: Span) -> Diagnostic {
    Diagnostic::error(
        Check::InsecureOrigin,
        span,
        format!("`{text}` is plain {} and credentials are allowed: anyone on the network path can inject script into that origin and read your users' credentialed responses", origin.scheme),
    )
    .with_help(format!("use `https://{}`, or set `dangerously_allow_insecure_origins: true` if you accept the risk", &text[origin.scheme.len() + 3..]))
}

/// What is wrong with a `{tenants: name}` entry, if anything: the message and the help.
fn tenant_set_problem(name: &str, allowed: Tenants) -> Option<(String, String)> {
    if allowed == Tenants::Refused {
        return Some((
            format!("`write_origins` cannot name the tenant set `{}`", name.escape_debug()),
            "name it in `allow_origins`: with protect_writes, its members may write as every allowed origin does".into(),
        ));
    }
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.len() <= 64;
    (!valid).then(|| {
        (
            format!("`{}` is no tenant set name", name.escape_debug()),
            "start with a lowercase letter and use only `a-z`, `0-9`, `-` and `_` (at most 64 bytes), e.g. `customer-domains`".into(),
        )
    })
}

/// What a member of a tenant set must pass besides being one exact origin: the rules of the
/// policy that names the set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TenantRules {
    /// Only secure origins (https, or loopback): the policy allows credentials.
    pub secure_only: bool,
}

/// Checks one origin that the application inserts into a tenant set at run time, with the
/// same rules, codes and messages as an origin written in `allow_origins`. Returns the origin
/// (unchanged: a checked origin is already in the one spelling browsers send).
///
/// ```
/// use cors_policy::valid::{check_tenant_origin, TenantRules};
/// let rules = TenantRules { secure_only: true };
/// assert_eq!(check_tenant_origin("https://shop.acme.example", rules).unwrap(), "https://shop.acme.example");
/// let refused = check_tenant_origin("http://shop.acme.example", rules).unwrap_err();
/// assert_eq!(refused[0].check.code(), "CORS005");
/// assert_eq!(check_tenant_origin("https://*.acme.example", rules).unwrap_err()[0].check.code(), "CORS059");
/// ```
///
/// # Errors
///
/// Every error found, as the compiler reports it for a literal entry: `CORS003` for `null`,
/// `CORS005` for a plain-http origin when `secure_only`, the spelling errors of `origin`
/// (a path, a default port, uppercase, a unicode host, ...), and `CORS059` for `*` or a
/// pattern, which a tenant set cannot hold: each member widens trust by exactly one origin.
pub fn check_tenant_origin(text: &str, rules: TenantRules) -> Result<&str, Vec<Diagnostic>> {
    let span = Span::Key { key: "allow_origins", item: None };
    let mut out = Vec::new();
    match origin::parse(text, span, &mut out) {
        Some(OriginSpec::Exact(origin)) if rules.secure_only && !origin.is_secure() => {
            out.push(insecure_with_credentials(text, &origin, span));
        }
        Some(OriginSpec::Exact(_)) => {}
        Some(OriginSpec::Any | OriginSpec::Pattern(_)) => out.push(
            Diagnostic::error(
                Check::InvalidTenantEntry,
                span,
                format!(
                    "`{}` is not one exact origin, and a tenant set holds exact origins only",
                    text.escape_debug()
                ),
            )
            .with_help("insert each origin of the tenant, such as `https://shop.acme.example`"),
        ),
        None => {}
    }
    out.retain(Diagnostic::is_error);
    if out.is_empty() {
        Ok(text)
    } else {
        Err(out)
    }
}

/// `allow_warnings`: each allowed warning of this policy becomes a note that carries the reason,
/// so that `cors-policy check` still shows it to a reviewer and builds stay quiet. Only
/// warnings can be allowed (`CORS054` for an error code, an unknown code or an empty reason),
/// and an allowance that matches nothing is a note, so that stale ones get noticed.
fn allow_warnings(policy: &PolicyAst, out: &mut Vec<Diagnostic>) {
    let Some(list) = &policy.allow_warnings else { return };
    let mut allowed: Vec<(Check, &str, Span)> = Vec::new();
    for entry in &list.value {
        let (code, reason) = (&entry.value.code, &entry.value.reason);
        let invalid = |message: String, help: &str| {
            Diagnostic::error(Check::InvalidAllowedWarning, code.span, message).with_help(help.to_owned())
        };
        let Some(check) = Check::ALL.iter().copied().find(|c| c.code() == code.value) else {
            out.push(invalid(
                format!("`{}` is not a cors-policy check code", code.value.escape_debug()),
                "write a code as `cors-policy check` prints it, such as `CORS006`",
            ));
            continue;
        };
        if !check.severities().contains('W') {
            let why = if check.severities().contains('E') {
                "an error, and errors cannot be allowed"
            } else {
                "only a note already"
            };
            out.push(invalid(
                format!("`{}` ({}) is never a warning: it is {why}", check.code(), check.name()),
                "remove it, and fix what the check reports",
            ));
            continue;
        }
        if reason.value.trim().is_empty() {
            out.push(
                Diagnostic::error(
                    Check::InvalidAllowedWarning,
                    reason.span,
                    format!("allowing `{}` needs a reason", check.code()),
                )
                .with_help(
                    "say why the warning does not apply here; reviewers read it in `cors-policy check`",
                ),
            );
            continue;
        }
        if let Some(&(_, _, first)) = allowed.iter().find(|(c, _, _)| *c == check) {
            out.push(duplicate(code.span, "allowed warning", check.code(), first));
            continue;
        }
        allowed.push((check, &reason.value, code.span));
    }
    for &(check, reason, span) in &allowed {
        let mut used = false;
        for diagnostic in
            out.iter_mut().filter(|d| d.check == check && d.severity == crate::Severity::Warning)
        {
            diagnostic.severity = crate::Severity::Info;
            diagnostic.message = format!("allowed ({reason}): {}", diagnostic.message);
            used = true;
        }
        if !used {
            out.push(
                Diagnostic::info(
                    Check::InvalidAllowedWarning,
                    span,
                    format!("`{}` is allowed, but this policy has no such warning", check.code()),
                )
                .with_help("remove the allowance"),
            );
        }
    }
}

/// `CORS005` for the plain-http origins a regex admits: the rule for literal origins, applied to
/// every item of its trust set.
fn check_regex_trust(
    entry: &Spanned<String>,
    items: &[TrustItem],
    credentials: bool,
    insecure_ok: bool,
    out: &mut Vec<Diagnostic>,
) {
    let Some(item) = items.iter().find(|i| i.is_insecure()) else { return };
    let pattern = &entry.value;
    if credentials && !insecure_ok {
        out.push(
            Diagnostic::error(
                Check::InsecureOrigin,
                entry.span,
                format!("regex `{pattern}` admits `{}`, plain {} with credentials allowed: anyone on the network path can inject script into that origin and read your users' credentialed responses", item.example, item.scheme),
            )
            .with_help("match `https://` only (not `https?://`), or set `dangerously_allow_insecure_origins: true` if you accept the risk"),
        );
    } else if !credentials {
        out.push(
            Diagnostic::info(
                Check::InsecureOrigin,
                entry.span,
                format!(
                    "regex `{pattern}` admits `{}`, plain {}: a network attacker can act as this origin",
                    item.example, item.scheme
                ),
            )
            .with_help("prefer https origins"),
        );
    }
}

/// ` (first at line L, column C)`-style context for file spans; nothing for macro tokens, where
/// the caret already shows the place.
fn describe(what: &str, span: Span) -> String {
    match span.line_column() {
        Some((line, column)) => format!(" ({what} line {line}, column {column})"),
        None => String::new(),
    }
}

fn duplicate(span: Span, what: &str, text: &str, first: Span) -> Diagnostic {
    Diagnostic::warning(
        Check::DuplicateEntry,
        span,
        format!("{what} `{text}` is listed twice{}", describe("first at", first)),
    )
    .with_help("remove the repetition")
}

fn check_methods(list: Option<&SpannedList<String>>, credentials: bool) -> Checked<AllowMethods> {
    let mut out = Findings::default();
    let Some(list) = list else { return out.result(|| AllowMethods::List(OwnedStrList::default())) };
    let mut methods: Vec<String> = Vec::new();
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut any = false;
    for item in &list.value {
        let (text, span) = (item.value.as_str(), item.span);
        if text == "*" {
            any = true;
            if credentials {
                out.push(Diagnostic::warning(Check::WildcardMethodWithCredentials, span, "`*` with credentials allows every method on credentialed requests (browsers read a literal `*` as a method named `*`, so cors-policy echoes the requested method instead)")
                    .with_help("list the methods the API uses, e.g. [PUT, DELETE]"));
            }
            continue;
        }
        if !is_token(text.as_bytes()) {
            out.push(Diagnostic::error(Check::InvalidMethod, span, format!("`{text}` is not a method token; browsers fail every preflight whose Access-Control-Allow-Methods does not parse"))
                .with_help("write one method per list item, e.g. [GET, PUT]"));
            continue;
        }
        if is_forbidden_method(text.as_bytes()) {
            out.push(Diagnostic::error(Check::ForbiddenMethod, span, format!("`{text}` is a forbidden method: `fetch()` throws before sending it (and TRACE enables cross-site tracing)"))
                .with_help("remove it"));
            continue;
        }
        let upper = text.to_ascii_uppercase();
        let method = if NORMALIZED_METHODS.contains(&upper.as_str()) {
            if text != upper {
                out.push(Diagnostic::warning(Check::LowercaseMethod, span, format!("browsers uppercase `{text}` to `{upper}` before sending it; cors-policy allows `{upper}`"))
                    .with_help(format!("write `{upper}`")));
            }
            upper
        } else {
            if text != upper {
                out.push(Diagnostic::warning(Check::MethodCase, span, format!("methods are case-sensitive and browsers send `{text}` exactly as the script wrote it; clients usually send `{upper}`, which this does not allow"))
                    .with_help(format!("did you mean `{upper}`?")));
            }
            text.to_string()
        };
        if let Some(first) = seen.get(&method) {
            out.push(duplicate(span, "method", &method, *first));
            continue;
        }
        seen.insert(method.clone(), span);
        match method.as_str() {
            safelisted if SAFELISTED_METHODS.contains(&safelisted) => out.push(
                Diagnostic::info(Check::SafelistedMethod, span, format!("{method} is CORS-safelisted: browsers never ask for it in a preflight, and it cannot be restricted here"))
                    .with_help("remove it"),
            ),
            "OPTIONS" => {
                out.push(Diagnostic::info(Check::OptionsMethod, span, "OPTIONS is only needed for scripts that call `fetch(url, {method: \"OPTIONS\"})`; preflights do not need it")
                    .with_help("remove it unless a script sends OPTIONS itself"));
                methods.push(method);
            }
            _ => methods.push(method),
        }
    }
    out.result(|| if any { AllowMethods::Any } else { AllowMethods::List(OwnedStrList::new(&methods)) })
}

fn check_allow_headers(list: Option<&SpannedList<String>>, credentials: bool) -> Checked<AllowHeaders> {
    let mut out = Findings::default();
    let Some(list) = list else { return out.result(|| AllowHeaders::List(OwnedStrList::default())) };
    let mut names = Vec::new();
    let mut any: Option<Span> = None;
    for (name, span) in header_names(list, &mut out) {
        if name == "*" {
            any = Some(span);
            if credentials {
                out.push(Diagnostic::warning(Check::WildcardHeadersWithCredentials, span, "`*` with credentials allows every request header on credentialed requests (browsers read a literal `*` as a header named `*`, so cors-policy echoes the requested names instead)")
                    .with_help("list the headers the API reads"));
            }
        } else if FORBIDDEN_REQUEST_HEADERS.contains(&name.as_str())
            || name.starts_with("proxy-")
            || name.starts_with("sec-")
        {
            out.push(Diagnostic::error(Check::ForbiddenRequestHeader, span, format!("`{name}` is a forbidden request header: scripts can never set it, so browsers never ask for it"))
                .with_help("remove it"));
        } else if CORS_RESPONSE_HEADERS.contains(&name.as_str()) {
            out.push(Diagnostic::error(Check::ResponseHeaderInAllowHeaders, span, format!("`{name}` is a response header; the server sends it, a request never carries it"))
                .with_help("remove it from allow_headers: the CORS response headers are sent by cors-policy, the client must not send them"));
        } else {
            if SAFELISTED_REQUEST_HEADERS.contains(&name.as_str()) {
                out.push(Diagnostic::info(Check::SafelistedRequestHeader, span, format!("`{name}` is CORS-safelisted: it only needs listing for values over 128 bytes or with unusual bytes"))
                    .with_help("remove it unless clients send such values"));
            }
            names.push(name);
        }
    }
    if let Some(span) = any {
        let authorization = names.iter().any(|n| n == "authorization");
        if !authorization {
            out.push(Diagnostic::warning(Check::WildcardHeadersWithoutAuthorization, span, "`*` never covers `authorization` (Fetch Standard); cors-policy refuses preflights asking for it, and browsers that still tolerate it warn that they will stop")
                .with_help("add \"authorization\" next to \"*\" if clients send it"));
        }
        return out.result(|| AllowHeaders::Any { authorization });
    }
    names.sort();
    out.result(|| AllowHeaders::List(OwnedStrList::new(&names)))
}

/// Lowercases, validates and deduplicates a list of header names.
fn header_names(list: &SpannedList<String>, out: &mut Vec<Diagnostic>) -> Vec<(String, Span)> {
    let mut names: Vec<(String, Span)> = Vec::new();
    let mut seen: HashMap<String, Span> = HashMap::new();
    for item in &list.value {
        let name = item.value.to_ascii_lowercase();
        if name != "*" && !is_token(name.as_bytes()) {
            out.push(Diagnostic::error(Check::InvalidHeaderName, item.span, format!("`{}` is not a header name; browsers fail every preflight whose header list does not parse", item.value))
                .with_help("write one name per list item, with no spaces or commas"));
            continue;
        }
        if let Some(first) = seen.get(&name) {
            out.push(duplicate(item.span, "header", &name, *first));
            continue;
        }
        seen.insert(name.clone(), item.span);
        names.push((name, item.span));
    }
    names
}

/// `expose_headers`: the rendered header value, `None` for no header.
fn check_expose_headers(list: Option<&SpannedList<String>>, credentials: bool) -> Checked<Option<String>> {
    let mut out = Findings::default();
    let Some(list) = list else { return out.result(|| None) };
    let mut exposed = Vec::new();
    for (name, span) in header_names(list, &mut out) {
        if name == "*" && credentials {
            out.push(Diagnostic::error(Check::WildcardExposeWithCredentials, span, "`*` in expose_headers with credentials exposes only a header literally named `*`: browsers treat it as a wildcard only for requests without credentials")
                .with_help("list the headers scripts must read"));
        } else if name == "set-cookie" || name == "set-cookie2" {
            out.push(
                Diagnostic::error(
                    Check::ForbiddenResponseHeader,
                    span,
                    format!("`{name}` is a forbidden response header: browsers never expose it to scripts"),
                )
                .with_help("remove it"),
            );
        } else if CORS_REQUEST_ONLY_HEADERS.contains(&name.as_str()) {
            out.push(
                Diagnostic::error(
                    Check::RequestHeaderInExposeHeaders,
                    span,
                    format!("`{name}` has no meaning on a response a script reads"),
                )
                .with_help("remove it"),
            );
        } else if SAFELISTED_RESPONSE_HEADERS.contains(&name.as_str()) {
            out.push(
                Diagnostic::info(
                    Check::SafelistedResponseHeader,
                    span,
                    format!("`{name}` is CORS-safelisted: scripts can always read it"),
                )
                .with_help("remove it"),
            );
        } else {
            exposed.push(name);
        }
    }
    out.result(|| (!exposed.is_empty()).then(|| exposed.join(",")))
}

fn check_max_age(max_age: &Spanned<i64>) -> Checked<u32> {
    let mut out = Findings::default();
    let (seconds, span) = (max_age.value, max_age.span);
    if seconds < 0 {
        out.push(Diagnostic::error(Check::InvalidMaxAge, span, format!("max_age {seconds} is negative; browsers disagree on what that means (Chromium: no caching, Firefox: no caching, WebKit: expired, the spec: 5 seconds)"))
            .with_help("write `max_age: 0` to disable preflight caching"));
        return out.unusable();
    }
    if seconds > 86_400 {
        out.push(Diagnostic::error(Check::MaxAgeTooLarge, span, format!("max_age {seconds} is above 86400 seconds (24 hours), which every browser caps: the value would be a lie"))
            .with_help("write at most 7200 (Chromium's cap), or 600 to be honoured by every browser"));
        return out.unusable();
    }
    if seconds > 7_200 {
        out.push(Diagnostic::warning(Check::MaxAgeCapped, span, format!("max_age {seconds} is above Chromium's cap of 7200 seconds and WebKit's of 600: only Firefox honours it"))
            .with_help("write 7200 or less"));
    } else if seconds > 600 {
        out.push(Diagnostic::info(Check::MaxAgeCapped, span, format!("max_age {seconds} is above WebKit's cap of 600 seconds: Safari caches preflights for 10 minutes only")));
    }
    out.result(|| seconds as u32)
}

fn check_private_network(policy: &PolicyAst) -> Checked<bool> {
    let mut out = Findings::default();
    let Some(pna) = policy.allow_private_network.as_ref().filter(|p| p.value) else {
        return out.result(|| false);
    };
    out.push(Diagnostic::info(Check::PrivateNetworkDeprecated, pna.span, "Private Network Access preflights are on hold in Chromium, replaced by Local Network Access, which asks the user instead of the server")
        .with_help("keep it only for Chromium versions that still send `Access-Control-Request-Private-Network`"));
    let entries = policy.allow_origins.as_ref().map_or(&[][..], |l| &l.value[..]);
    for entry in entries {
        let OriginEntry::Literal(text) = &entry.value else { continue };
        if text == "*" {
            out.push(Diagnostic::error(Check::PrivateNetworkWithAnyOrigin, pna.span, "allow_private_network with `*` origins lets every public website reach this private-network device, which is what Private Network Access exists to prevent")
                .with_help("list the origins that may reach the device"));
        } else if let Some(OriginSpec::Exact(o) | OriginSpec::Pattern(o)) =
            origin::parse(text, entry.span, &mut Vec::new())
        {
            if !o.is_secure() {
                out.push(Diagnostic::warning(Check::PrivateNetworkInsecureOrigin, entry.span, format!("`{text}` is not a secure context, and browsers never let insecure pages make private network requests")).with_help("use an https origin"));
            }
        }
    }
    out.result(|| true)
}
