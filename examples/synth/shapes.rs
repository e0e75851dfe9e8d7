//! Named shapes of one claim's citation graph, for benchmarks and for tests
//! that must not depend on one generator's habits. Each shape is a list of
//! the sources each source cites (local indices; source `i` is `s{i}`), with
//! one support report per source.
//!
//! | shape | what it is |
//! | --- | --- |
//! | `uniform` | every source after the first few cites random earlier sources, `citations / sources` on average |
//! | `pa` | preferential attachment: earlier sources cited in proportion to how often they already are |
//! | `layered` | layers of 1,000; every source cites 3 sources of the layer before |
//! | `ladder` | two long parallel chains with rungs, and a fresh origin at every step |
//! | `hubs` | 20 hubs; every source cites two hubs and one random earlier source |
//! | `star` | one report citing every other source |
//! | `giant` | `uniform` plus back-citations (a source citing a later one) that make one giant circular component |
//! | `bottleneck` | `layered`, with every tenth layer only 2 sources wide: many sources with 3 predecessors and 2 chains |
//! | `chain` | a single chain of citations, every source citing the one before |

use std::io::Write;

use super::synth_core::Rng;

/// Every shape name, in the order of the table above.
pub const SHAPES: [&str; 9] = [
    "uniform",
    "pa",
    "layered",
    "ladder",
    "hubs",
    "star",
    "giant",
    "bottleneck",
    "chain",
];

/// The cites of every source of a graph of `shape` with `n` sources and
/// about `citations` citations (where the shape lets it choose), `back`
/// back-citations for `giant`.
pub fn shape(
    name: &str,
    n: usize,
    citations: usize,
    back: usize,
    seed: u64,
) -> Result<Vec<Vec<u32>>, String> {
    let mut rng = Rng::new(seed);
    let mut cites: Vec<Vec<u32>> = vec![Vec::new(); n];
    let n32 = n as u32;
    let add = |cites: &mut Vec<Vec<u32>>, v: usize, u: u32| {
        if u as usize != v && !cites[v].contains(&u) {
            cites[v].push(u);
        }
    };
    match name {
        "uniform" | "giant" => {
            let first = (n / 100).clamp(1, 1000);
            let per = citations as f64 / (n - first).max(1) as f64;
            let mut owed = 0.0;
            for v in first..n {
                owed += per;
                let k = (owed as usize).min(v);
                owed -= k as f64;
                for _ in 0..k {
                    add(&mut cites, v, rng.below(v) as u32);
                }
            }
            if name == "giant" {
                let mut made = 0;
                let mut tries = 0;
                while made < back && tries < 100 * (back + 1) {
                    tries += 1;
                    let v = first + rng.below(n - first - 1);
                    let u = (v + 1 + rng.below(n - v - 1)) as u32;
                    let before = cites[v].len();
                    add(&mut cites, v, u);
                    made += cites[v].len() - before;
                }
            }
        }
        "pa" => {
            let first = (n / 100).clamp(1, 1000);
            let per = (citations / (n - first).max(1)).max(1);
            let mut pool: Vec<u32> = (0..first as u32).collect();
            for v in first..n {
                for _ in 0..per.min(v) {
                    let u = if rng.chance(0.8) {
                        pool[rng.below(pool.len())]
                    } else {
                        rng.below(v) as u32
                    };
                    add(&mut cites, v, u);
                }
                pool.extend_from_slice(&cites[v]);
                pool.push(v as u32);
            }
        }
        "layered" | "bottleneck" => {
            let width = 1000usize.min(n / 4).max(4);
            let mut layers: Vec<(usize, usize)> = Vec::new();
            let mut at = 0;
            while at < n {
                let w = if name == "bottleneck" && layers.len() % 10 == 9 {
                    2
                } else {
                    width
                };
                let w = w.min(n - at);
                layers.push((at, at + w));
                at += w;
            }
            for pair in layers.windows(2) {
                let ((a, b), (c, d)) = (pair[0], pair[1]);
                for v in c..d {
                    for _ in 0..3 {
                        add(&mut cites, v, (a + rng.below(b - a)) as u32);
                    }
                }
            }
        }
        "ladder" => {
            // Steps of three sources: a_i, b_i and a fresh origin o_i.
            let steps = n / 3;
            let (a, b, o) = (|i: usize| 3 * i, |i: usize| 3 * i + 1, |i: usize| 3 * i + 2);
            for i in 1..steps {
                add(&mut cites, a(i), a(i - 1) as u32);
                add(&mut cites, a(i), b(i - 1) as u32);
                add(&mut cites, a(i), o(i) as u32);
                add(&mut cites, b(i), b(i - 1) as u32);
                add(&mut cites, b(i), a(i - 1) as u32);
                add(&mut cites, b(i), a(i) as u32);
            }
        }
        "hubs" => {
            let hubs = 20.min(n);
            for v in hubs..n {
                add(&mut cites, v, rng.below(hubs) as u32);
                add(&mut cites, v, rng.below(hubs) as u32);
                add(&mut cites, v, rng.below(v) as u32);
            }
        }
        "star" => {
            cites[0] = (1..n32).collect();
        }
        "chain" => {
            for (v, c) in cites.iter_mut().enumerate().skip(1) {
                c.push(v as u32 - 1);
            }
        }
        other => {
            return Err(format!(
                "unknown shape {other:?}; the shapes are {}",
                SHAPES.join(", ")
            ))
        }
    }
    Ok(cites)
}

/// The names of the `n` sources: `s{i}` for source `i`, or with
/// `shuffled`, the numbers `0..n` dealt out in an order drawn from `seed`,
/// so that the order of the ids says nothing of the shape. The shapes number
/// their sources in the order they cite each other (a chain's `s{i}` cites
/// `s{i-1}`); a researcher's ids follow no such order.
pub fn names(n: usize, shuffled: bool, seed: u64) -> Vec<u32> {
    let mut names: Vec<u32> = (0..n as u32).collect();
    if shuffled {
        // A stream of draws apart from the shape's own, made from the same
        // seed.
        let mut rng = Rng::new(seed ^ 0x1d5);
        for i in (1..n).rev() {
            names.swap(i, rng.below(i + 1));
        }
    }
    names
}

/// Writes a shape as a CSV table of reports of one claim `c0`, source `i`
/// named `s{names[i]}`.
pub fn write_csv<W: Write>(cites: &[Vec<u32>], names: &[u32], out: W) -> std::io::Result<usize> {
    let mut w = std::io::BufWriter::new(out);
    w.write_all(b"source,claim,cites\n")?;
    let mut total = 0;
    for (v, c) in cites.iter().enumerate() {
        write!(w, "s{},c0,", names[v])?;
        for (i, u) in c.iter().enumerate() {
            if i > 0 {
                w.write_all(b";")?;
            }
            write!(w, "s{}", names[*u as usize])?;
        }
        w.write_all(b"\n")?;
        total += c.len();
    }
    w.flush()?;
    Ok(total)
}
