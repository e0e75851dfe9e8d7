//! chains(X): the largest number of citation chains from root groups to X
//! that share no source but X (each root group one node).
//!
//! # Complexity
//!
//! Unit-capacity augmenting paths on the vertex-split graph, at most
//! `chains + 1` searches per source, each *O(n + m)* at worst.
//!
//! # Example
//!
//! Three origins reach a news agency, and five outlets have the claim only
//! from the agency: each outlet has roots 3 and chains 1.

use super::components::Components;
use super::NONE;
use crate::graph::ClaimGraph;

/// Marks "fed by the super-source" in the flow's `prev` array.
const SUPER: u32 = u32::MAX - 1;

/// Unit-capacity max-flow state for `chains`, reused across sources.
///
/// The flow network: a super-source feeds every root group (contracted to
/// its first member, which stands for it); every other node is split into an
/// "in" and an "out" state joined by capacity 1; the sink is X's "in" state.
/// A flow of value k is k chains sharing no source but X. Flow is stored per
/// vertex: `prev[v]` is where the flow through `v` comes from (`SUPER` for a
/// root group) and `next[v]` where it goes. States are numbered `2 v` (in)
/// and `2 v + 1` (out).
///
/// An augmenting path is searched from both ends at once, one state at a
/// time each: backwards from X (which only ever touches X's ancestors) and
/// forwards from the free root groups. The search stops when the two meet or
/// when either side runs out, so a failing search costs about twice the
/// smaller of the two regions it has to exhaust; when X's cut lies far
/// upstream, the forward side gives up quickly.
pub(super) struct Flow {
    /// Node to flow vertex: a root group's members map to its first member.
    rep: Vec<u32>,
    /// Flow vertex to its root group's index, or NONE.
    root_index: Vec<u32>,
    /// Each root group's first member, in group order.
    root_reps: Vec<u32>,
    /// Each root group's successors outside it (CSR, sorted).
    group_offsets: Vec<u32>,
    group_targets: Vec<u32>,
    /// The node whose chains are being counted.
    sink: u32,
    next: Vec<u32>,
    prev: Vec<u32>,
    touched: Vec<u32>,
    /// Generation stamps of the states seen by the backward and by the
    /// forward search.
    seen: Vec<u32>,
    seen_fwd: Vec<u32>,
    gen: u32,
    /// Backward search: the next state towards X on the path found.
    toward: Vec<u32>,
    /// Forward search: the state it was reached from (NONE: from the
    /// super-source).
    from: Vec<u32>,
    back: Vec<u32>,
    fwd: Vec<u32>,
    /// The next root group the super-source offers the forward search.
    next_root: usize,
    path: Vec<u32>,
    /// Which ends the search runs from (both, except in tests of each half).
    pub(super) search: Search,
}

/// The ends an augmenting-path search runs from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Search {
    Both,
    #[cfg(test)]
    Backward,
    #[cfg(test)]
    Forward,
}

impl Flow {
    pub(super) fn new(g: &ClaimGraph, cs: &Components, root_comps: &[u32]) -> Flow {
        let n = g.len();
        let mut rep: Vec<u32> = (0..n as u32).collect();
        let mut root_index = vec![NONE; n];
        let mut root_reps = Vec::with_capacity(root_comps.len());
        let mut group_offsets = vec![0u32];
        let mut group_targets = Vec::new();
        for (i, &c) in root_comps.iter().enumerate() {
            let m = cs.members(c);
            for &v in m {
                rep[v as usize] = m[0];
            }
            root_index[m[0] as usize] = i as u32;
            root_reps.push(m[0]);
            let start = group_targets.len();
            for &v in m {
                group_targets.extend(
                    g.successors(v)
                        .iter()
                        .filter(|&&w| cs.comp[w as usize] != c),
                );
            }
            group_targets[start..].sort_unstable();
            let mut kept = start;
            for k in start..group_targets.len() {
                if k == start || group_targets[k] != group_targets[kept - 1] {
                    group_targets[kept] = group_targets[k];
                    kept += 1;
                }
            }
            group_targets.truncate(kept);
            group_offsets.push(kept as u32);
        }
        Flow {
            rep,
            root_index,
            root_reps,
            group_offsets,
            group_targets,
            sink: NONE,
            next: vec![NONE; n],
            prev: vec![NONE; n],
            touched: Vec::new(),
            seen: vec![0; 2 * n],
            seen_fwd: vec![0; 2 * n],
            gen: 0,
            toward: vec![NONE; 2 * n],
            from: vec![NONE; 2 * n],
            back: Vec::new(),
            fwd: Vec::new(),
            next_root: 0,
            path: Vec::new(),
            search: Search::Both,
        }
    }

    fn next_gen(&mut self) -> u32 {
        if self.gen == u32::MAX {
            self.seen.fill(0);
            self.seen_fwd.fill(0);
            self.gen = 0;
        }
        self.gen += 1;
        self.gen
    }

    fn is_root(&self, v: u32) -> bool {
        self.root_index[v as usize] != NONE
    }

    /// The flow successors of a flow vertex: a root group's successors
    /// outside it, or a node's successors.
    fn successors<'g>(&'g self, g: &'g ClaimGraph, v: u32) -> &'g [u32] {
        match self.root_index[v as usize] {
            NONE => g.successors(v),
            i => {
                &self.group_targets[self.group_offsets[i as usize] as usize
                    ..self.group_offsets[i as usize + 1] as usize]
            }
        }
    }

    /// chains(x) for a node outside every root group reached by `roots`
    /// root groups.
    pub(super) fn chains(&mut self, g: &ClaimGraph, x: u32, roots: u32) -> u32 {
        // Cheap bound: distinct flow vertices among x's predecessors.
        let gen = self.next_gen();
        let mut distinct = 0u32;
        for &u in g.predecessors(x) {
            let f = self.rep[u as usize] as usize;
            if self.seen[2 * f] != gen {
                self.seen[2 * f] = gen;
                distinct += 1;
            }
        }
        let bound = roots.min(distinct);
        if bound <= 1 {
            return 1;
        }
        self.sink = x;
        let mut flow = 0;
        while flow < bound && self.augment(g) {
            flow += 1;
        }
        #[cfg(debug_assertions)]
        self.check(flow);
        for v in self.touched.drain(..) {
            self.next[v as usize] = NONE;
            self.prev[v as usize] = NONE;
        }
        flow
    }

    /// Checks that the links describe a flow of value `flow`: `flow` root
    /// groups feed it, `flow` links end at x, and every link is known at both
    /// ends (augmenting may also leave harmless closed circuits of flow).
    #[cfg(debug_assertions)]
    fn check(&self, flow: u32) {
        let mut seen: Vec<u32> = self.touched.clone();
        seen.sort_unstable();
        seen.dedup();
        let (mut fed, mut into_sink) = (0, 0);
        for &v in &seen {
            let (p, n) = (self.prev[v as usize], self.next[v as usize]);
            assert_eq!(p == NONE, n == NONE, "half-linked vertex");
            if p == SUPER {
                fed += 1;
            } else if p != NONE {
                assert_eq!(self.next[p as usize], v, "links disagree");
            }
            if n == self.sink {
                into_sink += 1;
            } else if n != NONE {
                assert_eq!(self.prev[n as usize], v, "links disagree");
            }
        }
        assert_eq!((fed, into_sink), (flow, flow));
    }

    /// Finds one augmenting path and pushes one unit along it; false when
    /// there is none (the flow is maximum).
    fn augment(&mut self, g: &ClaimGraph) -> bool {
        let gen = self.next_gen();
        let sink = 2 * self.sink;
        self.seen[sink as usize] = gen;
        self.toward[sink as usize] = NONE;
        self.back.clear();
        self.back.push(sink);
        self.fwd.clear();
        self.next_root = 0;
        let (back, fwd) = match self.search {
            Search::Both => (true, true),
            #[cfg(test)]
            Search::Backward => (true, false),
            #[cfg(test)]
            Search::Forward => (false, true),
        };
        loop {
            if back {
                let Some(s) = self.back.pop() else {
                    return false;
                };
                if self.expand_back(g, s, gen) {
                    return true;
                }
            }
            if fwd {
                let s = match self.fwd.pop() {
                    Some(s) => s,
                    None => match self.free_root(gen) {
                        Some(s) => s,
                        None => return false,
                    },
                };
                if self.expand_fwd(g, s, gen) {
                    return true;
                }
            }
        }
    }

    /// The "in" state of the next free root group the forward search has not
    /// reached yet, marked as reached from the super-source.
    fn free_root(&mut self, gen: u32) -> Option<u32> {
        while let Some(&r) = self.root_reps.get(self.next_root) {
            self.next_root += 1;
            let s = 2 * r;
            if self.prev[r as usize] == NONE && self.seen_fwd[s as usize] != gen {
                self.seen_fwd[s as usize] = gen;
                self.from[s as usize] = NONE;
                return Some(s);
            }
        }
        None
    }

    /// Backward step: marks every state with a residual arc into `s`.
    fn expand_back(&mut self, g: &ClaimGraph, s: u32, gen: u32) -> bool {
        let v = s / 2;
        if s & 1 == 0 {
            // Into (v, in): along unused citations from (u, out), and back
            // through v if a chain already uses it. A root group's "in"
            // state is never reached backwards (see `visit_back`).
            for &u in g.predecessors(v) {
                let f = self.rep[u as usize];
                if f != self.sink
                    && self.next[f as usize] != v
                    && self.visit_back(f * 2 + 1, s, gen)
                {
                    return true;
                }
            }
            self.prev[v as usize] != NONE && self.visit_back(2 * v + 1, s, gen)
        } else {
            // Into (v, out): from (v, in) if v is free, or backwards from the
            // chain's next vertex if v carries one.
            if self.prev[v as usize] == NONE && self.visit_back(2 * v, s, gen) {
                return true;
            }
            let w = self.next[v as usize];
            w != NONE && w != self.sink && self.visit_back(2 * w, s, gen)
        }
    }

    /// Marks state `s` as reached backwards from `toward`; true when that
    /// completes an augmenting path (which is then applied): `s` is a free
    /// root group's "out" state, or the forward search has reached it.
    fn visit_back(&mut self, s: u32, toward: u32, gen: u32) -> bool {
        if self.seen[s as usize] == gen {
            return false;
        }
        self.seen[s as usize] = gen;
        self.toward[s as usize] = toward;
        let v = s / 2;
        if s & 1 == 1 && self.is_root(v) && self.prev[v as usize] == NONE {
            self.path.clear();
            self.path.push(s);
            self.finish_path(s);
            return true;
        }
        if self.seen_fwd[s as usize] == gen {
            self.meet(s);
            return true;
        }
        self.back.push(s);
        false
    }

    /// Forward step: marks every state `s` has a residual arc into.
    fn expand_fwd(&mut self, g: &ClaimGraph, s: u32, gen: u32) -> bool {
        let v = s / 2;
        let (prev, next) = (self.prev[v as usize], self.next[v as usize]);
        if s & 1 == 0 {
            // Out of (v, in): through v if it is free, else back along the
            // chain's citation into v.
            if prev == NONE {
                return self.visit_fwd(2 * v + 1, s, gen);
            }
            prev != SUPER && self.visit_fwd(2 * prev + 1, s, gen)
        } else {
            // Out of (v, out): along every unused citation, and back through
            // v if a chain uses it.
            if prev != NONE && self.visit_fwd(2 * v, s, gen) {
                return true;
            }
            for k in 0..self.successors(g, v).len() {
                let w = self.successors(g, v)[k];
                if w != next && self.visit_fwd(2 * w, s, gen) {
                    return true;
                }
            }
            false
        }
    }

    /// Marks state `s` as reached forwards from `from`; true when that
    /// completes an augmenting path (which is then applied): `s` is the sink
    /// or the backward search has reached it.
    fn visit_fwd(&mut self, s: u32, from: u32, gen: u32) -> bool {
        if self.seen_fwd[s as usize] == gen {
            return false;
        }
        self.seen_fwd[s as usize] = gen;
        self.from[s as usize] = from;
        if self.seen[s as usize] == gen {
            // The sink is marked by the backward search from the start.
            self.meet(s);
            return true;
        }
        self.fwd.push(s);
        false
    }

    /// Joins the forward path to `s` and the backward path from it, and
    /// applies the result.
    fn meet(&mut self, s: u32) {
        self.path.clear();
        let mut t = s;
        while t != NONE {
            self.path.push(t);
            t = self.from[t as usize];
        }
        self.path.reverse();
        self.finish_path(s);
    }

    /// Appends the backward path after `s` (which is already the last state
    /// of `self.path`) and pushes one unit along the whole path, which starts
    /// at a free root group's "in" or "out" state.
    fn finish_path(&mut self, s: u32) {
        let mut t = self.toward[s as usize];
        while t != NONE {
            self.path.push(t);
            t = self.toward[t as usize];
        }
        let root = self.path[0] / 2;
        self.prev[root as usize] = SUPER;
        self.touched.push(root);
        for k in 1..self.path.len() {
            let (s, t) = (self.path[k - 1], self.path[k]);
            let (a, b) = (s / 2, t / 2);
            if a == b {
                continue;
            }
            if s & 1 == 1 {
                // Forward along a citation a → b.
                self.next[a as usize] = b;
                self.touched.push(a);
                if b != self.sink {
                    self.prev[b as usize] = a;
                    self.touched.push(b);
                }
            } else {
                // Cancelling the chain's citation b → a.
                if self.next[b as usize] == a {
                    self.next[b as usize] = NONE;
                }
                if self.prev[a as usize] == b {
                    self.prev[a as usize] = NONE;
                }
            }
        }
    }
}
