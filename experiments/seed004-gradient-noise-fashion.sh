#!/usr/bin/env bash
# Runs the grid of seed004-gradient-noise-fashion.yaml: each cell is `noiselab train --restarts 5 --json`
# (best, mean ± std and success rate over seeds 0-4), one JSON file per cell under
# results/seed004-gradient-noise-fashion/, skipping finished cells. Several hours on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../results/seed004-gradient-noise-fashion}"
mkdir -p "$out"
for init in simple he sussillo zero; do
  for lr in 0.1 0.01; do
    for clip in 10 100; do
      for eta in none 0.01 0.3 1; do
        noise=()
        [[ $eta != none ]] && noise=(--noise "gradient:annealed:eta=$eta,gamma=0.55")
        file="$out/$init-lr$lr-clip$clip-eta$eta.json"
        [[ -s $file ]] && continue
        echo "init=$init lr=$lr clip=$clip eta=$eta" >&2
        "$here/../noiselab" train --data fashion-mnist --limit-train 10000 --epochs 10 --batch-size 128 \
          --model "deepmlp:init=$init" --optimizer sgd --lr "$lr" --clip "$clip" "${noise[@]}" \
          --restarts 5 --success-at 0.5 --json > "$file.part"
        mv "$file.part" "$file"
      done
    done
  done
done
