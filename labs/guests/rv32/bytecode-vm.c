/* The bytecode VM of the rv32 platform: an interpreter of the course's stack bytecode (.vbc), written in C and
 * compiled for RISC-V RV32IM Linux, the third VM beside the host's (src/Bytecode/Host/HostVm.cs, C#) and the
 * machine's (src/Bytecode/MachinePlatform/bytecode-vm.s, VW32 assembly). Read it beside them: the same file
 * format (curriculum/reference/bytecode.md), the same instructions, the same limits, the same errors.
 *
 *   bytecode-vm.elf [MAX-STEPS] < program.vbc        (default 100000000 steps)
 *
 * It reads the .vbc file from standard input and the program's output goes to standard output. At the end it
 * writes one line to standard error, which `workbench bytecode run --platform rv32` reads to give the same message
 * as the other VMs:
 *   rv32-vm: result R, S steps                                           exit code 0
 *   rv32-vm: error K in function F at offset O, value V, length L, S steps   exit code 1, or 3 for the step limit
 * K is the error's number (src/Bytecode/Running/RuntimeErrorKind.cs). A file that is not a module exits with 2.
 *
 * What it does not check: the file was parsed and verified on the host before any platform runs it (the class
 * loader and the verifier are host code for all three VMs), so, as the VW32 VM, it trusts the function table,
 * the jump targets, the local indexes, the stack depths and the types. It checks only what the bytecode leaves to
 * run time: division by zero, array bounds and sizes, the heap, the call depth and the step limit. Given an
 * unverified file it may misbehave (never the host: it is a guest program in an emulated process). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

long linux_write(int fd, const void *buf, unsigned long len);
long linux_read(int fd, void *buf, unsigned long len);

#define MAX_MODULE (2 * 1024 * 1024)   /* MachineVm.MaxModuleBytes */
#define CALL_DEPTH 512                 /* VmLimits.CallDepth */
#define HEAP_WORDS (1 << 20)           /* VmLimits.HeapWords */
#define FRAME_WORDS (255 + 1024)       /* the most locals and the deepest operand stack a function may declare */

enum { DIVISION_BY_ZERO = 1, INDEX_OUT_OF_BOUNDS, NEGATIVE_ARRAY_SIZE, OUT_OF_MEMORY, STACK_OVERFLOW, STEP_LIMIT };

static uint8_t module[MAX_MODULE + 1];
static int32_t slots[CALL_DEPTH * FRAME_WORDS];   /* every frame's locals, then its operand stack */
static int32_t heap[HEAP_WORDS];                  /* arrays: a length word, then the elements; a reference is the
                                                     index of the length word */
static struct frame { int function; uint32_t return_pc; int32_t *locals; } frames[CALL_DEPTH];

/* Little-endian fields of the file, read a byte at a time (the file's fields are not aligned). */
static uint32_t u16(const uint8_t *p) { return p[0] | p[1] << 8; }
static uint32_t u32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

/* A function's entry in the table: +0 parameters, +1 locals, +8 code offset. */
static const uint8_t *entry_of(int function) { return module + 16 + 16 * function; }

/* Output is buffered and written in blocks, as a C library's stdout to a pipe is. */
static char out[4096];
static unsigned out_length;

static void flush(void)
{
    unsigned done = 0;
    while (done < out_length) {
        long n = linux_write(1, out + done, out_length - done);
        if (n <= 0) break;
        done += n;
    }
    out_length = 0;
}

static void emit(char c)
{
    if (out_length == sizeof out) flush();
    out[out_length++] = c;
}

/* Decimal digits of a number, written backwards from end; returns where they start. A 32-bit value is divided
 * with 32-bit instructions (RV32IM has no 64-bit division: libgcc's takes many instructions). */
static char *decimal(char *end, uint64_t value)
{
    for (; value > UINT32_MAX; value /= 10) *--end = (char)('0' + value % 10);
    uint32_t small = (uint32_t)value;
    do { *--end = (char)('0' + small % 10); small /= 10; } while (small);
    return end;
}

/* The last line, on standard error: what the host reads. */
static void report(const char *text)
{
    flush();
    linux_write(2, text, strlen(text));
}

static void append(char **at, const char *text) { while (*text) *(*at)++ = *text++; }

static void append_number(char **at, int64_t value)
{
    char digits[24], *end = digits + sizeof digits - 1;
    *end = 0;
    char *start = decimal(end, value < 0 ? -(uint64_t)value : (uint64_t)value);
    if (value < 0) *--start = '-';
    append(at, start);
}

static int finish(int32_t result, uint64_t steps)
{
    char line[96], *at = line;
    append(&at, "rv32-vm: result ");
    append_number(&at, result);
    append(&at, ", ");
    append_number(&at, (int64_t)steps);
    append(&at, " steps\n");
    *at = 0;
    report(line);
    return 0;
}

static int fail(int kind, int function, uint32_t offset, int64_t value, int32_t length, uint64_t steps)
{
    char line[160], *at = line;
    append(&at, "rv32-vm: error ");
    append_number(&at, kind);
    append(&at, " in function ");
    append_number(&at, function);
    append(&at, " at offset ");
    append_number(&at, offset);
    append(&at, ", value ");
    append_number(&at, value);
    append(&at, ", length ");
    append_number(&at, length);
    append(&at, ", ");
    append_number(&at, (int64_t)steps);
    append(&at, " steps\n");
    *at = 0;
    report(line);
    return kind == STEP_LIMIT ? 3 : 1;
}

static uint64_t parse_steps(const char *text)
{
    uint64_t value = 0;
    for (; *text >= '0' && *text <= '9'; text++) value = value * 10 + (uint64_t)(*text - '0');
    return value;
}

int main(int argc, char **argv)
{
    uint64_t max_steps = argc > 1 ? parse_steps(argv[1]) : 100000000;

    /* Load: the whole file from standard input. */
    unsigned size = 0;
    long n;
    while (size <= MAX_MODULE && (n = linux_read(0, module + size, MAX_MODULE + 1 - size)) > 0) size += n;
    if (size > MAX_MODULE || size < 16 || memcmp(module, "VBC1", 4) != 0) {
        report("rv32-vm: standard input is not a bytecode module (.vbc) of at most 2 MiB\n");
        return 2;
    }

    /* The entry frame: its locals start as 0 (it has no parameters). */
    int fn = (int)u16(module + 8);
    const uint8_t *code = module + u32(entry_of(fn) + 8);
    int32_t *locals = slots;
    int32_t *sp = locals + entry_of(fn)[1];   /* the next free operand stack slot */
    uint32_t pc = 0;
    int depth = 1;
    uint32_t heap_used = 0;
    uint64_t steps = 0;

    for (;;) {
        if (steps == max_steps) return fail(STEP_LIMIT, fn, pc, (int64_t)max_steps, 0, steps);
        steps++;
        uint32_t at = pc;   /* the instruction's offset, for errors */
        switch (code[pc++]) {
        case 0x01: *sp++ = (int32_t)u32(code + pc); pc += 4; break;                   /* push */
        case 0x02: sp--; break;                                                       /* pop */
        case 0x03: *sp = sp[-1]; sp++; break;                                         /* dup */
        case 0x10: case 0x12: *sp++ = locals[code[pc++]]; break;                      /* iload, aload */
        case 0x11: case 0x13: locals[code[pc++]] = *--sp; break;                      /* istore, astore */
        /* Arithmetic wraps: computed on unsigned values, as C's signed overflow is undefined. */
        case 0x20: sp--; sp[-1] = (int32_t)((uint32_t)sp[-1] + (uint32_t)sp[0]); break;   /* add */
        case 0x21: sp--; sp[-1] = (int32_t)((uint32_t)sp[-1] - (uint32_t)sp[0]); break;   /* sub */
        case 0x22: sp--; sp[-1] = (int32_t)((uint32_t)sp[-1] * (uint32_t)sp[0]); break;   /* mul */
        case 0x23: case 0x24: {                                                       /* div, rem */
            int32_t b = *--sp, a = sp[-1];
            if (b == 0) return fail(DIVISION_BY_ZERO, fn, at, 0, 0, steps);
            /* INT32_MIN / -1 overflows in C: the bytecode wraps (quotient INT32_MIN, remainder 0). */
            if (b == -1) sp[-1] = code[at] == 0x23 ? (int32_t)(0u - (uint32_t)a) : 0;
            else sp[-1] = code[at] == 0x23 ? a / b : a % b;
            break;
        }
        case 0x25: sp[-1] = (int32_t)(0u - (uint32_t)sp[-1]); break;                  /* neg */
        case 0x28: sp--; sp[-1] = sp[-1] == sp[0]; break;                             /* eq */
        case 0x29: sp--; sp[-1] = sp[-1] != sp[0]; break;                             /* ne */
        case 0x2A: sp--; sp[-1] = sp[-1] < sp[0]; break;                              /* lt */
        case 0x2B: sp--; sp[-1] = sp[-1] <= sp[0]; break;                             /* le */
        case 0x2C: sp--; sp[-1] = sp[-1] > sp[0]; break;                              /* gt */
        case 0x2D: sp--; sp[-1] = sp[-1] >= sp[0]; break;                             /* ge */
        /* Jumps: a 16-bit offset from the start of the function's code. */
        case 0x30: pc = u16(code + pc); break;                                        /* jmp */
        case 0x31: pc = *--sp == 0 ? u16(code + pc) : pc + 2; break;                  /* jz */
        case 0x32: pc = *--sp != 0 ? u16(code + pc) : pc + 2; break;                  /* jnz */
        case 0x38: {                                                                  /* call */
            int callee = code[pc++];
            if (depth == CALL_DEPTH) return fail(STACK_OVERFLOW, fn, at, 0, 0, steps);
            const uint8_t *target = entry_of(callee);
            frames[depth - 1].function = fn;
            frames[depth - 1].return_pc = pc;
            frames[depth - 1].locals = locals;
            locals = sp - target[0];          /* the arguments, on the operand stack, become its first locals */
            sp = locals + target[1];
            memset(locals + target[0], 0, (target[1] - target[0]) * sizeof *locals);
            depth++;
            fn = callee;
            code = module + u32(target + 8);
            pc = 0;
            break;
        }
        case 0x39: {                                                                  /* ret */
            int32_t value = sp[-1];
            if (--depth == 0) return finish(value, steps);
            sp = locals;                      /* drop the frame: the result takes the arguments' place */
            *sp++ = value;
            fn = frames[depth - 1].function;
            pc = frames[depth - 1].return_pc;
            locals = frames[depth - 1].locals;
            code = module + u32(entry_of(fn) + 8);
            break;
        }
        case 0x40: {                                                                  /* newarray */
            int32_t length = sp[-1];
            if (length < 0) return fail(NEGATIVE_ARRAY_SIZE, fn, at, length, 0, steps);
            if ((uint64_t)heap_used + (uint32_t)length + 1 > HEAP_WORDS) return fail(OUT_OF_MEMORY, fn, at, length, 0, steps);
            heap[heap_used] = length;         /* the heap is zero and never reused: the elements are 0 */
            sp[-1] = (int32_t)heap_used;
            heap_used += (uint32_t)length + 1;
            break;
        }
        case 0x41: {                                                                  /* iaload */
            int32_t index = *--sp, *array = heap + sp[-1];
            if ((uint32_t)index >= (uint32_t)array[0]) return fail(INDEX_OUT_OF_BOUNDS, fn, at, index, array[0], steps);
            sp[-1] = array[1 + index];
            break;
        }
        case 0x42: {                                                                  /* iastore */
            sp -= 3;
            int32_t *array = heap + sp[0], index = sp[1];
            if ((uint32_t)index >= (uint32_t)array[0]) return fail(INDEX_OUT_OF_BOUNDS, fn, at, index, array[0], steps);
            array[1 + index] = sp[2];
            break;
        }
        case 0x43: sp[-1] = heap[sp[-1]]; break;                                      /* arraylength */
        case 0x48: {                                                                  /* print: decimal and a newline */
            int32_t value = *--sp;
            char digits[12], *end = digits + sizeof digits;
            char *start = decimal(end, value < 0 ? 0u - (uint32_t)value : (uint32_t)value);
            if (value < 0) emit('-');
            while (start < end) emit(*start++);
            emit('\n');
            break;
        }
        case 0x49: emit((char)*--sp); break;                                          /* putchar: the low byte */
        default:                                                                      /* never reached by verified code */
            report("rv32-vm: an opcode that is not an instruction: the module was not verified\n");
            return 2;
        }
    }
}
