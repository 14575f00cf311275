; lpar-disk.s — a partition guest with a disk, for lab 09's SAN step and live migration over a SAN (lab 02's
; mobility): it runs in a logical partition under the partition firmware (src/Partitioning) and keeps writing its
; disk, one sector at a time, round the whole disk, reading each sector back to check it, and printing on its
; virtual terminal.
;
; The firmware boots it in ring 0 with paging off (r1 = partition number, r2 = memory bytes). Its disk is a
; virtual disk the firmware serves (src/Storage/San/PartitionDisk.cs) at the machine disk's ports, so the driver
; is the usual one: 0x1F0 sector, 0x1F1 address (a logical address of the partition), 0x1F2 count,
; 0x1F3 command (1 read, 2 write), 0x1F4 status (0 ok, 5 busy: poll again), 0x1F5 capacity.
;
; Write number w (from 0) goes to sector w mod capacity; word i of it holds (w << 16) | i. So the host knows what
; the disk must hold from `written` alone: each sector, the last write that went to it. The buffer of write w is
; page w mod hot_pages above DATA_BASE (the guest's writable working set, which a migration must copy), the
; read-back lands in the last page of its memory, which only the disk writes (a migration must see those writes too). Every print_every writes it prints "tick N". A status other than 0 prints
; "disk: I/O error" and halts (r10 = status); a sector that reads back different prints "disk: mismatch" and halts.
; The host may set, after loading: hot_pages (1 to 15 in a partition of 128 KiB; 15 unless set), delay (loop iterations between writes), print_every.

.equ CONSOLE,       0x3F8
.equ DISK_SECTOR,   0x1F0
.equ DISK_ADDRESS,  0x1F1
.equ DISK_COUNT,    0x1F2
.equ DISK_COMMAND,  0x1F3
.equ DISK_STATUS,   0x1F4
.equ DISK_CAPACITY, 0x1F5
.equ BUSY,          5
.equ DATA_BASE,     0x10000         ; the first block holds code, stack and these words; buffers start above

    .org 0x1000
start:
    li r4, 4096
    sub r2, r2, r4
    li r4, check
    st [r4], r2                      ; the read-back buffer: the last page of the partition's memory
    li r8, 0                         ; r8: writes so far (also in `written`)
    li r9, 0                         ; r9: ticks printed

main_loop:
    in r2, DISK_CAPACITY
    remu r3, r8, r2                  ; r3 = the sector of this write
    li r5, hot_pages
    ld r5, [r5]
    remu r6, r8, r5
    shli r6, r6, 12
    li r7, DATA_BASE
    add r1, r6, r7                   ; r1 = this write's buffer
    li r4, 0
    shli r5, r8, 16
fill:
    or r6, r5, r4
    shli r7, r4, 2
    add r7, r7, r1
    st [r7], r6
    addi r4, r4, 1
    cmpi r4, 128
    jne fill
    mov r11, r1
    li r12, 2
    call request                     ; write the buffer
    li r11, check
    ld r11, [r11]
    li r12, 1
    call request                     ; read it back
    li r4, 0
compare:
    shli r7, r4, 2
    add r6, r7, r1
    ld r6, [r6]
    li r5, check
    ld r5, [r5]
    add r7, r7, r5
    ld r7, [r7]
    cmp r6, r7
    jne mismatch
    addi r4, r4, 1
    cmpi r4, 128
    jne compare
    addi r8, r8, 1
    li r4, written
    st [r4], r8
    li r10, delay
    ld r10, [r10]
work:
    cmpi r10, 0
    je worked
    addi r10, r10, -1
    jmp work
worked:
    li r5, print_every
    ld r5, [r5]
    remu r6, r8, r5
    cmpi r6, 0
    jne main_loop
    li r1, tick_text
    call puts
    mov r1, r9
    call putdec
    li r1, 10
    out CONSOLE, r1
    addi r9, r9, 1
    jmp main_loop

; one request of one sector: r3 = sector, r11 = address, r12 = command; waits while busy, halts on an error
request:
    out DISK_SECTOR, r3
    out DISK_ADDRESS, r11
    li r10, 1
    out DISK_COUNT, r10
    out DISK_COMMAND, r12
request_poll:
    in r10, DISK_STATUS
    cmpi r10, BUSY
    je request_poll
    cmpi r10, 0
    jne failed
    ret

failed:
    li r1, error_text
    call puts
    hlt
mismatch:
    li r1, mismatch_text
    call puts
    hlt

; prints the zero-terminated string at r1
puts:
    ldb r2, [r1]
    cmpi r2, 0
    je puts_end
    out CONSOLE, r2
    addi r1, r1, 1
    jmp puts
puts_end:
    ret

; prints r1 in decimal
putdec:
    li r3, 0
    li r4, 10
putdec_digit:
    remu r5, r1, r4
    divu r1, r1, r4
    addi r5, r5, 48
    push r5
    addi r3, r3, 1
    cmpi r1, 0
    jne putdec_digit
putdec_out:
    pop r5
    out CONSOLE, r5
    addi r3, r3, -1
    cmpi r3, 0
    jne putdec_out
    ret

hot_pages:       .word 15
delay:           .word 100
print_every:     .word 4
written:         .word 0
check:           .word 0
tick_text:       .asciz "tick "
error_text:      .asciz "disk: I/O error\n"
mismatch_text:   .asciz "disk: mismatch\n"
