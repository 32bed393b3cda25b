#!/usr/bin/env bash
# Runs the grid of seed002-adaptive-fashion.yaml with `noiselab train --json`, one JSON file per run
# under results/seed002-adaptive-fashion/ (skipping runs whose file exists). About 2-3 hours on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../results/seed002-adaptive-fashion}"
mkdir -p "$out"
adaptive="min_epochs=5,window=3,consecutive=3,cd_min=1,cd_max=2"
for model in babycnn tinycnn; do
  for opt in "sgd 0.05" "momentum 0.01" "adam 0.001"; do
    read -r optimizer lr <<<"$opt"
    for plan in none gaussian uniform; do
      noise=()
      [[ $plan != none ]] && noise=(--noise "adaptive:$adaptive,dist=$plan")
      for seed in 0 1 2; do
        file="$out/$model-$optimizer-$plan-$seed.json"
        [[ -s $file ]] && continue
        echo "$model $optimizer $plan seed $seed" >&2
        "$here/../noiselab" train --data fashion-mnist --limit-train 5000 --epochs 20 --batch-size 128 \
          --model "$model" --optimizer "$optimizer" --lr "$lr" --weight-decay 1e-4 --augment \
          --lr-schedule "restarts:every=4,min=1e-6,final=1e-5" --seed "$seed" "${noise[@]}" --json > "$file.part"
        mv "$file.part" "$file"
      done
    done
  done
done
