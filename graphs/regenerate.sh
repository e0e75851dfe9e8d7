#!/usr/bin/env bash
# Regenerates every diagram in graphs/ from the shipped cases:
#
#   graphs/baghdadi-libya.dot, .svg          the whole al-Baghdadi case
#   graphs/baghdadi-libya/<claim-id>.dot, .svg   each of its claims
#   graphs/example.dot, .svg                 the example case (data/example.toml)
#   graphs/baghdadi-libya.html               the whole case as one offline page
#
# Run from anywhere:  bash graphs/regenerate.sh
# Needs cargo and Graphviz (`dot`). The test suite fails when a committed .dot
# differs from what `rumorgraph dot` prints now; this script is the fix.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if ! command -v dot >/dev/null 2>&1; then
  echo "regenerate.sh: Graphviz's dot is not installed (apt-get install graphviz)" >&2
  exit 2
fi

cargo build --release --quiet
target_dir="$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
bin="$target_dir/release/rumorgraph"
[[ -x "$bin" ]] || { echo "regenerate.sh: no binary at $bin" >&2; exit 2; }

# draw CASE OUT [--claim ID]: OUT.dot and OUT.svg. Paths are relative to the
# repository, exactly as the test runs them, so the DOT text is the same.
draw() {
  local case="$1" out="$2"
  shift 2
  "$bin" dot "$case" "$@" -o "$out.dot"
  "$bin" dot "$case" "$@" --render svg -o "$out.svg"
  echo "$out.dot, $out.svg"
}

# The claim ids of a case, in the order the case declares them.
claims_of() {
  "$bin" check "$1" --min-independent 0 --quiet | awk '{ print $2 }'
}

case_file=data/baghdadi-libya.toml
per_claim=graphs/baghdadi-libya

draw "$case_file" graphs/baghdadi-libya

mkdir -p "$per_claim"
mapfile -t claims < <(claims_of "$case_file")
for id in "${claims[@]}"; do
  draw "$case_file" "$per_claim/$id" --claim "$id"
done

# Remove the diagrams of claims the case no longer has.
shopt -s nullglob
for f in "$per_claim"/*.dot "$per_claim"/*.svg; do
  base="$(basename "$f")"
  id="${base%.*}"
  keep=no
  for c in "${claims[@]}"; do
    [[ "$c" == "$id" ]] && keep=yes && break
  done
  if [[ "$keep" == no ]]; then
    rm -- "$f"
    echo "removed $f (no such claim)"
  fi
done

draw data/example.toml graphs/example

# The shipped case as one offline page.
"$bin" html data/baghdadi-libya.toml -q -o graphs/baghdadi-libya.html
echo "graphs/baghdadi-libya.html"
