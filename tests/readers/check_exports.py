#!/usr/bin/env python3
"""Checks rumorgraph's exports with the programs that read them.

    python3 tests/readers/check_exports.py DIR ANALYZE_JSON XSD

DIR holds case.gexf, case.graphml, case.prov.json, case.provn and the folder
tables/ that `rumorgraph export` wrote for one case; ANALYZE_JSON is
`rumorgraph analyze --format json` of the same case; XSD is the GEXF 1.3
schema. Every check that fails is printed; the exit code is 1 if any did.
"""

import json
import sys

import igraph
import networkx as nx
import pandas as pd
import xmlschema
from prov.model import ProvDocument

d, analysis_path, xsd = sys.argv[1:4]
analysis = json.load(open(analysis_path, encoding="utf-8"))
problems = []


def expect(ok, what):
    if not ok:
        problems.append(what)


# The figures of analyze, per node id claim/source.
want = {}
names = {}
for c in analysis["claims"]:
    for s in c["sources"]:
        want[f'{c["id"]}/{s["id"]}'] = (s["roots"], s["chains"])
        names[f'{c["id"]}/{s["id"]}'] = s["name"]


def check_graph(g, fmt):
    for node, data in g.nodes(data=True):
        expect(data["claim"] + "/" + data["source"] == node, f"{fmt}: node id {node!r} is not claim/source")
        if node in want:
            got = (int(data["roots"]), int(data["chains"]))
            expect(got == want[node], f"{fmt}: {node}: roots, chains {got}, analyze says {want[node]}")
            expect(data["name"] == names[node], f"{fmt}: {node}: name {data['name']!r}, analyze says {names[node]!r}")
            expect(str(data["supports"]).lower() == "true", f"{fmt}: {node} should be in the support graph")
    missing = [n for n in want if n not in g]
    expect(not missing, f"{fmt}: nodes missing: {missing[:5]}")


# GEXF: the official XSD, then networkx.
xmlschema.XMLSchema(xsd).validate(f"{d}/case.gexf")
gexf = nx.read_gexf(f"{d}/case.gexf")
check_graph(gexf, "gexf")

# GraphML: networkx and igraph.
graphml = nx.read_graphml(f"{d}/case.graphml")
check_graph(graphml, "graphml")
expect(graphml.number_of_edges() == gexf.number_of_edges(), "graphml and gexf differ in edges")
ig = igraph.Graph.Read_GraphML(f"{d}/case.graphml")
expect(ig.vcount() == graphml.number_of_nodes(), f"igraph reads {ig.vcount()} nodes, networkx {graphml.number_of_nodes()}")
expect(ig.ecount() == graphml.number_of_edges(), f"igraph reads {ig.ecount()} edges, networkx {graphml.number_of_edges()}")
for v in ig.vs:
    node = v["claim"] + "/" + v["source"]
    if node in want:
        expect((v["roots"], v["chains"]) == want[node], f"igraph: {node}: {(v['roots'], v['chains'])} != {want[node]}")

# CSV tables: pandas.
sources = pd.read_csv(f"{d}/tables/sources.csv", keep_default_na=False, dtype={"claim": str, "source": str})
for row in sources.itertuples():
    node = f"{row.claim}/{row.source}"
    if node in want:
        expect((int(row.roots), int(row.chains)) == want[node], f"sources.csv: {node}: {(row.roots, row.chains)} != {want[node]}")
claims = pd.read_csv(f"{d}/tables/claims.csv", keep_default_na=False, dtype={"claim": str})
for c in analysis["claims"]:
    row = claims[claims["claim"] == c["id"]]
    expect(len(row) == 1, f"claims.csv: claim {c['id']} appears {len(row)} times")
    if len(row) == 1:
        for k in ("independent", "named", "anonymous", "undisclosed", "unknown", "retracted"):
            expect(int(row.iloc[0][k]) == c[k], f"claims.csv: {c['id']}: {k}")
for t in ("roots", "edges", "reports"):
    pd.read_csv(f"{d}/tables/{t}.csv", keep_default_na=False)

# PROV: both serialisations, the PROV-N one with the strict profile.
pj = ProvDocument.deserialize(content=open(f"{d}/case.prov.json", encoding="utf-8").read(), format="json")
pn = ProvDocument.deserialize(content=open(f"{d}/case.provn", encoding="utf-8").read(), format="provn", profile="strict")
expect(len(pj.records) == len(pn.records), f"PROV-JSON has {len(pj.records)} records, PROV-N {len(pn.records)}")
expect(pj == pn, "PROV-JSON and PROV-N are not the same document")
derivations = [r for r in pj.get_records() if r.get_type().localpart == "Derivation"]
edges = pd.read_csv(f"{d}/tables/edges.csv", keep_default_na=False)
expect(len(derivations) == len(edges), f"{len(derivations)} derivations in PROV for {len(edges)} citations")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"ok: {gexf.number_of_nodes()} nodes, {gexf.number_of_edges()} edges, {len(pj.records)} PROV records")
