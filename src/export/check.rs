//! The PASS/FAIL lines of `check`, one per claim, for scripts and CI.

use std::fmt::Write as _;

use super::{counted, group_label, shortfall, Counting};
use crate::analysis::ClaimAnalysis;
use crate::model::Case;

/// The PASS/FAIL lines of `check`, one per claim, and whether all passed.
///
/// `PASS in-libya named=2 anonymous=4 undisclosed=1 unknown=0 retracted=0 independent=7 min=2 counts=named roots=a,b+c,d`
///
/// A claim passes when its counted origins (see [`Counting`]) are at least
/// `min`; a claim with no support report never passes. A failing line whose
/// reason is not just "too few named origins" ends with ` -- ` and the
/// reason ([`shortfall`]).
pub fn check(
    case: &Case,
    analyses: &[ClaimAnalysis],
    min: u32,
    counting: Counting,
) -> (String, bool) {
    let mut out = String::new();
    let mut all = true;
    for a in analyses {
        let pass = a.independent > 0 && counted(a, counting) >= min;
        all &= pass;
        let roots: Vec<String> = a.roots.iter().map(|g| group_label(case, g)).collect();
        let _ = write!(
            out,
            "{} {} named={} anonymous={} undisclosed={} unknown={} retracted={} independent={} min={min} counts={} roots={}",
            if pass { "PASS" } else { "FAIL" },
            case.claim(a.claim).id,
            a.named,
            a.anonymous,
            a.undisclosed,
            a.unknown,
            a.retracted,
            a.independent,
            counting.label(),
            if roots.is_empty() {
                "-".to_owned()
            } else {
                roots.join(",")
            },
        );
        if !pass {
            if let Some(why) = shortfall(a, counting, min) {
                let _ = write!(out, " -- {why}");
            }
        }
        out.push('\n');
    }
    (out, all)
}
