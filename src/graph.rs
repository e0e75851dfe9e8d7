//! One claim's citation graph for one stance.
//!
//! The nodes are the sources of the claim's reports with that stance and the
//! sources those reports cite; a report by `v` that cites `u` gives the edge
//! `u → v` (the information flowed from `u` to `v`). Several reports by one
//! source are one node and repeated citations one edge. Nodes get dense local
//! indices `0..n` in source-id order, so that every traversal that walks
//! nodes or neighbours in index order is deterministic and visits sources in
//! id order. Adjacency is kept in compressed sparse row form in both
//! directions, with every neighbour list sorted.

use crate::model::{Case, SourceIdx, Stance};

/// A claim's citation graph for one stance, with local node indices.
///
/// Local index `i` stands for source [`ClaimGraph::source`]`(i)`; local
/// indices are ordered like source ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimGraph {
    /// Local index to source, sorted by source id.
    nodes: Vec<SourceIdx>,
    /// `ranks[i]` is the id rank of `nodes[i]` (strictly increasing).
    ranks: Vec<u32>,
    out_offsets: Vec<u32>,
    out_targets: Vec<u32>,
    in_offsets: Vec<u32>,
    in_targets: Vec<u32>,
}

/// Builds the citation graph of the reports with stance `stance` among
/// `reports` (indices into [`Case::reports`], normally one claim's reports as
/// given by [`Case::reports_by_claim`]).
///
/// # Complexity
///
/// *O((r + c) log (r + c))* time and *O(r + c)* space for `r` reports and
/// `c` citations.
pub fn build(case: &Case, reports: &[u32], stance: Stance) -> ClaimGraph {
    let rank = case.source_rank();
    let selected = || {
        reports
            .iter()
            .map(|&i| &case.reports[i as usize])
            .filter(move |r| r.stance == stance)
    };

    // Nodes: every source and cited source, by rank.
    let mut pairs: Vec<(u32, SourceIdx)> = Vec::new();
    for r in selected() {
        pairs.push((rank[r.source as usize], r.source));
        pairs.extend(r.cites.iter().map(|&c| (rank[c as usize], c)));
    }
    pairs.sort_unstable();
    pairs.dedup();
    let (ranks, by_rank): (Vec<u32>, Vec<SourceIdx>) = pairs.into_iter().unzip();
    let local = |s: SourceIdx| -> u32 {
        ranks
            .binary_search(&rank[s as usize])
            .expect("every endpoint is a node") as u32
    };

    let mut edges: Vec<(u32, u32)> = Vec::new();
    for r in selected() {
        let v = local(r.source);
        edges.extend(r.cites.iter().map(|&c| (local(c), v)));
    }
    edges.sort_unstable();
    edges.dedup();

    let n = ranks.len();
    let mut out_offsets = vec![0u32; n + 1];
    let mut in_offsets = vec![0u32; n + 1];
    for &(u, v) in &edges {
        out_offsets[u as usize + 1] += 1;
        in_offsets[v as usize + 1] += 1;
    }
    for i in 0..n {
        out_offsets[i + 1] += out_offsets[i];
        in_offsets[i + 1] += in_offsets[i];
    }
    let out_targets: Vec<u32> = edges.iter().map(|&(_, v)| v).collect();
    // Edges are sorted by source, so filling the in-lists in edge order
    // leaves each of them sorted too.
    let mut in_targets = vec![0u32; edges.len()];
    let mut fill: Vec<u32> = in_offsets[..n].to_vec();
    for &(u, v) in &edges {
        in_targets[fill[v as usize] as usize] = u;
        fill[v as usize] += 1;
    }
    ClaimGraph {
        nodes: by_rank,
        ranks,
        out_offsets,
        out_targets,
        in_offsets,
        in_targets,
    }
}

impl ClaimGraph {
    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the graph has no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The number of (distinct) edges.
    pub fn edge_count(&self) -> usize {
        self.out_targets.len()
    }

    /// The source a local index stands for.
    pub fn source(&self, v: u32) -> SourceIdx {
        self.nodes[v as usize]
    }

    /// Every node's source, by local index (that is, sorted by id).
    pub fn sources(&self) -> &[SourceIdx] {
        &self.nodes
    }

    /// The local index of a source, if it is a node.
    ///
    /// # Complexity
    ///
    /// *O(log n)*.
    pub fn index_of(&self, case: &Case, s: SourceIdx) -> Option<u32> {
        let rk = *case.source_rank().get(s as usize)?;
        let i = self.ranks.binary_search(&rk).ok()?;
        Some(i as u32)
    }

    /// The nodes `v` cites-to: every `w` with an edge `v → w`, sorted.
    pub fn successors(&self, v: u32) -> &[u32] {
        let v = v as usize;
        &self.out_targets[self.out_offsets[v] as usize..self.out_offsets[v + 1] as usize]
    }

    /// The nodes `v` takes from: every `u` with an edge `u → v`, sorted.
    pub fn predecessors(&self, v: u32) -> &[u32] {
        let v = v as usize;
        &self.in_targets[self.in_offsets[v] as usize..self.in_offsets[v + 1] as usize]
    }

    /// Every edge `(u, v)`, sorted.
    pub fn edges(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.len() as u32).flat_map(move |u| self.successors(u).iter().map(move |&v| (u, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{report, source};
    use crate::model::Claim;

    #[test]
    fn nodes_in_id_order_edges_collapsed() {
        // Indices: 0 = "d", 1 = "b", 2 = "a", 3 = "c", 4 = "e" (only in a query).
        let sources = ["d", "b", "a", "c", "e"].map(source).to_vec();
        let claim = Claim {
            id: "x".into(),
            text: String::new(),
            declared: true,
        };
        let reports = vec![
            report(1, &[2], Stance::Support),
            report(1, &[2], Stance::Support),
            report(3, &[2], Stance::Support),
            report(0, &[1, 3], Stance::Support),
            report(4, &[0], Stance::Query),
            report(2, &[0], Stance::Deny),
        ];
        let case = Case::from_parts(None, sources, vec![claim], reports);
        let all: Vec<u32> = (0..case.reports.len() as u32).collect();
        let g = build(&case, &all, Stance::Support);
        assert_eq!(g.sources(), &[2, 1, 3, 0]);
        assert_eq!(
            g.edges().collect::<Vec<_>>(),
            vec![(0, 1), (0, 2), (1, 3), (2, 3)]
        );
        assert_eq!(g.predecessors(3), &[1, 2]);
        assert_eq!(g.successors(0), &[1, 2]);
        assert_eq!(g.index_of(&case, 0), Some(3));
        assert_eq!(g.index_of(&case, 4), None);
        assert_eq!(g.edge_count(), 4);

        let d = build(&case, &all, Stance::Deny);
        assert_eq!(d.sources(), &[2, 0]);
        assert_eq!(d.edges().collect::<Vec<_>>(), vec![(1, 0)]);
        assert!(build(&case, &[], Stance::Support).is_empty());
    }
}
