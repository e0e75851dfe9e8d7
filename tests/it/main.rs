//! The integration tests: one test binary, one module per concern.

mod util;

mod load_equivalence;
mod load_errors;
