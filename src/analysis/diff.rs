//! diff: what changed between two versions of a case.
//!
//! Claims are matched by id, sources by id, and reports by claim, source and
//! date (several reports with the same three are matched in the order the
//! case gives them). For each claim: the analyses before and after, the
//! root groups gained and lost (a group is its set of member ids), and the
//! reports added, removed or changed. For the case: the sources added,
//! removed or changed. Whether a verdict changed is the writers' to say, as
//! it depends on what is counted (see [`crate::export::diff`]).
//!
//! # Complexity
//!
//! *O(R log R + S log S)* for `R` reports and `S` sources of the two
//! versions together, besides the two analyses.
//!
//! # Example
//!
//! Version 1 has `wire` citing `agency`; version 2 adds `witness`, cited
//! by `wire` too. The claim gains the root group `{witness}`, one report is
//! changed (its `cites`), one source is added.

use std::collections::{BTreeMap, BTreeSet};

use super::ClaimAnalysis;
use crate::model::{Case, Report, SourceIdx};

/// One thing added, removed or changed, named by `K`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change<K> {
    Added(K),
    Removed(K),
    /// The thing, and which of its fields changed.
    Changed(K, Vec<&'static str>),
}

/// How a report is matched between versions: its source and date, and
/// which of the reports with those two it is (1 for the first, in case
/// order).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct ReportKey {
    pub source: String,
    pub date: Option<String>,
    #[serde(skip_serializing_if = "is_first")]
    pub nth: u32,
}

fn is_first(n: &u32) -> bool {
    *n == 1
}

impl std::fmt::Display for ReportKey {
    /// `source, date` (`undated` without a date), then ` #n` after the first.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {}",
            self.source,
            self.date.as_deref().unwrap_or("undated")
        )?;
        if self.nth > 1 {
            write!(f, " #{}", self.nth)?;
        }
        Ok(())
    }
}

/// What changed in one claim.
#[derive(Clone, Debug)]
pub struct ClaimDiff<'a> {
    pub id: String,
    /// The claim's analysis in the old version (`None`: the claim is new).
    pub before: Option<&'a ClaimAnalysis>,
    /// The claim's analysis in the new version (`None`: it was removed).
    pub after: Option<&'a ClaimAnalysis>,
    /// The claim's text changed.
    pub text_changed: bool,
    /// Root groups of the new version that the old one did not have, each
    /// as its sorted member ids.
    pub roots_gained: Vec<Vec<String>>,
    /// Root groups of the old version gone from the new one.
    pub roots_lost: Vec<Vec<String>>,
    /// Reports of the claim.
    pub reports: Vec<Change<ReportKey>>,
}

/// What changed between two versions of a case.
#[derive(Clone, Debug)]
pub struct CaseDiff<'a> {
    /// The claims analysed in either version: the old version's order, then
    /// the claims only the new one has.
    pub claims: Vec<ClaimDiff<'a>>,
    /// Sources by id.
    pub sources: Vec<Change<String>>,
}

/// Compares two versions of a case and their analyses (of the same
/// selection of claims).
pub fn diff<'a>(
    old: &Case,
    old_analyses: &'a [ClaimAnalysis],
    new: &Case,
    new_analyses: &'a [ClaimAnalysis],
) -> CaseDiff<'a> {
    let old_by_claim = old.reports_by_claim();
    let new_by_claim = new.reports_by_claim();
    let mut order: Vec<String> = old_analyses
        .iter()
        .map(|a| old.claim(a.claim).id.clone())
        .collect();
    let known: BTreeSet<String> = order.iter().cloned().collect();
    order.extend(
        new_analyses
            .iter()
            .map(|a| new.claim(a.claim).id.clone())
            .filter(|id| !known.contains(id)),
    );
    let find = |case: &Case, analyses: &'a [ClaimAnalysis], id: &str| {
        let c = case.claim_index(id)?;
        analyses.iter().find(|a| a.claim == c)
    };
    let claims = order
        .into_iter()
        .map(|id| {
            let before = find(old, old_analyses, &id);
            let after = find(new, new_analyses, &id);
            let groups = |case: &Case, a: Option<&ClaimAnalysis>| -> BTreeSet<Vec<String>> {
                a.map(|a| {
                    a.roots
                        .iter()
                        .map(|g| {
                            let mut ids: Vec<String> = g
                                .sources
                                .iter()
                                .map(|&s| case.source_id(s).to_owned())
                                .collect();
                            ids.sort();
                            ids
                        })
                        .collect()
                })
                .unwrap_or_default()
            };
            let (g0, g1) = (groups(old, before), groups(new, after));
            let reports_of = |by: &[Vec<u32>], a: Option<&ClaimAnalysis>| {
                a.map(|a| by[a.claim as usize].clone()).unwrap_or_default()
            };
            let text = |case: &Case, a: Option<&ClaimAnalysis>| {
                a.map(|a| case.claim(a.claim).text.clone())
            };
            ClaimDiff {
                text_changed: before.is_some()
                    && after.is_some()
                    && text(old, before) != text(new, after),
                roots_gained: g1.difference(&g0).cloned().collect(),
                roots_lost: g0.difference(&g1).cloned().collect(),
                reports: report_changes(
                    old,
                    &reports_of(&old_by_claim, before),
                    new,
                    &reports_of(&new_by_claim, after),
                ),
                id,
                before,
                after,
            }
        })
        .collect();
    CaseDiff {
        claims,
        sources: source_changes(old, new),
    }
}

fn report_changes(
    old: &Case,
    old_reports: &[u32],
    new: &Case,
    new_reports: &[u32],
) -> Vec<Change<ReportKey>> {
    // (source id, date) to the reports with those, in case order.
    let keyed = |case: &Case, reports: &[u32]| {
        let mut m: BTreeMap<(String, Option<String>), Vec<u32>> = BTreeMap::new();
        for &ri in reports {
            let r = &case.reports[ri as usize];
            let key = (
                case.source_id(r.source).to_owned(),
                r.date.map(|d| d.to_string()),
            );
            m.entry(key).or_default().push(ri);
        }
        m
    };
    let (a, b) = (keyed(old, old_reports), keyed(new, new_reports));
    let keys: BTreeSet<&(String, Option<String>)> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let (xs, ys) = (
            a.get(key).map_or(&[][..], Vec::as_slice),
            b.get(key).map_or(&[][..], Vec::as_slice),
        );
        for i in 0..xs.len().max(ys.len()) {
            let name = ReportKey {
                source: key.0.clone(),
                date: key.1.clone(),
                nth: i as u32 + 1,
            };
            match (xs.get(i), ys.get(i)) {
                (Some(&x), Some(&y)) => {
                    let fields =
                        report_fields(old, &old.reports[x as usize], new, &new.reports[y as usize]);
                    if !fields.is_empty() {
                        out.push(Change::Changed(name, fields));
                    }
                }
                (Some(_), None) => out.push(Change::Removed(name)),
                (None, Some(_)) => out.push(Change::Added(name)),
                (None, None) => {}
            }
        }
    }
    out
}

fn report_fields(old: &Case, x: &Report, new: &Case, y: &Report) -> Vec<&'static str> {
    let cites = |case: &Case, r: &Report| -> Vec<String> {
        r.cites
            .iter()
            .map(|&c| case.source_id(c).to_owned())
            .collect()
    };
    changed_fields([
        ("cites", cites(old, x) != cites(new, y)),
        ("stance", x.stance != y.stance),
        ("basis", x.basis != y.basis),
        ("quote", x.quote() != y.quote()),
        ("url", x.url() != y.url()),
        ("notes", x.notes() != y.notes()),
    ])
}

/// The names of the fields that differ, in the order given.
fn changed_fields<const N: usize>(fields: [(&'static str, bool); N]) -> Vec<&'static str> {
    fields
        .into_iter()
        .filter(|&(_, differs)| differs)
        .map(|(name, _)| name)
        .collect()
}

fn source_changes(old: &Case, new: &Case) -> Vec<Change<String>> {
    fn by_id(case: &Case) -> BTreeMap<&str, SourceIdx> {
        (0..case.sources.len() as SourceIdx)
            .map(|i| (case.source_id(i), i))
            .collect()
    }
    let (a, b) = (by_id(old), by_id(new));
    let keys: BTreeSet<&str> = a.keys().chain(b.keys()).copied().collect();
    let mut out = Vec::new();
    for key in keys {
        match (a.get(key), b.get(key)) {
            (Some(&i), Some(&j)) => {
                let (x, y) = (old.source(i), new.source(j));
                let f = changed_fields([
                    ("name", old.source_name(i) != new.source_name(j)),
                    ("kind", x.kind != y.kind),
                    ("country", x.country() != y.country()),
                    ("reliability", x.reliability != y.reliability),
                    ("url", x.url() != y.url()),
                    ("notes", x.notes() != y.notes()),
                    ("declared", x.declared != y.declared),
                ]);
                if !f.is_empty() {
                    out.push(Change::Changed(key.to_owned(), f));
                }
            }
            (Some(_), None) => out.push(Change::Removed(key.to_owned())),
            (None, Some(_)) => out.push(Change::Added(key.to_owned())),
            (None, None) => {}
        }
    }
    out
}
