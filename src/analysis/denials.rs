//! Denials: the root groups of G⁻(C), the graph of a claim's deny reports,
//! counted exactly as origins are counted in G⁺(C).
//!
//! # Complexity
//!
//! The same as components and reach on G⁻(C): *O((n⁻ + m⁻) · ⌈r⁻ / 64⌉)* for
//! its `n⁻` sources, `m⁻` citations and `r⁻` root groups.
//!
//! # Example
//!
//! The club and the agent deny a transfer first-hand and the wire carries the
//! club's denial: the denials have two root groups, `agent` (reach 0) and
//! `club` (reach 1).

use super::components::{components, groups, id_order, in_order};
use super::reach::propagate;
use super::{group, set_cycles, walks, Denials, RootGroup, Said};
use crate::graph::{self, ClaimReports};
use crate::model::{Case, Stance};

/// The root groups of G⁻(C), from the claim's reports.
pub(super) fn denials(case: &Case, reports: &ClaimReports) -> Denials {
    // Most claims have no deny report: no graph to build then.
    if !reports.iter().any(|(r, _)| r.stance == Stance::Deny) {
        return Denials {
            independent: 0,
            roots: Vec::new(),
        };
    }
    let g = graph::build_from(case, reports, Stance::Deny);
    let cs = components(&g);
    // Worked on in the order of memory, then put in id order.
    let (root_comps, _) = groups(&cs);
    let spread = propagate(&g, &cs, &root_comps, root_comps.len());
    let said = Said::new(case, &g, reports, Stance::Deny);
    let mut roots: Vec<RootGroup> = root_comps
        .iter()
        .enumerate()
        .map(|(i, &c)| group(case, &g, &cs, &said, c, spread.reach[i]))
        .collect();
    set_cycles(roots.iter_mut(), walks(&g, &cs, root_comps.iter()));
    let shapes = super::cascade::cascades_of(&g, &cs, &root_comps, &spread.reach, false);
    for (r, c) in roots.iter_mut().zip(shapes) {
        r.cascade = c;
    }
    let roots = in_order(roots, &id_order(&g, &cs, &root_comps));
    Denials {
        independent: roots.len() as u32,
        roots,
    }
}
