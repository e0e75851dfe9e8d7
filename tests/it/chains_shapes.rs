//! chains(X) by the staged method (bounds, dominators, network coding,
//! flows) against exact flows alone, on random graphs of every named shape
//! of the benchmark generator, 100 to 2,000 sources each: the same figure
//! for every source. With the coding over a small field (p = 13) coding
//! fails often; the figures must stay exact, because a failed coding only
//! sends a source on to the flows.

use rumorgraph::analysis::chains_two_ways;
use rumorgraph::model::{Case, SourceIdx, Stance};

use crate::shapes;
use crate::synth_core::Rng;
use crate::util::{all_reports, claim, report, source};

/// A case of one claim from a shape's cites lists.
fn case_of(cites: &[Vec<u32>]) -> Case {
    let sources = (0..cites.len())
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
        let case = case_of(&cites);
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
