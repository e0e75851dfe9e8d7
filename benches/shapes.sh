#!/usr/bin/env bash
# rumorgraph on graphs of every named shape, against the targets of
# docs/performance.md and against two peers: the networkx script a
# researcher would write (benches/baseline.py) and the same with
# python-igraph's C core (benches/baseline_igraph.py).
#
#   bash benches/shapes.sh                 # everything (about 40 minutes on 2 cores)
#   PART=rumorgraph bash benches/shapes.sh # only rumorgraph's timings (5 minutes)
#   PART=peers bash benches/shapes.sh      # only the peers, at 5,000 sources
#   RUNS=3 ...                             # median of RUNS runs (default 5)
#   PEER_LIMIT=600 ...                     # seconds a peer may run (default 600)
#   PYTHON=/path/to/venv/bin/python ...    # a Python with networkx and python-igraph
#
# Generated cases go to $CARGO_TARGET_DIR/bench-data/shapes. Prints Markdown
# tables on standard output; progress goes to standard error. Every peer run
# that finishes is also checked figure by figure against rumorgraph
# (benches/compare.py).
set -euo pipefail

cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}
DATA=$TARGET/bench-data/shapes
RUNS=${RUNS:-5}
PART=${PART:-all}
PEER_LIMIT=${PEER_LIMIT:-600}
PYTHON=${PYTHON:-python3}
mkdir -p "$DATA"
SHAPES=(uniform pa layered ladder hubs star giant bottleneck chain)

log() { echo "shapes: $*" >&2; }

if [ ! -x /usr/bin/time ]; then
    apt-get install -y time >/dev/null 2>&1 || { log "need /usr/bin/time"; exit 1; }
fi
cargo build --release --quiet --bin rumorgraph --example synth
RG=$TARGET/release/rumorgraph
SYNTH=$TARGET/release/examples/synth

# shape_case NAME SOURCES [shuffled]: the file of a shape; star has one more
# source (the one citing all the others), chain is a million long at full
# size. With `shuffled`, the sources' ids are dealt out at random instead of
# following the order in which they cite each other.
shape_case() {
    local name=$1 n=$2 order=${3:-} file flags=()
    file=$DATA/$name-$n${order:+-$order}.csv
    if [ "$order" = shuffled ]; then flags=(--shuffle-ids); fi
    if [ ! -s "$file" ]; then
        case $name in
        star) "$SYNTH" --shape star --sources $((2 * n + 1)) ${flags[@]+"${flags[@]}"} -o "$file" 2>/dev/null ;;
        chain) "$SYNTH" --shape chain --sources $((10 * n)) ${flags[@]+"${flags[@]}"} -o "$file" 2>/dev/null ;;
        *) "$SYNTH" --shape "$name" --sources "$n" --citations $((3 * n)) --back $((3 * n / 10)) ${flags[@]+"${flags[@]}"} -o "$file" 2>/dev/null ;;
        esac
    fi
    echo "$file"
}

corpus_case() {
    local name=$1 reports=$2 alpha=$3 file
    file=$DATA/$name-$reports.csv
    [ -s "$file" ] || "$SYNTH" --claims $((reports / 100)) --reports "$reports" --alpha "$alpha" -o "$file" 2>/dev/null
    echo "$file"
}

# measure CMD...: WALL (s, 3 decimals) and RSS (MiB) of one run.
measure() {
    local t started ended
    t=$(mktemp)
    started=$(date +%s%N)
    /usr/bin/time -v -o "$t" "$@" >/dev/null 2>&1 || { log "FAILED: $*"; cat "$t" >&2; exit 1; }
    ended=$(date +%s%N)
    WALL=$(awk "BEGIN { printf \"%.3f\", ($ended - $started) / 1e9 }")
    RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$t")
    rm -f "$t"
}

median() {
    local runs=()
    for _ in $(seq "$RUNS"); do
        measure "$@"
        runs+=("$WALL $RSS")
    done
    read -r WALL RSS < <(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
}

# pair BIG SMALL: the median wall and memory of `analyze BIG` (WALL, RSS)
# and of `analyze SMALL` (SMALL_WALL), the two run in turn, RUNS times
# each: the machine's speed drifts by a fifth or more over minutes, and
# runs taken apart would put that drift into the ratio of the two.
pair() {
    local big=() small=()
    for _ in $(seq "$RUNS"); do
        measure "$RG" analyze -q "$1" --format json
        big+=("$WALL $RSS")
        measure "$RG" analyze -q "$2" --format json
        small+=("$WALL")
    done
    local mid=$(((RUNS + 1) / 2))
    read -r WALL RSS < <(printf '%s\n' "${big[@]}" | sort -n | sed -n "${mid}p")
    SMALL_WALL=$(printf '%s\n' "${small[@]}" | sort -n | sed -n "${mid}p")
}

ok() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**NOT MET**"; fi; }

if [ "$PART" = all ] || [ "$PART" = rumorgraph ]; then
    echo "### One claim of every shape (100,000 sources, about 300,000 citations)"
    echo
    echo "| shape | sources | citations | wall (s) | peak memory (MiB) | target ≤ 2 s, ≤ 256 MiB | 10x growth (10k → 100k): time ratio |"
    echo "| --- | ---: | ---: | ---: | ---: | --- | ---: |"
    for order in "" shuffled; do
        for s in "${SHAPES[@]}"; do
            big=$(shape_case "$s" 100000 $order)
            small=$(shape_case "$s" 10000 $order)
            log "$s $order"
            pair "$big" "$small"
            local_wall=$WALL
            local_rss=$RSS
            growth=$(awk "BEGIN { printf \"%.2f\", $local_wall / ($SMALL_WALL > 0.001 ? $SMALL_WALL : 0.001) }")
            sources=$(($(wc -l <"$big") - 1))
            citations=$(awk -F, 'NR > 1 && $3 != "" { n += split($3, a, ";") } END { print n + 0 }' "$big")
            echo "| $s${order:+, ids $order} | $sources | $citations | $local_wall | $local_rss | $(ok "$local_wall <= 2 && $local_rss <= 256") | ${growth}x |"
        done
    done
    echo
    echo "### Corpora of 1,000,000 reports over 10,000 claims"
    echo
    echo "| corpus | largest claim (reports) | wall (s) | peak memory (MiB) | target ≤ 1.5 s, ≤ 600 MiB | 10x growth (100k → 1M): time ratio |"
    echo "| --- | ---: | ---: | ---: | --- | ---: |"
    for c in "default 1.3" "steep 0.8"; do
        read -r name alpha <<<"$c"
        big=$(corpus_case "$name" 1000000 "$alpha")
        small=$(corpus_case "$name" 100000 "$alpha")
        log "corpus $name"
        largest=$(cut -d, -f2 "$big" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $1 }')
        pair "$big" "$small"
        bw=$WALL br=$RSS
        growth=$(awk "BEGIN { printf \"%.2f\", $bw / $SMALL_WALL }")
        echo "| $name (alpha $alpha) | $largest | $bw | $br | $(ok "$bw <= 1.5 && $br <= 600") | ${growth}x |"
    done
    echo
fi

if [ "$PART" = all ] || [ "$PART" = peers ]; then
    echo "### Against the peers, one claim of 5,000 sources of every shape"
    echo
    echo "| shape | rumorgraph (s) | python-igraph (s) | networkx (s) | vs igraph | vs networkx | figures |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
    for s in "${SHAPES[@]}"; do
        f=$(shape_case "$s" 5000)
        log "peers on $s"
        median "$RG" analyze -q "$f" --format json
        rg=$WALL
        "$RG" analyze -q "$f" --format json >"$f.rg.json"
        # peer SCRIPT OUT: prints its wall time and whether its figures agree.
        peer() {
            local script=$1 out=$2 started ended
            started=$(date +%s%N)
            if timeout "$PEER_LIMIT" "$PYTHON" "$script" "$f" >"$out" 2>/dev/null; then
                ended=$(date +%s%N)
                awk "BEGIN { printf \"%.2f \", ($ended - $started) / 1e9 }"
                if "$PYTHON" benches/compare.py "$f.rg.json" "$out" >/dev/null; then
                    echo agree
                else
                    echo "**DISAGREE**"
                fi
            else
                echo ">$PEER_LIMIT -"
            fi
        }
        read -r ig ig_ok < <(peer benches/baseline_igraph.py "$f.ig.json")
        read -r nx nx_ok < <(peer benches/baseline.py "$f.nx.json")
        ratio() {
            case $1 in
            ">"*) echo "-" ;;
            *) awk "BEGIN { printf \"%.0fx\", $1 / ($rg > 0.001 ? $rg : 0.001) }" ;;
            esac
        }
        echo "| $s | $rg | $ig | $nx | $(ratio "$ig") | $(ratio "$nx") | igraph: $ig_ok, networkx: $nx_ok |"
    done
    echo
fi
