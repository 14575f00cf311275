; digits.s — reference solution of lab 07, step 6.
start:
    li r1, '0'
next:
    out 0x3F8, r1
    addi r1, r1, 1
    cmpi r1, '9' + 1
    jne next
    hlt
