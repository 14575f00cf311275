; ring3.s — reference solution of lab 01, step 6.
start:
    li sp, 0x40000
    li r1, idt
    lidt r1
    li r2, handler
    st [r1 + 0x80 * 8], r2
    li r2, 15
    st [r1 + 0x80 * 8 + 4], r2
    li r1, 0x30000
    mov ksp, r1
    li r1, 0x20000
    push r1
    li r1, 0x3000
    push r1
    li r1, user
    push r1
    li r1, 0
    push r1
    iret

user:
    li r1, 7
    int 0x80

handler:
    add r1, r1, r1
    hlt

    .align 8
idt: .space 2048
