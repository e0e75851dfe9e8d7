#!/usr/bin/env bash
# Runs the fuzz targets. Needs cargo-fuzz (cargo install cargo-fuzz --locked);
# works on the stable toolchain without sanitizers.
#
#   bash fuzz/run.sh                 # every target for SECONDS (default 60) each
#   SECONDS_EACH=600 bash fuzz/run.sh load_toml
#   RUNS=10000000 bash fuzz/run.sh load_csv   # a number of executions instead
#   LOG_DIR=/var/tmp bash fuzz/run.sh          # where the full logs go (/tmp)
#   FORK=2 RUNS=10000000 bash fuzz/run.sh pipeline  # one run, two worker processes
#
# With FORK=N, libFuzzer's fork mode runs N worker processes on one shared
# corpus and counts every worker's executions towards RUNS; its progress
# lines read "#COUNT: cov: ...".
#
# Findings land in fuzz/artifacts/TARGET/; the last line of each run, with
# its execution count, goes to standard output.
set -euo pipefail
cd "$(dirname "$0")"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(load_toml load_json load_csv load_workbook pipeline)
limit=(-max_total_time="${SECONDS_EACH:-60}")
[ -n "${RUNS:-}" ] && limit=(-runs="$RUNS")
[ -n "${FORK:-}" ] && limit+=(-fork="$FORK")
cargo fuzz build -s none -O >&2
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    last=$(cargo fuzz run -s none -O "$t" "corpus/$t" -- "${limit[@]}" \
        -max_len=65536 -dict=dict.txt -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 2>&1 |
        tee "${LOG_DIR:-/tmp}/fuzz-$t.log" | grep -E '^(stat::number_of_executed_units|#[0-9]+ +DONE|#[0-9]+: cov:)' | tail -2 | tr '\n' ' ')
    echo "$t: $last"
    if ls "artifacts/$t"/* >/dev/null 2>&1; then
        echo "$t: FINDINGS in fuzz/artifacts/$t" >&2
        exit 1
    fi
done
