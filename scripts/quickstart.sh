#!/usr/bin/env bash
# One command from a fresh clone to a trained network: gets Fashion-MNIST, builds NoiseLab,
# trains the 784-500-500-10 MLP on the full training split and prints each epoch and the test figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Fashion-MNIST: Debian's package where apt is usable; otherwise noiselab downloads the
# publisher's files itself and checks their SHA-256.
if [[ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]] && command -v apt-get >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo apt-get install -y -qq dataset-fashion-mnist
  else
    echo "quickstart: cannot run apt-get as root; noiselab will download Fashion-MNIST instead." >&2
  fi
fi

"$root/noiselab" train --data fashion-mnist --model mlp:500,500 \
  --optimizer momentum --lr 0.1 --lr-schedule cosine --epochs 5 --batch-size 128 --seed 0 "$@"
