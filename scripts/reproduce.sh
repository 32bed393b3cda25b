#!/usr/bin/env bash
# Runs one of the seed studies end to end and resumably: the sweep (its store under results/, which git
# ignores), then the per-run and per-epoch CSVs (results/STUDY/runs.csv and epochs.csv.gz, committed) and the report
# (results/STUDY-report/). Run it again after any stop: finished runs are kept, interrupted ones resume
# from their checkpoints, and the CSVs and report are rewritten from the store.
#
#   scripts/reproduce.sh seed002|seed002-gap|seed002-gap-more|seed003|seed004 [--jobs N] [--retry-failed]
#
# --retry-failed trains the runs stored as failed again (once their cause is fixed); without it they stay failed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-}" in
  seed002) spec=experiments/seed002-adaptive-fashion.yaml ;;
  seed002-gap) spec=experiments/seed002-gap-fashion.yaml ;;
  seed002-gap-more) spec=experiments/seed002-gap-more-fashion.yaml ;;
  seed003) spec=experiments/seed003-perturbed-gd.yaml ;;
  seed004) spec=experiments/seed004-table1-mnist10k.yaml ;;
  *) echo "reproduce: name a study: seed002, seed002-gap, seed002-gap-more, seed003 or seed004 (e.g. scripts/reproduce.sh seed004)." >&2; exit 2 ;;
esac
study=$1
shift
jobs=2
retry=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jobs)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "reproduce: --jobs takes a positive number, e.g. --jobs 2." >&2; exit 2; }
      jobs=$2
      shift 2 ;;
    --retry-failed) retry=(--retry-failed); shift ;;
    *) echo "reproduce: unknown argument '$1'; the form is scripts/reproduce.sh STUDY [--jobs N] [--retry-failed]." >&2; exit 2 ;;
  esac
done

cd "$root"
"$root/scripts/setup.sh"
mkdir -p results
store="results/$study.db"
./noiselab sweep "$spec" --store "$store" --jobs "$jobs" "${retry[@]}"
./noiselab export --store "$store" --format csv --out "results/$study"
# The per-epoch history is large (seed 004's: 108,000 rows, 28 MB); it is committed compressed (zcat reads it).
gzip -n -f "results/$study/epochs.csv"
./noiselab report --store "$store" --out "results/$study-report"
