//! The library's typed errors. Every one of them is bad input or an unusable
//! environment; the binary maps them all to exit code 2. A claim that fails
//! `check` is a result, not an error.

use std::io;
use std::path::PathBuf;

use crate::diag::Diagnostic;

/// Everything that can stop a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The case has errors (or, with `--strict`, warnings); all of them are listed.
    #[error("{}", invalid_summary(.diagnostics))]
    Invalid { diagnostics: Vec<Diagnostic> },

    /// `--claim` names a claim the case does not have.
    #[error("the case has no claim `{id}`{}", hint(.suggestion))]
    UnknownClaim {
        id: String,
        suggestion: Option<String>,
    },

    /// `--source` names a source the case does not have.
    #[error("the case has no source `{id}`{}", hint(.suggestion))]
    UnknownSource {
        id: String,
        suggestion: Option<String>,
    },

    /// `--source` names a source that is not in the claim's support graph:
    /// it neither supports the claim nor is cited by a report that does.
    #[error("source `{id}` is not in the support graph of claim `{claim}`: {why}")]
    NotInGraph {
        id: String,
        claim: String,
        /// What the source does with the claim instead.
        why: String,
    },

    /// `check` has nothing to check: the case declares and mentions no claim.
    #[error(
        "the case has no claims, so there is nothing to check: a case needs reports of at least one claim \
         (`rumorgraph validate` shows what was read)"
    )]
    NoClaims,

    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),

    /// No input files were given.
    #[error(
        "no case file given: name one or more .toml, .json or .csv files, or - for standard input"
    )]
    NoInput,

    /// `-o` names one of the input files.
    #[error(
        "the output {} is the input {}: rumorgraph never writes over its input; choose another output file",
        .output.display(),
        .input.display()
    )]
    OutputIsInput { output: PathBuf, input: PathBuf },

    /// An output file could not be written.
    #[error("cannot write {}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// Graphviz's `dot` program is needed to render a picture and is missing.
    #[error(
        "Graphviz's `dot` program is not installed, so the diagram cannot be rendered as {format}; \
         install the `graphviz` package (for example `apt-get install graphviz`), \
         or leave out --render to write DOT text"
    )]
    DotMissing { format: String },

    /// Graphviz's `dot` program is needed to draw the page's diagrams and is missing.
    #[error(
        "Graphviz's `dot` program is not installed, and the page draws its diagrams with it; \
         install the `graphviz` package (for example `apt-get install graphviz`), \
         or write the figures alone with `rumorgraph analyze`"
    )]
    PageNeedsGraphviz,

    /// Graphviz's `dot` ran and failed.
    #[error("Graphviz's `dot` failed to render the diagram: {message}")]
    Render { message: String },
}

fn invalid_summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let plural = if errors == 1 { "" } else { "s" };
    format!("the case has {errors} error{plural}")
}

fn hint(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

/// Shorthand for results of this library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
