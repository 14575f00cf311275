; readsum.s — reads the first 16 sectors of the disk in one request and halts with r1 = the sum of their
; 32-bit words (modulo 2^32); r1 = 0xFFFFFFFF if the disk reports an error.

    .org 0x1000
start:
    li r2, buffer
    li r3, 0
    out 0x1F0, r3          ; sector 0
    out 0x1F1, r2          ; into the buffer
    li r3, 16
    out 0x1F2, r3          ; 16 sectors
    li r3, 1
    out 0x1F3, r3          ; read
wait:
    in r4, 0x1F4
    cmpi r4, 5             ; busy: the store holds the request
    je wait
    cmpi r4, 0
    jne failed
    li r1, 0
    li r5, 2048            ; 16 sectors x 128 words
sum:
    ld r6, [r2]
    add r1, r1, r6
    addi r2, r2, 4
    addi r5, r5, -1
    jne sum
    hlt
failed:
    li r1, 0xFFFFFFFF
    hlt

    .align 512
buffer: .space 8192
