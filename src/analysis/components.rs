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
//! walk through a circular group of `s` members: *O(s · (n_c + m_c))* at
//! worst over the group's own `n_c` members and `m_c` citations, usually one
//! or two breadth-first searches.
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
    /// Members of each component, sorted.
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
    let mut members = vec![0u32; n];
    for (v, &c) in comp.iter().enumerate() {
        members[fill[c as usize] as usize] = v as u32;
        fill[c as usize] += 1;
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

/// The root components and the downstream circular components, each sorted
/// by their first member (that is, by their first source id).
pub(super) fn groups(cs: &Components) -> (Vec<u32>, Vec<u32>) {
    let first = |&c: &u32| cs.members(c)[0];
    let mut roots: Vec<u32> = (0..cs.len() as u32)
        .filter(|&c| !cs.entered[c as usize])
        .collect();
    let mut loops: Vec<u32> = (0..cs.len() as u32)
        .filter(|&c| cs.entered[c as usize] && cs.members(c).len() > 1)
        .collect();
    roots.sort_unstable_by_key(first);
    loops.sort_unstable_by_key(first);
    (roots, loops)
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
    pub(super) fn closed_walk(&mut self, g: &ClaimGraph, cs: &Components, c: u32) -> Vec<u32> {
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
            'bfs: while head < self.queue.len() {
                let v = self.queue[head];
                head += 1;
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
            debug_assert_ne!(found, NONE, "a component is strongly connected");
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
}
