#!/usr/bin/env bash
# One command from a fresh clone to an answer: gets Fashion-MNIST, builds NoiseLab, runs the sweep
# experiments/quickstart.yaml (six noise plans x 3 seeds on a small MLP) into results/quickstart.db,
# and prints the report: each plan against no noise, with its confidence interval and verdict.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Fashion-MNIST: Debian's package where apt is usable; otherwise noiselab downloads the
# publisher's files itself and checks their SHA-256. A font for the report's plots' text, too.
packages=()
[[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]] || packages+=(dataset-fashion-mnist)
[[ -n "$(find /usr/share/fonts \( -name '*.ttf' -o -name '*.otf' \) -print -quit 2>/dev/null)" ]] || packages+=(fonts-dejavu-core)
if (( ${#packages[@]} > 0 )) && command -v apt-get >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq "${packages[@]}"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo apt-get install -y -qq "${packages[@]}"
  else
    echo "quickstart: cannot run apt-get as root; noiselab will download Fashion-MNIST instead, and the plots may lack text." >&2
  fi
fi

"$root/noiselab" sweep "$root/experiments/quickstart.yaml" --store "$root/results/quickstart.db" "$@"
"$root/noiselab" report --store "$root/results/quickstart.db" --out "$root/results/quickstart-report"
