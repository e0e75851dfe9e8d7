//! GraphML, for networkx's `read_graphml`, igraph and yEd: every claim's
//! graph in one directed graph, with typed keys for the same attributes as
//! the GEXF export (see [`super::gexf`]): one node per source per claim
//! (`claim/source`), one edge per citation of a report.

use std::fmt::Write as _;

use super::gexf::{edge_values, node_values, EDGE_ATTRIBUTES, NODE_ATTRIBUTES};
use super::{claim_graphs, node_id, xml_escape};
use crate::analysis::ClaimAnalysis;
use crate::model::Case;

/// The GraphML type of a GEXF attribute type.
fn key_type(gexf: &str) -> &'static str {
    match gexf {
        "integer" => "int",
        "boolean" => "boolean",
        _ => "string",
    }
}

/// The GraphML document.
pub fn graphml(case: &Case, analyses: &[ClaimAnalysis]) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for (i, (title, ty)) in NODE_ATTRIBUTES.iter().enumerate() {
        let _ = writeln!(
            out,
            "  <key id=\"n{i}\" for=\"node\" attr.name=\"{title}\" attr.type=\"{}\"/>",
            key_type(ty)
        );
    }
    for (i, (title, ty)) in EDGE_ATTRIBUTES.iter().enumerate() {
        let _ = writeln!(
            out,
            "  <key id=\"e{i}\" for=\"edge\" attr.name=\"{title}\" attr.type=\"{}\"/>",
            key_type(ty)
        );
    }
    let _ = writeln!(
        out,
        "  <graph id=\"{}\" edgedefault=\"directed\">",
        xml_escape(case.title.as_deref().unwrap_or("rumorgraph"))
    );
    let graphs = claim_graphs(case, analyses);
    for (a, (nodes, _)) in analyses.iter().zip(&graphs) {
        for n in nodes {
            let _ = writeln!(
                out,
                "    <node id=\"{}\">",
                xml_escape(&node_id(case, a, n.source))
            );
            for (i, v) in node_values(case, a, n).iter().enumerate() {
                let _ = writeln!(out, "      <data key=\"n{i}\">{}</data>", xml_escape(v));
            }
            out.push_str("    </node>\n");
        }
    }
    let mut k = 0;
    for (a, (_, edges)) in analyses.iter().zip(&graphs) {
        for e in edges {
            let _ = writeln!(
                out,
                "    <edge id=\"e{k}\" source=\"{}\" target=\"{}\">",
                xml_escape(&node_id(case, a, e.from)),
                xml_escape(&node_id(case, a, e.to))
            );
            k += 1;
            for (i, v) in edge_values(case, e.report).iter().enumerate() {
                let _ = writeln!(out, "      <data key=\"e{i}\">{}</data>", xml_escape(v));
            }
            out.push_str("    </edge>\n");
        }
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
