//! `cors-policy explain FILE [--policy NAME] [-X METHOD] [-H 'Name: value']... [--json]`.
//!
//! The request is evaluated by the runtime's own `Policy::evaluate` over tables the compiler
//! built in memory, so the answer is the one a server compiled from the same file gives.

use crate::args::{self, UsageError};
use crate::json;
use cors_policy::render::render;
use cors_policy::Compilation;
use cors_policy_core::{Decision, RequestKind};
use std::process::ExitCode;

pub fn run(args: &[String]) -> Result<ExitCode, UsageError> {
    let mut file = None;
    let mut policy = None;
    let mut method = "GET".to_string();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut as_json = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--policy" => policy = Some(args::value(arg, &mut rest)?.clone()),
            "-X" | "--request" => method = args::value(arg, &mut rest)?.clone(),
            "-H" | "--header" => {
                let header = args::value(arg, &mut rest)?;
                let (name, value) = header
                    .split_once(':')
                    .ok_or_else(|| UsageError(format!("`{header}` is not a header: write 'Name: value'")))?;
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
            "--json" => as_json = true,
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(UsageError(format!("unknown flag `{flag}`")))
            }
            path if file.is_none() => file = Some(path.to_string()),
            extra => return Err(UsageError(format!("unexpected argument `{extra}`"))),
        }
    }
    let file = file.ok_or_else(|| UsageError("`explain` needs a policy file".into()))?;
    let bytes = args::read(&file)?;
    let compilation = Compilation::from_parsed(cors_policy::yaml::parse_bytes(&bytes));
    if compilation.has_errors() {
        let text = String::from_utf8_lossy(&bytes);
        for diagnostic in compilation.diagnostics.iter().filter(|d| d.is_error()) {
            eprintln!("{}", render(diagnostic, &file, &text));
        }
        eprintln!("{file}: the policy has errors; fix them first (`cors-policy check {file}`)");
        return Ok(ExitCode::from(1));
    }
    let Some(tables) = compilation.policy(policy.as_deref()) else {
        let names: Vec<_> = compilation.policies.iter().filter_map(|t| t.name.as_deref()).collect();
        return Err(UsageError(match policy {
            Some(name) => format!("`{file}` has no policy `{name}`; it has: {}", names.join(", ")),
            None => format!("`{file}` has several policies; pick one with --policy ({})", names.join(", ")),
        }));
    };
    let output = tables.with_policy(|policy| {
        let decision = policy.evaluate(method.as_bytes(), headers.as_slice());
        if as_json {
            to_json(&decision)
        } else {
            to_text(&method, &decision)
        }
    });
    println!("{output}");
    Ok(ExitCode::SUCCESS)
}

fn reason(decision: &Decision<'_, '_>) -> Option<String> {
    if let Some(refusal) = decision.refusal() {
        return Some(refusal.to_string());
    }
    match decision.kind() {
        RequestKind::NotCors => Some("not a CORS request: there is no Origin header".into()),
        RequestKind::Preflight => {
            Some("the origin, the requested method and the requested headers are allowed".into())
        }
        RequestKind::Actual => Some("the origin is allowed".into()),
    }
}

fn header_pairs(decision: &Decision<'_, '_>) -> Vec<(&'static str, String)> {
    decision
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect()
}

fn to_json(decision: &Decision<'_, '_>) -> String {
    let headers: Vec<String> = header_pairs(decision)
        .iter()
        .map(|(name, value)| format!("[{},{}]", json::string(name), json::string(value)))
        .collect();
    let status = decision.status().map_or("null".into(), |s| s.to_string());
    format!(
        "{{\"kind\":{},\"allowed\":{},\"status\":{status},\"headers\":[{}],\"reason\":{}}}",
        json::string(decision.kind().as_str()),
        decision.is_allowed(),
        headers.join(","),
        json::opt_string(reason(decision).as_deref()),
    )
}

fn to_text(method: &str, decision: &Decision<'_, '_>) -> String {
    let kind = match decision.kind() {
        RequestKind::NotCors => "not a CORS request",
        RequestKind::Preflight => "a CORS preflight",
        RequestKind::Actual => "an actual CORS request",
    };
    let verdict = if decision.is_allowed() { "allowed" } else { "refused" };
    let mut out = format!("{method} is {kind}: {verdict}\nwhy: {}\n", reason(decision).unwrap_or_default());
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
        out.push_str(&format!("{name}: {value}\n"));
    }
    out.trim_end().to_string()
}
