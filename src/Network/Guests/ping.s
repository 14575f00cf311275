; ping.s — sends r4 requests to the peer (r3:r2), one at a time, and waits up to r8 loop turns for each reply.
; Results: r9 requests sent, r10 frames received for this interface, r12 replies.
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
    jae done
    add r0, r13, r11
    li r1, KIND_REQUEST
    stb [r0 + 0], r1
    stb [r0 + 1], r9
    shri r1, r9, 8
    stb [r0 + 2], r1
    call send
    addi r9, r9, 1
    mov r3, r8                       ; the peer's address is in the header now: r3 counts the wait
wait:
    call receive
    cmpi r0, 0
    je wait_more
    addi r10, r10, 1
    call accept
    cmpi r1, 0
    je wait_more
    add r0, r14, r1
    ldb r1, [r0 + 0]
    cmpi r1, KIND_REPLY
    jne wait_more
    addi r12, r12, 1
    jmp next
wait_more:
    subi r3, r3, 1
    jnz wait
    jmp next
done:
    hlt

txbuf: .space 1520
rxbuf: .space 1524
