; stream.s — sends r4 frames of r7 bytes to the peer (r3:r2), pausing r8 loop turns between them, then
; keeps receiving. With r4 = 0 it only receives (a sink).
; Results: r9 frames sent, r10 frames received for this interface, r12 of them stream frames.
.entry start
.include "ethernet.s"

start:
    li r13, txbuf
    li r14, rxbuf
    li r9, 0
    li r10, 0
    li r12, 0
    call header
next:
    cmp r9, r4
    jae sink
    add r0, r13, r11
    li r1, KIND_STREAM
    stb [r0 + 0], r1
    stb [r0 + 1], r9
    shri r1, r9, 8
    stb [r0 + 2], r1
    call send
    addi r9, r9, 1
    mov r3, r8
    cmpi r3, 0
    je next
pause:
    call drain
    subi r3, r3, 1
    jnz pause
    jmp next
sink:
    call drain
    jmp sink

; drain: takes one waiting frame, if any, and counts it.
drain:
    call receive
    cmpi r0, 0
    je drain_done
    call accept
    cmpi r1, 0
    je drain_done
    addi r10, r10, 1
    add r0, r14, r1
    ldb r1, [r0 + 0]
    cmpi r1, KIND_STREAM
    jne drain_done
    addi r12, r12, 1
drain_done:
    ret

txbuf: .space 1520
rxbuf: .space 1524
