; irq_on.s — reference solution of lab 05, step 6: sti traps, popf does not.
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
    sti                              ; privileged: the monitor sees it and turns the virtual IF on
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
