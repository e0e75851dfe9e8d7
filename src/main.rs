//! The `rumorgraph` binary: parse the command line, run the library, map the
//! result to an exit code (0 ok, 1 a check failed, 2 bad input) and print
//! errors with their causes.

use std::process::ExitCode;

use clap::Parser;
use rumorgraph::app::{self, Outcome};
use rumorgraph::cli::Cli;
use rumorgraph::Error;

fn main() -> ExitCode {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    tune_allocator();
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

/// glibc's allocator keeps freed memory for reuse, and decides as it goes
/// which allocations get a mapping of their own. Fixed here: every
/// allocation of 2 MiB or more is its own mapping, given back to the system
/// when freed, and a heap is not trimmed for less than 256 MiB free at its
/// top. With glibc's own choices the peak memory of the million-long chain
/// was 246 or 265 MiB from one run to the next, as a freed array was or was
/// not reused; with these it is 238 MiB every time, and the corpora's peak
/// fell from about 270 to 210 MiB at the same speed (docs/performance.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: `mallopt` sets two parameters of the allocator; it is called
    // first thing, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 2 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}
