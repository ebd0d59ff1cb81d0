//! `cors-policy check FILE...`.

use crate::args::{self, UsageError};
use crate::json;
use cors_policy::render::render;
use cors_policy::{Compilation, Diagnostic};
use std::process::ExitCode;

enum Format {
    Text,
    Json,
    Github,
    Sarif,
}

pub fn run(args: &[String]) -> Result<ExitCode, UsageError> {
    let mut format = Format::Text;
    let mut files = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--format" => {
                format = match args::value(arg, &mut rest)?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "github" => Format::Github,
                    "sarif" => Format::Sarif,
                    other => {
                        return Err(UsageError(format!(
                            "unknown format `{other}`: use text, json, github or sarif"
                        )))
                    }
                }
            }
            "--json" => format = Format::Json,
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(UsageError(format!("unknown flag `{flag}`")))
            }
            file => files.push(file),
        }
    }
    if files.is_empty() {
        return Err(UsageError("`check` needs at least one file".into()));
    }
    let mut any_error = false;
    let mut entries = Vec::new();
    for file in files {
        let bytes = args::read(file)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let compilation = Compilation::from_parsed(cors_policy::yaml::parse_bytes(&bytes));
        any_error |= compilation.has_errors();
        match format {
            Format::Text => {
                for diagnostic in &compilation.diagnostics {
                    println!("{}", render(diagnostic, file, &text));
                }
                let (errors, warnings) = counts(&compilation.diagnostics);
                println!("{file}: {errors} error(s), {warnings} warning(s)");
            }
            Format::Json => entries.extend(compilation.diagnostics.iter().map(|d| json_entry(d, file))),
            Format::Github => {
                for diagnostic in &compilation.diagnostics {
                    println!("{}", github_annotation(diagnostic, file));
                }
            }
            Format::Sarif => entries.extend(compilation.diagnostics.iter().map(|d| sarif_result(d, file))),
        }
    }
    match format {
        Format::Json => println!("[{}]", entries.join(",")),
        Format::Sarif => println!("{}", sarif_log(&entries)),
        Format::Text | Format::Github => {}
    }
    Ok(if any_error { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.iter().filter(|d| d.severity == cors_policy::Severity::Warning).count();
    (errors, warnings)
}

fn json_entry(diagnostic: &Diagnostic, file: &str) -> String {
    let (line, column) = diagnostic.span.line_column().unwrap_or((0, 0));
    format!(
        "{{\"severity\":{},\"code\":{},\"message\":{},\"file\":{},\"line\":{line},\"column\":{column},\"help\":{}}}",
        json::string(diagnostic.severity.as_str()),
        json::string(diagnostic.check.code()),
        json::string(&diagnostic.message),
        json::string(file),
        json::opt_string(diagnostic.help.as_deref()),
    )
}

/// A GitHub Actions workflow command: `::error file=F,line=L,col=C,title=CODE::message`.
fn github_annotation(diagnostic: &Diagnostic, file: &str) -> String {
    let level = match diagnostic.severity {
        cors_policy::Severity::Error => "error",
        cors_policy::Severity::Warning => "warning",
        cors_policy::Severity::Info => "notice",
    };
    let (line, column) = diagnostic.span.line_column().unwrap_or((1, 1));
    let help = diagnostic.help.as_ref().map_or(String::new(), |h| format!("\nhelp: {h}"));
    format!(
        "::{level} file={},line={line},col={column},title={}::{}",
        escape_property(file),
        diagnostic.check.code(),
        escape_data(&format!("{}{help}", diagnostic.message))
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn sarif_result(diagnostic: &Diagnostic, file: &str) -> String {
    let level = match diagnostic.severity {
        cors_policy::Severity::Error => "error",
        cors_policy::Severity::Warning => "warning",
        cors_policy::Severity::Info => "note",
    };
    let (line, column) = diagnostic.span.line_column().unwrap_or((1, 1));
    let help = diagnostic.help.as_ref().map_or(String::new(), |h| format!(" (help: {h})"));
    format!(
        "{{\"ruleId\":{},\"level\":\"{level}\",\"message\":{{\"text\":{}}},\"locations\":[{{\"physicalLocation\":{{\"artifactLocation\":{{\"uri\":{}}},\"region\":{{\"startLine\":{line},\"startColumn\":{column}}}}}}}]}}",
        json::string(diagnostic.check.code()),
        json::string(&format!("{}{help}", diagnostic.message)),
        json::string(file),
    )
}

/// A SARIF 2.1.0 log with one run, every rule of the catalog, and `results`.
fn sarif_log(results: &[String]) -> String {
    let rules: Vec<String> = cors_policy::Check::ALL
        .iter()
        .map(|c| {
            format!(
                "{{\"id\":{},\"name\":{},\"shortDescription\":{{\"text\":{}}}}}",
                json::string(c.code()),
                json::string(c.name()),
                json::string(c.summary())
            )
        })
        .collect();
    format!(
        "{{\"version\":\"2.1.0\",\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"runs\":[{{\"tool\":{{\"driver\":{{\"name\":\"cors-policy\",\"version\":{},\"rules\":[{}]}}}},\"results\":[{}]}}]}}",
        json::string(env!("CARGO_PKG_VERSION")),
        rules.join(","),
        results.join(",")
    )
}
