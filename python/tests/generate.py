"""A generated table of reports for the cluster tests: claims of
`per_claim` reports each, every source citing up to three earlier ones."""

import random

import pandas as pd


def reports(n_claims=2000, per_claim=100, seed=7):
    rnd = random.Random(seed)
    rows = {"source": [], "claim": [], "cites": []}
    for c in range(n_claims):
        for i in range(per_claim):
            rows["source"].append(f"s{i}")
            rows["claim"].append(f"c{c}")
            k = rnd.randrange(4) if i > 0 else 0
            rows["cites"].append(";".join(f"s{rnd.randrange(i)}" for _ in range(k)) if k else None)
    return pd.DataFrame(rows)
