; ams.s — lab 02, step 6: the shared-memory guest (a copy of labs/guests/ams.s) whose page hints are yours to
; write. Read ams.s's comment first.
; ams.s — a guest for Active Memory Sharing (lab 02, step 6): it runs in a shared-memory partition, whose pages
; the partition firmware keeps in a shared memory pool and pages to a paging device when the pool is short
; (src/Partitioning/Memory/Sharing). It uses its memory the way an operating system does, in three kinds:
;   working  `working_pages` pages above DATA_BASE, visited round-robin: word 0 of each page counts its visits;
;            the guest checks the count before it adds one, so a page that comes back from the paging device
;            wrong is seen (`corrupt` counts them)
;   cache    the next `cache_pages` pages: a file cache over a file on its VIOS disk (the firmware gives a
;            shared-memory partition one at the disk's ports). At boot the guest writes the file (page j: its tag
;            CACHE_TAG + j in the first and last word) and keeps it cached; it reads one cache page every
;            `cache_every` visits. A page that reads 0 was loaned to the firmware and dropped, so it is read from
;            the disk again (`cache_misses` counts them): a request to the VIOS, which costs the guest the time.
;   free     the next `scratch_pages` pages: boot-time buffers, written once and then no longer needed
; If `hints` is 1 it tells the firmware so (H_PAGE_USE: r1 = first page, r2 = count, r3 = use: 0 working,
; 1 cache, 2 free), which lets the firmware take free and cache pages without paging them: loaning.
; The firmware boots it in ring 0 with paging off: r1 = partition number, r2 = logical memory in bytes. It prints
; "tick N" on its virtual terminal every `print_every` visits. The words below are set by the host after loading.

.equ CONSOLE,        0x3F8
.equ DISK_SECTOR,    0x1F0
.equ DISK_ADDRESS,   0x1F1
.equ DISK_COUNT,     0x1F2
.equ DISK_COMMAND,   0x1F3
.equ DISK_READ,      1
.equ DISK_WRITE,     2
.equ H_PAGE_USE,     0x12
.equ USE_CACHE,      1
.equ USE_FREE,       2
.equ DATA_BASE,      0x10000         ; the first block holds code, stack and these words; data starts above
.equ DATA_PAGE,      16              ; DATA_BASE / 4096
.equ CACHE_TAG,      0xCAC00000

    .org 0x1000
start:
    li r4, partition_id
    st [r4], r1
    li r4, limit
    st [r4], r2
    ; r10 = working pages, r11 = cache pages, r12 = scratch pages
    li r4, working_pages
    ld r10, [r4]
    li r4, cache_pages
    ld r11, [r4]
    li r4, scratch_pages
    ld r12, [r4]

    ; the boot-time buffers: written once, then free
    add r4, r10, r11
    shli r4, r4, 12
    li r5, DATA_BASE
    add r4, r4, r5                   ; r4 = the first scratch page
    li r6, 0
scratch_loop:
    cmp r6, r12
    jae scratch_done
    addi r7, r6, 1
    st [r4], r7
    li r5, 4096
    add r4, r4, r5
    addi r6, r6, 1
    jmp scratch_loop
scratch_done:

    ; the file, written to the disk through the cache
    li r6, 0
cache_fill_loop:
    cmp r6, r11
    jae cache_filled
    mov r1, r6
    call cache_fill
    li r3, DISK_WRITE
    call cache_disk
    addi r6, r6, 1
    jmp cache_fill_loop
cache_filled:

    li r4, hints
    ld r4, [r4]
    cmpi r4, 0
    je hinted
    ; (the hints: see the comment at the top)
    li r0, H_PAGE_USE
    addi r1, r10, DATA_PAGE          ; the cache pages
    mov r2, r11
    li r3, USE_CACHE
    vmcall
    li r0, H_PAGE_USE
    add r1, r10, r11
    addi r1, r1, DATA_PAGE           ; the scratch pages
    mov r2, r12
    li r3, USE_FREE
    vmcall
hinted:
    li r8, 0                         ; r8: visits so far
    li r9, 0                         ; r9: ticks printed
    li r13, 0                        ; r13: cache reads so far

main_loop:
    cmpi r10, 0
    je visited
    remu r6, r8, r10                 ; page = visits mod working pages
    divu r7, r8, r10                 ; this page's visits before this one
    shli r6, r6, 12
    li r5, DATA_BASE
    add r6, r6, r5
    ld r5, [r6]
    cmp r5, r7
    je count_ok
    li r4, corrupt
    ld r5, [r4]
    addi r5, r5, 1
    st [r4], r5
count_ok:
    addi r7, r7, 1
    st [r6], r7
visited:
    addi r8, r8, 1
    li r4, cache_every
    ld r4, [r4]
    cmpi r4, 0
    je cached
    cmpi r11, 0
    je cached
    remu r5, r8, r4
    cmpi r5, 0
    jne cached
    remu r1, r13, r11                ; the next cache page
    addi r13, r13, 1
    call cache_read
cached:
    li r5, delay
    ld r5, [r5]
work:
    cmpi r5, 0
    je worked
    addi r5, r5, -1
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

; reads cache page r1: a tag of 0 is a page the firmware dropped (a miss: read it again), another wrong tag is corrupt
cache_read:
    add r2, r10, r1
    shli r2, r2, 12
    li r3, DATA_BASE
    add r2, r2, r3
    ld r3, [r2]
    cmpi r3, 0
    je cache_miss
cache_check:
    li r4, CACHE_TAG
    add r4, r4, r1
    cmp r3, r4
    je cache_hit
    li r4, corrupt
    ld r5, [r4]
    addi r5, r5, 1
    st [r4], r5
cache_hit:
    ret
cache_miss:
    li r4, cache_misses
    ld r5, [r4]
    addi r5, r5, 1
    st [r4], r5
    li r3, DISK_READ
    call cache_disk                  ; read it from the disk again
    ld r3, [r2]
    jmp cache_check                  ; and check what came back

; makes cache page r1's contents: its tag at the first and last word
cache_fill:
    add r2, r10, r1
    shli r2, r2, 12
    li r3, DATA_BASE
    add r2, r2, r3
    li r4, CACHE_TAG
    add r4, r4, r1
    st [r2], r4
    st [r2 + 4092], r4
    ret

; moves cache page r1 between memory and its 8 sectors of the file (sector 8 × r1) with command r3 (keeps r1)
cache_disk:
    shli r4, r1, 3
    out DISK_SECTOR, r4
    add r4, r10, r1
    shli r4, r4, 12
    li r5, DATA_BASE
    add r4, r4, r5
    out DISK_ADDRESS, r4
    li r4, 8
    out DISK_COUNT, r4
    out DISK_COMMAND, r3
    ret

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

working_pages:   .word 40
cache_pages:     .word 12
scratch_pages:   .word 16
cache_every:     .word 4
print_every:     .word 200
delay:           .word 50
hints:           .word 1
partition_id:    .word 0
limit:           .word 0
corrupt:         .word 0
cache_misses:    .word 0
tick_text:       .asciz "tick "
