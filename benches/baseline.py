#!/usr/bin/env python3
"""Comparison baseline for rumorgraph: `analyze --format json` in plain Python + networkx.

This is "the script a researcher would otherwise have written": it reads a
rumorgraph case (one or more .toml / .json / .csv files, see
docs/format.md) and prints the per-claim figures defined in
docs/method.md as ONE JSON object shaped like
`rumorgraph analyze --format json`:

    {"claims": [{"id", "text", "reports", "independent", "anonymous", "named",
                 "undisclosed", "unknown", "retracted", "single_source",
                 "first_reported", "roots", "sources", "denials"}, ...],
     "warnings": []}

For each claim C it builds G+(C) (support reports; edge cited -> citer) and
G-(C) (deny reports) as networkx DiGraphs and computes, the obvious way:

  * root groups  = strongly connected components with no incoming edge
                   (nx.condensation, nodes of in-degree 0);
  * independent, and the root groups of each basis (named, anonymous,
    undisclosed, unknown; retracted apart); single_source (named < 2);
  * reach of a root group = nx.descendants outside the group;
  * roots(X)     = root groups among nx.ancestors of X in the condensation;
  * chains(X)    = Menger number: every root group is contracted to one node,
                   a super source is joined to every contracted group, and
                   nx local_node_connectivity(super, X) counts the paths that
                   share no vertex but X (1 if X itself is in a root group).
                   This is done independently for every source of every claim
                   (one max-flow per source; the auxiliary flow graph is built
                   once per claim, as the networkx docs recommend);
  * first_reported = earliest date as written over all of C's reports
                   ("2015" compares as 2015-01-01; ties: first in file order).

It is deliberately straightforward, not clever: it is the comparison baseline
for the timings in docs/performance.md. It performs only minimal validation
(no warnings are produced; "warnings" is always []).

Usage:
    pip install networkx          # if missing; Python >= 3.11 (tomllib)
    python3 benches/baseline.py FILE [FILE...] > out.json

Several files are one case (one id namespace). CSV files need a header row
with columns source, claim, cites (';'-separated), stance, date, url, quote;
only source and claim are required; empty cells mean absent. Undeclared
sources get kind "unknown", undeclared claims get text "".
"""

import csv
import json
import sys
import tomllib

import networkx as nx
from networkx.algorithms.connectivity import (
    build_auxiliary_node_connectivity,
    local_node_connectivity,
)
from networkx.algorithms.flow import build_residual_network

SUPER = ("__super__",)  # tuple labels cannot collide with string source ids


def die(msg):
    print(f"baseline.py: {msg}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- reading

def load_case(paths):
    """Return (source kinds, claims {id: text} in declaration order, reports)."""
    kinds = {}    # source id -> kind
    claims = {}   # claim id -> text (dict keeps declaration order)
    reports = []  # dicts: source, claim, cites (list), stance, date, in file order
    for path in paths:
        if path.endswith(".csv"):
            with open(path, newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    row = {k: (v or "").strip() for k, v in row.items() if k}
                    reports.append({
                        "source": row.get("source", ""),
                        "claim": row.get("claim", ""),
                        "cites": [c.strip() for c in row.get("cites", "").split(";") if c.strip()],
                        "stance": row.get("stance") or "support",
                        "basis": row.get("basis") or "first-hand",
                        "date": row.get("date") or None,
                    })
            continue
        if path.endswith(".json"):
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        elif path.endswith(".toml"):
            with open(path, "rb") as f:
                doc = tomllib.load(f)
        else:
            die(f"{path}: unknown file type (expected .toml, .json or .csv)")
        for s in doc.get("sources", []):
            kinds[s["id"]] = s.get("kind", "unknown")
        for c in doc.get("claims", []):
            claims[c["id"]] = c.get("text", "")
        for r in doc.get("reports", []):
            reports.append({
                "source": r["source"],
                "claim": r["claim"],
                "cites": list(r.get("cites", [])),
                "stance": r.get("stance", "support"),
                "basis": r.get("basis", "first-hand"),
                "date": r.get("date"),
            })
    for r in reports:
        if not r["source"] or not r["claim"]:
            die(f"a report lacks its source or claim: {r}")
        if r["source"] in r["cites"]:
            die(f"report by {r['source']} on {r['claim']} cites its own source")
    return kinds, claims, reports


def date_key(d):
    """'2015' -> (2015, 1, 1); '2015-12' -> (2015, 12, 1); '2015-12-03' -> (2015, 12, 3)."""
    parts = [int(p) for p in d.split("-")]
    return tuple(parts + [1] * (3 - len(parts)))


# ---------------------------------------------------------------- figures

def build_graph(reports, stance):
    g = nx.DiGraph()
    for r in reports:
        if r["stance"] != stance:
            continue
        g.add_node(r["source"])
        for u in r["cites"]:
            g.add_edge(u, r["source"])  # information flowed from cited to citer
    return g


def root_groups(g, kinds):
    """Return (condensation, [(cond node, sorted members)] sorted by first member, group list)."""
    cond = nx.condensation(g)
    roots = []
    for n in cond.nodes:
        if cond.in_degree(n) == 0:
            roots.append((n, sorted(cond.nodes[n]["members"])))
    roots.sort(key=lambda t: t[1][0])
    out = []
    for n, members in roots:
        reachable = nx.descendants(g, members[0]) - set(members)
        out.append({
            "sources": members,
            "circular": len(members) > 1 or g.has_edge(members[0], members[0]),
            "anonymous": all(kinds.get(m, "unknown") == "anonymous" for m in members),
            "reach": len(reachable),
        })
    return cond, roots, out


def chains_graph(g, cond, roots):
    """G+ with every root group contracted to one node and a super source feeding them."""
    where = {}  # source id -> vertex of H
    for n, members in roots:
        for m in members:
            where[m] = ("group", n)
    h = nx.DiGraph()
    h.add_nodes_from(where.get(v, v) for v in g.nodes)
    for u, v in g.edges:
        a, b = where.get(u, u), where.get(v, v)
        if a != b:
            h.add_edge(a, b)
    for n, _ in roots:
        h.add_edge(SUPER, ("group", n))
    return h, where


NAMED_KINDS = {"outlet", "person", "agency", "document", "social"}


def group_counts(groups, reps, kinds):
    """named / anonymous / undisclosed / unknown / retracted, as docs/method.md
    defines them, from the root groups (dicts with "sources")."""
    retracting = {r["source"] for r in reps if r["stance"] == "retract"}
    counts = {"anonymous": 0, "named": 0, "undisclosed": 0, "unknown": 0, "retracted": 0}
    for g in groups:
        members = g["sources"]
        ks = [kinds.get(m, "unknown") for m in members]
        if all(m in retracting for m in members):
            counts["retracted"] += 1
        elif all(k == "anonymous" for k in ks):
            counts["anonymous"] += 1
        elif not any(k in NAMED_KINDS for k in ks):
            counts["unknown"] += 1
        elif len(members) == 1:
            own = [r for r in reps if r["source"] == members[0] and r["stance"] == "support"]
            if own and all(r["basis"] == "undisclosed" and not r["cites"] for r in own):
                counts["undisclosed"] += 1
            else:
                counts["named"] += 1
        else:
            counts["named"] += 1
    return counts


def analyze_claim(cid, text, reps, kinds):
    pos = build_graph(reps, "support")
    neg = build_graph(reps, "deny")

    cond, roots, root_out = root_groups(pos, kinds)
    counts = group_counts(root_out, reps, kinds)

    # roots(X): root groups among the ancestors of X's component (itself included)
    root_nodes = {n for n, _ in roots}
    mapping = cond.graph["mapping"]

    # chains(X): one local node connectivity (max flow) per source
    h, where = chains_graph(pos, cond, roots)
    aux = build_auxiliary_node_connectivity(h)
    residual = build_residual_network(aux, "capacity")

    sources = []
    for x in sorted(pos.nodes):
        cx = mapping[x]
        n_roots = len((nx.ancestors(cond, cx) | {cx}) & root_nodes)
        if x in where:
            chains = 1  # X belongs to a root group: the group counts as itself
        elif h.has_edge(SUPER, x):
            chains = 1  # cannot happen (only groups hang off the super source)
        else:
            chains = local_node_connectivity(h, SUPER, x, auxiliary=aux, residual=residual)
        sources.append({"id": x, "roots": n_roots, "chains": chains})

    _, _, deny_roots = root_groups(neg, kinds)

    dated = [(date_key(r["date"]), i, r["date"]) for i, r in enumerate(reps) if r["date"]]
    first = min(dated)[2] if dated else None

    return {
        "id": cid,
        "text": text,
        "reports": len(reps),
        "independent": len(root_out),
        **counts,
        "single_source": counts["named"] < 2,
        "first_reported": first,
        "roots": root_out,
        "sources": sources,
        "denials": {"independent": len(deny_roots), "roots": deny_roots},
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
