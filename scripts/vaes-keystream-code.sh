#!/usr/bin/env bash
# Prints the machine code of src/NoiseLab/Randomness/Native/vaes_keystream.c as the C# byte list that
# src/NoiseLab/Randomness/VaesKeystream.cs holds (Code), after checking that it needs no relocation: the code is
# copied to a page of its own at run time, so it may refer to nothing outside itself. Needs gcc and binutils.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -O2 -mavx512f -mvaes -fno-asynchronous-unwind-tables -fcf-protection=none -fno-stack-protector \
  -c "$root/src/NoiseLab/Randomness/Native/vaes_keystream.c" -o "$work/k.o"
if objdump -r "$work/k.o" | grep -q "R_X86_64"; then
  echo "vaes-keystream-code: the compiled code needs relocations (a constant pool or a call); it cannot be copied to a page of its own." >&2
  exit 1
fi
objcopy -O binary --only-section=.text "$work/k.o" "$work/k.bin"
echo "// gcc $(gcc -dumpfullversion): $(stat -c %s "$work/k.bin") bytes"
od -An -v -tx1 "$work/k.bin" | sed -E 's/ +/ /g; s/^ //; s/ $//; s/([0-9a-f]{2})/0x\1,/g' | sed 's/^/        /'
