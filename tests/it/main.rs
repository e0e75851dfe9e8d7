//! The integration tests: one test binary, one module per concern.

mod util;

mod analysis_petgraph;
mod analysis_props;
mod cascades;
mod case_study;
mod chains_shapes;
mod cli;
mod diff;
mod docs_examples;
mod dot_output;
mod exports;
mod load_equivalence;
mod load_errors;
mod page;
mod perf;
mod python_package;
mod reliability;
mod verdicts;

// The benchmark generator's named shapes, shared with the tests.
#[allow(dead_code)]
#[path = "../../examples/synth/shapes.rs"]
mod shapes;
#[path = "../../examples/synth/synth_core.rs"]
mod synth_core;
