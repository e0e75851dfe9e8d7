#!/usr/bin/env bash
# End-to-end timings of the release binary on synthetic cases, against the
# targets of docs/performance.md and against the Python baseline
# (benches/baseline.py, needs python3 and networkx).
#
#   bash benches/e2e.sh            # everything, about 10 minutes on 2 cores
#   QUICK=1 bash benches/e2e.sh    # without the 100k-report baseline run (~7 min of it)
#   RUNS=3 bash benches/e2e.sh     # rumorgraph timings are the median of RUNS runs (default 5)
#
# Generated cases go to $CARGO_TARGET_DIR/bench-data (default target/bench-data).
# Prints Markdown tables on standard output; progress goes to standard error.
set -euo pipefail

cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}
DATA=$TARGET/bench-data
RUNS=${RUNS:-5}
QUICK=${QUICK:-0}
mkdir -p "$DATA"

log() { echo "e2e: $*" >&2; }

if [ ! -x /usr/bin/time ]; then
    log "installing GNU time"
    apt-get install -y time >/dev/null 2>&1 || {
        log "need /usr/bin/time (apt-get install time)"
        exit 1
    }
fi

log "building the release binary and the generator"
cargo build --release --quiet --bin rumorgraph --example synth
RG=$TARGET/release/rumorgraph
SYNTH=$TARGET/release/examples/synth

# gen FILE ARGS...: a synthetic case (deterministic: seed 1 unless given).
gen() {
    local file=$1
    shift
    "$SYNTH" "$@" -o "$DATA/$file" 2>"$DATA/$file.synth.txt"
    log "$(cat "$DATA/$file.synth.txt") -> $file"
}

# measure OUT CMD...: runs CMD once under /usr/bin/time -v, stdout to OUT,
# stderr to OUT.err; sets WALL (s), RSS (MiB), CPU (user+sys s). The wall
# time is taken with nanosecond clocks around it (time -v gives 10 ms).
measure() {
    local out=$1
    shift
    local t started ended
    t=$(mktemp)
    started=$(date +%s%N)
    if ! /usr/bin/time -v -o "$t" "$@" >"$out" 2>"$out.err"; then
        log "FAILED: $* (see $out.err)"
        cat "$t" >&2
        exit 1
    fi
    ended=$(date +%s%N)
    WALL=$(awk "BEGIN { printf \"%.3f\", ($ended - $started) / 1e9 }")
    RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$t")
    CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$t")
    rm -f "$t"
}

# median OUT CMD...: the run with the median wall time of RUNS runs.
median() {
    local out=$1
    shift
    local runs=()
    for _ in $(seq "$RUNS"); do
        measure "$out" "$@"
        runs+=("$WALL $RSS $CPU")
    done
    read -r WALL RSS CPU < <(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
}

ok() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**NOT MET**"; fi; }

log "generating cases in $DATA"
gen m1.csv --claims 10000 --reports 1000000
gen k100.csv --claims 1000 --reports 100000
gen one100k.csv --one-claim-sources 100000 --citations 300000
gen k10-50.csv --claims 50 --reports 10000
gen k10-500.json --claims 500 --reports 10000
gen one5k.csv --one-claim-sources 5000 --citations 15000

echo "## Machine"
echo
echo "- $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB memory"
echo "- load average when the run started: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- rumorgraph $(git rev-parse --short HEAD 2>/dev/null || echo '?'); times are the median of $RUNS runs"
echo

log "(a) 1,000,000 reports over 10,000 claims"
median "$DATA/m1.out.json" "$RG" analyze "$DATA/m1.csv" --format json
A=("$WALL" "$RSS" "$CPU")
log "(b) one claim, 100,000 sources, 300,000 citations"
median "$DATA/one100k.out.json" "$RG" analyze "$DATA/one100k.csv" --format json
B=("$WALL" "$RSS" "$CPU")
log "(c) 100,000 reports over 1,000 claims"
median "$DATA/k100.out.json" "$RG" analyze "$DATA/k100.csv" --format json
C=("$WALL" "$RSS" "$CPU")
GROWTH=$(awk "BEGIN { printf \"%.1f\", ${A[0]} / ${C[0]} }")
GROWTH_CPU=$(awk "BEGIN { printf \"%.1f\", ${A[2]} / ${C[2]} }")

echo "## Targets: \`rumorgraph analyze FILE --format json > /dev/null\`"
echo
echo "| target | case | wall | peak RSS | CPU (user+sys) | goal | |"
echo "| --- | --- | ---: | ---: | ---: | --- | --- |"
echo "| (a) many claims | 1,000,000 reports, 10,000 claims (CSV) | ${A[0]} s | ${A[1]} MiB | ${A[2]} s | ≤ 5 s, ≤ 1024 MiB | $(ok "${A[0]} <= 5 && ${A[1]} <= 1024") |"
echo "| (b) one big claim | 1 claim, 100,000 sources, 300,000 citations (CSV) | ${B[0]} s | ${B[1]} MiB | ${B[2]} s | ≤ 10 s | $(ok "${B[0]} <= 10") |"
echo "| (c) linear growth | 100,000 reports, 1,000 claims (CSV) | ${C[0]} s | ${C[1]} MiB | ${C[2]} s | 10x reports ≤ 12x time | $(ok "$GROWTH <= 12"): ${GROWTH}x wall, ${GROWTH_CPU}x CPU |"
echo

# (d) the Python baseline on the same files.
BASE=(k10-50.csv k10-500.json one5k.csv)
[ "$QUICK" = 1 ] || BASE+=(k100.csv)
echo "## Against the Python baseline (benches/baseline.py, networkx $(python3 -c 'import networkx; print(networkx.__version__)' 2>/dev/null || echo '?'))"
echo
echo "| case | rumorgraph wall | rumorgraph peak RSS | baseline wall | baseline peak RSS | speed-up |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
AGREE=()
for f in "${BASE[@]}"; do
    log "(d) $f: rumorgraph"
    median "$DATA/$f.rg.json" "$RG" analyze "$DATA/$f" --format json
    R=("$WALL" "$RSS")
    log "(d) $f: baseline (one run)"
    measure "$DATA/$f.py.json" python3 benches/baseline.py "$DATA/$f"
    P=("$WALL" "$RSS")
    SPEED=$(awk "BEGIN { printf \"%.0f\", ${P[0]} / ${R[0]} }")
    echo "| $(head -c -1 <"$DATA/$f.synth.txt" | sed 's/^synth: //; s/ (.*//') ($f) | ${R[0]} s | ${R[1]} MiB | ${P[0]} s | ${P[1]} MiB | ${SPEED}x |"
    AGREE+=("$(python3 benches/compare.py "$DATA/$f.rg.json" "$DATA/$f.py.json" || true)")
done
echo
echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "## Do the two tools agree?"
echo
echo '```'
printf '%s\n' "${AGREE[@]}"
echo '```'
if printf '%s\n' "${AGREE[@]}" | grep -q DISAGREEMENT; then
    log "THE TWO TOOLS DISAGREE: see the listing above"
fi
