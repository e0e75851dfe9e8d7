//! The one integration-test binary: every integration test is a module here.

mod analysis_props;
mod perf;
mod util;
