//! `cors-policy explain FILE [--policy NAME] [-X METHOD] [-H 'Name: value']... [--format json]`.
//!
//! The request is evaluated by the runtime's own `Policy::evaluate` over tables the compiler
//! built in memory, so the answer is the one a server compiled from the same file gives.

use crate::input;
use crate::output::Streams;
use crate::report::{escape_controls, Finding};
use crate::Failure;
use clap::builder::{OsStringValueParser, TypedValueParser as _};
use cors_policy_core::write_protection::{HeaderField, WritePass, WriteRefusal, WriteRequest};
use cors_policy_core::{Decision, RequestHeaders, RequestKind};
use serde::Serialize;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy file; `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Which policy of a file with several named policies.
    #[arg(long, value_name = "NAME")]
    policy: Option<String>,
    /// The request method.
    #[arg(short = 'X', long = "request", value_name = "METHOD", default_value = "GET", value_parser = parse_method)]
    method: String,
    /// A request header; repeat for several. The value is passed on as bytes.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE",
          value_parser = OsStringValueParser::new().try_map(parse_header))]
    headers: Vec<Header>,
    /// The request path, for the `write_exempt_paths` of `protect_writes`.
    #[arg(long, value_name = "PATH", default_value = "/")]
    path: String,
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
    /// A few lines for a person.
    Text,
    /// `{"kind","allowed","status","headers","reason"}` on one line.
    Json,
}

/// One `-H` argument.
#[derive(Clone, Debug)]
struct Header {
    name: String,
    value: Vec<u8>,
}

/// RFC 9110 `tchar`.
fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// A method is a token (RFC 9110 §9.1).
fn parse_method(method: &str) -> Result<String, String> {
    if !method.is_empty() && method.bytes().all(is_tchar) {
        Ok(method.to_string())
    } else {
        Err("a method is a token, such as GET or PUT".into())
    }
}

/// `Name: value`: the name a token, the value any bytes HTTP allows in a field value (visible
/// ASCII, space, tab and obs-text 0x80-0xFF), without surrounding whitespace.
fn parse_header(arg: OsString) -> Result<Header, String> {
    let bytes = arg.as_encoded_bytes();
    let Some(colon) = bytes.iter().position(|&b| b == b':') else {
        return Err("write a header as 'Name: value' (no `:` found)".into());
    };
    let (name, value) = (&bytes[..colon], &bytes[colon + 1..]);
    if name.is_empty() || !name.iter().all(|&b| is_tchar(b)) {
        return Err(format!(
            "`{}` is not a header name (a token, without spaces): write 'Name: value'",
            name.escape_ascii()
        ));
    }
    let is_space = |b: &u8| *b == b' ' || *b == b'\t';
    let start = value.iter().position(|b| !is_space(b)).unwrap_or(value.len());
    let end = value.iter().rposition(|b| !is_space(b)).map_or(start, |i| i + 1);
    let value = &value[start..end];
    if value.iter().any(|&b| b != b'\t' && (b < 0x20 || b == 0x7f)) {
        return Err("a header value cannot hold control characters (CR, LF, NUL, ...)".into());
    }
    Ok(Header { name: String::from_utf8_lossy(name).into_owned(), value: value.to_vec() })
}

/// Evaluates the request and prints the decision.
pub fn run(args: Args, streams: &mut Streams) -> Result<ExitCode, Failure> {
    let format = if args.json { Format::Json } else { args.format };
    let loaded = crate::trust::load(&args.file, args.runtime.config_key.as_deref())
        .map_err(|error| Failure::Usage(Finding::unreadable(&input::name(&args.file), &error).message))?;
    let compilation = &loaded.compilation;
    let file = escape_controls(&loaded.name);
    if compilation.has_errors() {
        crate::trust::print_errors(streams, &loaded);
        return Err(Failure::Usage(format!(
            "{file}: the policy has errors; fix them first (`cors-policy check {file}`)"
        )));
    }
    let Some(tables) = compilation.policy(args.policy.as_deref()) else {
        let names: Vec<_> = compilation.policies.iter().filter_map(|t| t.name.as_deref()).collect();
        return Err(Failure::Usage(match &args.policy {
            Some(name) => {
                format!("`{file}` has no policy `{}`; it has: {}", escape_controls(name), names.join(", "))
            }
            None => format!("`{file}` has several policies; pick one with --policy ({})", names.join(", ")),
        }));
    };
    let headers: Vec<(&str, &[u8])> =
        args.headers.iter().map(|h| (h.name.as_str(), h.value.as_slice())).collect();
    let field = |name: &str| {
        HeaderField::from_lines(headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v))
    };
    let write_request = WriteRequest {
        method: args.method.as_bytes(),
        origin: field("origin"),
        sec_fetch_site: field("sec-fetch-site"),
        host: field("host"),
    };
    let tenants = crate::runtime::TenantLists::load(tables, &args.runtime)?;
    for refused in &tenants.refused {
        for line in refused.lines() {
            let _ = writeln!(streams.err, "warning: {line}");
        }
    }
    // An origin a tenant list has but an insert refuses: say why, next to the decision.
    let refused_tenant = match field("origin") {
        HeaderField::One(origin) => tenants.refused_line(origin),
        _ => None,
    }
    .map(|r| r.lines().collect::<Vec<_>>());
    let (output, allowed) = tables.with_view(|policy| {
        let policy = &policy.with_tenant_lookup(&tenants);
        let decision = policy.evaluate(args.method.as_bytes(), headers.as_slice());
        let writes = policy.protect_writes(&write_request, args.path.as_bytes());
        let exempt = policy.write_protection().is_some() && writes.is_none();
        let output = match format {
            Format::Json => {
                let mut explanation = Explanation::new(&decision);
                explanation.write_protection =
                    policy.write_protection().map(|_| WriteJson::new(writes, exempt));
                serde_json::to_string(&explanation).expect("plain data serializes")
            }
            Format::Text => {
                let mut text = to_text(&args.method, &decision);
                for line in refused_tenant.iter().flatten() {
                    if !text.ends_with('\n') {
                        text.push('\n');
                    }
                    text.push_str(&format!("note: the tenant list has this origin, but {line}\n"));
                }
                if policy.write_protection().is_some() {
                    if !text.ends_with('\n') {
                        text.push('\n');
                    }
                    text.push_str(&write_text(writes, &args.path));
                }
                text
            }
        };
        (output, decision.is_allowed() && !matches!(writes, Some(Err(_))))
    });
    writeln!(streams.out, "{output}")?;
    Ok(if allowed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn reason<'r, H: RequestHeaders<'r>>(decision: &Decision<'_, 'r, H>) -> String {
    if let Some(refusal) = decision.refusal() {
        return refusal.to_string();
    }
    match decision.kind() {
        RequestKind::NotCors => "not a CORS request: there is no Origin header".into(),
        RequestKind::Preflight => {
            "the origin, the requested method and the requested headers are allowed".into()
        }
        RequestKind::Actual => "the origin is allowed".into(),
    }
}

/// The response headers, values decoded lossily for display.
fn header_pairs<'r, H: RequestHeaders<'r>>(decision: &Decision<'_, 'r, H>) -> Vec<(&'static str, String)> {
    decision
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect()
}

/// `--format json`, in this key order.
#[derive(Serialize)]
struct Explanation {
    kind: &'static str,
    allowed: bool,
    /// The status of the layer's own response (a preflight), `null` when the application answers.
    status: Option<u16>,
    headers: Vec<(&'static str, String)>,
    reason: String,
    /// `protect_writes`: the verdict on the request reaching the handler; absent when the
    /// policy does not protect writes.
    #[serde(skip_serializing_if = "Option::is_none")]
    write_protection: Option<WriteJson>,
}

/// The write-protection verdict: `{"allowed", "reason"}`.
#[derive(Serialize)]
struct WriteJson {
    allowed: bool,
    reason: String,
}

impl WriteJson {
    fn new(writes: Option<Result<WritePass, WriteRefusal>>, exempt: bool) -> Self {
        match writes {
            Some(Err(refusal)) => WriteJson { allowed: false, reason: refusal.reason().to_owned() },
            Some(Ok(pass)) => WriteJson { allowed: true, reason: pass_reason(pass).to_owned() },
            None if exempt => {
                WriteJson { allowed: true, reason: "the path is in write_exempt_paths".to_owned() }
            }
            None => WriteJson { allowed: true, reason: "not checked".to_owned() },
        }
    }
}

fn pass_reason(pass: WritePass) -> &'static str {
    match pass {
        WritePass::SafeMethod => "a safe method (GET, HEAD, OPTIONS)",
        WritePass::TrustedOrigin => "the origin is trusted to write",
        WritePass::SameOrigin => "Sec-Fetch-Site: same-origin",
        WritePass::UserNavigation => "Sec-Fetch-Site: none (the user's own navigation)",
        WritePass::NotABrowser => "neither Sec-Fetch-Site nor Origin: not a browser",
        WritePass::OriginIsHost => "the Origin is the request's own host",
    }
}

/// The text lines of the write-protection verdict.
fn write_text(writes: Option<Result<WritePass, WriteRefusal>>, path: &str) -> String {
    match writes {
        Some(Err(refusal)) => {
            format!("write protection: refused with 403 before the application runs: {}\n", refusal.reason())
        }
        Some(Ok(pass)) => format!("write protection: passes ({})\n", pass_reason(pass)),
        None => {
            format!("write protection: not checked: `{}` is in write_exempt_paths\n", escape_controls(path))
        }
    }
}

impl Explanation {
    fn new<'r, H: RequestHeaders<'r>>(decision: &Decision<'_, 'r, H>) -> Self {
        Explanation {
            kind: decision.kind().as_str(),
            allowed: decision.is_allowed(),
            status: decision.status(),
            headers: header_pairs(decision),
            reason: reason(decision),
            write_protection: None,
        }
    }
}

fn to_text<'r, H: RequestHeaders<'r>>(method: &str, decision: &Decision<'_, 'r, H>) -> String {
    let kind = match decision.kind() {
        RequestKind::NotCors => "not a CORS request",
        RequestKind::Preflight => "a CORS preflight",
        RequestKind::Actual => "an actual CORS request",
    };
    let verdict = if decision.is_allowed() { "allowed" } else { "refused" };
    let mut out = format!("{method} is {kind}: {verdict}\nwhy: {}\n", escape_controls(&reason(decision)));
    match decision.status() {
        Some(status) => out.push_str(&format!(
            "answered by the layer with status {status}; the application is not called\n"
        )),
        None => out.push_str("passed to the application; the layer adds these headers to its response\n"),
    }
    let pairs = header_pairs(decision);
    if pairs.is_empty() {
        out.push_str("(no CORS headers)\n");
    }
    for (name, value) in pairs {
        out.push_str(&format!("{name}: {}\n", escape_controls(&value)));
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::parse_header;

    #[test]
    fn headers_are_name_colon_value() {
        let header = parse_header("Origin:  https://a.example \t".into()).unwrap();
        assert_eq!((header.name.as_str(), header.value.as_slice()), ("Origin", &b"https://a.example"[..]));
        assert_eq!(parse_header("X-Empty:".into()).unwrap().value, b"");
        for bad in ["Origin https://x", "Origin https://x.example", ": v", "A B: v", "X: a\nb", "X: a\rb"] {
            assert!(parse_header(bad.into()).is_err(), "{bad:?}");
        }
    }
}
