//! The analysis against petgraph on random graphs of 10 to 60 sources, too
//! big for the subset brute force: root groups from petgraph's
//! `condensation`, roots and reach from its breadth-first search, and
//! chains(X) from its `dinics` max-flow on the textbook vertex-split network
//! (every source an in/out pair joined by capacity 1, every root group
//! contracted to one such pair, a super-source feeding every root group).

use std::collections::BTreeSet;

use petgraph::algo::{condensation, dinics};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::Bfs;
use petgraph::Direction;
use proptest::prelude::*;
use rumorgraph::analysis::analyze_claim;
use rumorgraph::model::{Case, Kind, SourceIdx, Stance};

use crate::util::{all_reports, claim, report, source};

/// A one-claim case: `n` sources, each support report citing up to four
/// others, a few anonymous sources; cycles arise freely.
fn cases() -> impl Strategy<Value = Case> {
    (10usize..=60)
        .prop_flat_map(|n| {
            (
                Just(n),
                prop::collection::vec(prop::bool::weighted(0.2), n),
                prop::collection::vec((0..n, prop::collection::vec(0..n, 0..=4)), n / 2..=n * 2),
            )
        })
        .prop_map(|(n, anon, raw)| {
            let sources = (0..n)
                .map(|i| {
                    source(
                        &format!("s{i:02}"),
                        if anon[i] {
                            Kind::Anonymous
                        } else {
                            Kind::Outlet
                        },
                    )
                })
                .collect();
            let reports = raw
                .into_iter()
                .map(|(s, cites)| {
                    let mut seen: Vec<SourceIdx> = Vec::new();
                    for c in cites {
                        if c != s && !seen.contains(&(c as SourceIdx)) {
                            seen.push(c as SourceIdx);
                        }
                    }
                    report(s as SourceIdx, 0, seen, Stance::Support, None)
                })
                .collect();
            Case::from_parts(None, sources, vec![claim("c")], reports)
        })
}

/// What petgraph says about the case's support graph.
struct Oracle {
    /// Root groups as sorted source ids.
    roots: BTreeSet<Vec<String>>,
    /// Per source id: (roots, chains), for every source of the graph.
    figures: Vec<(String, u32, u32)>,
    /// Per root group: its reach.
    reach: BTreeSet<(Vec<String>, u32)>,
}

fn oracle(case: &Case) -> Oracle {
    let id = |s: SourceIdx| case.source_id(s).to_owned();
    // G+ with one node per source that reports or is cited.
    let mut g: DiGraph<SourceIdx, ()> = DiGraph::new();
    let mut node: Vec<Option<NodeIndex>> = vec![None; case.sources.len()];
    let mut at = |g: &mut DiGraph<SourceIdx, ()>, s: SourceIdx| {
        *node[s as usize].get_or_insert_with(|| g.add_node(s))
    };
    let mut edges = BTreeSet::new();
    for r in &case.reports {
        let v = at(&mut g, r.source);
        for &u in &r.cites {
            let u = at(&mut g, u);
            edges.insert((u, v));
        }
    }
    for &(u, v) in &edges {
        g.add_edge(u, v, ());
    }
    let c = condensation(g.clone(), true);
    let roots: Vec<NodeIndex> = c
        .node_indices()
        .filter(|&n| {
            c.neighbors_directed(n, Direction::Incoming)
                .next()
                .is_none()
        })
        .collect();
    let group_ids = |n: NodeIndex| {
        let mut ids: Vec<String> = c[n].iter().map(|&s| id(s)).collect();
        ids.sort();
        ids
    };
    // Which condensed node each source sits in.
    let mut comp_of = vec![NodeIndex::end(); case.sources.len()];
    for n in c.node_indices() {
        for &s in &c[n] {
            comp_of[s as usize] = n;
        }
    }
    let mut reached_from: Vec<Vec<bool>> = Vec::new();
    let mut reach = BTreeSet::new();
    for &r in &roots {
        let mut seen = vec![false; c.node_count()];
        let mut bfs = Bfs::new(&c, r);
        let mut outside = 0;
        while let Some(n) = bfs.next(&c) {
            seen[n.index()] = true;
            if n != r {
                outside += c[n].len() as u32;
            }
        }
        reach.insert((group_ids(r), outside));
        reached_from.push(seen);
    }

    // The flow network: in/out pairs joined by capacity 1, root groups
    // contracted into their condensed node's pair.
    let mut net: DiGraph<(), u32> = DiGraph::new();
    let pair: Vec<(NodeIndex, NodeIndex)> = (0..c.node_count())
        .map(|_| {
            let (i, o) = (net.add_node(()), net.add_node(()));
            net.add_edge(i, o, 1);
            (i, o)
        })
        .collect();
    let is_root = |n: NodeIndex| roots.contains(&n);
    // Sources outside root groups are split one by one, so a non-root cycle
    // is flowed through as the separate vertices it is.
    let mut own: Vec<Option<(NodeIndex, NodeIndex)>> = vec![None; case.sources.len()];
    for s in 0..case.sources.len() {
        if node[s].is_some() && !is_root(comp_of[s]) {
            let (i, o) = (net.add_node(()), net.add_node(()));
            net.add_edge(i, o, 1);
            own[s] = Some((i, o));
        }
    }
    let ends = |s: SourceIdx| own[s as usize].unwrap_or(pair[comp_of[s as usize].index()]);
    for &(u, v) in &edges {
        let (su, sv) = (g[u], g[v]);
        if comp_of[su as usize] == comp_of[sv as usize] && is_root(comp_of[su as usize]) {
            continue;
        }
        net.add_edge(ends(su).1, ends(sv).0, 1);
    }
    let s = net.add_node(());
    for &r in &roots {
        net.add_edge(s, pair[r.index()].0, 1);
    }

    let mut figures = Vec::new();
    for (src, n) in node.iter().enumerate() {
        let Some(_) = n else { continue };
        let comp = comp_of[src];
        let roots_of = reached_from
            .iter()
            .filter(|seen| seen[comp.index()])
            .count() as u32;
        let chains = if is_root(comp) {
            1
        } else {
            dinics(&net, s, ends(src as SourceIdx).0).0
        };
        figures.push((id(src as SourceIdx), roots_of, chains));
    }
    figures.sort();
    Oracle {
        roots: roots.iter().map(|&r| group_ids(r)).collect(),
        figures,
        reach,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn figures_agree_with_petgraph(case in cases()) {
        let a = analyze_claim(&case, 0, &all_reports(&case));
        let want = oracle(&case);
        let id = |s: SourceIdx| case.source_id(s).to_owned();
        let got_roots: BTreeSet<Vec<String>> = a.roots.iter().map(|g| g.sources.iter().map(|&s| id(s)).collect()).collect();
        prop_assert_eq!(&got_roots, &want.roots);
        let got_reach: BTreeSet<(Vec<String>, u32)> =
            a.roots.iter().map(|g| (g.sources.iter().map(|&s| id(s)).collect(), g.reach)).collect();
        prop_assert_eq!(&got_reach, &want.reach);
        let got: Vec<(String, u32, u32)> = a.sources.iter().map(|f| (id(f.source), f.roots, f.chains)).collect();
        prop_assert_eq!(&got, &want.figures);
        let anonymous = a.roots.iter().filter(|g| g.sources.iter().all(|&s| case.source(s).kind == Kind::Anonymous)).count() as u32;
        prop_assert_eq!(a.anonymous, anonymous);
        prop_assert_eq!(a.independent, want.roots.len() as u32);
        prop_assert_eq!(a.named, a.independent - a.anonymous - a.unknown - a.undisclosed - a.retracted);
    }
}
