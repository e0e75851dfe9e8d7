//! The integration tests: one test binary, one module per concern.

mod util;

mod analysis_petgraph;
mod analysis_props;
mod case_study;
mod cli;
mod docs_examples;
mod dot_output;
mod load_equivalence;
mod load_errors;
mod perf;
mod verdicts;
