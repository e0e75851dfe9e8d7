//! The `rumorgraph` binary: parse the command line, run the library, map the
//! result to an exit code (0 ok, 1 a check failed, 2 bad input) and print
//! errors with their causes.

use std::process::ExitCode;

use clap::Parser;
use rumorgraph::app::{self, Outcome};
use rumorgraph::cli::Cli;
use rumorgraph::Error;

fn main() -> ExitCode {
    // Interrupted (Ctrl-C, SIGTERM, SIGHUP): remove the temporary file being
    // written and end Graphviz, then stop with 130, as shells expect.
    let _ = ctrlc::set_handler(|| {
        rumorgraph::output::cleanup();
        std::process::exit(130);
    });
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

/// Prints an error: every message of an invalid case, then the error and its
/// causes. A standard error that cannot be written (a full disk, a closed
/// pipe) is ignored: the exit code still says what happened.
fn report(e: &anyhow::Error) {
    use std::io::Write;
    if let Some(Error::Invalid { diagnostics }) = e.downcast_ref::<Error>() {
        app::print_diagnostics(diagnostics);
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "error: {}",
        rumorgraph::diag::escape_controls(&e.to_string())
    );
    for cause in e.chain().skip(1) {
        let _ = writeln!(
            err,
            "  caused by: {}",
            rumorgraph::diag::escape_controls(&cause.to_string())
        );
    }
}
