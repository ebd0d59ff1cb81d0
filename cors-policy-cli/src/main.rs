//! `cors-policy`: lint CORS policy files and explain what any request would get.

mod args;
mod check;
mod explain;
mod json;

use std::process::ExitCode;

const USAGE: &str = "\
usage:
  cors-policy check [--format text|json|github|sarif] FILE...
  cors-policy explain FILE [--policy NAME] [-X METHOD] [-H 'Name: value']... [--json]
  cors-policy schema

check    prints every diagnostic of each policy file: rustc-style (text), a JSON array (json),
         GitHub workflow annotations (github) or a SARIF 2.1.0 log (sarif).
explain  classifies one request, says why it is allowed or refused, and shows the status and
         headers the runtime would produce.
schema   prints the JSON Schema of the policy file format.

exit status: 0 no error (warnings allowed), 1 a policy has errors, 2 usage or I/O error.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => check::run(&args[1..]),
        Some("explain") => explain::run(&args[1..]),
        Some("schema") if args.len() == 1 => {
            print!("{}", cors_policy::schema::json_schema());
            Ok(ExitCode::SUCCESS)
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some("-V" | "--version") => {
            println!("cors-policy {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(args::UsageError("expected a command: check or explain".into())),
    };
    result.unwrap_or_else(|error| {
        eprintln!("error: {}\n\n{USAGE}", error.0);
        ExitCode::from(2)
    })
}
