//! The PASS/FAIL lines of `check`, one per claim, for scripts and CI.

use std::fmt::Write as _;

use super::{counted, credibility, group_label, shortfall, Counting, Credibility};
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
    check_with(case, analyses, min, counting, None)
}

/// Whether a claim passes `check` at `min` counted origins: it has a
/// support report and at least `min` origins of the kinds counted.
pub fn passes(a: &ClaimAnalysis, counting: Counting, min: u32) -> bool {
    a.independent > 0 && counted(a, counting) >= min
}

/// [`check`], or, with `require`, a claim passes when its credibility hint
/// is that one (`check --require eligible-1`).
pub fn check_with(
    case: &Case,
    analyses: &[ClaimAnalysis],
    min: u32,
    counting: Counting,
    require: Option<Credibility>,
) -> (String, bool) {
    let mut out = String::new();
    let mut all = true;
    for a in analyses {
        let (cred, cred_why) = credibility(case, a);
        let pass = match require {
            Some(r) => cred == r,
            None => passes(a, counting, min),
        };
        all &= pass;
        let roots: Vec<String> = a.roots.iter().map(|g| group_label(case, g)).collect();
        let _ = write!(
            out,
            "{} {} named={} anonymous={} undisclosed={} unknown={} retracted={} independent={} min={min} counts={} credibility={} roots={}",
            if pass { "PASS" } else { "FAIL" },
            case.claim(a.claim).id,
            a.named,
            a.anonymous,
            a.undisclosed,
            a.unknown,
            a.retracted,
            a.independent,
            counting.label(),
            cred.as_str(),
            if roots.is_empty() {
                "-".to_owned()
            } else {
                roots.join(",")
            },
        );
        if !pass {
            let why = match require {
                Some(_) => Some(cred_why),
                None => shortfall(a, counting, min),
            };
            if let Some(why) = why {
                let _ = write!(out, " -- {why}");
            }
        }
        out.push('\n');
    }
    (out, all)
}
