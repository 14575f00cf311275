/* The C runtime of the lab's RISC-V programs: picolibc's libc on top of four Linux system calls, made with
 * ecall as on a real RV32 Linux (a7 = number, a0-a2 = arguments, a0 = result). Runs under qemu-riscv32 and under
 * the workbench's user-mode emulation alike. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

#define SYS_read 63
#define SYS_write 64
#define SYS_exit 93
#define SYS_exit_group 94
#define SYS_brk 214

static long linux_call(long n, long a, long b, long c)
{
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

long linux_write(int fd, const void *buf, unsigned long len) { return linux_call(SYS_write, fd, (long)buf, (long)len); }
long linux_read(int fd, void *buf, unsigned long len) { return linux_call(SYS_read, fd, (long)buf, (long)len); }

void _exit(int code)
{
    linux_call(SYS_exit_group, code, 0, 0);
    for (;;) { }
}

/* The heap grows with brk, as glibc's malloc does on Linux. */
void *sbrk(ptrdiff_t increment)
{
    static uintptr_t current;
    if (current == 0) current = (uintptr_t)linux_call(SYS_brk, 0, 0, 0);
    uintptr_t wanted = current + increment;
    if ((uintptr_t)linux_call(SYS_brk, (long)wanted, 0, 0) != wanted) { errno = ENOMEM; return (void *)-1; }
    void *old = (void *)current;
    current = wanted;
    return old;
}

/* stdout is line-buffered as on Linux, so a program makes one write per line, not per character. */
static char out_buffer[256];
static int out_length;

static void out_flush(void)
{
    int done = 0;
    while (done < out_length) {
        long n = linux_write(1, out_buffer + done, out_length - done);
        if (n <= 0) break;
        done += n;
    }
    out_length = 0;
}

static int out_put(char c, FILE *file)
{
    (void)file;
    out_buffer[out_length++] = c;
    if (c == '\n' || out_length == (int)sizeof out_buffer) out_flush();
    return (unsigned char)c;
}

static int in_get(FILE *file)
{
    (void)file;
    unsigned char c;
    return linux_read(0, &c, 1) == 1 ? c : EOF;
}

static int out_flush_file(FILE *file) { (void)file; out_flush(); return 0; }

static FILE linux_stdio = FDEV_SETUP_STREAM(out_put, in_get, out_flush_file, _FDEV_SETUP_RW);
FILE *const stdin = &linux_stdio;
FILE *const stdout = &linux_stdio;
FILE *const stderr = &linux_stdio;

/* picolibc keeps errno and friends in thread-local storage (tp-relative); the one thread's block is copied
 * from the program's PT_TLS segment, found through the auxiliary vector's AT_PHDR. */
struct phdr { uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align; };
static uint8_t tls_block[512] __attribute__((aligned(16)));

static void tls_setup(char **envp)
{
    while (*envp) envp++;
    uint32_t *aux = (uint32_t *)(envp + 1);
    struct phdr *ph = 0;
    uint32_t count = 0;
    for (; aux[0] != 0; aux += 2) {
        if (aux[0] == 3) ph = (struct phdr *)aux[1];   /* AT_PHDR */
        if (aux[0] == 5) count = aux[1];               /* AT_PHNUM */
    }
    for (uint32_t i = 0; ph && i < count; i++) {
        if (ph[i].type == 7 && ph[i].memsz <= sizeof tls_block) {   /* PT_TLS */
            memcpy(tls_block, (void *)ph[i].vaddr, ph[i].filesz);
        }
    }
    __asm__ volatile("mv tp, %0" : : "r"(tls_block));
}

extern int main(int argc, char **argv);

void __linux_start(int argc, char **argv, char **envp)
{
    tls_setup(envp);
    int code = main(argc, argv);
    out_flush();
    exit(code);
}
