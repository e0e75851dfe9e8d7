//! chains(X) by the staged method (bounds, dominators, network coding,
//! flows) against exact flows alone, on random graphs of every named shape
//! of the benchmark generator, 100 to 2,000 sources each: the same figure
//! for every source, with the sources' ids in the order of the citations
//! in half of the graphs and shuffled in the other half. With the coding
//! over a small field (p = 13) coding fails often; the figures must stay
//! exact, because a failed coding only sends a source on to the flows.
//!
//! And the whole analysis of a claim of every shape, named in citation
//! order and then with its ids shuffled: every figure whose definition does
//! not take sources in id order is the same. With its reports (and each
//! report's cites) in another order, the analysis is the same in every
//! detail: the graph numbers its sources in the order the reports name
//! them, and no figure or order of the output may follow that numbering.

use rumorgraph::analysis::chains_two_ways;
use rumorgraph::model::{Case, SourceIdx, Stance};

use crate::shapes;
use crate::synth_core::Rng;
use crate::util::{all_reports, claim, report, source};

/// A case of one claim from a shape's cites lists, source `i` named
/// `s{names[i]}`: with the names in order, id order follows the
/// citations; shuffled, it follows nothing.
fn case_of(cites: &[Vec<u32>], names: &[u32]) -> Case {
    let sources = names
        .iter()
        .map(|i| source(&format!("s{i:05}"), rumorgraph::model::Kind::Outlet))
        .collect();
    let reports = cites
        .iter()
        .enumerate()
        .map(|(v, c)| report(v as SourceIdx, 0, c.clone(), Stance::Support, None))
        .collect();
    Case::from_parts(None, sources, vec![claim("c")], reports)
}

#[test]
fn staged_chains_equal_exact_flows_on_every_shape() {
    let mut rng = Rng::new(7);
    let mut graphs = 0;
    let mut sources = 0usize;
    let mut stages = [0u64; 4];
    let mut small_field_flows = 0u64;
    let mut big_field_flows = 0u64;
    for round in 0..1000u64 {
        let name = shapes::SHAPES[round as usize % shapes::SHAPES.len()];
        let n = 100 + rng.below(1901);
        let mut cites = shapes::shape(name, n, 3 * n, n / 10, round).unwrap();
        if round % 10 == 3 {
            // An aggregator citing 40 sources: more than the coding's 32
            // dimensions, so the flows decide it.
            let picks: Vec<u32> = (0..40).map(|_| rng.below(n) as u32).collect();
            let mut mine: Vec<u32> = Vec::new();
            for u in picks {
                if !mine.contains(&u) {
                    mine.push(u);
                }
            }
            cites.push(mine);
        }
        let n = cites.len();
        let names = shapes::names(n, round % 2 == 1, round);
        let case = case_of(&cites, &names);
        let reports = all_reports(&case);
        for prime in [(1u64 << 61) - 1, 13] {
            let (fast, slow, settled) = chains_two_ways(&case, &reports, prime);
            assert_eq!(fast.len(), slow.len());
            for (v, (f, s)) in fast.iter().zip(&slow).enumerate() {
                assert_eq!(
                    f, s,
                    "shape {name}, {n} sources, round {round}, p = {prime}: source {v}"
                );
            }
            if prime == 13 {
                small_field_flows += u64::from(settled.flows);
            } else {
                big_field_flows += u64::from(settled.flows);
                stages[0] += u64::from(settled.bounds);
                stages[1] += u64::from(settled.dominators);
                stages[2] += u64::from(settled.coding);
                stages[3] += u64::from(settled.flows);
            }
        }
        graphs += 1;
        sources += n;
    }
    assert_eq!(graphs, 1000);
    assert!(sources > 500_000, "{sources}");
    // Every stage settled some sources, and the small field visibly failed
    // where the large one did not.
    eprintln!("stages (bounds, dominators, coding, flows): {stages:?}; flows with p = 13: {small_field_flows}");
    assert!(stages.iter().all(|&s| s > 0), "{stages:?}");
    assert!(
        small_field_flows > 2 * big_field_flows,
        "p = 13: {small_field_flows} flows, p = 2^61 - 1: {big_field_flows}"
    );
}

/// Every figure of a claim that its definition does not tie to the order of
/// ids, for a comparison across namings of the same graph: per source its
/// roots, chains and root group (by members); per root group and loop its
/// members, reach and cascade size, depth and breadth. The structural
/// virality is left out: its breadth-first tree takes neighbours in id
/// order.
fn id_free_figures(a: &rumorgraph::analysis::ClaimAnalysis) -> String {
    let group = |g: &rumorgraph::analysis::RootGroup| {
        let mut members = g.sources.clone();
        members.sort_unstable();
        let cascade = g.cascade.map(|c| (c.size, c.depth, c.max_breadth));
        format!(
            "{members:?} circular={} reach={} cascade={cascade:?}",
            g.circular, g.reach
        )
    };
    let mut roots: Vec<String> = a.roots.iter().map(group).collect();
    roots.sort();
    let mut loops: Vec<String> = a.loops.iter().map(group).collect();
    loops.sort();
    let mut sources: Vec<String> = a
        .sources
        .iter()
        .map(|f| {
            let root = f.in_root.map(|r| {
                let mut m = a.roots[r as usize].sources.clone();
                m.sort_unstable();
                m
            });
            format!(
                "{} roots={} chains={} in={root:?}",
                f.source, f.roots, f.chains
            )
        })
        .collect();
    sources.sort();
    format!(
        "independent={} single={} reports={}\nroots {roots:#?}\nloops {loops:#?}\nsources {sources:#?}",
        a.independent, a.single_source, a.reports
    )
}

/// Runs `f` on 300 claims of every shape in turn, of 100 to 1,500 sources:
/// `f(round, shape, sources, cites, rng)`.
fn on_300_claims(seed: u64, mut f: impl FnMut(u64, &str, usize, Vec<Vec<u32>>, &mut Rng)) {
    let mut rng = Rng::new(seed);
    for round in 0..300u64 {
        let name = shapes::SHAPES[round as usize % shapes::SHAPES.len()];
        let n = 100 + rng.below(1401);
        let cites = shapes::shape(name, n, 3 * n, n / 10, round).unwrap();
        f(round, name, n, cites, &mut rng);
    }
}

#[test]
fn figures_do_not_depend_on_the_order_of_ids() {
    on_300_claims(11, |round, name, n, cites, _| {
        let figures = |shuffled: bool| {
            let case = case_of(&cites, &shapes::names(n, shuffled, round));
            let reports = all_reports(&case);
            let claim: rumorgraph::model::ClaimIdx = 0;
            id_free_figures(&rumorgraph::analysis::analyze_claim(&case, claim, &reports))
        };
        let (ordered, shuffled) = (figures(false), figures(true));
        assert!(ordered.contains("chains="), "{name}: no sources");
        assert_eq!(
            ordered, shuffled,
            "shape {name}, {n} sources, round {round}"
        );
    });
}

#[test]
fn the_order_of_the_reports_changes_nothing() {
    on_300_claims(13, |round, name, n, cites, rng| {
        let names = shapes::names(n, round % 2 == 1, round);
        let case = case_of(&cites, &names);
        // The same reports, dealt out in another order, each with its cites
        // in another order.
        let mut mixed = case.clone();
        for i in (1..mixed.reports.len()).rev() {
            mixed.reports.swap(i, rng.below(i + 1));
        }
        for r in &mut mixed.reports {
            for i in (1..r.cites.len()).rev() {
                r.cites.swap(i, rng.below(i + 1));
            }
        }
        let (ra, rb) = (all_reports(&case), all_reports(&mixed));
        let a = rumorgraph::analysis::analyze_claim(&case, 0, &ra);
        let b = rumorgraph::analysis::analyze_claim(&mixed, 0, &rb);
        assert!(!a.sources.is_empty(), "{name}: no sources");
        assert!(
            a == b,
            "shape {name}, {n} sources, round {round}: the analyses differ"
        );
        // The chains listed to a few sources, and their bottlenecks.
        for _ in 0..3 {
            let x = a.sources[rng.below(a.sources.len())].source;
            assert_eq!(
                rumorgraph::analysis::trace(&case, &a, &ra, x, 20),
                rumorgraph::analysis::trace(&mixed, &b, &rb, x, 20),
                "shape {name}, {n} sources, round {round}: trace of source {x}"
            );
            assert_eq!(
                rumorgraph::analysis::bottleneck(&case, &a, &ra, x),
                rumorgraph::analysis::bottleneck(&mixed, &b, &rb, x),
                "shape {name}, {n} sources, round {round}: bottleneck of source {x}"
            );
        }
    });
}
