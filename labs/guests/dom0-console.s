; dom0-console.s — the control domain (Dom0) of the split-driver system: the console back-end.
;
; Dom0 owns the real console. It sleeps until DomU's front-end sends an event, copies the shared ring out of
; the page DomU granted (it cannot see DomU's memory otherwise), prints the new bytes on the real console,
; writes the new consumer index back into the ring and sends an event so that a front-end waiting for room
; wakes up.

.include "hypercalls.s"
.equ RING_SIZE,      256
.equ CONSOLE,        0x3F8

start:
    li sp, 0x8000
wait:
    li r0, HC_BLOCK                  ; sleep until the front-end has something
    vmcall
drain:
    li r1, 0                         ; copy the ring (indices and data) out of the granted page
    li r2, ring
    li r3, 8 + RING_SIZE
    li r0, HC_GRANT_COPY
    vmcall
    li r2, ring
    ld r3, [r2]                      ; producer
    ld r4, [r2 + 4]                  ; consumer
    cmp r4, r3
    je wait
print:
    andi r5, r4, RING_SIZE - 1
    add r5, r2, r5
    ldb r6, [r5 + 8]
    out CONSOLE, r6                  ; Dom0 drives the real device
    addi r4, r4, 1
    cmp r4, r3
    jne print
    li r1, 4                         ; consumer = producer, in the shared page
    mov r2, r4
    li r0, HC_GRANT_WRITE
    vmcall
    li r0, HC_EVENT_SEND             ; room in the ring
    vmcall
    jmp drain

    .align 4
ring: .space 8 + RING_SIZE
