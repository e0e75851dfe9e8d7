#!/usr/bin/env python3
"""Compare the figures of `rumorgraph analyze --format json` with those of
benches/baseline.py on the same case.

    python3 benches/compare.py RUMORGRAPH.json BASELINE.json

Compares the `claims` arrays claim by claim, on the keys the baseline writes
(id, text, reports, independent, anonymous, named, single_source,
first_reported, roots, sources, denials); key order, `warnings`, `title`
and keys only rumorgraph writes (`loops`, `cycle`, ...) are ignored. Every
difference is printed, naming the claim and, for per-source figures, the
source. Exit code 0 when they agree, 1 when they do not.
"""

import json
import sys

ROOT_KEYS = ("sources", "circular", "anonymous", "reach")
SCALARS = ("text", "reports", "independent", "anonymous", "named", "undisclosed", "unknown",
           "retracted", "single_source", "first_reported")
LIMIT = 40  # differences printed per file


def first_day(d):
    parts = [int(p) for p in d.split("-")]
    return tuple(parts + [1] * (3 - len(parts)))


def roots(groups):
    return [{k: g.get(k) for k in ROOT_KEYS} for g in groups]


def main(ours_path, base_path):
    with open(ours_path, encoding="utf-8") as f:
        ours = json.load(f)["claims"]
    with open(base_path, encoding="utf-8") as f:
        base = json.load(f)["claims"]
    diffs = []

    def say(msg):
        diffs.append(msg)

    if [c["id"] for c in ours] != [c["id"] for c in base]:
        say(f"claim order differs: rumorgraph {len(ours)} claims, baseline {len(base)}")
    by_id = {c["id"]: c for c in ours}
    for b in base:
        cid = b["id"]
        o = by_id.get(cid)
        if o is None:
            say(f"claim {cid}: missing from rumorgraph's output")
            continue
        for k in SCALARS:
            if o.get(k) != b.get(k):
                note = ""
                if k == "first_reported" and o.get(k) and b.get(k) and first_day(o[k]) == first_day(b[k]):
                    note = (" (same first day: rumorgraph takes the less precise date,"
                            " the baseline the one first in the file)")
                say(f"claim {cid}: {k}: rumorgraph {o.get(k)!r}, baseline {b.get(k)!r}{note}")
        if roots(o["roots"]) != roots(b["roots"]):
            og = {g["sources"][0]: g for g in roots(o["roots"])}
            bg = {g["sources"][0]: g for g in roots(b["roots"])}
            for first in sorted(set(og) | set(bg)):
                if og.get(first) != bg.get(first):
                    say(f"claim {cid}: root group starting {first}: rumorgraph {og.get(first)}, baseline {bg.get(first)}")
        os_ = {s["id"]: s for s in o["sources"]}
        bs = {s["id"]: s for s in b["sources"]}
        if [s["id"] for s in o["sources"]] != [s["id"] for s in b["sources"]]:
            only_o = sorted(set(os_) - set(bs))
            only_b = sorted(set(bs) - set(os_))
            say(f"claim {cid}: source lists differ (only rumorgraph: {only_o[:10]}, only baseline: {only_b[:10]}, or order)")
        for sid in sorted(set(os_) & set(bs)):
            for k in ("roots", "chains"):
                if os_[sid].get(k) != bs[sid].get(k):
                    say(f"claim {cid}: source {sid}: {k}: rumorgraph {os_[sid].get(k)}, baseline {bs[sid].get(k)}")
        od, bd = o["denials"], b["denials"]
        if od.get("independent") != bd.get("independent") or roots(od["roots"]) != roots(bd["roots"]):
            say(f"claim {cid}: denials: rumorgraph {od.get('independent')} {roots(od['roots'])}, baseline {bd.get('independent')} {roots(bd['roots'])}")
    name = f"{ours_path} vs {base_path}"
    if diffs:
        print(f"DISAGREEMENT ({len(diffs)} differences) in {name}:")
        for d in diffs[:LIMIT]:
            print(f"  {d}")
        if len(diffs) > LIMIT:
            print(f"  ... and {len(diffs) - LIMIT} more")
        return 1
    sources = sum(len(c["sources"]) for c in base)
    print(f"agree: {len(base)} claims, {sources} per-source figures ({name})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
