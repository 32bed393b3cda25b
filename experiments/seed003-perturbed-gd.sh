#!/usr/bin/env bash
# Runs the grid of seed003-perturbed-gd.yaml with `noiselab train --json`, one JSON file per run under
# results/seed003-perturbed-gd/, skipping finished runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../results/seed003-perturbed-gd}"
mkdir -p "$out"
plans=(none)
for sigma in 0.003 0.00003; do
  for when in before after; do
    for scope in all layerwise; do plans+=("$when:$scope:$sigma"); done
  done
done
run() { # name, extra args...
  local file="$out/$1.json"; shift
  [[ -s $file ]] && return
  echo "$(basename "$file" .json)" >&2
  "$here/../noiselab" train "$@" --json > "$file.part" && mv "$file.part" "$file"
}
for seed in 0 1 2; do
  for plan in "${plans[@]}"; do
    noise=()
    if [[ $plan != none ]]; then
      IFS=: read -r when scope sigma <<<"$plan"
      noise=(--noise "perturb:gaussian:sigma=$sigma,when=$when,scope=$scope")
    fi
    tag="${plan//:/-}"
    for model in mnistnet1 mnistnet2 mnistnet3; do
      run "$model-$tag-$seed" --data fashion-mnist --limit-train 10000 --epochs 5 --model "$model" --optimizer sgd --lr 0.1 --seed "$seed" "${noise[@]}"
    done
    run "lstm-$tag-$seed" --data seattle-temp --epochs 20 --model lstm --optimizer adam --lr 0.005 --seed "$seed" "${noise[@]}"
  done
done
