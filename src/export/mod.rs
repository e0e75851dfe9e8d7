//! The figures rendered for people, for scripts and for other tools: one
//! writer a format, each in a file of its own, all reading the same
//! [`crate::analysis`] results, so that the same input gives the same bytes.
//! Adding a format is adding a file here.
//!
//! - [`text`](mod@text): the readable report of `analyze`;
//! - [`json`](mod@json): `analyze --format json`, the contract of docs/method.md;
//! - [`check`](mod@check): the PASS/FAIL lines of `check`;
//! - [`trace`](mod@trace): the chains of `trace`;
//! - [`timeline`]: the days a claim's figures changed;
//! - [`dot`]: Graphviz diagrams, and pictures rendered by Graphviz;
//! - [`gexf`], [`graphml`]: graphs for Gephi, networkx, igraph;
//! - [`tables`]: CSV tables for pandas and R;
//! - [`prov`]: W3C PROV, as PROV-JSON and PROV-N.
//!
//! This file holds what several of them share: how a verdict counts, and
//! how a root group and a verdict are written.

pub mod check;
pub mod diff;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod json;
pub mod prov;
pub mod tables;
pub mod text;
pub mod timeline;
pub mod trace;

pub use check::check;
pub use json::json;
pub use text::text;
pub use trace::trace;

use std::fmt::Write as _;

use crate::analysis::{ClaimAnalysis, GroupBasis, RootGroup};
use crate::model::Case;

/// How a verdict counts origins: `named` root groups always, the other
/// three kinds when asked for. Retracted groups never count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counting {
    /// Count `anonymous` root groups too.
    pub anonymous: bool,
    /// Count `undisclosed` root groups too.
    pub undisclosed: bool,
    /// Count `unknown` root groups too.
    pub unknown: bool,
}

impl Counting {
    /// Whether root groups of this basis are counted.
    pub fn counts(&self, b: GroupBasis) -> bool {
        match b {
            GroupBasis::Named => true,
            GroupBasis::Anonymous => self.anonymous,
            GroupBasis::Undisclosed => self.undisclosed,
            GroupBasis::Unknown => self.unknown,
        }
    }

    /// The kinds counted, as the check line writes them: `named`,
    /// `named,anonymous`, ...
    pub fn label(&self) -> String {
        let words: Vec<&str> = GroupBasis::ALL
            .iter()
            .filter(|&&b| self.counts(b))
            .map(|b| b.as_str())
            .collect();
        words.join(",")
    }
}

/// What the graph says about a claim's credibility on the Admiralty (NATO
/// STANAG 2511) scale, where 1 means "confirmed by other independent
/// sources". A hint, never a grade: grades 2 to 5 depend on judgements the
/// graph does not hold (docs/method.md lists what an analyst must still
/// check).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credibility {
    /// At least two named independent origins, and no named denial: grade 1
    /// may be considered.
    Eligible1,
    /// Fewer than two named independent origins: grade 1 is out.
    Not1,
    /// The denials have a named independent origin: consider grade 5.
    Contradicted,
    /// No support report: grade 6 (truth cannot be judged).
    NoBasis,
}

impl Credibility {
    /// The word used in the JSON, the check line and `--require`.
    pub fn as_str(self) -> &'static str {
        match self {
            Credibility::Eligible1 => "eligible-1",
            Credibility::Not1 => "not-1",
            Credibility::Contradicted => "contradicted",
            Credibility::NoBasis => "no-basis",
        }
    }
}

/// The credibility hint of a claim and the reason for it, in words.
pub fn credibility(case: &Case, a: &ClaimAnalysis) -> (Credibility, String) {
    let named_denials: Vec<String> = a
        .denials
        .roots
        .iter()
        .filter(|g| g.basis == GroupBasis::Named)
        .map(|g| group_label(case, g))
        .collect();
    if a.independent == 0 {
        (
            Credibility::NoBasis,
            "no support report: the truth cannot be judged from this record (grade 6)".to_owned(),
        )
    } else if !named_denials.is_empty() {
        (
            Credibility::Contradicted,
            format!(
                "denied by {}: {}; consider grade 5 (improbable) and weigh the denial",
                plural(
                    named_denials.len() as u32,
                    "named independent origin",
                    "named independent origins"
                ),
                named_denials.join(", ")
            ),
        )
    } else if a.named >= 2 {
        (
            Credibility::Eligible1,
            format!(
                "{} with no recorded path between them: grade 1 may be considered, after the checks of docs/method.md",
                plural(a.named, "named independent origin", "named independent origins")
            ),
        )
    } else {
        let why = shortfall(a, Counting::default(), 2)
            .map(|w| format!("; {w}"))
            .unwrap_or_default();
        (
            Credibility::Not1,
            format!(
                "{}: not confirmed by independent sources on this record, so not grade 1{why}",
                plural(
                    a.named,
                    "named independent origin",
                    "named independent origins"
                )
            ),
        )
    }
}

/// A claim's count of root groups of one basis, retracted ones left out.
pub fn count_of(a: &ClaimAnalysis, b: GroupBasis) -> u32 {
    match b {
        GroupBasis::Named => a.named,
        GroupBasis::Anonymous => a.anonymous,
        GroupBasis::Undisclosed => a.undisclosed,
        GroupBasis::Unknown => a.unknown,
    }
}

/// Why a claim has fewer counted origins than `min`, when the reason is not
/// just "too few named origins": no support report at all, or origins that
/// exist but are not counted (with what to do about each). `None` when the
/// claim has enough.
pub fn shortfall(a: &ClaimAnalysis, counting: Counting, min: u32) -> Option<String> {
    if a.independent == 0 {
        return Some(
            "no support report: nothing stands behind the claim (a claim without support never passes)"
                .to_owned(),
        );
    }
    if counted(a, counting) >= min {
        return None;
    }
    let mut why = Vec::new();
    if a.unknown > 0 && !counting.unknown {
        why.push(format!(
            "{}: declare {}, or count {} with --count unknown",
            plural(
                a.unknown,
                "origin of unknown kind",
                "origins of unknown kind"
            ),
            if a.unknown == 1 {
                "its kind"
            } else {
                "their kinds"
            },
            if a.unknown == 1 { "it" } else { "them" },
        ));
    }
    if a.undisclosed > 0 && !counting.undisclosed {
        why.push(format!(
            "{} without saying where the claim came from (basis undisclosed): find where {} it, or count {} with --count undisclosed",
            plural(a.undisclosed, "origin asserts it", "origins assert it"),
            if a.undisclosed == 1 { "it got" } else { "they got" },
            if a.undisclosed == 1 { "it" } else { "them" },
        ));
    }
    if a.anonymous > 0 && !counting.anonymous {
        why.push(format!(
            "{} not counted: count {} with --count anonymous",
            plural(a.anonymous, "anonymous origin is", "anonymous origins are"),
            if a.anonymous == 1 { "it" } else { "them" },
        ));
    }
    if a.retracted > 0 {
        why.push(format!(
            "{} retracted {} support",
            plural(a.retracted, "origin", "origins"),
            if a.retracted == 1 { "its" } else { "their" },
        ));
    }
    (!why.is_empty()).then(|| why.join("; "))
}

/// The label of a root group: its source id, or `a+b+c` for a circular group.
pub fn group_label(case: &Case, g: &RootGroup) -> String {
    let ids: Vec<&str> = g.sources.iter().map(|&s| case.source_id(s)).collect();
    ids.join("+")
}

/// A cycle walk written `a -> b -> c -> a`.
pub fn cycle_text(case: &Case, g: &RootGroup) -> String {
    let ids: Vec<&str> = g.cycle.iter().map(|&s| case.source_id(s)).collect();
    ids.join(" -> ")
}

/// `1 claim`, `2 claims`.
pub fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one-line verdict of a claim, e.g. "3 named independent origins:
/// kheirullah, isis-video, russian-intel; 2 anonymous: a, b; first reported
/// 2015-12". Origins of every kind are listed, counted or not.
pub fn verdict(case: &Case, a: &ClaimAnalysis, counting: Counting) -> String {
    let labels = |keep: &dyn Fn(&RootGroup) -> bool| -> Vec<String> {
        a.roots
            .iter()
            .filter(|g| keep(g))
            .map(|g| group_label(case, g))
            .collect()
    };
    let of = |b: GroupBasis| labels(&|g: &RootGroup| g.basis == b && !g.retracted);
    let mut s = String::new();
    if a.independent == 0 {
        s.push_str("no support reports: no origin");
    } else {
        let counted_n = counted(a, counting);
        if counting == Counting::default() {
            if a.named == 0 {
                s.push_str("no named origin");
            } else {
                let _ = write!(
                    s,
                    "{}: {}",
                    plural(
                        a.named,
                        "named independent origin",
                        "named independent origins"
                    ),
                    of(GroupBasis::Named).join(", ")
                );
            }
        } else {
            let all = labels(&|g: &RootGroup| counting.counts(g.basis) && !g.retracted);
            let _ = write!(
                s,
                "{} ({}){}{}",
                plural(counted_n, "independent origin", "independent origins"),
                counting.label(),
                if all.is_empty() { "" } else { ": " },
                all.join(", ")
            );
        }
        for (b, word) in [
            (GroupBasis::Anonymous, "anonymous"),
            (GroupBasis::Undisclosed, "undisclosed"),
            (GroupBasis::Unknown, "of unknown kind"),
        ] {
            let n = count_of(a, b);
            if n > 0 {
                let _ = write!(s, "; {n} {word}: {}", of(b).join(", "));
            }
        }
        if a.retracted > 0 {
            let _ = write!(
                s,
                "; {} retracted: {}",
                a.retracted,
                labels(&|g: &RootGroup| g.retracted).join(", ")
            );
        }
    }
    let circular = a.roots.iter().filter(|g| g.circular).count() as u32;
    if circular > 0 {
        let _ = write!(
            s,
            "; {}",
            plural(circular, "circular group", "circular groups")
        );
    }
    match (a.first_reported, a.first_supported) {
        (Some(r), Some(s2)) if r != s2 => {
            let _ = write!(s, "; first reported {r}, first supported {s2}");
        }
        (Some(r), _) => {
            let _ = write!(s, "; first reported {r}");
        }
        (None, _) => s.push_str("; no dated report"),
    }
    s
}

/// The count a verdict is judged on: named origins, plus the kinds asked
/// for; never retracted ones.
pub fn counted(a: &ClaimAnalysis, counting: Counting) -> u32 {
    GroupBasis::ALL
        .iter()
        .filter(|&&b| counting.counts(b))
        .map(|&b| count_of(a, b))
        .sum()
}

/// One source of a claim's graph, as the graph exports write it.
#[derive(Clone, Debug)]
pub struct ExportNode {
    pub source: crate::model::SourceIdx,
    /// Its earliest report of the claim, any stance.
    pub first: Option<crate::model::PartialDate>,
    /// In G⁺(C): the source supports the claim or is cited by a report that does.
    pub supports: bool,
    pub roots: u32,
    pub chains: u32,
    /// The index of its root group in [`ClaimAnalysis::roots`], if any.
    pub root_group: Option<u32>,
    /// It is in a circular root group or a loop downstream.
    pub circular: bool,
    /// It has a `retract` report of the claim.
    pub retracted: bool,
    /// It has a `deny` report of the claim.
    pub denies: bool,
}

/// One citation of a claim's report, as the graph exports write it.
#[derive(Clone, Debug)]
pub struct ExportEdge {
    /// The cited source (where the statement came from) and the citing one.
    pub from: crate::model::SourceIdx,
    pub to: crate::model::SourceIdx,
    /// The report, an index into [`Case::reports`].
    pub report: u32,
}

/// The nodes (every source of the claim's reports and citations, any
/// stance, in id order) and edges (one per citation of a report, in case
/// order) of one claim, with its figures.
pub fn claim_graph(
    case: &Case,
    a: &ClaimAnalysis,
    reports: &[u32],
) -> (Vec<ExportNode>, Vec<ExportEdge>) {
    use crate::model::Stance;
    let rank = case.source_rank();
    let mut nodes: std::collections::BTreeMap<u32, ExportNode> = std::collections::BTreeMap::new();
    let blank = |s: crate::model::SourceIdx| ExportNode {
        source: s,
        first: None,
        supports: false,
        roots: 0,
        chains: 0,
        root_group: None,
        circular: false,
        retracted: false,
        denies: false,
    };
    let mut edges = Vec::new();
    for &ri in reports {
        let r = &case.reports[ri as usize];
        let n = nodes
            .entry(rank[r.source as usize])
            .or_insert_with(|| blank(r.source));
        if let Some(d) = r.date {
            n.first = Some(n.first.map_or(d, |f| f.min(d)));
        }
        match r.stance {
            Stance::Retract => n.retracted = true,
            Stance::Deny => n.denies = true,
            _ => {}
        }
        for &u in &r.cites {
            nodes.entry(rank[u as usize]).or_insert_with(|| blank(u));
            edges.push(ExportEdge {
                from: u,
                to: r.source,
                report: ri,
            });
        }
    }
    for f in &a.sources {
        if let Some(n) = nodes.get_mut(&rank[f.source as usize]) {
            n.supports = true;
            n.roots = f.roots;
            n.chains = f.chains;
            n.root_group = f.in_root;
        }
    }
    for g in a.roots.iter().chain(&a.loops).filter(|g| g.circular) {
        for &s in &g.sources {
            if let Some(n) = nodes.get_mut(&rank[s as usize]) {
                n.circular = true;
            }
        }
    }
    (nodes.into_values().collect(), edges)
}

/// The claims' graphs, for every export that draws all of them at once.
pub fn claim_graphs(
    case: &Case,
    analyses: &[ClaimAnalysis],
) -> Vec<(Vec<ExportNode>, Vec<ExportEdge>)> {
    let by_claim = case.reports_by_claim();
    analyses
        .iter()
        .map(|a| claim_graph(case, a, &by_claim[a.claim as usize]))
        .collect()
}

/// Text escaped for an XML attribute or element: the five predefined
/// entities. Control characters never reach here (the loader refuses them,
/// but for line breaks and tabs, which are written as character references).
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// The node id of a source in a claim's graph, for formats that hold all
/// claims in one graph: `claim-id/source-id`.
pub fn node_id(case: &Case, a: &ClaimAnalysis, s: crate::model::SourceIdx) -> String {
    format!("{}/{}", case.claim(a.claim).id, case.source_id(s))
}
