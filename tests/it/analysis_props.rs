//! The analysis against a brute force on small random cases.
//!
//! The brute force shares nothing with the library's algorithms: it works on
//! an adjacency matrix, takes reachability from a Floyd–Warshall closure,
//! finds root groups as classes of mutual reachability that nothing outside
//! reaches, and gets chains(X) as the size of the smallest set of (contracted)
//! vertices whose removal cuts X off, by trying every subset. Graphs too big
//! for that (10 to 40 sources) are checked against a textbook Edmonds–Karp
//! max-flow on an explicit capacity matrix instead. Traces are checked
//! against an enumeration of every simple chain.

use proptest::prelude::*;
use rumorgraph::analysis::{
    analyze, analyze_claim, bottleneck, trace, ClaimAnalysis, GroupBasis, Relay, RootGroup,
    TraceStep,
};
use rumorgraph::model::{Basis, Case, Kind, PartialDate, SourceIdx, Stance};

use crate::util::{all_reports, case_from_edges, claim, ids, report, source};

const NAMES: [&str; 9] = [
    "ap", "bbc", "cnn", "dw", "efe", "fars", "gulf", "hurriyet", "irna",
];

/// One random report: source, cited sources, stance, date, claim, and
/// whether its basis is undisclosed.
type RawReport = (usize, Vec<usize>, Stance, Option<PartialDate>, u32, bool);

fn stance() -> impl Strategy<Value = Stance> {
    prop_oneof![
        6 => Just(Stance::Support),
        2 => Just(Stance::Deny),
        1 => Just(Stance::Query),
        1 => Just(Stance::Comment),
        1 => Just(Stance::Retract),
    ]
}

/// A kind: about a third anonymous, some unknown, the rest named.
fn kind_of(k: u8) -> Kind {
    match k {
        0..=2 => Kind::Anonymous,
        3 => Kind::Unknown,
        4 => Kind::Person,
        _ => Kind::Outlet,
    }
}

fn date() -> impl Strategy<Value = Option<PartialDate>> {
    prop::option::of((2014u16..2017, 0u8..=12, 0u8..=28)).prop_map(|d| {
        d.map(|(year, m, day)| PartialDate {
            year,
            month: (m > 0).then_some(m),
            day: (m > 0 && day > 0).then_some(day),
        })
    })
}

/// Up to 9 sources with shuffled ids (so index order is not id order), of
/// every kind (about a third anonymous, some unknown), and up to 16 reports
/// over two claims, some with an undisclosed basis, some retractions.
fn cases() -> impl Strategy<Value = Case> {
    (1usize..=9)
        .prop_flat_map(|n| {
            (
                Just(NAMES[..n].to_vec()).prop_shuffle(),
                prop::collection::vec(0u8..10, n),
                prop::collection::vec(
                    (
                        0..n,
                        prop::collection::vec(0..n, 0..=3),
                        stance(),
                        date(),
                        prop_oneof![4 => Just(0u32), 1 => Just(1u32)],
                        prop::bool::weighted(0.3),
                    ),
                    0..=16,
                ),
            )
        })
        .prop_map(
            |(names, kinds, raw): (Vec<&str>, Vec<u8>, Vec<RawReport>)| {
                let sources = names
                    .iter()
                    .zip(&kinds)
                    .map(|(id, &k)| source(id, kind_of(k)))
                    .collect();
                let reports = raw
                    .into_iter()
                    .map(|(s, cites, stance, date, c, undisclosed)| {
                        let mut seen = Vec::new();
                        for x in cites {
                            if x != s && !seen.contains(&(x as SourceIdx)) {
                                seen.push(x as SourceIdx);
                            }
                        }
                        let mut r = report(s as SourceIdx, c, seen, stance, date);
                        if undisclosed {
                            r.basis = Basis::Undisclosed;
                        }
                        r
                    })
                    .collect();
                Case::from_parts(
                    None,
                    sources,
                    vec![claim("first"), claim("second")],
                    reports,
                )
            },
        )
}

/// A source id: the news outlets of [`NAMES`], then numbered ones.
fn name(i: usize) -> String {
    NAMES
        .get(i)
        .map_or_else(|| format!("s{i:02}"), |s| s.to_string())
}

/// Denser support-only graphs: sources in a hidden order, the first
/// `first_hand` of them citing nobody, each other one citing every earlier
/// source with probability `p` and every later one with a small probability
/// `q`, so several roots, many disjoint chains (and reroutings of them) and
/// some circles are common.
fn dense_cases(sizes: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Case> {
    (sizes, 0.1f64..0.6, 0.0f64..0.08, 0.0f64..0.5)
        .prop_flat_map(|(n, p, q, first_hand)| {
            (
                Just((0..n).map(name).collect::<Vec<_>>()).prop_shuffle(),
                prop::collection::vec(prop::bool::weighted(0.2), n),
                prop::collection::vec(0.0f64..1.0, n * n),
                Just((n, p, q, ((n as f64 * first_hand) as usize).max(1))),
            )
        })
        .prop_map(
            |(names, anon, dice, (n, p, q, first_hand)): (Vec<String>, Vec<bool>, Vec<f64>, _)| {
                let sources = names
                    .iter()
                    .zip(&anon)
                    .map(|(id, &a)| source(id, if a { Kind::Anonymous } else { Kind::Outlet }))
                    .collect();
                let reports = (0..n)
                    .map(|v| {
                        let cited = (0..n)
                            .filter(|&u| {
                                v >= first_hand
                                    && u != v
                                    && dice[v * n + u] < if u < v { p } else { q }
                            })
                            .map(|u| u as SourceIdx)
                            .collect();
                        report(v as SourceIdx, 0, cited, Stance::Support, None)
                    })
                    .collect();
                Case::from_parts(
                    None,
                    sources,
                    vec![claim("first"), claim("second")],
                    reports,
                )
            },
        )
}

/// One claim graph as the brute force sees it.
struct Brute {
    claim: u32,
    stance: Stance,
    /// Nodes sorted by id.
    nodes: Vec<SourceIdx>,
    adj: Vec<Vec<bool>>,
    /// reach[i][j]: a path (possibly empty) leads from i to j.
    reach: Vec<Vec<bool>>,
    /// Root groups as sorted node lists, sorted by first node.
    roots: Vec<Vec<usize>>,
    /// Circular non-root classes, likewise.
    loops: Vec<Vec<usize>>,
    /// root_of[i]: the root group node i belongs to.
    root_of: Vec<Option<usize>>,
}

impl Brute {
    fn new(case: &Case, claim: u32, stance: Stance) -> Brute {
        let mut nodes: Vec<SourceIdx> = Vec::new();
        for r in case
            .reports
            .iter()
            .filter(|r| r.claim == claim && r.stance == stance)
        {
            for &s in std::iter::once(&r.source).chain(&r.cites) {
                if !nodes.contains(&s) {
                    nodes.push(s);
                }
            }
        }
        nodes.sort_by(|&a, &b| case.source_id(a).cmp(case.source_id(b)));
        let n = nodes.len();
        let at = |s: SourceIdx| nodes.iter().position(|&x| x == s).unwrap();
        let mut adj = vec![vec![false; n]; n];
        for r in case
            .reports
            .iter()
            .filter(|r| r.claim == claim && r.stance == stance)
        {
            for &c in &r.cites {
                adj[at(c)][at(r.source)] = true;
            }
        }
        let mut reach = adj.clone();
        for (i, row) in reach.iter_mut().enumerate() {
            row[i] = true;
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if reach[i][k] && reach[k][j] {
                        reach[i][j] = true;
                    }
                }
            }
        }
        let mut roots = Vec::new();
        let mut loops = Vec::new();
        let mut done = vec![false; n];
        for i in 0..n {
            if done[i] {
                continue;
            }
            let class: Vec<usize> = (0..n).filter(|&j| reach[i][j] && reach[j][i]).collect();
            for &j in &class {
                done[j] = true;
            }
            let entered = (0..n).any(|k| !class.contains(&k) && reach[k][i]);
            if !entered {
                roots.push(class);
            } else if class.len() > 1 {
                loops.push(class);
            }
        }
        let mut root_of = vec![None; n];
        for (g, class) in roots.iter().enumerate() {
            for &j in class {
                root_of[j] = Some(g);
            }
        }
        Brute {
            claim,
            stance,
            nodes,
            adj,
            reach,
            roots,
            loops,
            root_of,
        }
    }

    /// Sources outside the class reachable from it.
    fn reach_of(&self, class: &[usize]) -> u32 {
        let n = self.nodes.len();
        (0..n)
            .filter(|&j| !class.contains(&j) && class.iter().any(|&i| self.reach[i][j]))
            .count() as u32
    }

    /// Root groups x can be reached from.
    fn roots_of(&self, x: usize) -> u32 {
        self.roots.iter().filter(|g| self.reach[g[0]][x]).count() as u32
    }

    /// The contracted vertex of a node: its root group (named by the
    /// group's first member), or itself.
    fn vertex(&self, i: usize) -> usize {
        match self.root_of[i] {
            Some(g) => self.roots[g][0],
            None => i,
        }
    }

    /// The smallest number of contracted vertices, x's excluded, whose
    /// removal leaves x unreachable from every root group.
    fn chains_of(&self, x: usize) -> u32 {
        let n = self.nodes.len();
        if self.root_of[x].is_some() {
            return 1;
        }
        let mut best = u32::MAX;
        for mask in 0u32..(1 << n) {
            if mask & (1 << x) != 0 || mask.count_ones() >= best {
                continue;
            }
            let removed = |i: usize| mask & (1 << self.vertex(i)) != 0;
            // Plain search from every surviving root group member.
            let mut seen: Vec<bool> = (0..n)
                .map(|i| self.root_of[i].is_some() && !removed(i))
                .collect();
            let mut todo: Vec<usize> = (0..n).filter(|&i| seen[i]).collect();
            while let Some(u) = todo.pop() {
                for (v, &edge) in self.adj[u].iter().enumerate() {
                    if edge && !seen[v] && !removed(v) {
                        seen[v] = true;
                        todo.push(v);
                    }
                }
            }
            if !seen[x] {
                best = mask.count_ones();
            }
        }
        best
    }

    /// chains(x) the textbook way, for graphs too big for [`Brute::chains_of`]:
    /// Edmonds–Karp on an explicit capacity matrix of the split graph (each
    /// node an "in" and an "out" vertex joined by capacity 1, root groups
    /// contracted onto their first member and fed by a super-source).
    fn max_flow_chains(&self, x: usize) -> u32 {
        let n = self.nodes.len();
        if self.root_of[x].is_some() {
            return 1;
        }
        let (s, inn, out) = (2 * n, |i: usize| 2 * i, |i: usize| 2 * i + 1);
        let size = 2 * n + 1;
        let mut cap = vec![vec![0i32; size]; size];
        for i in 0..n {
            if self.vertex(i) == i && i != x {
                cap[inn(i)][out(i)] = 1;
            }
            if self.root_of[i].is_some() && self.vertex(i) == i {
                cap[s][inn(i)] = 1;
            }
            for j in 0..n {
                let (u, v) = (self.vertex(i), self.vertex(j));
                if self.adj[i][j] && u != v {
                    cap[out(u)][inn(v)] = 1;
                }
            }
        }
        let mut flow = 0;
        loop {
            let mut parent = vec![usize::MAX; size];
            parent[s] = s;
            let mut queue = std::collections::VecDeque::from([s]);
            while let Some(u) = queue.pop_front() {
                for v in 0..size {
                    if cap[u][v] > 0 && parent[v] == usize::MAX {
                        parent[v] = u;
                        queue.push_back(v);
                    }
                }
            }
            if parent[inn(x)] == usize::MAX {
                return flow;
            }
            let mut v = inn(x);
            while v != s {
                let u = parent[v];
                cap[u][v] -= 1;
                cap[v][u] += 1;
                v = u;
            }
            flow += 1;
        }
    }

    /// Every simple chain from a root group to x, as (root group, nodes after
    /// it), in lexicographic order.
    fn chains_to(&self, x: usize) -> Vec<(usize, Vec<usize>)> {
        let n = self.nodes.len();
        if let Some(g) = self.root_of[x] {
            return vec![(g, Vec::new())];
        }
        let mut out = Vec::new();
        for (g, class) in self.roots.iter().enumerate() {
            let mut partial: Vec<Vec<usize>> = (0..n)
                .filter(|&v| self.root_of[v].is_none() && class.iter().any(|&u| self.adj[u][v]))
                .map(|v| vec![v])
                .collect();
            while let Some(p) = partial.pop() {
                let last = *p.last().unwrap();
                if last == x {
                    out.push((g, p));
                    continue;
                }
                for v in 0..n {
                    if self.adj[last][v] && self.root_of[v].is_none() && !p.contains(&v) {
                        let mut q = p.clone();
                        q.push(v);
                        partial.push(q);
                    }
                }
            }
        }
        out.sort();
        out
    }
}

/// A root group's basis and whether it is retracted, from the definitions
/// in docs/method.md, for the group of `members` in claim `claim` with the
/// reports of `stance`.
fn brute_basis(
    case: &Case,
    claim: u32,
    stance: Stance,
    members: &[SourceIdx],
) -> (GroupBasis, bool) {
    let kind = |s: SourceIdx| case.source(s).kind;
    let named_kind = |k: Kind| {
        matches!(
            k,
            Kind::Outlet | Kind::Person | Kind::Agency | Kind::Document | Kind::Social
        )
    };
    let own = |s: SourceIdx, st: Stance| {
        case.reports
            .iter()
            .filter(move |r| r.claim == claim && r.source == s && r.stance == st)
    };
    let basis = if members.iter().all(|&s| kind(s) == Kind::Anonymous) {
        GroupBasis::Anonymous
    } else if !members.iter().any(|&s| named_kind(kind(s))) {
        GroupBasis::Unknown
    } else if members.len() == 1
        && own(members[0], stance).count() > 0
        && own(members[0], stance).all(|r| r.basis == Basis::Undisclosed && r.cites.is_empty())
    {
        GroupBasis::Undisclosed
    } else {
        GroupBasis::Named
    };
    let retracted =
        stance == Stance::Support && members.iter().all(|&s| own(s, Stance::Retract).count() > 0);
    (basis, retracted)
}

fn check_group(case: &Case, b: &Brute, got: &RootGroup, class: &[usize]) {
    let want: Vec<SourceIdx> = class.iter().map(|&i| b.nodes[i]).collect();
    assert_eq!(ids(case, &got.sources), ids(case, &want));
    assert_eq!(got.circular, class.len() > 1);
    assert_eq!(
        got.anonymous,
        want.iter().all(|&s| case.source(s).kind == Kind::Anonymous)
    );
    assert_eq!(
        (got.basis, got.retracted),
        brute_basis(case, b.claim, b.stance, &want)
    );
    assert_eq!(got.reach, b.reach_of(class));
    if class.len() == 1 {
        assert!(got.cycle.is_empty());
    } else {
        // A closed walk from the first member through every member along edges.
        let at = |s: SourceIdx| b.nodes.iter().position(|&x| x == s).unwrap();
        let walk: Vec<usize> = got.cycle.iter().map(|&s| at(s)).collect();
        assert_eq!(walk.first(), Some(&class[0]));
        assert_eq!(walk.last(), Some(&class[0]));
        assert!(
            walk.iter().all(|v| class.contains(v)),
            "walk leaves the group"
        );
        assert!(
            class.iter().all(|v| walk.contains(v)),
            "walk misses a member"
        );
        assert!(
            walk.windows(2).all(|w| b.adj[w[0]][w[1]]),
            "walk uses a non-edge"
        );
    }
}

/// Checks every figure of one claim, taking chains(X) from `chains`.
fn check_claim(case: &Case, claim: u32, a: &ClaimAnalysis, chains: fn(&Brute, usize) -> u32) {
    assert_eq!(a.claim, claim);
    let mine: Vec<_> = case.reports.iter().filter(|r| r.claim == claim).collect();
    assert_eq!(a.reports as usize, mine.len());
    let first = mine
        .iter()
        .filter_map(|r| r.date)
        .min_by_key(|d| (d.first_day(), d.precision()));
    assert_eq!(a.first_reported, first);

    let b = Brute::new(case, claim, Stance::Support);
    assert_eq!(a.roots.len(), b.roots.len());
    for (got, class) in a.roots.iter().zip(&b.roots) {
        check_group(case, &b, got, class);
    }
    assert_eq!(a.loops.len(), b.loops.len());
    for (got, class) in a.loops.iter().zip(&b.loops) {
        check_group(case, &b, got, class);
    }
    assert_eq!(a.independent as usize, b.roots.len());
    // The four counts from the definitions, retracted groups in none of them.
    let mut counts = [0u32; 4];
    let mut retracted = 0;
    for class in &b.roots {
        let members: Vec<SourceIdx> = class.iter().map(|&i| b.nodes[i]).collect();
        match brute_basis(case, claim, Stance::Support, &members) {
            (_, true) => retracted += 1,
            (basis, false) => {
                counts[GroupBasis::ALL.iter().position(|&x| x == basis).unwrap()] += 1
            }
        }
    }
    assert_eq!([a.named, a.anonymous, a.undisclosed, a.unknown], counts);
    assert_eq!(a.retracted, retracted);
    assert_eq!(
        a.independent,
        a.named + a.anonymous + a.undisclosed + a.unknown + a.retracted
    );
    assert_eq!(a.single_source, a.named < 2);

    assert_eq!(
        a.sources.iter().map(|f| f.source).collect::<Vec<_>>(),
        b.nodes
    );
    for (x, f) in a.sources.iter().enumerate() {
        assert_eq!(
            f.in_root,
            b.root_of[x].map(|g| g as u32),
            "in_root of {}",
            case.source_id(f.source)
        );
        assert_eq!(
            f.roots,
            b.roots_of(x),
            "roots of {}",
            case.source_id(f.source)
        );
        assert_eq!(
            f.chains,
            chains(&b, x),
            "chains of {}",
            case.source_id(f.source)
        );
    }

    let d = Brute::new(case, claim, Stance::Deny);
    assert_eq!(a.denials.independent as usize, d.roots.len());
    assert_eq!(a.denials.roots.len(), d.roots.len());
    for (got, class) in a.denials.roots.iter().zip(&d.roots) {
        check_group(case, &d, got, class);
    }
}

/// The brute force's chains to node x written as trace steps.
fn brute_paths(b: &Brute, x: usize) -> Vec<Vec<TraceStep>> {
    b.chains_to(x)
        .into_iter()
        .map(|(g, rest)| {
            std::iter::once(TraceStep::Root(g as u32))
                .chain(rest.into_iter().map(|v| TraceStep::Source(b.nodes[v])))
                .collect()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn figures_match_the_brute_force(case in cases()) {
        let out = analyze(&case, &[0, 1]);
        prop_assert_eq!(out.len(), 2);
        for (claim, a) in out.iter().enumerate() {
            check_claim(&case, claim as u32, a, Brute::chains_of);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn dense_figures_match_the_brute_force(case in dense_cases(2..=9)) {
        check_claim(&case, 0, &analyze_claim(&case, 0, &all_reports(&case)), Brute::chains_of);
    }
}

/// Checks `trace` for every source of claim 0 against the brute force, in
/// full and cut short after `cut` chains.
fn check_trace(case: &Case, cut: usize) -> Result<(), TestCaseError> {
    let reports: Vec<u32> = all_reports(case)
        .into_iter()
        .filter(|&i| case.reports[i as usize].claim == 0)
        .collect();
    let a = analyze_claim(case, 0, &reports);
    let b = Brute::new(case, 0, Stance::Support);
    for (x, &s) in b.nodes.iter().enumerate() {
        let want = brute_paths(&b, x);
        let full = trace(case, &a, &reports, s, usize::MAX);
        prop_assert_eq!(&full.paths, &want);
        prop_assert!(!full.truncated);
        prop_assert_eq!(full.total_known, Some(want.len() as u64));
        // Every path is a real chain ending at x (checked independently
        // of the brute force's listing).
        for p in &full.paths {
            let TraceStep::Root(g) = p[0] else {
                panic!("a chain starts at a root group")
            };
            let mut prev: Vec<usize> = b.roots[g as usize].clone();
            for step in &p[1..] {
                let TraceStep::Source(v) = *step else {
                    panic!("one root step")
                };
                let v = b.nodes.iter().position(|&n| n == v).unwrap();
                prop_assert!(prev.iter().any(|&u| b.adj[u][v]));
                prev = vec![v];
            }
            let last = match *p.last().unwrap() {
                TraceStep::Root(g) => b.roots[g as usize][0],
                TraceStep::Source(v) => b.nodes.iter().position(|&n| n == v).unwrap(),
            };
            prop_assert!(last == x || b.root_of[x] == Some(g as usize));
        }
        // Cut short: a prefix, flagged, with the total when it is known.
        let short = trace(case, &a, &reports, s, cut);
        prop_assert_eq!(&short.paths[..], &want[..cut.min(want.len())]);
        prop_assert_eq!(short.truncated, cut < want.len());
        if let Some(total) = short.total_known {
            prop_assert_eq!(total, want.len() as u64);
        }
        if short.truncated && a.loops.is_empty() {
            prop_assert_eq!(short.total_known, Some(want.len() as u64));
        }
    }
    // A source outside G+ has no chain.
    for s in 0..case.sources.len() as SourceIdx {
        if !b.nodes.contains(&s) {
            let t = trace(case, &a, &reports, s, 10);
            prop_assert!(t.paths.is_empty() && !t.truncated);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn larger_figures_match_a_reference_max_flow(case in dense_cases(10..=40)) {
        check_claim(&case, 0, &analyze_claim(&case, 0, &all_reports(&case)), Brute::max_flow_chains);
    }

    #[test]
    fn trace_lists_exactly_the_simple_chains(case in cases(), cut in 0usize..12) {
        check_trace(&case, cut)?;
    }

    #[test]
    fn dense_trace_lists_exactly_the_simple_chains(case in dense_cases(2..=8), cut in 0usize..40) {
        check_trace(&case, cut)?;
    }
}

#[test]
fn the_compact_case_helper_builds_what_it_says() {
    let case = case_from_edges("@u u>b u,b>c !c>d ?z");
    let a = analyze_claim(&case, 0, &all_reports(&case));
    assert_eq!(
        (a.reports, a.independent, a.anonymous, a.named),
        (4, 1, 1, 0)
    );
    assert_eq!(ids(&case, &a.roots[0].sources), ["u"]);
    assert_eq!(
        a.sources
            .iter()
            .map(|f| (f.roots, f.chains))
            .collect::<Vec<_>>(),
        [(1, 1), (1, 1), (1, 1)]
    );
    assert_eq!(ids(&case, &a.denials.roots[0].sources), ["c"]);
}

/// For every source with fewer chains than root groups, the bottleneck has
/// chains(X) members and every simple chain to X (listed by the brute force)
/// passes through one of them; for every other source it is empty or has
/// chains(X) members too.
fn check_bottleneck(case: &Case) -> Result<(), TestCaseError> {
    let reports = all_reports(case);
    let a = analyze_claim(case, 0, &reports);
    let b = Brute::new(case, 0, Stance::Support);
    for (x, &s) in b.nodes.iter().enumerate() {
        let fig = a.sources.iter().find(|f| f.source == s).unwrap();
        let cut = bottleneck(case, &a, &reports, s);
        if fig.in_root.is_some() {
            prop_assert!(cut.is_empty());
            continue;
        }
        prop_assert_eq!(cut.len() as u32, fig.chains, "source {}", s);
        for (g, rest) in b.chains_to(x) {
            let through = rest[..rest.len() - 1]
                .iter()
                .any(|&v| cut.contains(&Relay::Source(b.nodes[v])))
                || cut.contains(&Relay::Root(g as u32));
            prop_assert!(through, "a chain to {} misses the cut {:?}", s, cut);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_bottleneck_is_a_smallest_cut(case in dense_cases(2..=9)) {
        check_bottleneck(&case)?;
    }
}
