//! Loading: CSV and JSON tables of 100,000 synthetic reports over 1,000
//! claims, parsed, checked and interned into a `Case` (`load_str`, so no
//! file I/O). The inputs come from the same generator as
//! `cargo run --example synth`.

#[path = "../examples/synth/synth_core.rs"]
mod synth_core;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rumorgraph::load::{load_str, Format, LoadOptions};
use synth_core::{generate_string, Config, SynthFormat};

const REPORTS: usize = 100_000;
const CLAIMS: usize = 1_000;

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.throughput(Throughput::Elements(REPORTS as u64));
    for (name, format, synth) in [
        ("csv", Format::Csv, SynthFormat::Csv),
        ("json", Format::Json, SynthFormat::Json),
    ] {
        let text = generate_string(&Config::new(CLAIMS, REPORTS, 1, synth));
        let file = format!("bench.{name}");
        g.bench_function(format!("{name}_100k_reports"), |b| {
            b.iter(|| {
                let loaded = load_str(&file, black_box(&text), format, &LoadOptions::default())
                    .expect("the synthetic case loads");
                black_box(loaded.case.reports.len())
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = load
}
criterion_main!(benches);
