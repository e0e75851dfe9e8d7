//! bottleneck: for a source with fewer chains than root groups, the
//! smallest set of sources every chain from the root groups passes through.
//!
//! When roots(X) > chains(X), the root groups behind X reach it through
//! fewer independent channels than there are groups: by Menger's theorem
//! some set of chains(X) sources (X excluded) cuts X off from every root
//! group. That set is what a reader wants named: "roots 3, chains 1: all
//! through Fars". Of all such smallest sets this one is the closest to X
//! (for chains(X) = 1 it is X's immediate dominator), so the answer does not
//! depend on the order in which paths are found. A member of the set may be
//! a root group itself, when a group reaches X directly.
//!
//! # Complexity
//!
//! *O((r + c) log (r + c))* to rebuild G⁺(C) from `r` reports with `c`
//! citations, then, on the `a` ancestors of X and the `e` citations among
//! them, *O((chains(X) + 1) · (a + e))*: one breadth-first augmenting-path
//! search per chain plus the failing one, and one more search for the cut.
//! It is meant for the diagram and the page, one source at a time; the
//! figures themselves come from [`super::analyze_claim`].
//!
//! # Example
//!
//! `a → r`, `b → r`, `r → s`, `s → x`: roots(x) = 2, chains(x) = 1, and both
//! `r` and `s` cut x off from the origins; the set closest to x is `{s}`.

use std::collections::VecDeque;

use super::ClaimAnalysis;
use crate::graph;
use crate::model::{Case, SourceIdx, Stance};

/// One member of a bottleneck: a source outside the root groups, or a root
/// group (by its index in [`ClaimAnalysis::roots`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relay {
    Root(u32),
    Source(SourceIdx),
}

const NONE: u32 = u32::MAX;

/// The smallest set of relays, closest to `source`, through which every
/// chain from a root group to `source` passes; its size is chains(source).
/// Empty when `source` is in a root group or not in G⁺(C).
///
/// `analysis` and `reports` must be the claim's analysis and reports as
/// given to [`super::analyze_claim`].
pub fn bottleneck(
    case: &Case,
    analysis: &ClaimAnalysis,
    reports: &[u32],
    source: SourceIdx,
) -> Vec<Relay> {
    let g = graph::build(case, reports, Stance::Support);
    let Some(x) = g.index_of(case, source) else {
        return Vec::new();
    };
    let n = g.len();
    // Root group of each node.
    let mut group = vec![NONE; n];
    for (i, rg) in analysis.roots.iter().enumerate() {
        for &s in &rg.sources {
            if let Some(v) = g.index_of(case, s) {
                group[v as usize] = i as u32;
            }
        }
    }
    if group[x as usize] != NONE {
        return Vec::new();
    }
    // X's ancestors (X included), found backwards.
    let mut ancestor = vec![false; n];
    ancestor[x as usize] = true;
    let mut stack = vec![x];
    while let Some(v) = stack.pop() {
        for &u in g.predecessors(v) {
            if !ancestor[u as usize] {
                ancestor[u as usize] = true;
                stack.push(u);
            }
        }
    }

    // The flow network. States: 0 the super-source; for root group i, one
    // state `1 + i`; for node v outside the root groups, `in(v)` and
    // `out(v)` joined by capacity 1 (X has only its "in" state, the sink).
    let groups = analysis.roots.len();
    let state_in = |v: u32| (1 + groups + 2 * v as usize) as u32;
    let state_out = |v: u32| {
        let gi = group[v as usize];
        if gi == NONE {
            (2 + groups + 2 * v as usize) as u32
        } else {
            1 + gi
        }
    };
    let states = 1 + groups + 2 * n;
    let mut net = Net::new(states);
    for gi in 0..groups {
        net.add(0, 1 + gi as u32, 1);
    }
    for v in 0..n as u32 {
        if !ancestor[v as usize] {
            continue;
        }
        if group[v as usize] == NONE && v != x {
            net.add(state_in(v), state_out(v), 1);
        }
        for &w in g.successors(v) {
            if !ancestor[w as usize] || group[w as usize] != NONE {
                continue;
            }
            if group[v as usize] != NONE || v != x {
                net.add(state_out(v), state_in(w), u32::MAX);
            }
        }
    }
    let sink = state_in(x);
    while net.augment(0, sink) {}

    // States that can still reach the sink in the residual network; the
    // saturated unit edges entering that set are the cut closest to X.
    let near = net.reaching(sink);
    let mut cut = Vec::new();
    for gi in 0..groups as u32 {
        if near[(1 + gi) as usize] && !near[0] {
            cut.push(Relay::Root(gi));
        }
    }
    for v in 0..n as u32 {
        if ancestor[v as usize]
            && group[v as usize] == NONE
            && v != x
            && near[state_out(v) as usize]
            && !near[state_in(v) as usize]
        {
            cut.push(Relay::Source(g.source(v)));
        }
    }
    cut.sort_by_key(|r| match *r {
        Relay::Root(i) => (0, i),
        Relay::Source(s) => (1, case.source_rank()[s as usize]),
    });
    cut
}

/// A small residual network with integer capacities, for [`bottleneck`].
struct Net {
    head: Vec<u32>,
    next: Vec<u32>,
    to: Vec<u32>,
    cap: Vec<u32>,
}

impl Net {
    fn new(states: usize) -> Net {
        Net {
            head: vec![NONE; states],
            next: Vec::new(),
            to: Vec::new(),
            cap: Vec::new(),
        }
    }

    /// An edge `a → b` of capacity `c` and its reverse of capacity 0, at
    /// indices `e` and `e ^ 1`.
    fn add(&mut self, a: u32, b: u32, c: u32) {
        for (from, to, cap) in [(a, b, c), (b, a, 0)] {
            self.next.push(self.head[from as usize]);
            self.head[from as usize] = self.to.len() as u32;
            self.to.push(to);
            self.cap.push(cap);
        }
    }

    /// One breadth-first augmenting path from `s` to `t`, pushing one unit;
    /// false when there is none.
    fn augment(&mut self, s: u32, t: u32) -> bool {
        let mut via = vec![NONE; self.head.len()];
        let mut seen = vec![false; self.head.len()];
        seen[s as usize] = true;
        let mut queue = VecDeque::from([s]);
        while let Some(a) = queue.pop_front() {
            let mut e = self.head[a as usize];
            while e != NONE {
                let b = self.to[e as usize];
                if self.cap[e as usize] > 0 && !seen[b as usize] {
                    seen[b as usize] = true;
                    via[b as usize] = e;
                    if b == t {
                        let mut v = t;
                        while v != s {
                            let e = via[v as usize] as usize;
                            if self.cap[e] != u32::MAX {
                                self.cap[e] -= 1;
                            }
                            self.cap[e ^ 1] = self.cap[e ^ 1].saturating_add(1);
                            v = self.to[e ^ 1];
                        }
                        return true;
                    }
                    queue.push_back(b);
                }
                e = self.next[e as usize];
            }
        }
        false
    }

    /// The states from which `t` can be reached along edges with capacity
    /// left.
    fn reaching(&self, t: u32) -> Vec<bool> {
        let mut near = vec![false; self.head.len()];
        near[t as usize] = true;
        let mut stack = vec![t];
        while let Some(b) = stack.pop() {
            // Edges into b with capacity: the reverses of b's edges.
            let mut e = self.head[b as usize];
            while e != NONE {
                let a = self.to[e as usize];
                if self.cap[(e ^ 1) as usize] > 0 && !near[a as usize] {
                    near[a as usize] = true;
                    stack.push(a);
                }
                e = self.next[e as usize];
            }
        }
        near
    }
}
