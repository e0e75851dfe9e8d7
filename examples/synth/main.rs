//! Writes a synthetic rumorgraph case for benchmarks.
//!
//! ```text
//! cargo run --release --example synth -- --claims 10000 --reports 1000000 -o big.csv
//! cargo run --release --example synth -- --one-claim-sources 100000 --citations 300000 -o one.csv
//! ```
//!
//! Options: `--claims N`, `--reports M`, `--seed S` (default 1),
//! `--max-sources K` (the pool of source ids the claims share; default
//! max(1000, M/10)), `--format csv|json` (default: from the extension of
//! `-o`, else csv), `-o FILE` (default standard output). With
//! `--one-claim-sources N --citations C` it writes one claim `c0` with exactly
//! N sources, one support report each, and exactly C citations.
//!
//! With `--shape NAME --sources N [--citations C] [--back B]` it writes one
//! claim of a named shape (see `synth/shapes.rs`: uniform, pa, layered,
//! ladder, hubs, star, giant, bottleneck, chain). `--alpha A` sets the Pareto
//! exponent of the claim sizes of a corpus (default 1.3; 0.7 gives a steeper
//! power law whose largest claim of a million reports passes 150,000).
//! `--shuffle-ids` names a shape's sources in an order drawn from the seed
//! instead of the order in which they cite each other.
//!
//! The same seed gives the same bytes. See `synth/synth_core.rs` for the shape of
//! the data; note that CSV cannot declare sources, so anonymous origins only
//! exist in JSON output.

mod shapes;
mod synth_core;

use std::process::ExitCode;

use synth_core::{generate, Config, SynthFormat};

const USAGE: &str = "usage: synth (--claims N --reports M [--alpha A] | --one-claim-sources N --citations C \
| --shape NAME --sources N [--citations C] [--back B] [--shuffle-ids]) [--seed S] [--max-sources K] [--format csv|json] [-o FILE]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut claims = None;
    let mut reports = None;
    let mut one_sources = None;
    let mut citations = None;
    let mut seed = 1u64;
    let mut max_sources = None;
    let mut format = None;
    let mut output: Option<String> = None;
    let mut shape_name: Option<String> = None;
    let mut sources = None;
    let mut back = 30_000usize;
    let mut alpha = 1.3f64;
    let mut shuffle_ids = false;

    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        let num = |name: &str, v: String| -> Result<usize, String> {
            v.replace('_', "")
                .parse()
                .map_err(|_| format!("{name}: {v:?} is not a number"))
        };
        match a.as_str() {
            "--claims" => claims = Some(num(&a, value(&a)?)?),
            "--reports" => reports = Some(num(&a, value(&a)?)?),
            "--one-claim-sources" => one_sources = Some(num(&a, value(&a)?)?),
            "--citations" => citations = Some(num(&a, value(&a)?)?),
            "--seed" => seed = num(&a, value(&a)?)? as u64,
            "--shape" => shape_name = Some(value(&a)?),
            "--sources" => sources = Some(num(&a, value(&a)?)?),
            "--back" => back = num(&a, value(&a)?)?,
            "--alpha" => {
                let v = value(&a)?;
                alpha = v
                    .parse()
                    .map_err(|_| format!("--alpha: {v:?} is not a number"))?
            }
            "--max-sources" => max_sources = Some(num(&a, value(&a)?)?),
            "--format" => {
                format = Some(match value(&a)?.as_str() {
                    "csv" => SynthFormat::Csv,
                    "json" => SynthFormat::Json,
                    other => return Err(format!("--format: {other:?} is not csv or json")),
                })
            }
            "--shuffle-ids" => shuffle_ids = true,
            "-o" | "--output" => output = Some(value(&a)?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if let Some(name) = shape_name {
        let n = sources.ok_or("--shape needs --sources")?;
        let cites = shapes::shape(&name, n, citations.unwrap_or(3 * n), back, seed)?;
        let names = shapes::names(n, shuffle_ids, seed);
        let total = match &output {
            Some(path) => {
                let f = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
                shapes::write_csv(&cites, &names, f).map_err(|e| format!("{path}: {e}"))?
            }
            None => shapes::write_csv(&cites, &names, std::io::stdout().lock())
                .map_err(|e| e.to_string())?,
        };
        eprintln!("synth: shape {name}, 1 claim, {n} sources, {total} citations");
        return Ok(());
    }
    let format = format.unwrap_or(match &output {
        Some(o) if o.ends_with(".json") => SynthFormat::Json,
        _ => SynthFormat::Csv,
    });
    let mut cfg = match (one_sources, citations, claims, reports) {
        (Some(n), Some(c), None, None) => Config::one_claim(n, c, seed, format),
        (None, None, Some(c), Some(r)) if c >= 1 && r >= c => Config::new(c, r, seed, format),
        (None, None, Some(_), Some(_)) => {
            return Err("need at least one claim and one report per claim".into())
        }
        _ => {
            return Err(
                "give --claims and --reports, or --one-claim-sources and --citations".into(),
            )
        }
    };
    cfg.max_sources = max_sources;
    cfg.alpha = alpha;

    let stats = match &output {
        Some(path) => {
            let f = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
            generate(&cfg, f).map_err(|e| format!("{path}: {e}"))?
        }
        None => generate(&cfg, std::io::stdout().lock()).map_err(|e| e.to_string())?,
    };
    eprintln!(
        "synth: {} claims, {} reports, {} sources ({} anonymous{}), {} citations ({} closing a cycle)",
        stats.claims,
        stats.reports,
        stats.sources,
        stats.anonymous,
        if format == SynthFormat::Csv {
            ", not declared in CSV"
        } else {
            ""
        },
        stats.citations,
        stats.cycle_edges
    );
    Ok(())
}
