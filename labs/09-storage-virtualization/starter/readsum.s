; readsum.s — reads the first 16 sectors of the disk in ONE request and halts with r1 = the sum of their
; 32-bit words (modulo 2^32); r1 = 0xFFFFFFFF if the disk reports an error.
;
; The disk's ports (curriculum/reference/isa.md): 0x1F0 sector, 0x1F1 memory address, 0x1F2 count,
; 0x1F3 command (1 = read into memory), 0x1F4 status (0 ok, 5 busy: read it again, anything else an error).

    .org 0x1000
start:
    ; TODO: read sectors 0-15 into `buffer`, wait while the status is busy, then add up its 2048 words into r1.
    li r1, 0
    hlt

    .align 512
buffer: .space 8192
