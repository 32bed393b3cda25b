#!/usr/bin/env bash
# The fresh-machine check: the README's two commands, from a clone of this repository's HEAD, in a Debian 12
# system that has only what a new machine of this project's kind has: the .NET SDK, git, Node.js with npm, and
# the workplace's CA certificates with the environment and npm settings that point to them. Nothing of this machine's set-up reaches it: no Debian package NoiseLab
# installs, no NuGet or npm cache, no data under ~/.cache, no build output.
#
#   sudo scripts/fresh-machine-check.sh [FOLDER]
#
# FOLDER (default /var/tmp/noiselab-fresh) keeps a debootstrapped base system between checks; each check
# copies it afresh, so a check never sees what an earlier one installed. Needs root (debootstrap, chroot,
# mounts) and Debian's mirror. Prints the tests' closing line; exits with the first failing command's status.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
folder="${1:-/var/tmp/noiselab-fresh}"
[[ $(id -u) -eq 0 ]] || { echo "fresh-machine-check: run it as root (it uses debootstrap, chroot and mounts): sudo $0" >&2; exit 2; }
for tool in dotnet git node npm; do
  command -v "$tool" >/dev/null || { echo "fresh-machine-check: this machine has no '$tool' to lend the fresh system; a new machine of this kind has it, so install it here first." >&2; exit 2; }
done
git -C "$root" diff --quiet HEAD || echo "fresh-machine-check: note: uncommitted changes are not checked; the clone is of HEAD $(git -C "$root" rev-parse --short HEAD)." >&2

export DEBIAN_FRONTEND=noninteractive
base="$folder/base"
if [[ ! -f "$base/.complete" ]]; then
  command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap; }
  rm -rf "$base"
  mkdir -p "$folder"
  echo "fresh-machine-check: building a Debian 12 base system in $base ..."
  debootstrap --variant=minbase --include=ca-certificates,git,libicu72,libssl3 bookworm "$base" http://deb.debian.org/debian >"$folder/debootstrap.log" 2>&1 \
    || { echo "fresh-machine-check: debootstrap failed; its log is $folder/debootstrap.log." >&2; exit 1; }
  cp /etc/apt/sources.list.d/debian.sources "$base/etc/apt/sources.list.d/" 2>/dev/null && rm -f "$base/etc/apt/sources.list" || true
  touch "$base/.complete"
fi

machine="$folder/machine"
cleanup() {
  for mount in proc sys dev usr/share/dotnet usr/lib/node_modules/npm; do
    mountpoint -q "$machine/$mount" && umount -l "$machine/$mount"
  done
  return 0
}
trap cleanup EXIT
cleanup
# Never delete through a mount that is still there (the bound /dev, say).
if grep -q " $machine/" /proc/mounts; then
  echo "fresh-machine-check: something is still mounted under $machine; unmount it (grep $machine /proc/mounts) and run this again." >&2
  exit 1
fi
rm -rf "$machine"
cp -a "$base" "$machine"

# What a new machine of this kind has: the SDK, Node.js and npm (lent read-only from this machine, as they come
# with the machine, not with NoiseLab), DNS, and the workplace's CA certificates.
mkdir -p "$machine/usr/share/dotnet" "$machine/usr/lib/node_modules/npm"
mount --bind "$(dirname "$(readlink -f "$(command -v dotnet)")")" "$machine/usr/share/dotnet" && mount -o remount,bind,ro "$machine/usr/share/dotnet"
mount --bind "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$machine/usr/lib/node_modules/npm"
ln -sf /usr/share/dotnet/dotnet "$machine/usr/bin/dotnet"
cp "$(readlink -f "$(command -v node)")" "$machine/usr/bin/node"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$machine/usr/bin/npm"
cp /etc/resolv.conf "$machine/etc/resolv.conf"
cp /usr/local/share/ca-certificates/*.crt "$machine/usr/local/share/ca-certificates/" 2>/dev/null || true
# npm's global settings (its CA file, here) come with the machine too.
for npmrc in /etc/npmrc /usr/etc/npmrc; do
  [[ -f "$npmrc" ]] && mkdir -p "$machine$(dirname "$npmrc")" && cp "$npmrc" "$machine$npmrc"
done
mount -t proc proc "$machine/proc"
mount --rbind /sys "$machine/sys"
mount --rbind /dev "$machine/dev"
chroot "$machine" update-ca-certificates >/dev/null 2>&1

git clone -q "$root" "$machine/root/noiselab"
echo "fresh-machine-check: the README's two commands, in $machine/root/noiselab ..."
# The machine's own environment for TLS (where its workplace puts a CA of its own) and NuGet, and nothing else.
machine_environment=()
for name in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE GIT_SSL_CAINFO NUGET_CERT_REVOCATION_MODE; do
  [[ -n "${!name:-}" ]] && machine_environment+=("$name=${!name}")
done
set +e
# The README's two commands, word for word, as root with a new HOME; the environment a login shell there has.
chroot "$machine" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 TERM=dumb "${machine_environment[@]}" \
  /bin/bash -c 'cd /root/noiselab && ./scripts/quickstart.sh && dotnet test NoiseLab.slnx -c Release' 2>&1 | tee "$folder/check.log"
status=${PIPESTATUS[0]}
grep -E 'Failed: +[0-9]+, Passed: +[0-9]+' "$folder/check.log" | tail -n 1 || true
echo "fresh-machine-check: exit $status; the whole output is $folder/check.log."
exit "$status"
