//! The `rumorgraph` binary: parse the command line, run the library, map the
//! result to an exit code (0 ok, 1 a check failed, 2 bad input) and print
//! errors with their causes.

use std::process::ExitCode;

use clap::Parser;
use rumorgraph::app::{self, Outcome};
use rumorgraph::cli::Cli;
use rumorgraph::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match app::run(&cli) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::CheckFailed) => ExitCode::from(1),
        Err(e) => {
            report(&anyhow::Error::new(e));
            ExitCode::from(2)
        }
    }
}

/// Prints an error: every message of an invalid case, then the error and its causes.
fn report(e: &anyhow::Error) {
    if let Some(Error::Invalid { diagnostics }) = e.downcast_ref::<Error>() {
        app::print_diagnostics(diagnostics);
    }
    eprintln!("error: {e}");
    for cause in e.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}
