//! The readable report of `analyze`: per claim, the verdict, the origins
//! table, the sources table, circles and denials, aligned for a terminal.

use std::fmt::Write as _;

use super::{counted, credibility, cycle_text, group_label, plural, shortfall, verdict, Counting};
use crate::analysis::{ClaimAnalysis, RootGroup};
use crate::model::{Case, Kind, SourceIdx, Stance};

/// The readable report of `analyze`.
pub fn text(case: &Case, analyses: &[ClaimAnalysis], counting: Counting) -> String {
    let mut out = String::new();
    if let Some(t) = &case.title {
        let _ = writeln!(out, "{t}\n{}\n", "=".repeat(t.chars().count().min(100)));
    }
    if let Some(a) = case.as_of {
        let _ = writeln!(
            out,
            "As of {}: {} left out ({} dated later, {} undated).\n",
            a.day_text(),
            plural(a.later + a.undated, "report", "reports"),
            a.later,
            a.undated
        );
    }
    let by_claim = stance_counts(case);
    let retracting = retracting_sources(case);
    for (k, a) in analyses.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let claim = case.claim(a.claim);
        if claim.text.is_empty() {
            let _ = writeln!(out, "claim {}", claim.id);
        } else {
            let _ = writeln!(out, "claim {}: {}", claim.id, claim.text);
        }
        let flag = if counted(a, counting) < 2 {
            "SINGLE SOURCE: "
        } else {
            ""
        };
        let _ = writeln!(out, "  {flag}{}", verdict(case, a, counting));
        if let Some(why) = shortfall(a, counting, 2) {
            let _ = writeln!(out, "  why: {why}");
        }
        let (cred, cred_why) = credibility(case, a);
        let _ = writeln!(out, "  credibility: {} ({cred_why})", cred.as_str());
        let [sup, deny, query, comment, retract] = by_claim[a.claim as usize];
        let mut parts = vec![format!("{sup} support")];
        for (n, w) in [
            (deny, "deny"),
            (query, "query"),
            (comment, "comment"),
            (retract, "retract"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {w}"));
            }
        }
        let _ = writeln!(
            out,
            "  {} ({})",
            plural(a.reports, "report", "reports"),
            parts.join(", ")
        );

        if !a.roots.is_empty() {
            out.push('\n');
            let mut rows = vec![row([
                "origins",
                "kind",
                "counts as",
                "reach",
                "depth",
                "breadth",
                "virality",
            ])];
            for g in &a.roots {
                let counts_as = if g.retracted {
                    format!("retracted ({})", g.basis.as_str())
                } else {
                    g.basis.as_str().to_owned()
                };
                rows.push(row([
                    &group_label(case, g),
                    &group_kind(case, g),
                    &counts_as,
                    &g.reach.to_string(),
                    &g.cascade.map_or("-".to_owned(), |c| c.depth.to_string()),
                    &g.cascade
                        .map_or("-".to_owned(), |c| c.max_breadth.to_string()),
                    &g.cascade.map_or("-".to_owned(), |c| {
                        format!("{:.2}", c.structural_virality())
                    }),
                ]));
            }
            table(
                &mut out,
                &rows,
                &[false, false, false, true, true, true, true],
            );
            if a.roots.iter().any(|g| g.cascade.is_none()) {
                let work: u64 = a.roots.iter().map(|g| u64::from(g.reach) + 1).sum();
                let _ = writeln!(
                    out,
                    "    depth, breadth and virality not computed: the origins' cascades hold {work} sources in all, over {}; --cascades computes them",
                    crate::analysis::CASCADE_BUDGET
                );
            }
            for g in a.roots.iter().filter(|g| g.circular) {
                let _ = writeln!(out, "    circular: {}", cycle_text(case, g));
            }
        }
        if !a.sources.is_empty() {
            out.push('\n');
            let retracting = &retracting[a.claim as usize];
            let mut rows = vec![row(["sources", "rel", "roots", "chains", ""])];
            for s in &a.sources {
                let src = case.source(s.source);
                let mut notes = Vec::new();
                if s.in_root.is_some() {
                    notes.push("origin");
                }
                if src.kind == Kind::Anonymous {
                    notes.push("anonymous");
                }
                if retracting.contains(&s.source) {
                    notes.push("retracted");
                }
                if s.roots > 1 && s.chains == 1 {
                    notes.push("all through one relay");
                }
                rows.push(row([
                    case.source_id(s.source),
                    &src.reliability.map(String::from).unwrap_or_default(),
                    &s.roots.to_string(),
                    &s.chains.to_string(),
                    &notes.join(", "),
                ]));
            }
            table(&mut out, &rows, &[false, false, true, true, false]);
        }
        for g in &a.loops {
            let _ = writeln!(
                out,
                "\n  circular reporting downstream: {} (reach {})",
                cycle_text(case, g),
                g.reach
            );
        }
        if a.denials.independent > 0 {
            let labels: Vec<String> = a
                .denials
                .roots
                .iter()
                .map(|g| format!("{} (reach {})", group_label(case, g), g.reach))
                .collect();
            let _ = writeln!(
                out,
                "\n  denied by {}: {}",
                plural(
                    a.denials.independent,
                    "independent origin",
                    "independent origins"
                ),
                labels.join(", ")
            );
        }
    }
    if analyses.is_empty() {
        out.push_str("the case has no claims\n");
    }
    out
}

/// What a root group is: the kind of its one source, or `circular`.
fn group_kind(case: &Case, g: &RootGroup) -> String {
    match g.sources.as_slice() {
        [one] => case.source(*one).kind.as_str().to_owned(),
        _ if g.anonymous => "circular, anonymous".to_owned(),
        _ => "circular".to_owned(),
    }
}

fn row<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// Writes rows as an aligned table indented under a claim; the first row is
/// the header, two columns left of the rows. `right[i]` aligns column `i` to
/// the right (numbers).
fn table(out: &mut String, rows: &[Vec<String>], right: &[bool]) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            let cells = rows
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.get(c).map(|s| (i, s)));
            cells
                .map(|(i, s)| s.chars().count() + if c == 0 && i > 0 { 2 } else { 0 })
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, r) in rows.iter().enumerate() {
        let mut line = String::from("  ");
        for (c, cell) in r.iter().enumerate() {
            let cell = if c == 0 && i > 0 {
                format!("  {cell}")
            } else {
                cell.clone()
            };
            let pad = " ".repeat(width[c].saturating_sub(cell.chars().count()));
            if c > 0 {
                line.push_str("  ");
            }
            if right.get(c).copied().unwrap_or(false) {
                line.push_str(&pad);
                line.push_str(&cell);
            } else {
                line.push_str(&cell);
                line.push_str(&pad);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// For every claim, the sources with a `retract` report of it: one pass over
/// the reports, not one per claim.
fn retracting_sources(case: &Case) -> Vec<Vec<SourceIdx>> {
    let mut by = vec![Vec::new(); case.claims.len()];
    for r in case.reports.iter().filter(|r| r.stance == Stance::Retract) {
        let list: &mut Vec<SourceIdx> = &mut by[r.claim as usize];
        if !list.contains(&r.source) {
            list.push(r.source);
        }
    }
    by
}

fn stance_counts(case: &Case) -> Vec<[u32; 5]> {
    let mut by = vec![[0u32; 5]; case.claims.len()];
    for r in &case.reports {
        let i = match r.stance {
            Stance::Support => 0,
            Stance::Deny => 1,
            Stance::Query => 2,
            Stance::Comment => 3,
            Stance::Retract => 4,
        };
        by[r.claim as usize][i] += 1;
    }
    by
}
