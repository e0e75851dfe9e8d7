//! trace: every citation chain from a root group to one source.
//!
//! Every chain is a simple path (no source twice) that starts at a root group
//! (one step, however many members the group has) and ends at the source; the
//! chains come in lexicographic order, root groups in the order of the
//! origins table, then sources by id.
//!
//! # Complexity
//!
//! See [`trace`]: linear work to rebuild the graph and find the source's
//! ancestors, then a depth-first search whose cost is proportional to the
//! chains it lists when the ancestors are acyclic.
//!
//! # Example
//!
//! In the diamond `a → b → d`, `a → c → d`, trace(d) is `a -> b -> d` and
//! `a -> c -> d`: two chains, though chains(d) = 1 (they share `a`).

use super::{ClaimAnalysis, Trace, TraceStep, NONE};
use crate::graph::{self, ClaimGraph};
use crate::model::{Case, SourceIdx, Stance};

/// Lists the citation chains from root groups to `source`: every path that
/// starts at a root group (one step, however many members it has), goes
/// through distinct sources along citations and ends at `source`, in
/// lexicographic order, at most `max_paths` of them.
///
/// `analysis` and `reports` must be the claim's analysis and reports as given
/// to [`super::analyze_claim`]. A source in a root group has the one chain
/// `[Root(its group)]`; a source outside G⁺(C) has none.
///
/// # Complexity
///
/// *O((r + c) log (r + c))* to rebuild G⁺(C) from `r` reports with `c`
/// citations and *O(n + m)* to find the ancestors of `source`; then a
/// depth-first search over them. When the ancestors hold no circular
/// reporting every branch it takes ends at `source`, so each chain listed
/// costs *O(d · L)* (`L` its length, `d` the largest out-degree). With
/// circular reporting upstream, each step first finds the sources that can
/// still reach `source` off the path (*O(n + m)*) and takes only those, so
/// no branch is a dead end: *O(L · (n + m))* per chain listed. When the list is cut short,
/// *O(n + m)* more to count the total if the ancestors are acyclic.
pub fn trace(
    case: &Case,
    analysis: &ClaimAnalysis,
    reports: &[u32],
    source: SourceIdx,
    max_paths: usize,
) -> Trace {
    let g = graph::build(case, reports, Stance::Support);
    let none = Trace {
        paths: Vec::new(),
        truncated: false,
        total_known: Some(0),
    };
    let Some(x) = g.index_of(case, source) else {
        return none;
    };
    let n = g.len();
    let mut root_of = vec![NONE; n];
    for (i, r) in analysis.roots.iter().enumerate() {
        for &s in &r.sources {
            if let Some(v) = g.index_of(case, s) {
                root_of[v as usize] = i as u32;
            }
        }
    }
    if root_of[x as usize] != NONE {
        let path = vec![TraceStep::Root(root_of[x as usize])];
        let truncated = max_paths == 0;
        let paths = if truncated { Vec::new() } else { vec![path] };
        return Trace {
            paths,
            truncated,
            total_known: Some(1),
        };
    }

    // The ancestors of x: only they can lie on a chain to x.
    let mut anc = vec![false; n];
    anc[x as usize] = true;
    let mut stack = vec![x];
    while let Some(v) = stack.pop() {
        for &u in g.predecessors(v) {
            if !anc[u as usize] {
                anc[u as usize] = true;
                stack.push(u);
            }
        }
    }

    // The first step out of each root group: every source outside it that a
    // member is cited by, in id order.
    let mut first: Vec<Vec<u32>> = vec![Vec::new(); analysis.roots.len()];
    for v in 0..n as u32 {
        let r = root_of[v as usize];
        if r != NONE && anc[v as usize] {
            first[r as usize].extend(
                g.successors(v)
                    .iter()
                    .filter(|&&w| root_of[w as usize] != r),
            );
        }
    }
    for f in &mut first {
        g.sort_by_id(f);
        f.dedup();
    }

    // With circular reporting among the ancestors, a branch of the search
    // can run into sources that reach x only through the path already taken:
    // dead ends, exponentially many of them in a circle of diamonds. There,
    // every step of the search first finds the sources that can still reach
    // x without the path (a backward search from x), and goes only to them,
    // so that every step leads to at least one more chain.
    let cyclic = analysis.loops.iter().any(|l| {
        l.sources
            .iter()
            .any(|&s| g.index_of(case, s).is_some_and(|v| anc[v as usize]))
    });
    let mut live = Live::new(n);
    let mut paths: Vec<Vec<TraceStep>> = Vec::new();
    let mut truncated = false;
    let mut on_path = vec![false; n];
    // Frames of the depth-first search: the node (NONE for the root group),
    // the position in its successor list, and (with circles upstream) the
    // stamp of the live set computed for it.
    let mut frames: Vec<(u32, u32, u32)> = Vec::new();
    let inner = |v: u32| anc[v as usize] && root_of[v as usize] == NONE;
    'roots: for (r, starts) in first.iter().enumerate() {
        let stamp = if cyclic {
            live.compute(&g, x, &on_path, &inner)
        } else {
            0
        };
        frames.push((NONE, 0, stamp));
        while let Some(top) = frames.last_mut() {
            let (v, pos, stamp) = *top;
            let next = if v == NONE {
                &starts[..]
            } else {
                g.successors(v)
            };
            let Some(&w) = next.get(pos as usize) else {
                frames.pop();
                if v != NONE {
                    on_path[v as usize] = false;
                }
                // The frame below is the top again: its live set is stale.
                if cyclic {
                    if let Some(below) = frames.last_mut() {
                        below.2 = live.compute(&g, x, &on_path, &inner);
                    }
                }
                continue;
            };
            top.1 += 1;
            if !anc[w as usize] || on_path[w as usize] || root_of[w as usize] != NONE {
                continue;
            }
            if cyclic && w != x && !live.is(w, stamp) {
                continue;
            }
            if w == x {
                if paths.len() == max_paths {
                    truncated = true;
                    break 'roots;
                }
                let mut path = Vec::with_capacity(frames.len() + 1);
                path.push(TraceStep::Root(r as u32));
                path.extend(
                    frames[1..]
                        .iter()
                        .map(|&(u, _, _)| TraceStep::Source(g.source(u))),
                );
                path.push(TraceStep::Source(source));
                paths.push(path);
            } else {
                on_path[w as usize] = true;
                let stamp = if cyclic {
                    live.compute(&g, x, &on_path, &inner)
                } else {
                    0
                };
                frames.push((w, 0, stamp));
            }
        }
    }
    let total_known = if truncated {
        count_paths(&g, analysis, case, &anc, &root_of)
    } else {
        Some(paths.len() as u64)
    };
    Trace {
        paths,
        truncated,
        total_known,
    }
}

/// The sources that can still reach the traced source without passing the
/// path taken so far, stamped per computation so that nothing is cleared.
struct Live {
    stamp: Vec<u32>,
    now: u32,
    queue: Vec<u32>,
}

impl Live {
    fn new(n: usize) -> Live {
        Live {
            stamp: vec![0; n],
            now: 0,
            queue: Vec::new(),
        }
    }

    /// Marks, with a new stamp, every inner source from which `x` can be
    /// reached through inner sources off the path. *O(n + m)*.
    fn compute(
        &mut self,
        g: &ClaimGraph,
        x: u32,
        on_path: &[bool],
        inner: &dyn Fn(u32) -> bool,
    ) -> u32 {
        if self.now == u32::MAX {
            self.stamp.fill(0);
            self.now = 0;
        }
        self.now += 1;
        let now = self.now;
        self.queue.clear();
        self.queue.push(x);
        self.stamp[x as usize] = now;
        while let Some(v) = self.queue.pop() {
            for &u in g.predecessors(v) {
                if self.stamp[u as usize] != now && inner(u) && !on_path[u as usize] {
                    self.stamp[u as usize] = now;
                    self.queue.push(u);
                }
            }
        }
        now
    }

    fn is(&self, v: u32, stamp: u32) -> bool {
        self.stamp[v as usize] == stamp
    }
}

/// Counts the chains into the sink (the one ancestor-closed node set `anc`
/// describes) by dynamic programming over a topological order, when the
/// non-root ancestors are acyclic; `None` when they are not or on overflow.
fn count_paths(
    g: &ClaimGraph,
    analysis: &ClaimAnalysis,
    case: &Case,
    anc: &[bool],
    root_of: &[u32],
) -> Option<u64> {
    for l in &analysis.loops {
        if l.sources
            .iter()
            .any(|&s| g.index_of(case, s).is_some_and(|v| anc[v as usize]))
        {
            return None;
        }
    }
    let n = g.len();
    let inner = |v: u32| anc[v as usize] && root_of[v as usize] == NONE;
    let mut indeg = vec![0u32; n];
    for v in (0..n as u32).filter(|&v| inner(v)) {
        indeg[v as usize] = g.predecessors(v).iter().filter(|&&u| inner(u)).count() as u32;
    }
    let mut count = vec![0u64; n];
    let mut ready: Vec<u32> = (0..n as u32)
        .filter(|&v| inner(v) && indeg[v as usize] == 0)
        .collect();
    let mut last = 0;
    let mut seen_root = Vec::new();
    while let Some(v) = ready.pop() {
        // Chains that start here: one per distinct root group citing v.
        seen_root.clear();
        let mut c: u64 = 0;
        for &u in g.predecessors(v) {
            let r = root_of[u as usize];
            if r != NONE {
                if !seen_root.contains(&r) {
                    seen_root.push(r);
                    c += 1;
                }
            } else if inner(u) {
                c = c.checked_add(count[u as usize])?;
            }
        }
        count[v as usize] = c;
        last = c;
        for &w in g.successors(v) {
            if inner(w) {
                indeg[w as usize] -= 1;
                if indeg[w as usize] == 0 {
                    ready.push(w);
                }
            }
        }
    }
    // Every inner node reaches the sink, so the sink is processed last.
    Some(last)
}
