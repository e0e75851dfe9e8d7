//! roots(X) and reach: which root groups reach which sources.
//!
//! One bit per root group (and per loop, for its reach) is propagated along
//! the topological order of the components: a component's bits are the union
//! of its predecessors'. roots(X) is the number of root-group bits of X's
//! component; the reach of a group is the number of sources, outside it,
//! whose component has its bit. With 1,024 seeds or more, each component's
//! seeds are first kept as a sorted list instead, which costs what the
//! sources stand on rather than a row of bits for every seed; past a budget
//! (eight seeds a source and citation, and at most a sixteenth of the rows'
//! work), the bits take over. The reach of the seeds of one word of bits is
//! summed word-wise, as binary numbers are added, not bit by bit.
//!
//! # Complexity
//!
//! *O((n + m) · ⌈s / 4096⌉ + (n_r + m_r) · ⌈s / 64⌉ · log n)* time for
//! `s` seeds, where `n_r` and `m_r` count the sources and citations each
//! chunk of at most 4096 seeds reaches: rows are kept only for the
//! components a chunk reaches, so memory stays *O(n_r · min(s, 4096) / 64)*
//! words. The lists, when they stay within their budget, take less.
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
/// *O((n + m) · ⌈s / 4096⌉ + (n_r + m_r) · ⌈s / 64⌉ · log n)* time for
/// `s` seeds, `n_r` and `m_r` being the sources and citations a chunk of
/// seeds reaches, and *O(n_r · min(s, 4096) / 64)* words of memory.
pub(super) fn propagate(g: &ClaimGraph, cs: &Components, seeds: &[u32], n_roots: usize) -> Spread {
    if seeds.len() >= SPARSE_SEEDS {
        // Lists are worth it while they hold a few seeds a source: at most
        // eight a source and citation, and a sixteenth of the rows' words.
        let dense_words = (g.len() + g.edge_count()) * seeds.len().div_ceil(64);
        let budget = (dense_words / 16).min(8 * (g.len() + g.edge_count()));
        if let Some(spread) = sparse(g, cs, seeds, n_roots, budget) {
            return spread;
        }
    }
    dense(g, cs, seeds, n_roots)
}

/// The figures of [`sparse`] and [`dense`], whose reaches so far count each
/// seed's own component too, without it.
fn own_left_out(mut spread: Spread, cs: &Components, seeds: &[u32]) -> Spread {
    for (r, &c) in spread.reach.iter_mut().zip(seeds) {
        *r -= cs.members(c).len() as u32;
    }
    spread
}

/// From this many seeds on, [`propagate`] first tries [`sparse`].
const SPARSE_SEEDS: usize = 1024;

/// [`propagate`] with each component's seeds as a sorted list, not a row of
/// bits; `None` as soon as the seeds gathered from predecessors (repeats
/// included, so at least the lists kept) pass `budget`.
///
/// A claim with thousands of root groups whose sources each stand on a few
/// of them (the largest claim of the steep corpus: 11,537 root groups,
/// roots(X) 3.3 on average and at most 27) takes a row of 4,096 bits for
/// each component in each of three rounds with bits: 0.096 s, against
/// 0.010 s with lists. The lists of a graph where most sources stand on
/// most groups would be many times the bits, hence the budget, after which
/// the bits take over.
///
/// # Complexity
///
/// *O(n + m + B log B)* time and *O(n + B)* memory for a budget of `B`.
fn sparse(
    g: &ClaimGraph,
    cs: &Components,
    seeds: &[u32],
    n_roots: usize,
    budget: usize,
) -> Option<Spread> {
    let k = cs.len();
    let mut seed_of = vec![NONE; k];
    for (j, &c) in seeds.iter().enumerate() {
        seed_of[c as usize] = j as u32;
    }
    let mut roots = vec![0u32; k];
    let mut reach = vec![0u32; seeds.len()];
    // The seeds of component `c` are `lists[ends[c]..ends[c + 1]]`, sorted.
    let mut ends = Vec::with_capacity(k + 1);
    ends.push(0usize);
    let mut lists: Vec<u32> = Vec::new();
    let mut set: Vec<u32> = Vec::new();
    let mut gathered = 0;
    for c in 0..k {
        set.clear();
        if seed_of[c] != NONE {
            set.push(seed_of[c]);
        }
        for &v in cs.members(c as u32) {
            for &p in g.predecessors(v) {
                let cp = cs.comp[p as usize] as usize;
                if cp != c {
                    set.extend_from_slice(&lists[ends[cp]..ends[cp + 1]]);
                }
            }
        }
        gathered += set.len();
        if gathered > budget {
            return None;
        }
        if set.len() > 1 {
            set.sort_unstable();
            set.dedup();
        }
        roots[c] = set.partition_point(|&j| (j as usize) < n_roots) as u32;
        let sz = cs.members(c as u32).len() as u32;
        for &j in &set {
            reach[j as usize] += sz;
        }
        lists.extend_from_slice(&set);
        ends.push(lists.len());
    }
    Some(own_left_out(Spread { roots, reach }, cs, seeds))
}

/// [`propagate`] with one bit a seed, in chunks of at most [`CHUNK`] seeds.
///
/// Each chunk reads the whole graph once, and its rows of bits. With 512
/// seeds or more, reading the rows outweighs reading the graph: seeds that
/// fit in one chunk a thread are split into that many, each chunk on a
/// thread of rayon's. The 1,000 origins of a claim of 100,000 sources took
/// 0.071-0.074 s as one chunk, 0.032-0.038 s as two at once. More seeds
/// than that are taken a chunk at a time: two chunks of 4,096 seeds at once
/// hold tens of megabytes of rows between them, and the ladder's nine took
/// as long two at a time as one after the other (about 0.27 s).
fn dense(g: &ClaimGraph, cs: &Components, seeds: &[u32], n_roots: usize) -> Spread {
    use rayon::prelude::*;
    let threads = rayon::current_num_threads();
    let per = if seeds.len() >= 512 {
        seeds
            .len()
            .div_ceil(threads)
            .next_multiple_of(64)
            .min(CHUNK)
    } else {
        CHUNK
    };
    // Rows kept from chunk to chunk: a chunk's rows can take tens of
    // megabytes, and fresh memory for each chunk is fresh pages to fault in.
    let part = |rows: &mut Rows, (i, chunk): (usize, &[u32])| {
        dense_chunk(g, cs, chunk, i * per, n_roots, rows)
    };
    let parts: Vec<(Vec<u32>, Vec<u32>)> = if seeds.len() > threads * per {
        let mut rows = Rows::default();
        seeds
            .chunks(per)
            .enumerate()
            .map(|c| part(&mut rows, c))
            .collect()
    } else {
        seeds
            .par_chunks(per)
            .enumerate()
            .map_init(Rows::default, part)
            .collect()
    };
    let mut roots = vec![0u32; cs.len()];
    let mut reach = Vec::with_capacity(seeds.len());
    for (part_roots, part_reach) in parts {
        for (r, p) in roots.iter_mut().zip(part_roots) {
            *r += p;
        }
        reach.extend(part_reach);
    }
    own_left_out(Spread { roots, reach }, cs, seeds)
}

/// How many components ahead of the one it unites [`dense_chunk`] asks for
/// the rows of its predecessors. On the claim of 100,000 sources grown by
/// preferential attachment (1,000 origins, two chunks of 512 at once),
/// roots and reach took a median 35.5 ms without, and 26.4, 28.9 and 27.6
/// ms with 4, 8 and 16 (nine alternating runs each).
const ROWS_AHEAD: usize = 4;

/// The scratch space of [`dense_chunk`].
#[derive(Default)]
struct Rows {
    slot: Vec<u32>,
    bits: Vec<u64>,
    acc: Vec<u64>,
}

/// The seeds `chunk`, the first being seed `start` of all: for every
/// component, how many of the chunk's root seeds reach it, and for every
/// seed of the chunk, how many nodes reach it (its own component's
/// included).
fn dense_chunk(
    g: &ClaimGraph,
    cs: &Components,
    chunk: &[u32],
    start: usize,
    n_roots: usize,
    rows: &mut Rows,
) -> (Vec<u32>, Vec<u32>) {
    let k = cs.len();
    let mut roots = vec![0u32; k];
    let mut reach = vec![0u32; chunk.len()];
    // Rows only for the components the chunk's seeds reach: `slot[c]` is
    // the row of component `c`, or NONE. Many root groups that each reach a
    // few sources (one report citing 200,000 sources) then cost what they
    // reach, not a row for every component.
    let Rows { slot, bits, acc } = rows;
    slot.clear();
    slot.resize(k, NONE);
    bits.clear();
    let words = chunk.len().div_ceil(64);
    let first = chunk.iter().copied().min().unwrap_or(0) as usize;
    for (j, &c) in chunk.iter().enumerate() {
        if slot[c as usize] == NONE {
            slot[c as usize] = (bits.len() / words) as u32;
            bits.resize(bits.len() + words, 0);
        }
        bits[slot[c as usize] as usize * words + j / 64] |= 1 << (j % 64);
    }
    // Each seed's reach, summed one word of 64 seeds at a time: the count
    // of every seed of word `w` is spread over bit planes, bit `b` of its
    // count being bit `j % 64` of `counts[w * planes + b]`, and a row is
    // added as a binary number is, with carries. Adding the set bits one by
    // one took nine tenths of this function on a claim of 100,000 sources
    // whose sources stand on hundreds of groups each.
    let planes = (usize::BITS - g.len().leading_zeros()).max(1) as usize;
    let mut counts = vec![0u64; words * planes];
    for c in first..k {
        // The rows a component ORs in lie anywhere among megabytes of rows
        // once the graph outgrows the caches: asked for a few components
        // ahead, their waits for memory overlap.
        if c + ROWS_AHEAD < k {
            for &v in cs.members((c + ROWS_AHEAD) as u32) {
                for &p in g.predecessors(v) {
                    let sp = slot[cs.comp[p as usize] as usize];
                    if sp != NONE {
                        let row = bits.as_ptr().wrapping_add(sp as usize * words);
                        crate::model::prefetch(row);
                        crate::model::prefetch(row.wrapping_add(words - 1));
                    }
                }
            }
        }
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
            bits.extend_from_slice(acc);
        } else {
            let row = &mut bits[slot[c] as usize * words..(slot[c] as usize + 1) * words];
            for (a, b) in row.iter_mut().zip(acc.iter()) {
                *a |= *b;
            }
        }
        let row = &bits[slot[c] as usize * words..(slot[c] as usize + 1) * words];
        let sz = cs.members(c as u32).len() as u32;
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
            // `sz` times `x`: `x` added at every plane where `sz` has a
            // bit. No column's count passes the number of sources, so the
            // carries stay within the planes.
            let counter = &mut counts[w * planes..(w + 1) * planes];
            let mut times = sz;
            let mut from = 0;
            while times != 0 {
                if times & 1 != 0 {
                    let mut carry = x;
                    let mut b = from;
                    while carry != 0 {
                        let next = counter[b] & carry;
                        counter[b] ^= carry;
                        carry = next;
                        b += 1;
                    }
                }
                times >>= 1;
                from += 1;
            }
        }
    }
    for (j, r) in reach.iter_mut().enumerate() {
        let counter = &counts[j / 64 * planes..(j / 64 + 1) * planes];
        *r = counter
            .iter()
            .enumerate()
            .fold(0u32, |n, (b, &p)| n | (((p >> (j % 64)) & 1) as u32) << b);
    }
    (roots, reach)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::components::{components, groups};
    use crate::graph;
    use crate::model::fixtures::{numbers, one_claim, report};
    use crate::model::{Case, Stance};

    /// One claim of `n` sources: about one in `spread` is first-hand, the
    /// others cite up to three earlier ones, and every thirteenth source and
    /// the next cite each other.
    fn case(n: u32, spread: u32, seed: u64) -> Case {
        let mut next = numbers(seed | 1);
        let mut cites: Vec<Vec<u32>> = (0..n)
            .map(|i| {
                if i > 0 && next(spread) != 0 {
                    (0..1 + next(3)).map(|_| next(i)).collect()
                } else {
                    Vec::new()
                }
            })
            .collect();
        for i in (0..n - 1).step_by(13) {
            cites[i as usize].push(i + 1);
            cites[i as usize + 1].push(i);
        }
        let reports = cites
            .iter_mut()
            .enumerate()
            .map(|(i, c)| {
                c.sort_unstable();
                c.dedup();
                report(i as u32, c, Stance::Support)
            })
            .collect();
        one_claim(n, reports)
    }

    #[test]
    fn lists_of_seeds_give_what_rows_of_bits_give() {
        let mut many = false;
        let mut chunks = std::collections::BTreeSet::new();
        // The last has more seeds than two chunks hold: its chunks are taken
        // one after another, the others' at once.
        for (n, spread, seed) in [
            (300, 2, 1),
            (2000, 3, 2),
            (5000, 5, 3),
            (5000, 2, 4),
            (20000, 2, 5),
        ] {
            let case = case(n, spread, seed);
            let all: Vec<u32> = (0..case.reports.len() as u32).collect();
            let g = graph::build(&case, &all, Stance::Support);
            let cs = components(&g);
            let (root_comps, loop_comps) = groups(&cs);
            let seeds: Vec<u32> = root_comps.iter().chain(&loop_comps).copied().collect();
            assert!(!loop_comps.is_empty(), "circular groups among the seeds");
            let bits = dense(&g, &cs, &seeds, root_comps.len());
            let lists = sparse(&g, &cs, &seeds, root_comps.len(), usize::MAX)
                .expect("no budget to run out of");
            assert_eq!(lists.roots, bits.roots, "roots, {n} sources");
            assert_eq!(lists.reach, bits.reach, "reach, {n} sources");
            assert!(sparse(&g, &cs, &seeds, root_comps.len(), 10).is_none());
            let both = propagate(&g, &cs, &seeds, root_comps.len());
            assert_eq!((both.roots, both.reach), (bits.roots, bits.reach));
            many |= seeds.len() >= SPARSE_SEEDS;
            chunks.insert(match seeds.len() {
                0..512 => "one chunk",
                512..=CHUNK => "a chunk a thread",
                n if n > 2 * CHUNK => "more chunks than two threads take at once",
                _ => "between",
            });
        }
        assert!(many, "a graph with enough seeds for the lists");
        for path in [
            "one chunk",
            "a chunk a thread",
            "more chunks than two threads take at once",
        ] {
            assert!(chunks.contains(path), "{path}: {chunks:?}");
        }
    }
}
