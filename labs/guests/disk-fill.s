; disk-fill.s — a guest that writes its whole disk, one sector per request, for the storage lab (09).
;
; Word i of sector s holds (s << 16) | i, or that XOR 0xA5A5A5A5 when built with -D SECOND_PASS, so the
; host can check every byte the guest wrote (a hash of the volume). The disk's capacity register is read
; again before every sector: a volume grown while the guest runs is filled to its new end.
; While the disk answers busy (status 5: a thin pool out of space holds the write) the guest polls.
; Any other error: prints "disk: I/O error" and halts with r10 = the status, r3 = the sector.
; Done: prints "disk: full" and halts with r3 = sectors written.
; The host may write a start sector into `first` and the XOR mask into `mask` after loading (default 0 both;
; -D SECOND_PASS makes the mask 0xA5A5A5A5).

.equ DISK_SECTOR,   0x1F0
.equ DISK_ADDRESS,  0x1F1
.equ DISK_COUNT,    0x1F2
.equ DISK_COMMAND,  0x1F3
.equ DISK_STATUS,   0x1F4
.equ DISK_CAPACITY, 0x1F5
.equ CONSOLE,       0x3F8
.equ BUSY,          5

    .org 0x1000
start:
    li sp, 0x0E0000
    li r1, buffer
    li r9, first
    ld r3, [r9]
next_sector:
    in r2, DISK_CAPACITY
    cmp r3, r2
    je done
    ; fill the buffer with this sector's pattern
    li r4, 0
    shli r5, r3, 16
    li r11, mask
    ld r11, [r11]
fill:
    or r6, r5, r4
    xor r6, r6, r11
    shli r7, r4, 2
    add r7, r7, r1
    st [r7], r6
    addi r4, r4, 1
    cmpi r4, 128
    jne fill
    ; write it: sector, address, count 1, command 2
    out DISK_SECTOR, r3
    out DISK_ADDRESS, r1
    li r8, 1
    out DISK_COUNT, r8
    li r8, 2
    out DISK_COMMAND, r8
poll:
    in r10, DISK_STATUS
    cmpi r10, BUSY
    je poll
    cmpi r10, 0
    jne failed
    addi r3, r3, 1
    jmp next_sector

failed:
    li r1, error_text
    call print
    hlt
done:
    li r1, done_text
    call print
    hlt

; print the zero-terminated string at r1
print:
    ldb r2, [r1]
    cmpi r2, 0
    je print_end
    out CONSOLE, r2
    addi r1, r1, 1
    jmp print
print_end:
    ret

first:      .word 0
.ifdef SECOND_PASS
mask:       .word 0xA5A5A5A5
.else
mask:       .word 0
.endif
error_text: .asciz "disk: I/O error\n"
done_text:  .asciz "disk: full\n"
    .align 512
buffer:     .space 512
