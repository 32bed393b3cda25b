#!/usr/bin/env bash
# NoiseLab's set-up, called by scripts/quickstart.sh and .ci/run: installs the Debian packages whose
# files the main job and the tests read, when they are missing, and fetches MNIST-10k
# (scripts/get-mnist-10k.sh). apt-get runs as root, or through 'sudo -n' where that needs no password;
# where neither works, it says what to run instead. This list is the only one: the test
# tests/NoiseLab.Tests/Build/SetupScriptTests.cs checks it against the files NoiseLab reads.
#
#   scripts/setup.sh [--dry-run] [PACKAGE=FILE ...]
#
# PACKAGE=FILE adds a package for this call only (CI's PostgreSQL), present when FILE exists.
# --dry-run prints the commands it would run and runs none. NOISELAB_SETUP_ROOT, for the tests only,
# is prefixed to every FILE checked, so that a test can see what happens when they are all missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# package               a file it installs that NoiseLab reads (the package counts as present when it exists)
packages=(
  "dataset-fashion-mnist  /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"           # Fashion-MNIST: the main job, the tests
  "python3-vega-datasets  /usr/lib/python3/dist-packages/vega_datasets/_data/seattle-weather.csv" # --data seattle-temp, the tests
  "fonts-dejavu-core      /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"                        # the text of the report's plots
  "chromium               /usr/bin/chromium"                                                      # the tests' check of the report page in a browser
)

dry_run=
for argument in "$@"; do
  case "$argument" in
    --dry-run) dry_run=1 ;;
    *=*) packages+=("${argument%%=*} ${argument#*=}") ;;
    *) echo "setup: unknown argument '$argument'; pass --dry-run or PACKAGE=FILE." >&2; exit 2 ;;
  esac
done

missing=()
for entry in "${packages[@]}"; do
  read -r package file <<<"$entry"
  [[ -e "${NOISELAB_SETUP_ROOT:-}$file" ]] || missing+=("$package")
done

# Runs a command, or prints it under --dry-run.
run() {
  if [[ -n "$dry_run" ]]; then echo "+ $*"; else "$@"; fi
}

export DEBIAN_FRONTEND=noninteractive
if (( ${#missing[@]} == 0 )); then
  echo "setup: the Debian packages are installed (${#packages[@]} checked)."
elif ! command -v apt-get >/dev/null; then
  echo "setup: missing ${missing[*]}, and this system has no apt-get; install their equivalents (or put the data where docs/data.md says)." >&2
else
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      sudo=(none)
    fi
  fi
  if [[ "${sudo[0]:-}" == none ]]; then
    echo "setup: missing ${missing[*]}, and apt-get cannot run as root here; run 'sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}', then this script again." >&2
  else
    echo "setup: installing ${missing[*]} ..."
    run "${sudo[@]}" apt-get update -qq
    run "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

"$root/scripts/get-mnist-10k.sh" ${dry_run:+--dry-run} \
  || echo "setup: MNIST-10k is not set up (see above); --data mnist-10k, and its tests, need it." >&2
