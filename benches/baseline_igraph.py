#!/usr/bin/env python3
"""The strongest peer: `analyze --format json` with python-igraph (C core).

The script a researcher who knows igraph would write. It reads a case the
way benches/baseline.py does (same files, same JSON out) and computes, per
claim, with igraph:

  * root groups = strongly connected components no edge enters
    (`connected_components(mode="strong")` and the condensation);
  * roots(X) = root groups among X's ancestors (`subcomponent(mode="out")`
    from each root group);
  * reach of a root group = the size of that out-component, minus the group;
  * chains(X) = one vertex-connectivity call per source: root groups
    contracted (`contract_vertices`), a super source joined to each, then
    `vertex_connectivity(source=super, target=X)` (a max-flow in igraph's C
    core), 1 for a member of a root group.

Usage:
    pip install python-igraph networkx    # networkx only for the shared reader
    python3 benches/baseline_igraph.py FILE [FILE...] > out.json

The output has the keys benches/compare.py compares.
"""

import json
import sys

import igraph as ig

sys.path.insert(0, __import__("os").path.dirname(__file__))
from baseline import date_key, load_case, group_counts  # noqa: E402


def graph_of(reps, stance):
    names = {}
    edges = []

    def vid(s):
        if s not in names:
            names[s] = len(names)
        return names[s]

    for r in reps:
        if r["stance"] != stance:
            continue
        v = vid(r["source"])
        for u in r["cites"]:
            edges.append((vid(u), v))
    g = ig.Graph(n=len(names), edges=sorted(set(edges)), directed=True)
    ids = [None] * len(names)
    for s, i in names.items():
        ids[i] = s
    return g, ids


def root_groups(g, ids, reps, stance, kinds):
    comps = g.connected_components(mode="strong")
    member = comps.membership
    entered = [False] * len(comps)
    for e in g.es:
        a, b = e.tuple
        if member[a] != member[b]:
            entered[member[b]] = True
    roots = []
    for c, vs in enumerate(comps):
        if not entered[c]:
            roots.append((c, sorted(vs, key=lambda v: ids[v])))
    roots.sort(key=lambda t: ids[t[1][0]])
    groups = []
    reached = []
    for c, vs in roots:
        out = set(g.subcomponent(vs[0], mode="out"))
        reached.append(out)
        names = [ids[v] for v in vs]
        groups.append({
            "sources": names,
            "circular": len(vs) > 1,
            "anonymous": all(kinds.get(m, "unknown") == "anonymous" for m in names),
            "reach": len(out - set(vs)),
        })
    return member, roots, groups, reached


def analyze_claim(cid, text, reps, kinds):
    g, ids = graph_of(reps, "support")
    member, roots, groups, reached = root_groups(g, ids, reps, "support", kinds)

    n_roots = [0] * g.vcount()
    for out in reached:
        for v in out:
            n_roots[v] += 1

    # Contract every root group to one vertex, add a super source.
    in_root = {}
    mapping = list(range(g.vcount()))
    for i, (_, vs) in enumerate(roots):
        for v in vs:
            mapping[v] = vs[0]
            in_root[v] = i
    h = g.copy()
    h.contract_vertices(mapping, combine_attrs=None)
    h.simplify(multiple=True, loops=True)
    sup = h.vcount()
    h.add_vertices(1)
    h.add_edges([(sup, vs[0]) for _, vs in roots])

    sources = []
    for v in sorted(range(g.vcount()), key=lambda v: ids[v]):
        if v in in_root:
            chains = 1
        else:
            chains = h.vertex_connectivity(source=sup, target=mapping[v], neighbors="ignore")
        sources.append({"id": ids[v], "roots": n_roots[v], "chains": chains})

    dg, dids = graph_of(reps, "deny")
    _, _, deny_groups, _ = root_groups(dg, dids, reps, "deny", kinds)
    dated = [(date_key(r["date"]), i, r["date"]) for i, r in enumerate(reps) if r["date"]]
    first = min(dated)[2] if dated else None
    counts = group_counts(groups, reps, kinds)
    return {
        "id": cid,
        "text": text,
        "reports": len(reps),
        "independent": len(groups),
        **counts,
        "single_source": counts["named"] < 2,
        "first_reported": first,
        "roots": groups,
        "sources": sources,
        "denials": {"independent": len(deny_groups), "roots": deny_groups},
    }


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    kinds, claims, reports = load_case(argv)
    by_claim = {}
    for r in reports:
        by_claim.setdefault(r["claim"], []).append(r)
    order = list(claims) + sorted(c for c in by_claim if c not in claims)
    out = {
        "claims": [analyze_claim(c, claims.get(c, ""), by_claim.get(c, []), kinds) for c in order],
        "warnings": [],
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
