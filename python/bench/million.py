"""The million-report benchmark from Python: rumorgraph.analyze on a pyarrow
Table against `rumorgraph analyze FILE --format json > /dev/null` on the
same file, median of RUNS runs each.

    cargo build --release
    cargo run --release --example synth -- --claims 10000 --reports 1000000 -o m1.csv
    python python/bench/million.py m1.csv [RUNS]

Prints one Markdown table row per measure.
"""

import os
import statistics
import subprocess
import sys
import time

import pyarrow.csv as pacsv

import rumorgraph as rg

path = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
binary = os.environ.get("RUMORGRAPH_BIN", "target/release/rumorgraph")


def cli():
    t = time.perf_counter()
    with open(os.devnull, "wb") as null:
        subprocess.run([binary, "analyze", path, "--format", "json", "-q"], stdout=null, check=True)
    return time.perf_counter() - t


def python():
    t = time.perf_counter()
    table = pacsv.read_csv(path)
    read = time.perf_counter() - t
    result = rg.analyze(table)
    analysed = time.perf_counter() - t
    text = result.json()
    total = time.perf_counter() - t
    assert text.startswith("{")
    return read, analysed - read, total


c = statistics.median(cli() for _ in range(runs))
p = [python() for _ in range(runs)]
read = statistics.median(x[0] for x in p)
analyse = statistics.median(x[1] for x in p)
total = statistics.median(x[2] for x in p)
print("| measure | seconds |")
print("| --- | ---: |")
print(f"| command line: `analyze FILE --format json` | {c:.2f} |")
print(f"| Python: `pyarrow.csv.read_csv` | {read:.2f} |")
print(f"| Python: `rg.analyze(table)` | {analyse:.2f} |")
print(f"| Python: read + analyze + `.json()` | {total:.2f} |")
print(f"| ratio (Python total / command line) | {total / c:.2f}x |")
