//! Graphviz output: the DOT text of every claim of 10,000 synthetic reports
//! over 100 claims (`dot::render`; rendering a picture needs Graphviz and is
//! not measured). Inputs come from the same generator as
//! `cargo run --example synth`.

#[path = "../examples/synth/synth_core.rs"]
mod synth_core;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rumorgraph::analysis::analyze;
use rumorgraph::export::dot;
use rumorgraph::load::{load_str, Format, LoadOptions};
use synth_core::{generate_string, Config, SynthFormat};

fn render(c: &mut Criterion) {
    let text = generate_string(&Config::new(100, 10_000, 1, SynthFormat::Json));
    let loaded = load_str("bench.json", &text, Format::Json, &LoadOptions::default())
        .expect("the synthetic case loads");
    let case = &loaded.case;
    let claims: Vec<u32> = (0..case.claims.len() as u32).collect();
    let analyses = analyze(case, &claims);
    let mut g = c.benchmark_group("dot");
    g.throughput(Throughput::Elements(case.reports.len() as u64));
    g.bench_function("render_10k_reports_100_claims", |b| {
        b.iter(|| black_box(dot::render(case, black_box(&analyses))).len())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = render
}
criterion_main!(benches);
