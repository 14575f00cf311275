/* A bare-metal program for system mode: the workbench's serial console is memory-mapped at 0xF000_0000 (data
 * register) and the machine timer at 0x0200_0000 (CLINT layout). It prints, then counts timer interrupts taken
 * in machine mode while it computes. */
#include <stdint.h>

#define CONSOLE ((volatile uint32_t *)0xF0000000)
#define MTIMECMP ((volatile uint32_t *)0x02004000)
#define MTIME ((volatile uint32_t *)0x0200BFF8)

static volatile int ticks;

static void put(const char *s) { while (*s) *CONSOLE = (uint8_t)*s++; }

static void put_number(unsigned n)
{
    char digits[12];
    int i = 0;
    do { digits[i++] = (char)('0' + n % 10); n /= 10; } while (n);
    while (i) *CONSOLE = (uint8_t)digits[--i];
}

__attribute__((interrupt("machine"), aligned(4))) static void on_trap(void)
{
    ticks++;
    MTIMECMP[0] = MTIME[0] + 5000;
}

int main(void)
{
    put("RV32IM on the workbench's bus: hello from machine mode\n");
    __asm__ volatile("csrw mtvec, %0" : : "r"(on_trap));
    MTIMECMP[1] = 0;
    MTIMECMP[0] = MTIME[0] + 5000;
    __asm__ volatile("csrw mie, %0" : : "r"(0x80));
    __asm__ volatile("csrsi mstatus, 8");
    unsigned sum = 0;
    for (unsigned i = 0; i < 20000; i++) sum += i * i;
    __asm__ volatile("csrci mstatus, 8");
    put("sum of squares below 20000 (mod 2^32): "); put_number(sum); put("\n");
    put("timer interrupts taken: "); put_number((unsigned)ticks); put("\n");
    return ticks > 0 ? 0 : 1;
}
