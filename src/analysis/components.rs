//! Strongly connected components of a claim graph, root groups and loops
//! among them, and a closed walk through each circular group.
//!
//! A *root group* is a component that no edge enters from outside: an origin
//! when it has one member, circular reporting when it has more. A *loop* is a
//! circular component further downstream.
//!
//! # Complexity
//!
//! Components: *O(n + m)* time and space, by Tarjan's algorithm with an
//! explicit stack (no recursion, whatever the depth of the graph). A closed
//! walk through a circular group of `s` members and `m_c` citations: its
//! nearest-first searches visit at most 4 · (s + m_c) sources (or 100,000),
//! then the rest is made from two breadth-first trees, so the time is
//! *O(s + m_c)* plus the length of the walk.
//!
//! # Example
//!
//! In `a → b → c → b`, `{a}` is a root group (an origin) and `{b, c}` a loop:
//! circular reporting that `a` started. The closed walk of the loop is
//! `b → c → b`.

use super::NONE;
use crate::graph::ClaimGraph;

/// The strongly connected components of a claim graph, numbered in
/// topological order: every edge between two components goes from a lower
/// number to a higher one.
pub(super) struct Components {
    /// Node to component.
    pub(super) comp: Vec<u32>,
    /// Component to the range of its members in `members`.
    pub(super) offsets: Vec<u32>,
    /// Members of each component, sorted by id.
    members: Vec<u32>,
    /// Some edge enters the component from another one.
    pub(super) entered: Vec<bool>,
}

impl Components {
    pub(super) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub(super) fn members(&self, c: u32) -> &[u32] {
        &self.members[self.offsets[c as usize] as usize..self.offsets[c as usize + 1] as usize]
    }
}

/// Tarjan's algorithm with an explicit call stack.
///
/// # Complexity
///
/// *O(n + m)* time and space.
pub(super) fn components(g: &ClaimGraph) -> Components {
    let n = g.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut comp = vec![NONE; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut calls: Vec<(u32, u32)> = Vec::new();
    let (mut counter, mut count) = (0u32, 0u32);
    for s in 0..n as u32 {
        if index[s as usize] != NONE {
            continue;
        }
        index[s as usize] = counter;
        low[s as usize] = counter;
        counter += 1;
        stack.push(s);
        calls.push((s, 0));
        while let Some(top) = calls.last_mut() {
            let v = top.0;
            let succ = g.successors(v);
            if let Some(&w) = succ.get(top.1 as usize) {
                top.1 += 1;
                if index[w as usize] == NONE {
                    index[w as usize] = counter;
                    low[w as usize] = counter;
                    counter += 1;
                    stack.push(w);
                    calls.push((w, 0));
                } else if comp[w as usize] == NONE {
                    // Visited and not yet in a component: on the stack.
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
                continue;
            }
            calls.pop();
            if low[v as usize] == index[v as usize] {
                loop {
                    let w = stack.pop().expect("v is on the stack");
                    comp[w as usize] = count;
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
            if let Some(&(p, _)) = calls.last() {
                low[p as usize] = low[p as usize].min(low[v as usize]);
            }
        }
    }
    // Tarjan completes a component after every component it reaches, so the
    // completion order is reversed topological order.
    for c in &mut comp {
        *c = count - 1 - *c;
    }
    let k = count as usize;
    let mut offsets = vec![0u32; k + 1];
    for &c in &comp {
        offsets[c as usize + 1] += 1;
    }
    for i in 0..k {
        offsets[i + 1] += offsets[i];
    }
    let mut fill: Vec<u32> = offsets[..k].to_vec();
    // Filled in local order, then the members of each circular component
    // sorted by id (one pass in id order over the million-long chain with
    // shuffled ids, reading its components at random, took 44 ms).
    let mut members = vec![0u32; n];
    for (v, &c) in comp.iter().enumerate() {
        members[fill[c as usize] as usize] = v as u32;
        fill[c as usize] += 1;
    }
    for c in 0..k {
        let m = &mut members[offsets[c] as usize..offsets[c + 1] as usize];
        if m.len() > 1 {
            g.sort_by_id(m);
        }
    }
    let mut entered = vec![false; k];
    for (u, v) in g.edges() {
        if comp[u as usize] != comp[v as usize] {
            entered[comp[v as usize] as usize] = true;
        }
    }
    Components {
        comp,
        offsets,
        members,
        entered,
    }
}

/// The root components and the downstream circular components, each in
/// the order of the smallest local index among their members: the order in
/// which the figures of each group are worked out, which follows the
/// graph's memory. [`id_order`] gives the order in which they are written
/// out.
///
/// *O(n)*: one pass over the nodes.
pub(super) fn groups(cs: &Components) -> (Vec<u32>, Vec<u32>) {
    let mut met = vec![false; cs.len()];
    let (mut roots, mut loops) = (Vec::new(), Vec::new());
    for &c in &cs.comp {
        if std::mem::replace(&mut met[c as usize], true) {
            continue;
        }
        if !cs.entered[c as usize] {
            roots.push(c);
        } else if cs.members(c).len() > 1 {
            loops.push(c);
        }
    }
    (roots, loops)
}

/// The positions of `comps` in the order of their first members' ids (the
/// first member being the one with the smallest id): `comps[order[0]]`
/// comes first.
///
/// *O(k log k)* for `k` components.
pub(super) fn id_order(g: &ClaimGraph, cs: &Components, comps: &[u32]) -> Vec<u32> {
    // Rank and position in one number: sorted without looking anything up.
    let mut keyed: Vec<u64> = comps
        .iter()
        .enumerate()
        .map(|(i, &c)| u64::from(g.rank(cs.members(c)[0])) << 32 | i as u64)
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|x| x as u32).collect()
}

/// `items`, one for each position of an [`id_order`], put in that order in
/// place: each item is swapped to where it belongs, cycle by cycle.
pub(super) fn in_order<T>(mut items: Vec<T>, order: &[u32]) -> Vec<T> {
    debug_assert_eq!(items.len(), order.len());
    // `to[i]`: where item `i` goes.
    let mut to = vec![0u32; order.len()];
    for (p, &i) in order.iter().enumerate() {
        to[i as usize] = p as u32;
    }
    for i in 0..items.len() {
        while to[i] as usize != i {
            let j = to[i] as usize;
            items.swap(i, j);
            to.swap(i, j);
        }
    }
    items
}

/// Scratch space for cycle walks, reused across components.
pub(super) struct Walk {
    /// Generation stamps for the breadth-first searches.
    seen: Vec<u32>,
    parent: Vec<u32>,
    /// Generation stamp of "already on the walk".
    covered: Vec<u32>,
    gen: u32,
    queue: Vec<u32>,
}

impl Walk {
    pub(super) fn new(n: usize) -> Walk {
        Walk {
            seen: vec![0; n],
            parent: vec![NONE; n],
            covered: vec![0; n],
            gen: 0,
            queue: Vec::new(),
        }
    }

    fn next_gen(&mut self) -> u32 {
        if self.gen == u32::MAX {
            self.seen.fill(0);
            self.covered.fill(0);
            self.gen = 0;
        }
        self.gen += 1;
        self.gen
    }

    /// A closed walk through every member of component `c`, from and back to
    /// its first member: repeatedly the shortest way (neighbours in id order)
    /// to the nearest member not yet on the walk, then the shortest way home.
    ///
    /// Each of those searches may cross the whole group, so past
    /// [`walk_budget`] sources visited in all, the rest of the walk is made
    /// from two fixed trees instead: the shortest way home from where the
    /// walk is, then home's shortest way to the member not yet on the walk
    /// with the smallest id; and so on, then home. Every step then costs the
    /// length of what it adds to the walk.
    pub(super) fn closed_walk(&mut self, g: &ClaimGraph, cs: &Components, c: u32) -> Vec<u32> {
        self.closed_walk_within(g, cs, c, walk_budget(g, cs.members(c)))
    }

    /// [`Walk::closed_walk`] with `budget` visits for its searches.
    fn closed_walk_within(
        &mut self,
        g: &ClaimGraph,
        cs: &Components,
        c: u32,
        mut budget: usize,
    ) -> Vec<u32> {
        let members = cs.members(c);
        let home = members[0];
        let mark = self.next_gen();
        self.covered[home as usize] = mark;
        let mut left = members.len() - 1;
        let mut walk = vec![home];
        let mut cur = home;
        while left > 0 || cur != home {
            let gen = self.next_gen();
            let want_home = left == 0;
            self.seen[cur as usize] = gen;
            self.queue.clear();
            self.queue.push(cur);
            let mut head = 0;
            let mut found = NONE;
            'bfs: while head < self.queue.len() && budget > 0 {
                let v = self.queue[head];
                head += 1;
                budget -= 1;
                for &w in g.successors(v) {
                    if cs.comp[w as usize] != c || self.seen[w as usize] == gen {
                        continue;
                    }
                    self.seen[w as usize] = gen;
                    self.parent[w as usize] = v;
                    let done = if want_home {
                        w == home
                    } else {
                        self.covered[w as usize] != mark
                    };
                    if done {
                        found = w;
                        break 'bfs;
                    }
                    self.queue.push(w);
                }
            }
            if found == NONE {
                debug_assert_eq!(budget, 0, "a component is strongly connected");
                self.finish_by_trees(g, cs, c, mark, cur, &mut walk);
                return walk;
            }
            let at = walk.len();
            let mut v = found;
            while v != cur {
                walk.push(v);
                if self.covered[v as usize] != mark {
                    self.covered[v as usize] = mark;
                    left -= 1;
                }
                v = self.parent[v as usize];
            }
            walk[at..].reverse();
            cur = found;
        }
        walk
    }

    /// The rest of [`Walk::closed_walk`] from `cur`, by the group's shortest
    /// ways to and from home (breadth-first, neighbours in id order).
    fn finish_by_trees(
        &mut self,
        g: &ClaimGraph,
        cs: &Components,
        c: u32,
        mark: u32,
        cur: u32,
        walk: &mut Vec<u32>,
    ) {
        let members = cs.members(c);
        let home = members[0];
        // `to_home[v]`: the next member on the shortest way from `v` home.
        let mut to_home = vec![NONE; g.len()];
        // `from_home[v]`: the member before `v` on home's shortest way to it.
        let mut from_home = vec![NONE; g.len()];
        for (tree, forward) in [(&mut to_home, false), (&mut from_home, true)] {
            self.queue.clear();
            self.queue.push(home);
            tree[home as usize] = home;
            let mut head = 0;
            while head < self.queue.len() {
                let v = self.queue[head];
                head += 1;
                let next = if forward {
                    g.successors(v)
                } else {
                    g.predecessors(v)
                };
                for &w in next {
                    if cs.comp[w as usize] == c && tree[w as usize] == NONE {
                        tree[w as usize] = v;
                        self.queue.push(w);
                    }
                }
            }
        }
        let on_walk = &mut self.covered;
        let mut cur = cur;
        let mut way = Vec::new();
        for &x in members {
            if on_walk[x as usize] == mark {
                continue;
            }
            while cur != home {
                cur = to_home[cur as usize];
                walk.push(cur);
                on_walk[cur as usize] = mark;
            }
            way.clear();
            let mut v = x;
            while v != home {
                way.push(v);
                v = from_home[v as usize];
            }
            for &v in way.iter().rev() {
                walk.push(v);
                on_walk[v as usize] = mark;
            }
            cur = x;
        }
        while cur != home {
            cur = to_home[cur as usize];
            walk.push(cur);
        }
    }
}

/// How many sources the searches of one closed walk may visit before the
/// walk is finished by fixed trees: 4 times the group's members and their
/// citations, and at least 100,000, so that a group of up to a few hundred
/// sources always gets the nearest-first walk whole. On a circular group of
/// 72,423 sources (the `giant` shape of 100,000) the searches alone visited
/// 7.5 million sources in 0.44 s; with the budget the walk takes 0.07 s and
/// is 5% longer.
fn walk_budget(g: &ClaimGraph, members: &[u32]) -> usize {
    let citations: usize = members.iter().map(|&v| g.successors(v).len()).sum();
    (4 * (members.len() + citations)).max(100_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph;
    use crate::model::fixtures::{numbers, one_claim, report};
    use crate::model::{Case, Stance};

    /// One claim of `n` sources, each citing up to three earlier ones, and
    /// every seventh citing a later one: circles inside circles.
    fn tangled(n: u32) -> Case {
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        let mut reports = vec![report(0, &[], Stance::Support)];
        for i in 1..n {
            let mut cites: Vec<u32> = (0..3).map(|_| next(i)).collect();
            if i % 7 == 0 && i + 1 < n {
                cites.push(i + 1 + next(n - i - 1));
            }
            cites.sort_unstable();
            cites.dedup();
            reports.push(report(i, &cites, Stance::Support));
        }
        one_claim(n, reports)
    }

    #[test]
    fn a_closed_walk_covers_its_group_whatever_the_budget() {
        let case = tangled(3000);
        let all: Vec<u32> = (0..case.reports.len() as u32).collect();
        let g = graph::build(&case, &all, Stance::Support);
        let cs = components(&g);
        let big: Vec<u32> = (0..cs.len() as u32)
            .filter(|&c| cs.members(c).len() > 1)
            .collect();
        assert!(
            big.iter().any(|&c| cs.members(c).len() > 500),
            "a large circle"
        );
        let mut walk = Walk::new(g.len());
        for &c in &big {
            let members = cs.members(c);
            let whole = walk.closed_walk_within(&g, &cs, c, usize::MAX);
            for budget in [0, 1, 50, 5_000, usize::MAX] {
                let w = walk.closed_walk_within(&g, &cs, c, budget);
                assert_eq!(w.first(), Some(&members[0]));
                assert_eq!(w.last(), Some(&members[0]));
                assert!(
                    w.windows(2).all(|p| g.successors(p[0]).contains(&p[1])),
                    "a step that is no citation"
                );
                assert!(
                    w.iter().all(|v| cs.comp[*v as usize] == c),
                    "the walk leaves the group"
                );
                assert!(members.iter().all(|v| w.contains(v)), "a member left out");
                if budget == usize::MAX {
                    assert_eq!(w, whole, "the same walk each time");
                }
            }
        }
        // The budget is large enough that a small group never reaches it.
        let small = tangled(40);
        let all: Vec<u32> = (0..small.reports.len() as u32).collect();
        let g = graph::build(&small, &all, Stance::Support);
        let cs = components(&g);
        let mut walk = Walk::new(g.len());
        for c in (0..cs.len() as u32).filter(|&c| cs.members(c).len() > 1) {
            assert_eq!(
                walk.closed_walk(&g, &cs, c),
                walk.closed_walk_within(&g, &cs, c, usize::MAX)
            );
        }
    }
}
