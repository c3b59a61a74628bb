#!/usr/bin/env bash
# Rebuild bench/RESULTS.md from the sections each benchmark writes (bench/results_*.md).
# Each section names the command that made it; rerun that command, then this script.
set -euo pipefail
cd "$(dirname "$0")"
{
  echo "# Benchmark results"
  echo
  echo "Each section below was written by the benchmark it names, with its command. The machine"
  echo "has 2 cores and was shared with other work while they ran: compare the ratios measured"
  echo "in the same run, not absolute times. Rebuild this file with \`bench/collect_results.sh\`."
  for section in results_viewport.md results_network.md results_gaps.md results_export.md \
                 results_load.md; do
    [ -f "$section" ] || continue
    echo
    echo "---"
    echo
    sed 's/^# /## /' "$section"
  done
} > RESULTS.md
echo "bench/RESULTS.md rebuilt"
