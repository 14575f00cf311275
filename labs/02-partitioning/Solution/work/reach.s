; reach.s — a guest that reaches outside its partition (lab 02, step 1).
; The firmware starts it with r1 = its partition number, r2 = its memory in bytes, r3 = its cores.
    .org 0x1000
start:
    li r4, 0x0BAD0BAD
    st [r2], r4                      ; r2 = the memory size: the first address outside
    hlt
