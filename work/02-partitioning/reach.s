; reach.s — a guest that reaches outside its partition (lab 02, step 1).
; The firmware starts it with r1 = its partition number, r2 = its memory in bytes, r3 = its cores.
    .org 0x1000
start:
    ; TODO: store a word at the first logical address past the end of this partition's memory.
    hlt
