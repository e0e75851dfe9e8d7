//! The output of `timeline`: per claim, the days its figures changed, as a
//! table to read or as JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::{group_label, plural};
use crate::analysis::Timeline;
use crate::model::Case;

fn day((y, m, d): (u16, u8, u8)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// The timelines as a readable table per claim.
pub fn text(case: &Case, timelines: &[Timeline]) -> String {
    let mut out = String::new();
    for (k, t) in timelines.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let c = case.claim(t.claim);
        if c.text.is_empty() {
            let _ = writeln!(out, "claim {}", c.id);
        } else {
            let _ = writeln!(out, "claim {}: {}", c.id, c.text);
        }
        if t.steps.is_empty() {
            let _ = writeln!(out, "  no dated report");
        } else {
            let _ = writeln!(
                out,
                "  day         reports  independent  named  denials  what changed"
            );
            for s in &t.steps {
                let a = &s.analysis;
                let _ = writeln!(
                    out,
                    "  {}  {:>7}  {:>11}  {:>5}  {:>7}  {}",
                    day(s.day),
                    a.reports,
                    a.independent,
                    a.named,
                    a.denials.independent,
                    s.changes.join("; ")
                );
            }
        }
        if t.undated > 0 {
            let _ = writeln!(
                out,
                "  {} without a date, not placed",
                plural(t.undated, "report", "reports")
            );
        }
    }
    out
}

#[derive(Serialize)]
struct JsonTimeline<'a> {
    id: &'a str,
    steps: Vec<JsonStep>,
    undated: u32,
}

#[derive(Serialize)]
struct JsonStep {
    date: String,
    reports: u32,
    independent: u32,
    named: u32,
    anonymous: u32,
    undisclosed: u32,
    unknown: u32,
    retracted: u32,
    denials: u32,
    new_roots: Vec<String>,
    changes: Vec<String>,
}

/// The timelines as one JSON object: `{"claims": [{"id", "steps", "undated"}]}`.
pub fn json(case: &Case, timelines: &[Timeline]) -> String {
    let claims: Vec<JsonTimeline> = timelines
        .iter()
        .map(|t| JsonTimeline {
            id: &case.claim(t.claim).id,
            undated: t.undated,
            steps: t
                .steps
                .iter()
                .map(|s| {
                    let a = &s.analysis;
                    JsonStep {
                        date: day(s.day),
                        reports: a.reports,
                        independent: a.independent,
                        named: a.named,
                        anonymous: a.anonymous,
                        undisclosed: a.undisclosed,
                        unknown: a.unknown,
                        retracted: a.retracted,
                        denials: a.denials.independent,
                        new_roots: s
                            .new_roots
                            .iter()
                            .map(|&g| group_label(case, &a.roots[g as usize]))
                            .collect(),
                        changes: s.changes.clone(),
                    }
                })
                .collect(),
        })
        .collect();
    let mut s =
        serde_json::to_string_pretty(&serde_json::json!({ "claims": claims })).expect("plain data");
    s.push('\n');
    s
}
