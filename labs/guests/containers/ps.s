; ps.s — prints the pids this process can see (its pid namespace's numbering) and its own.
.org 0x1000
start:
    li r1, msg_me
    call puts
    li r0, SYS_GETPID
    int 0x80
    mov r1, r0
    call putdec
    li r1, msg_sees
    call puts
    li r0, SYS_LISTPIDS
    li r1, pids
    li r2, 64
    int 0x80
    mov r9, r0                       ; how many
    li r8, 0
each:
    cmp r8, r9
    jge done
    shli r1, r8, 2
    li r2, pids
    add r1, r1, r2
    ld r1, [r1]
    call putdec
    li r1, msg_space
    call puts
    addi r8, r8, 1
    jmp each
done:
    li r1, msg_newline
    call puts
    li r0, SYS_EXIT
    li r1, 0
    int 0x80

.include "lib.s"
msg_me:      .asciz "ps: I am pid "
msg_sees:    .asciz ", I see: "
msg_space:   .asciz " "
msg_newline: .asciz "\n"
    .align 4
pids:        .space 256
