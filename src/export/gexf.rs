//! GEXF 1.3, for Gephi (and networkx's `read_gexf`): every claim's graph in
//! one directed graph, one node per source per claim (`claim/source`), one
//! edge per citation of a report, from the cited source to the citing one.
//!
//! Nodes carry the figures as typed attributes (name, kind, country,
//! reliability, first date, roots, chains, origin, root group, basis,
//! circular, …); edges carry the claim, stance, date, quote, URL, notes and
//! basis of their report. Dates are also the nodes' and edges' `start`, so
//! Gephi's timeline plays the claim's spread. Colours and shapes are those
//! of the diagrams, and positions are Graphviz's layout of them when `dot`
//! is installed. The viz elements are written with the prefix `viz` bound to
//! the GEXF namespace itself, which is what the official 1.3 schema defines
//! (and what Gephi, which reads them by name, takes).

use std::fmt::Write as _;

use super::{claim_graphs, node_id, xml_escape, ExportNode};
use crate::analysis::{ClaimAnalysis, GroupBasis};
use crate::model::{Case, Kind, PartialDate};

/// The node attributes, in order: (title, GEXF type).
pub const NODE_ATTRIBUTES: [(&str, &str); 17] = [
    ("claim", "string"),
    ("source", "string"),
    ("name", "string"),
    ("kind", "string"),
    ("country", "string"),
    ("reliability", "string"),
    ("first_date", "string"),
    ("supports", "boolean"),
    ("roots", "integer"),
    ("chains", "integer"),
    ("origin", "boolean"),
    ("root_group", "string"),
    ("basis", "string"),
    ("circular", "boolean"),
    ("retracted", "boolean"),
    ("denies", "boolean"),
    ("relay", "boolean"),
];

/// The edge attributes, in order.
pub const EDGE_ATTRIBUTES: [(&str, &str); 7] = [
    ("claim", "string"),
    ("stance", "string"),
    ("date", "string"),
    ("quote", "string"),
    ("url", "string"),
    ("notes", "string"),
    ("basis", "string"),
];

/// The values of a node's attributes, in [`NODE_ATTRIBUTES`] order; an
/// empty string for a value the case does not give.
pub fn node_values(case: &Case, a: &ClaimAnalysis, n: &ExportNode) -> Vec<String> {
    let src = case.source(n.source);
    let group = n.root_group.map(|g| &a.roots[g as usize]);
    vec![
        case.claim(a.claim).id.clone(),
        case.source_id(n.source).to_owned(),
        case.source_name(n.source).to_owned(),
        src.kind.as_str().to_owned(),
        src.country().unwrap_or_default().to_owned(),
        src.reliability.map(String::from).unwrap_or_default(),
        n.first.map(|d| d.to_string()).unwrap_or_default(),
        n.supports.to_string(),
        n.roots.to_string(),
        n.chains.to_string(),
        group.is_some().to_string(),
        group
            .map(|g| super::group_label(case, g))
            .unwrap_or_default(),
        group
            .map(|g| {
                if g.retracted {
                    "retracted".to_owned()
                } else {
                    g.basis.as_str().to_owned()
                }
            })
            .unwrap_or_default(),
        n.circular.to_string(),
        n.retracted.to_string(),
        n.denies.to_string(),
        (n.roots > 1 && n.chains == 1).to_string(),
    ]
}

/// The values of an edge's attributes, in [`EDGE_ATTRIBUTES`] order.
pub fn edge_values(case: &Case, report: u32) -> Vec<String> {
    let r = &case.reports[report as usize];
    vec![
        case.claim(r.claim).id.clone(),
        r.stance.as_str().to_owned(),
        r.date.map(|d| d.to_string()).unwrap_or_default(),
        r.quote().unwrap_or_default().to_owned(),
        r.url().unwrap_or_default().to_owned(),
        r.notes().unwrap_or_default().to_owned(),
        r.basis.as_str().to_owned(),
    ]
}

/// The fill of a node, as in the diagrams, as (r, g, b).
pub fn colour(a: &ClaimAnalysis, n: &ExportNode) -> (u8, u8, u8) {
    let hex = match n.root_group.map(|g| a.roots[g as usize].basis) {
        Some(GroupBasis::Named) => "1f4e9c",
        Some(GroupBasis::Anonymous) => "b7c9ea",
        Some(GroupBasis::Undisclosed) => "f2d59b",
        Some(GroupBasis::Unknown) => "dddddd",
        None if n.denies => "f4c7c3",
        None => "ffffff",
    };
    let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    (c(0), c(2), c(4))
}

/// The GEXF shape of a kind: the diagrams' shapes, as near as GEXF's four go.
pub fn shape(kind: Kind) -> &'static str {
    match kind {
        Kind::Outlet => "square",
        Kind::Person | Kind::Social | Kind::Unknown => "disc",
        Kind::Agency | Kind::Anonymous => "triangle",
        Kind::Document => "diamond",
    }
}

/// The first day of a date, as an XML date.
fn day(d: PartialDate) -> String {
    let (y, m, dd) = d.first_day();
    format!("{y:04}-{m:02}-{dd:02}")
}

/// The GEXF document. `positions` gives a node's place (by its id) when a
/// layout is at hand.
pub fn gexf(
    case: &Case,
    analyses: &[ClaimAnalysis],
    positions: &dyn Fn(&str) -> Option<(f64, f64)>,
) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3\" version=\"1.3\">\n",
    );
    let _ = writeln!(
        out,
        "  <meta>\n    <creator>rumorgraph {}</creator>\n    <description>{}</description>\n  </meta>",
        env!("CARGO_PKG_VERSION"),
        xml_escape(case.title.as_deref().unwrap_or("rumorgraph case"))
    );
    out.push_str("  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\">\n");
    out.push_str("    <attributes class=\"node\" mode=\"static\">\n");
    for (i, (title, ty)) in NODE_ATTRIBUTES.iter().enumerate() {
        let _ = writeln!(
            out,
            "      <attribute id=\"n{i}\" title=\"{title}\" type=\"{ty}\"/>"
        );
    }
    out.push_str("    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n");
    for (i, (title, ty)) in EDGE_ATTRIBUTES.iter().enumerate() {
        let _ = writeln!(
            out,
            "      <attribute id=\"e{i}\" title=\"{title}\" type=\"{ty}\"/>"
        );
    }
    out.push_str("    </attributes>\n");
    let graphs = claim_graphs(case, analyses);
    out.push_str("    <nodes>\n");
    for (a, (nodes, _)) in analyses.iter().zip(&graphs) {
        for n in nodes {
            let id = node_id(case, a, n.source);
            let start = n
                .first
                .map(|d| format!(" start=\"{}\"", day(d)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "      <node id=\"{}\" label=\"{}\"{start}>",
                xml_escape(&id),
                xml_escape(case.source_name(n.source))
            );
            out.push_str("        <attvalues>\n");
            for (i, v) in node_values(case, a, n).iter().enumerate() {
                let _ = writeln!(
                    out,
                    "          <attvalue for=\"n{i}\" value=\"{}\"/>",
                    xml_escape(v)
                );
            }
            out.push_str("        </attvalues>\n");
            let (r, g, b) = colour(a, n);
            let _ = writeln!(out, "        <viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>");
            if let Some((x, y)) = positions(&id) {
                let _ = writeln!(
                    out,
                    "        <viz:position x=\"{x:.2}\" y=\"{y:.2}\" z=\"0\"/>"
                );
            }
            let _ = writeln!(
                out,
                "        <viz:shape value=\"{}\"/>",
                shape(case.source(n.source).kind)
            );
            out.push_str("      </node>\n");
        }
    }
    out.push_str("    </nodes>\n    <edges>\n");
    let mut k = 0;
    for (a, (_, edges)) in analyses.iter().zip(&graphs) {
        for e in edges {
            let r = &case.reports[e.report as usize];
            let start = r
                .date
                .map(|d| format!(" start=\"{}\"", day(d)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "      <edge id=\"{k}\" source=\"{}\" target=\"{}\"{start}>",
                xml_escape(&node_id(case, a, e.from)),
                xml_escape(&node_id(case, a, e.to))
            );
            k += 1;
            out.push_str("        <attvalues>\n");
            for (i, v) in edge_values(case, e.report).iter().enumerate() {
                let _ = writeln!(
                    out,
                    "          <attvalue for=\"e{i}\" value=\"{}\"/>",
                    xml_escape(v)
                );
            }
            out.push_str("        </attvalues>\n");
            let shape = match r.stance {
                crate::model::Stance::Support => "solid",
                crate::model::Stance::Deny => "dashed",
                _ => "dotted",
            };
            let _ = writeln!(out, "        <viz:shape value=\"{shape}\"/>");
            out.push_str("      </edge>\n");
        }
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}
