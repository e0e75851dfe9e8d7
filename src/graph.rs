//! One claim's citation graph for one stance.
//!
//! The nodes are the sources of the claim's reports with that stance and the
//! sources those reports cite; a report by `v` that cites `u` gives the edge
//! `u → v` (the information flowed from `u` to `v`). Several reports by one
//! source are one node and repeated citations one edge. Nodes get dense local
//! indices `0..n` in the order the claim's reports first name them, so that
//! sources that cite each other lie near each other in memory, whatever
//! their ids. Id order is kept beside it: every neighbour list is sorted by
//! id, and [`ClaimGraph::by_id`] lists the nodes in id order, so that every
//! traversal that walks neighbours in list order, or nodes in that order, is
//! deterministic and visits sources in id order. Adjacency is kept in
//! compressed sparse row form in both directions.
//!
//! Why not number the nodes in id order: then, with ids that do not follow
//! the citations, every pass along a chain reads a random place of every
//! array at each step. The million-long chain with its ids shuffled took
//! 1.68–2.01 s numbered by id, against 0.78–0.90 s with its ids in citation
//! order; numbered in the order first named, 0.91–1.10 s, as long as in
//! citation order (docs/performance.md). The price is paid by a file whose
//! rows follow no order, whose first-named order is random too.

use crate::model::{Basis, Case, PartialDate, Report, SourceIdx, Stance};

/// A claim's reports as the analysis reads them: source, cites, stance,
/// basis and date of each.
///
/// One claim's reports may lie scattered over the case's table, and the
/// analysis of a claim reads them about ten times: three passes for each
/// stance's graph, then what each source said, the denials and the dates.
/// Each reading of a scattered report is a cache miss. So the reports of a
/// claim spread over more than twice as many of the case's reports are
/// copied out in one pass and laid end to end (each report asked for
/// eight reports before it is read, so that the waits overlap);
/// the reports of a claim that
/// fills its stretch of the table (a case of one claim) are read where they
/// are, which takes no memory.
///
/// # Complexity
///
/// *O(r + c)* time for `r` reports and `c` citations; as much space when
/// they are copied.
#[derive(Clone, Debug)]
pub struct ClaimReports<'a> {
    case: &'a Case,
    reports: &'a [u32],
    /// The copy, when there is one: every report, and every report's cites
    /// one report after the other.
    briefs: Vec<Brief>,
    cites: Vec<SourceIdx>,
}

/// What the analysis reads of one report besides its cites.
#[derive(Clone, Copy, Debug)]
pub struct Brief {
    pub source: SourceIdx,
    pub stance: Stance,
    pub basis: Basis,
    pub date: Option<PartialDate>,
    /// In a copy: where the report's cites end in [`ClaimReports::cites`].
    cites_end: u32,
}

impl<'a> ClaimReports<'a> {
    /// The reports `reports` (indices into [`Case::reports`]), in that
    /// order.
    pub fn new(case: &'a Case, reports: &'a [u32]) -> ClaimReports<'a> {
        // How far apart they lie (for a claim's reports, in case order).
        let span = match (reports.first(), reports.last()) {
            (Some(&first), Some(&last)) => last.abs_diff(first) as usize + 1,
            _ => 0,
        };
        let mut briefs = Vec::new();
        let mut cites = Vec::new();
        if span > 2 * reports.len() {
            briefs.reserve_exact(reports.len());
            cites.reserve(reports.len());
            for (_, r) in case.reports_ahead(reports) {
                cites.extend_from_slice(&r.cites);
                briefs.push(Brief {
                    cites_end: cites.len() as u32,
                    ..Self::brief(r)
                });
            }
        }
        ClaimReports {
            case,
            reports,
            briefs,
            cites,
        }
    }

    fn brief(r: &Report) -> Brief {
        Brief {
            source: r.source,
            stance: r.stance,
            basis: r.basis,
            date: r.date,
            cites_end: 0,
        }
    }

    /// Every report with its cites, in order.
    pub fn iter(&self) -> impl Iterator<Item = (Brief, &[SourceIdx])> + '_ {
        // Read from the copy when there is one, else where they are.
        let in_place: &[u32] = if self.briefs.is_empty() {
            self.reports
        } else {
            &[]
        };
        let mut start = 0;
        let from_copy = self.briefs.iter().map(move |b| {
            let end = b.cites_end as usize;
            let cites = &self.cites[start..end];
            start = end;
            (*b, cites)
        });
        let in_case = in_place.iter().map(|&i| {
            let r = &self.case.reports[i as usize];
            (Self::brief(r), &r.cites[..])
        });
        from_copy.chain(in_case)
    }
}

/// A claim's citation graph for one stance, with local node indices.
///
/// Local index `i` stands for source [`ClaimGraph::source`]`(i)`; local
/// indices follow the order in which the claim's reports first name the
/// sources, and [`ClaimGraph::by_id`] gives them in id order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimGraph {
    /// Local index to source, in the order first named.
    nodes: Vec<SourceIdx>,
    /// `ranks[i]` is the id rank of `nodes[i]`.
    ranks: Vec<u32>,
    /// Every local index, by id rank.
    by_id: Vec<u32>,
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
/// *O(r + c + n log n)* time and *O(r + c)* space for `r` reports, `c`
/// citations and `n` nodes (the nodes are sorted by id; each neighbour list
/// by itself, by id).
pub fn build(case: &Case, reports: &[u32], stance: Stance) -> ClaimGraph {
    build_from(case, &ClaimReports::new(case, reports), stance)
}

/// [`build`] from the claim's reports already gathered.
pub fn build_from(case: &Case, reports: &ClaimReports, stance: Stance) -> ClaimGraph {
    let rank = case.source_rank();
    let selected = || reports.iter().filter(move |(b, _)| b.stance == stance);
    with_scratch(case, |local| {
        // Nodes: every source and cited source, once each, in the order
        // first named.
        let mut nodes: Vec<SourceIdx> = Vec::new();
        let mut citations = 0;
        for (r, cites) in selected() {
            for &s in std::iter::once(&r.source).chain(cites) {
                if local.get(s).is_none() {
                    local.set(s, 0);
                    nodes.push(s);
                }
            }
            citations += cites.len();
        }
        let ranks: Vec<u32> = nodes.iter().map(|&s| rank[s as usize]).collect();
        let n = nodes.len();
        let by_id: Vec<u32> = if n >= 1024 && n * 8 >= rank.len() {
            // A graph of an eighth of the case's sources or more: placed by
            // rank in one pass over the ranks, not sorted (the million-long
            // chain's sort took 0.05 s).
            let mut by_rank = vec![u32::MAX; rank.len()];
            for (i, &rk) in ranks.iter().enumerate() {
                by_rank[rk as usize] = i as u32;
            }
            by_rank.into_iter().filter(|&i| i != u32::MAX).collect()
        } else {
            let mut by_id: Vec<u32> = (0..n as u32).collect();
            by_id.sort_unstable_by_key(|&i| ranks[i as usize]);
            by_id
        };
        for (i, &s) in nodes.iter().enumerate() {
            local.set(s, i as u32);
        }

        // Out-lists with repeats, by counting; then each sorted by id and
        // its repeats dropped.
        let mut starts = vec![0u32; n + 1];
        for (_, cites) in selected() {
            for &c in cites {
                starts[local.of(c) as usize + 1] += 1;
            }
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut fill: Vec<u32> = starts[..n].to_vec();
        let mut all = vec![0u32; citations];
        for (r, cites) in selected() {
            let v = local.of(r.source);
            for &c in cites {
                let u = local.of(c) as usize;
                all[fill[u] as usize] = v;
                fill[u] += 1;
            }
        }
        let id_rank = |v: &u32| ranks[*v as usize];
        let mut out_offsets = vec![0u32; n + 1];
        let mut out_targets: Vec<u32> = Vec::with_capacity(citations);
        let mut in_offsets = vec![0u32; n + 1];
        for u in 0..n {
            let list = &mut all[starts[u] as usize..starts[u + 1] as usize];
            if list.len() > 1 {
                list.sort_unstable_by_key(id_rank);
            }
            let from = out_targets.len();
            for &v in list.iter() {
                if out_targets.len() == from || out_targets.last() != Some(&v) {
                    out_targets.push(v);
                    in_offsets[v as usize + 1] += 1;
                }
            }
            out_offsets[u + 1] = out_targets.len() as u32;
        }
        for i in 0..n {
            in_offsets[i + 1] += in_offsets[i];
        }
        // Filled in local order, then each sorted by id: in the local order
        // of a graph whose ids follow its citations, most in-lists come out
        // sorted already.
        let mut in_targets = vec![0u32; out_targets.len()];
        fill.copy_from_slice(&in_offsets[..n]);
        for u in 0..n {
            for &v in &out_targets[out_offsets[u] as usize..out_offsets[u + 1] as usize] {
                in_targets[fill[v as usize] as usize] = u as u32;
                fill[v as usize] += 1;
            }
        }
        for v in 0..n {
            let list = &mut in_targets[in_offsets[v] as usize..in_offsets[v + 1] as usize];
            if list.len() > 1 {
                list.sort_unstable_by_key(id_rank);
            }
        }
        ClaimGraph {
            nodes,
            ranks,
            by_id,
            out_offsets,
            out_targets,
            in_offsets,
            in_targets,
        }
    })
}

thread_local! {
    /// A table from every source of the case to its local index in the graph
    /// being built, so that a claim's graph is built in time linear in the
    /// claim, not in the case: sized once per thread for the largest case
    /// seen. An entry counts only when its stamp is the current use's, so
    /// nothing needs clearing between uses (nor after a panic).
    static SCRATCH: std::cell::RefCell<(u32, Vec<(u32, u32)>)> =
        const { std::cell::RefCell::new((0, Vec::new())) };
}

/// Local indices of sources, for one use of the scratch table.
struct Local<'a> {
    stamp: u32,
    slots: &'a mut [(u32, u32)],
}

impl Local<'_> {
    fn get(&self, s: SourceIdx) -> Option<u32> {
        match self.slots.get(s as usize) {
            Some(&(stamp, i)) if stamp == self.stamp => Some(i),
            _ => None,
        }
    }

    /// The local index of a source already set.
    fn of(&self, s: SourceIdx) -> u32 {
        self.get(s).expect("every endpoint is a node")
    }

    fn set(&mut self, s: SourceIdx, i: u32) {
        self.slots[s as usize] = (self.stamp, i);
    }
}

/// Runs `f` with the scratch table, no source set. A nested call gets a
/// table of its own.
fn with_scratch<R>(case: &Case, f: impl FnOnce(&mut Local) -> R) -> R {
    let n = case.sources.len();
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let (stamp, slots) = &mut *scratch;
            *stamp = stamp.wrapping_add(1);
            if *stamp == 0 {
                slots.iter_mut().for_each(|e| *e = (0, 0));
                *stamp = 1;
            }
            if slots.len() < n {
                slots.resize(n, (0, 0));
            }
            f(&mut Local {
                stamp: *stamp,
                slots: &mut slots[..n],
            })
        }
        Err(_) => f(&mut Local {
            stamp: 1,
            slots: &mut vec![(0, 0); n],
        }),
    })
}

impl ClaimGraph {
    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the graph has no node.
    /// There are no reports.
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

    /// Every node's source, by local index (in the order first named).
    pub fn sources(&self) -> &[SourceIdx] {
        &self.nodes
    }

    /// Every node's local index, in id order.
    pub fn by_id(&self) -> &[u32] {
        &self.by_id
    }

    /// Where source id of `v` stands among the case's source ids: comparing
    /// two nodes' ranks compares their ids.
    pub fn rank(&self, v: u32) -> u32 {
        self.ranks[v as usize]
    }

    /// Sorts local indices by their sources' ids.
    pub fn sort_by_id(&self, list: &mut [u32]) {
        list.sort_unstable_by_key(|&v| self.ranks[v as usize]);
    }

    /// Every node's source by local index, and the local indices in id
    /// order ([`ClaimGraph::by_id`]), the rest of the graph freed.
    pub fn into_sources(self) -> (Vec<SourceIdx>, Vec<u32>) {
        (self.nodes, self.by_id)
    }

    /// Runs `f` with a lookup of the local index of any source of `case`
    /// (`None` when it is not a node): for looking up many, where
    /// [`ClaimGraph::index_of`] would search for each.
    ///
    /// # Complexity
    ///
    /// *O(n)* besides `f`, and *O(1)* a lookup.
    pub fn with_index<R>(
        &self,
        case: &Case,
        f: impl FnOnce(&dyn Fn(SourceIdx) -> Option<u32>) -> R,
    ) -> R {
        with_scratch(case, |local| {
            for (i, &s) in self.nodes.iter().enumerate() {
                local.set(s, i as u32);
            }
            let local = &*local;
            f(&|s: SourceIdx| local.get(s))
        })
    }

    /// The local index of a source, if it is a node.
    ///
    /// # Complexity
    ///
    /// *O(log n)*.
    pub fn index_of(&self, case: &Case, s: SourceIdx) -> Option<u32> {
        let rk = *case.source_rank().get(s as usize)?;
        let i = self
            .by_id
            .binary_search_by_key(&rk, |&v| self.ranks[v as usize])
            .ok()?;
        Some(self.by_id[i])
    }

    /// The nodes `v` cites-to: every `w` with an edge `v → w`, sorted by id.
    pub fn successors(&self, v: u32) -> &[u32] {
        let v = v as usize;
        &self.out_targets[self.out_offsets[v] as usize..self.out_offsets[v + 1] as usize]
    }

    /// Asks the processor for the start of `v`'s successors.
    #[inline]
    pub(crate) fn prefetch_successors(&self, v: u32) {
        let start = self.out_offsets[v as usize] as usize;
        crate::model::prefetch(self.out_targets.as_ptr().wrapping_add(start));
    }

    /// Asks the processor for where `v`'s successors begin and end.
    #[inline]
    pub(crate) fn prefetch_offsets(&self, v: u32) {
        crate::model::prefetch(self.out_offsets.as_ptr().wrapping_add(v as usize));
    }

    /// The nodes `v` takes from: every `u` with an edge `u → v`, sorted by
    /// id.
    pub fn predecessors(&self, v: u32) -> &[u32] {
        let v = v as usize;
        &self.in_targets[self.in_offsets[v] as usize..self.in_offsets[v + 1] as usize]
    }

    /// Every edge `(u, v)`, by local index of `u`, then by id of `v`.
    pub fn edges(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.len() as u32).flat_map(move |u| self.successors(u).iter().map(move |&v| (u, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{report, source};
    use crate::model::Claim;

    /// Large graphs have their nodes placed by rank, small ones sorted: in
    /// id order either way; the local indices follow the reports.
    #[test]
    fn nodes_in_id_order_however_many() {
        for n in [50u32, 1500, 5000] {
            // Ids in an order unlike the indices, and a few sources that no
            // report of the claim names.
            let sources: Vec<_> = (0..n + 7)
                .map(|i| source(&format!("s{}", (i * 7919) % (n + 7))))
                .collect();
            let reports: Vec<Report> = (1..n)
                .map(|i| report(i, &[(i * 31 + 7) % i], Stance::Support))
                .collect();
            let claim = Claim {
                id: "x".into(),
                text: String::new(),
                declared: true,
            };
            let case = Case::from_parts(None, sources, vec![claim], reports);
            let all: Vec<u32> = (0..case.reports.len() as u32).collect();
            let g = build(&case, &all, Stance::Support);
            let ids: Vec<&str> = g
                .by_id()
                .iter()
                .map(|&v| case.source_id(g.source(v)))
                .collect();
            let mut sorted = ids.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(ids, sorted, "{n} sources");
            assert_eq!(g.len(), n as usize);
            // Each report names its source, then what it cites.
            let mut named = Vec::new();
            for r in &case.reports {
                for &s in std::iter::once(&r.source).chain(&r.cites) {
                    if !named.contains(&s) {
                        named.push(s);
                    }
                }
            }
            assert_eq!(g.sources(), &named[..], "{n} sources");
            for v in 0..g.len() as u32 {
                assert_eq!(g.index_of(&case, g.source(v)), Some(v));
                for list in [g.successors(v), g.predecessors(v)] {
                    assert!(list.windows(2).all(|w| g.rank(w[0]) < g.rank(w[1])));
                }
            }
        }
    }

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
        // Local indices in the order first named: 0 = "b", 1 = "a", 2 =
        // "c", 3 = "d".
        assert_eq!(g.sources(), &[1, 2, 3, 0]);
        assert_eq!(g.by_id(), &[1, 0, 2, 3]);
        assert_eq!(
            g.edges().collect::<Vec<_>>(),
            vec![(0, 3), (1, 0), (1, 2), (2, 3)]
        );
        // By id: "b" before "c".
        assert_eq!(g.predecessors(3), &[0, 2]);
        assert_eq!(g.successors(1), &[0, 2]);
        assert_eq!(g.index_of(&case, 0), Some(3));
        assert_eq!(g.index_of(&case, 4), None);
        assert_eq!(g.edge_count(), 4);

        let d = build(&case, &all, Stance::Deny);
        assert_eq!(d.sources(), &[2, 0]);
        assert_eq!(d.edges().collect::<Vec<_>>(), vec![(1, 0)]);
        assert!(build(&case, &[], Stance::Support).is_empty());
    }
}
