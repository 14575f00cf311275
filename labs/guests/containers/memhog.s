; memhog.s — grows its heap one page at a time and writes to every page, reporting every 16 pages, forever.
; Under memory.max the kernel first reclaims what it can (clean pages it can read back from the program's file)
; and then kills the largest process of the group: this one.
.org 0x1000
start:
    li r8, 0                         ; pages touched
grow:
    li r0, SYS_SBRK
    li r1, 4096
    int 0x80
    cmpi r0, 0
    jl refused
    st [r0], r8                      ; touch it: only now does the kernel give it a frame and charge it
    addi r8, r8, 1
    andi r1, r8, 15
    cmpi r1, 0
    jne grow
    li r1, msg_pages
    call puts
    mov r1, r8
    call putdec
    li r1, msg_newline
    call puts
    jmp grow
refused:
    li r1, msg_refused
    call puts
    li r0, SYS_EXIT
    li r1, 1
    int 0x80

; The loop above stays on its own page, never written, so reclaim can drop it and read it back from the file;
; the routines' buffer below is written, so its page is dirty and stays.
    .org 0x2000
.include "lib.s"
msg_pages:   .asciz "memhog: pages "
msg_refused: .asciz "memhog: sbrk refused\n"
msg_newline: .asciz "\n"
