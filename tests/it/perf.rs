//! Timings on large generated cases; run with
//! `cargo test --release --test it perf -- --ignored --nocapture`.

use std::time::Instant;

use rumorgraph::analysis::{analyze, analyze_claim};
use rumorgraph::model::{Case, Kind, Stance};

use crate::util::{claim, report, source};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) % n
    }
}

/// One claim over `n` sources: the first `first_hand` report first-hand,
/// every other one cites `cites` sources, earlier ones except with
/// probability `back` (which makes circles).
fn one_claim(n: usize, first_hand: usize, cites: usize, back: f64, seed: u64) -> Case {
    let mut rng = Rng(seed);
    let sources = (0..n)
        .map(|i| source(&format!("s{:06}", (i * 7919) % n), Kind::Outlet))
        .collect();
    let mut reports = Vec::with_capacity(n);
    for v in 0..n {
        let mut c: Vec<u32> = Vec::new();
        if v >= first_hand {
            while c.len() < cites.min(v) {
                let u = if (rng.below(1_000_000) as f64) < back * 1e6 {
                    rng.below(n as u64)
                } else {
                    rng.below(v as u64)
                };
                if u as usize != v && !c.contains(&(u as u32)) {
                    c.push(u as u32);
                }
            }
        }
        reports.push(report(v as u32, 0, c, Stance::Support, None));
    }
    Case::from_parts(None, sources, vec![claim("c")], reports)
}

fn time_one(name: &str, case: &Case) {
    let all: Vec<u32> = (0..case.reports.len() as u32).collect();
    let t = Instant::now();
    let a = analyze_claim(case, 0, &all);
    let max = a.sources.iter().map(|f| f.chains).max().unwrap_or(0);
    let big = a.sources.iter().filter(|f| f.chains > 1).count();
    eprintln!(
        "{name}: {} sources, {} roots, {} loops, max chains {max}, {big} sources with chains > 1: {:?}",
        a.sources.len(),
        a.roots.len(),
        a.loops.len(),
        t.elapsed()
    );
}

#[test]
#[ignore = "timing; run in release"]
fn perf_one_big_claim() {
    time_one("dag, 100 first-hand", &one_claim(100_000, 100, 3, 0.0, 1));
    time_one(
        "dag, 10000 first-hand",
        &one_claim(100_000, 10_000, 3, 0.0, 2),
    );
    time_one(
        "dag, 50000 first-hand",
        &one_claim(100_000, 50_000, 3, 0.0, 8),
    );
    time_one("dag, 2 first-hand", &one_claim(100_000, 2, 3, 0.0, 3));
    time_one("1% back citations", &one_claim(100_000, 1000, 3, 0.01, 4));
    time_one(
        "uniform random citations",
        &one_claim(100_000, 1000, 3, 1.0, 5),
    );
}

/// Three origins behind two relays, and a large web below the relays: every
/// source has three roots but only two chains, and the cut is far away.
fn bottleneck(n: usize) -> Case {
    let mut case = one_claim(n, 3, 3, 0.0, 6);
    let mut rng = Rng(7);
    for v in 3..n {
        let r = &mut case.reports[v];
        r.cites = if v < 5 {
            vec![0, 1, 2].into()
        } else {
            let mut c = Vec::new();
            while c.len() < 3.min(v - 3) {
                let u = 3 + rng.below(v as u64 - 3) as u32;
                if !c.contains(&u) {
                    c.push(u);
                }
            }
            c.into()
        };
    }
    case
}

#[test]
#[ignore = "timing; run in release"]
fn perf_far_cut() {
    time_one("far cut", &bottleneck(100_000));
}

#[test]
#[ignore = "timing; run in release"]
fn perf_many_claims() {
    let (n_sources, n_claims, n_reports) = (5_000usize, 10_000usize, 1_000_000usize);
    let mut rng = Rng(9);
    let sources = (0..n_sources)
        .map(|i| source(&format!("s{i:05}"), Kind::Outlet))
        .collect();
    let claims = (0..n_claims).map(|i| claim(&format!("c{i:05}"))).collect();
    let mut reports = Vec::with_capacity(n_reports);
    for i in 0..n_reports {
        let c = (i % n_claims) as u32;
        let s = rng.below(n_sources as u64) as u32;
        let k = rng.below(3);
        let mut cites = Vec::new();
        for _ in 0..k {
            let u = rng.below(n_sources as u64) as u32;
            if u != s && !cites.contains(&u) {
                cites.push(u);
            }
        }
        let stance = if rng.below(10) == 0 {
            Stance::Deny
        } else {
            Stance::Support
        };
        reports.push(report(s, c, cites, stance, None));
    }
    let case = Case::from_parts(None, sources, claims, reports);
    let t = Instant::now();
    let ids: Vec<u32> = (0..n_claims as u32).collect();
    let out = analyze(&case, &ids);
    eprintln!(
        "{n_reports} reports over {n_claims} claims: {:?}",
        t.elapsed()
    );
    assert_eq!(out.len(), n_claims);
}
