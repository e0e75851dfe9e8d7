//! The chains of `trace`, one per line, `root -> ... -> source`.

use std::fmt::Write as _;

use super::group_label;
use crate::analysis::{ClaimAnalysis, Trace, TraceStep};
use crate::model::Case;

/// The chains of `trace`, one per line, `root -> ... -> source`, and a last
/// line when the list was cut.
pub fn trace(case: &Case, a: &ClaimAnalysis, t: &Trace, max_paths: usize) -> String {
    let mut out = String::new();
    for path in &t.paths {
        let steps: Vec<String> = path
            .iter()
            .map(|s| match s {
                TraceStep::Root(g) => group_label(case, &a.roots[*g as usize]),
                TraceStep::Source(s) => case.source_id(*s).to_owned(),
            })
            .collect();
        let _ = writeln!(out, "{}", steps.join(" -> "));
    }
    if t.truncated {
        let _ = match t.total_known {
            Some(n) => writeln!(
                out,
                "... cut at {max_paths} of {n} chains (raise --max-paths to see them all)"
            ),
            None => writeln!(
                out,
                "... cut at {max_paths} chains; there are more (raise --max-paths to see them)"
            ),
        };
    }
    out
}
