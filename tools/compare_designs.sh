#!/bin/bash
# The verdict half of README's design comparison, measured in one run: every
# design under every property (`iovacheck check`) and every scenario
# (`iovacheck campaign`, faults on), printed as one Markdown table. The cost
# half is bench/'s scale_benchmark and design_memory_benchmark.
#
#   tools/compare_designs.sh [SEEDS] [CASES]     (defaults: 300 seeds, 2000 cases)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-300}"
cases="${2:-2000}"
designs=(decoupled legacy alias-id svq-window)
properties=(dma_map_agreement set_map_agreement first_fit_strict)
scenarios=(q35 hotplug migration viommu)

bazel build -c opt //tools:iovacheck >&2
iovacheck="$PWD/bazel-bin/tools/iovacheck"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

header="| design |"
rule="|---|"
for p in "${properties[@]}" "${scenarios[@]}"; do header+=" $p |"; rule+="---|"; done
echo "$header"
echo "$rule"
for d in "${designs[@]}"; do
  row="| \`$d\` |"
  "$iovacheck" check --translator="$d" --cases="$cases" > "$work/check" 2>&1 || true
  for p in "${properties[@]}"; do
    line="$(grep -E "^(PASS|FAIL) $p " "$work/check" || true)"
    if [[ "$line" == PASS* ]]; then
      row+=" pass |"
    elif [[ "$line" == FAIL* ]]; then
      # The rule of the shrunk counterexample: what the design got wrong.
      why="$(grep -A80 -E "^FAIL $p " "$work/check" | grep -o -m1 "): rule [a-z-]*" | cut -d" " -f3 || true)"
      row+=" fail ($why) |"
    else
      row+=" error |"
    fi
  done
  for s in "${scenarios[@]}"; do
    "$iovacheck" campaign --scenario="$s" --translator="$d" --seeds="1..$seeds" --max_shrinks=0 \
      --out_dir="$work/$s-$d" > "$work/campaign" 2>&1 || true
    summary="$(grep -E "^(PASS|FAIL) scenario" "$work/campaign" | grep -o '[0-9]* failed' || echo "error")"
    row+=" ${summary% failed} of $seeds fail |"
  done
  echo "$row"
done
