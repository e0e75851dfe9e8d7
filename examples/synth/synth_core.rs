//! Synthetic rumorgraph cases for benchmarks: the core shared by
//! `examples/synth/main.rs` and the criterion benches (which include this file with
//! `#[path]`). Standard library and serde_json only; the output is a pure
//! function of the configuration and the seed.
//!
//! The shape imitates what researchers encode:
//!
//! - **cascade sizes** per claim are heavy-tailed (Lomax, alpha 1.3): most
//!   claims have a handful of reports, a few have tens of thousands;
//! - inside a claim, sources report one after another; each is first-hand (a
//!   root) with a small probability, otherwise it cites 1 earlier source, and
//!   some cite 2-4 (fan-in); cited sources are picked by **preferential
//!   attachment** (probability grows with how often a source is already
//!   cited), so a few wire agencies become **relays** that most others go
//!   through;
//! - a few **cycles**: now and then a source also cites a later source that
//!   cites it (circular reporting, and "cites a later report" warnings);
//! - **anonymous** sources (about 4% of all source ids) are always first-hand;
//!   JSON output declares them with kind `anonymous`. CSV has no place to
//!   declare a source, so in CSV output every source is of kind `unknown` and
//!   no origin is anonymous;
//! - stances: about 5% deny, 2% query, 1% comment, the rest support; about 6%
//!   of sources report a claim a second time, later;
//! - dates: 60% `YYYY-MM-DD`, 15% `YYYY-MM`, 5% `YYYY`, 20% missing, rising
//!   through each claim's cascade;
//! - no report cites its own source and no report names a cited source twice.
//!
//! Ids are `s123` for sources and `c45` for claims; the reports come out in a
//! shuffled order, as in a table merged from many articles.

#![allow(dead_code)]

use std::io::{self, Write};

/// The file format to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynthFormat {
    Csv,
    Json,
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Config {
    /// Number of claims (ignored with `one_claim`).
    pub claims: usize,
    /// Number of reports over all claims (ignored with `one_claim`).
    pub reports: usize,
    pub seed: u64,
    /// Size of the pool of source ids shared by all claims; by default
    /// `max(1000, reports / 10)`.
    pub max_sources: Option<usize>,
    /// One claim with exactly this many sources (one support report each)
    /// and this many citations in all.
    pub one_claim: Option<(usize, usize)>,
    /// The Pareto exponent of the claim sizes (default 1.3); smaller is a
    /// steeper power law with larger claims.
    pub alpha: f64,
    pub format: SynthFormat,
}

impl Config {
    pub fn new(claims: usize, reports: usize, seed: u64, format: SynthFormat) -> Config {
        Config {
            claims,
            reports,
            seed,
            max_sources: None,
            one_claim: None,
            alpha: 1.3,
            format,
        }
    }

    pub fn one_claim(sources: usize, citations: usize, seed: u64, format: SynthFormat) -> Config {
        Config {
            claims: 1,
            reports: sources,
            seed,
            max_sources: None,
            one_claim: Some((sources, citations)),
            alpha: 1.3,
            format,
        }
    }
}

/// What was generated, for the example's summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub claims: usize,
    pub reports: usize,
    pub sources: usize,
    pub citations: usize,
    pub anonymous: usize,
    pub cycle_edges: usize,
}

/// SplitMix64: small, fast, and good enough for test data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform in `[0, n)`; `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The kind of a source id, fixed per id and seed so that a source is
/// anonymous in every claim it appears in.
fn kind_of(seed: u64, source: u32) -> &'static str {
    match mix(seed ^ 0xa076_1d64_78bd_642f ^ ((source as u64) << 20)) % 100 {
        0..=3 => "anonymous",
        4..=53 => "outlet",
        54..=71 => "person",
        72..=81 => "agency",
        82..=93 => "social",
        _ => "document",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stance {
    Support,
    Deny,
    Query,
    Comment,
}

/// A date and how much of it is written (0 = no date).
#[derive(Clone, Copy, Debug)]
struct Date {
    day: i64,
    precision: u8,
}

struct Report {
    claim: u32,
    source: u32,
    cites: Vec<u32>,
    stance: Stance,
    date: Date,
}

/// One claim's cascade: local source `i` reports at time rank `i`.
struct Cascade {
    /// `cites[i]`: the local sources that source `i` cites.
    cites: Vec<Vec<u32>>,
    cycle_edges: usize,
}

/// Builds the citation structure of one claim with `n` sources.
/// `anonymous[i]` forces source `i` to be first-hand. With `exact`, the
/// cascade has exactly that many citations.
fn cascade(rng: &mut Rng, anonymous: &[bool], exact: Option<usize>) -> Cascade {
    let n = anonymous.len();
    let mut root = vec![false; n];
    for i in 0..n {
        root[i] = i == 0 || anonymous[i] || rng.chance((0.5 / (1.0 + i as f64)).max(0.05));
    }
    // How many citations each source makes (0 for roots), and the cycle edges.
    let mut count = vec![0usize; n];
    let cycle_target;
    match exact {
        None => {
            for i in 1..n {
                if !root[i] {
                    count[i] = (1 + geometric(rng, 0.7)).min(4).min(i);
                }
            }
            cycle_target = (0..n).filter(|_| rng.chance(0.003)).count();
        }
        Some(total) => {
            cycle_target = if n >= 50 { (n / 500).max(1) } else { 0 };
            let budget = total.saturating_sub(cycle_target);
            // Too few citations for every non-root to cite once: more roots, latest first.
            let mut non_roots = root.iter().filter(|r| !**r).count();
            let mut i = n;
            while non_roots > budget && i > 1 {
                i -= 1;
                if !root[i] {
                    root[i] = true;
                    non_roots -= 1;
                }
            }
            let cap = |i: usize| i.min(200);
            let room: usize = (1..n).filter(|&i| !root[i]).map(cap).sum();
            assert!(
                budget <= room,
                "{total} citations do not fit among {n} sources"
            );
            let mean = if non_roots == 0 {
                0.0
            } else {
                budget as f64 / non_roots as f64 - 1.0
            };
            let mut sum = 0;
            for i in 1..n {
                if !root[i] {
                    count[i] = (1 + geometric(rng, mean)).min(cap(i));
                    sum += count[i];
                }
            }
            let candidates: Vec<usize> = (1..n).filter(|&i| !root[i]).collect();
            while sum != budget {
                let i = candidates[rng.below(candidates.len())];
                if sum > budget && count[i] > 1 {
                    count[i] -= 1;
                    sum -= 1;
                } else if sum < budget && count[i] < cap(i) {
                    count[i] += 1;
                    sum += 1;
                }
            }
        }
    }

    // Preferential attachment: every source is in `pool` once, plus once
    // for each time it is cited.
    let mut pool: Vec<u32> = Vec::with_capacity(n + count.iter().sum::<usize>());
    let mut cites: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut a_child: Vec<u32> = vec![u32::MAX; n];
    for i in 0..n {
        let k = count[i];
        let mut mine: Vec<u32> = Vec::with_capacity(k);
        if k >= i {
            mine.extend(0..i as u32);
        } else {
            let mut tries = 0;
            while mine.len() < k {
                // Mostly by popularity, sometimes anyone earlier.
                let u = if tries < 32 && rng.chance(0.8) {
                    pool[rng.below(pool.len())]
                } else {
                    rng.below(i) as u32
                };
                tries += 1;
                if !mine.contains(&u) {
                    mine.push(u);
                }
            }
        }
        for &u in &mine {
            pool.push(u);
            a_child[u as usize] = i as u32;
        }
        pool.push(i as u32);
        cites[i] = mine;
    }

    // Cycles: a source also cites a later source that cites it.
    let mut cycle_edges = 0;
    let mut tries = 0;
    while cycle_edges < cycle_target && tries < 100 * (cycle_target + 1) {
        tries += 1;
        let i = rng.below(n);
        let j = a_child[i];
        if j == u32::MAX || anonymous[i] || cites[i].contains(&j) {
            continue;
        }
        cites[i].push(j);
        cycle_edges += 1;
    }
    // Should candidates run out, the missing citations go to earlier sources.
    if exact.is_some() {
        while cycle_edges < cycle_target {
            let i = 1 + rng.below(n - 1);
            if anonymous[i] || cites[i].len() >= i {
                continue;
            }
            if let Some(u) = (0..i as u32).find(|u| !cites[i].contains(u)) {
                cites[i].push(u);
                cycle_edges += 1;
            }
        }
    }
    Cascade { cites, cycle_edges }
}

/// Failures before the first success, with the given mean (0 when mean <= 0).
fn geometric(rng: &mut Rng, mean: f64) -> usize {
    if mean <= 0.0 {
        return 0;
    }
    let p = 1.0 / (1.0 + mean);
    let u = 1.0 - rng.unit(); // (0, 1]
    (u.ln() / (1.0 - p).ln()).floor() as usize
}

/// Reports per claim: Pareto weights scaled to `total`, every claim at least one.
fn claim_sizes(rng: &mut Rng, claims: usize, total: usize, alpha: f64) -> Vec<usize> {
    assert!(
        claims >= 1 && total >= claims,
        "need at least one report per claim"
    );
    // Lomax (Pareto shifted to start at 0), alpha 1.3 by default, truncated
    // at its expected maximum so that one freak draw cannot swallow the case.
    let cap = (claims as f64).powf(1.0 / alpha);
    let w: Vec<f64> = (0..claims)
        .map(|_| ((1.0 - rng.unit()).powf(-1.0 / alpha) - 1.0).min(cap))
        .collect();
    let sum: f64 = w.iter().sum();
    let spare = (total - claims) as f64;
    let mut sizes: Vec<usize> = w
        .iter()
        .map(|x| 1 + (spare * x / sum).floor() as usize)
        .collect();
    let mut have: usize = sizes.iter().sum();
    // Hand out what flooring left over, largest claims first (deterministic).
    let mut order: Vec<usize> = (0..claims).collect();
    order.sort_by(|&a, &b| w[b].total_cmp(&w[a]).then(a.cmp(&b)));
    let mut k = 0;
    while have < total {
        sizes[order[k % claims]] += 1;
        have += 1;
        k += 1;
    }
    sizes
}

fn coprime_stride(rng: &mut Rng, k: usize) -> usize {
    if k <= 1 {
        return 1;
    }
    let mut s = 1 + rng.below(k - 1);
    while gcd(s, k) != 1 {
        s = s % (k - 1) + 1;
    }
    s
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn pick_stance(rng: &mut Rng) -> Stance {
    match rng.below(100) {
        0..=4 => Stance::Deny,
        5..=6 => Stance::Query,
        7 => Stance::Comment,
        _ => Stance::Support,
    }
}

fn pick_precision(rng: &mut Rng) -> u8 {
    match rng.below(100) {
        0..=59 => 3,
        60..=74 => 2,
        75..=79 => 1,
        _ => 0,
    }
}

/// Days since 2010-01-01 to (year, month, day).
fn civil(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's civil_from_days, shifted to 1970-based days.
    let z = days + 14610 + 719_468; // 2010-01-01 is day 14610 after 1970-01-01
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn write_date(out: &mut Vec<u8>, d: Date) {
    let (y, m, day) = civil(d.day);
    match d.precision {
        1 => write!(out, "{y:04}"),
        2 => write!(out, "{y:04}-{m:02}"),
        3 => write!(out, "{y:04}-{m:02}-{day:02}"),
        _ => Ok(()),
    }
    .expect("writing to memory");
}

fn stance_word(s: Stance) -> &'static str {
    match s {
        Stance::Support => "support",
        Stance::Deny => "deny",
        Stance::Query => "query",
        Stance::Comment => "comment",
    }
}

/// Generates the case and writes it to `out`.
pub fn generate<W: Write>(cfg: &Config, out: W) -> io::Result<Stats> {
    let mut rng = Rng::new(cfg.seed);
    let (sizes, pool) = match cfg.one_claim {
        Some((n, _)) => {
            if let Some(k) = cfg.max_sources {
                assert!(k >= n, "--max-sources is smaller than the claim");
            }
            (vec![n], cfg.max_sources.unwrap_or(n))
        }
        None => (
            claim_sizes(&mut rng, cfg.claims, cfg.reports, cfg.alpha),
            cfg.max_sources.unwrap_or((cfg.reports / 10).max(1000)),
        ),
    };
    assert!(pool >= 1, "the source pool is empty");

    let mut stats = Stats {
        claims: sizes.len(),
        ..Stats::default()
    };
    let mut used = vec![false; pool];
    let mut reports: Vec<Report> = Vec::with_capacity(sizes.iter().sum());
    for (c, &r) in sizes.iter().enumerate() {
        // Sources of this claim and how many of them report twice.
        let (n, repeats) = match cfg.one_claim {
            Some((n, _)) => (n, 0),
            None => {
                let repeats = if r >= 2 {
                    (r as f64 * 0.06) as usize
                } else {
                    0
                };
                let n = (r - repeats).min(pool);
                (n, r - n)
            }
        };
        // Local source i is global source (offset + i * stride) mod pool:
        // distinct within the claim, spread over the pool.
        let offset = rng.below(pool);
        let stride = coprime_stride(&mut rng, pool);
        let global: Vec<u32> = (0..n)
            .map(|i| ((offset + i * stride) % pool) as u32)
            .collect();
        let anonymous: Vec<bool> = global
            .iter()
            .map(|&g| kind_of(cfg.seed, g) == "anonymous")
            .collect();
        let exact = cfg.one_claim.map(|(_, cites)| cites);
        let cas = cascade(&mut rng, &anonymous, exact);
        stats.cycle_edges += cas.cycle_edges;

        let start = rng.below(15 * 365) as i64;
        let span = (n as i64).clamp(1, 720);
        let time = |i: usize| start + (i as i64 * span) / n.max(1) as i64;
        let first = reports.len();
        for (i, cites) in cas.cites.into_iter().enumerate() {
            used[global[i] as usize] = true;
            let stance = if cfg.one_claim.is_some() {
                Stance::Support
            } else {
                pick_stance(&mut rng)
            };
            reports.push(Report {
                claim: c as u32,
                source: global[i],
                cites: cites.into_iter().map(|u| global[u as usize]).collect(),
                stance,
                date: Date {
                    day: time(i),
                    precision: pick_precision(&mut rng),
                },
            });
        }
        // Second reports: a later date, the same stance, the first citation only.
        for _ in 0..repeats {
            let k = first + rng.below(n);
            let again = &reports[k];
            let r = Report {
                claim: again.claim,
                source: again.source,
                cites: again.cites.iter().take(1).copied().collect(),
                stance: again.stance,
                date: Date {
                    day: again.date.day + 1 + rng.below(30) as i64,
                    precision: pick_precision(&mut rng),
                },
            };
            reports.push(r);
        }
    }
    // A table merged from many articles: no particular order.
    for i in (1..reports.len()).rev() {
        let j = rng.below(i + 1);
        reports.swap(i, j);
    }

    stats.reports = reports.len();
    stats.citations = reports.iter().map(|r| r.cites.len()).sum();
    stats.sources = used.iter().filter(|u| **u).count();
    stats.anonymous = (0..pool)
        .filter(|&g| used[g] && kind_of(cfg.seed, g as u32) == "anonymous")
        .count();

    let mut w = io::BufWriter::with_capacity(1 << 20, out);
    match cfg.format {
        SynthFormat::Csv => write_csv(&mut w, &reports)?,
        SynthFormat::Json => write_json(&mut w, cfg, sizes.len(), &used, &reports)?,
    }
    w.flush()?;
    Ok(stats)
}

/// Generates the case into a string (for the benches).
pub fn generate_string(cfg: &Config) -> String {
    let mut buf = Vec::new();
    generate(cfg, &mut buf).expect("writing to memory");
    String::from_utf8(buf).expect("ASCII output")
}

fn write_csv<W: Write>(w: &mut W, reports: &[Report]) -> io::Result<()> {
    w.write_all(b"source,claim,cites,stance,date\n")?;
    let mut line = Vec::with_capacity(256);
    for r in reports {
        line.clear();
        write!(line, "s{},c{},", r.source, r.claim)?;
        for (k, u) in r.cites.iter().enumerate() {
            if k > 0 {
                line.push(b';');
            }
            write!(line, "s{u}")?;
        }
        line.push(b',');
        if r.stance != Stance::Support {
            line.extend_from_slice(stance_word(r.stance).as_bytes());
        }
        line.push(b',');
        write_date(&mut line, r.date);
        line.push(b'\n');
        w.write_all(&line)?;
    }
    Ok(())
}

fn write_json<W: Write>(
    w: &mut W,
    cfg: &Config,
    claims: usize,
    used: &[bool],
    reports: &[Report],
) -> io::Result<()> {
    let title = match cfg.one_claim {
        Some((n, c)) => format!(
            "synthetic: one claim, {n} sources, {c} citations, seed {}",
            cfg.seed
        ),
        None => format!(
            "synthetic: {} reports over {} claims, seed {}",
            cfg.reports, cfg.claims, cfg.seed
        ),
    };
    write!(
        w,
        "{{\n\"title\": {},\n\"sources\": [",
        serde_json::to_string(&title)?
    )?;
    let mut first = true;
    for (g, _) in used.iter().enumerate().filter(|(_, u)| **u) {
        let sep = if first { "\n" } else { ",\n" };
        first = false;
        write!(
            w,
            "{sep}{{\"id\": \"s{g}\", \"kind\": \"{}\"}}",
            kind_of(cfg.seed, g as u32)
        )?;
    }
    w.write_all(b"\n],\n\"claims\": [")?;
    for c in 0..claims {
        let sep = if c == 0 { "\n" } else { ",\n" };
        write!(
            w,
            "{sep}{{\"id\": \"c{c}\", \"text\": \"synthetic claim {c}\"}}"
        )?;
    }
    w.write_all(b"\n],\n\"reports\": [")?;
    let mut line = Vec::with_capacity(256);
    for (k, r) in reports.iter().enumerate() {
        line.clear();
        line.extend_from_slice(if k == 0 { b"\n" } else { b",\n" });
        write!(
            line,
            "{{\"source\": \"s{}\", \"claim\": \"c{}\"",
            r.source, r.claim
        )?;
        if !r.cites.is_empty() {
            line.extend_from_slice(b", \"cites\": [");
            for (k, u) in r.cites.iter().enumerate() {
                if k > 0 {
                    line.extend_from_slice(b", ");
                }
                write!(line, "\"s{u}\"")?;
            }
            line.push(b']');
        }
        if r.stance != Stance::Support {
            write!(line, ", \"stance\": \"{}\"", stance_word(r.stance))?;
        }
        if r.date.precision > 0 {
            line.extend_from_slice(b", \"date\": \"");
            write_date(&mut line, r.date);
            line.push(b'"');
        }
        line.push(b'}');
        w.write_all(&line)?;
    }
    w.write_all(b"\n]\n}\n")?;
    Ok(())
}
