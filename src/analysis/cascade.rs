//! cascade: the shape of what spread from one root group.
//!
//! From a root group (its members taken as one node, at distance 0) a
//! breadth-first search over G⁺(C) gives every source the group reaches and
//! its distance, the length of the shortest citation chain from the group.
//! The breadth-first tree keeps, for each source, the first source (in
//! breadth-first order, neighbours taken by id) from which it was reached.
//!
//! - **size**: the sources reached, plus one for the group: reach + 1;
//! - **depth**: the largest distance;
//! - **max breadth**: the size of the largest level (level 0 is the group,
//!   of size 1);
//! - **structural virality** (Goel, Anderson, Hofman and Watts 2016): the
//!   mean distance between two nodes of the breadth-first tree, over all
//!   pairs; 0 for a group that reached nobody. A star of n has virality
//!   about 2, a chain of n about n / 3.
//!
//! The sum of the distances between all pairs of a tree is the sum, over
//! its edges, of (nodes below the edge) × (nodes above it): every pair is
//! separated by exactly the edges on its path. So the virality costs one
//! pass over the tree in reverse breadth-first order, not a pass per pair.
//!
//! # Complexity
//!
//! *O(n_g + m_g)* for a group whose search meets `n_g` sources and `m_g`
//! citations; all groups of a claim together cost *O(Σ (reach + citations
//! out of the sources reached))*, which is linear for the usual claims where
//! few origins reach much, and at worst the number of groups times the
//! claim graph's size (a ladder of 100,000 sources has 33,336 origins that
//! reach 1.1 billion sources in all). So [`super::analyze_claim`] computes
//! the cascades only when the root groups' sizes (reach + 1) sum to at most
//! [`CASCADE_BUDGET`], spread over rayon's threads; beyond it they are left
//! out (`None`) and [`cascades`] computes them on request.
//!
//! # Example
//!
//! `a → b`, `a → c`, `b → d`, `c → d`, `d → e`: from `a`, levels {a}, {b, c},
//! {d}, {e}; size 5, depth 3, max breadth 2. The tree is a→b, a→c, b→d, d→e
//! (`d` is reached first from `b`); its edges split the five nodes 3|2 (a–b:
//! b, d, e below), 1|4, 2|3 and 1|4, so the pairs are 6 + 4 + 6 + 4 = 20
//! apart in all, and the virality is 20 / 10 = 2.

use rayon::prelude::*;

use super::components::{components, Components};
use super::{ClaimAnalysis, NONE};
use crate::graph::{self, ClaimGraph};
use crate::model::{Case, Stance};

/// The most sources the cascades of one claim's root groups may visit in
/// all (the sum of their sizes) for [`super::analyze_claim`] to compute them:
/// about a tenth of a second on one core.
pub const CASCADE_BUDGET: u64 = 16_000_000;

/// The shape of one group's cascade.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cascade {
    /// reach + 1: the group and every source it reaches.
    pub size: u32,
    /// The largest distance from the group.
    pub depth: u32,
    /// The size of the largest breadth-first level.
    pub max_breadth: u32,
    /// The sum of the distances between all unordered pairs of nodes of the
    /// breadth-first tree.
    pub distance_sum: u128,
}

impl Cascade {
    /// Goel et al.'s structural virality: the mean distance between two
    /// nodes of the breadth-first tree; 0 when the tree has one node.
    pub fn structural_virality(&self) -> f64 {
        let n = u128::from(self.size);
        if n < 2 {
            return 0.0;
        }
        self.distance_sum as f64 / ((n * (n - 1) / 2) as f64)
    }
}

/// Scratch space for breadth-first searches, reused across the groups of a
/// claim so that each search costs what it visits.
///
/// What a search has seen is one bit a source (12.5 KB for 100,000 sources,
/// within the nearest cache), cleared after each search bit by bit; the
/// breadth-first tree is kept by position in the search's order, so that
/// the subtree sizes are summed over a compact array. With a stamp and a
/// parent and subtree size for every source instead, the searches took 40%
/// of the analysis of a 100,000-source claim whose 1,000 origins reach
/// 9.9 million sources in all.
pub(super) struct Searches {
    seen: Vec<u64>,
    /// The sources reached, in breadth-first order: the search's first
    /// entries of room for every source of the graph and one more.
    order: Vec<u32>,
    /// For each position of `order`, the position of its parent in the
    /// tree, or NONE for the first level (the group's own citations); as
    /// long as `order`.
    from: Vec<u32>,
    /// For each position of `order`, the size of its subtree.
    below: Vec<u32>,
}

impl Searches {
    pub(super) fn new(n: usize) -> Searches {
        Searches {
            seen: vec![0; n.div_ceil(64)],
            order: vec![0; n + 1],
            from: vec![NONE; n + 1],
            below: Vec::new(),
        }
    }

    /// Marks `v` seen; whether it was not before.
    fn see(&mut self, v: u32) -> bool {
        let (word, bit) = (v as usize / 64, 1u64 << (v % 64));
        let new = self.seen[word] & bit == 0;
        self.seen[word] |= bit;
        new
    }

    /// The cascade of component `c` (a root group, or any component).
    pub(super) fn cascade(&mut self, g: &ClaimGraph, cs: &Components, c: u32) -> Cascade {
        let members = cs.members(c);
        for &v in members {
            self.see(v);
        }
        // Level 1: every source a member cites into, by id. `order` and
        // `from` have room for every source once and one more: the search
        // writes each source it meets at `len` whether or not it is new, and
        // counts it only when it is, so that the loop has no branch on
        // whether a source was seen, which no predictor guesses.
        let mut len = 0;
        for &v in members {
            for &w in g.successors(v) {
                if self.see(w) {
                    self.order[len] = w;
                    len += 1;
                }
            }
        }
        g.sort_by_id(&mut self.order[..len]);
        self.from[..len].fill(NONE);
        let mut depth = 0u32;
        let mut max_breadth = 1u32;
        let mut level_start = 0;
        while level_start < len {
            let level_end = len;
            depth += 1;
            max_breadth = max_breadth.max((level_end - level_start) as u32);
            for i in level_start..level_end {
                // The citations of the sources ahead, wherever they lie.
                if i + 2 * CASCADE_AHEAD < len {
                    g.prefetch_offsets(self.order[i + 2 * CASCADE_AHEAD]);
                }
                if i + CASCADE_AHEAD < len {
                    g.prefetch_successors(self.order[i + CASCADE_AHEAD]);
                }
                let v = self.order[i];
                for &w in g.successors(v) {
                    self.order[len] = w;
                    self.from[len] = i as u32;
                    len += usize::from(self.see(w));
                }
            }
            level_start = level_end;
        }
        let order = &self.order[..len];
        // Subtree sizes in reverse breadth-first order; each tree edge
        // separates `below` nodes from the other `n - below`.
        let n = len as u128 + 1;
        self.below.clear();
        self.below.resize(len, 1);
        let mut distance_sum = 0u128;
        for i in (0..len).rev() {
            let b = self.below[i];
            distance_sum += u128::from(b) * (n - u128::from(b));
            let p = self.from[i];
            if p != NONE {
                self.below[p as usize] += b;
            }
        }
        // Cleared bit by bit: a search that reaches a few sources costs a
        // few steps, whatever the size of the graph.
        for &v in members.iter().chain(order) {
            self.seen[v as usize / 64] = 0;
        }
        Cascade {
            size: n as u32,
            depth,
            max_breadth,
            distance_sum,
        }
    }
}

/// How many sources ahead of the one whose citations a search reads it asks
/// for theirs: where they begin at twice the distance, then the citations.
/// The 1,000 cascades of the claim of 100,000 sources grown by preferential
/// attachment (9.9 million sources visited), on both cores, took a median
/// 69.8 ms without, 62.8 ms with 2 and 61.3 ms with 4 (eleven alternating
/// runs); 8 and 16 were no faster than none.
const CASCADE_AHEAD: usize = 4;

/// The least work (the sum of the groups' sizes) for which [`cascades_of`]
/// spreads the searches over rayon's threads.
const PARALLEL_WORK: u64 = 100_000;

/// The groups' sizes, reach + 1, summed.
fn work(reach: &[u32]) -> u64 {
    reach.iter().map(|&r| u64::from(r) + 1).sum()
}

/// Whether [`cascades_of`] searches groups whose reaches are `reach` on
/// rayon's threads: more than one group, and work enough and within the
/// budget.
pub(super) fn in_parallel(reach: &[u32]) -> bool {
    let work = work(reach);
    reach.len() > 1 && (PARALLEL_WORK..=CASCADE_BUDGET).contains(&work)
}

/// The cascades of components `comps` (whose reaches are `reach`), each
/// `None` when their sizes sum to more than [`CASCADE_BUDGET`] and `force`
/// is false.
pub(super) fn cascades_of(
    g: &ClaimGraph,
    cs: &Components,
    comps: &[u32],
    reach: &[u32],
    force: bool,
) -> Vec<Option<Cascade>> {
    let work = work(reach);
    if !force && work > CASCADE_BUDGET {
        return vec![None; comps.len()];
    }
    if work < PARALLEL_WORK {
        let mut s = Searches::new(g.len());
        return comps.iter().map(|&c| Some(s.cascade(g, cs, c))).collect();
    }
    // A few chunks a thread, each with scratch space of its own (one
    // allocation per chunk, not per group).
    let chunk = comps
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1);
    comps
        .par_chunks(chunk)
        .flat_map_iter(|part| {
            let mut s = Searches::new(g.len());
            part.iter()
                .map(|&c| Some(s.cascade(g, cs, c)))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The cascade of every root group of `analysis` (in the order of
/// [`ClaimAnalysis::roots`]), whatever it costs: for the groups
/// [`super::analyze_claim`] left without one. `reports` are the claim's
/// reports as given to it.
pub fn cascades(case: &Case, analysis: &ClaimAnalysis, reports: &[u32]) -> Vec<Cascade> {
    let g = graph::build(case, reports, Stance::Support);
    let cs = components(&g);
    let comps: Vec<u32> = analysis
        .roots
        .iter()
        .map(|r| {
            let v = g
                .index_of(case, r.sources[0])
                .expect("a root is in the graph");
            cs.comp[v as usize]
        })
        .collect();
    let reach: Vec<u32> = analysis.roots.iter().map(|r| r.reach).collect();
    cascades_of(&g, &cs, &comps, &reach, true)
        .into_iter()
        .map(|c| c.expect("forced"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{report, source};
    use crate::model::Claim;

    #[test]
    fn the_example_of_the_module() {
        let report = |s: u32, cites: &[u32]| report(s, cites, Stance::Support);
        let case = Case::from_parts(
            None,
            ["a", "b", "c", "d", "e"].map(source).to_vec(),
            vec![Claim {
                id: "x".into(),
                text: String::new(),
                declared: true,
            }],
            vec![
                report(0, &[]),
                report(1, &[0]),
                report(2, &[0]),
                report(3, &[1, 2]),
                report(4, &[3]),
            ],
        );
        let g = crate::graph::build(&case, &[0, 1, 2, 3, 4], Stance::Support);
        let cs = components(&g);
        let a = cs.comp[0];
        let c = Searches::new(g.len()).cascade(&g, &cs, a);
        assert_eq!(
            (c.size, c.depth, c.max_breadth, c.distance_sum),
            (5, 3, 2, 20)
        );
        assert!((c.structural_virality() - 2.0).abs() < 1e-12);
    }
}
