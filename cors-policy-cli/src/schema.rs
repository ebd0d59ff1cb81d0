//! `cors-policy schema`: the JSON Schema of the policy file format.

use crate::output::Streams;
use crate::Failure;
use std::io::Write as _;
use std::process::ExitCode;

/// `cors-policy schema` takes no arguments.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Prints the schema.
pub fn run(_: Args, streams: &mut Streams) -> Result<ExitCode, Failure> {
    streams.out.write_all(cors_policy::schema::json_schema().as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
