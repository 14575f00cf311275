#!/bin/sh
# Builds the RV32IM guest programs of lab 03 with Debian's cross compiler and picolibc
# (apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf). The ELF files in prebuilt/ were built by
# this script from these sources; run it again to rebuild them:  sh labs/guests/rv32/build.sh [OUT-FOLDER]
set -eu
export LC_ALL=C
cd "$(dirname "$0")"
out=${1:-prebuilt}
mkdir -p "$out"
cc=riscv64-unknown-elf-gcc
arch="-march=rv32im -mabi=ilp32"
# Bare-metal code uses CSR instructions, which GCC 12 names as the Zicsr extension.
sysarch="-march=rv32im_zicsr_zifencei -mabi=ilp32"
pico=/usr/lib/picolibc/riscv64-unknown-elf

# User mode: static Linux programs (system calls through ecall), picolibc's C library on runtime/linux.c.
for program in hello primes sort upper loop arith xorshift collatz bytecode-vm; do
  $cc $arch -O2 -g0 -static -nostdlib -ftls-model=local-exec -isystem $pico/include -Wl,--build-id=none,--strip-debug,--discard-all \
    -s -o "$out/$program.elf" runtime/crt0.S runtime/linux.c $program.c -L$pico/lib/rv32im/ilp32 -lc -lgcc
done

# The ISA tests: system-mode images (tohost) and the same tests as user-mode programs (exit code) for qemu.
for test in alu memory control muldiv; do
  $cc $sysarch -nostdlib -nostartfiles -static -Iisa -T system/link.ld -Wl,--build-id=none,--strip-debug,--discard-all,--no-warn-rwx-segments -o "$out/isa-$test.elf" isa/$test.S
  $cc $sysarch -nostdlib -nostartfiles -static -Iisa -DUSER_MODE -Wl,--build-id=none,--strip-debug,--discard-all -o "$out/isa-$test-user.elf" isa/$test.S
done
$cc $sysarch -nostdlib -nostartfiles -static -Iisa -T system/link.ld -Wl,--build-id=none,--strip-debug,--discard-all,--no-warn-rwx-segments -o "$out/isa-machine.elf" isa/machine.S

# A bare-metal C program: console and timer on the workbench's bus.
$cc $sysarch -O2 -g0 -nostdlib -nostartfiles -static -ffreestanding -T system/link.ld -Wl,--build-id=none,--strip-debug,--discard-all,--no-warn-rwx-segments \
  -o "$out/console.elf" system/start.S system/console.c
