//! The figures of docs/method.md, for one claim at a time.
//!
//! For a claim C the analysis builds G⁺(C) from the support reports (see
//! [`crate::graph`]) and finds its strongly connected components. A component
//! that no edge enters from outside is a *root group*: an origin when it
//! holds one source, circular reporting when it holds more. Every root group
//! counts once towards `independent`. For each source X it then computes
//! `roots(X)`, the number of root groups X can be reached from, and
//! `chains(X)`, the largest number of citation chains from root groups to X
//! that share no source but X, each root group taken as one node (Menger:
//! the size of the smallest set of sources, X excluded, whose removal cuts X
//! off from every root group). Denials are the root groups of G⁻(C), built
//! from the deny reports.
//!
//! Nothing here recurses: every traversal keeps an explicit stack on the
//! heap, so a citation chain of any length is analysed without deepening the
//! call stack. All orders are source-id orders, so the output is
//! deterministic.
//!
//! How it is computed: strongly connected components by an iterative Tarjan
//! pass; `roots(X)` and `reach` by propagating bitsets of root groups along a
//! topological order of the components, at most 4096 groups at a time so
//! memory stays bounded; `chains(X)` by unit-capacity augmenting paths on
//! the vertex-split graph (root groups contracted), after the cheap bounds
//! `chains(X) ≤ roots(X)` and `chains(X) ≤` the number of distinct
//! predecessors of X (a bound of 1 is the answer); each path is searched
//! from both ends at once, backwards from X through its ancestors and
//! forwards from the free root groups, and augmenting stops as soon as the
//! flow meets the bound.

use rayon::prelude::*;

use crate::graph::{self, ClaimGraph};
use crate::model::{Basis, Case, ClaimIdx, Kind, PartialDate, SourceIdx, Stance};

/// What a root group stands on, and so what it counts as. Each root group is
/// exactly one of the four.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupBasis {
    /// A source of a named kind (outlet, person, agency, document, social)
    /// that reports first-hand or is only cited by others, or a circular
    /// group with a member of a named kind.
    Named,
    /// Every member is of kind `anonymous`.
    Anonymous,
    /// A single source of a named kind whose every report (of the graph's
    /// stance) has `basis = "undisclosed"`: it asserts without saying where
    /// the claim came from.
    Undisclosed,
    /// No member is of a named kind and at least one is of kind `unknown`
    /// (in practice: never declared).
    Unknown,
}

impl GroupBasis {
    /// Every basis, in the order the JSON and the check line list them.
    pub const ALL: [GroupBasis; 4] = [
        GroupBasis::Named,
        GroupBasis::Anonymous,
        GroupBasis::Undisclosed,
        GroupBasis::Unknown,
    ];

    /// The word used in the JSON, the check line and `--count`.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBasis::Named => "named",
            GroupBasis::Anonymous => "anonymous",
            GroupBasis::Undisclosed => "undisclosed",
            GroupBasis::Unknown => "unknown",
        }
    }
}

/// A strongly connected component of a claim graph: a root group (nothing
/// outside enters it) or, in [`ClaimAnalysis::loops`], circular reporting
/// further downstream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootGroup {
    /// The members, sorted by id.
    pub sources: Vec<SourceIdx>,
    /// More than one member: the members cite each other in a circle.
    pub circular: bool,
    /// Every member is of kind `anonymous` (`basis == Anonymous`).
    pub anonymous: bool,
    /// What the group counts as.
    pub basis: GroupBasis,
    /// Every member has retracted its support of the claim: the group stays
    /// in the graph, but counts as none of the four kinds. Always false for
    /// denials.
    pub retracted: bool,
    /// How many sources of the graph outside the group can be reached from it.
    pub reach: u32,
    /// For a circular group, one closed walk along real citations through
    /// every member, starting and ending at the member with the smallest id,
    /// e.g. `[a, b, c, a]`; empty for an origin.
    pub cycle: Vec<SourceIdx>,
}

/// The figures of one source of G⁺(C).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFigures {
    pub source: SourceIdx,
    /// How many root groups the source can be reached from (its own included).
    pub roots: u32,
    /// How many chains from root groups reach the source sharing no other
    /// source (1 for a member of a root group).
    pub chains: u32,
    /// The index in [`ClaimAnalysis::roots`] of the root group the source
    /// belongs to, if any.
    pub in_root: Option<u32>,
}

/// The root groups of G⁻(C), the graph of the deny reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denials {
    /// The number of root groups.
    pub independent: u32,
    /// The root groups, sorted by their first source id; `reach` counts in G⁻.
    pub roots: Vec<RootGroup>,
}

/// Every figure of one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimAnalysis {
    pub claim: ClaimIdx,
    /// The number of the claim's reports, every stance.
    pub reports: u32,
    /// The number of root groups of G⁺(C): `named + anonymous + undisclosed
    /// + unknown + retracted`.
    pub independent: u32,
    /// The number of root groups whose basis is `anonymous`, not retracted.
    pub anonymous: u32,
    /// The number of root groups whose basis is `named`, not retracted.
    pub named: u32,
    /// The number of root groups whose basis is `undisclosed`, not retracted.
    pub undisclosed: u32,
    /// The number of root groups whose basis is `unknown`, not retracted.
    pub unknown: u32,
    /// The number of root groups every member of which has retracted.
    pub retracted: u32,
    /// `named < 2`.
    pub single_source: bool,
    /// The earliest date among the claim's reports, every stance.
    pub first_reported: Option<PartialDate>,
    /// The earliest date among the claim's support reports: a claim first
    /// met in a sceptical query is first *supported* later.
    pub first_supported: Option<PartialDate>,
    /// The root groups of G⁺(C), sorted by their first source id.
    pub roots: Vec<RootGroup>,
    /// Every source of G⁺(C), sorted by id.
    pub sources: Vec<SourceFigures>,
    pub denials: Denials,
    /// Strongly connected components of G⁺(C) with more than one member that
    /// are not root groups (circular reporting downstream), sorted by their
    /// first source id, with `reach` and `cycle` as for root groups.
    pub loops: Vec<RootGroup>,
}

/// Every citation chain from a root group to one source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The chains in lexicographic order (root groups in the order of
    /// [`ClaimAnalysis::roots`], then sources by id), each written
    /// root → … → source.
    pub paths: Vec<Vec<TraceStep>>,
    /// True when there are more chains than were asked for.
    pub truncated: bool,
    /// The total number of chains when it is known: always when not
    /// truncated; when truncated, if it could be counted without listing
    /// (no circular reporting upstream of the source and no overflow).
    pub total_known: Option<u64>,
}

/// One step of a traced chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TraceStep {
    /// A root group, by its index in [`ClaimAnalysis::roots`].
    Root(u32),
    /// A source outside every root group.
    Source(SourceIdx),
}

/// Marks "no vertex" in the index arrays.
const NONE: u32 = u32::MAX;
/// Marks "fed by the super-source" in the flow's `prev` array.
const SUPER: u32 = u32::MAX - 1;
/// The most root groups whose bitsets are propagated at once.
const CHUNK: usize = 4096;

/// Computes every figure of one claim from its reports.
///
/// `reports` are indices into [`Case::reports`]: the claim's reports, every
/// stance, as [`Case::reports_by_claim`] gives them.
///
/// # Complexity
///
/// With `n` sources and `m` citations in G⁺(C), `r` root groups and
/// circular components, and `k = min(r, 4096)`:
/// *O((n + m) · ⌈r / 64⌉ + Σ roots(X))* time for the components, `roots`
/// and `reach`, in *O(n · k / 64)* words of memory; plus, for every source
/// whose cheap bound on `chains` exceeds 1, at most `chains + 1`
/// augmenting-path searches, each *O(n + m)* in the worst case but usually a
/// few steps (a search that fails costs about twice the smaller of the two
/// regions its two ends exhaust); plus, for each circular group of `s`
/// members, *O(s · (n + m))* at worst for its cycle walk (usually *O(n + m)*).
///
/// # Example
///
/// A diamond: `a` is cited by `b` and `c`, and `d` cites both of them. There
/// is one origin, `a`; `d` reaches it along two citation paths.
///
/// ```
/// use rumorgraph::analysis::analyze_claim;
/// use rumorgraph::model::{Basis, Case, Claim, Kind, Location, Report, Source, Stance};
///
/// let source = |id: &str| Source {
///     id: id.into(), name: id.into(), kind: Kind::Outlet, country: None,
///     reliability: None, url: None, notes: None, declared: true,
/// };
/// let report = |source: u32, cites: &[u32]| Report {
///     source, claim: 0, cites: cites.to_vec(), stance: Stance::Support, basis: Basis::FirstHand,
///     date: None, url: None, quote: None, notes: None, at: Location::default(),
/// };
/// let claim = Claim { id: "x".into(), text: "X happened".into(), declared: true };
/// let (a, b, c, d) = (0, 1, 2, 3);
/// let case = Case::from_parts(
///     None,
///     vec![source("a"), source("b"), source("c"), source("d")],
///     vec![claim],
///     vec![report(a, &[]), report(b, &[a]), report(c, &[a]), report(d, &[b, c])],
/// );
///
/// let analysis = analyze_claim(&case, 0, &[0, 1, 2, 3]);
/// assert_eq!(analysis.independent, 1);
/// assert!(analysis.single_source);
/// assert_eq!(analysis.roots[0].sources, vec![a]);
/// assert_eq!(analysis.roots[0].reach, 3);
/// let fig_d = &analysis.sources[3];
/// assert_eq!((fig_d.source, fig_d.roots, fig_d.chains), (d, 1, 1));
/// ```
///
/// `d` has two chains to `a`, but they share the origin, so the origin alone
/// is the smallest cut: chains(d) = 1. A second origin `e` cited by `d`
/// would make it 2.
pub fn analyze_claim(case: &Case, claim: ClaimIdx, reports: &[u32]) -> ClaimAnalysis {
    let g = graph::build(case, reports, Stance::Support);
    let cs = components(&g);
    let (root_comps, loop_comps) = groups(&cs);
    let seeds: Vec<u32> = root_comps.iter().chain(&loop_comps).copied().collect();
    let spread = propagate(&g, &cs, &seeds, root_comps.len());
    let said = Said::new(case, &g, reports, Stance::Support);

    let mut walk = Walk::new(g.len());
    let mut make = |c: u32, reach: u32| group(case, &g, &cs, &said, c, reach, &mut walk);
    let roots: Vec<RootGroup> = root_comps
        .iter()
        .enumerate()
        .map(|(i, &c)| make(c, spread.reach[i]))
        .collect();
    let loops: Vec<RootGroup> = loop_comps
        .iter()
        .enumerate()
        .map(|(i, &c)| make(c, spread.reach[root_comps.len() + i]))
        .collect();

    // Which root group each node belongs to.
    let mut root_of = vec![NONE; g.len()];
    for (i, &c) in root_comps.iter().enumerate() {
        for &v in cs.members(c) {
            root_of[v as usize] = i as u32;
        }
    }

    let mut flow = Flow::new(&g, &cs, &root_comps);
    let sources: Vec<SourceFigures> = (0..g.len() as u32)
        .map(|v| {
            let in_root = (root_of[v as usize] != NONE).then_some(root_of[v as usize]);
            let roots = spread.roots[cs.comp[v as usize] as usize];
            let chains = if in_root.is_some() {
                1
            } else {
                flow.chains(&g, v, roots)
            };
            SourceFigures {
                source: g.source(v),
                roots,
                chains,
                in_root,
            }
        })
        .collect();

    let count = |b: GroupBasis| {
        roots
            .iter()
            .filter(|r| r.basis == b && !r.retracted)
            .count() as u32
    };
    let named = count(GroupBasis::Named);
    ClaimAnalysis {
        claim,
        reports: reports.len() as u32,
        independent: roots.len() as u32,
        anonymous: count(GroupBasis::Anonymous),
        named,
        undisclosed: count(GroupBasis::Undisclosed),
        unknown: count(GroupBasis::Unknown),
        retracted: roots.iter().filter(|r| r.retracted).count() as u32,
        single_source: named < 2,
        first_reported: reports
            .iter()
            .filter_map(|&i| case.reports[i as usize].date)
            .min(),
        first_supported: reports
            .iter()
            .map(|&i| &case.reports[i as usize])
            .filter(|r| r.stance == Stance::Support)
            .filter_map(|r| r.date)
            .min(),
        roots,
        sources,
        denials: denials(case, reports),
        loops,
    }
}

/// Computes every figure of each of `claims`, in the order given, in parallel.
///
/// # Complexity
///
/// *O(R)* to group the case's `R` reports by claim, then the sum of
/// [`analyze_claim`] over the claims, spread over rayon's threads.
pub fn analyze(case: &Case, claims: &[ClaimIdx]) -> Vec<ClaimAnalysis> {
    let by_claim = case.reports_by_claim();
    claims
        .par_iter()
        .map(|&c| analyze_claim(case, c, &by_claim[c as usize]))
        .collect()
}

/// Lists the citation chains from root groups to `source`: every path that
/// starts at a root group (one step, however many members it has), goes
/// through distinct sources along citations and ends at `source`, in
/// lexicographic order, at most `max_paths` of them.
///
/// `analysis` and `reports` must be the claim's analysis and reports as given
/// to [`analyze_claim`]. A source in a root group has the one chain
/// `[Root(its group)]`; a source outside G⁺(C) has none.
///
/// # Complexity
///
/// *O((r + c) log (r + c))* to rebuild G⁺(C) from `r` reports with `c`
/// citations and *O(n + m)* to find the ancestors of `source`; then a
/// depth-first search over them. When the ancestors hold no circular
/// reporting every branch it takes ends at `source`, so each chain listed
/// costs *O(d · L)* (`L` its length, `d` the largest out-degree); circular
/// reporting upstream can add dead ends. When the list is cut short,
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
        f.sort_unstable();
        f.dedup();
    }

    let mut paths: Vec<Vec<TraceStep>> = Vec::new();
    let mut truncated = false;
    let mut on_path = vec![false; n];
    // Frames of the depth-first search: the node (NONE for the root group)
    // and the position in its successor list.
    let mut frames: Vec<(u32, u32)> = Vec::new();
    'roots: for (r, starts) in first.iter().enumerate() {
        frames.push((NONE, 0));
        while let Some(top) = frames.last_mut() {
            let (v, pos) = *top;
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
                continue;
            };
            top.1 += 1;
            if !anc[w as usize] || on_path[w as usize] || root_of[w as usize] != NONE {
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
                        .map(|&(u, _)| TraceStep::Source(g.source(u))),
                );
                path.push(TraceStep::Source(source));
                paths.push(path);
            } else {
                on_path[w as usize] = true;
                frames.push((w, 0));
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

/// The root groups of G⁻(C).
fn denials(case: &Case, reports: &[u32]) -> Denials {
    let g = graph::build(case, reports, Stance::Deny);
    let cs = components(&g);
    let (root_comps, _) = groups(&cs);
    let spread = propagate(&g, &cs, &root_comps, root_comps.len());
    let said = Said::new(case, &g, reports, Stance::Deny);
    let mut walk = Walk::new(g.len());
    let roots: Vec<RootGroup> = root_comps
        .iter()
        .enumerate()
        .map(|(i, &c)| group(case, &g, &cs, &said, c, spread.reach[i], &mut walk))
        .collect();
    Denials {
        independent: roots.len() as u32,
        roots,
    }
}

/// The strongly connected components of a claim graph, numbered in
/// topological order: every edge between two components goes from a lower
/// number to a higher one.
struct Components {
    /// Node to component.
    comp: Vec<u32>,
    /// Component to the range of its members in `members`.
    offsets: Vec<u32>,
    /// Members of each component, sorted.
    members: Vec<u32>,
    /// Some edge enters the component from another one.
    entered: Vec<bool>,
}

impl Components {
    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    fn members(&self, c: u32) -> &[u32] {
        &self.members[self.offsets[c as usize] as usize..self.offsets[c as usize + 1] as usize]
    }
}

/// Tarjan's algorithm with an explicit call stack.
///
/// # Complexity
///
/// *O(n + m)* time and space.
fn components(g: &ClaimGraph) -> Components {
    let n = g.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut comp = vec![NONE; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut calls: Vec<(u32, u32)> = Vec::new();
    let (mut counter, mut count) = (0u32, 0u32);
    for s in 0..n as u32 {
        if index[s as usize] != NONE {
            continue;
        }
        index[s as usize] = counter;
        low[s as usize] = counter;
        counter += 1;
        stack.push(s);
        calls.push((s, 0));
        while let Some(top) = calls.last_mut() {
            let v = top.0;
            let succ = g.successors(v);
            if let Some(&w) = succ.get(top.1 as usize) {
                top.1 += 1;
                if index[w as usize] == NONE {
                    index[w as usize] = counter;
                    low[w as usize] = counter;
                    counter += 1;
                    stack.push(w);
                    calls.push((w, 0));
                } else if comp[w as usize] == NONE {
                    // Visited and not yet in a component: on the stack.
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
                continue;
            }
            calls.pop();
            if low[v as usize] == index[v as usize] {
                loop {
                    let w = stack.pop().expect("v is on the stack");
                    comp[w as usize] = count;
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
            if let Some(&(p, _)) = calls.last() {
                low[p as usize] = low[p as usize].min(low[v as usize]);
            }
        }
    }
    // Tarjan completes a component after every component it reaches, so the
    // completion order is reversed topological order.
    for c in &mut comp {
        *c = count - 1 - *c;
    }
    let k = count as usize;
    let mut offsets = vec![0u32; k + 1];
    for &c in &comp {
        offsets[c as usize + 1] += 1;
    }
    for i in 0..k {
        offsets[i + 1] += offsets[i];
    }
    let mut fill: Vec<u32> = offsets[..k].to_vec();
    let mut members = vec![0u32; n];
    for (v, &c) in comp.iter().enumerate() {
        members[fill[c as usize] as usize] = v as u32;
        fill[c as usize] += 1;
    }
    let mut entered = vec![false; k];
    for (u, v) in g.edges() {
        if comp[u as usize] != comp[v as usize] {
            entered[comp[v as usize] as usize] = true;
        }
    }
    Components {
        comp,
        offsets,
        members,
        entered,
    }
}

/// The root components and the downstream circular components, each sorted
/// by their first member (that is, by their first source id).
fn groups(cs: &Components) -> (Vec<u32>, Vec<u32>) {
    let first = |&c: &u32| cs.members(c)[0];
    let mut roots: Vec<u32> = (0..cs.len() as u32)
        .filter(|&c| !cs.entered[c as usize])
        .collect();
    let mut loops: Vec<u32> = (0..cs.len() as u32)
        .filter(|&c| cs.entered[c as usize] && cs.members(c).len() > 1)
        .collect();
    roots.sort_unstable_by_key(first);
    loops.sort_unstable_by_key(first);
    (roots, loops)
}

/// What propagating the seeds' bitsets gives.
struct Spread {
    /// For each component, how many root seeds reach it.
    roots: Vec<u32>,
    /// For each seed, how many nodes outside it it reaches.
    reach: Vec<u32>,
}

/// Propagates, along the topological order of the components, one bit per
/// seed component; the first `n_roots` seeds are root groups and are the only
/// ones counted in [`Spread::roots`].
///
/// # Complexity
///
/// *O((n + m) · ⌈s / 64⌉ + Σ set bits)* time for `s` seeds and
/// *O(n · min(s, 4096) / 64)* words of memory.
fn propagate(g: &ClaimGraph, cs: &Components, seeds: &[u32], n_roots: usize) -> Spread {
    let k = cs.len();
    let size = |c: usize| cs.offsets[c + 1] - cs.offsets[c];
    let mut roots = vec![0u32; k];
    let mut reach = vec![0u32; seeds.len()];
    let mut bits: Vec<u64> = Vec::new();
    for start in (0..seeds.len()).step_by(CHUNK) {
        let chunk = &seeds[start..seeds.len().min(start + CHUNK)];
        let words = chunk.len().div_ceil(64);
        bits.clear();
        bits.resize(k * words, 0);
        for (j, &c) in chunk.iter().enumerate() {
            bits[c as usize * words + j / 64] |= 1 << (j % 64);
        }
        // Sizes added to all 64 seeds of a word at once, for full words.
        let mut full = vec![0u32; words];
        for (c, count) in roots.iter_mut().enumerate() {
            let (before, after) = bits.split_at_mut(c * words);
            let row = &mut after[..words];
            for &v in cs.members(c as u32) {
                for &p in g.predecessors(v) {
                    let cp = cs.comp[p as usize] as usize;
                    if cp != c {
                        let from = &before[cp * words..(cp + 1) * words];
                        for (a, b) in row.iter_mut().zip(from) {
                            *a |= *b;
                        }
                    }
                }
            }
            let sz = size(c);
            for (w, &x) in row.iter().enumerate() {
                if x == 0 {
                    continue;
                }
                let base = start + w * 64;
                let root_bits = if base + 64 <= n_roots {
                    x
                } else if base >= n_roots {
                    0
                } else {
                    x & ((1u64 << (n_roots - base)) - 1)
                };
                *count += root_bits.count_ones();
                if x == u64::MAX {
                    full[w] += sz;
                } else {
                    let mut y = x;
                    while y != 0 {
                        reach[base + y.trailing_zeros() as usize] += sz;
                        y &= y - 1;
                    }
                }
            }
        }
        for (w, &f) in full.iter().enumerate() {
            if f != 0 {
                for r in &mut reach[start + w * 64..start + w * 64 + 64] {
                    *r += f;
                }
            }
        }
    }
    // Each seed counted its own component too.
    for (r, &c) in reach.iter_mut().zip(seeds) {
        *r -= size(c as usize);
    }
    Spread { roots, reach }
}

/// What each node of a claim graph said in its own reports of the graph's
/// stance: whether every one of them is uncited with `basis =
/// "undisclosed"`, and (for support) whether the source retracted.
struct Said {
    /// The node has reports of the stance, and all are undisclosed.
    undisclosed_only: Vec<bool>,
    /// The node's source has a `retract` report of the claim.
    retracted: Vec<bool>,
}

impl Said {
    /// *O(r log n)* for the claim's `r` reports.
    fn new(case: &Case, g: &ClaimGraph, reports: &[u32], stance: Stance) -> Said {
        let n = g.len();
        let mut any = vec![false; n];
        let mut disclosed = vec![false; n];
        let mut retracted = vec![false; n];
        for &i in reports {
            let r = &case.reports[i as usize];
            let Some(v) = g.index_of(case, r.source) else {
                continue;
            };
            if r.stance == stance {
                any[v as usize] = true;
                if r.basis != Basis::Undisclosed || !r.cites.is_empty() {
                    disclosed[v as usize] = true;
                }
            } else if r.stance == Stance::Retract && stance == Stance::Support {
                retracted[v as usize] = true;
            }
        }
        let undisclosed_only = any.iter().zip(&disclosed).map(|(&a, &d)| a && !d).collect();
        Said {
            undisclosed_only,
            retracted,
        }
    }
}

/// The basis of a component from its members' kinds and reports.
fn basis_of(case: &Case, g: &ClaimGraph, said: &Said, members: &[u32]) -> GroupBasis {
    let kind = |v: u32| case.source(g.source(v)).kind;
    if members.iter().all(|&v| kind(v) == Kind::Anonymous) {
        GroupBasis::Anonymous
    } else if !members.iter().any(|&v| kind(v).is_named()) {
        GroupBasis::Unknown
    } else if let [one] = members {
        if said.undisclosed_only[*one as usize] {
            GroupBasis::Undisclosed
        } else {
            GroupBasis::Named
        }
    } else {
        GroupBasis::Named
    }
}

/// The figures of one component as a [`RootGroup`].
fn group(
    case: &Case,
    g: &ClaimGraph,
    cs: &Components,
    said: &Said,
    c: u32,
    reach: u32,
    walk: &mut Walk,
) -> RootGroup {
    let members = cs.members(c);
    let circular = members.len() > 1;
    let basis = basis_of(case, g, said, members);
    RootGroup {
        sources: members.iter().map(|&v| g.source(v)).collect(),
        circular,
        anonymous: basis == GroupBasis::Anonymous,
        basis,
        retracted: members.iter().all(|&v| said.retracted[v as usize]),
        reach,
        cycle: if circular {
            walk.closed_walk(g, cs, c)
                .into_iter()
                .map(|v| g.source(v))
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// Scratch space for cycle walks, reused across components.
struct Walk {
    /// Generation stamps for the breadth-first searches.
    seen: Vec<u32>,
    parent: Vec<u32>,
    /// Generation stamp of "already on the walk".
    covered: Vec<u32>,
    gen: u32,
    queue: Vec<u32>,
}

impl Walk {
    fn new(n: usize) -> Walk {
        Walk {
            seen: vec![0; n],
            parent: vec![NONE; n],
            covered: vec![0; n],
            gen: 0,
            queue: Vec::new(),
        }
    }

    fn next_gen(&mut self) -> u32 {
        if self.gen == u32::MAX {
            self.seen.fill(0);
            self.covered.fill(0);
            self.gen = 0;
        }
        self.gen += 1;
        self.gen
    }

    /// A closed walk through every member of component `c`, from and back to
    /// its first member: repeatedly the shortest way (neighbours in id order)
    /// to the nearest member not yet on the walk, then the shortest way home.
    fn closed_walk(&mut self, g: &ClaimGraph, cs: &Components, c: u32) -> Vec<u32> {
        let members = cs.members(c);
        let home = members[0];
        let mark = self.next_gen();
        self.covered[home as usize] = mark;
        let mut left = members.len() - 1;
        let mut walk = vec![home];
        let mut cur = home;
        while left > 0 || cur != home {
            let gen = self.next_gen();
            let want_home = left == 0;
            self.seen[cur as usize] = gen;
            self.queue.clear();
            self.queue.push(cur);
            let mut head = 0;
            let mut found = NONE;
            'bfs: while head < self.queue.len() {
                let v = self.queue[head];
                head += 1;
                for &w in g.successors(v) {
                    if cs.comp[w as usize] != c || self.seen[w as usize] == gen {
                        continue;
                    }
                    self.seen[w as usize] = gen;
                    self.parent[w as usize] = v;
                    let done = if want_home {
                        w == home
                    } else {
                        self.covered[w as usize] != mark
                    };
                    if done {
                        found = w;
                        break 'bfs;
                    }
                    self.queue.push(w);
                }
            }
            debug_assert_ne!(found, NONE, "a component is strongly connected");
            let at = walk.len();
            let mut v = found;
            while v != cur {
                walk.push(v);
                if self.covered[v as usize] != mark {
                    self.covered[v as usize] = mark;
                    left -= 1;
                }
                v = self.parent[v as usize];
            }
            walk[at..].reverse();
            cur = found;
        }
        walk
    }
}

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
struct Flow {
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
    search: Search,
}

/// The ends an augmenting-path search runs from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Search {
    Both,
    #[cfg(test)]
    Backward,
    #[cfg(test)]
    Forward,
}

impl Flow {
    fn new(g: &ClaimGraph, cs: &Components, root_comps: &[u32]) -> Flow {
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
    fn chains(&mut self, g: &ClaimGraph, x: u32, roots: u32) -> u32 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, Location, Report};

    /// Builds one-claim cases; sources are created in the order first named,
    /// which is deliberately not always id order.
    struct B(Case);

    impl B {
        fn new() -> B {
            let mut case = Case::default();
            case.intern_claim("c");
            B(case)
        }

        /// A source by id, created as an outlet (a named kind) when new.
        fn src(&mut self, id: &str) -> u32 {
            let (i, created) = self.0.intern_source(id);
            if created {
                self.0.sources[i as usize].kind = Kind::Outlet;
            }
            i
        }

        fn kind(mut self, ids: &[&str], kind: Kind) -> B {
            for id in ids {
                let i = self.src(id);
                self.0.sources[i as usize].kind = kind;
            }
            self
        }

        /// Marks every report so far by `source` as `basis = "undisclosed"`.
        fn undisclosed(mut self, source: &str) -> B {
            let i = self.src(source);
            for r in self.0.reports.iter_mut().filter(|r| r.source == i) {
                r.basis = Basis::Undisclosed;
            }
            self
        }

        fn anon(mut self, ids: &[&str]) -> B {
            for id in ids {
                let i = self.src(id);
                self.0.sources[i as usize].kind = Kind::Anonymous;
            }
            self
        }

        fn rep(mut self, source: &str, cites: &[&str], stance: Stance, date: Option<&str>) -> B {
            let source = self.src(source);
            let cites = cites.iter().map(|c| self.src(c)).collect();
            self.0.reports.push(Report {
                source,
                claim: 0,
                cites,
                stance,
                basis: Basis::FirstHand,
                date: date.map(|d| PartialDate::parse(d).unwrap()),
                url: None,
                quote: None,
                notes: None,
                at: Location::default(),
            });
            self
        }

        /// `"u>v"`: a support report by v citing u; `"!u>v"` the same denying;
        /// a bare `"v"` (or `"!v"`): a first-hand report.
        fn edges(mut self, spec: &str) -> B {
            for tok in spec.split_whitespace() {
                let (stance, tok) = match tok.strip_prefix('!') {
                    Some(t) => (Stance::Deny, t),
                    None => (Stance::Support, tok),
                };
                self = match tok.split_once('>') {
                    Some((u, v)) => self.rep(v, &[u], stance, None),
                    None => self.rep(tok, &[], stance, None),
                };
            }
            self
        }

        fn done(mut self) -> Case {
            self.0.rank_sources();
            self.0
        }
    }

    fn all(case: &Case) -> Vec<u32> {
        (0..case.reports.len() as u32).collect()
    }

    fn run(case: &Case) -> ClaimAnalysis {
        analyze_claim(case, 0, &all(case))
    }

    fn ids(case: &Case, s: &[SourceIdx]) -> Vec<String> {
        s.iter().map(|&i| case.source(i).id.clone()).collect()
    }

    /// (roots, chains) of a source.
    fn fig(case: &Case, a: &ClaimAnalysis, id: &str) -> (u32, u32) {
        let i = case.source_index(id).unwrap();
        let f = a.sources.iter().find(|f| f.source == i).expect("a node");
        (f.roots, f.chains)
    }

    fn root_ids(case: &Case, groups: &[RootGroup]) -> Vec<Vec<String>> {
        groups.iter().map(|g| ids(case, &g.sources)).collect()
    }

    #[test]
    fn diamond_has_one_origin_and_one_chain() {
        let case = B::new().edges("c>d b>d a>b a>c").done();
        let a = run(&case);
        assert_eq!(root_ids(&case, &a.roots), [["a"]]);
        assert_eq!(
            (a.independent, a.named, a.anonymous, a.single_source),
            (1, 1, 0, true)
        );
        assert_eq!(a.roots[0].reach, 3);
        assert!(!a.roots[0].circular && a.roots[0].cycle.is_empty());
        assert_eq!(fig(&case, &a, "d"), (1, 1));
        assert_eq!(fig(&case, &a, "a"), (1, 1));
        // Sources sorted by id, with their root group.
        assert_eq!(
            ids(
                &case,
                &a.sources.iter().map(|f| f.source).collect::<Vec<_>>()
            ),
            ["a", "b", "c", "d"]
        );
        assert_eq!(
            a.sources.iter().map(|f| f.in_root).collect::<Vec<_>>(),
            [Some(0), None, None, None]
        );
        assert!(a.loops.is_empty());
    }

    #[test]
    fn diamond_plus_a_second_origin_has_two_chains() {
        let case = B::new().edges("c>d b>d a>b a>c e>d").done();
        let a = run(&case);
        assert_eq!(root_ids(&case, &a.roots), [["a"], ["e"]]);
        assert_eq!((a.independent, a.named, a.single_source), (2, 2, false));
        assert_eq!(fig(&case, &a, "d"), (2, 2));
        assert_eq!(fig(&case, &a, "b"), (1, 1));
        assert_eq!(a.roots[0].reach, 3);
        assert_eq!(a.roots[1].reach, 1);
    }

    #[test]
    fn many_roots_behind_one_relay_make_one_chain() {
        let case = B::new().edges("r3>relay r1>relay r2>relay relay>x").done();
        let a = run(&case);
        assert_eq!(a.independent, 3);
        assert_eq!(fig(&case, &a, "x"), (3, 1));
        assert_eq!(fig(&case, &a, "relay"), (3, 3));
        assert!(a.roots.iter().all(|r| r.reach == 2));
    }

    #[test]
    fn chains_reroute_when_the_first_path_blocks() {
        let case = B::new().edges("r1>u r2>u r1>w u>x w>x").done();
        let a = run(&case);
        assert_eq!(fig(&case, &a, "x"), (2, 2));
        assert_eq!(fig(&case, &a, "u"), (2, 2));
        assert_eq!(fig(&case, &a, "w"), (1, 1));
    }

    #[test]
    fn a_circle_is_one_circular_root_group() {
        let case = B::new().edges("c>a b>c a>b c>d").done();
        let a = run(&case);
        assert_eq!(root_ids(&case, &a.roots), [["a", "b", "c"]]);
        let g = &a.roots[0];
        assert!(g.circular && !g.anonymous);
        assert_eq!(ids(&case, &g.cycle), ["a", "b", "c", "a"]);
        assert_eq!(g.reach, 1);
        assert_eq!((a.independent, a.single_source), (1, true));
        assert_eq!(fig(&case, &a, "d"), (1, 1));
        assert_eq!(fig(&case, &a, "b"), (1, 1));
        assert_eq!(a.sources[1].in_root, Some(0));
    }

    #[test]
    fn a_cycle_walk_may_pass_a_member_twice() {
        let case = B::new().edges("a>b b>a a>c c>a").done();
        let a = run(&case);
        assert_eq!(ids(&case, &a.roots[0].cycle), ["a", "b", "a", "c", "a"]);
        assert_eq!(a.roots[0].reach, 0);
    }

    #[test]
    fn a_contracted_root_group_is_one_node_for_chains() {
        let case = B::new().edges("a>b b>a a>c b>d c>x d>x").done();
        let a = run(&case);
        assert_eq!(fig(&case, &a, "x"), (1, 1));
        let case = B::new().edges("a>b b>a a>c b>d c>x d>x e>x").done();
        let a = run(&case);
        assert_eq!(fig(&case, &a, "x"), (2, 2));
    }

    #[test]
    fn anonymous_only_roots_leave_no_named_origin() {
        let case = B::new().anon(&["u1", "u2"]).edges("u1>x u2>x").done();
        let a = run(&case);
        assert_eq!(
            (a.independent, a.anonymous, a.named, a.single_source),
            (2, 2, 0, true)
        );
        assert!(a.roots.iter().all(|r| r.anonymous));
        // A circle with one named member is not anonymous.
        let case = B::new()
            .anon(&["u1", "u2"])
            .edges("u1>n n>u1 u2>x n>x")
            .done();
        let a = run(&case);
        assert_eq!(root_ids(&case, &a.roots), vec![vec!["n", "u1"], vec!["u2"]]);
        assert_eq!((a.anonymous, a.named), (1, 1));
        assert!(!a.roots[0].anonymous && a.roots[1].anonymous);
    }

    #[test]
    fn each_root_group_is_one_of_four_kinds() {
        // n: named, first-hand; u: undisclosed; k: unknown kind; a: anonymous.
        let case = B::new()
            .kind(&["k"], Kind::Unknown)
            .anon(&["a"])
            .edges("n>x u>x k>x a>x u")
            .undisclosed("u")
            .done();
        let a = run(&case);
        let basis: Vec<(Vec<String>, GroupBasis)> = a
            .roots
            .iter()
            .map(|g| (ids(&case, &g.sources), g.basis))
            .collect();
        assert_eq!(
            basis,
            [
                (vec!["a".to_owned()], GroupBasis::Anonymous),
                (vec!["k".to_owned()], GroupBasis::Unknown),
                (vec!["n".to_owned()], GroupBasis::Named),
                (vec!["u".to_owned()], GroupBasis::Undisclosed),
            ]
        );
        assert_eq!(
            (
                a.independent,
                a.named,
                a.anonymous,
                a.undisclosed,
                a.unknown
            ),
            (4, 1, 1, 1, 1)
        );
        assert!(a.single_source);
        // A named source only cited by others stays named; a circle of an
        // anonymous and an unknown member is unknown; with a named member, named.
        let case = B::new()
            .kind(&["k"], Kind::Unknown)
            .anon(&["a"])
            .edges("m>x a>k k>a k>x n>p p>n a2>n")
            .done();
        let a = run(&case);
        let basis: Vec<GroupBasis> = a.roots.iter().map(|g| g.basis).collect();
        // Roots: a+k (circle), a2, m.
        assert_eq!(
            root_ids(&case, &a.roots),
            [vec!["a", "k"], vec!["a2"], vec!["m"]]
        );
        assert_eq!(
            basis,
            [GroupBasis::Unknown, GroupBasis::Named, GroupBasis::Named]
        );
        // An undisclosed report and a first-hand one: the source is named.
        let case = B::new().edges("u u>x").undisclosed("u").edges("u").done();
        assert_eq!(run(&case).roots[0].basis, GroupBasis::Named);
    }

    #[test]
    fn a_root_group_whose_members_all_retracted_is_not_counted() {
        let case = B::new()
            .edges("a>x b>x c>d d>c d>x")
            .rep("a", &[], Stance::Retract, None)
            .rep("c", &[], Stance::Retract, None)
            .done();
        let a = run(&case);
        assert_eq!(
            root_ids(&case, &a.roots),
            [vec!["a"], vec!["b"], vec!["c", "d"]]
        );
        let retracted: Vec<bool> = a.roots.iter().map(|g| g.retracted).collect();
        // The circle c+d: only c retracted, so it still counts.
        assert_eq!(retracted, [true, false, false]);
        assert_eq!((a.independent, a.named, a.retracted), (3, 2, 1));
        // History stays: x still reaches a.
        assert_eq!(fig(&case, &a, "x"), (3, 3));
        let case = B::new()
            .edges("a>x b>x")
            .rep("a", &[], Stance::Retract, None)
            .rep("b", &[], Stance::Retract, None)
            .done();
        let a = run(&case);
        assert_eq!((a.independent, a.named, a.retracted), (2, 0, 2));
        assert!(a.single_source);
    }

    #[test]
    fn denials_are_the_root_groups_of_the_deny_graph() {
        let case = B::new().edges("a>b !w !w>z !y !z>q").done();
        let a = run(&case);
        assert_eq!(a.independent, 1);
        assert_eq!(a.denials.independent, 2);
        assert_eq!(root_ids(&case, &a.denials.roots), [["w"], ["y"]]);
        assert_eq!(a.denials.roots[0].reach, 2);
        assert_eq!(a.denials.roots[1].reach, 0);
        // Deny reports do not enter G+.
        assert_eq!(a.sources.len(), 2);
    }

    #[test]
    fn first_reported_is_the_earliest_date_of_every_stance() {
        let case = B::new()
            .rep("a", &[], Stance::Support, Some("2016-01-03"))
            .rep("b", &["a"], Stance::Support, Some("2015-12-05"))
            .rep("q", &[], Stance::Query, Some("2015-12"))
            .rep("z", &[], Stance::Deny, None)
            .done();
        let a = run(&case);
        assert_eq!(a.first_reported.unwrap().to_string(), "2015-12");
        assert_eq!(a.first_supported.unwrap().to_string(), "2015-12-05");
        let case = B::new().edges("a>b").done();
        assert_eq!(run(&case).first_reported, None);
        assert_eq!(run(&case).first_supported, None);
        let case = B::new()
            .rep("a", &[], Stance::Comment, Some("2014"))
            .edges("a>b")
            .done();
        assert_eq!(run(&case).first_reported.unwrap().to_string(), "2014");
    }

    #[test]
    fn reports_count_every_stance() {
        let case = B::new()
            .edges("a>b a>b !c")
            .rep("q", &["a"], Stance::Query, None)
            .rep("m", &[], Stance::Comment, None)
            .done();
        let a = run(&case);
        assert_eq!(a.reports, 5);
        assert_eq!(
            ids(
                &case,
                &a.sources.iter().map(|f| f.source).collect::<Vec<_>>()
            ),
            ["a", "b"]
        );
    }

    #[test]
    fn a_downstream_loop_is_listed_but_not_a_root() {
        let case = B::new().edges("a>b b>c c>b c>d").done();
        let a = run(&case);
        assert_eq!(root_ids(&case, &a.roots), [["a"]]);
        assert_eq!(a.roots[0].reach, 3);
        assert_eq!(root_ids(&case, &a.loops), [["b", "c"]]);
        let l = &a.loops[0];
        assert!(l.circular);
        assert_eq!(l.reach, 1);
        assert_eq!(ids(&case, &l.cycle), ["b", "c", "b"]);
        assert_eq!(fig(&case, &a, "d"), (1, 1));
        assert_eq!(fig(&case, &a, "c"), (1, 1));
    }

    #[test]
    fn chains_run_through_a_downstream_loop_vertex_by_vertex() {
        let case = B::new().edges("r1>p r2>q p>q q>p p>x q>x").done();
        let a = run(&case);
        assert_eq!(fig(&case, &a, "x"), (2, 2));
        assert_eq!(fig(&case, &a, "p"), (2, 2));
        assert_eq!(a.loops.len(), 1);
    }

    #[test]
    fn an_empty_claim_has_no_origin() {
        let case = B::new().rep("q", &[], Stance::Query, None).done();
        let a = run(&case);
        assert_eq!(
            (a.reports, a.independent, a.named, a.single_source),
            (1, 0, 0, true)
        );
        assert!(a.sources.is_empty() && a.roots.is_empty() && a.denials.roots.is_empty());
    }

    #[test]
    fn analyze_keeps_the_claims_in_order() {
        let mut b = B::new().edges("a>b");
        let second = b.0.intern_claim("d").0;
        b = b
            .rep("x", &[], Stance::Support, None)
            .rep("y", &[], Stance::Support, None);
        b.0.reports[1].claim = second;
        b.0.reports[2].claim = second;
        b.0.claims[1] = Claim {
            id: "d".into(),
            text: String::new(),
            declared: true,
        };
        let case = b.done();
        let out = analyze(&case, &[1, 0, 1]);
        assert_eq!(
            out.iter()
                .map(|a| (a.claim, a.independent))
                .collect::<Vec<_>>(),
            [(1, 2), (0, 1), (1, 2)]
        );
    }

    #[test]
    fn trace_lists_every_chain_in_order() {
        let case = B::new().edges("c>d b>d a>b a>c e>d").done();
        let a = run(&case);
        let s = |id| TraceStep::Source(case.source_index(id).unwrap());
        let d = case.source_index("d").unwrap();
        let t = trace(&case, &a, &all(&case), d, 10);
        assert_eq!(
            t.paths,
            [
                vec![TraceStep::Root(0), s("b"), s("d")],
                vec![TraceStep::Root(0), s("c"), s("d")],
                vec![TraceStep::Root(1), s("d")],
            ]
        );
        assert_eq!((t.truncated, t.total_known), (false, Some(3)));
        let t = trace(&case, &a, &all(&case), d, 2);
        assert_eq!(t.paths.len(), 2);
        assert_eq!((t.truncated, t.total_known), (true, Some(3)));
        let t = trace(&case, &a, &all(&case), case.source_index("e").unwrap(), 10);
        assert_eq!(t.paths, [vec![TraceStep::Root(1)]]);
    }

    #[test]
    fn trace_counts_a_circular_root_group_once_per_step() {
        let case = B::new().edges("a>b b>a a>c b>c c>d a>d b>d").done();
        let a = run(&case);
        let s = |id| TraceStep::Source(case.source_index(id).unwrap());
        let d = case.source_index("d").unwrap();
        let t = trace(&case, &a, &all(&case), d, 10);
        assert_eq!(
            t.paths,
            [
                vec![TraceStep::Root(0), s("c"), s("d")],
                vec![TraceStep::Root(0), s("d")]
            ]
        );
        let t = trace(&case, &a, &all(&case), d, 1);
        assert_eq!(
            (t.paths.len(), t.truncated, t.total_known),
            (1, true, Some(2))
        );
    }

    #[test]
    fn trace_through_a_loop_keeps_paths_simple() {
        let case = B::new().edges("r>p p>q q>p p>x q>x").done();
        let a = run(&case);
        let s = |id| TraceStep::Source(case.source_index(id).unwrap());
        let x = case.source_index("x").unwrap();
        let t = trace(&case, &a, &all(&case), x, 10);
        assert_eq!(
            t.paths,
            [
                vec![TraceStep::Root(0), s("p"), s("q"), s("x")],
                vec![TraceStep::Root(0), s("p"), s("x")]
            ]
        );
        let t = trace(&case, &a, &all(&case), x, 1);
        assert_eq!((t.paths.len(), t.truncated, t.total_known), (1, true, None));
        // Not a node of G+.
        let case = B::new().edges("a>b !z").done();
        let a = run(&case);
        let t = trace(&case, &a, &all(&case), case.source_index("z").unwrap(), 10);
        assert!(t.paths.is_empty() && !t.truncated);
    }

    /// Each half of the two-ended search finds a maximum flow on its own,
    /// and both agree with the two together, on random graphs with
    /// several roots, circles and far cuts.
    #[test]
    fn either_end_of_the_search_alone_gives_the_same_chains() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut below = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut bigger = 0;
        for round in 0..300 {
            let n = 8 + below(50) as usize;
            let first_hand = 1 + below(n as u64 / 3) as usize;
            let p = 1 + below(5);
            let mut b = B::new();
            for i in 0..n {
                b.src(&format!("s{:02}", (i * 37 + round) % 100));
            }
            for v in first_hand..n {
                let mut cites = Vec::new();
                for u in 0..n {
                    let chance = if u < v { p } else { u64::from(below(30) == 0) };
                    if u != v && below(10) < chance {
                        cites.push(u as u32);
                    }
                }
                b.0.reports.push(Report {
                    source: v as u32,
                    claim: 0,
                    cites,
                    stance: Stance::Support,
                    basis: Basis::FirstHand,
                    date: None,
                    url: None,
                    quote: None,
                    notes: None,
                    at: Location::default(),
                });
            }
            let case = b.done();
            let a = run(&case);
            let g = graph::build(&case, &all(&case), Stance::Support);
            let cs = components(&g);
            let (root_comps, _) = groups(&cs);
            for search in [Search::Backward, Search::Forward] {
                let mut flow = Flow::new(&g, &cs, &root_comps);
                flow.search = search;
                for (v, f) in a.sources.iter().enumerate() {
                    if f.in_root.is_none() {
                        assert_eq!(
                            flow.chains(&g, v as u32, f.roots),
                            f.chains,
                            "{search:?}, round {round}"
                        );
                    }
                }
            }
            bigger += a.sources.iter().filter(|f| f.chains > 2).count();
        }
        assert!(bigger > 1000, "the graphs exercise larger flows ({bigger})");
    }

    fn long_chain(n: usize) -> Case {
        let mut b = B::new();
        for i in 0..n {
            b.src(&format!("s{i:07}"));
        }
        for i in 0..n as u32 {
            b.0.reports.push(Report {
                source: i,
                claim: 0,
                cites: if i == 0 { vec![] } else { vec![i - 1] },
                stance: Stance::Support,
                basis: Basis::FirstHand,
                date: None,
                url: None,
                quote: None,
                notes: None,
                at: Location::default(),
            });
        }
        b.done()
    }

    #[test]
    fn a_million_long_chain_needs_no_deep_stack() {
        let case = long_chain(1_000_000);
        let started = std::time::Instant::now();
        let a = run(&case);
        eprintln!("1,000,000-source chain analysed in {:?}", started.elapsed());
        assert_eq!(a.independent, 1);
        assert_eq!(a.roots[0].reach, 999_999);
        assert!(a.sources.iter().all(|f| f.roots == 1 && f.chains == 1));
        let last = case.source_index("s0999999").unwrap();
        let t = trace(&case, &a, &all(&case), last, 5);
        assert_eq!(
            (t.paths.len(), t.paths[0].len(), t.truncated),
            (1, 1_000_000, false)
        );
    }

    #[test]
    fn a_long_circle_is_one_root_group() {
        let mut case = long_chain(200_000);
        case.reports[0].cites = vec![199_999];
        let a = run(&case);
        assert_eq!(a.independent, 1);
        assert_eq!(a.roots[0].sources.len(), 200_000);
        assert_eq!(a.roots[0].cycle.len(), 200_001);
        assert_eq!(a.roots[0].reach, 0);
    }
}
