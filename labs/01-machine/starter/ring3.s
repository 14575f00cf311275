; ring3.s — lab 01, step 6: a system call of your own.
; Complete the TODOs; run with: workbench run ring3.s --trace
start:
    li sp, 0x40000
    ; TODO 1: load the interrupt table address into a register and lidt it
    ; TODO 2: write the gate for vector 0x80 (handler address, then attributes: 15)
    ; TODO 3: set ksp (the stack traps from ring 3 land on)
    ; TODO 4: push the four words iret expects (user sp, flags for ring 3, pc = user, error code 0) and iret
    hlt

user:
    ; TODO 5: r1 = 7, then int 0x80

handler:
    ; TODO 6: double r1, then hlt (leave the frame on the stack)
    hlt

    .align 8
idt: .space 2048
