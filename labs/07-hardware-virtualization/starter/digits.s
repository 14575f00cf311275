; digits.s — lab 07, step 6: print 0123456789 with one `out 0x3F8` per digit, then halt.
start:
    ; TODO
    hlt
