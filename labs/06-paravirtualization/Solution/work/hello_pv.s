; hello_pv.s — reference solution of lab 06, step 6.
.equ HC_CONSOLE_WRITE, 1
.equ HC_SHUTDOWN, 10
start:
    li r2, text
next:
    ldb r1, [r2]
    cmpi r1, 0
    je done
    li r0, HC_CONSOLE_WRITE
    vmcall
    addi r2, r2, 1
    jmp next
done:
    li r0, HC_SHUTDOWN
    vmcall
spin:
    jmp spin
text: .asciz "hello\n"
