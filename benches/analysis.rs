//! Analysis and its JSON: every claim of 100,000 synthetic reports over 1,000
//! claims (`analysis::analyze`, spread over rayon's threads), one claim of
//! 20,000 sources and 60,000 citations (`analysis::analyze_claim`), a
//! support graph on its own (`graph::build`), and the `analyze --format json`
//! text of the many-claim case (`report::json`). Inputs come from the same
//! generator as `cargo run --example synth`, in JSON so that anonymous
//! origins are declared.

#[path = "../examples/synth/synth_core.rs"]
mod synth_core;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rumorgraph::analysis::{analyze, analyze_claim};
use rumorgraph::export as report;
use rumorgraph::graph;
use rumorgraph::load::{load_str, Format, LoadOptions, Loaded};
use rumorgraph::model::Stance;
use synth_core::{generate_string, Config, SynthFormat};

fn load(cfg: &Config) -> Loaded {
    let text = generate_string(cfg);
    load_str("bench.json", &text, Format::Json, &LoadOptions::default())
        .expect("the synthetic case loads")
}

fn many_claims(c: &mut Criterion) {
    let loaded = load(&Config::new(1_000, 100_000, 1, SynthFormat::Json));
    let case = &loaded.case;
    let claims: Vec<u32> = (0..case.claims.len() as u32).collect();
    let mut g = c.benchmark_group("analysis");
    g.throughput(Throughput::Elements(case.reports.len() as u64));
    g.bench_function("analyze_100k_reports_1k_claims", |b| {
        b.iter(|| black_box(analyze(case, black_box(&claims))))
    });
    let analyses = analyze(case, &claims);
    g.bench_function("json_100k_reports_1k_claims", |b| {
        b.iter(|| black_box(report::json(case, &analyses, &loaded.warnings)).len())
    });
    g.finish();
}

fn one_claim(c: &mut Criterion) {
    let loaded = load(&Config::one_claim(20_000, 60_000, 1, SynthFormat::Json));
    let case = &loaded.case;
    let reports: Vec<u32> = (0..case.reports.len() as u32).collect();
    let mut g = c.benchmark_group("analysis");
    g.throughput(Throughput::Elements(case.reports.len() as u64));
    g.bench_function("graph_build_20k_sources_60k_citations", |b| {
        b.iter(|| black_box(graph::build(case, black_box(&reports), Stance::Support)))
    });
    g.bench_function("analyze_claim_20k_sources_60k_citations", |b| {
        b.iter(|| black_box(analyze_claim(case, 0, black_box(&reports))))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = many_claims, one_claim
}
criterion_main!(benches);
