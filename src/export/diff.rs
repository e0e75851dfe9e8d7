//! The writers of `rumorgraph diff`: what changed between two versions of a
//! case, per claim (verdict and figures before and after, root groups
//! gained and lost, reports added, removed or changed) and for the sources,
//! as text or JSON.
//!
//! A claim's verdict is `check`'s: PASS when it has a support report and at
//! least `min` counted origins. It changed when it differs before and after,
//! or when the claim is only in one version.

use std::fmt::Write as _;

use serde::Serialize;

use super::{credibility, Counting};
use crate::analysis::diff::{CaseDiff, Change, ClaimDiff, ReportKey};
use crate::analysis::ClaimAnalysis;
use crate::model::Case;

/// What is counted and how many are needed, as for `check`.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub counting: Counting,
    pub min: u32,
}

fn passes(a: &ClaimAnalysis, rule: Rule) -> bool {
    super::check::passes(a, rule.counting, rule.min)
}

/// Whether the claim's verdict changed (or the claim is in one version only).
pub fn verdict_changed(c: &ClaimDiff, rule: Rule) -> bool {
    match (c.before, c.after) {
        (Some(a), Some(b)) => passes(a, rule) != passes(b, rule),
        _ => true,
    }
}

/// How many claims' verdicts changed.
pub fn verdicts_changed(d: &CaseDiff, rule: Rule) -> usize {
    d.claims.iter().filter(|c| verdict_changed(c, rule)).count()
}

#[derive(Serialize, PartialEq)]
struct Figures {
    verdict: &'static str,
    named: u32,
    anonymous: u32,
    undisclosed: u32,
    unknown: u32,
    retracted: u32,
    independent: u32,
    denied_by: u32,
    credibility: &'static str,
}

fn figures(case: &Case, a: &ClaimAnalysis, rule: Rule) -> Figures {
    Figures {
        verdict: if passes(a, rule) { "PASS" } else { "FAIL" },
        named: a.named,
        anonymous: a.anonymous,
        undisclosed: a.undisclosed,
        unknown: a.unknown,
        retracted: a.retracted,
        independent: a.independent,
        denied_by: a.denials.independent,
        credibility: credibility(case, a).0.as_str(),
    }
}

#[derive(Serialize)]
struct Changes<K: Serialize> {
    added: Vec<K>,
    removed: Vec<K>,
    changed: Vec<Changed<K>>,
}

#[derive(Serialize)]
struct Changed<K: Serialize> {
    #[serde(flatten)]
    key: K,
    fields: Vec<&'static str>,
}

/// A source's key in the JSON: `{ "id": ... }`.
#[derive(Serialize, Clone)]
struct SourceKey {
    id: String,
}

fn changes<K: Clone, J: Serialize>(list: &[Change<K>], key: impl Fn(&K) -> J) -> Changes<J> {
    let mut out = Changes {
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
    };
    for c in list {
        match c {
            Change::Added(k) => out.added.push(key(k)),
            Change::Removed(k) => out.removed.push(key(k)),
            Change::Changed(k, f) => out.changed.push(Changed {
                key: key(k),
                fields: f.clone(),
            }),
        }
    }
    out
}

#[derive(Serialize)]
struct JsonClaim {
    id: String,
    status: &'static str,
    verdict_changed: bool,
    before: Option<Figures>,
    after: Option<Figures>,
    text_changed: bool,
    roots_gained: Vec<Vec<String>>,
    roots_lost: Vec<Vec<String>>,
    reports: Changes<ReportKey>,
}

#[derive(Serialize)]
struct JsonDiff {
    min_independent: u32,
    counts: Vec<String>,
    verdicts_changed: usize,
    claims: Vec<JsonClaim>,
    sources: Changes<SourceKey>,
}

fn status(c: &ClaimDiff, same: bool) -> &'static str {
    match (c.before, c.after) {
        (None, _) => "added",
        (_, None) => "removed",
        _ if same => "unchanged",
        _ => "changed",
    }
}

fn unchanged(c: &ClaimDiff, before: &Option<Figures>, after: &Option<Figures>) -> bool {
    before == after
        && !c.text_changed
        && c.roots_gained.is_empty()
        && c.roots_lost.is_empty()
        && c.reports.is_empty()
}

/// The diff as one JSON object (docs/method.md lists its keys).
pub fn json(old: &Case, new: &Case, d: &CaseDiff, rule: Rule) -> String {
    let claims = d
        .claims
        .iter()
        .map(|c| {
            let before = c.before.map(|a| figures(old, a, rule));
            let after = c.after.map(|a| figures(new, a, rule));
            let same = unchanged(c, &before, &after);
            JsonClaim {
                id: c.id.clone(),
                status: status(c, same),
                verdict_changed: verdict_changed(c, rule),
                text_changed: c.text_changed,
                roots_gained: c.roots_gained.clone(),
                roots_lost: c.roots_lost.clone(),
                reports: changes(&c.reports, ReportKey::clone),
                before,
                after,
            }
        })
        .collect();
    let out = JsonDiff {
        min_independent: rule.min,
        counts: rule
            .counting
            .label()
            .split(',')
            .map(str::to_owned)
            .collect(),
        verdicts_changed: verdicts_changed(d, rule),
        claims,
        sources: changes(&d.sources, |id: &String| SourceKey { id: id.clone() }),
    };
    let mut s = serde_json::to_string_pretty(&out).expect("plain data serializes");
    s.push('\n');
    s
}

/// The figures of one version in a line: `FAIL named=1 anonymous=2 ...`.
fn line(f: &Figures) -> String {
    format!(
        "{} named={} anonymous={} undisclosed={} unknown={} retracted={} independent={} denied_by={} credibility={}",
        f.verdict,
        f.named,
        f.anonymous,
        f.undisclosed,
        f.unknown,
        f.retracted,
        f.independent,
        f.denied_by,
        f.credibility
    )
}

fn change_lines<K: std::fmt::Display>(out: &mut String, what: &str, list: &[Change<K>]) {
    for c in list {
        let _ = match c {
            Change::Added(k) => writeln!(out, "  + {what} {k}"),
            Change::Removed(k) => writeln!(out, "  - {what} {k}"),
            Change::Changed(k, f) => writeln!(out, "  ~ {what} {k} ({})", f.join(", ")),
        };
    }
}

/// The diff as text: one block per claim, unchanged claims in one line.
pub fn text(old: &Case, new: &Case, d: &CaseDiff, rule: Rule) -> String {
    let mut out = String::new();
    for c in &d.claims {
        let before = c.before.map(|a| figures(old, a, rule));
        let after = c.after.map(|a| figures(new, a, rule));
        if unchanged(c, &before, &after) {
            let f = before.as_ref().expect("unchanged claims are in both");
            let _ = writeln!(out, "claim {}: unchanged, {}", c.id, f.verdict);
            continue;
        }
        let head = match (&before, &after) {
            (Some(b), Some(a)) if b.verdict != a.verdict => {
                format!("{} -> {} (verdict changed)", b.verdict, a.verdict)
            }
            (Some(b), Some(_)) => format!("{}, figures changed", b.verdict),
            (None, Some(a)) => format!("new claim, {} (verdict changed)", a.verdict),
            (Some(b), None) => format!("removed, was {} (verdict changed)", b.verdict),
            (None, None) => unreachable!("a claim is in one version at least"),
        };
        let _ = writeln!(out, "claim {}: {head}", c.id);
        if let Some(b) = &before {
            let _ = writeln!(out, "  before: {}", line(b));
        }
        if let Some(a) = &after {
            let _ = writeln!(out, "  after:  {}", line(a));
        }
        if c.text_changed {
            let _ = writeln!(out, "  ~ text");
        }
        for g in &c.roots_gained {
            let _ = writeln!(out, "  + root group {}", g.join("+"));
        }
        for g in &c.roots_lost {
            let _ = writeln!(out, "  - root group {}", g.join("+"));
        }
        change_lines(&mut out, "report", &c.reports);
    }
    if !d.sources.is_empty() {
        let _ = writeln!(out, "sources:");
        change_lines(&mut out, "source", &d.sources);
    }
    let n = verdicts_changed(d, rule);
    let _ = writeln!(
        out,
        "{} compared; {}",
        super::plural(d.claims.len() as u32, "claim", "claims"),
        match n {
            0 => "no verdict changed".to_owned(),
            1 => "1 verdict changed".to_owned(),
            n => format!("{n} verdicts changed"),
        }
    );
    out
}
