//! What each command does, from parsed arguments to written output: load the
//! case, run the analysis, render, write. The binary calls [`run`] and maps
//! its result to an exit code.

use std::io::Write;

use crate::cli::{CaseArgs, Cli, Command, ValidateArgs};
use crate::diag::Diagnostic;
use crate::error::Result;
use crate::load::{self, Input, LoadOptions, Loaded};
use crate::output;

/// How a successful run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything done; every check passed.
    Ok,
    /// `check` found a claim below the threshold.
    CheckFailed,
}

/// Runs one command.
pub fn run(cli: &Cli) -> Result<Outcome> {
    match &cli.command {
        Command::Validate(a) => validate(a),
        _ => unimplemented_yet(),
    }
}

fn unimplemented_yet() -> Result<Outcome> {
    Ok(Outcome::Ok)
}

/// Loads the case and prints its warnings to standard error.
fn load_case(args: &CaseArgs) -> Result<Loaded> {
    let inputs: Vec<Input> = args.files.iter().map(|f| Input::from_arg(f)).collect();
    let loaded = load::load(
        &inputs,
        &LoadOptions {
            strict: args.strict,
        },
    )?;
    if !args.quiet {
        print_diagnostics(&loaded.warnings);
    }
    Ok(loaded)
}

/// Prints messages to standard error, one block each.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}

fn validate(args: &ValidateArgs) -> Result<Outcome> {
    let loaded = load_case(&args.case)?;
    let case = &loaded.case;
    let n = loaded.warnings.len();
    let summary = format!(
        "{}: {} sources, {} claims, {} reports; no errors, {} warning{}\n",
        args.case.files.join(", "),
        case.sources.len(),
        case.claims.len(),
        case.reports.len(),
        n,
        if n == 1 { "" } else { "s" },
    );
    output::emit(None, summary.as_bytes())?;
    Ok(Outcome::Ok)
}
