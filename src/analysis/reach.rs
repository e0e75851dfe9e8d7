//! roots(X) and reach: which root groups reach which sources.
//!
//! One bit per root group (and per loop, for its reach) is propagated along
//! the topological order of the components: a component's bits are the union
//! of its predecessors'. roots(X) is the number of root-group bits of X's
//! component; the reach of a group is the number of sources, outside it,
//! whose component has its bit.
//!
//! # Complexity
//!
//! *O((n + m) · ⌈s / 4096⌉ + (n_r + m_r) · ⌈s / 64⌉ + Σ set bits)* time for
//! `s` seeds, where `n_r` and `m_r` count the sources and citations each
//! chunk of at most 4096 seeds reaches: rows are kept only for the
//! components a chunk reaches, so memory stays *O(n_r · min(s, 4096) / 64)*
//! words.
//!
//! # Example
//!
//! In the diamond `a → b`, `a → c`, `b → d`, `c → d` with a second origin
//! `e → d`: roots(d) = 2 (`a` and `e`), roots(b) = 1; reach(a) = 3 (`b`,
//! `c`, `d`), reach(e) = 1.

use super::components::Components;
use super::NONE;
use crate::graph::ClaimGraph;

/// The most root groups whose bitsets are propagated at once.
const CHUNK: usize = 4096;

/// What propagating the seeds' bitsets gives.
pub(super) struct Spread {
    /// For each component, how many root seeds reach it.
    pub(super) roots: Vec<u32>,
    /// For each seed, how many nodes outside it it reaches.
    pub(super) reach: Vec<u32>,
}

/// Propagates, along the topological order of the components, one bit per
/// seed component; the first `n_roots` seeds are root groups and are the only
/// ones counted in [`Spread::roots`].
///
/// # Complexity
///
/// *O((n + m) · ⌈s / 4096⌉ + (n_r + m_r) · ⌈s / 64⌉ + Σ set bits)* time for
/// `s` seeds, `n_r` and `m_r` being the sources and citations a chunk of
/// seeds reaches, and *O(n_r · min(s, 4096) / 64)* words of memory.
pub(super) fn propagate(g: &ClaimGraph, cs: &Components, seeds: &[u32], n_roots: usize) -> Spread {
    let k = cs.len();
    let size = |c: usize| cs.offsets[c + 1] - cs.offsets[c];
    let mut roots = vec![0u32; k];
    let mut reach = vec![0u32; seeds.len()];
    // Rows only for the components a chunk's seeds reach: `slot[c]` is the
    // row of component `c`, or NONE. Many root groups that each reach a few
    // sources (one report citing 200,000 sources) then cost what they reach,
    // not a row for every component.
    let mut slot = vec![NONE; k];
    let mut bits: Vec<u64> = Vec::new();
    let mut acc: Vec<u64> = Vec::new();
    for start in (0..seeds.len()).step_by(CHUNK) {
        let chunk = &seeds[start..seeds.len().min(start + CHUNK)];
        let words = chunk.len().div_ceil(64);
        slot.fill(NONE);
        bits.clear();
        let first = chunk.iter().copied().min().unwrap_or(0) as usize;
        for (j, &c) in chunk.iter().enumerate() {
            if slot[c as usize] == NONE {
                slot[c as usize] = (bits.len() / words) as u32;
                bits.resize(bits.len() + words, 0);
            }
            bits[slot[c as usize] as usize * words + j / 64] |= 1 << (j % 64);
        }
        // Sizes added to all 64 seeds of a word at once, for full words.
        let mut full = vec![0u32; words];
        for c in first..k {
            acc.clear();
            acc.resize(words, 0);
            let mut reached = slot[c] != NONE;
            for &v in cs.members(c as u32) {
                for &p in g.predecessors(v) {
                    let cp = cs.comp[p as usize] as usize;
                    let sp = slot[cp];
                    if cp != c && sp != NONE {
                        reached = true;
                        let from = &bits[sp as usize * words..(sp as usize + 1) * words];
                        for (a, b) in acc.iter_mut().zip(from) {
                            *a |= *b;
                        }
                    }
                }
            }
            if !reached {
                continue;
            }
            if slot[c] == NONE {
                slot[c] = (bits.len() / words) as u32;
                bits.extend_from_slice(&acc);
            } else {
                let row = &mut bits[slot[c] as usize * words..(slot[c] as usize + 1) * words];
                for (a, b) in row.iter_mut().zip(&acc) {
                    *a |= *b;
                }
            }
            let row = &bits[slot[c] as usize * words..(slot[c] as usize + 1) * words];
            let sz = size(c);
            for (w, &x) in row.iter().enumerate() {
                if x == 0 {
                    continue;
                }
                let base = start + w * 64;
                let root_bits = if base + 64 <= n_roots {
                    x
                } else if base >= n_roots {
                    0
                } else {
                    x & ((1u64 << (n_roots - base)) - 1)
                };
                roots[c] += root_bits.count_ones();
                if x == u64::MAX {
                    full[w] += sz;
                } else {
                    let mut y = x;
                    while y != 0 {
                        reach[base + y.trailing_zeros() as usize] += sz;
                        y &= y - 1;
                    }
                }
            }
        }
        for (w, &f) in full.iter().enumerate() {
            if f != 0 {
                for r in &mut reach[start + w * 64..start + w * 64 + 64] {
                    *r += f;
                }
            }
        }
    }
    // Each seed counted its own component too.
    for (r, &c) in reach.iter_mut().zip(seeds) {
        *r -= size(c as usize);
    }
    Spread { roots, reach }
}
