//! `cors-policy`: lint CORS policy files and explain what any request would get.
//!
//! Every subcommand is one variant of [`Command`] and one module with an `Args` struct (the
//! subcommand's flags, derived with clap) and a `run` function; `main` only parses, dispatches
//! and turns the outcome into an exit status.

mod check;
mod diff;
mod explain;
mod input;
mod output;
mod report;
mod runtime;
mod schema;
mod trust;

use clap::{Parser, Subcommand};
use output::{ColorWhen, Streams};
use std::process::ExitCode;

/// Lint CORS policy files and explain what any request would get.
///
/// Exit status: 0 no error (warnings allowed), 1 a policy has errors (check, trust), the request
/// is refused (explain) or trust widened (diff), 2 usage or I/O error.
#[derive(Debug, Parser)]
#[command(name = "cors-policy", version)]
pub struct Cli {
    /// When to colour the output: `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// The subcommands. Adding one is a variant here, its arm in [`Command::run`] and a module.
#[derive(Debug, Subcommand)]
enum Command {
    /// Print every diagnostic of each policy file.
    ///
    /// Exit status: 0 no error (warnings allowed), 1 a policy has errors, 2 a file cannot be read
    /// (CORS052, still reported in the chosen format) or a usage error.
    Check(check::Args),
    /// Classify one request, say why it is allowed or refused, and show the status and headers.
    ///
    /// The request is evaluated by the runtime's own code over the tables the compiler builds
    /// from the file. Exit status: 0 allowed, 1 refused, 2 no answer (a usage or I/O error, or
    /// a policy with errors).
    Explain(explain::Args),
    /// Print the JSON Schema of the policy file format.
    Schema(schema::Args),
    /// Print exactly what each policy trusts: origins, credentials, methods and headers.
    ///
    /// Every origin entry is shown with its trust set: one line per scheme and site (registrable
    /// domain under the Public Suffix List, IP, loopback, ...) with its hosts and ports.
    /// Exit status: 0 printed, 1 the file has errors (its diagnostics are printed instead), 2 the
    /// file cannot be read (CORS052) or a usage error.
    Trust(trust::Args),
    /// Print the trust a change of a policy file adds (`+`) and removes (`-`).
    ///
    /// Policies are matched by name. Exit status: 0 trust did not widen (unchanged or only
    /// narrowed), 1 trust widened, 2 no answer (a usage or I/O error, or a file with errors).
    Diff(diff::Args),
}

impl Command {
    fn run(self, streams: &mut Streams) -> Result<ExitCode, Failure> {
        match self {
            Command::Check(args) => check::run(args, streams),
            Command::Explain(args) => explain::run(args, streams),
            Command::Schema(args) => schema::run(args, streams),
            Command::Trust(args) => trust::run(args, streams),
            Command::Diff(args) => diff::run(args, streams),
        }
    }
}

/// Why a subcommand could not do its job: exit status 2.
#[derive(Debug)]
pub enum Failure {
    /// The arguments do not make sense together (an unknown policy name, ...).
    Usage(String),
    /// Writing the output failed (other than a closed pipe, which ends the output quietly).
    Io(std::io::Error),
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Io(error)
    }
}

fn main() -> ExitCode {
    // `--help`, `--version` and usage errors print and exit here (0, 0 and 2), with clap's
    // short usage hint.
    let cli = Cli::parse();
    let mut streams = Streams::new(cli.color);
    let result = cli.command.run(&mut streams).and_then(|code| {
        streams.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(failure) => {
            let message = match failure {
                Failure::Usage(message) => message,
                Failure::Io(error) => format!("cannot write the output: {error}"),
            };
            streams.error_line(&message);
            ExitCode::from(2)
        }
    }
}
