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

mod bottleneck;
mod cascade;
mod chains;
mod components;
mod denials;
pub mod diff;
mod reach;
mod timeline;
mod trace;

pub use bottleneck::{bottleneck, Relay};
pub use cascade::{cascades, Cascade, CASCADE_BUDGET};
pub use chains::Settled;
pub use timeline::{timeline, Step, Timeline};
pub use trace::trace;

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use components::{components, groups, id_order, in_order, Components, Walk};
use denials::denials;
use reach::propagate;

use crate::graph::{self, ClaimGraph, ClaimReports};
use crate::model::{Basis, Case, ClaimIdx, Kind, PartialDate, SourceIdx, Stance};

/// The members of a root group: one source in most groups, kept inside
/// the group without an allocation of its own.
pub type Members = smallvec::SmallVec<[SourceIdx; 1]>;

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
    /// The members, sorted by id. Kept inside the group when there is
    /// one, as there is for most.
    pub sources: Members,
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
    /// The shape of what spread from the group: size, depth, breadth and
    /// structural virality of its breadth-first tree (see [`Cascade`]).
    /// `None` for circular reporting downstream, and when the claim's root
    /// groups reach more than [`CASCADE_BUDGET`] sources in all ([`cascades`]
    /// computes them then).
    pub cascade: Option<Cascade>,
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
/// use rumorgraph::model::{At, Basis, Case, Claim, Kind, Report, Source, Stance};
///
/// let source = |id: &str| {
///     let s = Source { name: None, kind: Kind::Outlet, reliability: None, declared: true, texts: None };
///     (id.to_owned(), s)
/// };
/// let report = |source: u32, cites: &[u32]| Report {
///     source, claim: 0, cites: cites.into(), stance: Stance::Support, basis: Basis::FirstHand,
///     date: None, texts: None, at: At::default(),
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
/// assert_eq!(analysis.roots[0].sources[..], [a]);
/// assert_eq!(analysis.roots[0].reach, 3);
/// let fig_d = &analysis.sources[3];
/// assert_eq!((fig_d.source, fig_d.roots, fig_d.chains), (d, 1, 1));
/// ```
///
/// `d` has two chains to `a`, but they share the origin, so the origin alone
/// is the smallest cut: chains(d) = 1. A second origin `e` cited by `d`
/// would make it 2.
pub fn analyze_claim(case: &Case, claim: ClaimIdx, reports: &[u32]) -> ClaimAnalysis {
    analyze_claim_with(case, claim, reports, None)
}

/// chains(X) of every source of G⁺(C), in id order, two ways: by the staged
/// method of [`analyze_claim`] with its coding over F_`prime`, and by exact
/// flows alone; and how the staged method settled the sources. For the
/// tests and benchmarks that check one against the other.
#[doc(hidden)]
pub fn chains_two_ways(case: &Case, reports: &[u32], prime: u64) -> (Vec<u32>, Vec<u32>, Settled) {
    let g = graph::build(case, reports, Stance::Support);
    let cs = components(&g);
    let (root_comps, loop_comps) = groups(&cs);
    let seeds: Vec<u32> = root_comps.iter().chain(&loop_comps).copied().collect();
    let spread = propagate(&g, &cs, &seeds, root_comps.len());
    let (fast, settled) =
        chains::all_chains_in(&g, &cs, &root_comps, &spread.roots, &|_| {}, prime);
    let mut flow = chains::Flow::new(&g, &cs, &root_comps);
    let mut member = vec![false; g.len()];
    for &c in &root_comps {
        for &v in cs.members(c) {
            member[v as usize] = true;
        }
    }
    let slow = g
        .by_id()
        .iter()
        .map(|&v| {
            if member[v as usize] {
                1
            } else {
                flow.chains(&g, v, spread.roots[cs.comp[v as usize] as usize])
            }
        })
        .collect();
    let fast = g.by_id().iter().map(|&v| fast[v as usize]).collect();
    (fast, slow, settled)
}

/// How far a running analysis has got, for a progress bar: the sources of
/// the claim graphs whose chains are settled, and the sources of the claim
/// graphs built so far. Counters only; reading them never blocks the work.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicU64,
    pub total: AtomicU64,
}

/// [`analyze_claim`], counting settled sources in `progress`.
pub fn analyze_claim_with(
    case: &Case,
    claim: ClaimIdx,
    reports: &[u32],
    progress: Option<&Progress>,
) -> ClaimAnalysis {
    let reports_of = ClaimReports::new(case, reports);
    let g = graph::build_from(case, &reports_of, Stance::Support);
    if let Some(p) = progress {
        p.total.fetch_add(g.len() as u64, Ordering::Relaxed);
    }
    let cs = components(&g);
    // The root groups and loops in the order of memory: their figures are
    // worked out in that order, and put in id order at the end.
    let (root_comps, loop_comps) = groups(&cs);
    let seeds: Vec<u32> = root_comps.iter().chain(&loop_comps).copied().collect();
    let spread = propagate(&g, &cs, &seeds, root_comps.len());
    let said = Said::new(case, &g, &reports_of, Stance::Support);

    let make = |c: u32, reach: u32| group(case, &g, &cs, &said, c, reach);
    let mut roots: Vec<RootGroup> = root_comps
        .iter()
        .enumerate()
        .map(|(i, &c)| make(c, spread.reach[i]))
        .collect();
    let mut loops: Vec<RootGroup> = loop_comps
        .iter()
        .enumerate()
        .map(|(i, &c)| make(c, spread.reach[root_comps.len() + i]))
        .collect();
    let first_reported = reports_of.iter().filter_map(|(r, _)| r.date).min();
    let first_supported = reports_of
        .iter()
        .filter(|(r, _)| r.stance == Stance::Support)
        .filter_map(|(r, _)| r.date)
        .min();
    let denials = denials(case, &reports_of);
    // Freed before the chains are counted: on a claim of a million sources
    // every array of the analysis is 4 MB, and the peak comes next.
    drop((said, reports_of));

    let walks = || walks(&g, &cs, root_comps.iter().chain(&loop_comps));

    let cascades = || {
        cascade::cascades_of(
            &g,
            &cs,
            &root_comps,
            &spread.reach[..root_comps.len()],
            false,
        )
    };
    let chains = || {
        let settled_before = std::cell::Cell::new(0u32);
        let report = |settled: u32| {
            if let Some(p) = progress {
                let delta = settled - settled_before.replace(settled);
                p.done.fetch_add(u64::from(delta), Ordering::Relaxed);
            }
        };
        let (chains, _) = chains::all_chains(&g, &cs, &root_comps, &spread.roots, &report);
        report(g.len() as u32);
        chains
    };
    // Chains are counted on one thread, and the walks made beside them: on
    // the `giant` shape of 100,000 sources (a circular group of 72,423) the
    // walk took 0.08 s before the chains' 0.14 s, with the other core idle.
    // Without a circular group there is nothing to join: on the
    // million-long chain, the join alone cost 4.5 MiB more.
    let circular = roots.iter().chain(&loops).any(|r| r.circular);
    let chains_and_walks = || {
        if circular {
            rayon::join(chains, walks)
        } else {
            (chains(), Vec::new())
        }
    };
    // Cascades spread over many root groups are searched on rayon's
    // threads meanwhile; one group's search (a long chain's) is done first
    // and its scratch space freed, away from the chains' peak of memory.
    let (shapes, (chains, cycles)) = if cascade::in_parallel(&spread.reach[..root_comps.len()]) {
        rayon::join(cascades, chains_and_walks)
    } else {
        (cascades(), chains_and_walks())
    };
    for (r, c) in roots.iter_mut().zip(shapes) {
        r.cascade = c;
    }
    set_cycles(roots.iter_mut().chain(loops.iter_mut()), cycles);
    // The groups in id order, and which of them each node belongs to.
    let order = id_order(&g, &cs, &root_comps);
    let roots = in_order(roots, &order);
    let loops = in_order(loops, &id_order(&g, &cs, &loop_comps));
    let mut root_of = vec![NONE; g.len()];
    for (i, &at) in order.iter().enumerate() {
        for &v in cs.members(root_comps[at as usize]) {
            root_of[v as usize] = i as u32;
        }
    }
    // The citations are no longer needed: freed before the figures of every
    // source are made.
    // Made in local order, then gathered in id order, each asked for
    // ahead: with ids in no order, each is one read at a random place, not
    // five (the million-long chain with shuffled ids: 67 ms of CPU time
    // when they were read from five arrays in id order).
    let (nodes, by_id) = g.into_sources();
    let figures: Vec<SourceFigures> = nodes
        .iter()
        .enumerate()
        .map(|(v, &source)| SourceFigures {
            source,
            roots: spread.roots[cs.comp[v] as usize],
            chains: chains[v],
            in_root: (root_of[v] != NONE).then_some(root_of[v]),
        })
        .collect();
    drop((nodes, chains, root_of, spread.roots));
    let sources: Vec<SourceFigures> = (0..by_id.len())
        .map(|k| {
            if let Some(&ahead) = by_id.get(k + crate::model::PREFETCH_AHEAD) {
                crate::model::prefetch(figures.as_ptr().wrapping_add(ahead as usize));
            }
            figures[by_id[k] as usize].clone()
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
        first_reported,
        first_supported,
        roots,
        sources,
        denials,
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
    analyze_with(case, claims, None)
}

/// [`analyze`], counting settled sources in `progress`.
pub fn analyze_with(
    case: &Case,
    claims: &[ClaimIdx],
    progress: Option<&Progress>,
) -> Vec<ClaimAnalysis> {
    analyze_grouped(case, claims, &case.reports_by_claim(), progress)
}

/// [`analyze_with`], given the case's reports grouped by claim
/// ([`Case::reports_by_claim`]), so that several calls share one grouping.
pub fn analyze_grouped(
    case: &Case,
    claims: &[ClaimIdx],
    by_claim: &[Vec<u32>],
    progress: Option<&Progress>,
) -> Vec<ClaimAnalysis> {
    claims
        .par_iter()
        .map(|&c| analyze_claim_with(case, c, &by_claim[c as usize], progress))
        .collect()
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
    /// *O(r + n)* for the claim's `r` reports and the graph's `n` nodes.
    fn new(case: &Case, g: &ClaimGraph, reports: &ClaimReports, stance: Stance) -> Said {
        let n = g.len();
        let mut any = vec![false; n];
        let mut disclosed = vec![false; n];
        let mut retracted = vec![false; n];
        g.with_index(case, |index_of| {
            for (r, cites) in reports.iter() {
                let Some(v) = index_of(r.source) else {
                    continue;
                };
                if r.stance == stance {
                    any[v as usize] = true;
                    if r.basis != Basis::Undisclosed || !cites.is_empty() {
                        disclosed[v as usize] = true;
                    }
                } else if r.stance == Stance::Retract && stance == Stance::Support {
                    retracted[v as usize] = true;
                }
            }
        });
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

/// A closed walk through each circular component of `comps`, in order
/// (see [`Walk::closed_walk`]).
fn walks<'a>(
    g: &ClaimGraph,
    cs: &Components,
    comps: impl Iterator<Item = &'a u32>,
) -> Vec<Vec<SourceIdx>> {
    // Made at the first circular group: most claims have none.
    let mut walk = None;
    comps
        .filter(|&&c| cs.members(c).len() > 1)
        .map(|&c| {
            walk.get_or_insert_with(|| Walk::new(g.len()))
                .closed_walk(g, cs, c)
                .into_iter()
                .map(|v| g.source(v))
                .collect()
        })
        .collect()
}

/// Gives each circular group of `groups` its walk from `cycles`, made by
/// [`walks`] from the same components in the same order.
fn set_cycles<'a>(groups: impl Iterator<Item = &'a mut RootGroup>, cycles: Vec<Vec<SourceIdx>>) {
    let mut cycles = cycles.into_iter();
    for r in groups.filter(|r| r.circular) {
        r.cycle = cycles.next().expect("a walk for every circular group");
    }
    debug_assert!(cycles.next().is_none(), "a circular group for every walk");
}

/// The figures of one component as a [`RootGroup`]; its `cycle` is left
/// empty, for [`set_cycles`].
fn group(
    case: &Case,
    g: &ClaimGraph,
    cs: &Components,
    said: &Said,
    c: u32,
    reach: u32,
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
        cascade: None,
        cycle: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::chains::{Flow, Search};
    use super::*;
    use crate::model::fixtures::report;
    use crate::model::Claim;

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
            let cites: Vec<u32> = cites.iter().map(|c| self.src(c)).collect();
            let mut r = report(source, &cites, stance);
            r.date = date.map(|d| PartialDate::parse(d).unwrap());
            self.0.reports.push(r);
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
        s.iter().map(|&i| case.source_id(i).to_owned()).collect()
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
                b.0.reports.push(report(v as u32, &cites, Stance::Support));
            }
            let case = b.done();
            let a = run(&case);
            let g = graph::build(&case, &all(&case), Stance::Support);
            let cs = components(&g);
            let (root_comps, _) = groups(&cs);
            for search in [Search::Backward, Search::Forward] {
                let mut flow = Flow::new(&g, &cs, &root_comps);
                flow.search = search;
                // The figures are in id order.
                for (&v, f) in g.by_id().iter().zip(&a.sources) {
                    if f.in_root.is_none() {
                        assert_eq!(
                            flow.chains(&g, v, f.roots),
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
            let cites = if i == 0 { vec![] } else { vec![i - 1] };
            b.0.reports.push(report(i, &cites, Stance::Support));
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
        case.reports[0].cites = smallvec::smallvec![199_999];
        let a = run(&case);
        assert_eq!(a.independent, 1);
        assert_eq!(a.roots[0].sources.len(), 200_000);
        assert_eq!(a.roots[0].cycle.len(), 200_001);
        assert_eq!(a.roots[0].reach, 0);
    }
}
