//! timeline: how a claim's figures changed as its reports came out.
//!
//! For every day on which a report of the claim is certainly out (the last
//! day of its date's period: `2015-12` on 2015-12-31), the claim is analysed
//! on the reports out by then, as `--as-of` would, and a step is kept when a
//! figure changed: the first report, the first support, each new independent
//! origin, the first time two named origins stand behind it, the first
//! denial. Undated reports have no place in time and are counted apart.
//!
//! # Complexity
//!
//! One [`super::analyze_claim`] per distinct day: *O(D · A)* for `D` days
//! and `A` the cost of analysing the claim on all its reports.
//!
//! # Example
//!
//! A paper reports on 1 March, a second, independent one on 3 March, and a
//! ministry denies it on 5 March: three steps, the first report, two named
//! origins, the first denial.

use super::{analyze_claim, ClaimAnalysis};
use crate::model::{Case, ClaimIdx};

/// One step of a claim's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The day, as `(year, month, day)`.
    pub day: (u16, u8, u8),
    /// The figures on the reports out by then.
    pub analysis: ClaimAnalysis,
    /// The root groups new on this day, by their indices in `analysis.roots`.
    pub new_roots: Vec<u32>,
    /// What changed, in words.
    pub changes: Vec<String>,
}

/// A claim's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    pub claim: ClaimIdx,
    pub steps: Vec<Step>,
    /// Reports without a date, left out.
    pub undated: u32,
}

/// The timeline of one claim from its reports (indices into
/// [`Case::reports`]).
pub fn timeline(case: &Case, claim: ClaimIdx, reports: &[u32]) -> Timeline {
    let mut dated: Vec<(u32, (u16, u8, u8))> = reports
        .iter()
        .filter_map(|&i| case.reports[i as usize].date.map(|d| (i, d.last_day())))
        .collect();
    let undated = (reports.len() - dated.len()) as u32;
    dated.sort_by_key(|&(i, day)| (day, i));
    let label = |a: &ClaimAnalysis, g: u32| {
        let ids: Vec<&str> = a.roots[g as usize]
            .sources
            .iter()
            .map(|&s| case.source_id(s))
            .collect();
        ids.join("+")
    };
    let mut steps: Vec<Step> = Vec::new();
    let mut k = 0;
    let mut prefix: Vec<u32> = Vec::new();
    while k < dated.len() {
        let day = dated[k].1;
        while k < dated.len() && dated[k].1 == day {
            prefix.push(dated[k].0);
            k += 1;
        }
        prefix.sort_unstable();
        let a = analyze_claim(case, claim, &prefix);
        let before: Vec<String> = steps
            .last()
            .map(|s| {
                (0..s.analysis.roots.len() as u32)
                    .map(|g| label(&s.analysis, g))
                    .collect()
            })
            .unwrap_or_default();
        let new_roots: Vec<u32> = (0..a.roots.len() as u32)
            .filter(|&g| !before.contains(&label(&a, g)))
            .collect();
        let mut changes = Vec::new();
        let prev = steps.last().map(|s| &s.analysis);
        if prev.is_none() {
            changes.push("first report".to_owned());
        }
        let supported = |x: &ClaimAnalysis| x.independent > 0;
        if supported(&a) && !prev.is_some_and(supported) {
            changes.push("first support".to_owned());
        }
        if !new_roots.is_empty() && prev.is_some_and(supported) {
            let names: Vec<String> = new_roots.iter().map(|&g| label(&a, g)).collect();
            changes.push(format!("new independent origin: {}", names.join(", ")));
        } else if !new_roots.is_empty() {
            let names: Vec<String> = new_roots.iter().map(|&g| label(&a, g)).collect();
            changes.push(format!("origin: {}", names.join(", ")));
        }
        if a.named >= 2 && prev.is_none_or(|p| p.named < 2) {
            changes.push("two named origins".to_owned());
        }
        if a.denials.independent > 0 && prev.is_none_or(|p| p.denials.independent == 0) {
            changes.push("first denial".to_owned());
        }
        let figures = |x: &ClaimAnalysis| {
            (
                x.independent,
                x.named,
                x.anonymous,
                x.undisclosed,
                x.unknown,
                x.retracted,
                x.denials.independent,
            )
        };
        if prev.is_some() && changes.is_empty() && prev.map(figures) != Some(figures(&a)) {
            changes.push("figures changed".to_owned());
        }
        // A day on which only more copies came out changes no figure.
        if prev.is_some() && changes.is_empty() {
            continue;
        }
        steps.push(Step {
            day,
            analysis: a,
            new_roots,
            changes,
        });
    }
    Timeline {
        claim,
        steps,
        undated,
    }
}
