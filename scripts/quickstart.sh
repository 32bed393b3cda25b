#!/usr/bin/env bash
# One command from a fresh clone to an answer: sets up the data (scripts/setup.sh), builds NoiseLab, runs the sweep
# experiments/quickstart.yaml (six noise plans x 3 seeds on a small MLP) into results/quickstart.db,
# and prints the report: each plan against no noise, with its confidence interval and verdict.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The data and the font (Debian's packages where apt is usable; otherwise noiselab downloads
# Fashion-MNIST itself and checks its SHA-256), and MNIST-10k: scripts/setup.sh, also what the tests need.
"$root/scripts/setup.sh"

"$root/noiselab" sweep "$root/experiments/quickstart.yaml" --store "$root/results/quickstart.db" "$@"
"$root/noiselab" report --store "$root/results/quickstart.db" --out "$root/results/quickstart-report"
