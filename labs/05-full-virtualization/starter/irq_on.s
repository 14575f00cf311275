; irq_on.s — lab 05, step 6. A tiny kernel: install a timer handler, turn interrupts on, wait for one tick.
; It works natively. Make it work under trap-and-emulate too.
start:
    li sp, 0x40000
    li r1, idt
    lidt r1
    li r2, on_tick
    st [r1 + 32 * 8], r2             ; gate 32: the timer
    li r2, 3
    st [r1 + 32 * 8 + 4], r2
    li r1, 5000
    out 0x40, r1                     ; tick every 5000 cycles
    li r1, 3
    out 0x41, r1
    li r9, 0
    pushf                            ; turn interrupts on: the flags-restore idiom
    pop r2
    ori r2, r2, 0x200
    push r2
    popf
wait:
    cmpi r9, 0
    je wait
    li r1, 't'
    out 0x3F8, r1
    li r1, 'i'
    out 0x3F8, r1
    li r1, 'c'
    out 0x3F8, r1
    li r1, 'k'
    out 0x3F8, r1
    li r1, 10
    out 0x3F8, r1
    cli
    hlt

on_tick:
    li r9, 1
    iret

    .align 8
idt: .space 2048
