//! `cors-policy check [--format text|json|github|sarif] FILE...`.

use crate::input;
use crate::output::Streams;
use crate::report::{self, escape_controls, Finding};
use crate::Failure;
use cors_policy::{Compilation, Severity};
use serde::Serialize;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files; `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Output format: rustc-style text, a JSON array of flat diagnostics, GitHub Actions
    /// workflow annotations, or a SARIF 2.1.0 log.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text)]
    format: Format,
    /// Same as `--format json`.
    #[arg(long, conflicts_with = "format")]
    json: bool,
}

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// rustc-style diagnostics and a summary line per file.
    Text,
    /// `[{"severity","code","message","file","line","column","help"}]` on one line.
    Json,
    /// `::error file=...,line=...,col=...,title=CODE::message` lines.
    Github,
    /// A SARIF 2.1.0 log with one run and the whole catalog as rules.
    Sarif,
}

/// One file's findings.
struct FileReport {
    name: String,
    text: String,
    findings: Vec<Finding>,
}

/// Checks every file, then writes the report in the chosen format.
pub fn run(args: Args, streams: &mut Streams) -> Result<ExitCode, Failure> {
    let format = if args.json { Format::Json } else { args.format };
    let mut any_error = false;
    let mut any_unreadable = false;
    let mut reports = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let report = match input::read(path) {
            Ok(source) => {
                let compilation = Compilation::from_parsed(cors_policy::yaml::parse_bytes(&source.bytes));
                any_error |= compilation.has_errors();
                FileReport {
                    name: source.name,
                    text: String::from_utf8_lossy(&source.bytes).into_owned(),
                    findings: compilation.diagnostics.iter().map(Finding::from).collect(),
                }
            }
            Err(error) => {
                any_unreadable = true;
                let name = input::name(path);
                let findings = vec![Finding::unreadable(&name, &error)];
                FileReport { name, text: String::new(), findings }
            }
        };
        reports.push(report);
    }
    let out = &mut streams.out;
    match format {
        Format::Text => {
            for report in &reports {
                for finding in &report.findings {
                    writeln!(out, "{}\n", report::render(finding, &report.name, &report.text))?;
                }
                let errors = report.findings.iter().filter(|f| f.is_error()).count();
                let warnings = report.findings.iter().filter(|f| f.is_warning()).count();
                writeln!(out, "{}: {errors} error(s), {warnings} warning(s)", escape_controls(&report.name))?;
            }
        }
        Format::Json => {
            let entries: Vec<JsonDiagnostic<'_>> = reports
                .iter()
                .flat_map(|r| r.findings.iter().map(|f| JsonDiagnostic::new(f, &r.name)))
                .collect();
            serde_json::to_writer(&mut *out, &entries).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Github => {
            for report in &reports {
                for finding in &report.findings {
                    writeln!(out, "{}", github_annotation(finding, &report.name))?;
                }
            }
        }
        Format::Sarif => {
            serde_json::to_writer(&mut *out, &sarif_log(&reports)).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::from(if any_unreadable {
        2
    } else if any_error {
        1
    } else {
        0
    }))
}

/// One entry of `--format json`, in this key order (also the diagnostics of `trust --format json`).
#[derive(Serialize)]
pub(crate) struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    file: &'a str,
    /// `null` when the finding has no place in the file (CORS052).
    line: Option<u32>,
    column: Option<u32>,
    help: Option<&'a str>,
}

impl<'a> JsonDiagnostic<'a> {
    pub(crate) fn new(finding: &'a Finding, file: &'a str) -> Self {
        JsonDiagnostic {
            severity: finding.severity.as_str(),
            code: finding.code,
            message: &finding.message,
            file,
            line: finding.location.map(|l| l.line),
            column: finding.location.map(|l| l.column),
            help: finding.help.as_deref(),
        }
    }
}

/// A GitHub Actions workflow command: `::error file=F,line=L,col=C,title=CODE::message`, on
/// one line whatever the message holds.
fn github_annotation(finding: &Finding, file: &str) -> String {
    let level = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "notice",
    };
    let location = finding.location.map_or(String::new(), |l| format!(",line={},col={}", l.line, l.column));
    let mut data = escape_controls(&finding.message).into_owned();
    if let Some(help) = &finding.help {
        data.push_str("\nhelp: ");
        data.push_str(&escape_controls(help));
    }
    format!(
        "::{level} file={}{location},title={}::{}",
        escape_property(file),
        finding.code,
        escape_data(&data)
    )
}

/// The escaping of a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// The escaping of a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF 2.1.0 log with one run, every rule of the catalog, and one result per finding.
fn sarif_log(reports: &[FileReport]) -> serde_json::Value {
    use serde_json::json;
    let rules: Vec<_> = cors_policy::Check::ALL
        .iter()
        .map(|c| json!({"id": c.code(), "name": c.name(), "shortDescription": {"text": c.summary()}}))
        .collect();
    let results: Vec<_> = reports
        .iter()
        .flat_map(|report| {
            report.findings.iter().map(|finding| {
                let level = match finding.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    _ => "note",
                };
                let text = match &finding.help {
                    Some(help) => format!("{} (help: {help})", finding.message),
                    None => finding.message.clone(),
                };
                let mut physical = json!({"artifactLocation": {"uri": report.name}});
                if let Some(l) = finding.location {
                    physical["region"] = json!({"startLine": l.line, "startColumn": l.column});
                }
                json!({
                    "ruleId": finding.code,
                    "level": level,
                    "message": {"text": text},
                    "locations": [{"physicalLocation": physical}],
                })
            })
        })
        .collect();
    json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {"name": "cors-policy", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "results": results,
        }],
    })
}
