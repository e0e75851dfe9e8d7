"""Checks rumorgraph's cascade figures against networkx.

Reads one JSON file: a list of cases, each {"nodes": [...], "edges": [[cited,
citing], ...], "roots": [the "roots" of `analyze --format json`]}. For each
root group, contracts its members into one node, then takes from networkx
the breadth-first distances (size, depth, max breadth) and the breadth-first
tree with neighbours in id order, whose average shortest path length is the
structural virality. Exits 1 on the first disagreement, printing it.
"""
import json
import sys
from collections import Counter

import networkx as nx

ROOT = "\0root"  # sorts before every id


def main(path):
    cases = json.load(open(path, encoding="utf-8"))
    groups = 0
    for i, case in enumerate(cases):
        g = nx.DiGraph()
        g.add_nodes_from(case["nodes"])
        g.add_edges_from(case["edges"])
        for group in case["roots"]:
            members = set(group["sources"])
            name = lambda v: ROOT if v in members else v
            h = nx.DiGraph()
            h.add_nodes_from(name(v) for v in g.nodes)
            h.add_edges_from((name(u), name(v)) for u, v in g.edges if name(u) != name(v))
            dist = nx.single_source_shortest_path_length(h, ROOT)
            tree = nx.bfs_tree(h, ROOT, sort_neighbors=sorted).to_undirected()
            want = {
                "size": len(dist),
                "depth": max(dist.values()),
                "max_breadth": max(Counter(dist.values()).values()),
                "structural_virality": nx.average_shortest_path_length(tree) if len(dist) > 1 else 0.0,
            }
            got = group["cascade"]
            ok = all(got[k] == want[k] for k in ("size", "depth", "max_breadth"))
            ok = ok and abs(got["structural_virality"] - want["structural_virality"]) < 1e-9
            ok = ok and got["size"] == group["reach"] + 1
            if not ok:
                print(f"case {i}, group {sorted(members)}: rumorgraph {got}, networkx {want}")
                print(json.dumps(case))
                return 1
            groups += 1
    print(f"{len(cases)} cases, {groups} root groups: cascades agree with networkx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
