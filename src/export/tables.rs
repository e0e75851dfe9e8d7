//! CSV tables for pandas, R and spreadsheets, one row per thing, written as
//! a folder of five files (documented column by column in docs/export.md):
//!
//! - `claims.csv`: every figure of a claim;
//! - `sources.csv`: claim × source, with roots, chains, origin, relay;
//! - `roots.csv`: claim × root group (of the support graph and of the
//!   denials): members, basis, circular, reach;
//! - `edges.csv`: claim, from, to, stance, date, quote, url, notes, basis;
//! - `reports.csv`: the case as loaded, normalised, one report a row.

use super::gexf::{edge_values, node_values, EDGE_ATTRIBUTES, NODE_ATTRIBUTES};
use super::{claim_graphs, cycle_text, group_label};
use crate::analysis::{ClaimAnalysis, RootGroup};
use crate::model::Case;

/// The five tables, as (file name, CSV text).
pub fn tables(case: &Case, analyses: &[ClaimAnalysis]) -> Vec<(&'static str, String)> {
    let graphs = claim_graphs(case, analyses);
    let csv = |rows: Vec<Vec<String>>| -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        for r in rows {
            w.write_record(&r).expect("writing to memory");
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 cells")
    };
    let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
    let date = |d: Option<crate::model::PartialDate>| d.map(|d| d.to_string()).unwrap_or_default();

    let mut claims = vec![owned(&[
        "claim",
        "text",
        "reports",
        "independent",
        "named",
        "anonymous",
        "undisclosed",
        "unknown",
        "retracted",
        "single_source",
        "first_reported",
        "first_supported",
        "denials",
        "circular_groups",
        "loops",
    ])];
    for a in analyses {
        let c = case.claim(a.claim);
        claims.push(vec![
            c.id.clone(),
            c.text.clone(),
            a.reports.to_string(),
            a.independent.to_string(),
            a.named.to_string(),
            a.anonymous.to_string(),
            a.undisclosed.to_string(),
            a.unknown.to_string(),
            a.retracted.to_string(),
            a.single_source.to_string(),
            date(a.first_reported),
            date(a.first_supported),
            a.denials.independent.to_string(),
            a.roots.iter().filter(|g| g.circular).count().to_string(),
            a.loops.len().to_string(),
        ]);
    }

    let mut sources = vec![NODE_ATTRIBUTES
        .iter()
        .map(|(t, _)| (*t).to_owned())
        .collect()];
    for (a, (nodes, _)) in analyses.iter().zip(&graphs) {
        for n in nodes {
            sources.push(node_values(case, a, n));
        }
    }

    let mut roots = vec![owned(&[
        "claim",
        "graph",
        "group",
        "members",
        "size",
        "basis",
        "retracted",
        "circular",
        "reach",
        "cycle",
    ])];
    let mut group_row = |a: &ClaimAnalysis, graph: &str, g: &RootGroup| {
        roots.push(vec![
            case.claim(a.claim).id.clone(),
            graph.to_owned(),
            group_label(case, g),
            g.sources
                .iter()
                .map(|&s| case.source_id(s))
                .collect::<Vec<_>>()
                .join(";"),
            g.sources.len().to_string(),
            g.basis.as_str().to_owned(),
            g.retracted.to_string(),
            g.circular.to_string(),
            g.reach.to_string(),
            cycle_text(case, g),
        ]);
    };
    for a in analyses {
        for g in &a.roots {
            group_row(a, "support", g);
        }
        for g in &a.denials.roots {
            group_row(a, "deny", g);
        }
    }

    let mut edges = vec![{
        let mut h = owned(&["from", "to"]);
        h.extend(EDGE_ATTRIBUTES.iter().map(|(t, _)| (*t).to_owned()));
        h
    }];
    for (_, edge_list) in &graphs {
        for e in edge_list {
            let mut row = vec![
                case.source_id(e.from).to_owned(),
                case.source_id(e.to).to_owned(),
            ];
            row.extend(edge_values(case, e.report));
            edges.push(row);
        }
    }

    let mut reports = vec![owned(&[
        "source", "claim", "cites", "stance", "basis", "date", "url", "quote", "notes",
    ])];
    for r in &case.reports {
        reports.push(vec![
            case.source_id(r.source).to_owned(),
            case.claim(r.claim).id.clone(),
            r.cites
                .iter()
                .map(|&c| case.source_id(c))
                .collect::<Vec<_>>()
                .join(";"),
            r.stance.as_str().to_owned(),
            r.basis.as_str().to_owned(),
            date(r.date),
            r.url().unwrap_or_default().to_owned(),
            r.quote().unwrap_or_default().to_owned(),
            r.notes().unwrap_or_default().to_owned(),
        ]);
    }
    vec![
        ("claims.csv", csv(claims)),
        ("sources.csv", csv(sources)),
        ("roots.csv", csv(roots)),
        ("edges.csv", csv(edges)),
        ("reports.csv", csv(reports)),
    ]
}
