; dlpar.s — lab 02, step 2: the partition-aware guest (a copy of labs/guests/lpar.s) whose answer to the
; firmware's DLPAR event is yours to write. Read lpar.s's comment first.
; lpar.s — a partition-aware guest for lab 02: it runs in a logical partition under the partition firmware
; (src/Partitioning), knows it is partitioned, and cooperates with it, as AIX does with the POWER Hypervisor.
;
; The firmware boots it in ring 0 with paging off and hands over, in registers (its "device tree"):
;   r1 = the partition's number, r2 = its memory in bytes (logical addresses 0 .. r2-1), r3 = its cores.
; It prints "tick N" on its virtual terminal (port 0x3F8, served by the firmware per partition) every
; `print_every` writes, and rewrites memory the way the host asks through the words below (written after loading):
;   hot_pages   pages of the hot set above DATA_BASE, rewritten round-robin (its writable working set)
;   delay       loop iterations of "work" between two writes (a larger delay dirties memory more slowly)
;   cold_every  every that many writes, one write to the next page of the whole memory (0: never)
; Dynamic reallocation: the firmware raises its event line (vector 44); the handler asks what the partition has
; now (H_DLPAR_QUERY: r0 = memory bytes, r1 = cores), stops using memory above that from this instruction on,
; and confirms (H_DLPAR_DONE, r1 = the memory it now uses). Only then does the firmware take a block away.
; Each write is computed and done with interrupts off, so a block is never released between choosing an
; address and storing to it. Cores other than the first run `secondary`, which only counts.

.equ CONSOLE,        0x3F8
.equ H_DLPAR_QUERY,  0x10
.equ H_DLPAR_DONE,   0x11
.equ FIRMWARE_EVENT, 44              ; IRQ 12: the firmware's event line
.equ GATE_KERNEL,    3
.equ DATA_BASE,      0x10000         ; the first block holds code, stack and these words; data starts above
.equ PAGE,           4096

    .org 0x1000
start:
    li r4, partition_id
    st [r4], r1
    li r4, limit
    st [r4], r2
    li r4, idt
    li r5, firmware_event
    st [r4 + 352], r5                ; gate 44 = 44 * 8
    li r5, GATE_KERNEL
    st [r4 + 356], r5
    lidt r4
    li r8, 0                         ; r8: writes so far
    li r9, 0                         ; r9: ticks printed
    li r13, 0                        ; r13: the cold sweep's next page
    sti

main_loop:
    cli                              ; choose and store with the limit fixed (see above)
    li r4, limit
    ld r4, [r4]
    li r7, DATA_BASE
    sub r4, r4, r7
    shri r4, r4, 12                  ; r4 = pages above DATA_BASE
    li r5, hot_pages
    ld r5, [r5]
    cmp r5, r4
    jbe hot_ok
    mov r5, r4
hot_ok:
    cmpi r5, 0
    je stored
    remu r6, r8, r5                  ; page = writes mod hot
    divu r7, r8, r5
    andi r7, r7, 1023                ; word within the page
    shli r6, r6, 12
    shli r7, r7, 2
    add r6, r6, r7
    li r7, DATA_BASE
    add r6, r6, r7
    st [r6], r8
    li r5, cold_every
    ld r5, [r5]
    cmpi r5, 0
    je stored
    remu r6, r8, r5
    cmpi r6, 0
    jne stored
    remu r6, r13, r4                 ; the cold sweep: one word in the next page of all memory
    shli r6, r6, 12
    li r7, DATA_BASE
    add r6, r6, r7
    st [r6 + 4092], r8
    addi r13, r13, 1
stored:
    sti
    addi r8, r8, 1
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

; The firmware's event: a DLPAR change. Saves what it uses; the main loop reloads the limit every write.
firmware_event:
    ; TODO: ask the firmware what the partition has now (r0 = H_DLPAR_QUERY; vmcall: r0 = memory bytes, r1 = cores),
    ; store the memory in `limit` (the main loop stays below it from then on) and the cores in `cores`, and confirm
    ; with H_DLPAR_DONE (r1 = the memory you now use). Save and restore every register you use.
    iret

secondary:
    li r4, secondary_count
secondary_loop:
    ld r5, [r4]
    addi r5, r5, 1
    st [r4], r5
    jmp secondary_loop

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

hot_pages:       .word 16
delay:           .word 200
cold_every:      .word 0
print_every:     .word 500
partition_id:    .word 0
limit:           .word 0
cores:           .word 0
secondary_count: .word 0
tick_text:       .asciz "tick "
    .align 8
idt:             .space 512
