//! `cors-policy check FILE...`.

use crate::args::{self, UsageError};
use crate::json;
use cors_policy::render::render;
use cors_policy::{Compilation, Diagnostic};
use std::process::ExitCode;

enum Format {
    Text,
    Json,
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
                    other => return Err(UsageError(format!("unknown format `{other}`: use text or json"))),
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
        }
    }
    if let Format::Json = format {
        println!("[{}]", entries.join(","));
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
