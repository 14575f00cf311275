; echo.s — answers every request for this interface: the same frame back to its sender, as a reply.
; Results: r9 replies sent, r10 frames received for this interface.
.entry start
.include "ethernet.s"

start:
    li r14, rxbuf
    li r9, 0
    li r10, 0
loop:
    call receive
    cmpi r0, 0
    je loop
    mov r7, r0                       ; reply with the request's length
    call accept
    cmpi r1, 0
    je loop
    addi r10, r10, 1
    add r0, r14, r1
    ldb r2, [r0 + 0]
    cmpi r2, KIND_REQUEST
    jne loop
    li r2, KIND_REPLY
    stb [r0 + 0], r2
    li r3, 0                         ; destination = the request's source
swap:
    add r0, r14, r3
    ldb r2, [r0 + 6]
    stb [r0 + 0], r2
    addi r3, r3, 1
    cmpi r3, 6
    jne swap
    mov r13, r14
    call own_source
    call send
    addi r9, r9, 1
    jmp loop

rxbuf: .space 1524
