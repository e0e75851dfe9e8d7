//! chains(X): the largest number of citation chains from root groups to X
//! that share no source but X, each root group taken as one node: by
//! Menger's theorem, the size of the smallest set of sources (X excluded)
//! whose removal cuts X off from every root group.
//!
//! Computed for every source of a claim at once, exactly, in stages; each
//! source leaves at the first stage that settles it:
//!
//! 1. **Cheap bounds.** chains(X) ≤ ub(X) = min(roots(X), the number of
//!    distinct predecessors of X, a root group counting once). ub ≤ 1
//!    settles it.
//! 2. **Dominators.** On the graph H with the root groups contracted and a
//!    virtual start `s` before them, chains(X) ≥ 2 exactly when X's
//!    immediate dominator is `s` (no single source cuts X off). Lengauer and
//!    Tarjan's algorithm, iteratively, *O(m log n)*. idom ≠ s gives 1; idom =
//!    s with ub = 2 gives 2.
//! 3. **Random linear network coding** (Cheung, Lau and Leung, 2013; the
//!    vertex version of Abboud et al., 2019), over the prime field
//!    p = 2⁶¹ − 1, in K dimensions: the largest ub among the sources still
//!    open, at most 32 (a rank certifies nothing above K, and the cost grows
//!    with it). Each root group gets a unit vector of F_p^K (a random one
//!    when there are more than K groups); every other source, in a
//!    topological order, sends one random combination of its predecessors'
//!    vectors. Within a circular component the order is the one Kahn's
//!    algorithm gives when, stuck, it takes the source with the fewest
//!    remaining citations; the citations against that order are left out of
//!    the coding. The rank L(X) of the vectors of X's predecessors is never
//!    more than chains(X) (every vector behind a cut lies in the span of the
//!    cut's vectors, and dropping citations only removes chains). An upper
//!    bound U(X) comes with it: the smaller of ub(X) and the size of a small
//!    cut built from the predecessors' own cuts (a dominator is a cut of one;
//!    see [`Cuts`]). **L(X) = U(X) proves chains(X) = U(X).** The ranks are
//!    checked against ub first, and the cuts built only when some rank falls
//!    short of it: on every benchmark shape but the bottleneck (and 456
//!    sources of the steep corpus) no rank does. On pa the cuts had taken
//!    43–54 ms of the chains; `analyze` of pa took 0.229 s with them, 0.202 s
//!    without (median of 9 alternating runs). The
//!    coefficients are a hash of a fixed seed and the two sources'
//!    positions, so the same input gives the same output, whatever the
//!    threads; randomness can only leave a source unsettled, never give a
//!    wrong value.
//! 4. **Exact flows** for the sources still open: unit-capacity augmenting
//!    paths on the vertex-split graph ([`Flow`]), searched from both ends,
//!    stopping at ub. A source all of whose predecessors are root groups is
//!    settled without one: chains = its number of predecessors.
//!
//! # Complexity
//!
//! Stages 1–3: *O(n + m log n + m·K + Σ_X d(X)·(K·ub(X) + C))* time and
//! *O(n·(K + C) + m)* memory for `n` sources, `m` citations, cuts of at most
//! C = 32 sources and `d(X)` the
//! predecessors of X. Stage 4: at most `ub + 1` searches per open source,
//! each *O(n + m)* at worst; docs/performance.md measures how many sources
//! reach it on each shape of graph.
//!
//! # Example
//!
//! Three origins reach a news agency, and five outlets have the claim only
//! from the agency: each outlet has roots 3 and ub 1, chains 1 (stage 1). An
//! aggregator citing the agency and a witness has ub 2, and its immediate
//! dominator is the start: chains 2 (stage 2). A source citing three
//! outlets that each have the claim from a different origin has ub 3 and a
//! coding rank of 3: chains 3 (stage 3).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::components::Components;
use super::NONE;
use crate::graph::ClaimGraph;

/// The prime of the coding field, 2⁶¹ − 1.
const P: u64 = (1 << 61) - 1;
/// The most dimensions of the coding vectors.
const MAX_K: usize = 32;
/// The fixed seed of the coding coefficients.
const SEED: u64 = 0x7275_6d6f_7267_7261;

/// How many sources each stage settled, for benchmarks and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// By the cheap bounds (and membership of a root group).
    pub bounds: u32,
    /// By the dominator tree.
    pub dominators: u32,
    /// By a coding rank equal to the upper bound.
    pub coding: u32,
    /// By an exact flow.
    pub flows: u32,
}

/// chains(v) for every node `v` of `g`, and how each was settled.
///
/// `root_comps` are the root components (as [`super::components::groups`]
/// gives them) and `roots_of_comp[c]` is roots(X) for the nodes X of
/// component `c`. `done` is called with the number of sources settled so
/// far, now and then, for a progress bar.
pub(super) fn all_chains(
    g: &ClaimGraph,
    cs: &Components,
    root_comps: &[u32],
    roots_of_comp: &[u32],
    done: &dyn Fn(u32),
) -> (Vec<u32>, Settled) {
    all_chains_in(g, cs, root_comps, roots_of_comp, done, P)
}

/// [`all_chains`] with the coding over F_`prime` (`prime` below 2⁶¹): a small
/// prime makes coding fail often, which the tests use to show that a failed
/// coding only sends sources on to the flows.
pub(super) fn all_chains_in(
    g: &ClaimGraph,
    cs: &Components,
    root_comps: &[u32],
    roots_of_comp: &[u32],
    done: &dyn Fn(u32),
    prime: u64,
) -> (Vec<u32>, Settled) {
    let n = g.len();
    let mut settled = Settled::default();
    let mut chains = vec![0u32; n];
    if n == 0 {
        return (chains, settled);
    }
    let h = Contracted::new(g, cs, root_comps);

    // Stage 1: root groups and the cheap bounds.
    let mut ub = vec![0u32; n];
    let mut open: Vec<u32> = Vec::new();
    for v in 0..n as u32 {
        if h.is_member(v) {
            chains[v as usize] = 1;
            settled.bounds += 1;
            continue;
        }
        let b = roots_of_comp[cs.comp[v as usize] as usize].min(h.preds(v).len() as u32);
        ub[v as usize] = b;
        if b <= 1 {
            chains[v as usize] = b.max(1);
            settled.bounds += 1;
        } else {
            open.push(v);
        }
    }
    done(settled.bounds);
    if open.is_empty() {
        return (chains, settled);
    }

    // Stage 2: dominators.
    let idom = h.dominators();
    let start = n as u32;
    open.retain(|&v| {
        let c = if idom[v as usize] != start {
            1
        } else if ub[v as usize] == 2 {
            2
        } else {
            return true;
        };
        chains[v as usize] = c;
        settled.dominators += 1;
        false
    });
    done(settled.bounds + settled.dominators);
    if open.is_empty() {
        return (chains, settled);
    }

    // Stage 3: network coding, certified by an upper bound: ub, or the size
    // of a small cut found from the cuts of the predecessors.
    // Coordinates enough for the largest upper bound still open: a rank can
    // only certify a figure up to the number of coordinates, and the cost of
    // coding grows with it (the largest ub is 3 to 8 on most benchmark
    // shapes).
    let k = open
        .iter()
        .map(|&v| ub[v as usize] as usize)
        .max()
        .unwrap_or(1);
    let coding = Coding::new(g, cs, &h, root_comps, k.min(MAX_K), Field(prime));
    let mut is_open = vec![false; n];
    for &v in &open {
        is_open[v as usize] = true;
    }
    // First against ub alone, in the coding's order: a rank that reaches
    // ub proves chains = ub, whatever the cuts. Sources to check, with
    // their bound.
    let mut check: Vec<(u32, u32)> = Vec::new();
    for &v in &coding.order {
        if !is_open[v as usize] {
            continue;
        }
        let preds = h.preds(v);
        if preds.iter().all(|&u| h.is_root_rep(u)) {
            // Every predecessor is a root group: one chain through each.
            chains[v as usize] = preds.len() as u32;
            settled.coding += 1;
        } else {
            check.push((v, ub[v as usize]));
        }
    }
    // A source is settled once its chains are set (never to 0).
    let settle = |check: &[(u32, u32)], chains: &mut [u32], settled: &mut Settled| {
        for (&(v, b), reached) in check.iter().zip(ranks_reach(&coding, &h, check)) {
            if reached {
                chains[v as usize] = b;
                settled.coding += 1;
            }
        }
    };
    settle(&check, &mut chains, &mut settled);
    let short: Vec<u32> = check
        .iter()
        .map(|&(v, _)| v)
        .filter(|&v| chains[v as usize] == 0)
        .collect();
    // Then, for the sources whose rank fell short of ub, the cuts: built in
    // the coding's order, each from its predecessors' (so for every node),
    // only when some source needs one. A rank that reaches a cut smaller
    // than ub proves chains = the cut's size; the others go to the flows.
    if !short.is_empty() {
        let mut cuts = Cuts::new(n);
        let mut size = vec![0u32; n];
        for &v in &coding.order {
            if h.is_root_rep(v) {
                cuts.single(v, v);
                continue;
            }
            if idom[v as usize] != start && idom[v as usize] != NONE {
                cuts.single(v, idom[v as usize]);
                continue;
            }
            size[v as usize] = cuts.build(v, h.preds(v));
        }
        drop(cuts);
        let again: Vec<(u32, u32)> = short
            .iter()
            .map(|&v| (v, size[v as usize]))
            .filter(|&(v, s)| s < ub[v as usize])
            .collect();
        settle(&again, &mut chains, &mut settled);
    }
    let flows: Vec<u32> = short
        .into_iter()
        .filter(|&v| chains[v as usize] == 0)
        .collect();
    done(settled.bounds + settled.dominators + settled.coding);

    // Stage 4: exact flows.
    if !flows.is_empty() {
        let mut flow = Flow::new(g, cs, root_comps);
        for (i, &v) in flows.iter().enumerate() {
            let roots = roots_of_comp[cs.comp[v as usize] as usize];
            chains[v as usize] = flow.chains(g, v, roots);
            settled.flows += 1;
            if i % 256 == 255 {
                done(settled.bounds + settled.dominators + settled.coding + settled.flows);
            }
        }
    }
    (chains, settled)
}

/// For each `(v, b)` of `check`, whether the coding vectors of `v`'s
/// predecessors span `b` dimensions (never when `b` is more than the
/// coding's). On rayon's threads, each with its scratch space.
fn ranks_reach(coding: &Coding, h: &Contracted, check: &[(u32, u32)]) -> Vec<bool> {
    use rayon::prelude::*;
    check
        .par_iter()
        .with_min_len(1024)
        .map_init(
            || Rank::new(coding.k),
            |rank, &(v, b)| b as usize <= coding.k && rank.reaches(coding, h.preds(v), b),
        )
        .collect()
}

/// The claim graph with every root group contracted to its first member
/// (its *representative*), and a virtual start `s` (index `n`) before the
/// representatives: the graph H of the dominator stage.
struct Contracted {
    /// Node to the representative of its root group, or itself.
    rep: Vec<u32>,
    /// The node is a root group's representative.
    root_rep: Vec<bool>,
    /// The representatives, in root-group order.
    reps: Vec<u32>,
    /// Distinct contracted predecessors of every node outside the root
    /// groups (CSR); empty for root-group members.
    pred_off: Vec<u32>,
    pred: Vec<u32>,
}

impl Contracted {
    fn new(g: &ClaimGraph, cs: &Components, root_comps: &[u32]) -> Contracted {
        let n = g.len();
        let mut rep: Vec<u32> = (0..n as u32).collect();
        let mut root_rep = vec![false; n];
        let mut member = vec![false; n];
        let mut reps = Vec::with_capacity(root_comps.len());
        for &c in root_comps {
            let m = cs.members(c);
            for &v in m {
                rep[v as usize] = m[0];
                member[v as usize] = true;
            }
            root_rep[m[0] as usize] = true;
            reps.push(m[0]);
        }
        let mut pred_off = Vec::with_capacity(n + 1);
        pred_off.push(0u32);
        let mut pred = Vec::with_capacity(g.edge_count());
        let mut mark = vec![NONE; n];
        for v in 0..n as u32 {
            if !member[v as usize] {
                let from = pred.len();
                for &u in g.predecessors(v) {
                    let r = rep[u as usize];
                    if mark[r as usize] != v {
                        mark[r as usize] = v;
                        pred.push(r);
                    }
                }
                // By local index, the order in which the coding writes the
                // vectors it then reads through these lists: in id order, the
                // star of 200,000 origins with shuffled ids read its 32-wide
                // vectors at random (the whole run: a median 0.697 s, and
                // 0.640 s so; the binary numbering by id took 0.568 and
                // 0.584 s beside them, 7 alternating runs each).
                pred[from..].sort_unstable();
            }
            pred_off.push(pred.len() as u32);
        }
        Contracted {
            rep,
            root_rep,
            reps,
            pred_off,
            pred,
        }
    }

    fn len(&self) -> usize {
        self.rep.len()
    }

    /// `v` belongs to a root group.
    fn is_member(&self, v: u32) -> bool {
        self.root_rep[self.rep[v as usize] as usize]
    }

    fn is_root_rep(&self, v: u32) -> bool {
        self.root_rep[v as usize]
    }

    /// The distinct contracted predecessors of a node outside the root groups.
    fn preds(&self, v: u32) -> &[u32] {
        &self.pred[self.pred_off[v as usize] as usize..self.pred_off[v as usize + 1] as usize]
    }

    /// The immediate dominator in H of every node (`n` stands for the start
    /// `s`; `NONE` for a node H does not reach: members of root groups other
    /// than the representative). Lengauer and Tarjan's simple algorithm, with
    /// an explicit stack for the search and for path compression.
    ///
    /// *O(m log n)* time, *O(n + m)* memory.
    fn dominators(&self) -> Vec<u32> {
        let n = self.len();
        let s = n as u32;
        let total = n + 1;
        // Successors of H, by inverting the predecessor lists.
        let mut succ_off = vec![0u32; total + 1];
        for v in 0..n as u32 {
            for &u in self.preds(v) {
                succ_off[u as usize + 1] += 1;
            }
        }
        succ_off[s as usize + 1] = self.reps.len() as u32;
        for i in 0..total {
            succ_off[i + 1] += succ_off[i];
        }
        let mut fill = succ_off.clone();
        let mut succ = vec![0u32; succ_off[total] as usize];
        for v in 0..n as u32 {
            for &u in self.preds(v) {
                succ[fill[u as usize] as usize] = v;
                fill[u as usize] += 1;
            }
        }
        for &r in &self.reps {
            succ[fill[s as usize] as usize] = r;
            fill[s as usize] += 1;
        }
        let succs =
            |v: u32| &succ[succ_off[v as usize] as usize..succ_off[v as usize + 1] as usize];
        let start_preds: [u32; 1] = [s];
        let preds = |v: u32| -> &[u32] {
            if v == s {
                &[]
            } else if self.root_rep[v as usize] {
                &start_preds
            } else {
                self.preds(v)
            }
        };

        // Depth-first numbering from s.
        let mut dfn = vec![NONE; total];
        let mut vertex: Vec<u32> = Vec::with_capacity(total);
        let mut parent = vec![NONE; total];
        let mut stack: Vec<(u32, u32)> = vec![(s, 0)];
        dfn[s as usize] = 0;
        vertex.push(s);
        while let Some(top) = stack.last_mut() {
            let (v, i) = *top;
            if let Some(&w) = succs(v).get(i as usize) {
                top.1 += 1;
                if dfn[w as usize] == NONE {
                    dfn[w as usize] = vertex.len() as u32;
                    vertex.push(w);
                    parent[w as usize] = v;
                    stack.push((w, 0));
                }
            } else {
                stack.pop();
            }
        }

        let mut semi: Vec<u32> = dfn.clone();
        let mut label: Vec<u32> = (0..total as u32).collect();
        let mut ancestor = vec![NONE; total];
        let mut idom = vec![NONE; total];
        let mut bucket_head = vec![NONE; total];
        let mut bucket_next = vec![NONE; total];
        let mut path: Vec<u32> = Vec::new();
        let eval = |v: u32,
                    ancestor: &mut Vec<u32>,
                    label: &mut Vec<u32>,
                    semi: &Vec<u32>,
                    path: &mut Vec<u32>|
         -> u32 {
            if ancestor[v as usize] == NONE {
                return v;
            }
            path.clear();
            let mut x = v;
            while ancestor[ancestor[x as usize] as usize] != NONE {
                path.push(x);
                x = ancestor[x as usize];
            }
            while let Some(y) = path.pop() {
                let a = ancestor[y as usize];
                if semi[label[a as usize] as usize] < semi[label[y as usize] as usize] {
                    label[y as usize] = label[a as usize];
                }
                ancestor[y as usize] = ancestor[a as usize];
            }
            label[v as usize]
        };
        for i in (1..vertex.len()).rev() {
            let w = vertex[i];
            for &v in preds(w) {
                if dfn[v as usize] == NONE {
                    continue;
                }
                let u = eval(v, &mut ancestor, &mut label, &semi, &mut path);
                if semi[u as usize] < semi[w as usize] {
                    semi[w as usize] = semi[u as usize];
                }
            }
            let sv = vertex[semi[w as usize] as usize];
            bucket_next[w as usize] = bucket_head[sv as usize];
            bucket_head[sv as usize] = w;
            let p = parent[w as usize];
            ancestor[w as usize] = p;
            let mut b = std::mem::replace(&mut bucket_head[p as usize], NONE);
            while b != NONE {
                let next = bucket_next[b as usize];
                let u = eval(b, &mut ancestor, &mut label, &semi, &mut path);
                idom[b as usize] = if semi[u as usize] < semi[b as usize] {
                    u
                } else {
                    p
                };
                b = next;
            }
        }
        for &w in &vertex[1..] {
            if idom[w as usize] != vertex[semi[w as usize] as usize] {
                idom[w as usize] = idom[idom[w as usize] as usize];
            }
        }
        idom.truncate(n);
        idom
    }
}

/// The most sources a cut kept for a source may hold.
const MAX_CUT: usize = MAX_K;

/// For every node, a small set of nodes of H (never the node itself) that
/// cuts it off from every root group, when one of at most [`MAX_CUT`] nodes
/// is known: its size bounds chains from above.
///
/// A node's cut is built from its predecessors, taken in a topological
/// order: the union, over the predecessors `u`, of `u`'s own cut (when known,
/// and without the node itself) or else `{u}`; or the predecessors
/// themselves, when that is smaller. Every chain into the node passes one of
/// its predecessors, and every chain into a predecessor passes its cut, so
/// either set meets every chain.
struct Cuts {
    off: Vec<u32>,
    len: Vec<u32>,
    nodes: Vec<u32>,
    scratch: Vec<u32>,
}

impl Cuts {
    fn new(n: usize) -> Cuts {
        Cuts {
            off: vec![0; n],
            len: vec![0; n],
            nodes: Vec::new(),
            scratch: Vec::new(),
        }
    }

    fn get(&self, v: u32) -> &[u32] {
        let o = self.off[v as usize] as usize;
        &self.nodes[o..o + self.len[v as usize] as usize]
    }

    fn set(&mut self, v: u32, cut: &[u32]) {
        self.off[v as usize] = self.nodes.len() as u32;
        self.len[v as usize] = cut.len() as u32;
        self.nodes.extend_from_slice(cut);
    }

    /// The cut of one node: a root group ({itself}) or a dominator.
    fn single(&mut self, v: u32, cut: u32) {
        self.set(v, &[cut]);
    }

    /// Computes and keeps `v`'s cut from its predecessors; returns its size,
    /// or `u32::MAX` when no cut of at most [`MAX_CUT`] nodes was found.
    fn build(&mut self, v: u32, preds: &[u32]) -> u32 {
        let mut union = std::mem::take(&mut self.scratch);
        union.clear();
        let mut small = true;
        for &u in preds {
            let known = self.get(u);
            if !known.is_empty() && !known.contains(&v) {
                union.extend_from_slice(known);
            } else {
                union.push(u);
            }
            if union.len() > 4 * MAX_CUT {
                union.sort_unstable();
                union.dedup();
                if union.len() > MAX_CUT {
                    small = false;
                    break;
                }
            }
        }
        union.sort_unstable();
        union.dedup();
        if small {
            // A member whose own cut lies inside the rest of the set is not
            // needed: every chain through it passes its cut first.
            let mut k = 0;
            while k < union.len() {
                let x = union[k];
                let cx = self.get(x);
                let inside = !cx.is_empty()
                    && !cx.contains(&v)
                    && !cx.contains(&x)
                    && cx.iter().all(|y| union.binary_search(y).is_ok());
                if inside {
                    union.remove(k);
                } else {
                    k += 1;
                }
            }
        }
        let size = if small && union.len() <= preds.len() && union.len() <= MAX_CUT {
            self.set(v, &union);
            union.len()
        } else if preds.len() <= MAX_CUT {
            self.set(v, preds);
            preds.len()
        } else {
            usize::MAX
        };
        self.scratch = union;
        size.min(u32::MAX as usize) as u32
    }
}

/// The vectors of random linear network coding over F_p, one of `k`
/// coordinates per node of H, in a topological order of the graph with the
/// citations against the order left out.
struct Coding {
    field: Field,
    k: usize,
    /// The order the vectors were computed in.
    order: Vec<u32>,
    /// `vectors[pos[v] * k ..][..k]` is the vector node `v` sends.
    vectors: Vec<u64>,
    pos: Vec<u32>,
}

impl Coding {
    fn new(
        g: &ClaimGraph,
        cs: &Components,
        h: &Contracted,
        root_comps: &[u32],
        k: usize,
        field: Field,
    ) -> Coding {
        let n = g.len();
        let k = k.clamp(1, MAX_K);
        let order = coding_order(cs, h);
        let mut pos = vec![NONE; n];
        for (i, &v) in order.iter().enumerate() {
            pos[v as usize] = i as u32;
        }
        let mut vectors = vec![0u64; order.len() * k];
        let group_of: Vec<u32> = {
            let mut gi = vec![NONE; n];
            for (i, &c) in root_comps.iter().enumerate() {
                gi[cs.members(c)[0] as usize] = i as u32;
            }
            gi
        };
        let mut acc = vec![0u128; k];
        for (i, &v) in order.iter().enumerate() {
            let out = i * k;
            if h.is_root_rep(v) {
                let gi = group_of[v as usize] as usize;
                if h.reps.len() <= k {
                    vectors[out + gi] = 1;
                } else {
                    for j in 0..k {
                        vectors[out + j] = field.coefficient(gi as u64, j as u64 | 1 << 40);
                    }
                }
                continue;
            }
            acc.fill(0);
            let mut terms = 0;
            for &u in h.preds(v) {
                let pu = pos[u as usize];
                if pu >= i as u32 {
                    continue;
                }
                let c = field.coefficient(u as u64, v as u64) as u128;
                let from = &vectors[pu as usize * k..pu as usize * k + k];
                for (a, &x) in acc.iter_mut().zip(from) {
                    *a += c * x as u128;
                }
                terms += 1;
                // Each product is below 2¹²²: reduce before the sum can overflow.
                if terms == 32 {
                    for a in acc.iter_mut() {
                        *a = field.reduce(*a) as u128;
                    }
                    terms = 0;
                }
            }
            for (j, a) in acc.iter().enumerate() {
                vectors[out + j] = field.reduce(*a);
            }
        }
        Coding {
            field,
            k,
            order,
            vectors,
            pos,
        }
    }

    fn vector(&self, v: u32) -> &[u64] {
        let p = self.pos[v as usize] as usize;
        &self.vectors[p * self.k..p * self.k + self.k]
    }
}

/// A topological order of H's nodes (root-group representatives and every
/// node outside the root groups): components in topological order, and
/// inside a circular component the order of Kahn's algorithm that, when no
/// member is free of citations from within, takes the one with the fewest
/// such citations left (ties by index).
fn coding_order(cs: &Components, h: &Contracted) -> Vec<u32> {
    let mut order = Vec::with_capacity(h.len());
    let mut left = vec![0u32; h.len()];
    let mut placed = vec![false; h.len()];
    let mut heap: BinaryHeap<Reverse<(u32, u32)>> = BinaryHeap::new();
    // A circular component's members by their place in it (NONE outside),
    // and the successors inside it of each member (CSR, by place), built
    // per component in scratch space kept for the next. A search in the
    // sorted members for every citation and a vector of successors for
    // every member took two thirds of the coding stage on a circle of
    // 100,000 sources.
    let mut local_of = vec![NONE; h.len()];
    let mut succ_off: Vec<u32> = Vec::new();
    let mut succ: Vec<u32> = Vec::new();
    let mut fill: Vec<u32> = Vec::new();
    for c in 0..cs.len() as u32 {
        let m = cs.members(c);
        if h.is_member(m[0]) {
            if h.is_root_rep(m[0]) {
                order.push(m[0]);
            }
            continue;
        }
        if m.len() == 1 {
            order.push(m[0]);
            continue;
        }
        for (i, &v) in m.iter().enumerate() {
            local_of[v as usize] = i as u32;
        }
        succ_off.clear();
        succ_off.resize(m.len() + 1, 0);
        for (i, &v) in m.iter().enumerate() {
            let mut count = 0;
            for &u in h.preds(v) {
                let j = local_of[u as usize];
                if j != NONE {
                    succ_off[j as usize + 1] += 1;
                    count += 1;
                }
            }
            left[v as usize] = count;
            heap.push(Reverse((count, i as u32)));
        }
        for j in 0..m.len() {
            succ_off[j + 1] += succ_off[j];
        }
        succ.clear();
        succ.resize(succ_off[m.len()] as usize, 0);
        fill.clear();
        fill.extend_from_slice(&succ_off);
        for (i, &v) in m.iter().enumerate() {
            for &u in h.preds(v) {
                let j = local_of[u as usize];
                if j != NONE {
                    succ[fill[j as usize] as usize] = i as u32;
                    fill[j as usize] += 1;
                }
            }
        }
        for &v in m {
            local_of[v as usize] = NONE;
        }
        while let Some(Reverse((count, i))) = heap.pop() {
            let v = m[i as usize];
            if placed[v as usize] || count != left[v as usize] {
                continue;
            }
            placed[v as usize] = true;
            order.push(v);
            let i = i as usize;
            for &j in &succ[succ_off[i] as usize..succ_off[i + 1] as usize] {
                let w = m[j as usize];
                if !placed[w as usize] {
                    left[w as usize] -= 1;
                    heap.push(Reverse((left[w as usize], j)));
                }
            }
        }
    }
    order
}

/// The prime field of the coding: F_p with p = 2⁶¹ − 1, or a smaller prime
/// in tests.
#[derive(Clone, Copy, Debug)]
struct Field(u64);

impl Field {
    /// A nonzero element from the fixed seed and two numbers.
    fn coefficient(self, a: u64, b: u64) -> u64 {
        let mut x =
            SEED ^ a.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b.wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
        // SplitMix64's finaliser.
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^= x >> 31;
        (x % (self.0 - 1)) + 1
    }

    /// `x mod p` for any `x` below 2¹²⁸; without a division for 2⁶¹ − 1.
    fn reduce(self, x: u128) -> u64 {
        if self.0 != P {
            return (x % self.0 as u128) as u64;
        }
        let p = P as u128;
        let r = (x & p) + (x >> 61);
        let r = ((r & p) + (r >> 61)) as u64;
        if r >= P {
            r - P
        } else {
            r
        }
    }

    fn mul(self, a: u64, b: u64) -> u64 {
        self.reduce(a as u128 * b as u128)
    }

    fn sub(self, a: u64, b: u64) -> u64 {
        if a >= b {
            a - b
        } else {
            a + self.0 - b
        }
    }
}

/// Rank of a set of vectors by fraction-free elimination, with scratch
/// space reused across sources.
struct Rank {
    k: usize,
    /// Basis rows, `k` coordinates each, and the pivot column of each.
    rows: Vec<u64>,
    pivots: Vec<usize>,
    row: Vec<u64>,
}

impl Rank {
    fn new(k: usize) -> Rank {
        Rank {
            k,
            rows: Vec::new(),
            pivots: Vec::new(),
            row: vec![0; k],
        }
    }

    /// Whether the vectors of `preds` span at least `target` dimensions.
    /// Stops as soon as they do, or as soon as the rows left cannot.
    fn reaches(&mut self, coding: &Coding, preds: &[u32], target: u32) -> bool {
        let target = target as usize;
        let k = self.k;
        self.rows.clear();
        self.pivots.clear();
        for (i, &u) in preds.iter().enumerate() {
            if self.pivots.len() + (preds.len() - i) < target {
                return false;
            }
            self.row.copy_from_slice(coding.vector(u));
            for (b, &pc) in self.pivots.iter().enumerate() {
                let x = self.row[pc];
                if x == 0 {
                    continue;
                }
                let basis = &self.rows[b * k..b * k + k];
                let pv = basis[pc];
                let f = coding.field;
                for (r, &y) in self.row.iter_mut().zip(basis) {
                    *r = f.sub(f.mul(*r, pv), f.mul(x, y));
                }
            }
            if let Some(pc) = self.row.iter().position(|&x| x != 0) {
                self.rows.extend_from_slice(&self.row);
                self.pivots.push(pc);
                if self.pivots.len() >= target {
                    return true;
                }
            }
        }
        false
    }
}

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
