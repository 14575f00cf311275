; The Collatz benchmark written directly for the machine: the same algorithm as collatz.wl, the way a
; programmer (or a good compiler) writes it in VW32 assembly, values in registers. Prints the total in decimal.
.equ CONSOLE, 0x3F8

start:
    li r1, 0                ; total
    li r2, 1                ; n
outer:
    cmpi r2, 300
    jg done
    mov r3, r2              ; the value that walks to 1
    li r4, 0                ; its steps
    li r6, 2
walk:
    cmpi r3, 1
    je walked
    rem r5, r3, r6
    cmpi r5, 0
    jne odd
    div r3, r3, r6
    jmp counted
odd:
    muli r3, r3, 3
    addi r3, r3, 1
counted:
    inc r4
    jmp walk
walked:
    add r1, r1, r4
    inc r2
    jmp outer

done:                       ; print r1 in decimal, then a newline
    la r9, digits_end
    li r10, 10
divide:
    remu r8, r1, r10
    addi r8, r8, '0'
    dec r9
    stb [r9], r8
    divu r1, r1, r10
    cmpi r1, 0
    jne divide
    la r10, digits_end
print:
    ldb r8, [r9]
    out CONSOLE, r8
    inc r9
    cmp r9, r10
    jne print
    li r8, 10
    out CONSOLE, r8
    hlt

digits: .space 12
digits_end:
