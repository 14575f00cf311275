; hello_pv.s — lab 06, last step: print "hello\n" with the console hypercall, then shut down.
.equ HC_CONSOLE_WRITE, 1
.equ HC_SHUTDOWN, 10
start:
    ; TODO: one console hypercall per character of "hello\n"
    ; TODO: shut down
spin:
    jmp spin
